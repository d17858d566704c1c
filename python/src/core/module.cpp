// The extension module dunnart._core: everything a call needs, and nothing that loads LLVM
// or NumPy at import. The Dispatcher type, argument types, and loading cached object code;
// compiling lives in dunnart._compiler, imported by the first compile.
#define DUNNART_IMPORT_NUMPY
#include "numpy_api.h"

#include <cstring>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "compile_errors.h"
#include "compiled.h"
#include "compiler_preload.h"
#include "dispatcher.h"
#include "generator_object.h"
#include "jit/types/promotion.h"
#include "jit/types/signature.h"
#include "jit/types/type_codec.h"
#include "llvm/Config/llvm-config.h"  // version macros only: _core does not link LLVM
#include "runtime/abi.h"
#include "runtime/host_id.h"
#include "runtime/object_loader.h"
#include "runtime/sha256.h"
#include "named_classes.h"
#include "typeof.h"

namespace py = pybind11;
using namespace dn;

namespace {

std::vector<TypeRef> refs(const std::vector<const Type*>& ts) {
  std::vector<TypeRef> r;
  for (auto* t : ts) r.push_back({t});
  return r;
}

}  // namespace

namespace dn {

bool numpy_loaded() {
  static bool ready = false;
  if (ready) return true;
  static PyObject* name = PyUnicode_InternFromString("numpy");
  PyObject* numpy = PyImport_GetModule(name);
  if (!numpy) {
    PyErr_Clear();
    return false;
  }
  Py_DECREF(numpy);
  if (_import_array() < 0) {  // NumPy is half imported or broken: treat values as non-NumPy
    PyErr_Clear();
    return false;
  }
  ready = true;
  return true;
}

bool require_numpy() {
  if (numpy_loaded()) return true;
  PyObject* numpy = PyImport_ImportModule("numpy");
  if (!numpy) return false;
  Py_DECREF(numpy);
  if (numpy_loaded()) return true;
  PyErr_SetString(PyExc_ImportError, "dunnart cannot use NumPy's C API");
  return false;
}

// print() of compiled code: the text goes to sys.stdout.write, as Python's print writes,
// so it comes out in order with the program's own output (and is captured where that is).
// The GIL is taken: a nogil function prints too. A failed write is the call's RuntimeError.
static int32_t write_to_stdout(const char* text, int64_t size) {
  PyGILState_STATE gil = PyGILState_Ensure();
  int32_t status = 0;
  PyObject* out = PySys_GetObject("stdout");  // borrowed
  PyObject* s = PyUnicode_DecodeUTF8(text, Py_ssize_t(size), "replace");
  PyObject* r = out && out != Py_None && s ? PyObject_CallMethod(out, "write", "O", s) : nullptr;
  if (!r && (out && out != Py_None)) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject* why = value ? PyObject_Str(value) : nullptr;
    std::string message = std::string("print() could not write to sys.stdout: ") +
                          (why && PyUnicode_Check(why) ? PyUnicode_AsUTF8(why) : "an error");
    if (!why) PyErr_Clear();
    Py_XDECREF(why);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    dn_set_error(DN_RUNTIME_ERROR, message.c_str());
    status = DN_RUNTIME_ERROR;
  }
  Py_XDECREF(r);
  Py_XDECREF(s);
  PyGILState_Release(gil);
  return status;
}

// str methods of non-ASCII text (dn_str_unicode): Python's own, with its Unicode tables;
// also int(s) and float(s) of non-ASCII text (Unicode digits and spaces), into *result (a
// float's bits), and hash(s) (CPython's, salted per process).
int32_t str_method_in_python(const char* method, const DnStr* s, DnStr* out, int64_t* result) {
  PyGILState_STATE gil = PyGILState_Ensure();
  int32_t status = 0;
  const std::string m = method;
  PyObject* text = PyUnicode_FromKindAndData(int(s->kind), s->data, Py_ssize_t(s->length));
  PyObject* r = !text          ? nullptr
                : m == "int"   ? PyNumber_Long(text)
                : m == "float" ? PyNumber_Float(text)
                : m == "hash"  ? PyLong_FromSsize_t(PyObject_Hash(text))
                               : PyObject_CallMethod(text, method, nullptr);
  Py_ssize_t size = 0;
  const char* utf8 = r && PyUnicode_Check(r) ? PyUnicode_AsUTF8AndSize(r, &size) : nullptr;
  if (r && PyBool_Check(r)) {
    *result = r == Py_True;
  } else if (r && PyLong_Check(r)) {
    long long v = PyLong_AsLongLong(r);
    if (v == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      dn_set_error(DN_OVERFLOW_ERROR, "int() of this str does not fit in int64");
      status = DN_OVERFLOW_ERROR;
    }
    *result = v;
  } else if (r && PyFloat_Check(r)) {
    double v = PyFloat_AS_DOUBLE(r);
    std::memcpy(result, &v, sizeof v);
  } else if (utf8) {
    status = dn_str_from_utf8(utf8, int64_t(size), out);
  } else if (!r && PyErr_ExceptionMatches(PyExc_ValueError)) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject* said = value ? PyObject_Str(value) : nullptr;
    const char* message = said ? PyUnicode_AsUTF8(said) : nullptr;
    dn_set_error(DN_VALUE_ERROR, message ? message : "invalid literal");
    PyErr_Clear();
    Py_XDECREF(said);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    status = DN_VALUE_ERROR;
  } else {
    PyErr_Clear();
    dn_set_error(DN_RUNTIME_ERROR, (std::string("str.") + method + "() failed").c_str());
    status = DN_RUNTIME_ERROR;
  }
  Py_XDECREF(r);
  Py_XDECREF(text);
  PyGILState_Release(gil);
  return status;
}

