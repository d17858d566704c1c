// NumPy's "advanced" indexing as IR loops (part of lower_array_loops): boolean masks
// (a[mask] gathers the selected elements in C order, a[mask] = v stores into them) and
// integer index arrays (a[idx], a[idx] = v; the rows of an N-D array; and NumPy's advanced
// indexing of several parts, a[:, idx], a[rows, cols], a[i, :, idx]; indices wrap when
// negative and are always checked, IndexError).
#pragma once

#include "jit/transforms/array_loops.h"

namespace dn {

// Whether GetItem/SetItem `i` indexes with an array (a mask or integer indices).
bool is_fancy_index(const Instr* i);
Instr* lower_fancy_get(ArrayLoops& loops, Instr* getitem);
void lower_fancy_set(ArrayLoops& loops, Instr* setitem);

}  // namespace dn
