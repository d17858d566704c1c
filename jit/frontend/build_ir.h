// Bytecode -> SSA IR. Simulates CPython's value stack away: locals and stack slots that
// live across blocks become SSA variables (Braun et al., "Simple and Efficient
// Construction of SSA Form", CC 2013). Version differences of CPython's bytecode
// (3.11, 3.12, 3.13) are cases in this one builder.
#pragma once

#include <memory>

#include "jit/frontend/function_info.h"
#include "jit/ir/ir.h"

namespace dn {

// Throws CompileError(Unsupported) naming the construct for bytecode it cannot compile.
std::unique_ptr<Function> build_ir(const FunctionInfo& info);

}  // namespace dn
