// np.random.Generator arguments: recognised by their class, passed as the address of
// their bit generator's bitgen_t (its "BitGenerator" capsule), whose draws compiled code
// makes with NumPy's own distribution functions (runtime/numpy_generator.cpp).
#pragma once

#include <Python.h>

namespace dn {

bool is_random_generator_object(PyObject* obj);
// Writes the bitgen_t* to dst; registers NumPy's distribution functions with the runtime
// the first time. False with a Python exception set when that or the capsule fails.
bool unbox_random_generator(PyObject* obj, void* dst, const char* what);

}  // namespace dn
