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

constexpr int kMaxFastArgs = 8;

struct Entry {
  Py_ssize_t nargs;
  uint64_t codes[kMaxFastArgs];
  std::shared_ptr<Compiled> compiled;
};

struct DispatcherObject {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* impl;  // dunnart.dispatcher.DispatcherImpl
  std::vector<Entry>* entries;
  int64_t hits;
  Py_ssize_t argcount;  // positional parameters; other counts bind through Python
  PyObject* weakrefs;
};

PyObject* dispatch(PyObject* self_obj, PyObject* const* args, size_t nargsf, PyObject* kwnames);

// Keyword arguments, or more arguments than the fast path fingerprints: let Python bind
// them to positions (impl._bind) and dispatch again.
PyObject* slow_call(DispatcherObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  PyObject* tuple = PyTuple_New(nargs);
  if (!tuple) return nullptr;
  for (Py_ssize_t k = 0; k < nargs; ++k) {
    Py_INCREF(args[k]);
    PyTuple_SET_ITEM(tuple, k, args[k]);
  }
  PyObject* kwargs = PyDict_New();
  if (kwnames) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kwnames); ++k)
      PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, k), args[nargs + k]);
  }
  PyObject* r = PyObject_CallMethod(self->impl, "_call_slow", "OO", tuple, kwargs);
  Py_DECREF(tuple);
  Py_DECREF(kwargs);
  return r;
}

PyObject* dispatch(PyObject* self_obj, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* self = reinterpret_cast<DispatcherObject*>(self_obj);
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if ((kwnames && PyTuple_GET_SIZE(kwnames)) || nargs > kMaxFastArgs || nargs != self->argcount)
    return slow_call(self, args, nargs, kwnames);
  uint64_t codes[kMaxFastArgs];
  for (Py_ssize_t k = 0; k < nargs; ++k) codes[k] = fingerprint(args[k]);
  ++self->hits;  // calls; the Python side subtracts those that compiled
  for (const Entry& e : *self->entries) {
    if (e.nargs == nargs && std::memcmp(e.codes, codes, sizeof(uint64_t) * size_t(nargs)) == 0) {
      return call_compiled(*e.compiled, args, nargs);
    }
  }
  // Miss: compile (or pick a matching explicit signature) in Python, then remember it.
  PyObject* tuple = PyTuple_New(nargs);
  if (!tuple) return nullptr;
  for (Py_ssize_t k = 0; k < nargs; ++k) {
    Py_INCREF(args[k]);
    PyTuple_SET_ITEM(tuple, k, args[k]);
  }
  PyObject* compiled_obj = PyObject_CallMethod(self->impl, "_compile_for", "(O)", tuple);
  Py_DECREF(tuple);
  if (!compiled_obj) return nullptr;
  std::shared_ptr<Compiled> compiled;
  if (!py::isinstance<Compiled>(py::handle(compiled_obj))) {
    // Object mode (@jit fallback): _compile_for returned a Python callable to run instead.
    PyObject* r = PyObject_Vectorcall(compiled_obj, args, size_t(nargs), nullptr);
    Py_DECREF(compiled_obj);
    return r;
  }
  compiled = py::cast<std::shared_ptr<Compiled>>(py::handle(compiled_obj));
  Py_DECREF(compiled_obj);
  bool cacheable = true;
  for (Py_ssize_t k = 0; k < nargs; ++k) cacheable &= codes[k] != 0;
  if (cacheable) {
    Entry e;
    e.nargs = nargs;
    std::memcpy(e.codes, codes, sizeof(uint64_t) * size_t(nargs));
    e.compiled = compiled;
    self->entries->push_back(std::move(e));
  }
  return call_compiled(*compiled, args, nargs);
}

PyObject* dispatcher_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* impl;
  Py_ssize_t argcount;
  static const char* kwlist[] = {"impl", "argcount", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "On", const_cast<char**>(kwlist), &impl, &argcount))
    return nullptr;
  auto* self = reinterpret_cast<DispatcherObject*>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = dispatch;
  Py_INCREF(impl);
  self->impl = impl;
  self->entries = new std::vector<Entry>();
  self->hits = 0;
  self->argcount = argcount;
  self->weakrefs = nullptr;
  return reinterpret_cast<PyObject*>(self);
}

void dispatcher_dealloc(PyObject* obj) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  PyObject_GC_UnTrack(obj);
  if (self->weakrefs) PyObject_ClearWeakRefs(obj);
  Py_CLEAR(self->impl);
  delete self->entries;
  Py_TYPE(obj)->tp_free(obj);
}

int dispatcher_traverse(PyObject* obj, visitproc visit, void* arg) {
  Py_VISIT(reinterpret_cast<DispatcherObject*>(obj)->impl);
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

PyObject* add_entry(PyObject* obj, PyObject* args) {
  // _add_entry(args_tuple, compiled): register `compiled` for arguments like `args`
  // (explicit signatures, compiled before the first call).
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  PyObject *tuple, *compiled_obj;
  if (!PyArg_ParseTuple(args, "O!O", &PyTuple_Type, &tuple, &compiled_obj)) return nullptr;
  Py_ssize_t n = PyTuple_GET_SIZE(tuple);
  if (n > kMaxFastArgs) Py_RETURN_NONE;
  Entry e;
  e.nargs = n;
  for (Py_ssize_t k = 0; k < n; ++k) e.codes[k] = fingerprint(PyTuple_GET_ITEM(tuple, k));
  try {
    e.compiled = py::cast<std::shared_ptr<Compiled>>(py::handle(compiled_obj));
  } catch (const std::exception& ex) {
    PyErr_SetString(PyExc_TypeError, ex.what());
    return nullptr;
  }
  self->entries->push_back(std::move(e));
  Py_RETURN_NONE;
}

PyMethodDef methods[] = {
    {"_add_entry", add_entry, METH_VARARGS, "register a compiled entry for arguments like these"},
    {nullptr, nullptr, 0, nullptr},
};

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
  DispatcherType.tp_methods = methods;
  DispatcherType.tp_getset = getset;
  DispatcherType.tp_descr_get = dispatcher_get;
  DispatcherType.tp_weaklistoffset = offsetof(DispatcherObject, weakrefs);
  if (PyType_Ready(&DispatcherType) < 0) return false;
  Py_INCREF(&DispatcherType);
  return PyModule_AddObject(module, "Dispatcher", reinterpret_cast<PyObject*>(&DispatcherType)) == 0;
}

}  // namespace dn
