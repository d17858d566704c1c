// Conversion between Python objects and the memory layout compiled code reads and writes
// (jit/types/abi_layout.h): unboxing of arguments and boxing of results.
#pragma once

#include "numpy_api.h"
#include "jit/types/type.h"

namespace dn {

// Writes `obj` as a value of type `t` at `dst`. Returns false with a Python error set.
// Arrays are borrowed: `obj` must outlive the call.
bool unbox(PyObject* obj, const Type* t, void* dst, const char* what);

// A new Python object for the value of type `t` at `src` (null with an error set).
// Arrays allocated by compiled code become ndarrays that own a reference to their memory.
PyObject* box(const Type* t, const void* src);

}  // namespace dn
