#include "dispatcher.h"

#include <pybind11/pybind11.h>

#include <cstring>
#include <memory>
#include <vector>

#include "call.h"
#include "typeof.h"

namespace py = pybind11;

namespace dn {
namespace {

// A small array on the stack, on the heap past N elements (calls of many arguments).
template <class T, size_t N>
class SmallArray {
 public:
  explicit SmallArray(size_t n)
      : data_(n <= N ? small_ : (big_ = std::make_unique<T[]>(n)).get()) {}
  T* data() { return data_; }
  T& operator[](size_t k) { return data_[k]; }

 private:
  T small_[N];
  std::unique_ptr<T[]> big_;
  T* data_;
};

// How calls bind to the function's parameters, frozen when the Dispatcher is made (as
// Numba does): positional parameters first, then keyword-only ones, as in co_varnames.
struct Binding {
  Py_ssize_t n_params = 0;      // positional + keyword-only
  Py_ssize_t n_positional = 0;  // co_argcount
  Py_ssize_t n_posonly = 0;     // co_posonlyargcount: never bound by keyword
  std::vector<PyObject*> names;     // interned, borrowed from the `names` tuple
  std::vector<PyObject*> defaults;  // null: required; borrowed from the `defaults` tuple
  bool star = false;                // **kwargs: every call goes to impl._call_star
  bool varargs = false;             // *args: the extra positional arguments, as a tuple after
                                    // the others (a new reference the call releases)
  Py_ssize_t exact_nargs = -1;      // positional calls that need no binding (n_params when
                                    // there are no keyword-only parameters)
};

// Compiled entries by argument fingerprints: every entry has n_params codes, stored flat.
struct Entries {
  std::vector<uint64_t> codes;
  std::vector<std::shared_ptr<Compiled>> compiled;
};

struct DispatcherObject {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* impl;  // dunnart.dispatcher.DispatcherImpl
  Entries* entries;
  Binding* binding;
  PyObject* names;     // tuple: the parameter names
  PyObject* defaults;  // tuple: a default per parameter, or impl's "no default" sentinel
  int64_t hits;
  PyObject* weakrefs;
};

// A call Python would refuse: Python's own TypeError, raised by calling a function with the
// same parameters (impl._probe) straight from here, so the traceback shows the caller's
// line and no frame of dunnart. Should the probe accept the call, impl._bind_error says so.
PyObject* call_impl(DispatcherObject* self, const char* method, PyObject* const* args,
                    Py_ssize_t nargs, PyObject* kwnames);
PyObject* bind_error(DispatcherObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                     const char* then = "_bind_error") {
  if (!self->impl) return call_impl(self, then, args, nargs, kwnames);
  PyObject* probe = PyObject_GetAttrString(self->impl, "_probe");
  if (!probe) return nullptr;
  PyObject* r = PyObject_Vectorcall(probe, args, size_t(nargs), kwnames);
  Py_DECREF(probe);
  if (!r) return nullptr;
  Py_DECREF(r);
  return call_impl(self, then, args, nargs, kwnames);
}

// The arguments as a tuple and a dict, for the Python side's cold paths.
PyObject* call_impl(DispatcherObject* self, const char* method, PyObject* const* args,
                    Py_ssize_t nargs, PyObject* kwnames) {
  if (!self->impl) {
    PyErr_SetString(PyExc_RuntimeError, "dispatcher used after it was cleared");
    return nullptr;
  }
  PyObject* tuple = PyTuple_New(nargs);
  if (!tuple) return nullptr;
  for (Py_ssize_t k = 0; k < nargs; ++k) {
    Py_INCREF(args[k]);
    PyTuple_SET_ITEM(tuple, k, args[k]);
  }
  PyObject* kwargs = PyDict_New();
  if (!kwargs) {
    Py_DECREF(tuple);
    return nullptr;
  }
  if (kwnames) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kwnames); ++k)
      if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, k), args[nargs + k]) < 0) {
        Py_DECREF(tuple);
        Py_DECREF(kwargs);
        return nullptr;
      }
  }
  PyObject* r = PyObject_CallMethod(self->impl, method, "OO", tuple, kwargs);
  Py_DECREF(tuple);
  Py_DECREF(kwargs);
  return r;
}

