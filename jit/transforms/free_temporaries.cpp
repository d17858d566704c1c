#include "jit/transforms/free_temporaries.h"

#include "jit/transforms/lower_fancy_index.h"

#include <algorithm>
#include <unordered_map>

namespace dn {

namespace {

bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

// Instructions whose array result is fresh memory from the runtime.
bool allocates(const Instr* i) {
  if (!is_array(i) || i->fused_into) return false;
  if (is_elementwise(i) || i->op == Opcode::NewArray) return true;
  if (i->op == Opcode::BinOp) return i->binop == BinOpKind::MatMul;
  if (i->op == Opcode::GetItem) return is_fancy_index(i);  // a[mask], a[:, idx]: a new array
  if (i->op != Opcode::Call) return false;
  switch (i->intrinsic) {
    case Intrinsic::ArrayAlloc:
    case Intrinsic::ArrayCopy:
    case Intrinsic::Scan:
    case Intrinsic::MatMul:
    case Intrinsic::Linalg:
    case Intrinsic::SortLine:
    case Intrinsic::Concatenate:
    case Intrinsic::Stack:
    case Intrinsic::ArrayFull:
    case Intrinsic::ArrayLike:
    case Intrinsic::ArrayArange:
    case Intrinsic::ArrayLinspace:
    case Intrinsic::ArrayEye: return true;
    case Intrinsic::Reshape: return i->always_copy;  // flatten
    default: return false;
  }
}

// Whether `user` only reads or writes its operand's elements, keeping no reference.
bool only_touches(const Instr* user) {
  if (user->fused_into) return true;  // part of an elementwise loop
  if (is_elementwise(user)) return true;
  switch (user->op) {
    case Opcode::SetItem:
    case Opcode::Truth: return true;
    case Opcode::GetItem: return !is_array(user) || is_fancy_index(user);
    case Opcode::GetAttr: return !is_array(user);  // shape, size, or a method for a call
    case Opcode::BinOp: return user->binop == BinOpKind::MatMul;
    case Opcode::Call:
      switch (user->intrinsic) {
        case Intrinsic::Reduce:
        case Intrinsic::Scan:
        case Intrinsic::Len:
        case Intrinsic::ArrayCopy:
        case Intrinsic::MatMul:
        case Intrinsic::Linalg:
        case Intrinsic::ArrayLike: return true;
        default: return false;
      }
    default: return false;
  }
}

// Where a use really happens: a fused instruction runs inside its root's loop.
const Instr* effective(const Instr* i) {
  while (i->fused_into) i = i->fused_into;
  return i;
}

}  // namespace

void free_temporaries(Function& fn) {
  std::unordered_map<const Instr*, std::vector<Instr*>> users;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands) users[o].push_back(i);
  std::vector<std::pair<Instr*, Instr*>> releases;  // (array, its last use)
  for (auto& b : fn.blocks) {
    std::unordered_map<const Instr*, size_t> position;
    for (size_t k = 0; k < b->instrs.size(); ++k) position[b->instrs[k]] = k;
    for (Instr* x : b->instrs) {
      if (!allocates(x)) continue;
      // a += b is a store into a (typing made it a SetItem): later uses of a's value are
      // uses of x itself.
      const std::vector<Instr*>& all_users = users[x];
      Instr* last = nullptr;
      bool ok = !all_users.empty();
      for (Instr* u : all_users) {
        const Instr* e = effective(u);
        if (u->parent != b.get() || e->parent != b.get() || !only_touches(u)) {
          ok = false;
          break;
        }
        if (!last || position.at(e) > position.at(last)) last = const_cast<Instr*>(e);
      }
      if (ok && last) releases.push_back({x, last});
    }
  }
  for (auto [x, last] : releases) fn.insert_after(last, fn.create(Opcode::Release, {x}, last->loc));
}

}  // namespace dn
