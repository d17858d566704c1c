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

// A scalar type passed as a value (np.float32, np.dtype("int16"), a.dtype, float): its
// NumberClass, a compile-time value; null for anything else.
const Type* dtype_argument_type(PyObject* obj);

// The scalar type of a NumPy dtype, or null.
const Type* scalar_of_descr(PyArray_Descr* d);
// The NumPy type number of a scalar type.
int numpy_type_num(const Type* scalar);

}  // namespace dn
