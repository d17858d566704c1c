// The Dispatcher: the object @njit returns. A CPython type with vectorcall whose call path
// (bind keywords and defaults to parameters, fingerprint the arguments, find the compiled
// entry, unbox, run, box) is all C++. On a miss it asks its Python-side implementation
// (dunnart.dispatcher.DispatcherImpl) to compile, and on a call Python would refuse it lets
// Python raise the TypeError; every other attribute (signatures, stats, inspect_*) is
// forwarded there.
#pragma once

#include "numpy_api.h"

#include "jit/types/type.h"

namespace dn {

// Adds the type to `module` as `Dispatcher`. Returns false with an error set on failure.
bool register_dispatcher_type(PyObject* module);

// The type of a Dispatcher passed as an argument (the jitted function it is, by its
// handle: calls of it compile as direct calls), or null when `obj` is not one.
const Type* dispatcher_argument_type(PyObject* obj);

}  // namespace dn