// The parameter a keyword names, or -1. Keywords are nearly always the interned names
// themselves; a string compare covers the rest (**kwargs dicts built at run time).
Py_ssize_t find_keyword(const Binding& b, PyObject* key) {
  for (Py_ssize_t j = b.n_posonly; j < b.n_params; ++j)
    if (b.names[size_t(j)] == key) return j;
  if (!PyUnicode_Check(key)) return -1;
  for (Py_ssize_t j = b.n_posonly; j < b.n_params; ++j)
    if (PyUnicode_Compare(b.names[size_t(j)], key) == 0) return j;
  return -1;
}

// Binds a call to the parameters in `out` (borrowed references) as CPython does. False on
// any call Python would refuse: the caller then lets Python raise its exact TypeError.
bool bind(const Binding& b, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
          PyObject** out) {
  if (nargs > b.n_positional && !b.varargs) return false;
  const Py_ssize_t given = std::min(nargs, b.n_positional);
  for (Py_ssize_t k = 0; k < given; ++k) out[k] = args[k];
  for (Py_ssize_t k = given; k < b.n_params; ++k) out[k] = nullptr;
  if (b.varargs) {
    out[b.n_params] = PyTuple_New(nargs - given);
    if (!out[b.n_params]) return false;
    for (Py_ssize_t k = given; k < nargs; ++k) {
      Py_INCREF(args[k]);
      PyTuple_SET_ITEM(out[b.n_params], k - given, args[k]);
    }
  }
  if (kwnames) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); ++i) {
      Py_ssize_t j = find_keyword(b, PyTuple_GET_ITEM(kwnames, i));
      if (j < 0 || out[j]) return false;  // unexpected, or multiple values
      out[j] = args[nargs + i];
    }
  }
  for (Py_ssize_t k = given; k < b.n_params; ++k) {
    if (!out[k]) {
      if (!b.defaults[size_t(k)]) return false;  // missing
      out[k] = b.defaults[size_t(k)];
    }
  }
  return true;
}

PyObject* dispatch(PyObject* self_obj, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* self = reinterpret_cast<DispatcherObject*>(self_obj);
  const Binding& b = *self->binding;
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if (kwnames && PyTuple_GET_SIZE(kwnames) == 0) kwnames = nullptr;
  if (b.star) return bind_error(self, args, nargs, kwnames, "_call_star");  // binds, then refuses
  const Py_ssize_t n = b.n_params + b.varargs;
  SmallArray<PyObject*, 16> bound_store{size_t(n)};
  PyObject* const* bound = args;
  struct Owned {
    PyObject* p = nullptr;
    ~Owned() { Py_XDECREF(p); }
  } star_tuple;  // *args's tuple, made by bind
  if (kwnames || nargs != b.exact_nargs) {
    bool bound_ok = bind(b, args, nargs, kwnames, bound_store.data());
    if (b.varargs) star_tuple.p = bound_store[size_t(b.n_params)];
    if (!bound_ok) {
      if (PyErr_Occurred()) return nullptr;
      return bind_error(self, args, nargs, kwnames);
    }
    bound = bound_store.data();
  }
  SmallArray<uint64_t, 16> codes{size_t(n)};
  for (Py_ssize_t k = 0; k < n; ++k) codes[size_t(k)] = fingerprint(bound[k]);
  ++self->hits;  // calls; the Python side subtracts those that compiled
  const Entries& es = *self->entries;
  const size_t bytes = sizeof(uint64_t) * size_t(n);
  if (n == 0 && !es.compiled.empty()) return call_compiled(*es.compiled[0], bound, n);  // one signature
  for (size_t i = 0; i < es.compiled.size(); ++i)
    if (std::memcmp(es.codes.data() + i * size_t(n), codes.data(), bytes) == 0)
      return call_compiled(*es.compiled[i], bound, n);
  // Miss: compile (or pick a matching explicit signature) in Python, then remember it.
  if (!self->impl) return call_impl(self, "", args, nargs, kwnames);  // the error
  PyObject* tuple = PyTuple_New(n);
  if (!tuple) return nullptr;
  for (Py_ssize_t k = 0; k < n; ++k) {
    Py_INCREF(bound[k]);
    PyTuple_SET_ITEM(tuple, k, bound[k]);
  }
  PyObject* compiled_obj = PyObject_CallMethod(self->impl, "_compile_for", "(O)", tuple);
  Py_DECREF(tuple);
  if (!compiled_obj) return nullptr;
  if (!py::isinstance<Compiled>(py::handle(compiled_obj))) {
    // Object mode (@jit fallback): _compile_for returned a Python callable to run instead,
    // called as the user called us (keyword-only parameters cannot be passed by position).
    PyObject* r = PyObject_Vectorcall(compiled_obj, args, nargsf, kwnames);
    Py_DECREF(compiled_obj);
    return r;
  }
  auto compiled = py::cast<std::shared_ptr<Compiled>>(py::handle(compiled_obj));
  Py_DECREF(compiled_obj);
  bool cacheable = true;
  for (Py_ssize_t k = 0; k < n; ++k) cacheable &= codes[size_t(k)] != 0;
  if (cacheable) {
    self->entries->codes.insert(self->entries->codes.end(), codes.data(), codes.data() + n);
    self->entries->compiled.push_back(compiled);
  }
  return call_compiled(*compiled, bound, n);
}

