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

// A header phi whose value is the same in every iteration: what it has from before the
// loop, kept by every latch (a variable the body assigns on no path to the latch).
Instr* invariant_value(const Loop& loop, const Instr* phi) {
  Instr* before = nullptr;
  for (size_t k = 0; k < phi->operands.size(); ++k)
    if (!loop.contains(phi->blocks[k])) {
      if (before && before != phi->operands[k]) return nullptr;
      before = phi->operands[k];
    }
  if (!before) return nullptr;
  for (size_t k = 0; k < phi->operands.size(); ++k)
    if (loop.contains(phi->blocks[k]) && phi->operands[k] != phi && phi->operands[k] != before) return nullptr;
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
      Group g = group_of(user, chain[c]);
      size_t carried = 0;
      for (Instr* o : user->operands) carried += in_chain.count(o);
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
  if (r.updates.empty() || !r.init) {
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
  bool lowest = r.min_max && r.min_max->intrinsic == Intrinsic::Max;  // max starts from the lowest value
  bool highest = r.min_max && r.min_max->intrinsic == Intrinsic::Min;
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

// Why `loop` cannot run on several threads in this version, or "" when it can. The blocks
// it leaves to (besides the exhausted range) must only raise; its header only tests the
// range.
std::string why_serial(const Function& fn, const Loop& loop, std::vector<Block*>* raise_blocks,
                       std::vector<Reduction>* reductions, std::vector<Instr*>* firsts) {
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
      bool whole_array_update =
          (i->op == Opcode::BinOp && i->inplace && i->type && i->type->kind() == TypeKind::Array) ||
          (i->op == Opcode::SetItem && i->operands.size() == 2);
      if (whole_array_update && made_before(loop, i->operands[0]))
        return "it updates the whole of " + target_name(fn, i) +
               ", made before it, in every iteration (whole-array reductions do not run in parallel yet)";
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
  return "";
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
               const std::vector<Instr*>& firsts)
      : fn_(fn), loop_(loop), raise_blocks_(raise_blocks), reductions_(reductions), partials_(partials),
        firsts_(firsts) {}

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
    Instr* none = out->append(done, Opcode::Const, {}, loc);
    none->type = t_none();
    out->append(done, Opcode::Return, {none}, loc);

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
  std::unordered_set<const Instr*> reassociable_;
  Function* out_ = nullptr;
  Block* entry_ = nullptr;
  std::unordered_map<const Block*, Block*> blocks_;
  std::unordered_map<const Instr*, Instr*> copies_;
  std::vector<Instr*> inputs_;
};

// In fn: the loop becomes parallel_for(trip count, inputs...) in its preheader, which then
// goes on to the loop's exit.
void replace_loop(Function& fn, const Loop& loop, const Function& body, const std::vector<Instr*>& inputs,
                  const std::vector<Reduction>& reductions, const std::vector<Instr*>& partials,
                  const std::vector<Instr*>& firsts) {
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
  Instr* blocks = b.emit(Opcode::ParallelFor, operands, t_int64());
  blocks->callee_key = body.name;
  // Each reduction's result: its value from before the loop combined with the blocks'
  // results, in block order.
  std::vector<Instr*> results;
  for (size_t n = 0; n < reductions.size(); ++n) {
    const Reduction& red = reductions[n];
    results.push_back(combine_partials(b, partials[n], blocks, red.init, red.phi->type, [&](Instr* so_far, Instr* part) {
      if (!red.min_max) return b.binop(red.kind, so_far, part);
      // As the body calls it, with the value so far where the body has its own.
      Instr* both = fn.clone(red.min_max);
      Instr* callee = b.append(fn.clone(red.min_max->operands[0]));  // the global min/max: in the loop
      bool carried_first = red.carried_at == 1;
      both->operands = {callee, carried_first ? so_far : part, carried_first ? part : so_far};
      return b.append(both);
    }));
  }
  // After the loop, uses of its header's phis see their values after the last iteration.
  auto replace_after_loop = [&](const Instr* phi, Instr* result) {
    for (auto& block : fn.blocks)
      if (!loop.contains(block.get()))
        for (Instr* i : block->instrs)
          for (Instr*& o : i->operands)
            if (o == phi) o = result;
  };
  for (size_t n = 0; n < reductions.size(); ++n) replace_after_loop(reductions[n].phi, results[n]);
  for (Instr* phi : firsts)
    replace_after_loop(phi, b.select(b.cmp(CmpKind::Gt, operands[0], b.int64(0)), later_value(loop, phi),
                                     entry_value(loop, phi)));
  b.br(r.exit);
  for (Instr* phi : r.exit->instrs)
    if (phi->op == Opcode::Phi)
      for (Block*& from : phi->blocks)
        if (from == loop.header) from = b.block();
  fn.remove_unreachable_blocks();
  fn.recompute_preds();
  fn.sort_blocks_rpo();
}

}  // namespace

std::vector<std::unique_ptr<Function>> outline_parallel_loops(Function& fn, std::vector<std::string>* notes,
                                                              std::vector<std::string>* warnings) {
  std::vector<std::unique_ptr<Function>> made;
  std::set<int> serial;  // headers of prange loops that stay serial
  for (;;) {
    fn.recompute_preds();
    LoopNest nest(fn);
    const Loop* chosen = nullptr;
    std::vector<Block*> raise_blocks;
    std::vector<Reduction> reductions;
    std::vector<Instr*> firsts;
    // Outer loops first: a prange in the body of one that runs in parallel stays serial.
    for (const auto& l : nest.loops()) {
      if (!l->range || !l->range->prange || serial.count(l->header->id)) continue;
      bool in_parallel = false;
      for (const Loop* p = l->parent; p; p = p->parent)
        if (p->range && p->range->prange && !serial.count(p->header->id)) in_parallel = true;
      if (in_parallel) continue;
      raise_blocks.clear();
      reductions.clear();
      firsts.clear();
      std::string why = why_serial(fn, *l, &raise_blocks, &reductions, &firsts);
      if (why.empty()) {
        chosen = l.get();
        break;
      }
      serial.insert(l->header->id);
      if (notes)
        notes->push_back("the prange loop at line " + std::to_string(l->range->induction->loc.line) +
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
    BodyOutliner o(fn, *chosen, raise_blocks, reductions, partials, firsts);
    std::unique_ptr<Function> body = o.build(fn.name + ".prange" + std::to_string(made.size()));
    if (notes) {
      std::string found;
      for (const Reduction& r : reductions)
        found += std::string(found.empty() ? " (reductions: " : ", ") + name_of(r.phi) + " by " +
                 (r.min_max ? (r.min_max->intrinsic == Intrinsic::Min ? "min" : "max") : binop_symbol(r.kind));
      if (!found.empty()) found += ")";
      notes->push_back("the prange loop at line " + std::to_string(chosen->range->induction->loc.line) +
                       " runs in parallel" + found);
      for (const auto& l : nest.loops())
        if (l.get() != chosen && chosen->contains(l.get()) && l->range && l->range->prange)
          notes->push_back("the prange loop at line " + std::to_string(l->range->induction->loc.line) +
                           " runs serially: it is inside the parallel loop at line " +
                           std::to_string(chosen->range->induction->loc.line));
    }
    replace_loop(fn, *chosen, *body, o.inputs(), reductions, partials, firsts);
    made.push_back(std::move(body));
  }
  if (!made.empty()) remove_dead_compile_time_values(fn);
  return made;
}

}  // namespace dn
