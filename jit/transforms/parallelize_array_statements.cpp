#include "jit/transforms/parallelize_array_statements.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "jit/transforms/array_loops.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/parallel/partials.h"

namespace dn {

namespace {

// What a statement is: a reduction to a scalar, a new array (b = a * 2 + c), or a store of
// all of an array (out[:] = a * 2).
enum class Kind { None, Reduction, NewArray, Store };

bool full_slice(const Instr* index) { return index->type && index->type == t_slice(kSliceFull); }

Kind kind_of(const Instr* i) {
  if (i->fused_into) return Kind::None;
  if (i->op == Opcode::Call && i->intrinsic == Intrinsic::Reduce) {
    static const std::unordered_set<std::string> kinds{"sum", "prod", "min", "max", "all", "any"};
    if (i->has_axis || !kinds.count(i->func) || !i->type || !i->type->is_scalar()) return Kind::None;
    if (i->type->is_complex() && (i->func == "min" || i->func == "max")) return Kind::None;
    return Kind::Reduction;
  }
  if (is_elementwise(i) && i->type->ndim() == 1) return Kind::NewArray;
  if (i->op == Opcode::SetItem && i->operands.size() == 3 && full_slice(i->operands[1]) &&
      i->operands[0]->type->kind() == TypeKind::Array && i->operands[2]->fused_into == i)
    return Kind::Store;
  return Kind::None;
}

bool splittable(const Instr* i) {
  if (kind_of(i) == Kind::None) return false;
  std::vector<Instr*> leaves;
  ArrayLoops::collect_leaves(i, leaves);
  if (leaves.empty()) return false;
  for (const Instr* a : leaves)
    if (a->type->ndim() != 1) return false;
  return true;
}

// The statement and what is fused into it.
void statement_of(Instr* root, std::vector<Instr*>& out) {
  out.push_back(root);
  for (Instr* o : root->operands)
    if (o->fused_into == root) statement_of(o, out);
}

// body(lo, hi, block, inputs..., partials): the reduction of the slices [lo, hi) of its
// arrays, stored at partials[block].
class BlockOutliner {
 public:
  BlockOutliner(Instr* root, Instr* result) : root_(root) {
    statement_of(root_, inside_);
    ArrayLoops::collect_leaves(root_, leaves_);
    if (result) leaves_.push_back(result);  // sliced like the others
  }

  // partials: where a reduction's block results go; result: the new array a NewArray
  // statement fills.
  std::unique_ptr<Function> build(const Function& fn, const std::string& name, Instr* partials, Instr* result) {
    auto out = std::make_unique<Function>(name, fn.info);
    out->return_type = t_none();
    out_ = out.get();
    entry_ = out->new_block();
    for (const char* part : {"lo", "hi", "block"}) arg(t_int64(), std::string("parallel.") + part);
    Instr* r = copy(root_);
    IRBuilder b(*out, entry_, root_->loc);
    if (partials) b.store(b.element_ptr(input(partials), out->args[2]), r);
    if (result) {  // result[lo:hi][:] = the expression on the slices
      Instr* view = input(result);
      Instr* none = b.emit(Opcode::Const, {}, t_none());
      Instr* callee = b.library_function("builtins.slice");
      Instr* all = b.emit(Opcode::Call, {callee, none, none}, t_slice(kSliceFull));
      all->intrinsic = Intrinsic::Slice;
      Instr* store = b.emit(Opcode::SetItem, {view, all, r}, nullptr);
      r->fused_into = store;
    }
    Instr* none = b.emit(Opcode::Const, {}, t_none());
    b.emit(Opcode::Return, {none}, nullptr);
    for (auto& [orig, c] : copies_)
      if (orig->fused_into) c->fused_into = copies_.at(orig->fused_into);
    return out;
  }

  const std::vector<Instr*>& inputs() const { return inputs_; }
  const std::vector<Instr*>& leaves() const { return leaves_; }
  const std::vector<Instr*>& statement() const { return inside_; }

 private:
  Instr* arg(const Type* t, const std::string& var) {
    Instr* a = out_->create(Opcode::Arg, {}, root_->loc);
    a->parent = entry_;
    entry_->instrs.insert(entry_->instrs.begin() + long(out_->args.size()), a);  // arguments come first
    a->arg_index = int(out_->args.size());
    a->type = t;
    a->var = var;
    out_->args.push_back(a);
    return a;
  }

