// Type inference: gives every value in a function's IR a Type (a fixpoint over the CFG,
// phis unify), then rewrites the IR so that codegen never decides anything: calls name
// their Intrinsic, operands are cast to the types operations expect, module constants
// become constants. Jitted callees are built and typed into the same CompileUnit.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "jit/support/options.h"
#include "jit/frontend/function_info.h"
#include "jit/ir/ir.h"

namespace dn {

// The functions of one compilation: the entry function and every jitted function it
// calls (each typed for the argument types it is called with).
struct CompileUnit {
  std::vector<std::unique_ptr<Function>> functions;  // functions[0] is the entry
  std::vector<std::shared_ptr<const FunctionInfo>> infos;  // keep callees' infos alive
  std::map<std::string, Function*> by_key;                 // callee key -> typed function
  std::set<std::string> in_progress;                       // for recursion detection
  FunctionProvider* provider = nullptr;
  CompileOptions options;
};

// Types `fn` for `arg_types`; `declared_return` (may be null) fixes the return type.
// Throws CompileError(Typing/Unsupported) with the source location on failure.
void infer_types(CompileUnit& unit, Function& fn, const std::vector<const Type*>& arg_types,
                 const Type* declared_return);

// The symbol a jitted function gets for one signature (stable across processes).
std::string function_symbol(const FunctionInfo& info, const std::vector<const Type*>& args);

}  // namespace dn
