// The LLVM prototypes of the runtime's entry points (runtime/abi.h's
// DN_RUNTIME_ENTRY_POINTS), deduced from their C declarations.
#pragma once

#include <llvm/IR/DerivedTypes.h>

#include <string>

namespace dn {

// The prototype of runtime function `name`; null when it is not an entry point.
llvm::FunctionType* runtime_signature(llvm::LLVMContext& ctx, const std::string& name);

}  // namespace dn
