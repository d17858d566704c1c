// The seam between the pipeline and a code generator: lowered IR in (after
// lower_array_loops and reduce_powers: loops, loads, stores, scalar operations), native
// code out. jit/codegen/llvm/ is the CPU backend; a jit/codegen/cuda/ can stand beside it,
// taking the same IR.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jit/ir/ir.h"
#include "jit/support/options.h"

namespace dn {

// What a backend tells the pipeline as it goes: whether a dump is wanted, the dump, and
// the end of each of its stages (for DUNNART_DUMP=timing).
struct BackendHooks {
  std::function<bool(const char* stage)> wants;
  std::function<void(const char* stage, const std::string& text)> dump;
  std::function<void(const char* stage)> lap;
};

// The generated code of one compilation.
struct GeneratedCode {
  void* entry = nullptr;    // the entry point with the uniform ABI (codegen/llvm/codegen.h)
  std::string llvm_ir;      // the optimised module, for inspection
  std::string assembly;     // when the "asm" dump is wanted
  std::string object_code;  // relocatable object code, when asked for (disk cache)
  // An entry that resumes a generator (Function::resumes_generator): the bytes of the
  // frame its first argument points to (zeroed by the caller before the first call).
  int64_t frame_size = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;
  // Compiles `functions` (`functions[0]` the entry; the others the functions it calls)
  // into code whose entry point is `symbol`.
  virtual GeneratedCode generate(const std::vector<const Function*>& functions, const CompileOptions& options,
                                 const std::string& symbol, bool want_object, const BackendHooks& hooks) = 0;
};

// The CPU backend: LLVM IR, optimised and JIT-compiled by ORC (jit/engine).
std::unique_ptr<Backend> llvm_backend();

}  // namespace dn
