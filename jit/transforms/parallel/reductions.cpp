#include "jit/transforms/parallel/reductions.h"

#include <algorithm>
#include <unordered_set>

namespace dn::parallel {

namespace {

enum class Group { None, Sum, Product, Min, Max, Or, And, Xor };

Group group_of(const Instr* op, const Instr* carried) {
  if (op->op == Opcode::BinOp) {
    switch (op->binop) {
      case BinOpKind::Add: return Group::Sum;
      case BinOpKind::Sub: return op->operands[0] == carried ? Group::Sum : Group::None;  // x - s is no sum
      case BinOpKind::Mul: return Group::Product;
      case BinOpKind::Or: return Group::Or;
      case BinOpKind::And: return Group::And;
      case BinOpKind::Xor: return Group::Xor;
      default: return Group::None;
    }
  }
  if (op->op == Opcode::Call && op->operands.size() == 3) {
    if (op->intrinsic == Intrinsic::Min) return Group::Min;
    if (op->intrinsic == Intrinsic::Max) return Group::Max;
  }
  return Group::None;
}

// Two reads of one element: the same value (the loop writes no array: checked by the caller
// for loops it reorders; prange is the user's word).
bool same_value(const Instr* x, const Instr* y) {
  if (x == y) return true;
  return x->op == Opcode::GetItem && y->op == Opcode::GetItem && x->operands == y->operands;
}

CmpKind swapped(CmpKind k) {
  switch (k) {
    case CmpKind::Lt: return CmpKind::Gt;
    case CmpKind::Le: return CmpKind::Ge;
    case CmpKind::Gt: return CmpKind::Lt;
    case CmpKind::Ge: return CmpKind::Le;
    default: return k;
  }
}

// Whether incoming value e of the body's phi q is chosen over the value so far (the other
// incoming value) by `if x > so_far:` right before: the comparison, new value first.
std::optional<CmpKind> chooses(const Instr* q, size_t e, const std::unordered_set<const Instr*>& in_chain,
                               const std::vector<Instr*>& guards, const Users& users, const Loop& loop) {
  if (q->operands.size() != 2) return std::nullopt;
  Instr* x = q->operands[e];
  Instr* so_far = q->operands[1 - e];
  Block* taken = q->blocks[e];
  Block* kept = q->blocks[1 - e];
  if (!in_chain.count(so_far) || taken->preds.size() != 1) return std::nullopt;
  Block* test = taken->preds[0];
  Instr* br = test->terminator();
  if (!br || br->op != Opcode::CondBr || br->blocks[0] != taken || !loop.contains(test)) return std::nullopt;
  bool kept_by_test = kept == test || (kept->preds.size() == 1 && kept->preds[0] == test && br->blocks[1] == kept);
  if (!kept_by_test || br->blocks[1] == taken) return std::nullopt;
  Instr* c = br->operands[0];
  if (std::find(guards.begin(), guards.end(), c) == guards.end()) return std::nullopt;
  auto u = users.find(c);
  if (u == users.end() || u->second.size() != 1) return std::nullopt;  // only the branch reads it
  CmpKind k = c->cmp;
  if (k != CmpKind::Lt && k != CmpKind::Le && k != CmpKind::Gt && k != CmpKind::Ge) return std::nullopt;
  if (c->operands[1] == so_far && same_value(c->operands[0], x)) return k;
  if (c->operands[0] == so_far && same_value(c->operands[1], x)) return swapped(k);
  return std::nullopt;
}


}  // namespace

std::optional<Reduction> reduction_of(const Loop& loop, Instr* phi, const Users& users, std::string* why) {
  const Type* t = phi->type;
  if (!(t->is_int() || t->is_float() || t->is_complex() || t->is_bool())) {
    *why = name_of(phi) + " (a " + t->str() + ") is carried from one iteration to the next";
    return std::nullopt;
  }
  Reduction r;
  r.phi = phi;
  r.init = entry_value(loop, phi);
  Group group = Group::None;
  // The values the accumulation passes through: phi, the updates, the phis that merge them.
  std::vector<Instr*> chain{phi};
  std::unordered_set<const Instr*> in_chain{phi};
  std::vector<Instr*> guards;
  for (size_t c = 0; c < chain.size(); ++c) {
    auto u = users.find(chain[c]);
    if (u == users.end()) continue;
    for (Instr* user : u->second) {
      if (user == phi || in_chain.count(user)) continue;
      if (!loop.contains(user)) {
        if (chain[c] == phi) continue;  // the result after the loop
        *why = name_of(phi) + " is used after an iteration's update, outside the loop";
        return std::nullopt;
      }
      if (user->op == Opcode::Phi) {
        if (user->parent == loop.header) {
          *why = name_of(phi) + " is carried into " + name_of(user) + ", from one iteration to the next";
          return std::nullopt;
        }
        chain.push_back(user);
        in_chain.insert(user);
        continue;
      }
      size_t carried = 0;
      for (Instr* o : user->operands) carried += in_chain.count(o);
      if (user->op == Opcode::Compare && carried == 1 && user->operands.size() == 2) {
        guards.push_back(user);  // `if x > s:` (checked below: it chooses s)
        continue;
      }
      Group g = group_of(user, chain[c]);
      if (g == Group::None || carried != 1 || user->type != t || (group != Group::None && g != group)) {
        *why = name_of(phi) + " is carried from one iteration to the next and used other than by one kind of "
               "reduction (+=, -=, *=, min, max, |=, &=, ^=) at line " + std::to_string(user->loc.line);
        return std::nullopt;
      }
      if ((g == Group::Min || g == Group::Max) && t->is_complex()) {
        *why = "min and max of complex " + name_of(phi) + " are not defined";
        return std::nullopt;
      }
      group = g;
      if (g == Group::Min || g == Group::Max) {
        r.min_max = user;
        r.carried_at = in_chain.count(user->operands[1]) ? 1 : 2;
      }
      r.updates.push_back(user);
      chain.push_back(user);
      in_chain.insert(user);
    }
  }
  // Values that enter through the body's phis (not updates of the value so far) must be
  // chosen by a comparison with it: `if x > s: s = x`.
  size_t chosen = 0;
  for (Instr* q : chain) {
    if (q == phi || q->op != Opcode::Phi) continue;
    for (size_t e = 0; e < q->operands.size(); ++e) {
      if (in_chain.count(q->operands[e])) continue;
      std::optional<CmpKind> k = chooses(q, e, in_chain, guards, users, loop);
      if (!k || group != Group::None || (r.select && *k != r.choose)) {
        *why = name_of(phi) + " is carried from one iteration to the next and assigned other than by one kind of "
               "reduction (+=, -=, *=, min, max, |=, &=, ^=, or `if x > " + phi->var + ": " + phi->var +
               " = x`) at line " + std::to_string(q->loc.line);
        return std::nullopt;
      }
      r.select = true;
      r.choose = *k;
      ++chosen;
    }
  }
  if (guards.size() != chosen) {
    *why = name_of(phi) + " is compared in the loop other than to choose a new value for it";
    return std::nullopt;
  }
  if (r.select && t->is_complex()) {
    *why = "complex " + name_of(phi) + " has no order to choose by";
    return std::nullopt;
  }
  if ((r.updates.empty() && !r.select) || !r.init) {
    *why = name_of(phi) + " is carried from one iteration to the next";
    return std::nullopt;
  }
  switch (group) {
    case Group::Product: r.kind = BinOpKind::Mul; break;
    case Group::Or: r.kind = BinOpKind::Or; break;
    case Group::And: r.kind = BinOpKind::And; break;
    case Group::Xor: r.kind = BinOpKind::Xor; break;
    default: r.kind = BinOpKind::Add; break;
  }
  return r;
}

Instr* identity(Function& f, const Reduction& r, SourceLoc loc) {
  const Type* t = r.phi->type;
  Instr* c = f.create(Opcode::Const, {}, loc);
  c->type = t;
  ConstValue& v = c->cval;
  bool choose_larger = r.select && (r.choose == CmpKind::Gt || r.choose == CmpKind::Ge);
  bool choose_smaller = r.select && !choose_larger;
  // max starts from the lowest value, min from the highest
  bool lowest = (r.min_max && r.min_max->intrinsic == Intrinsic::Max) || choose_larger;
  bool highest = (r.min_max && r.min_max->intrinsic == Intrinsic::Min) || choose_smaller;
  if (highest || lowest) {  // real numbers only: min and max of complex are refused
    v = extreme_value(t, highest);
    return c;
  }
  if (t->is_float() || t->is_complex()) {
    v.kind = t->is_float() ? ConstValue::Kind::Float : ConstValue::Kind::Complex;
    v.f = r.kind == BinOpKind::Mul ? 1.0 : 0.0;
    return c;
  }
  v.kind = t->is_bool() ? ConstValue::Kind::Bool : ConstValue::Kind::Int;
  if (r.kind == BinOpKind::Mul) v.i = 1;
  else if (r.kind == BinOpKind::And) v.i = t->is_bool() ? 1 : -1;  // every bit set
  else v.i = 0;
  return c;
}

std::string array_reductions(const Function& fn, const Loop& loop, std::vector<ArrayReduction>* out) {
  Users users = users_of(fn);
  for (Block* b : loop.blocks)
    for (Instr* i : b->instrs) {
      if (i->op != Opcode::SetItem || i->operands.size() != 2 || !made_before(loop, i->operands[0])) continue;
      Instr* acc = i->operands[0];
      Instr* update = i->operands[1];
      std::string why = "it updates the whole of " + target_name(fn, i) + ", made before it, other than by += -= *=";
      bool ok = update->op == Opcode::BinOp && update->operands[0] == acc && update->operands[1] != acc &&
                (update->binop == BinOpKind::Add || update->binop == BinOpKind::Sub || update->binop == BinOpKind::Mul);
      if (!ok) return why;
      BinOpKind kind = update->binop == BinOpKind::Mul ? BinOpKind::Mul : BinOpKind::Add;
      Instr* base = acc->op == Opcode::Phi && acc->parent == loop.header ? invariant_value(loop, acc) : acc;
      auto same = std::find_if(out->begin(), out->end(), [&](const ArrayReduction& r) { return r.array == base; });
      if (same != out->end() && same->kind != kind)
        return "it updates the whole of " + target_name(fn, i) + " both by multiplying and by adding";
      if (same != out->end()) continue;
      // Read in the loop only by its updates (and for its shape); the phis that pass the
      // same array on are it too.
      std::vector<Instr*> names{acc};
      for (size_t k = 0; k < names.size(); ++k)
        for (Instr* u : users[names[k]]) {
          if (!loop.contains(u) || std::find(names.begin(), names.end(), u) != names.end()) continue;
          if (u->op == Opcode::Phi) {
            names.push_back(u);
            continue;
          }
          Instr* a = names[k];
          bool is_update = (u->op == Opcode::SetItem && u->operands.size() == 2 && u->operands[0] == a) ||
                           (u->op == Opcode::BinOp && u->operands[0] == a && u->operands[1] != a &&
                            users[u].size() == 1 && users[u][0]->op == Opcode::SetItem);
          bool shape = u->op == Opcode::GetAttr && (u->attr == "shape" || u->attr == "ndim" || u->attr == "size");
          if (!is_update && !shape)
            return target_name(fn, i) + " is accumulated into and read in the same loop, whose threads would race";
        }
      // The array itself: what a header phi keeps from before the loop.
      Instr* made = acc->op == Opcode::Phi && acc->parent == loop.header ? invariant_value(loop, acc) : acc;
      if (std::none_of(out->begin(), out->end(), [&](const ArrayReduction& r) { return r.array == made; }))
        out->push_back({made, kind, target_name(fn, i)});
    }
  return "";
}

}  // namespace dn::parallel
