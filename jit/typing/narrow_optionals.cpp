#include "jit/typing/narrow_optionals.h"

#include <algorithm>

#include "jit/analysis/dominators.h"

namespace dn {

namespace {

// The optional (or value not typed yet) a branch on `c` tests for None, and which target it
// holds a value in (0: when true); null when `c` is no such test.
Instr* tested_optional(const Instr* c, int* holds_in) {
  if (c->op == Opcode::Truth && !c->operands.empty()) c = c->operands[0];
  // `if x:` is true only when x holds a true value; `if not x:` false only then.
  if (is_optional(c->type)) {
    *holds_in = 0;
    return const_cast<Instr*>(c);
  }
  if (c->op == Opcode::UnaryOp && c->unop == UnaryKind::Not && is_optional(c->operands[0]->type)) {
    *holds_in = 1;
    return c->operands[0];
  }
  if (c->op != Opcode::Compare || c->operands.size() != 2) return nullptr;
  CmpKind k = c->cmp;
  if (k != CmpKind::Is && k != CmpKind::IsNot && k != CmpKind::Eq && k != CmpKind::Ne) return nullptr;
  Instr* a = c->operands[0];
  Instr* b = c->operands[1];
  auto none = [](const Instr* v) { return v->type && v->type->kind() == TypeKind::None; };
  Instr* x = none(a) ? b : none(b) ? a : nullptr;
  // x may not be typed yet: what it is computed from may wait for this narrowing (the
  // d.get(v) of `while v is not None: v = d.get(v)`).
  if (!x || (x->type && !is_optional(x->type))) return nullptr;
  *holds_in = k == CmpKind::IsNot || k == CmpKind::Ne ? 0 : 1;
  return x;
}


// Replaces the uses of `x` in the blocks `region` dominates (where x holds a value) with
// an optional_value at the region's top. True when it replaced any.
bool narrow_in(Function& fn, const DominatorTree& dom, Instr* x, Block* region) {
  bool changed = false;
  // The uses there, collected first: the value is inserted into the region's block.
  std::vector<Instr**> uses;
  for (auto& use_blk : fn.blocks) {
    if (!dom.dominates(region, use_blk.get())) continue;
    for (Instr* i : use_blk->instrs) {
      if (i->op == Opcode::Phi) continue;  // a phi merges paths the test may not guard
      if (i->op == Opcode::Unwrap && i->operands[0] == x) {
        i->op = Opcode::OptionalValue;  // the check cannot fail here
        changed = true;
        continue;
      }
      if (i->op == Opcode::OptionalValue) continue;
      for (Instr*& o : i->operands)
        if (o == x) uses.push_back(&o);
    }
  }
  if (uses.empty()) return changed;
  Instr* value = fn.create(Opcode::OptionalValue, {x}, x->loc);
  value->type = x->type->dtype();
  auto first = std::find_if(region->instrs.begin(), region->instrs.end(),
                            [](const Instr* i) { return i->op != Opcode::Phi; });
  if (first != region->instrs.end()) fn.insert_before(*first, value);
  else fn.insert_before_terminator(region, value);
  for (Instr** use : uses) *use = value;
  return true;
}

// The optional that `from`'s branch tests, when it holds a value on the edge to `to` (and
// only that edge of the branch goes there). A block that only jumps on (a loop's latch, as
// 3.12's `while` has) passes on what holds on the edge into it.
Instr* holds_on_edge(const Block* from, const Block* to, int depth = 0) {
  Instr* t = from->terminator();
  if (t && t->op == Opcode::Br && from->instrs.size() == 1 && from->preds.size() == 1 && from->preds[0] != from &&
      depth < 8)
    return holds_on_edge(from->preds[0], from, depth + 1);
  if (!t || t->op != Opcode::CondBr || t->blocks[0] == t->blocks[1]) return nullptr;
  int holds_in = 0;
  Instr* x = tested_optional(t->operands[0], &holds_in);
  return x && t->blocks[size_t(holds_in)] == to ? x : nullptr;
}

}  // namespace

bool narrow_optionals(Function& fn) {
  fn.recompute_preds();
  DominatorTree dom(fn);
  bool changed = false;
  for (auto& blk : fn.blocks) {
    Block* region = blk.get();
    if (region->preds.empty()) continue;
    // Entered only from a test of x: x holds a value here.
    if (region->preds.size() == 1)
      if (Instr* x = holds_on_edge(region->preds[0], region); x && is_optional(x->type))
        changed |= narrow_in(fn, dom, x, region);
    // A phi of values each tested on its edge (`while x is not None:`, whose test Python
    // repeats at the loop's end): it holds a value here.
    for (Instr* phi : std::vector<Instr*>(region->instrs)) {
      if (phi->op != Opcode::Phi) break;
      if (!is_optional(phi->type) || phi->operands.empty()) continue;
      bool all = true;
      for (size_t k = 0; k < phi->operands.size() && all; ++k)
        all = holds_on_edge(phi->blocks[k], region) == phi->operands[k];
      if (all) changed |= narrow_in(fn, dom, phi, region);
    }
  }
  return changed;
}

}  // namespace dn
