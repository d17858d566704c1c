// Orders and edges of a function's control-flow graph that every analysis here starts
// from. They read the terminators' targets, not Block::preds, which a pass may leave stale.
#pragma once

#include <unordered_map>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

// The blocks reachable from the entry in reverse postorder: every block comes before its
// successors except along back edges.
std::vector<Block*> reverse_postorder(const Function& f);

// The predecessors of each reachable block among the reachable blocks, in RPO order.
std::unordered_map<const Block*, std::vector<Block*>> reachable_preds(
    const std::vector<Block*>& rpo);

}  // namespace dn