PyObject* dispatcher_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  // Dispatcher(impl, names, n_positional, n_posonly, defaults, no_default, star, varargs):
  // names and defaults are tuples over the parameters (positional, then keyword-only); a
  // default that is `no_default` marks a required parameter; *args is not among them.
  PyObject *impl, *names, *defaults, *no_default;
  Py_ssize_t n_positional, n_posonly;
  int star, varargs = 0;
  static const char* kwlist[] = {"impl", "names", "n_positional", "n_posonly", "defaults",
                                 "no_default", "star", "varargs", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO!nnO!Op|p", const_cast<char**>(kwlist), &impl,
                                   &PyTuple_Type, &names, &n_positional, &n_posonly, &PyTuple_Type,
                                   &defaults, &no_default, &star, &varargs))
    return nullptr;
  Py_ssize_t n = PyTuple_GET_SIZE(names);
  if (PyTuple_GET_SIZE(defaults) != n || n_positional < 0 || n_positional > n || n_posonly < 0 ||
      n_posonly > n_positional) {
    PyErr_SetString(PyExc_ValueError, "Dispatcher: inconsistent parameter description");
    return nullptr;
  }
  auto binding = std::make_unique<Binding>();
  binding->n_params = n;
  binding->n_positional = n_positional;
  binding->n_posonly = n_posonly;
  binding->star = star != 0;
  binding->varargs = varargs != 0;
  binding->exact_nargs = n_positional == n && !varargs ? n : -1;
  for (Py_ssize_t k = 0; k < n; ++k) {
    PyObject* name = PyTuple_GET_ITEM(names, k);
    if (!PyUnicode_Check(name)) {
      PyErr_SetString(PyExc_TypeError, "Dispatcher: parameter names must be strings");
      return nullptr;
    }
    binding->names.push_back(name);
    PyObject* d = PyTuple_GET_ITEM(defaults, k);
    binding->defaults.push_back(d == no_default ? nullptr : d);
  }
  auto* self = reinterpret_cast<DispatcherObject*>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = dispatch;
  Py_INCREF(impl);
  self->impl = impl;
  self->entries = new Entries();
  self->binding = binding.release();
  Py_INCREF(names);
  self->names = names;
  Py_INCREF(defaults);
  self->defaults = defaults;
  self->hits = 0;
  self->weakrefs = nullptr;
  return reinterpret_cast<PyObject*>(self);
}

void dispatcher_dealloc(PyObject* obj) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  PyObject_GC_UnTrack(obj);
  if (self->weakrefs) PyObject_ClearWeakRefs(obj);
  Py_CLEAR(self->impl);
  delete self->entries;
  delete self->binding;
  Py_CLEAR(self->names);
  Py_CLEAR(self->defaults);
  Py_TYPE(obj)->tp_free(obj);
}

