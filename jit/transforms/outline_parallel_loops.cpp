#include "jit/transforms/outline_parallel_loops.h"

// The pass: which loops qualify (why_serial, order_free), and the loop replaced by a
// parallel_for of its outlined body (replace_loop). The pieces it is made of are in
// jit/transforms/parallel/: reductions, races, the body outliner.
#include <algorithm>
#include <optional>
#include <set>

#include "jit/analysis/loops.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/iterables.h"
#include "jit/transforms/parallel/body_outliner.h"
#include "jit/transforms/parallel/loop_values.h"
#include "jit/transforms/parallel/partials.h"
#include "jit/transforms/parallel/races.h"
#include "jit/transforms/parallel/reductions.h"
#include "jit/transforms/parallelize_array_statements.h"
#include "runtime/abi.h"

namespace dn {

using namespace parallel;

namespace {

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
    check_races(fn, *chosen, &races);
    if (warnings) warnings->insert(warnings->end(), races.begin(), races.end());
    // Where each reduction's block results go: a slot per block on fn's stack.
    std::vector<Instr*> partials;
    for (const Reduction& r : reductions)
      partials.push_back(fn.insert_before_terminator(chosen->preheader, partial_results(fn, r.phi->type, r.phi->loc)));
    OutlinedBody body = outline_body(fn, *chosen, raise_blocks, reductions, partials, firsts, arrays,
                                     fn.name + "." + kind(*chosen) + std::to_string(made.size()));
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
    replace_loop(fn, *chosen, *body.function, body.inputs, reductions, partials, firsts, serial_below);
    made.push_back(std::move(body.function));
  }
  if (!made.empty()) remove_dead_compile_time_values(fn);
  return made;
}

}  // namespace dn
