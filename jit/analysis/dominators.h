// The dominator tree of a function's control-flow graph: block A dominates block B when
// every path from the entry to B passes through A. Loops (a back edge is an edge whose
// target dominates its source), outlining and lifting are built on it.
//
// A snapshot: it reads the terminators' successor lists (not Block::preds, which may be
// stale) and is invalid once the CFG changes.
#pragma once

#include <unordered_map>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

class DominatorTree {
 public:
  explicit DominatorTree(const Function& f);

  // Reflexive: a block dominates itself. False when either block is unreachable.
  bool dominates(const Block* a, const Block* b) const;
  // The immediate dominator; null for the entry and for unreachable blocks.
  const Block* idom(const Block* b) const;

 private:
  std::vector<const Block*> rpo_;                // reachable blocks, reverse postorder
  std::unordered_map<const Block*, int> index_;  // block -> position in rpo_
  std::vector<int> idom_;                        // by rpo index; the entry's is itself
};

}  // namespace dn
