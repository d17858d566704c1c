// The registry of runtime/blas.h: dn_blas_register stores each function by its name.
#include "runtime/blas.h"

#include <string>
#include <type_traits>

#include "runtime/abi.h"

namespace dn_runtime {

namespace {
Blas<double> g_double;
Blas<float> g_float;
ComplexBlas<double> g_complex128;
ComplexBlas<float> g_complex64;
}  // namespace

template <>
const Blas<double>& blas<double>() {
  return g_double;
}
template <>
const Blas<float>& blas<float>() {
  return g_float;
}
template <>
const ComplexBlas<double>& complex_blas<double>() {
  return g_complex128;
}
template <>
const ComplexBlas<float>& complex_blas<float>() {
  return g_complex64;
}

}  // namespace dn_runtime

extern "C" int32_t dn_blas_register(const char* name, void* fn) {
  using namespace dn_runtime;
  const std::string n = name;
  auto set = [&](auto& slot) { slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(fn); };
  if (n == "dgemm") set(g_double.gemm);
  else if (n == "sgemm") set(g_float.gemm);
  else if (n == "dgemv") set(g_double.gemv);
  else if (n == "sgemv") set(g_float.gemv);
  else if (n == "zgemm") set(g_complex128.gemm);
  else if (n == "cgemm") set(g_complex64.gemm);
  else if (n == "zgemv") set(g_complex128.gemv);
  else if (n == "cgemv") set(g_complex64.gemv);
  else if (n == "dgesv") set(g_double.gesv);
  else if (n == "dgetrf") set(g_double.getrf);
  else if (n == "dpotrf") set(g_double.potrf);
  else if (n == "dsyevd") set(g_double.syevd);
  else if (n == "dgeev") set(g_double.geev);
  else if (n == "dgesdd") set(g_double.gesdd);
  else if (n == "dgeqrf") set(g_double.geqrf);
  else if (n == "dorgqr") set(g_double.orgqr);
  else return 1;
  return 0;
}
