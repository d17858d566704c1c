// Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm" (2001): iterate
// idom(b) = intersect of the processed predecessors' idoms, in reverse postorder, to a
// fixpoint. For the small, reducible CFGs Python produces it converges in two passes and
// beats Lengauer-Tarjan in practice.
#include "jit/analysis/dominators.h"

#include "jit/analysis/cfg.h"

namespace dn {

DominatorTree::DominatorTree(const Function& f) {
  for (Block* b : reverse_postorder(f)) rpo_.push_back(b);
  for (size_t k = 0; k < rpo_.size(); ++k) index_[rpo_[k]] = int(k);

  std::vector<std::vector<int>> preds(rpo_.size());
  for (size_t k = 0; k < rpo_.size(); ++k)
    for (const Block* s : rpo_[k]->succs()) preds[index_.at(s)].push_back(int(k));

  idom_.assign(rpo_.size(), -1);
  idom_[0] = 0;
  auto intersect = [&](int a, int b) {
    while (a != b) {
      while (a > b) a = idom_[a];
      while (b > a) b = idom_[b];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 1; k < rpo_.size(); ++k) {
      int d = -1;
      for (int p : preds[k])
        if (idom_[p] != -1) d = d == -1 ? p : intersect(p, d);
      if (d != idom_[k]) {
        idom_[k] = d;
        changed = true;
      }
    }
  }
}

bool DominatorTree::dominates(const Block* a, const Block* b) const {
  auto ia = index_.find(a), ib = index_.find(b);
  if (ia == index_.end() || ib == index_.end()) return false;
  // Dominators come earlier in reverse postorder: walk b's chain up to a's position.
  int x = ib->second;
  while (x > ia->second) x = idom_[x];
  return x == ia->second;
}

const Block* DominatorTree::idom(const Block* b) const {
  auto it = index_.find(b);
  if (it == index_.end() || it->second == 0) return nullptr;
  return rpo_[idom_[it->second]];
}

}  // namespace dn
