// Narrowing of optionals by the tests that guard them: under `if x is not None:` (and
// `x is None`'s else, `x != None`, `if x:`, `while x is not None:`) x holds a value, so the uses
// there read it without a check (an optional_value at the top of the guarded region), and
// may do what an optional may not (print it, use it as a dict key, store it in a list).
// Typing runs it between fixpoints, before the rewrite turns the tests into optional_has.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Replaces the uses of optionals that such a test guards; true when it replaced any.
bool narrow_optionals(Function& fn);

}  // namespace dn
