// Calling compiled code from Python: unbox the arguments, run, box the result, and turn a
// runtime error into the matching Python exception.
#pragma once

#include <vector>

#include "numpy_api.h"
#include "compiled.h"
#include "runtime/abi.h"

namespace dn {

// A step of a jitted generator called from Python (generator_object.h): its frame is the
// first argument, and what the step allocates is kept (the frame may refer to it).
struct GeneratorStep {
  void* frame;
  std::vector<DnMemInfo*>* kept;
};

PyObject* call_compiled(const Compiled& c, PyObject* const* args, Py_ssize_t nargs,
                        const GeneratorStep* step = nullptr);

}  // namespace dn
