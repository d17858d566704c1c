// Type inference: gives every value in a function's IR a Type (a fixpoint over the CFG,
// phis unify), then rewrites the IR so that codegen never decides anything: calls name
// their Intrinsic, operands are cast to the types operations expect, module constants
// become constants. The return type of a jitted callee comes from the TypingContext.
#pragma once

#include <string>
#include <vector>

#include "jit/frontend/function_info.h"
#include "jit/ir/ir.h"
#include "jit/typing/typing_context.h"

namespace dn {

// Types `fn` for `arg_types`; `declared_return` (may be null) fixes the return type.
// Throws CompileError(Typing/Unsupported) with the source location on failure.
void infer_types(Function& fn, const std::vector<const Type*>& arg_types, const Type* declared_return,
                 const TypingContext& context = {});

// The symbol a jitted function gets for one signature (stable across processes).
std::string function_symbol(const FunctionInfo& info, const std::vector<const Type*>& args);

}  // namespace dn