// print() and str() of an array (DN_FORMAT_ARRAY): NumPy's own str/repr of a read-only
// view of its memory, so that line wrapping, precision and summarisation are NumPy's.
int32_t sort_in_python(void* line, int32_t dtype, int32_t stable, int64_t* indices);  // numpy_sort.cpp

PyObject* numpy_view(const void* desc, int32_t dtype, int ndim, int flags) {
  void* d = const_cast<void*>(desc);
  npy_intp shape[NPY_MAXDIMS], strides[NPY_MAXDIMS];
  for (int k = 0; k < ndim; ++k) {
    shape[k] = npy_intp(dn_array_shape(d)[k]);
    strides[k] = npy_intp(dn_array_strides(d, ndim)[k]);
  }
  return PyArray_NewFromDescr(&PyArray_Type, PyArray_DescrFromType(numpy_type_number(dtype)), ndim, shape, strides,
                              static_cast<const DnArrayHeader*>(desc)->data, flags, nullptr);
}

int32_t array_text_in_python(const void* desc, int32_t dtype, int32_t ndim, int32_t repr, DnStr* out) {
  if (dtype < 0 || dtype > DN_COMPLEX128 || ndim < 0 || ndim > NPY_MAXDIMS) return DN_RUNTIME_ERROR;
  PyGILState_STATE gil = PyGILState_Ensure();
  int32_t status = DN_RUNTIME_ERROR;
  if (require_numpy()) {
    PyObject* view = numpy_view(desc, dtype, ndim, 0);
    PyObject* text = view ? (repr ? PyObject_Repr(view) : PyObject_Str(view)) : nullptr;
    Py_ssize_t size = 0;
    const char* utf8 = text ? PyUnicode_AsUTF8AndSize(text, &size) : nullptr;
    if (utf8) status = dn_str_from_utf8(utf8, int64_t(size), out);
    Py_XDECREF(text);
    Py_XDECREF(view);
  }
  if (status != 0) PyErr_Clear();
  PyGILState_Release(gil);
  return status;
}

}  // namespace dn

