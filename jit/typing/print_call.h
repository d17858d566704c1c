// print(...) in compiled code: typing turns the call into a Print whose message is what
// Python would write, the constant parts (strings, None, separators, the end) written out
// and a "{}" hole for each value, formatted as str() (in a tuple, as repr()) formats it.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Rewrites `call`, a typed call of builtins.print (resolve.cpp checked its arguments), into a
// Print instruction in place.
void rewrite_print(Function& fn, Instr* call);

}  // namespace dn
