// What the bindings keep per compiled signature: the entry point, its types, and the
// argument layouts precomputed for the call path.
#pragma once

#include <memory>
#include <vector>

#include "jit/driver/compile.h"
#include "jit/types/abi_layout.h"

namespace dn {

struct Compiled {
  std::shared_ptr<CompiledFunction> fn;
  std::vector<size_t> arg_offsets;  // offset of each argument in the argument buffer
  size_t args_size = 0, result_size = 0;
  bool nogil = false;
  // Whether a call needs a Reflection (call.cpp): containers among the arguments or in the
  // result. Scalars and arrays, the common calls, skip its setup.
  bool reflects = false;

  Compiled(std::shared_ptr<CompiledFunction> f, bool release_gil) : fn(std::move(f)), nogil(release_gil) {
    for (const Type* t : fn->arg_types) {
      AbiLayout l = abi_layout(t);
      args_size = (args_size + 15) / 16 * 16;
      arg_offsets.push_back(args_size);
      args_size += l.size;
    }
    result_size = abi_layout(fn->return_type).size;
    reflects = may_hold_container(fn->return_type);
    for (const Type* t : fn->arg_types) reflects |= may_hold_container(t);
  }

  // False only for types that are certainly no list, dict or set, nor hold one.
  static bool may_hold_container(const Type* t) {
    switch (t->kind()) {
      case TypeKind::None: case TypeKind::Bool: case TypeKind::Int: case TypeKind::Float:
      case TypeKind::Complex: case TypeKind::Array: case TypeKind::String: return false;
      case TypeKind::Optional: return may_hold_container(t->dtype());
      case TypeKind::Tuple:
        for (const Type* e : t->elements())
          if (may_hold_container(e)) return true;
        return false;
      default: return true;
    }
  }
};

// A type as a Python object (interned, so equality is identity). Both extension modules
// use it; `_core` registers the class.
struct TypeRef {
  const Type* t;
};

inline std::vector<const Type*> types_of(const std::vector<TypeRef>& refs) {
  std::vector<const Type*> ts;
  for (const TypeRef& r : refs) ts.push_back(r.t);
  return ts;
}

}  // namespace dn
