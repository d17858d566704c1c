#include "call.h"

#include <cmath>
#include <memory>
#include <new>

#include "boxing.h"
#include "runtime/abi.h"

namespace dn {

// The number or tuple of numbers whose repr the runtime wrote (new reference), or null.
static PyObject* value_of_repr(const char* text) {
  static PyObject* names = [] {
    PyObject* d = PyDict_New();  // nan and inf, which repr writes as names; nothing else
    PyObject* b = PyDict_New();
    PyDict_SetItemString(d, "__builtins__", b);
    Py_DECREF(b);
    PyObject* nan = PyFloat_FromDouble(NAN);
    PyObject* inf = PyFloat_FromDouble(INFINITY);
    PyDict_SetItemString(d, "nan", nan);
    PyDict_SetItemString(d, "inf", inf);
    Py_DECREF(nan);
    Py_DECREF(inf);
    return d;
  }();
  return PyRun_String(text, Py_eval_input, names, names);
}

// numpy.linalg.LinAlgError (a ValueError), imported once.
static PyObject* linalg_error() {
  static PyObject* cls = [] {
    PyObject* m = PyImport_ImportModule("numpy.linalg");
    PyObject* c = m ? PyObject_GetAttrString(m, "LinAlgError") : nullptr;
    Py_XDECREF(m);
    if (!c) PyErr_Clear();
    return c ? c : PyExc_ValueError;
  }();
  return cls;
}

static PyObject* exception_for(int32_t code) {
  switch (code) {
    case DN_LINALG_ERROR: return linalg_error();
#define DN_EXCEPTION_CASE(c, name) \
  case c: return PyExc_##name;
    DN_EXCEPTION_CLASSES(DN_EXCEPTION_CASE)
#undef DN_EXCEPTION_CASE
    default: return PyExc_RuntimeError;
  }
}

PyObject* call_compiled(const Compiled& c, PyObject* const* args, Py_ssize_t nargs, const GeneratorStep* step) {
  const size_t first = step ? 1 : 0;  // the frame comes before the Python arguments
  // Small calls use the stack; large argument lists (many arrays) the heap.
  alignas(16) char small_args[1024];
  alignas(16) char small_result[256];
  std::unique_ptr<char[]> big_args, big_result;
  char* abuf = small_args;
  char* rbuf = small_result;
  if (c.args_size > sizeof(small_args)) {
    big_args.reset(new char[c.args_size + 16]);
    abuf = big_args.get();
  }
  if (c.result_size > sizeof(small_result)) {
    big_result.reset(new char[c.result_size + 16]);
    rbuf = big_result.get();
  }
  void* small_ptrs[64];
  std::unique_ptr<void*[]> big_ptrs;
  void** ptrs = small_ptrs;
  if (nargs + Py_ssize_t(first) > 64) {
    big_ptrs.reset(new void*[size_t(nargs) + first]);
    ptrs = big_ptrs.get();
  }
  const auto& types = c.fn->arg_types;
  // Lists unboxed for the call live in the arena from here until the end of the call.
  int64_t mark = dn_arena_mark();
  // Made only for calls with containers; std::optional would zero its 200 bytes every call.
  struct MaybeReflection {
    alignas(Reflection) unsigned char storage[sizeof(Reflection)];
    Reflection* r = nullptr;
    explicit MaybeReflection(bool make) {
      if (make) r = new (storage) Reflection;
    }
    ~MaybeReflection() {
      if (r) r->~Reflection();
    }
  } reflected{c.reflects};
  struct ArenaScope {  // releases what the call allocated and did not hand out
    int64_t mark;
    std::vector<DnMemInfo*>* kept;
    ~ArenaScope() {
      if (kept)
        while (DnMemInfo* m = dn_arena_take_last(mark)) kept->push_back(m);
      dn_arena_release(mark);
    }
  } arena{mark, step ? step->kept : nullptr};
  if (step) {
    ptrs[0] = abuf + c.arg_offsets[0];
    *static_cast<void**>(ptrs[0]) = step->frame;
  }
  for (Py_ssize_t k = 0; k < nargs; ++k) {
    ptrs[size_t(k) + first] = abuf + c.arg_offsets[size_t(k) + first];
    const Type* t = types[size_t(k) + first];
    PyObject* a = args[k];
    // The common cases inline; everything else through unbox().
    if (t->kind() == TypeKind::Int && t->bits() == 64 && t->is_signed() && PyLong_CheckExact(a)) {
      long long v = PyLong_AsLongLong(a);
      if (v == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
          PyErr_Clear();
          PyErr_Format(PyExc_OverflowError, "argument %zd: Python int too large to convert to int64", k + 1);
        }
        return nullptr;
      }
      *static_cast<int64_t*>(ptrs[size_t(k) + first]) = v;
    } else if (t->kind() == TypeKind::Float && t->bits() == 64 && PyFloat_CheckExact(a)) {
      *static_cast<double*>(ptrs[size_t(k) + first]) = PyFloat_AS_DOUBLE(a);
    } else {
      char what[32];
      snprintf(what, sizeof(what), "argument %zd", k + 1);
      if (!unbox(a, t, ptrs[size_t(k) + first], what)) return nullptr;
    }
  }
  int32_t status;
  if (c.nogil) {
    Py_BEGIN_ALLOW_THREADS
    status = c.fn->entry(ptrs, rbuf);
    Py_END_ALLOW_THREADS
  } else {
    status = c.fn->entry(ptrs, rbuf);
  }
  if (status != 0) {
    char message[512];
    bool is_repr = dn_error_is_repr() != 0;
    int32_t code = dn_take_error(message, sizeof(message));
    // What the function did to its list arguments before raising stays done, as in Python.
    if (reflected.r && !reflected.r->reflect()) return nullptr;
    if (is_repr) {
      // KeyError(5): the argument is a value, written by the runtime as its repr.
      PyObject* value = value_of_repr(message);
      // The exception made here: PyErr_SetObject would take a tuple for the arguments.
      PyObject* exc = value ? PyObject_CallOneArg(exception_for(code), value) : nullptr;
      Py_XDECREF(value);
      if (exc) {
        PyErr_SetObject(exception_for(code), exc);
        Py_DECREF(exc);
        return nullptr;
      }
      PyErr_Clear();
    }
    // `raise KeyError` (no message) is the class called without arguments, as in Python.
    if (message[0]) PyErr_SetString(exception_for(code), message);
    else PyErr_SetNone(exception_for(code));
    return nullptr;
  }
  if (reflected.r && !reflected.r->reflect()) return nullptr;
  // A generator's step that yielded nothing: its value is zero bytes, not a value to box.
  if (step && !*reinterpret_cast<const uint8_t*>(rbuf)) return Py_BuildValue("(OO)", Py_False, Py_None);
  return box(c.fn->return_type, rbuf);  // boxed arrays hold their own references; the guard
                                        // then releases the arena
}

}  // namespace dn
