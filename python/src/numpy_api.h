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
// Imports NumPy's C API on first use, so that `import dunnart` does not import NumPy.
// Returns false with a Python error set when NumPy cannot be imported.
bool ensure_numpy();
}  // namespace dn
