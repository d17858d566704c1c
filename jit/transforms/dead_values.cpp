#include "jit/transforms/dead_values.h"

#include <unordered_map>

namespace dn {

bool is_compile_time_value(const Instr* i) {
  if (i->op == Opcode::Arg || !produces_value(i)) return false;
  return i->op == Opcode::Const || i->op == Opcode::Global || (i->type && !i->type->has_runtime_value());
}

void remove_dead_compile_time_values(Function& fn) {
  for (bool changed = true; changed;) {
    changed = false;
    std::unordered_map<const Instr*, int> uses;
    for (auto& b : fn.blocks)
      for (Instr* i : b->instrs)
        for (Instr* o : i->operands) uses[o]++;
    for (auto& b : fn.blocks)
      for (Instr* i : std::vector<Instr*>(b->instrs))
        if (is_compile_time_value(i) && !uses[i]) {
          fn.erase(i);
          changed = true;
        }
  }
}

}  // namespace dn
