// The partial results of a parallel_for's blocks and their combination, shared by the
// passes that make parallel loops (outline_parallel_loops: prange reductions;
// parallelize_array_statements: whole-array reductions). Each block stores its result at
// its number in a stack slot of DN_MAX_THREADS values; the caller combines the first
// `blocks` of them in block order, so that one thread count gives one answer.
#pragma once

#include <functional>

#include "jit/ir/ir.h"
#include "jit/transforms/ir_builder.h"

namespace dn {

// A slot for the partial results of type t (created, not yet in a block).
Instr* partial_results(Function& fn, const Type* t, SourceLoc loc);

// init op partials[0] op ... op partials[blocks - 1], of type t; with init null, from
// partials[0] (then blocks must be at least 1).
Instr* combine_partials(IRBuilder& b, Instr* partials, Instr* blocks, Instr* init, const Type* t,
                        const std::function<Instr*(Instr* so_far, Instr* part)>& op);

}  // namespace dn
