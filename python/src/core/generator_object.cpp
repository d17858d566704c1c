#include "generator_object.h"

#include <cstring>

#include "call.h"

namespace dn {

CompiledGenerator::CompiledGenerator(std::shared_ptr<Compiled> compiled, py::tuple args)
    : compiled_(std::move(compiled)), args_(std::move(args)) {
  // Zeroed and 16-byte aligned, as a frame on a jitted caller's stack (lower_generators:
  // zero is "not started").
  size_t size = size_t(compiled_->fn->frame_size);
  memory_.reset(new char[size + 16]());
  frame_ = memory_.get() + (16 - reinterpret_cast<uintptr_t>(memory_.get()) % 16) % 16;
  PyObject* r = step();  // takes its arguments
  if (!r) throw py::error_already_set();
  Py_DECREF(r);
}

CompiledGenerator::~CompiledGenerator() {
  for (DnMemInfo* m : kept_) dn_meminfo_decref(m);
}

PyObject* CompiledGenerator::step() {
  GeneratorStep s{frame_, compiled_->fn->frame_keeps_memory ? &kept_ : nullptr};
  auto* t = reinterpret_cast<PyTupleObject*>(args_.ptr());
  return call_compiled(*compiled_, t->ob_item, PyTuple_GET_SIZE(t), &s);
}

py::object CompiledGenerator::next() {
  if (done_) throw py::stop_iteration();
  PyObject* r = step();
  if (!r) {
    done_ = true;  // a generator that raised is finished, as in Python
    throw py::error_already_set();
  }
  py::object result = py::reinterpret_steal<py::object>(r);
  py::tuple pair = result.cast<py::tuple>();
  if (!PyObject_IsTrue(pair[0].ptr())) {
    done_ = true;
    throw py::stop_iteration();
  }
  return pair[1];
}

void register_generator_object(py::module_& m) {
  py::class_<CompiledGenerator>(m, "CompiledGenerator")
      .def(py::init<std::shared_ptr<Compiled>, py::tuple>())
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &CompiledGenerator::next);
}

}  // namespace dn
