#include "jit/transforms/parallelize_array_statements.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "jit/transforms/array_loops.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/parallel/partials.h"

namespace dn {

namespace {

// What a statement is: a reduction to a scalar, a new array (b = a * 2 + c), a store of
// all of an array (out[:] = a * 2), or a reduction along an axis other than the first
// (X.sum(axis=1), each row its own: the blocks' rows of the result).
enum class Kind { None, Reduction, NewArray, Store, RowReduction };

bool full_slice(const Instr* index) { return index->type && index->type == t_slice(kSliceFull); }

// The axis of X.sum(axis=k) and the like, counted from 0 (negative ones from the end), or -1
// when not a constant in range.
int reduced_axis(const Instr* i) {
  const Instr* axis = i->operands.size() > 2 ? i->operands[2] : nullptr;
  if (!axis || axis->op != Opcode::Const || !axis->type->is_int() || axis->cval.kind != ConstValue::Kind::Int) return -1;
  const int64_t nd = i->operands[1]->type->ndim();
  const int64_t k = axis->cval.i < 0 ? axis->cval.i + nd : axis->cval.i;
  return k >= 0 && k < nd ? int(k) : -1;
}

Kind kind_of(const Instr* i) {
  if (i->fused_into) return Kind::None;
  if (i->op == Opcode::Call && i->intrinsic == Intrinsic::Reduce && i->has_axis) {
    bool rows = i->type && i->type->kind() == TypeKind::Array && i->operands[1]->type->kind() == TypeKind::Array &&
                i->type->ndim() == i->operands[1]->type->ndim() - 1 && reduced_axis(i) >= 1;
    return rows ? Kind::RowReduction : Kind::None;
  }
  if (i->op == Opcode::Call && i->intrinsic == Intrinsic::Reduce) {
    static const std::unordered_set<std::string> kinds{"sum", "prod", "min", "max", "all", "any"};
    if (i->has_axis || !kinds.count(i->func) || !i->type || !i->type->is_scalar()) return Kind::None;
    if (i->type->is_complex() && (i->func == "min" || i->func == "max")) return Kind::None;
    return Kind::Reduction;
  }
  if (is_elementwise(i) && i->type->ndim() >= 1) return Kind::NewArray;
  if (i->op == Opcode::SetItem && i->operands.size() == 3 && full_slice(i->operands[1]) &&
      i->operands[0]->type->kind() == TypeKind::Array && i->operands[2]->fused_into == i)
    return Kind::Store;
  return Kind::None;
}

// The most dimensions among a statement's arrays: those that have them are split by rows
// (the first axis), the others (broadcast along it: a row vector) are read whole.
int rows_ndim(const std::vector<Instr*>& leaves) {
  int nd = 0;
  for (const Instr* a : leaves) nd = std::max(nd, a->type->ndim());
  return nd;
}

bool splittable(const Instr* i) {
  Kind kind = kind_of(i);
  if (kind == Kind::None) return false;
  std::vector<Instr*> leaves;
  ArrayLoops::collect_leaves(i, leaves);
  if (leaves.empty() || rows_ndim(leaves) < 1) return false;
  // A store splits its target's rows: it has the most dimensions.
  return kind != Kind::Store || i->operands[0]->type->ndim() == rows_ndim(leaves);
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
    rows_ndim_ = rows_ndim(leaves_);
    if (result) leaves_.push_back(result);  // sliced like the others
    result_ = result;
  }

