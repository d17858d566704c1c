#include "jit/transforms/outline_parallel_loops.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "jit/analysis/dominators.h"
#include "jit/analysis/loops.h"
#include "jit/frontend/function_info.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/iterables.h"
#include "jit/transforms/parallel_partials.h"
#include "jit/transforms/parallelize_array_statements.h"
#include "runtime/abi.h"

namespace dn {

namespace {

bool used_by_others(const Function& fn, const Instr* v) {
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (i != v && std::find(i->operands.begin(), i->operands.end(), v) != i->operands.end()) return true;
  return false;
}

// What a header phi has from before the loop (the preheader's value).
Instr* entry_value(const Loop& loop, const Instr* phi) {
  for (size_t k = 0; k < phi->operands.size(); ++k)
    if (!loop.contains(phi->blocks[k])) return phi->operands[k];
  return nullptr;
}

// Constants of one value: the same wherever they are made.
bool same_constant(const Instr* x, const Instr* y) {
  if (x == y) return true;
  if (x->op != Opcode::Const || y->op != Opcode::Const || x->type != y->type) return false;
  const ConstValue &a = x->cval, &b = y->cval;
  return a.kind == b.kind && a.i == b.i && a.f == b.f && a.imag == b.imag && a.s == b.s && a.items.empty() &&
         b.items.empty();
}

// A header phi whose value is the same in every iteration: what it has from before the
// loop, which every path through the body keeps or sets again (a variable the body does
// not assign; the frontend's "is it bound" flag of one bound before the loop), or null.
Instr* invariant_value(const Loop& loop, const Instr* phi) {
  Instr* before = nullptr;
  for (size_t k = 0; k < phi->operands.size(); ++k)
    if (!loop.contains(phi->blocks[k])) {
      if (before && before != phi->operands[k]) return nullptr;
      before = phi->operands[k];
    }
  if (!before) return nullptr;
  // What reaches it from the latches, through the body's phis.
  std::vector<const Instr*> phis{phi};
  std::unordered_set<const Instr*> seen{phi};
  for (size_t n = 0; n < phis.size(); ++n)
    for (size_t k = 0; k < phis[n]->operands.size(); ++k) {
      const Instr* v = phis[n]->operands[k];
      if (phis[n] == phi && !loop.contains(phi->blocks[k])) continue;  // `before` itself
      if (v->op == Opcode::Phi && loop.contains(v)) {
        if (seen.insert(v).second) phis.push_back(v);
      } else if (v != before && !same_constant(v, before)) {
        return nullptr;
      }
    }
  return before;
}

std::string name_of(const Instr* v) { return v->var.empty() ? std::string("a value") : "'" + v->var + "'"; }

// A header phi that has one value on the first iteration and another, from before the loop
// too, on every later one (the frontend's "is s bound yet" flags): that later value, or
// null. In a block, it is the first one at iteration 0 of the whole loop only.
Instr* later_value(const Loop& loop, const Instr* phi) {
  Instr* later = nullptr;
  for (size_t k = 0; k < phi->operands.size(); ++k) {
    Instr* v = phi->operands[k];
    if (!loop.contains(phi->blocks[k]) || v == phi) continue;
    if (loop.contains(v) || (later && later != v)) return nullptr;
    later = v;
  }
  return later;
}

// Whether v is a value from before the loop: defined there, or a header phi that keeps it.
bool made_before(const Loop& loop, const Instr* v) {
  return !loop.contains(v) || (v->op == Opcode::Phi && v->parent == loop.header && invariant_value(loop, v));
}

// How the source names the array an element store writes: `out` of `out[i] = x`.
std::string target_name(const Function& fn, const Instr* store) {
  const SourceLoc& at = store->loc;
  if (fn.info && at.line == at.end_line && at.col >= 0) {
    auto line = fn.info->source_lines.find(at.line);
    if (line != fn.info->source_lines.end() && size_t(at.col) < line->second.size()) {
      std::string text = line->second.substr(size_t(at.col));
      size_t n = 0;
      while (n < text.size() && (std::isalnum(static_cast<unsigned char>(text[n])) || text[n] == '_' || text[n] == '.')) ++n;
      if (n > 0 && n < text.size() && text[n] == '[') return "'" + text.substr(0, n) + "'";
    }
  }
  return name_of(store->operands[0]);
}

// Types a body may not share with the other threads: containers whose updates are not
// atomic, generators whose state is one frame.
bool shareable(const Type* t) {
  switch (t->kind()) {
    case TypeKind::List:
    case TypeKind::Dict:
    case TypeKind::Set:
    case TypeKind::Generator: return false;
    default: return true;
  }
}

// A value carried from one iteration to the next that only accumulates: `s += x`,
// `s -= x`, `s *= x`, `s = min(s, x)`, `s = max(s, x)`, `s |= x`, `s &= x`, `s ^= x` (x
// computed without s), on any path through the body. Each thread accumulates its block
// from the operation's identity; the partial results are combined with the value from
// before the loop in block order, so one thread count gives one answer.
struct Reduction {
  Instr* phi = nullptr;   // the header's phi
  Instr* init = nullptr;  // its value from before the loop
  BinOpKind kind = BinOpKind::Add;  // how partial results combine (Add for + and -)
  const Instr* min_max = nullptr;   // or: a min()/max() call of the body, the form to combine with
  size_t carried_at = 1;            // ... and the operand of that call that carries the value
  // Or `if x > s: s = x` (>=, <, <= too): the comparison, as (new value) `choose` (value so far).
  bool select = false;
  CmpKind choose = CmpKind::Gt;
  std::vector<Instr*> updates;      // the accumulating operations in the loop
};

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

using Users = std::unordered_map<const Instr*, std::vector<Instr*>>;

Users users_of(const Function& fn) {
  Users users;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands) users[o].push_back(i);
  return users;
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

// The reduction `phi` carries, or why it is none.
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

// The value a block's accumulation starts from: x op identity == x.
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
  if (t->is_float() || t->is_complex()) {
    v.kind = t->is_float() ? ConstValue::Kind::Float : ConstValue::Kind::Complex;
    v.f = highest ? INFINITY : lowest ? -INFINITY : r.kind == BinOpKind::Mul ? 1.0 : 0.0;
    return c;
  }
  v.kind = t->is_bool() ? ConstValue::Kind::Bool : ConstValue::Kind::Int;
  int bits = t->is_bool() ? 1 : t->bits();
  bool is_signed = !t->is_bool() && t->is_signed();
  if (highest) v.i = is_signed ? int64_t((~uint64_t(0)) >> (65 - bits)) : bits == 64 ? -1 : int64_t((uint64_t(1) << bits) - 1);
  else if (lowest) v.i = is_signed ? -int64_t((uint64_t(1) << (bits - 1))) : 0;
  else if (r.kind == BinOpKind::Mul) v.i = 1;
  else if (r.kind == BinOpKind::And) v.i = t->is_bool() ? 1 : -1;  // every bit set
  else v.i = 0;
  return c;
}

// An array made before the loop that the body only accumulates into (acc += a[i, :],
// acc -= x, acc *= x, all of it each time): each block accumulates into a private array
// that starts at the identity, and adds it to the shared one in block order at its end.
struct ArrayReduction {
  Instr* array = nullptr;
  BinOpKind kind = BinOpKind::Add;  // how a block's array combines (Add for + and -)
  std::string name;                 // as the source writes it
};

// The array reductions of the loop's whole-array updates, or why one is none.
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

// Why `loop` cannot run on several threads in this version, or "" when it can. The blocks
// it leaves to (besides the exhausted range) must only raise; its header only tests the
// range.
std::string why_serial(const Function& fn, const Loop& loop, std::vector<Block*>* raise_blocks,
                       std::vector<Reduction>* reductions, std::vector<Instr*>* firsts,
                       std::vector<ArrayReduction>* arrays) {
  const RangeLoop& r = *loop.range;
  if (!loop.preheader) return "its header has several entries";
  for (auto& [from, to] : loop.exit_edges) {
    if (from == loop.header && to == r.exit) continue;
    Instr* t = to->terminator();
    if (!t || t->op != Opcode::Raise) return "it is left by break or return";
    for (Block* p : to->preds)
      if (!loop.contains(p)) return "it is left by break or return";
    if (std::find(raise_blocks->begin(), raise_blocks->end(), to) == raise_blocks->end()) raise_blocks->push_back(to);
  }
  size_t phis = 0;
  for (Instr* i : loop.header->instrs)
    if (i->op == Opcode::Phi) ++phis;
  if (loop.header->instrs.size() != phis + 2 || loop.header->instrs[phis]->op != Opcode::IterValid)
    return "its header computes values";
  Users users = users_of(fn);
  for (Instr* phi : loop.header->instrs) {
    if (phi->op != Opcode::Phi || invariant_value(loop, phi) || !used_by_others(fn, phi)) continue;
    if (later_value(loop, phi)) {
      firsts->push_back(phi);
      continue;
    }
    std::string why;
    std::optional<Reduction> r = reduction_of(loop, phi, users, &why);
    if (!r) return why;
    reductions->push_back(*r);
  }
  auto inside = [&](const Block* b) {
    return loop.contains(b) || std::find(raise_blocks->begin(), raise_blocks->end(), b) != raise_blocks->end();
  };
  for (auto& b : fn.blocks) {
    if (!inside(b.get())) continue;
    for (Instr* i : b->instrs) {
      if (i->op == Opcode::Yield) return "its body yields";
      if (i->op == Opcode::Print) return "its body prints (print needs the interpreter's lock)";

      if (i == r.induction || i->op == Opcode::IterValid) continue;
      for (Instr* o : i->operands)
        if (!inside(o->parent) && !is_compile_time_value(o) && o->type && !shareable(o->type))
          return "its body uses the " + o->type->str() + " '" + (o->var.empty() ? "value" : o->var) +
                 "' made before it (a container shared between threads)";
    }
  }
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (std::find(i->operands.begin(), i->operands.end(), r.iterator) != i->operands.end() && i != r.induction &&
          i->parent != loop.header)
        return "its range's iterator is used in the body";
  return array_reductions(fn, loop, arrays);
}

// Writes that race (Numba runs them silently): an element the same in every iteration
// written on every iteration is a TypingError; written on some iterations, or updated at
// an index computed from the data (hist[k] += 1), a warning.
class RaceCheck {
 public:
  RaceCheck(const Function& fn, const Loop& loop) : fn_(fn), loop_(loop), dom_(fn) {}

