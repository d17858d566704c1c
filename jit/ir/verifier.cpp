// The IR verifier, run after every pass: a pass that breaks an invariant is caught at the
// pass, not three passes later in LLVM.
#include <algorithm>
#include <unordered_set>

#include "jit/ir/ir.h"

namespace dn {

void verify_function(const Function& f, const std::string& pass, bool typed) {
  auto fail = [&](const std::string& what, const Instr* i) {
    std::string msg = "IR verifier failed after " + pass + " in " + f.name + ": " + what;
    if (i) msg += "\n  at: " + print_instr(*i);
    msg += "\n" + print_function(f);
    internal_error(__FILE__, __LINE__, msg);
  };
  if (f.blocks.empty()) fail("function has no blocks", nullptr);
  std::unordered_set<const Instr*> defined(f.args.begin(), f.args.end());
  std::unordered_set<const Block*> blocks;
  for (auto& b : f.blocks) {
    blocks.insert(b.get());
    for (Instr* i : b->instrs) defined.insert(i);
  }
  for (auto& b : f.blocks) {
    if (!b->terminator()) fail("bb" + std::to_string(b->id) + " has no terminator", nullptr);
    bool seen_non_phi = false;
    for (size_t k = 0; k < b->instrs.size(); ++k) {
      Instr* i = b->instrs[k];
      if (i->parent != b.get()) fail("instruction's parent is not its block", i);
      if (i->is_terminator() && k + 1 != b->instrs.size()) fail("terminator in mid-block", i);
      if (i->op == Opcode::Phi) {
        if (seen_non_phi) fail("phi after a non-phi instruction", i);
        if (i->blocks.size() != i->operands.size()) fail("phi operand/block count mismatch", i);
        if (i->blocks.size() != b->preds.size()) fail("phi does not cover every predecessor", i);
        for (Block* p : i->blocks)
          if (std::find(b->preds.begin(), b->preds.end(), p) == b->preds.end())
            fail("phi names a block that is not a predecessor", i);
      } else {
        seen_non_phi = true;
      }
      for (Instr* o : i->operands)
        if (!o || !defined.count(o)) fail("operand not defined in this function", i);
      for (Block* t : i->blocks)
        if (!blocks.count(t)) fail("target block not in this function", i);
      if (typed && !i->is_terminator() && i->op != Opcode::SetItem && !i->type)
        fail("value has no type after typing", i);
    }
  }
}

}  // namespace dn
