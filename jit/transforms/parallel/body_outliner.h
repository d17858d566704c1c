// A parallel loop's body as a function of its own: body(lo, hi, block, inputs...) runs
// iterations lo .. hi-1 of the loop (its induction variable start + k * step), each
// reduction from its identity into the block's slot, each array reduction into an array of
// the block's own that it adds to the shared one in block order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/analysis/loops.h"
#include "jit/ir/ir.h"
#include "jit/transforms/parallel/reductions.h"

namespace dn::parallel {

struct OutlinedBody {
  std::unique_ptr<Function> function;
  std::vector<Instr*> inputs;  // fn's values the body takes, in the order of its arguments after block
};

// partials[k]: where reduction k's block results go (fn's stack), by block; firsts: header
// phis with one value on the first iteration and another later (later_value); raise_blocks:
// the blocks the loop leaves to that raise, which go with it.
OutlinedBody outline_body(Function& fn, const Loop& loop, const std::vector<Block*>& raise_blocks,
                          const std::vector<Reduction>& reductions, const std::vector<Instr*>& partials,
                          const std::vector<Instr*>& firsts, const std::vector<ArrayReduction>& arrays,
                          const std::string& name);

}  // namespace dn::parallel