PYBIND11_MODULE(_core, m) {
  m.doc() = "dunnart's call path (C++): dispatch, argument types, boxing, cached code";
  dn_set_print_writer(dn::write_to_stdout);
  dn_set_str_method_hook(dn::str_method_in_python);
  dn_set_array_text_hook(dn::array_text_in_python);
  dn_set_sort_hook(dn::sort_in_python);

  py::class_<TypeRef>(m, "Type")
      .def("__str__", [](const TypeRef& t) { return t.t->str(); })
      .def("__repr__", [](const TypeRef& t) { return t.t->str(); })
      .def("__eq__", [](const TypeRef& a, const TypeRef& b) { return a.t == b.t; })
      .def("__hash__", [](const TypeRef& t) { return std::hash<const void*>()(t.t); })
      .def_property_readonly("is_array", [](const TypeRef& t) { return t.t->kind() == TypeKind::Array; });

  // Made by dunnart._compiler.compile or by load_object below.
  py::class_<Compiled, std::shared_ptr<Compiled>>(m, "Compiled")
      .def_property_readonly("arg_types", [](const Compiled& c) { return refs(c.fn->arg_types); })
      .def_property_readonly("return_type", [](const Compiled& c) { return TypeRef{c.fn->return_type}; })
      .def_property_readonly("typed_ir", [](const Compiled& c) { return c.fn->typed_ir; })
      .def_property_readonly("llvm_ir", [](const Compiled& c) { return c.fn->llvm_ir; })
      .def_property_readonly("parallel_notes", [](const Compiled& c) { return c.fn->parallel_notes; })
      .def_property_readonly("parallel_warnings", [](const Compiled& c) { return c.fn->parallel_warnings; })
      .def_property_readonly("assembly", [](const Compiled& c) { return c.fn->assembly; })
      .def_property_readonly("compile_seconds", [](const Compiled& c) { return c.fn->compile_seconds; })
      .def_property_readonly("symbol", [](const Compiled& c) { return c.fn->symbol; })
      .def_property_readonly("object_code", [](const Compiled& c) { return py::bytes(c.fn->object_code); })
      .def("release_object_code", [](Compiled& c) { std::string().swap(c.fn->object_code); })
      .def_property_readonly("resumes_generator", [](const Compiled& c) { return c.fn->frame_size > 0; });
  register_generator_object(m);

  m.def("typeof", [](py::handle obj, const std::string& what) {
    const Type* t = type_of(obj.ptr(), what.c_str());
    if (!t) throw py::error_already_set();
    return TypeRef{t};
  });

  // (kind, module.qualname, serial, why) of a namedtuple or enum class, else None; kind is
  // "namedtuple", "enum", "int_enum" or "unsupported" (why says what it has).
  m.def("class_key", [](py::handle cls) -> py::object {
    if (!PyType_Check(cls.ptr())) return py::none();
    const ClassInfo* c = class_info(reinterpret_cast<PyTypeObject*>(cls.ptr()));
    if (!c) return py::none();
    const char* kind = c->kind == ClassInfo::NamedTuple ? "namedtuple"
                       : c->kind == ClassInfo::Enum     ? "enum"
                       : c->kind == ClassInfo::IntEnum  ? "int_enum"
                                                        : "unsupported";
    return py::make_tuple(kind, c->name, c->serial, c->why);
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

  // The disk cache: object code that dunnart._compiler.compile(want_object=True) made,
  // linked without compiling by dunnart's own loader (runtime/object_loader.h), so a cache
  // hit never loads LLVM; hosts the loader does not support link it with LLVM's.
  m.def("load_object",
        [](py::bytes object_code, std::vector<TypeRef> args, TypeRef ret, const std::string& symbol,
           bool nogil) -> std::shared_ptr<Compiled> {
          if (!native_object_loader_available()) {
            py::object llvm_load = py::module_::import("dunnart._compiler").attr("load_object");
            return llvm_load(object_code, args, ret, symbol, nogil).cast<std::shared_ptr<Compiled>>();
          }
          std::string_view bytes = object_code;
          std::string error;
          std::shared_ptr<LoadedObject> code = load_object_file(bytes.data(), bytes.size(), &error);
          void* entry = code ? code->symbol(symbol) : nullptr;
          if (!entry) {
            if (code) error = "the object does not define " + symbol;
            PyErr_SetString(PyExc_ImportError, ("cannot load cached object code: " + error).c_str());
            throw py::error_already_set();
          }
          auto fn = std::make_shared<CompiledFunction>();
          fn->entry = reinterpret_cast<EntryPoint>(entry);
          fn->arg_types = types_of(args);
          fn->return_type = ret.t;
          fn->symbol = symbol;
          fn->code = std::move(code);
          return std::make_shared<Compiled>(fn, nogil);
        });
  m.def("encode_type", [](const TypeRef& t) { return encode_type(t.t); });
  m.def("decode_type", [](const std::string& text) -> py::object {
    const Type* t = decode_type(text);
    return t ? py::cast(TypeRef{t}) : py::none();
  });

  m.def("sha256_hex", [](py::bytes data) {
    std::string_view v = data;
    return sha256_hex(v.data(), v.size());
  }, "SHA-256 of bytes, as hex (the disk cache's keys and object names)");

  // The runtime's thread count (runtime/parallel.cpp): what dunnart.set_num_threads sets.
  m.def("get_num_threads", []() { return dn_get_num_threads(); });
  m.def("max_threads", []() { return dn_max_threads(); });
  m.def("get_thread_id", []() { return dn_get_thread_id(); });
  m.def("set_num_threads", [](int64_t n) {
    if (dn_set_num_threads(n) != 0) {
      char message[256];
      dn_take_error(message, sizeof(message));
      throw py::value_error(message);
    }
  });

  m.def("register_blas", [](const std::string& name, uintptr_t fn) {
    return dn_blas_register(name.c_str(), reinterpret_cast<void*>(fn)) == 0;
  });

  // The host as the disk cache keys it, without LLVM (dunnart._compiler.host() gives
  // LLVM's CPU name and features).
  m.def("host_id", []() {
    return py::dict(py::arg("triple") = LLVM_HOST_TRIPLE, py::arg("cpu_id") = host_cpu_id());
  });
  m.def("preload_compiler", &start_compiler_preload, py::arg("path"),
        "start loading dunnart._compiler (from `path`) on a background thread");
  m.def("wait_compiler_preload", &wait_compiler_preload, py::call_guard<py::gil_scoped_release>());
  m.attr("llvm_version") = LLVM_VERSION_STRING;
  m.attr("version") = DUNNART_VERSION;

  if (!register_dispatcher_type(m.ptr())) throw py::error_already_set();
}