  // partials: where a reduction's block results go; result: the new array a NewArray
  // statement fills.
  std::unique_ptr<Function> build(const Function& fn, const std::string& name, Instr* partials, Instr* result) {
    auto out = std::make_unique<Function>(name, fn.info);
    out->return_type = t_none();
    out_ = out.get();
    entry_ = out->new_block();
    for (const char* part : {"lo", "hi", "block"}) arg(t_int64(), std::string("parallel.") + part);
    // The blocks count chunks of `grain` rows: rows lo * grain up to min(hi * grain, rows).
    Instr* rows = arg(t_int64(), "parallel.rows");
    Instr* grain = arg(t_int64(), "parallel.grain");
    {
      IRBuilder b(*out, entry_, root_->loc);
      lo_ = b.binop(BinOpKind::Mul, out->args[0], grain, true);
      Instr* hi = b.binop(BinOpKind::Mul, out->args[1], grain, true);
      hi_ = b.select(b.cmp(CmpKind::Lt, hi, rows), hi, rows);
    }
    Instr* r = copy(root_);
    IRBuilder b(*out, entry_, root_->loc);
    if (partials) b.store(b.element_ptr(input(partials), out->args[2]), r);
    if (result) {  // result[lo:hi][:] = the expression (or the rows' reduction) on the slices
      Instr* view = input(result);
      Instr* none = b.emit(Opcode::Const, {}, t_none());
      Instr* callee = b.library_function("builtins.slice");
      Instr* all = b.emit(Opcode::Call, {callee, none, none}, t_slice(kSliceFull));
      all->intrinsic = Intrinsic::Slice;
      Instr* store = b.emit(Opcode::SetItem, {view, all, r}, nullptr);
      if (is_elementwise(root_)) r->fused_into = store;  // a reduction's rows: copied in
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
    bool rows = v == result_ || (v->type->ndim() == rows_ndim_ &&
                                 std::find(leaves_.begin(), leaves_.end(), v) != leaves_.end());
    if (rows) {
      IRBuilder b(*out_, entry_, root_->loc);
      Instr* callee = b.library_function("builtins.slice");
      const Type* rows = t_slice(kSliceUnitStep);
      Instr* s = b.emit(Opcode::Call, {callee, lo_, hi_}, rows);
      s->intrinsic = Intrinsic::Slice;
      const Type* t = v->type;  // a[lo:hi]: 1-d, the same layout; rows of a C array, C
      if (t->ndim() > 1) t = t_array(t->dtype(), t->ndim(), view_layout(t, {rows}));
      in = b.emit(Opcode::GetItem, {a, s}, t);
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
  Instr* result_ = nullptr;  // the array the blocks fill (its rows)
  Instr* lo_ = nullptr;      // the block's rows: lo_ up to hi_
  Instr* hi_ = nullptr;
  int rows_ndim_ = 1;
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
    if (kind == Kind::NewArray || kind == Kind::RowReduction) {
      result = fn.create(Opcode::Call, {}, root->loc);  // np.empty(n): its operands below
      result->type = t_array(root->type->dtype(), root->type->ndim(), Layout::C);
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
    // Split when there are enough elements, by rows: the arrays with the most dimensions
    // have the statement's rows (the first extent, n), the others broadcast along them; in
    // the other dimensions each extent is 1 or the statement's (a store's: its target's).
    // Anything else (an error to raise) runs serially, as it was.
    const int nd = rows_ndim(arrays);
    std::map<std::pair<Instr*, int>, Instr*> dims;  // each read once
    auto dim = [&](Instr* a, int d) {
      Instr*& e = dims[{a, d}];
      return e ? e : e = b.dim(a, d);
    };
    Instr* first = kind == Kind::Store ? root->operands[0]
                                       : *std::find_if(arrays.begin(), arrays.end(),
                                                       [&](Instr* a) { return a->type->ndim() == nd; });
    std::vector<Instr*> shape;
    for (int d = 0; d < nd; ++d) shape.push_back(dim(first, d));
    if (kind != Kind::Store)
      for (Instr* a : arrays)
        for (int k = a->type->ndim(), d = 0; d < k; ++d) {
          Instr*& s = shape[size_t(nd - k + d)];
          if (nd - k + d > 0) s = b.select(b.cmp(CmpKind::Gt, dim(a, d), s), dim(a, d), s);
        }
    Instr* n = shape[0];
    Instr* elements = n;
    for (int d = 1; d < nd; ++d) elements = b.binop(BinOpKind::Mul, elements, shape[size_t(d)]);
    Instr* ok = b.cmp(CmpKind::Ge, elements, b.int64(kParallelMinElements));
    for (Instr* a : arrays) {
      const int k = a->type->ndim();
      for (int d = 0; d < k; ++d) {
        Instr* e = dim(a, d);
        Instr* fits = b.cmp(CmpKind::Eq, e, shape[size_t(nd - k + d)]);
        if (nd - k + d > 0) fits = b.binop(BinOpKind::Or, fits, b.cmp(CmpKind::Eq, e, b.int64(1)));
        ok = b.binop(BinOpKind::And, ok, fits);
      }
    }
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
      std::vector<Instr*> kept;  // the statement's shape (a reduction's without its axis)
      std::vector<const Type*> types;
      for (int d = 0; d < nd; ++d)
        if (kind != Kind::RowReduction || d != reduced_axis(root)) kept.push_back(shape[size_t(d)]), types.push_back(t_int64());
      Instr* shape_of = kept.size() == 1 ? kept[0] : b.emit(Opcode::BuildTuple, kept, t_tuple(types));
      result->operands = {b.library_function("numpy.empty"), shape_of};
      b.append(result);
    }
    if (partials) b.append(partials);
    // Blocks of whole chunks of 64 elements (of `grain` rows): each element then takes the
    // serial loop's path (its vector body or its scalar tail), and an elementwise result
    // is the serial one to the bit (a vectorised exp may differ from the scalar in the last
    // bit). grain = 64 / (the lowest set bit of a row's elements, at most 64).
    Instr* per_row = b.int64(1);
    for (int d = 1; d < nd; ++d) per_row = b.binop(BinOpKind::Mul, per_row, shape[size_t(d)]);
    Instr* low_bit = b.binop(BinOpKind::And, per_row, b.binop(BinOpKind::Sub, b.int64(0), per_row));
    low_bit = b.select(b.cmp(CmpKind::Lt, low_bit, b.int64(64)), low_bit, b.int64(64));
    Instr* grain = b.binop(BinOpKind::FloorDiv, b.int64(64), low_bit);
    Instr* chunks = b.binop(BinOpKind::FloorDiv, b.binop(BinOpKind::Add, n, b.binop(BinOpKind::Sub, grain, b.int64(1))), grain);
    std::vector<Instr*> operands{chunks, n, grain};
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
      std::string what = kind == Kind::Reduction      ? "the " + root->func + "()"
                         : kind == Kind::RowReduction ? "the " + root->func + "(axis=" +
                                                            std::to_string(reduced_axis(root)) + ")"
                         : kind == Kind::Store        ? "the store into all of an array"
                                                      : "the array expression";
      notes->push_back(what + " at line " + std::to_string(root->loc.line) + " runs in parallel" +
                       (nd > 1 ? " (by rows)" : "") + " on arrays of " + std::to_string(kParallelMinElements) +
                       " elements or more");
    }
  }
  if (!made.empty()) {
    fn.recompute_preds();
    fn.sort_blocks_rpo();
  }
  return made;
}

}  // namespace dn
