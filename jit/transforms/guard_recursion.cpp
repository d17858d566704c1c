#include "jit/transforms/guard_recursion.h"

namespace dn {

bool guard_recursion(Function& fn) {
  bool recursive = false;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Call && i->intrinsic == Intrinsic::CallJitted && i->callee_key == fn.name) recursive = true;
  if (!recursive) return false;
  // After the arguments: a slot of this frame, and the checked call that raises.
  Block* entry = fn.entry();
  size_t at = 0;
  while (at < entry->instrs.size() && entry->instrs[at]->op == Opcode::Arg) ++at;
  Instr* before = entry->instrs[at];
  Instr* slot = fn.insert_before(before, fn.create(Opcode::StackSlot, {}, before->loc));
  slot->type = t_pointer(t_int64());
  slot->slots = 1;
  Instr* check = fn.insert_before(before, fn.create(Opcode::CallRuntime, {slot}, before->loc));
  check->func = "dn_check_stack";
  check->checked = true;
  return true;
}

}  // namespace dn
