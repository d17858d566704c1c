// Removal of values nothing uses that are free to drop: constants and compile-time values
// (modules, functions, a.sum looked up on an array). Passes that remove a fused array
// expression (lowered to loops, or cut out into a function of its own) leave behind what
// only it used, whose operands may be gone.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Whether `i` is a constant or compile-time value (and so has no effect to keep).
bool is_compile_time_value(const Instr* i);
void remove_dead_compile_time_values(Function& fn);

}  // namespace dn
