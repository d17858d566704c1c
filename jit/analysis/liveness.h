// Liveness of SSA values: which values each block needs on entry and keeps alive on exit,
// and what crosses the boundary of a region of blocks. Outlining a loop body passes its
// inputs as arguments and returns its outputs; loop lifting does the same in Python.
//
// Phis are defined on their block's incoming edges, not inside it: a phi's operand is
// live out of the predecessor it comes from (and not live into the phi's block), and the
// phi itself is not live into its own block. Values are instructions of any kind
// (constants and globals too: a consumer may rematerialise them instead of passing them).
// A snapshot: recompute after changing the function.
#pragma once

#include <unordered_map>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

class Liveness {
 public:
  explicit Liveness(const Function& f);

  // In order of definition (block order of the function, then instruction order). Empty
  // for blocks unreachable from the entry.
  const std::vector<Instr*>& live_in(const Block* b) const;
  const std::vector<Instr*>& live_out(const Block* b) const;
  bool is_live_in(const Instr* v, const Block* b) const;
  bool is_live_out(const Instr* v, const Block* b) const;

 private:
  struct Sets {
    std::vector<Instr*> in, out;
    std::vector<uint64_t> in_bits, out_bits;
  };
  std::unordered_map<const Instr*, size_t> index_;  // value -> bit
  std::unordered_map<const Block*, Sets> sets_;
};

// Values defined outside `region` and used inside it (by a phi of the region too: it is
// needed on an edge into or inside the region), in order of definition.
std::vector<Instr*> region_inputs(const Function& f, const std::vector<Block*>& region);

// Values defined inside `region` and used outside it (after it, or by a phi that merges
// it on an edge out), in order of definition.
std::vector<Instr*> region_outputs(const Function& f, const std::vector<Block*>& region);

}  // namespace dn
