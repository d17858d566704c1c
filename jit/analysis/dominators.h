// Dominators of a function's CFG (Cooper, Harvey and Kennedy, "A Simple, Fast Dominance
// Algorithm", 2001): block A dominates B when every path from the entry to B passes
// through A. The verifier checks that definitions dominate their uses with it; loop
// analyses build on it. Computed once for a fixed CFG: rebuild it after changing edges.
#pragma once

#include <unordered_map>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

class DominatorTree {
 public:
  explicit DominatorTree(const Function& f);

  // Whether `a` dominates `b` (every block dominates itself). False when either is
  // unreachable from the entry.
  bool dominates(const Block* a, const Block* b) const;
  // The immediate dominator; null for the entry and for unreachable blocks.
  const Block* idom(const Block* b) const;
  bool reachable(const Block* b) const { return index_.count(b) > 0; }

 private:
  // Blocks in reverse postorder; index_ maps a block to its position there.
  std::vector<const Block*> rpo_;
  std::unordered_map<const Block*, int> index_;
  std::vector<int> idom_;   // by rpo index; the entry is its own
  std::vector<int> depth_;  // in the dominator tree, for the walk in dominates()
};

}  // namespace dn
