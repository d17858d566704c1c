#include "jit/transforms/lower_each.h"

#include <algorithm>

#include "jit/transforms/dead_values.h"

namespace dn {

bool lower_each(Function& fn, const std::function<bool(const Instr*)>& is_operation,
                const std::function<Instr*(IRBuilder&, Instr*)>& lower,
                const std::function<void(Instr*, Instr*)>& replaced) {
  std::vector<Instr*> todo;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (is_operation(i)) todo.push_back(i);
  if (todo.empty()) return false;
  std::stable_partition(todo.begin(), todo.end(), [](const Instr* i) { return i->op == Opcode::GetIter; });
  for (Instr* root : todo) {
    Block* rest = fn.split_after(root);
    Block* here = root->parent;
    fn.erase(root);
    IRBuilder b(fn, here, root->loc);
    if (Instr* v = lower(b, root)) {
      v = b.cast(v, root->type);
      fn.replace_all_uses(root, v);
      replaced(root, v);
    }
    b.br(rest);
  }
  remove_dead_compile_time_values(fn);
  fn.recompute_preds();
  fn.sort_blocks_rpo();
  return true;
}

}  // namespace dn