  void run(std::vector<std::string>* warnings) {
    for (Block* b : loop_.blocks)
      for (Instr* i : b->instrs) {
        if (i->op != Opcode::SetItem || i->operands.size() < 3 || !made_before(loop_, i->operands[0])) continue;
        std::vector<Instr*> index(i->operands.begin() + 1, i->operands.end() - 1);
        std::string target = target_name(fn_, i);
        std::string where = "line " + std::to_string(i->loc.line) + ": ";
        std::string loop_line = std::to_string(loop_.range->induction->loc.line);
        if (std::all_of(index.begin(), index.end(), [&](Instr* x) { return invariant(x); })) {
          if (every_iteration(b))
            report(ErrorKind::Typing, fn_.info, i->loc,
                   "Every iteration of the prange loop at line " + loop_line + " writes the same element of " +
                       target + ", so its threads race to write it",
                   "index it by the loop variable, or accumulate into a scalar (x += ...), which prange reduces");
          warnings->push_back(where + "some iterations of the prange loop at line " + loop_line +
                              " write the same element of " + target +
                              ": threads may race to write it (index it by the loop variable, or use a reduction)");
          continue;
        }
        bool data_index = std::any_of(index.begin(), index.end(), [&](Instr* x) { return reads_memory(x); });
        if (data_index && reads_same_element(i->operands.back(), i->operands[0], index))
          warnings->push_back(where + "the prange loop at line " + loop_line + " updates " + target +
                              " at an index computed from the data: two threads may update one element at once "
                              "(a race); give each thread its own row (" + target.substr(1, target.size() - 2) +
                              "[dunnart.get_thread_id(), k] += ...) and sum the rows after the loop");
      }
  }

