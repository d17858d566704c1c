// Array code to loops in the IR. Each elementwise expression that fusion left as a root
// (with everything fused into it) and each store of an array expression into an array
// (out[i:j] = expr, a[...] = a op b from a += b) becomes explicit IR: the broadcast of the
// leaves' shapes (ValueError when they do not broadcast), the result's allocation, copies
// of leaves whose memory meets the destination's, and one loop nest that loads each leaf's
// element, computes the expression on scalars and stores it:
//   - when every leaf is C-contiguous with the result's shape (checked at run time), one
//     flat counted loop over all elements, which LLVM vectorises;
//   - otherwise a loop per dimension with per-leaf byte strides (0 along broadcast
//     dimensions); past kMaxLoopDims dimensions, one loop over the rows of the outer
//     dimensions (decomposing the row number) around the innermost one, so that code size
//     does not grow with the rank.
// After it, code generation builds no loop for these: it selects instructions.
// Reductions, scans, fancy indexing, creation functions and joins are still lowered in
// jit/codegen/llvm (the next steps of the same move).
#pragma once

#include "jit/ir/ir.h"

namespace dn {

void lower_array_loops(Function& fn);

}  // namespace dn
