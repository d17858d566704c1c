// NumPy's array creation functions as IR (part of lower_array_loops; typing:
// jit/typing/creation.cpp): np.empty/zeros/ones and their _like forms, np.full, arange,
// linspace, eye/identity, np.array of tuples, and a.copy(). Every result is a new
// C-contiguous array (new_array), filled by one counted loop over the flat index that
// LLVM vectorises. Values follow NumPy's own formulas (arange's fill function, linspace's
// step) so results are bit-identical.
#pragma once

#include "jit/transforms/array_loops.h"

namespace dn {

// Whether `call` is a creation intrinsic this lowers.
bool is_creation(const Instr* call);
Instr* lower_creation(ArrayLoops& loops, Instr* call);

}  // namespace dn
