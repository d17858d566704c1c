// The extension module dunnart._compiler: bytecode to machine code through LLVM. Imported by
// the first compile (never by a call that the disk cache serves), so a program whose
// functions all come from the cache never loads LLVM. Its results are dunnart._core types.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>

#include "capture.h"
#include "compile_errors.h"
#include "compiled.h"
#include "jit/driver/compile.h"
#include "jit/engine/engine.h"

namespace py = pybind11;
using namespace dn;

namespace {

CompileOptions options_from(const py::dict& d) {
  CompileOptions o;
  if (d.contains("fastmath")) o.fastmath = d["fastmath"].cast<bool>();
  if (d.contains("boundscheck")) o.boundscheck = d["boundscheck"].cast<bool>();
  if (d.contains("nogil")) o.nogil = d["nogil"].cast<bool>();
  if (d.contains("parallel")) o.parallel = d["parallel"].cast<bool>();
  if (d.contains("error_model"))
    o.error_model = d["error_model"].cast<std::string>() == "numpy" ? ErrorModel::NumPy : ErrorModel::Python;
  if (d.contains("dump")) o.dump = d["dump"].cast<std::string>();
  return o;
}

}  // namespace

namespace {
// Set when Python imports this module: a compile is about to start, so the warm-up stops.
std::atomic<bool> g_imported{false};
}  // namespace

// Called by _core's background preload right after it loads this module (no Python, no
// GIL): starts the engine and compiles once, off the thread that will need the compiler.
extern "C" __attribute__((visibility("default"))) void dunnart_compiler_warm_up() {
  try {
    Engine::get().warm_up([] { return g_imported.load(); });
  } catch (...) {  // a failure here shows again, as an error, at the first real compile
  }
}

PYBIND11_MODULE(_compiler, m) {
  g_imported = true;
  m.doc() = "dunnart's compiler (C++ on LLVM)";
  py::module_::import("dunnart._core");  // registers Type and Compiled

  py::class_<FunctionInfo, std::shared_ptr<FunctionInfo>>(m, "FunctionInfo")
      .def(py::init([](const py::dict& d) { return function_info_from_python(d); }))
      .def_property_readonly("qualname", [](const FunctionInfo& f) { return f.qualname; });

  m.def("compile",
        [](std::shared_ptr<FunctionInfo> info, std::vector<TypeRef> args, py::object ret,
           py::dict options, py::object resolver, bool want_object) {
          const Type* declared = ret.is_none() ? nullptr : ret.cast<TypeRef>().t;
          CompileOptions opts = options_from(options);
          PythonProvider provider(resolver);
          try {
            auto fn = compile_function(*info, types_of(args), declared, opts, &provider, want_object);
            // parallel=True: other Python threads run while its threads do (only then: releasing the
            // GIL costs a call tens of nanoseconds)
            return std::make_shared<Compiled>(fn, opts.nogil || fn->runs_parallel_loops);
          } catch (const CompileError& e) {
            raise_compile_error(e);
          }
        },
        py::arg("info"), py::arg("arg_types"), py::arg("return_type"), py::arg("options"),
        py::arg("resolver"), py::arg("want_object") = false);

  // Cached object code linked by LLVM's JIT linker: for hosts without dunnart's own loader.
  m.def("load_object",
        [](py::bytes object_code, std::vector<TypeRef> args, TypeRef ret, const std::string& symbol,
           bool nogil) {
          std::string bytes = object_code;
          try {
            return std::make_shared<Compiled>(load_object(bytes, symbol, types_of(args), ret.t), nogil);
          } catch (const CompileError& e) {
            raise_compile_error(e);
          }
        });

  m.def("assembly_from_ir", [](const std::string& ir) { return Engine::get().assembly_from_ir(ir); });

  m.def("host", []() {
    const HostTarget& h = Engine::get().host();
    return py::dict(py::arg("triple") = h.triple, py::arg("cpu") = h.cpu, py::arg("features") = h.features);
  });
}