 private:
  // Whether v is the same in every iteration: made before the loop, or computed in it
  // from such values by operations without effects.
  bool invariant(const Instr* v) {
    if (!loop_.contains(v)) return true;
    auto c = invariant_.find(v);
    if (c != invariant_.end()) return c->second;
    invariant_[v] = false;  // phis: not
    bool pure = false;
    switch (v->op) {
      case Opcode::Const: case Opcode::Global: case Opcode::BinOp: case Opcode::UnaryOp: case Opcode::Compare:
      case Opcode::Cast: case Opcode::BuildTuple: case Opcode::TupleGet: case Opcode::GetAttr: pure = true; break;
      case Opcode::Call: pure = v->intrinsic == Intrinsic::Slice; break;
      default: break;
    }
    bool r = pure && std::all_of(v->operands.begin(), v->operands.end(), [&](Instr* o) { return invariant(o); });
    return invariant_[v] = r;
  }
  // Whether v depends (in the loop) on a value read from memory.
  bool reads_memory(const Instr* v, int depth = 0) {
    if (!loop_.contains(v) || depth > 32) return false;
    if (v->op == Opcode::GetItem || v->op == Opcode::Load || (v->op == Opcode::Call && v->intrinsic == Intrinsic::CallJitted))
      return true;
    if (v->op == Opcode::Phi || v->op == Opcode::IterNext) return false;
    return std::any_of(v->operands.begin(), v->operands.end(), [&](Instr* o) { return reads_memory(o, depth + 1); });
  }
  // Whether the stored value v is computed from array[index] (a read-modify-write).
  bool reads_same_element(const Instr* v, const Instr* array, const std::vector<Instr*>& index, int depth = 0) {
    if (!loop_.contains(v) || depth > 32 || v->op == Opcode::Phi) return false;
    if (v->op == Opcode::GetItem && v->operands[0] == array &&
        std::vector<Instr*>(v->operands.begin() + 1, v->operands.end()) == index)
      return true;
    return std::any_of(v->operands.begin(), v->operands.end(),
                       [&](Instr* o) { return reads_same_element(o, array, index, depth + 1); });
  }
  bool every_iteration(const Block* b) const {
    return std::all_of(loop_.latches.begin(), loop_.latches.end(), [&](Block* l) { return dom_.dominates(b, l); });
  }

