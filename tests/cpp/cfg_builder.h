// Functions with a given control-flow graph and nothing else, for the analyses that look
// only at edges (dominators, loops): block k ends in `return`, `br` or `condbr` as it has
// zero, one or two successors.
#pragma once

#include <memory>
#include <vector>

#include "jit/ir/ir.h"

namespace dn::test {

inline std::unique_ptr<Function> cfg(const std::vector<std::vector<int>>& succs) {
  auto f = std::make_unique<Function>("cfg", nullptr);
  std::vector<Block*> b;
  for (size_t k = 0; k < succs.size(); ++k) b.push_back(f->new_block());
  for (size_t k = 0; k < succs.size(); ++k) {
    Instr* c = f->append(b[k], Opcode::Const);
    c->cval.kind = ConstValue::Kind::Bool;
    Instr* t = f->append(b[k], succs[k].empty()       ? Opcode::Return
                               : succs[k].size() == 1 ? Opcode::Br
                                                      : Opcode::CondBr);
    if (succs[k].size() != 1) t->operands.push_back(c);
    for (int s : succs[k]) t->blocks.push_back(b[s]);
  }
  f->recompute_preds();
  return f;
}

inline Block* block(const Function& f, size_t k) {
  return f.blocks.at(k).get();
}

}  // namespace dn::test
