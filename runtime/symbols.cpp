#include "runtime/symbols.h"

#include "runtime/abi.h"

namespace dn {

const RuntimeSymbol* runtime_symbols() {
  static const RuntimeSymbol table[] = {
      {"dn_set_error", reinterpret_cast<void*>(&dn_set_error)},
      {"dn_set_error_shapes", reinterpret_cast<void*>(&dn_set_error_shapes)},
      {"dn_array_new", reinterpret_cast<void*>(&dn_array_new)},
      {"dn_array_copy", reinterpret_cast<void*>(&dn_array_copy)},
      {"dn_pairwise_push", reinterpret_cast<void*>(&dn_pairwise_push)},
      {"dn_matmul", reinterpret_cast<void*>(&dn_matmul)},
      {"dn_pairwise_total", reinterpret_cast<void*>(&dn_pairwise_total)},
      {"dn_meminfo_incref", reinterpret_cast<void*>(&dn_meminfo_incref)},
      {"dn_meminfo_decref", reinterpret_cast<void*>(&dn_meminfo_decref)},
      {"dn_meminfo_release_data", reinterpret_cast<void*>(&dn_meminfo_release_data)},
      {"dn_py_floordiv_f64", reinterpret_cast<void*>(&dn_py_floordiv_f64)},
      {"dn_py_mod_f64", reinterpret_cast<void*>(&dn_py_mod_f64)},
      {"dn_int_pow", reinterpret_cast<void*>(&dn_int_pow)},
      {"dn_complex_pow", reinterpret_cast<void*>(&dn_complex_pow)},
      {"dn_complex_func", reinterpret_cast<void*>(&dn_complex_func)},
      {nullptr, nullptr},
  };
  return table;
}

}  // namespace dn