  const Function& fn_;
  const Loop& loop_;
  DominatorTree dom_;
  std::unordered_map<const Instr*, bool> invariant_;
};

// Builds body(lo, hi, inputs...) from the loop's blocks: iterations lo .. hi-1, the
// induction variable start + k * step.
class BodyOutliner {
 public:
  // partials[k]: where reduction k's block results go (the caller's stack), by block.
  BodyOutliner(Function& fn, const Loop& loop, const std::vector<Block*>& raise_blocks,
               const std::vector<Reduction>& reductions, const std::vector<Instr*>& partials,
               const std::vector<Instr*>& firsts, const std::vector<ArrayReduction>& arrays)
      : fn_(fn), loop_(loop), raise_blocks_(raise_blocks), reductions_(reductions), partials_(partials),
        firsts_(firsts), arrays_(arrays) {}

  std::unique_ptr<Function> build(const std::string& name) {
    auto out = std::make_unique<Function>(name, fn_.info);
    out->return_type = t_none();
    out_ = out.get();
    entry_ = out->new_block();
    SourceLoc loc = loop_.range->induction->loc;
    for (const char* bound : {"lo", "hi", "block"}) {
      Instr* a = out->append(entry_, Opcode::Arg, {}, loc);
      a->arg_index = int(out->args.size());
      a->type = t_int64();
      a->var = std::string("prange.") + bound;
      out->args.push_back(a);
    }
    Block* head = out->new_block();
    Block* latch = out->new_block();
    Block* done = out->new_block();
    // Each array reduction: the shared array (an argument) and the block's own, of its
    // shape, from the identity, which the body's updates go to.
    std::vector<std::pair<Instr*, Instr*>> shared_private;
    for (const ArrayReduction& a : arrays_) {
      Instr* shared = out->create(Opcode::Arg, {}, a.array->loc);
      shared->parent = entry_;
      entry_->instrs.insert(entry_->instrs.begin() + long(out->args.size()), shared);
      shared->arg_index = int(out->args.size());
      shared->type = a.array->type;
      shared->var = a.array->var;
      out->args.push_back(shared);
      inputs_.push_back(a.array);
      IRBuilder eb(*out, entry_, a.array->loc);
      const char* fill = a.kind == BinOpKind::Mul ? "numpy.ones" : "numpy.zeros";
      Instr* callee = eb.library_function(fill);
      Instr* own = eb.emit(Opcode::Call, {callee, shared},
                           t_array(a.array->type->dtype(), a.array->type->ndim(), Layout::C));
      own->intrinsic = Intrinsic::ArrayAlloc;
      own->fill = a.kind == BinOpKind::Mul ? ArrayFill::Ones : ArrayFill::Zeros;
      copies_[a.array] = own;
      shared_private.emplace_back(shared, own);
    }

    // The loop's blocks (but its header) and the raise blocks it leaves to.
    std::vector<Block*> originals;
    for (Block* b : loop_.blocks)
      if (b != loop_.header) originals.push_back(b);
    originals.insert(originals.end(), raise_blocks_.begin(), raise_blocks_.end());
    for (Block* b : originals) blocks_[b] = out->new_block();
    for (Block* b : originals)
      for (Instr* i : b->instrs)
        if (i != loop_.range->induction) copies_[i] = out->clone(i);

    // head: k = phi [entry: lo], [latch: k + 1]; i = start + k * step.
    IRBuilder hb(*out, head, loc);
    Instr* k = out->append(head, Opcode::Phi, {}, loc);
    k->type = t_int64();
    k->var = "prange.k";
    const Instr* range = loop_.range->range;
    size_t given = range->operands.size() - 1;
    auto bound = [&](size_t at) { return hb.cast(value(range->operands[1 + at]), t_int64()); };
    Instr* start = given == 1 ? hb.int64(0) : bound(0);
    Instr* step = given == 3 ? bound(2) : hb.int64(1);
    Instr* induction = hb.cast(hb.binop(BinOpKind::Add, start, hb.binop(BinOpKind::Mul, k, step)),
                               loop_.range->induction->type);
    copies_[loop_.range->induction] = induction;
    for (Instr* phi : firsts_) {
      copies_[phi] = hb.select(hb.cmp(CmpKind::Eq, k, hb.int64(0)), value(entry_value(loop_, phi)),
                               value(later_value(loop_, phi)));
    }
    hb.br(blocks_.at(loop_.range->body));
    // Each reduction: in the block, from its identity (head), its value after an
    // iteration (latch), stored for the caller at the end.
    std::vector<Instr*> after_iteration;
    for (const Reduction& r : reductions_) {
      Instr* id = identity(*out, r, loc);
      id->parent = entry_;
      entry_->instrs.push_back(id);
      Instr* acc = out->create(Opcode::Phi, {}, r.phi->loc);
      acc->type = r.phi->type;
      acc->var = r.phi->var;
      acc->parent = head;
      head->instrs.insert(head->instrs.begin(), acc);
      copies_[r.phi] = acc;
      Instr* after = out->append(latch, Opcode::Phi, {}, r.phi->loc);
      after->type = r.phi->type;
      after->var = r.phi->var;
      acc->operands = {id, after};
      acc->blocks = {entry_, latch};
      after_iteration.push_back(after);
      for (Instr* u : r.updates)
        if (u->op == Opcode::BinOp && u->type->is_float()) reassociable_.insert(u);
    }

    for (Block* b : originals) {
      Block* c = blocks_.at(b);
      auto u = blocks_.find(b->unwind);
      c->unwind = u == blocks_.end() ? nullptr : u->second;
      for (Instr* i : b->instrs) {
        if (i == loop_.range->induction) continue;
        Instr* ci = copies_.at(i);
        for (Instr*& o : ci->operands) o = value(o);
        // A parallel reduction's order is the schedule's: LLVM may vectorise it too.
        if (reassociable_.count(i)) ci->reassoc = true;
        for (size_t t = 0; t < ci->blocks.size(); ++t) {
          Block* target = ci->blocks[t];
          if (target == loop_.header) ci->blocks[t] = ci->op == Opcode::Phi ? head : latch;
          else ci->blocks[t] = blocks_.at(target);
        }
        ci->parent = c;
        c->instrs.push_back(ci);
      }
    }

    // What reaches the latch: each reduction's value at the end of each path (the
    // original header's incoming values from the loop).
    for (size_t n = 0; n < reductions_.size(); ++n) {
      const Instr* phi = reductions_[n].phi;
      for (size_t e = 0; e < phi->operands.size(); ++e)
        if (loop_.contains(phi->blocks[e])) {
          after_iteration[n]->operands.push_back(value(phi->operands[e]));
          after_iteration[n]->blocks.push_back(blocks_.at(phi->blocks[e]));
        }
    }
    IRBuilder lb(*out, latch, loc);
    Instr* next = lb.binop(BinOpKind::Add, k, lb.int64(1), true);
    lb.condbr(lb.cmp(CmpKind::Lt, next, out->args[1]), head, done);
    k->operands = {out->args[0], next};
    k->blocks = {entry_, latch};
    IRBuilder db(*out, done, loc);
    for (size_t n = 0; n < reductions_.size(); ++n)
      db.store(db.element_ptr(value(partials_[n]), out->args[2]), after_iteration[n]);
    if (!shared_private.empty()) {
      // shared op= own, each block in its turn (block order: one answer per thread count);
      // none when a block raised.
      Instr* wait = db.call_runtime("dn_parallel_wait_turn", {out->args[2]}, t_int(32));
      Block* combine = db.new_block();
      Block* end = db.new_block();
      db.condbr(db.cmp(CmpKind::Eq, wait, db.convert(db.int64(0), t_int(32))), combine, end);
      db.set_block(combine);
      for (size_t n = 0; n < arrays_.size(); ++n) {
        auto [shared, own] = shared_private[n];
        Instr* sum = db.emit(Opcode::BinOp, {shared, own}, t_array(shared->type->dtype(), shared->type->ndim(), Layout::C));
        sum->binop = arrays_[n].kind;
        Instr* store = db.emit(Opcode::SetItem, {shared, sum}, nullptr);
        sum->fused_into = store;
      }
      db.call_runtime("dn_parallel_end_turn", {out->args[2]}, nullptr);
      db.br(end);
      db.set_block(end);
    }
    Instr* none = db.emit(Opcode::Const, {}, t_none());
    db.emit(Opcode::Return, {none}, nullptr);

    Instr* to_head = out->create(Opcode::Br, {}, loc);
    to_head->blocks = {head};
    out->insert_before_terminator(entry_, to_head);
    out->recompute_preds();
    out->sort_blocks_rpo();
    return out;
  }

