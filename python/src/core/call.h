// Calling compiled code from Python: unbox the arguments, run, box the result, and turn a
// runtime error into the matching Python exception.
#pragma once

#include "numpy_api.h"
#include "compiled.h"

namespace dn {

PyObject* call_compiled(const Compiled& c, PyObject* const* args, Py_ssize_t nargs);

}  // namespace dn