  // A value from outside the statement: an argument; a leaf array, its slice [lo, hi).
  Instr* input(Instr* v) {
    auto c = copies_.find(v);
    if (c != copies_.end()) return c->second;
    Instr* a = arg(v->type, v->var);
    inputs_.push_back(v);
    Instr* in = a;
    if (std::find(leaves_.begin(), leaves_.end(), v) != leaves_.end()) {
      IRBuilder b(*out_, entry_, root_->loc);
      Instr* callee = b.library_function("builtins.slice");
      Instr* s = b.emit(Opcode::Call, {callee, out_->args[0], out_->args[1]}, t_slice(kSliceUnitStep));
      s->intrinsic = Intrinsic::Slice;
      in = b.emit(Opcode::GetItem, {a, s}, v->type);  // a[lo:hi]: the same layout
    }
    copies_[v] = in;
    return in;
  }

  Instr* copy(Instr* i) {
    auto it = copies_.find(i);
    if (it != copies_.end()) return it->second;
    if (std::find(inside_.begin(), inside_.end(), i) == inside_.end()) {
      if (is_compile_time_value(i)) {
        Instr* c = out_->clone(i);
        for (Instr*& o : c->operands) o = copy(o);
        c->parent = entry_;
        entry_->instrs.push_back(c);
        return copies_[i] = c;
      }
      return input(i);
    }
    Instr* c = out_->clone(i);
    for (Instr*& o : c->operands) o = copy(o);
    c->parent = entry_;
    entry_->instrs.push_back(c);
    return copies_[i] = c;
  }

