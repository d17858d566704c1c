// Array-expression fusion: chains of elementwise array operations, and a reduction that
// consumes one, are marked (Instr::fused_into) so that codegen evaluates each chain in one
// loop with no temporary arrays: np.log(np.sum(np.exp(a - m))) reads `a` once.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

void fuse_array_exprs(Function& fn);

}  // namespace dn
