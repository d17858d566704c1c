#include "jit/analysis/cfg.h"

#include <unordered_set>

namespace dn {

std::vector<Block*> reverse_postorder(const Function& f) {
  // An explicit stack: deeply nested Python code must not overflow the C++ one.
  std::vector<Block*> post;
  std::unordered_set<const Block*> seen{f.entry()};
  std::vector<std::pair<Block*, size_t>> stack{{f.entry(), 0}};
  while (!stack.empty()) {
    auto& [b, next] = stack.back();
    Instr* t = b->terminator();
    if (t && next < t->blocks.size()) {
      Block* s = t->blocks[next++];
      if (seen.insert(s).second) stack.push_back({s, 0});
    } else {
      post.push_back(b);
      stack.pop_back();
    }
  }
  return {post.rbegin(), post.rend()};
}

std::unordered_map<const Block*, std::vector<Block*>> reachable_preds(
    const std::vector<Block*>& rpo) {
  std::unordered_map<const Block*, std::vector<Block*>> preds;
  for (Block* b : rpo) preds[b];
  for (Block* b : rpo)
    for (Block* s : b->succs()) {
      auto& p = preds[s];
      if (p.empty() || p.back() != b) p.push_back(b);  // condbr x, bb1, bb1: one edge
    }
  return preds;
}

}  // namespace dn
