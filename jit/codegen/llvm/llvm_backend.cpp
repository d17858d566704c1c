// The CPU backend (jit/codegen/backend.h): lowered IR to an LLVM module
// (lower_function.cpp), optimised and JIT-compiled by the engine.
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include "jit/codegen/backend.h"
#include "jit/codegen/llvm/codegen.h"
#include "jit/codegen/llvm/lowering.h"
#include "jit/engine/engine.h"

namespace dn {

namespace {

std::string module_text(const llvm::Module& m) {
  std::string s;
  llvm::raw_string_ostream os(s);
  m.print(os, nullptr);
  return s;
}

class LlvmBackend : public Backend {
 public:
  const char* name() const override { return "llvm"; }

  GeneratedCode generate(const std::vector<const Function*>& functions, const CompileOptions& options,
                         const std::string& symbol, bool want_object, const BackendHooks& hooks) override {
    GeneratedCode out;
    auto ctx = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> module = lower_to_llvm(functions, options, *ctx, symbol);
    if (hooks.wants("lower_to_llvm")) hooks.dump("lower_to_llvm", module_text(*module));
    hooks.lap("lower");
    Engine& engine = Engine::get();
    hooks.lap("engine");
    engine.optimize(*module, options.fastmath);
    hooks.lap("optimize");
    if (functions[0]->resumes_generator)
      out.frame_size = int64_t(module->getDataLayout().getTypeAllocSize(
          FunctionLowering::frame_type(*ctx, functions[0]->name)));
    out.llvm_ir = module_text(*module);
    hooks.lap("print IR");
    hooks.dump("llvm", out.llvm_ir);
    if (hooks.wants("asm")) {
      out.assembly = engine.assembly(*module);
      hooks.dump("asm", out.assembly);
    }
    out.entry = engine.add_module(std::move(module), std::move(ctx), symbol, want_object ? &out.object_code : nullptr);
    hooks.lap("codegen");
    return out;
  }
};

}  // namespace

std::unique_ptr<Backend> llvm_backend() { return std::make_unique<LlvmBackend>(); }

}  // namespace dn
