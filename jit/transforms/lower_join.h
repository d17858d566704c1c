// np.concatenate and np.stack as IR (part of lower_array_loops): the result is allocated
// with the joined shape (ValueError when the inputs do not match off the axis) and every
// input is stored into its slab of it, a view, by the elementwise store loops.
#pragma once

#include "jit/transforms/array_loops.h"

namespace dn {

bool is_join(const Instr* call);
Instr* lower_join(ArrayLoops& loops, const Function& fn, Instr* call);

}  // namespace dn
