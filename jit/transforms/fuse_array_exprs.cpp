#include "jit/transforms/fuse_array_exprs.h"

#include <unordered_map>

namespace dn {

static bool consumes_elements(const Instr* user, const Instr* operand) {
  if (is_elementwise(user)) return true;
  if (user->op == Opcode::SetItem) {
    // out[i:j] = expr and a += b store element by element; out[mask] = expr (an array
    // index) gathers from a materialised value.
    for (size_t k = 1; k + 1 < user->operands.size(); ++k)
      if (user->operands[k]->type->kind() == TypeKind::Array) return false;
    return user->operands.back() == operand;
  }
  // Whole-array reductions (no axis) consume elements; axis reductions read a real array.
  return user->op == Opcode::Call && user->intrinsic == Intrinsic::Reduce && !user->has_axis &&
         user->operands.size() > 1 && user->operands[1] == operand;
}

// Instructions that may write array memory: fusing across one would read after it.
static bool writes_arrays(const Instr* i) {
  if (i->op == Opcode::SetItem) return true;
  return i->op == Opcode::Call && i->intrinsic == Intrinsic::CallJitted;
}

void fuse_array_exprs(Function& fn) {
  std::unordered_map<const Instr*, int> uses;
  std::unordered_map<const Instr*, Instr*> user;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs) {
      // a.sum looks a method up on a; only the call that follows uses a's value.
      if (i->op == Opcode::GetAttr && i->type && i->type->kind() == TypeKind::BoundMethod) continue;
      for (Instr* o : i->operands) {
        uses[o]++;
        user[o] = i;
      }
    }
  for (auto& b : fn.blocks) {
    auto& v = b->instrs;
    for (size_t k = 0; k < v.size(); ++k) {
      Instr* x = v[k];
      if (!is_elementwise(x) || uses[x] != 1) continue;
      Instr* u = user[x];
      if (u->parent != b.get() || !consumes_elements(u, x)) continue;
      bool clear = true;
      for (size_t j = k + 1; j < v.size() && v[j] != u; ++j) clear &= !writes_arrays(v[j]);
      if (clear) x->fused_into = u;
    }
  }
}

}  // namespace dn
