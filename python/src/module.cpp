// The extension module dunnart._core: the Dispatcher type, compilation, types.
#define DUNNART_IMPORT_NUMPY
#include "numpy_api.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "capture.h"
#include "compiled.h"
#include "dispatcher.h"
#include "jit/driver/compile.h"
#include "jit/engine/engine.h"
#include "jit/types/promotion.h"
#include "jit/types/signature.h"
#include "jit/types/type_codec.h"
#include "llvm/Config/llvm-config.h"
#include "runtime/abi.h"
#include "typeof.h"

namespace py = pybind11;
using namespace dn;

namespace {

py::object g_errors[4];  // TypingError, UnsupportedError, InternalError (by ErrorKind)

[[noreturn]] void raise_compile_error(const CompileError& e) {
  PyObject* cls = nullptr;
  switch (e.kind()) {
    case ErrorKind::Typing: cls = g_errors[0].ptr(); break;
    case ErrorKind::Unsupported: cls = g_errors[1].ptr(); break;
    case ErrorKind::Internal: cls = g_errors[2].ptr(); break;
    case ErrorKind::ArgumentType: cls = PyExc_TypeError; break;
  }
  if (!cls) cls = PyExc_RuntimeError;
  PyErr_SetString(cls, e.what());
  throw py::error_already_set();
}

CompileOptions options_from(const py::dict& d) {
  CompileOptions o;
  if (d.contains("fastmath")) o.fastmath = d["fastmath"].cast<bool>();
  if (d.contains("boundscheck")) o.boundscheck = d["boundscheck"].cast<bool>();
  if (d.contains("nogil")) o.nogil = d["nogil"].cast<bool>();
  if (d.contains("parallel")) o.parallel = d["parallel"].cast<bool>();
  if (d.contains("error_model"))
    o.error_model = d["error_model"].cast<std::string>() == "numpy" ? ErrorModel::NumPy : ErrorModel::Python;
  if (d.contains("dump")) o.dump = d["dump"].cast<std::string>();
  return o;
}

std::vector<TypeRef> refs(const std::vector<const Type*>& ts) {
  std::vector<TypeRef> r;
  for (auto* t : ts) r.push_back({t});
  return r;
}

}  // namespace

namespace dn {
bool ensure_numpy() {
  static bool imported = false;
  if (imported) return true;
  if (_import_array() < 0) return false;
  imported = true;
  return true;
}
}  // namespace dn

static void require_numpy() {
  if (!ensure_numpy()) throw py::error_already_set();
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "dunnart's compiler and call path (C++)";

  py::class_<TypeRef>(m, "Type")
      .def("__str__", [](const TypeRef& t) { return t.t->str(); })
      .def("__repr__", [](const TypeRef& t) { return t.t->str(); })
      .def("__eq__", [](const TypeRef& a, const TypeRef& b) { return a.t == b.t; })
      .def("__hash__", [](const TypeRef& t) { return std::hash<const void*>()(t.t); })
      .def_property_readonly("is_array", [](const TypeRef& t) { return t.t->kind() == TypeKind::Array; });

  py::class_<FunctionInfo, std::shared_ptr<FunctionInfo>>(m, "FunctionInfo")
      .def(py::init([](const py::dict& d) { return function_info_from_python(d); }))
      .def_property_readonly("qualname", [](const FunctionInfo& f) { return f.qualname; });

  py::class_<Compiled, std::shared_ptr<Compiled>>(m, "Compiled")
      .def_property_readonly("arg_types", [](const Compiled& c) { return refs(c.fn->arg_types); })
      .def_property_readonly("return_type", [](const Compiled& c) { return TypeRef{c.fn->return_type}; })
      .def_property_readonly("typed_ir", [](const Compiled& c) { return c.fn->typed_ir; })
      .def_property_readonly("llvm_ir", [](const Compiled& c) { return c.fn->llvm_ir; })
      .def_property_readonly("assembly", [](const Compiled& c) {
        return c.fn->assembly.empty() ? Engine::get().assembly_from_ir(c.fn->llvm_ir) : c.fn->assembly;
      })
      .def_property_readonly("compile_seconds", [](const Compiled& c) { return c.fn->compile_seconds; })
      .def_property_readonly("symbol", [](const Compiled& c) { return c.fn->symbol; })
      .def_property_readonly("object_code", [](const Compiled& c) { return py::bytes(c.fn->object_code); })
      .def("release_object_code", [](Compiled& c) { std::string().swap(c.fn->object_code); });

  m.def("register_errors", [](py::object typing, py::object unsupported, py::object internal) {
    g_errors[0] = typing;
    g_errors[1] = unsupported;
    g_errors[2] = internal;
  });

  m.def("typeof", [](py::handle obj, const std::string& what) {
    require_numpy();
    const Type* t = type_of(obj.ptr(), what.c_str());
    if (!t) throw py::error_already_set();
    return TypeRef{t};
  });

  m.def("parse_signature", [](const std::string& text) {
    try {
      Signature s = parse_signature(text);
      py::object ret = s.return_type ? py::cast(TypeRef{s.return_type}) : py::none();
      return py::make_tuple(ret, refs(s.args));
    } catch (const CompileError& e) {
      raise_compile_error(e);
    }
  });

  m.def("can_convert", [](const TypeRef& from, const TypeRef& to) {
    return can_convert_implicitly(from.t, to.t);
  });

  m.def("compile",
        [](std::shared_ptr<FunctionInfo> info, std::vector<TypeRef> args, py::object ret,
           py::dict options, py::object resolver, bool want_object) {
          require_numpy();
          std::vector<const Type*> types;
          for (auto& a : args) types.push_back(a.t);
          const Type* declared = ret.is_none() ? nullptr : ret.cast<TypeRef>().t;
          CompileOptions opts = options_from(options);
          PythonProvider provider(resolver);
          try {
            auto fn = compile_function(*info, types, declared, opts, &provider, want_object);
            return std::make_shared<Compiled>(fn, opts.nogil);
          } catch (const CompileError& e) {
            raise_compile_error(e);
          }
        },
        py::arg("info"), py::arg("arg_types"), py::arg("return_type"), py::arg("options"),
        py::arg("resolver"), py::arg("want_object") = false);

  // The disk cache: link object code that compile(want_object=True) made, without compiling.
  m.def("load_object",
        [](py::bytes object_code, std::vector<TypeRef> args, TypeRef ret, const std::string& symbol,
           bool nogil) {
          require_numpy();
          std::vector<const Type*> types;
          for (auto& a : args) types.push_back(a.t);
          std::string bytes = object_code;
          try {
            return std::make_shared<Compiled>(load_object(bytes, symbol, types, ret.t), nogil);
          } catch (const CompileError& e) {
            raise_compile_error(e);
          }
        });
  m.def("encode_type", [](const TypeRef& t) { return encode_type(t.t); });
  m.def("decode_type", [](const std::string& text) -> py::object {
    const Type* t = decode_type(text);
    return t ? py::cast(TypeRef{t}) : py::none();
  });

  m.def("register_blas", [](uintptr_t dgemm, uintptr_t sgemm) {
    dn_blas_register(reinterpret_cast<void*>(dgemm), reinterpret_cast<void*>(sgemm));
  });

  m.def("host", []() {
    const HostTarget& h = Engine::get().host();
    return py::dict(py::arg("triple") = h.triple, py::arg("cpu") = h.cpu, py::arg("features") = h.features);
  });
  m.attr("llvm_version") = LLVM_VERSION_STRING;
  m.attr("version") = DUNNART_VERSION;

  if (!register_dispatcher_type(m.ptr())) throw py::error_already_set();
}