int dispatcher_traverse(PyObject* obj, visitproc visit, void* arg) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  Py_VISIT(self->impl);
  Py_VISIT(self->names);
  Py_VISIT(self->defaults);
  return 0;
}

int dispatcher_clear(PyObject* obj) {
  Py_CLEAR(reinterpret_cast<DispatcherObject*>(obj)->impl);
  return 0;
}

// Attributes the type does not define come from the Python implementation object.
PyObject* dispatcher_getattro(PyObject* obj, PyObject* name) {
  PyObject* r = PyObject_GenericGetAttr(obj, name);
  if (r || !PyErr_ExceptionMatches(PyExc_AttributeError)) return r;
  PyErr_Clear();
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  if (!self->impl) {
    PyErr_SetObject(PyExc_AttributeError, name);
    return nullptr;
  }
  return PyObject_GetAttr(self->impl, name);
}

PyObject* dispatcher_repr(PyObject* obj) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  return PyObject_CallMethod(self->impl, "_repr", nullptr);
}

PyObject* get_hits(PyObject* obj, void*) {
  return PyLong_FromLongLong(reinterpret_cast<DispatcherObject*>(obj)->hits);
}
PyObject* get_impl(PyObject* obj, void*) {
  PyObject* impl = reinterpret_cast<DispatcherObject*>(obj)->impl;
  Py_INCREF(impl);
  return impl;
}

PyGetSetDef getset[] = {
    {"_hits", get_hits, nullptr, "calls dispatched (hits and misses)", nullptr},
    {"_impl", get_impl, nullptr, "the Python-side implementation", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyObject* dispatcher_get(PyObject* self, PyObject* obj, PyObject*) {
  // Behave like a function when stored on a class: bind as a method.
  if (!obj || obj == Py_None) {
    Py_INCREF(self);
    return self;
  }
  return PyMethod_New(self, obj);
}

PyTypeObject DispatcherType = {PyVarObject_HEAD_INIT(nullptr, 0)};

}  // namespace

bool register_dispatcher_type(PyObject* module) {
  DispatcherType.tp_name = "dunnart._core.Dispatcher";
  DispatcherType.tp_basicsize = sizeof(DispatcherObject);
  DispatcherType.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL;
  DispatcherType.tp_doc = "A jitted function: compiles on the first call with new argument types.";
  DispatcherType.tp_new = dispatcher_new;
  DispatcherType.tp_dealloc = dispatcher_dealloc;
  DispatcherType.tp_traverse = dispatcher_traverse;
  DispatcherType.tp_clear = dispatcher_clear;
  DispatcherType.tp_call = PyVectorcall_Call;
  DispatcherType.tp_vectorcall_offset = offsetof(DispatcherObject, vectorcall);
  DispatcherType.tp_getattro = dispatcher_getattro;
  DispatcherType.tp_repr = dispatcher_repr;
  DispatcherType.tp_getset = getset;
  DispatcherType.tp_descr_get = dispatcher_get;
  DispatcherType.tp_weaklistoffset = offsetof(DispatcherObject, weakrefs);
  if (PyType_Ready(&DispatcherType) < 0) return false;
  Py_INCREF(&DispatcherType);
  return PyModule_AddObject(module, "Dispatcher", reinterpret_cast<PyObject*>(&DispatcherType)) == 0;
}

const Type* dispatcher_argument_type(PyObject* obj) {
  if (Py_TYPE(obj) != &DispatcherType) return nullptr;
  PyObject* impl = reinterpret_cast<DispatcherObject*>(obj)->impl;
  if (!impl) return nullptr;
  PyObject* handle = PyObject_GetAttrString(impl, "handle");
  PyObject* name = handle ? PyObject_GetAttrString(impl, "qualname") : nullptr;
  const Type* t = nullptr;
  if (handle && name && PyLong_Check(handle) && PyUnicode_Check(name))
    t = t_dispatcher(PyLong_AsLongLong(handle), PyUnicode_AsUTF8(name));
  Py_XDECREF(handle);
  Py_XDECREF(name);
  PyErr_Clear();
  return t;
}

}  // namespace dn
