#include "jit/transforms/lower_array_loops.h"

#include "jit/transforms/array_loops.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/lower_creation.h"
#include "jit/transforms/lower_fancy_index.h"
#include "jit/transforms/lower_join.h"
#include "jit/transforms/lower_reductions.h"

namespace dn {

namespace {

bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

// The instructions fused into `root`, to be removed once it is lowered.
void collect_fused(const Instr* root, std::vector<Instr*>& out) {
  for (Instr* o : root->operands)
    if (o->fused_into == root) {
      collect_fused(o, out);
      out.push_back(o);
    }
}

// The statements this pass lowers: elementwise roots, stores of arrays into arrays,
// reductions and scans, fancy indexing, creation functions, joins.
bool lowers(const Instr* i) {
  if (i->fused_into) return false;
  if (is_fancy_index(i) || is_creation(i) || is_join(i)) return true;
  if (is_elementwise(i)) return true;
  if (i->op == Opcode::Call) return i->intrinsic == Intrinsic::Reduce || i->intrinsic == Intrinsic::Scan;
  if (i->op != Opcode::SetItem) return false;
  int nparts = int(i->operands.size()) - 2;
  const Instr* v = i->operands.back();
  if (nparts == 0) return is_array(v);
  bool element_store = nparts == i->operands[0]->type->ndim();
  for (int k = 0; k < nparts; ++k) element_store &= i->operands[size_t(k + 1)]->type->is_int();
  return !element_store;
}

// Lowers `root` at the end of its builder's block; returns its value (null: none).
Instr* lower(ArrayLoops& loops, const Function& fn, Instr* root) {
  IRBuilder& b = loops.builder();
  if (is_elementwise(root)) return loops.materialize(root);
  if (is_creation(root)) return lower_creation(loops, root);
  if (is_join(root)) return lower_join(loops, fn, root);
  if (is_fancy_index(root)) {
    if (root->op == Opcode::GetItem) return lower_fancy_get(loops, root);
    lower_fancy_set(loops, root);
    return nullptr;
  }
  if (root->op == Opcode::Call)
    return root->intrinsic == Intrinsic::Reduce ? lower_reduce(loops, root) : lower_scan(loops, root);
  Instr* a = root->operands[0];
  Instr* value = root->operands.back();
  Instr* dest = a;
  if (root->operands.size() > 2) {
    // a[i:j, k] = value: a view of the destination, broadcast into.
    std::vector<Instr*> parts(root->operands.begin(), root->operands.end() - 1);
    int ints = 0;
    std::vector<const Type*> index;
    for (size_t k = 1; k < parts.size(); ++k) {
      ints += parts[k]->type->is_int();
      index.push_back(parts[k]->type);
    }
    // C when contiguous (out[:] = ..., out[i, :] = ...): one flat loop, which LLVM vectorises.
    dest = b.emit(Opcode::GetItem, parts, t_array(a->type->dtype(), a->type->ndim() - ints, view_layout(a->type, index)));
  }
  loops.evaluate_into(value, dest, value->fused_into == root);
  return nullptr;
}

}  // namespace

bool lower_array_loops(Function& fn) {
  std::vector<Instr*> todo;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (lowers(i)) todo.push_back(i);
  if (todo.empty()) return false;
  for (Instr* root : todo) {
    Block* rest = fn.split_after(root);
    Block* here = root->parent;
    fn.erase(root);
    std::vector<Instr*> fused;
    collect_fused(root, fused);
    for (Instr* f : fused) fn.erase(f);
    IRBuilder b(fn, here, root->loc);
    ArrayLoops loops(b);
    if (Instr* v = lower(loops, fn, root)) fn.replace_all_uses(root, v);
    b.br(rest);
  }
  remove_dead_compile_time_values(fn);
  fn.recompute_preds();
  fn.sort_blocks_rpo();
  return true;
}

}  // namespace dn