  Instr* root_;
  Function* out_ = nullptr;
  Block* entry_ = nullptr;
  std::vector<Instr*> inside_, leaves_, inputs_;
  std::unordered_map<const Instr*, Instr*> copies_;
};

// How two blocks' results combine: as the reduction combines two elements.
Instr* combine(IRBuilder& b, const std::string& kind, Instr* x, Instr* y, const Type* t) {
  if (kind == "sum") return b.binop(BinOpKind::Add, x, y);
  if (kind == "prod") return b.binop(BinOpKind::Mul, x, y);
  if (kind == "all") return b.binop(BinOpKind::And, x, y);
  if (kind == "any") return b.binop(BinOpKind::Or, x, y);
  ArrayLoops loops(b);  // NumPy's minimum/maximum: NaN wins, as in the blocks
  return loops.scalar_call(Intrinsic::MathFunc, kind == "min" ? "minimum" : "maximum", {x, y}, t);
}

}  // namespace

std::vector<std::unique_ptr<Function>> parallelize_array_statements(Function& fn, std::vector<std::string>* notes) {
  std::vector<Instr*> roots;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (splittable(i)) roots.push_back(i);
  std::vector<std::unique_ptr<Function>> made;
  for (Instr* root : roots) {
    Kind kind = kind_of(root);
    // A new array: made here (C order, the expression's dtype), filled by the blocks.
    Instr* result = nullptr;
    if (kind == Kind::NewArray) {
      result = fn.create(Opcode::Call, {}, root->loc);  // np.empty(n): its operands below
      result->type = t_array(root->type->dtype(), 1, Layout::C);
      result->intrinsic = Intrinsic::ArrayAlloc;
      result->fill = ArrayFill::Empty;
    }
    BlockOutliner o(root, result);
    Block* at = root->parent;
    // The statement in its block's order (what is fused into it first); all of it in one block.
    // With it go the compile-time values made of it (the bound method of a.sum()).
    // Those that later code uses too (e.sum's bound method of e = np.exp(x)) go after it.
    std::unordered_set<Instr*> members(o.statement().begin(), o.statement().end());
    std::vector<Instr*> order, after;
    size_t found = 0;
    for (Instr* i : at->instrs) {
      bool member = members.count(i) != 0;
      found += member;
      if (!member && is_compile_time_value(i) &&
          std::any_of(i->operands.begin(), i->operands.end(), [&](Instr* x) { return members.count(x) != 0; })) {
        bool only_the_statement = true;
        for (auto& blk : fn.blocks)
          for (Instr* u : blk->instrs)
            if (!members.count(u) && std::find(u->operands.begin(), u->operands.end(), i) != u->operands.end())
              only_the_statement = false;
        if (only_the_statement) {
          members.insert(i);
          member = true;
        } else {
          after.push_back(i);
        }
      }
      if (member) order.push_back(i);
    }
    if (found != o.statement().size()) continue;
    Instr* partials = kind == Kind::Reduction ? partial_results(fn, root->type, root->loc) : nullptr;
    std::unique_ptr<Function> body = o.build(fn, fn.name + ".blocks" + std::to_string(made.size()), partials, result);

    // before:  ... statement ...             after:  ... n = len(a); ok = n >= min && lengths agree
    //                                                condbr ok, parallel, serial
    //                                        parallel: blocks = parallel_for ...; combined
    //                                        serial:   statement
    //                                        rest:     r = phi [parallel: combined], [serial: statement]
    Block* rest = fn.split_after(root);
    for (Instr* i : order) fn.erase(i);
    for (auto it = after.rbegin(); it != after.rend(); ++it) {
      fn.erase(*it);
      (*it)->parent = rest;
      rest->instrs.insert(rest->instrs.begin(), *it);
    }
    IRBuilder b(fn, at, root->loc);
    std::vector<Instr*> arrays = o.leaves();
    if (result) arrays.pop_back();  // made only on the parallel path
    Instr* n = b.dim(arrays[0], 0);
    Instr* ok = b.cmp(CmpKind::Ge, n, b.int64(kParallelMinElements));
    for (size_t k = 1; k < arrays.size(); ++k)
      ok = b.binop(BinOpKind::And, ok, b.cmp(CmpKind::Eq, b.dim(arrays[k], 0), n));
    // A store into memory that another operand reads (a[1:] = a[:-1]) needs the serial
    // code's copy first: its blocks would read what others write.
    if (kind == Kind::Store)
      for (size_t k = 0; k < arrays.size(); ++k)
        if (arrays[k] != root->operands[0])
          ok = b.binop(BinOpKind::And, ok,
                       b.logical_not(b.emit(Opcode::Overlaps, {root->operands[0], arrays[k]}, t_bool())));
    Block* parallel = b.new_block();
    Block* serial = b.new_block();
    b.condbr(ok, parallel, serial);

    b.set_block(parallel);
    if (result) {
      result->operands = {b.library_function("numpy.empty"), n};
      b.append(result);
    }
    if (partials) b.append(partials);
    std::vector<Instr*> operands{n};
    operands.insert(operands.end(), o.inputs().begin(), o.inputs().end());
    Instr* blocks = b.emit(Opcode::ParallelFor, operands, t_int64());
    blocks->callee_key = body->name;
    Instr* combined = result;
    if (partials)
      combined = combine_partials(b, partials, blocks, nullptr, root->type, [&](Instr* x, Instr* y) {
        return combine(b, root->func, x, y, root->type);
      });
    b.br(rest);
    Block* parallel_end = b.block();

    // The statement as it was.
    for (Instr* i : order) {
      i->parent = serial;
      serial->instrs.push_back(i);
    }
    b.set_block(serial);
    b.br(rest);

    if (combined) {
      Instr* phi = fn.create(Opcode::Phi, {combined, root}, root->loc);
      phi->type = root->type;
      phi->blocks = {parallel_end, serial};
      for (auto& blk : fn.blocks)
        for (Instr* i : blk->instrs)
          if (i != phi && i->parent != serial && i->parent != parallel_end)
            for (Instr*& op : i->operands)
              if (op == root) op = phi;
      phi->parent = rest;
      rest->instrs.insert(rest->instrs.begin(), phi);
    }
    made.push_back(std::move(body));
    if (notes) {
      std::string what = kind == Kind::Reduction ? "the " + root->func + "()"
                         : kind == Kind::Store  ? "the store into all of an array"
                                                : "the array expression";
      notes->push_back(what + " at line " + std::to_string(root->loc.line) + " runs in parallel on arrays of " +
                       std::to_string(kParallelMinElements) + " elements or more");
    }
  }
  if (!made.empty()) {
    fn.recompute_preds();
    fn.sort_blocks_rpo();
  }
  return made;
}

}  // namespace dn
