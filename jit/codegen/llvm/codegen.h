// Typed IR -> LLVM IR for the CPU. Each jitted function becomes
//   i32 @symbol(ptr %result_out, <arguments by value>)   (status: 0 ok, else an error)
// and the entry function additionally gets a wrapper with the uniform ABI the bindings call:
//   i32 @entry(ptr %args /* array of pointers to arguments in memory layout */, ptr %result)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/support/options.h"
#include "jit/ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace dn {

// `functions[0]` is the entry; the others are the jitted functions it calls (directly or
// not), each typed for one signature.
std::unique_ptr<llvm::Module> lower_to_llvm(const std::vector<const Function*>& functions,
                                            const CompileOptions& options, llvm::LLVMContext& ctx,
                                            const std::string& entry_symbol);

}  // namespace dn
