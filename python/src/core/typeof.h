// The types of Python argument values: a cheap fingerprint for the dispatcher's fast path
// and the dunnart Type for compiling.
#pragma once

#include "numpy_api.h"
#include "jit/types/type.h"

namespace dn {

// A 64-bit code that identifies the dunnart type of `obj` (equal codes <=> equal types).
// 0 means the value is of a type dunnart does not accept.
uint64_t fingerprint(PyObject* obj);

// The dunnart type of `obj`, or null with a Python TypeError set naming `what`.
const Type* type_of(PyObject* obj, const char* what);

// The scalar type of a NumPy dtype, or null.
const Type* scalar_of_descr(PyArray_Descr* d);
// The NumPy type number of a scalar type.
int numpy_type_num(const Type* scalar);

}  // namespace dn
