// Array code to loops in the IR. Each elementwise expression that fusion left as a root
// (with everything fused into it), each store of an array expression into an array
// (out[i:j] = expr, a[...] = a op b from a += b), and each reduction and scan becomes
// explicit IR: the broadcast of the leaves' shapes (ValueError when they do not
// broadcast), the result's allocation, copies of leaves whose memory meets the
// destination's, and one loop nest (jit/transforms/array_loops.h) that loads each leaf's
// element, computes the expression on scalars and stores or accumulates it
// (lower_reductions.h). After it, code generation builds no loop for these: it selects
// instructions. Fancy indexing, creation functions and joins are still lowered in
// jit/codegen/llvm (the next steps of the same move).
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Returns whether it lowered anything.
bool lower_array_loops(Function& fn);

}  // namespace dn
