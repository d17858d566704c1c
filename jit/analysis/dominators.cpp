// The iterative algorithm of Cooper, Harvey and Kennedy: number blocks in reverse
// postorder, then intersect the dominators of each block's processed predecessors until
// nothing changes (two or three sweeps on reducible CFGs, which Python's are).
#include "jit/analysis/dominators.h"

#include <unordered_set>

namespace dn {

DominatorTree::DominatorTree(const Function& f) {
  if (f.blocks.empty()) return;
  // Postorder by an iterative DFS over successors (terminators' targets).
  std::vector<const Block*> post;
  std::unordered_set<const Block*> seen{f.entry()};
  std::vector<std::pair<const Block*, size_t>> stack{{f.entry(), 0}};
  while (!stack.empty()) {
    auto& [b, k] = stack.back();
    std::vector<Block*> succ = b->succs();
    if (k < succ.size()) {
      const Block* s = succ[k++];
      if (seen.insert(s).second) stack.push_back({s, 0});
    } else {
      post.push_back(b);
      stack.pop_back();
    }
  }
  rpo_.assign(post.rbegin(), post.rend());
  for (size_t k = 0; k < rpo_.size(); ++k) index_[rpo_[k]] = int(k);

  // Predecessors from the edges themselves: Block::preds may be stale in a broken function.
  std::vector<std::vector<int>> preds(rpo_.size());
  for (size_t k = 0; k < rpo_.size(); ++k)
    for (const Block* s : rpo_[k]->succs()) preds[size_t(index_.at(s))].push_back(int(k));

  const int kUndefined = -1;
  idom_.assign(rpo_.size(), kUndefined);
  idom_[0] = 0;
  auto intersect = [&](int a, int b) {
    while (a != b) {
      while (a > b) a = idom_[size_t(a)];
      while (b > a) b = idom_[size_t(b)];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 1; k < rpo_.size(); ++k) {
      int d = kUndefined;
      for (int p : preds[k]) {
        if (idom_[size_t(p)] == kUndefined) continue;  // not processed yet
        d = d == kUndefined ? p : intersect(p, d);
      }
      if (d != idom_[k]) {
        idom_[k] = d;
        changed = true;
      }
    }
  }
  depth_.assign(rpo_.size(), 0);
  for (size_t k = 1; k < rpo_.size(); ++k) depth_[k] = depth_[size_t(idom_[k])] + 1;  // idom precedes k in RPO
}

bool DominatorTree::dominates(const Block* a, const Block* b) const {
  auto ia = index_.find(a), ib = index_.find(b);
  if (ia == index_.end() || ib == index_.end()) return false;
  int x = ia->second, y = ib->second;
  while (depth_[size_t(y)] > depth_[size_t(x)]) y = idom_[size_t(y)];
  return x == y;
}

const Block* DominatorTree::idom(const Block* b) const {
  auto it = index_.find(b);
  if (it == index_.end() || it->second == 0) return nullptr;
  return rpo_[size_t(idom_[size_t(it->second)])];
}

}  // namespace dn