  const std::vector<Instr*>& inputs() const { return inputs_; }

 private:
  // What a value of the loop is in the body: its copy, a copy of a compile-time value, or
  // an argument.
  Instr* value(Instr* v) {
    auto c = copies_.find(v);
    if (c != copies_.end()) return c->second;  // reductions' phis too
    if (v->op == Opcode::Phi && v->parent == loop_.header) {
      v = invariant_value(loop_, v);  // why_serial: not null
      c = copies_.find(v);
      if (c != copies_.end()) return c->second;
    }
    Instr* in;
    if (is_compile_time_value(v)) {
      in = out_->clone(v);
      for (Instr*& o : in->operands) o = value(o);
    } else {
      in = out_->create(Opcode::Arg, {}, v->loc);
      in->arg_index = int(out_->args.size());
      in->type = v->type;
      in->var = v->var;
      out_->args.push_back(in);
      inputs_.push_back(v);
    }
    in->parent = entry_;
    if (in->op == Opcode::Arg)  // arguments come first, in order
      entry_->instrs.insert(entry_->instrs.begin() + long(out_->args.size()) - 1, in);
    else
      entry_->instrs.push_back(in);
    copies_[v] = in;
    return in;
  }

  Function& fn_;
  const Loop& loop_;
  const std::vector<Block*>& raise_blocks_;
  const std::vector<Reduction>& reductions_;
  const std::vector<Instr*>& partials_;
  const std::vector<Instr*>& firsts_;
  const std::vector<ArrayReduction>& arrays_;
  std::unordered_set<const Instr*> reassociable_;
  Function* out_ = nullptr;
  Block* entry_ = nullptr;
  std::unordered_map<const Block*, Block*> blocks_;
  std::unordered_map<const Instr*, Instr*> copies_;
  std::vector<Instr*> inputs_;
};

// In fn: the loop becomes parallel_for(trip count, inputs...) in its preheader, which then
// goes on to the loop's exit.
// Whether a range loop gives the same result in any order of its iterations, with nothing
// for the user to promise: it writes no memory, calls nothing that could, raises nothing
// (an error would come from another iteration first), and what it carries is reductions
// (checked by why_serial). Such a loop (a max, a count, a sum of a function of the
// elements) runs in parallel like a prange; beyond Numba, which runs only prange so.
bool order_free(const Loop& loop, const std::vector<Block*>& raise_blocks, const ParallelLoopOptions& options) {
  if (!raise_blocks.empty() || loop.exits.size() != 1 || loop.exits[0]->preds.size() != 1) return false;
  auto scalar = [](const Instr* v) { return v->type && v->type->is_scalar(); };
  for (Block* b : loop.blocks)
    for (Instr* i : b->instrs) {
      switch (i->op) {
        case Opcode::Phi: case Opcode::Const: case Opcode::Global: case Opcode::GetAttr: case Opcode::TupleGet:
        case Opcode::BuildTuple: case Opcode::UnaryOp: case Opcode::Truth: case Opcode::Br: case Opcode::CondBr:
        case Opcode::GetIter: case Opcode::IterValid: case Opcode::IterNext:
          continue;
        case Opcode::Compare:
          if (!scalar(i->operands[0]) || !scalar(i->operands[1])) return false;
          continue;
        case Opcode::CheckBound: {  // raises UnboundLocalError unless bound before the loop
          const Instr* flag = i->operands[0];
          if (flag->op == Opcode::Phi && flag->parent == loop.header) flag = invariant_value(loop, flag);
          if (!flag || flag->op != Opcode::Const || flag->cval.i == 0) return false;
          continue;
        }
        case Opcode::Cast:
          if (i->explicit_cast) return false;  // int(x) raises for NaN
          continue;
        case Opcode::BinOp:
          if (!scalar(i) || i->binop == BinOpKind::TrueDiv || i->binop == BinOpKind::FloorDiv ||
              i->binop == BinOpKind::Mod || i->binop == BinOpKind::Pow || i->binop == BinOpKind::LShift ||
              i->binop == BinOpKind::RShift)
            return false;  // ZeroDivisionError, negative shifts
          continue;
        case Opcode::GetItem:
          if (options.boundscheck || i->operands[0]->type->kind() != TypeKind::Array || !scalar(i)) return false;
          for (size_t k = 1; k < i->operands.size(); ++k)
            if (!i->operands[k]->type->is_int()) return false;
          continue;
        case Opcode::Call: {
          if (i->intrinsic == Intrinsic::Min || i->intrinsic == Intrinsic::Max || i->intrinsic == Intrinsic::Abs ||
              i->intrinsic == Intrinsic::IsNan || i->intrinsic == Intrinsic::IsInf || i->intrinsic == Intrinsic::IsFinite) {
            if (!scalar(i)) return false;
            continue;
          }
          const Type* callee = i->operands[0]->type;  // np.exp or a from-imported exp: Function(numpy.exp)
          bool numpy = callee && callee->kind() == TypeKind::Function && callee->name().rfind("numpy.", 0) == 0;
          if (i->intrinsic == Intrinsic::MathFunc && numpy && scalar(i)) continue;  // NumPy's never raise
          if (i->intrinsic == Intrinsic::Range && i->operands.size() < 4) continue;  // no step to be zero
          return false;
        }
        default: return false;
      }
    }
  return true;
}

// In fn: parallel_for(trip count, inputs...) in the loop's preheader, which then goes on to
// the loop's exit. With serial_below, a trip count under it runs the loop as it was.
void replace_loop(Function& fn, const Loop& loop, const Function& body, const std::vector<Instr*>& inputs,
                  const std::vector<Reduction>& reductions, const std::vector<Instr*>& partials,
                  const std::vector<Instr*>& firsts, int64_t serial_below) {
  const RangeLoop& r = *loop.range;
  for (Instr* phi : loop.header->instrs)
    if (phi->op == Opcode::Phi)
      if (Instr* v = invariant_value(loop, phi)) fn.replace_all_uses(phi, v);
  Block* pre = loop.preheader;
  SourceLoc loc = r.induction->loc;
  fn.erase(pre->terminator());
  IRBuilder b(fn, pre, loc);
  auto [start, stop, step] = range_parts(b, r.range);
  if (!r.constant_step) b.raise_if(b.cmp(CmpKind::Eq, step, b.int64(0)), DN_VALUE_ERROR, "range() arg 3 must not be zero");
  std::vector<Instr*> operands{b.range_length(start, stop, step)};
  operands.insert(operands.end(), inputs.begin(), inputs.end());
  Block* serial_from = nullptr;  // where the loop as it was is entered from
  if (serial_below > 0) {
    Block* parallel = b.new_block();
    b.condbr(b.cmp(CmpKind::Lt, operands[0], b.int64(serial_below)), loop.header, parallel);
    serial_from = b.block();
    b.set_block(parallel);
  }
  Instr* blocks = b.emit(Opcode::ParallelFor, operands, t_int64());
  blocks->callee_key = body.name;
  // What the header's phis hold after the last iteration: each reduction's value from
  // before the loop combined with the blocks' results, in block order; the later values.
  std::vector<std::pair<const Instr*, Instr*>> after;
  for (size_t n = 0; n < reductions.size(); ++n) {
    const Reduction& red = reductions[n];
    after.emplace_back(red.phi, combine_partials(b, partials[n], blocks, red.init, red.phi->type, [&](Instr* so_far, Instr* part) {
      if (red.select) return b.select(b.cmp(red.choose, part, so_far), part, so_far);  // as the body chooses
      if (!red.min_max) return b.binop(red.kind, so_far, part);
      // As the body calls it, with the value so far where the body has its own.
      Instr* both = fn.clone(red.min_max);
      Instr* callee = b.append(fn.clone(red.min_max->operands[0]));  // the global min/max: in the loop
      bool carried_first = red.carried_at == 1;
      both->operands = {callee, carried_first ? so_far : part, carried_first ? part : so_far};
      return b.append(both);
    }));
  }
  for (Instr* phi : firsts)
    after.emplace_back(phi, b.select(b.cmp(CmpKind::Gt, operands[0], b.int64(0)), later_value(loop, phi),
                                     entry_value(loop, phi)));
  Block* parallel_end = b.block();
  b.br(r.exit);
  auto replace_after_loop = [&](const Instr* phi, Instr* result) {
    for (auto& block : fn.blocks)
      if (!loop.contains(block.get()))
        for (Instr* i : block->instrs)
          if (i != result)
            for (Instr*& o : i->operands)
              if (o == phi) o = result;
  };
  if (!serial_from) {
    for (auto& [phi, value] : after) replace_after_loop(phi, value);
    for (Instr* phi : r.exit->instrs)
      if (phi->op == Opcode::Phi)
        for (Block*& from : phi->blocks)
          if (from == loop.header) from = parallel_end;
    fn.remove_unreachable_blocks();
  } else {
    // Both paths reach the exit (its only predecessor was the header): it merges them.
    for (Instr* phi : loop.header->instrs)
      if (phi->op == Opcode::Phi)
        for (Block*& from : phi->blocks)
          if (from == pre) from = serial_from;
    auto on_parallel_path = [&](Instr* v) {
      for (auto& [phi, value] : after)
        if (phi == v) return value;
      return v;
    };
    for (Instr* phi : r.exit->instrs)
      if (phi->op == Opcode::Phi)
        for (size_t e = 0, n = phi->operands.size(); e < n; ++e)
          if (phi->blocks[e] == loop.header) {
            phi->operands.push_back(on_parallel_path(phi->operands[e]));
            phi->blocks.push_back(parallel_end);
          }
    for (auto& [phi, value] : after) {
      Instr* merged = fn.create(Opcode::Phi, {const_cast<Instr*>(phi), value}, phi->loc);
      merged->type = phi->type;
      merged->var = phi->var;
      merged->blocks = {loop.header, parallel_end};
      merged->parent = r.exit;
      r.exit->instrs.insert(r.exit->instrs.begin(), merged);
      replace_after_loop(phi, merged);
    }
  }
  fn.recompute_preds();
  fn.sort_blocks_rpo();
}

}  // namespace

