// Inner functions, lambdas and (before Python 3.12) comprehensions of a jitted function
// are compiled as jitted functions of their own, called like any other. They have no
// dispatcher: a negative handle, given here, names each one (the same for the same
// FunctionInfo and bindings, so that a function compiled twice calls the same callee).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "jit/frontend/function_info.h"

namespace dn {

// How a nested function is made and called where it is compiled.
struct LocalBinding {
  // Captured variables that hold inner functions where it is called: the registered
  // function takes, instead of each, the values that function captures (parameters
  // "name.captured") and calls it directly.
  std::map<std::string, BoundFunction> bound;
  // The values of its parameters' defaults (constants of the function around it).
  std::map<std::string, GlobalValue> defaults;
  // A 3.11 comprehension over enumerate/zip/reversed(...) (`iterable_call`, the builtin's
  // qualified name) takes that call's arguments instead of the object (".0", ".0.1", ...).
  std::string iterable_call;
  int iterable_args = 0;
  // A generator expression consumed whole by this builtin (sum(x * x for x in a)): it
  // returns the builtin's result (FunctionInfo::consumer).
  std::string consumer;
};

// The handle of `nested` (an entry of some FunctionInfo::nested) made and called so,
// registering it first.
int64_t local_function_handle(const std::shared_ptr<const FunctionInfo>& nested, const LocalBinding& binding = {});

// The FunctionInfo registered under `handle` (< 0), with `handle` as its handle; null if none.
std::shared_ptr<const FunctionInfo> local_function(int64_t handle);

inline bool is_local_function_handle(int64_t handle) { return handle < 0; }

}  // namespace dn
