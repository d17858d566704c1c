// The CPU JIT engine: one ORC LLJIT per process for the host CPU, the optimisation
// pipeline (O3, host target, glibc's libmvec as the vector math library), and the
// resolution of runtime and libm symbols. Modules are optimised before they are added so
// the optimised IR and assembly can be inspected.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace dn {

struct HostTarget {
  std::string triple, cpu, features;
};

class Engine {
 public:
  static Engine& get();

  const HostTarget& host() const { return host_; }
  // Prepares `m` for this target and runs the O3 pipeline.
  void optimize(llvm::Module& m, bool fastmath);
  // Native assembly of `m` (for inspection; does not add it).
  std::string assembly(const llvm::Module& m);
  // The same from LLVM IR text (inspect_asm on code already added to the JIT).
  std::string assembly_from_ir(const std::string& ir);
  // Compiles and links `m`, returning the address of `symbol`.
  // When `object_out` is given, it receives the relocatable object code the JIT linked
  // (for the disk cache).
  void* add_module(std::unique_ptr<llvm::Module> m, std::unique_ptr<llvm::LLVMContext> ctx,
                   const std::string& symbol, std::string* object_out = nullptr);
  // Links object code made by add_module (possibly in another process) without compiling,
  // returning the address of `symbol`. Each object gets its own JITDylib (which sees the
  // runtime symbols), so entry symbols of different objects never collide. Throws
  // CompileError(Internal) if the object cannot be linked.
  void* add_object(const std::string& bytes, const std::string& symbol);

  // Compiles and links a small loop once, so that the optimiser's and code generator's
  // code and tables are paged in and initialised before the first real compile (run on the
  // background thread that loads the compiler, see python/src/core/compiler_preload.h).
  // Stops between stages once `cancelled()` says a real compile is waiting.
  void warm_up(const std::function<bool()>& cancelled);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  struct Impl;  // LLVM objects, private to engine.cpp

 private:
  Engine();
  ~Engine();
  std::unique_ptr<Impl> impl_;
  HostTarget host_;
  std::mutex mu_;
};

}  // namespace dn
