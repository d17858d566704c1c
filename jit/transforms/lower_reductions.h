// Reductions and scans as IR loops (part of lower_array_loops). A whole-array reduction
// of an array or of a fused elementwise tree allocates nothing: one loop nest carries its
// accumulators in stack slots.
//   - Float sums are blocked: each block of kBlock elements is summed with reassociation
//     allowed (so it vectorises into several accumulators, like NumPy's 8-way unrolled
//     blocks), in float64 even for float32 data, and block sums are combined pairwise by
//     the runtime's binary counter (dn_pairwise_push/total): as accurate as NumPy's
//     pairwise summation, without fastmath.
//   - min/max start from the identity (+-inf, the integer extremes) so the loop is a plain
//     vectorisable reduction; NaN propagates as in NumPy. argmin/argmax: the first
//     position holding the extreme (the first NaN when it is NaN). Complex numbers in
//     NumPy's lexicographic order, in one pass.
//   - Along an axis (a run-time value): the reduction or running scan of each line along
//     it, stored into the matching line of a new array.
#pragma once

#include "jit/transforms/array_loops.h"

namespace dn {

// The value of Reduce call `call` (its operand 1 fused into it or not).
Instr* lower_reduce(ArrayLoops& loops, Instr* call);
// The array of Scan call `call` (cumsum, cumprod).
Instr* lower_scan(ArrayLoops& loops, Instr* call);

}  // namespace dn
