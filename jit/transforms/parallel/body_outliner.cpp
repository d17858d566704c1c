#include "jit/transforms/parallel/body_outliner.h"

#include <unordered_map>
#include <unordered_set>

#include "jit/frontend/function_info.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/parallel/loop_values.h"

namespace dn::parallel {

namespace {

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

}  // namespace

OutlinedBody outline_body(Function& fn, const Loop& loop, const std::vector<Block*>& raise_blocks,
                          const std::vector<Reduction>& reductions, const std::vector<Instr*>& partials,
                          const std::vector<Instr*>& firsts, const std::vector<ArrayReduction>& arrays,
                          const std::string& name) {
  BodyOutliner o(fn, loop, raise_blocks, reductions, partials, firsts, arrays);
  std::unique_ptr<Function> body = o.build(name);
  return {std::move(body), o.inputs()};
}

}  // namespace dn::parallel
