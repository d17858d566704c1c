// Calls of jitted functions that pass keywords, or leave out parameters that have
// defaults, become calls that pass every parameter in order: a keyword's value goes to its
// parameter's place, a left-out parameter gets its frozen default (a Global). Runs before
// typing, so that typing and everything after it see positional calls only. Mistakes are
// Python's TypeErrors, found while compiling: an unexpected or repeated keyword, too many
// positional arguments, a required parameter missing.
#pragma once

#include "jit/ir/ir.h"
#include "jit/typing/typing_context.h"

namespace dn {

void bind_call_arguments(Function& fn, const TypingContext& context);

}  // namespace dn
