// NumPy's C API, shared by the binding files (module.cpp imports it once).
#pragma once

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL dunnart_ARRAY_API
#ifndef DUNNART_IMPORT_NUMPY
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

namespace dn {
// True when NumPy's C API is usable, importing the API (not NumPy) the first time NumPy is
// found in sys.modules. Never imports NumPy: while the program has not imported it, no
// NumPy object can exist, so callers treat every value as a non-NumPy one. Guard every
// PyArray_* macro with it (they read the API table).
bool numpy_loaded();
// Imports NumPy (results that must be NumPy objects). False with a Python error set when
// NumPy cannot be imported.
bool require_numpy();

// A NumPy view (new reference) of a runtime array descriptor of `ndim` dimensions and dtype
// `dtype` (DnDType), with NumPy's array `flags` (0: read-only); the memory stays the
// runtime's. Needs the GIL and numpy_loaded().
PyObject* numpy_view(const void* desc, int32_t dtype, int ndim, int flags);

// NumPy's type number of a runtime dtype (DnDType, runtime/abi.h).
inline int numpy_type_number(int32_t dtype) {
  static const int kTypeNum[] = {NPY_BOOL,   NPY_INT8,   NPY_UINT8,   NPY_INT16,     NPY_UINT16,
                                 NPY_INT32,  NPY_UINT32, NPY_INT64,   NPY_UINT64,    NPY_FLOAT32,
                                 NPY_FLOAT64, NPY_COMPLEX64, NPY_COMPLEX128};
  return kTypeNum[dtype];
}
}  // namespace dn
