#include "call.h"

#include <memory>

#include "boxing.h"
#include "runtime/abi.h"

namespace dn {

static PyObject* exception_for(int32_t code) {
  switch (code) {
#define DN_EXCEPTION_CASE(c, name) \
  case c: return PyExc_##name;
    DN_EXCEPTION_CLASSES(DN_EXCEPTION_CASE)
#undef DN_EXCEPTION_CASE
    default: return PyExc_RuntimeError;
  }
}

PyObject* call_compiled(const Compiled& c, PyObject* const* args, Py_ssize_t nargs) {
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
  if (nargs > 64) {
    big_ptrs.reset(new void*[size_t(nargs)]);
    ptrs = big_ptrs.get();
  }
  const auto& types = c.fn->arg_types;
  // Lists unboxed for the call live in the arena from here until the end of the call.
  int64_t mark = dn_arena_mark();
  ListReflection lists;
  struct ArenaScope {  // releases what the call allocated and did not hand out
    int64_t mark;
    ~ArenaScope() { dn_arena_release(mark); }
  } arena{mark};
  for (Py_ssize_t k = 0; k < nargs; ++k) {
    ptrs[k] = abuf + c.arg_offsets[size_t(k)];
    const Type* t = types[size_t(k)];
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
      *static_cast<int64_t*>(ptrs[k]) = v;
    } else if (t->kind() == TypeKind::Float && t->bits() == 64 && PyFloat_CheckExact(a)) {
      *static_cast<double*>(ptrs[k]) = PyFloat_AS_DOUBLE(a);
    } else {
      char what[32];
      snprintf(what, sizeof(what), "argument %zd", k + 1);
      if (!unbox(a, t, ptrs[k], what)) return nullptr;
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
    int32_t code = dn_take_error(message, sizeof(message));
    // What the function did to its list arguments before raising stays done, as in Python.
    if (!lists.reflect()) return nullptr;
    // `raise KeyError` (no message) is the class called without arguments, as in Python.
    if (message[0]) PyErr_SetString(exception_for(code), message);
    else PyErr_SetNone(exception_for(code));
    return nullptr;
  }
  if (!lists.reflect()) return nullptr;
  return box(c.fn->return_type, rbuf);  // boxed arrays hold their own references; the guard
                                        // then releases the arena
}

}  // namespace dn
