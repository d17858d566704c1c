// A jitted generator function called from Python: a Python iterator over what it yields.
// Its frame (where it stopped and what lives across a yield, lower_generators) is memory
// this object owns, with what the steps allocated that the frame may refer to; each next()
// is one call of the compiled entry, which resumes it.
#pragma once

#include <memory>
#include <vector>

#include "numpy_api.h"

#include <pybind11/pybind11.h>

#include "compiled.h"
#include "runtime/abi.h"

namespace dn {

namespace py = pybind11;

class CompiledGenerator {
 public:
  // Takes its arguments (as the generator object is made, before any of its code runs).
  CompiledGenerator(std::shared_ptr<Compiled> compiled, py::tuple args);
  ~CompiledGenerator();
  CompiledGenerator(const CompiledGenerator&) = delete;
  CompiledGenerator& operator=(const CompiledGenerator&) = delete;

  // The next value it yields; StopIteration once it returned (or raised).
  py::object next();

 private:
  PyObject* step();  // (yielded, value), or null with the Python error set

  std::shared_ptr<Compiled> compiled_;
  py::tuple args_;  // kept alive: the frame refers to the arrays and strs among them
  std::unique_ptr<char[]> memory_;
  void* frame_ = nullptr;
  std::vector<DnMemInfo*> kept_;
  bool done_ = false;
};

void register_generator_object(py::module_& m);

}  // namespace dn
