#include "random_generator.h"

#include <cstring>

#include <dlfcn.h>

#include "runtime/abi.h"

namespace dn {

bool is_random_generator_object(PyObject* obj) {
  return std::strcmp(Py_TYPE(obj)->tp_name, "numpy.random._generator.Generator") == 0;
}

namespace {

void* find_symbol(const char* name, void* library) { return dlsym(library, name); }

// The functions live in numpy.random._generator's extension module, which exports them
// (NumPy's C-API for distributions): already loaded, since a Generator exists.
bool register_distributions(const char* what) {
  static bool done = false;
  if (done) return true;
  PyObject* module = PyImport_ImportModule("numpy.random._generator");
  PyObject* file = module ? PyObject_GetAttrString(module, "__file__") : nullptr;
  Py_XDECREF(module);
  const char* path = file ? PyUnicode_AsUTF8(file) : nullptr;
  void* library = path ? dlopen(path, RTLD_NOW | RTLD_NOLOAD) : nullptr;
  Py_XDECREF(file);
  if (!library) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s: a np.random.Generator, but numpy.random._generator could not be opened to "
                 "draw from it in compiled code (install NumPy from PyPI)", what);
    return false;
  }
  if (const char* missing = dn_generator_register(&find_symbol, library)) {
    PyErr_Format(PyExc_TypeError, "%s: this NumPy's numpy.random._generator does not export %s, which compiled "
                 "code draws with; install NumPy 1.19 or newer from PyPI", what, missing);
    return false;
  }
  done = true;
  return true;
}

}  // namespace

bool unbox_random_generator(PyObject* obj, void* dst, const char* what) {
  if (!is_random_generator_object(obj)) {
    PyErr_Format(PyExc_TypeError, "%s: expected a np.random.Generator, got %s", what, Py_TYPE(obj)->tp_name);
    return false;
  }
  if (!register_distributions(what)) return false;
  PyObject* bit_generator = PyObject_GetAttrString(obj, "bit_generator");
  PyObject* capsule = bit_generator ? PyObject_GetAttrString(bit_generator, "capsule") : nullptr;
  Py_XDECREF(bit_generator);
  void* bitgen = capsule ? PyCapsule_GetPointer(capsule, "BitGenerator") : nullptr;
  Py_XDECREF(capsule);  // the bit generator, which the Generator holds, owns the bitgen_t
  if (!bitgen) return false;
  std::memcpy(dst, &bitgen, sizeof bitgen);
  return true;
}

}  // namespace dn
