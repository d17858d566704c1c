// The compilation pipeline, top to bottom: bytecode -> IR -> typed IR -> LLVM IR ->
// optimised LLVM IR -> machine code, with the IR verifier and a stage dump (DUNNART_DUMP)
// after every pass. Jitted callees go through the same stages, through a worklist
// (jit/driver/worklist.h), and are compiled into the same module.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/support/options.h"
#include "jit/frontend/function_info.h"
#include "jit/ir/ir.h"
#include "jit/types/type.h"

namespace dn {

// The uniform entry point of compiled code: `args` points to an array of pointers, one per
// argument, each to the argument in memory layout; the result is written to `result`.
// Returns 0, or the DnErrorCode of the error it recorded (runtime/abi.h).
using EntryPoint = int32_t (*)(void** args, void* result);

struct CompiledFunction {
  EntryPoint entry = nullptr;
  std::vector<const Type*> arg_types;
  const Type* return_type = nullptr;
  std::string typed_ir, llvm_ir, assembly;  // kept for inspection
  std::vector<std::string> parallel_notes;  // outline_parallel_loops: which prange loops run in parallel
  std::vector<std::string> parallel_warnings;  // ... and their writes that may race ("line N: ...")
  bool runs_parallel_loops = false;  // some loop runs on the runtime's threads (the call releases the GIL)
  double compile_seconds = 0;
  std::string symbol;       // the entry point's symbol in the object code
  std::string object_code;  // relocatable object code, when asked for (disk cache)
  std::shared_ptr<void> code;  // owns the memory of code loaded from the disk cache
  // A generator function called from Python: the entry resumes it (arguments: its frame,
  // then the function's; result: whether it yielded, and the value), and its frame takes
  // this many bytes. 0 for other functions.
  int64_t frame_size = 0;
  bool frame_keeps_memory = false;  // lower_generators.h: keep what its steps allocate
};

std::shared_ptr<CompiledFunction> compile_function(const FunctionInfo& info,
                                                   const std::vector<const Type*>& arg_types,
                                                   const Type* declared_return,
                                                   const CompileOptions& options,
                                                   FunctionProvider* provider,
                                                   bool want_object = false);

// The same from IR: `entry` (named with its symbol; its FunctionInfo, when it has one,
// outlives the call) is typed and compiled, so that a region cut out of another function
// compiles like any function.
std::shared_ptr<CompiledFunction> compile_ir(std::unique_ptr<Function> entry,
                                             const std::vector<const Type*>& arg_types,
                                             const Type* declared_return, const CompileOptions& options,
                                             FunctionProvider* provider, bool want_object = false);

// Compiled code from object code that compile_function produced (the disk cache): links
// it without compiling. Throws CompileError(Internal) when the object cannot be linked.
std::shared_ptr<CompiledFunction> load_object(const std::string& object_code, const std::string& symbol,
                                              const std::vector<const Type*>& arg_types,
                                              const Type* return_type);

}  // namespace dn
