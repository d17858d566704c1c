// CompileError (jit/support/diagnostics.h) as the Python exception users see: TypingError,
// UnsupportedError and InternalError from dunnart.errors, TypeError for argument types.
// Shared by both extension modules.
#pragma once

#include <pybind11/pybind11.h>

#include "jit/support/diagnostics.h"

namespace dn {

[[noreturn]] inline void raise_compile_error(const CompileError& e) {
  namespace py = pybind11;
  const char* name = nullptr;
  switch (e.kind()) {
    case ErrorKind::Typing: name = "TypingError"; break;
    case ErrorKind::Unsupported: name = "UnsupportedError"; break;
    case ErrorKind::Internal: name = "InternalError"; break;
    case ErrorKind::ArgumentType: break;
  }
  py::object cls = name ? py::module_::import("dunnart.errors").attr(name)
                        : py::reinterpret_borrow<py::object>(PyExc_TypeError);
  PyErr_SetString(cls.ptr(), e.what());
  throw py::error_already_set();
}

}  // namespace dn