std::vector<std::unique_ptr<Function>> outline_parallel_loops(Function& fn, const ParallelLoopOptions& options,
                                                              std::vector<std::string>* notes,
                                                              std::vector<std::string>* warnings) {
  std::vector<std::unique_ptr<Function>> made;
  std::set<int> serial;  // headers of loops that stay serial
  auto kind = [](const Loop& l) { return std::string(l.range->prange ? "prange" : "range"); };
  for (;;) {
    fn.recompute_preds();
    LoopNest nest(fn);
    const Loop* chosen = nullptr;
    std::vector<Block*> raise_blocks;
    std::vector<Reduction> reductions;
    std::vector<Instr*> firsts;
    std::vector<ArrayReduction> arrays;
    int64_t serial_below = 0;
    // Outer loops first: a loop in the body of one that runs in parallel stays serial.
    for (const auto& l : nest.loops()) {
      bool reorder = options.range_loops && l->range && !l->range->prange;
      if (!l->range || (!l->range->prange && !reorder) || serial.count(l->header->id)) continue;
      bool in_parallel = false;
      for (const Loop* p = l->parent; p; p = p->parent)
        if (p->range && !serial.count(p->header->id) && (p->range->prange || options.range_loops)) in_parallel = true;
      if (in_parallel) continue;
      raise_blocks.clear();
      reductions.clear();
      firsts.clear();
      arrays.clear();
      std::string why = why_serial(fn, *l, &raise_blocks, &reductions, &firsts, &arrays);
      if (why.empty() && reorder && !order_free(*l, raise_blocks, options))
        why = "its iterations might not give the same answer in another order (it writes memory, calls "
              "functions or may raise): write prange to run it in parallel";
      if (why.empty()) {
        chosen = l.get();
        // A range loop is worth its threads only with enough iterations.
        if (reorder) serial_below = l->children.empty() ? kParallelMinIterations : kParallelMinIterations / 64;
        break;
      }
      serial.insert(l->header->id);
      if (notes)
        notes->push_back("the " + kind(*l) + " loop at line " + std::to_string(l->range->induction->loc.line) +
                         " runs serially: " + why);
    }
    if (!chosen) break;
    std::vector<std::string> races;
    RaceCheck(fn, *chosen).run(&races);
    if (warnings) warnings->insert(warnings->end(), races.begin(), races.end());
    // Where each reduction's block results go: a slot per block on fn's stack.
    std::vector<Instr*> partials;
    for (const Reduction& r : reductions)
      partials.push_back(fn.insert_before_terminator(chosen->preheader, partial_results(fn, r.phi->type, r.phi->loc)));
    BodyOutliner o(fn, *chosen, raise_blocks, reductions, partials, firsts, arrays);
    std::unique_ptr<Function> body = o.build(fn.name + "." + kind(*chosen) + std::to_string(made.size()));
    if (notes) {
      std::string found;
      for (const Reduction& r : reductions)
        found += std::string(found.empty() ? " (reductions: " : ", ") + name_of(r.phi) + " by " +
                 (r.select ? std::string("choosing by ") + cmp_symbol(r.choose)
                  : r.min_max ? (r.min_max->intrinsic == Intrinsic::Min ? "min" : "max") : binop_symbol(r.kind));
      for (const ArrayReduction& a : arrays)
        found += std::string(found.empty() ? " (reductions: " : ", ") + "the array " + a.name + " by " +
                 binop_symbol(a.kind);
      if (!found.empty()) found += ")";
      std::string when = serial_below ? " from " + std::to_string(serial_below) + " iterations on" : "";
      notes->push_back("the " + kind(*chosen) + " loop at line " + std::to_string(chosen->range->induction->loc.line) +
                       " runs in parallel" + when + found);
      for (const auto& l : nest.loops())
        if (l.get() != chosen && chosen->contains(l.get()) && l->range && l->range->prange)
          notes->push_back("the prange loop at line " + std::to_string(l->range->induction->loc.line) +
                           " runs serially: it is inside the parallel loop at line " +
                           std::to_string(chosen->range->induction->loc.line));
    }
    if (serial_below) serial.insert(chosen->header->id);  // its serial copy, for small trip counts, stays
    replace_loop(fn, *chosen, *body, o.inputs(), reductions, partials, firsts, serial_below);
    made.push_back(std::move(body));
  }
  if (!made.empty()) remove_dead_compile_time_values(fn);
  return made;
}

}  // namespace dn
