#include "jit/transforms/lower_reductions.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "jit/support/diagnostics.h"
#include "jit/types/abi_layout.h"
#include "runtime/abi.h"

namespace dn {

namespace {

constexpr int64_t kBlock = 256;

class Reduction {
 public:
  Reduction(ArrayLoops& loops) : loops_(loops), b_(loops.builder()) {}

  // Reduction `op` of the elements of x (of the fused tree rooted at x when `expand`),
  // giving a scalar of type rt.
  Instr* over(const std::string& op, Instr* x, bool expand, const Type* rt) {
    x_ = x;
    leaves_.clear();
    if (expand) {
      ArrayLoops::collect_leaves(x, leaves_);
      shape_ = loops_.broadcast_shape(leaves_, x->type->ndim());
    } else {
      leaves_ = {x};
      shape_ = loops_.extents(x);
    }
    total_ = loops_.product(shape_);
    et_ = x->type->dtype();
    if (op == "sum") return blocked_sum(rt, as(rt));
    if (op == "mean") return divide(blocked_sum(rt, as(rt)), rt, total_);
    if (op == "var" || op == "std") {
      const Type* mt = et_->is_complex() ? et_ : rt;  // the mean keeps complex
      Instr* mean = divide(blocked_sum(mt, as(mt)), mt, total_);
      Instr* ss = blocked_sum(rt, [&, mt, mean](const ArrayLoops::Position& p) -> Instr* {
        Instr* d = b_.binop(BinOpKind::Sub, b_.cast(element(p), mt), mean);
        if (mt->is_complex()) {
          Instr* re = part(d, "real");
          Instr* im = part(d, "imag");
          return b_.binop(BinOpKind::Add, b_.binop(BinOpKind::Mul, re, re), b_.binop(BinOpKind::Mul, im, im));
        }
        return b_.binop(BinOpKind::Mul, d, d);
      });
      Instr* var = divide(ss, rt, total_);
      return op == "var" ? var : loops_.scalar_call(Intrinsic::MathFunc, "sqrt", {var}, rt);
    }
    if (op == "prod") {
      return accumulate(rt, loops_.number(rt, 1), [&](Instr* acc, const ArrayLoops::Position& p) {
        Instr* r = b_.binop(BinOpKind::Mul, acc, b_.cast(element(p), rt));
        r->reassoc = true;
        return r;
      });
    }
    if (op == "all" || op == "any") {
      bool all = op == "all";
      return accumulate(t_bool(), b_.boolean(all), [&](Instr* acc, const ArrayLoops::Position& p) {
        Instr* t = b_.emit(Opcode::Truth, {element(p)}, t_bool());
        return b_.binop(all ? BinOpKind::And : BinOpKind::Or, acc, t);
      });
    }
    bool is_min = op == "min" || op == "argmin";
    std::string what = op == "min" ? "minimum" : op == "max" ? "maximum" : op;
    b_.raise_if(b_.cmp(CmpKind::Eq, total_, b_.int64(0)), DN_VALUE_ERROR,
                op.rfind("arg", 0) == 0 ? "attempt to get " + op + " of an empty sequence"
                                        : "zero-size array to reduction operation " + what + " which has no identity");
    if (et_->is_complex()) return complex_extreme(op);
    const char* pick = is_min ? "minimum" : "maximum";
    Instr* best = accumulate(et_, identity(is_min), [&](Instr* acc, const ArrayLoops::Position& p) {
      return loops_.scalar_call(Intrinsic::MathFunc, pick, {acc, element(p)}, et_);
    });
    if (op == "min" || op == "max") return best;
    // argmin/argmax: the first position holding that extreme (the first NaN when it is NaN).
    Instr* best_nan = et_->is_float() ? loops_.scalar_call(Intrinsic::IsNan, "", {best}, t_bool()) : b_.boolean(false);
    Instr* none = b_.int64(INT64_MAX);
    return accumulate(t_int64(), none, [&](Instr* first, const ArrayLoops::Position& p) {
      Instr* v = element(p);
      Instr* hit = b_.cmp(CmpKind::Eq, v, best);
      if (et_->is_float()) hit = b_.select(best_nan, loops_.scalar_call(Intrinsic::IsNan, "", {v}, t_bool()), hit);
      Instr* cand = b_.select(hit, p.linear, none);
      return b_.select(b_.cmp(CmpKind::Lt, cand, first), cand, first);
    });
  }

 private:
  using Term = std::function<Instr*(const ArrayLoops::Position&)>;

  Instr* element(const ArrayLoops::Position& p) { return loops_.element(x_, ArrayLoops::addresses(leaves_, p)); }
  Term as(const Type* t) {
    return [this, t](const ArrayLoops::Position& p) { return b_.cast(element(p), t); };
  }
  Instr* part(Instr* z, const char* which) {
    Instr* g = b_.emit(Opcode::GetAttr, {z}, t_float(z->type->bits() / 2));
    g->attr = which;
    return g;
  }

  // A stack slot starting at `init`, updated to next(acc, position) at every position.
  Instr* accumulate(const Type* t, Instr* init, const std::function<Instr*(Instr*, const ArrayLoops::Position&)>& next) {
    Instr* acc = loops_.slot(t);
    b_.store(acc, init);
    loops_.for_each_element(leaves_, shape_, [&](const ArrayLoops::Position& p) { b_.store(acc, next(b_.load(acc), p)); });
    return b_.load(acc);
  }

  // sum, mean, and the second pass of var/std: a blocked, pairwise-combined sum of term().
  Instr* blocked_sum(const Type* acc_t, const Term& term) {
    if (!acc_t->is_float())
      return accumulate(acc_t, loops_.number(acc_t, 0), [&](Instr* acc, const ArrayLoops::Position& p) {
        return b_.binop(BinOpKind::Add, acc, term(p));
      });
    const Type* f64 = t_float64();
    Instr* levels = loops_.slot(f64, 64);
    Instr* count = loops_.slot(t_int64());
    b_.store(count, b_.int64(0));
    // Blocks accumulate in float64 even for float32 data: more accurate than NumPy's
    // float32 pairwise sums at no cost in memory traffic.
    Instr* acc = loops_.slot(f64);
    b_.store(acc, loops_.number(f64, 0.0));
    loops_.for_each_element(leaves_, shape_, [&](const ArrayLoops::Position& p) {
      Instr* s = b_.binop(BinOpKind::Add, b_.load(acc), b_.cast(term(p), f64));
      s->reassoc = true;
      b_.store(acc, s);
    }, kBlock, [&]() {
      Instr* push = b_.emit(Opcode::CallRuntime, {levels, count, b_.load(acc)}, nullptr);
      push->func = "dn_pairwise_push";
      b_.store(acc, loops_.number(f64, 0.0));
    });
    Instr* total = b_.emit(Opcode::CallRuntime, {levels, b_.load(count)}, f64);
    total->func = "dn_pairwise_total";
    return b_.cast(total, acc_t);
  }

  // s / n (n an int64 count; 0 / 0 is nan for empty arrays, as NumPy). Complex: divided by
  // n + 0j, NumPy's true_divide (a NaN part makes both parts NaN, as there).
  Instr* divide(Instr* s, const Type* t, Instr* n) {
    if (t->is_complex()) {
      const Type* part_t = t_float(t->bits() / 2);
      Instr* d = b_.emit(Opcode::MakeComplex, {b_.cast(n, part_t), loops_.number(part_t, 0.0)}, t);
      return b_.binop(BinOpKind::TrueDiv, s, d);
    }
    return b_.binop(BinOpKind::TrueDiv, s, b_.cast(n, t));
  }

  Instr* identity(bool min) { return loops_.constant(et_, extreme_value(et_, min)); }

  Instr* has_nan(Instr* z) {
    return b_.binop(BinOpKind::Or, loops_.scalar_call(Intrinsic::IsNan, "", {part(z, "real")}, t_bool()),
                    loops_.scalar_call(Intrinsic::IsNan, "", {part(z, "imag")}, t_bool()));
  }

  // min/max/argmin/argmax of complex numbers in NumPy's lexicographic order, in one pass:
  // min/max are minimum/maximum.reduce (a NaN, once met, stays), argmin/argmax give the
  // first extreme, or the first element holding a NaN.
  Instr* complex_extreme(const std::string& op) {
    bool is_min = op == "min" || op == "argmin";
    bool arg = op == "argmin" || op == "argmax";
    Instr* best = loops_.slot(et_);
    Instr* index = loops_.slot(t_int64());
    b_.store(best, loops_.number(et_, 0.0));
    b_.store(index, b_.int64(-1));
    loops_.for_each_element(leaves_, shape_, [&](const ArrayLoops::Position& p) {
      Instr* v = element(p);
      Instr* cur = b_.load(best);
      Instr* at = b_.load(index);
      Instr* first = b_.cmp(CmpKind::Lt, at, b_.int64(0));
      Instr* next;
      if (arg) {
        Instr *vr = part(v, "real"), *vi = part(v, "imag"), *cr = part(cur, "real"), *ci = part(cur, "imag");
        CmpKind beyond = is_min ? CmpKind::Lt : CmpKind::Gt;
        Instr* tie = b_.binop(BinOpKind::And, b_.cmp(CmpKind::Eq, vr, cr), b_.cmp(beyond, vi, ci));
        Instr* better = b_.binop(BinOpKind::Or, b_.binop(BinOpKind::Or, b_.cmp(beyond, vr, cr), tie), has_nan(v));
        Instr* take = b_.binop(BinOpKind::Or, first, b_.binop(BinOpKind::And, b_.logical_not(has_nan(cur)), better));
        b_.store(index, b_.select(take, p.linear, at));
        next = b_.select(take, v, cur);
      } else {
        next = b_.select(first, v, loops_.scalar_call(Intrinsic::MathFunc, is_min ? "minimum" : "maximum", {cur, v}, et_));
        b_.store(index, p.linear);
      }
      b_.store(best, next);
    });
    return arg ? b_.load(index) : b_.load(best);
  }

  ArrayLoops& loops_;
  IRBuilder& b_;
  Instr* x_ = nullptr;
  std::vector<Instr*> leaves_, shape_;
  Instr* total_ = nullptr;
  const Type* et_ = nullptr;
};

// For a call with an axis (operand 2) over array operand 1: allocates a result of type
// out_t (without the axis, or with it for scans) and calls fn(line of x, matching line
// of the result) for every line along the axis. Null out_t only checks the axis.
Instr* axis_lines(ArrayLoops& loops, Instr* call, const Type* out_t, const std::function<void(Instr*, Instr*)>& fn) {
  IRBuilder& b = loops.builder();
  Instr* x = call->operands[1];
  int nd = x->type->ndim();
  Instr* axis = b.cast(call->operands[2], t_int64());
  axis = b.select(b.cmp(CmpKind::Lt, axis, b.int64(0)), b.binop(BinOpKind::Add, axis, b.int64(nd)), axis);
  b.raise_if(b.binop(BinOpKind::Or, b.cmp(CmpKind::Lt, axis, b.int64(0)), b.cmp(CmpKind::Ge, axis, b.int64(nd))),
             DN_VALUE_ERROR, "axis is out of bounds for the array's dimensions");
  if (!out_t) return nullptr;
  auto dim_at = [&](Opcode op, Instr* arr, Instr* d) { return b.emit(op, {arr, d}, t_int64()); };
  // The dimensions other than the axis, in order: j, or j + 1 from the axis on.
  std::vector<Instr*> other;
  for (int j = 0; j < nd - 1; ++j) other.push_back(b.select(b.cmp(CmpKind::Lt, b.int64(j), axis), b.int64(j), b.int64(j + 1)));
  std::vector<Instr*> other_shape, x_stride, out_shape, out_stride;
  for (Instr* d : other) {
    other_shape.push_back(dim_at(Opcode::ArrayDim, x, d));
    x_stride.push_back(dim_at(Opcode::ArrayStride, x, d));
  }
  bool keeps_axis = out_t->ndim() == nd;  // scans keep it, reductions drop it
  for (int k = 0; k < out_t->ndim(); ++k) out_shape.push_back(keeps_axis ? b.dim(x, k) : other_shape[size_t(k)]);
  Instr* out = b.emit(Opcode::NewArray, out_shape, out_t);
  for (int j = 0; j < nd - 1; ++j)
    out_stride.push_back(keeps_axis ? dim_at(Opcode::ArrayStride, out, other[size_t(j)]) : b.stride(out, j));
  Instr* len = dim_at(Opcode::ArrayDim, x, axis);
  Instr* xs = dim_at(Opcode::ArrayStride, x, axis);
  Instr* os = keeps_axis ? dim_at(Opcode::ArrayStride, out, axis) : b.int64(0);
  Instr* x_data = b.data(x);
  Instr* out_data = b.data(out);
  const Type* out_line_t = t_array(out_t->dtype(), 1, Layout::A);
  // Lines of unit stride (the last axis of a C array) as C views: their loops vectorise
  // (a strided line's min/max would be a chain of scalar steps, 20x NumPy's time).
  Instr* unit = b.cmp(CmpKind::Eq, xs, b.int64(abi_layout(x->type->dtype()).size));
  loops.walk(other_shape, {x_stride, out_stride}, [&](const std::vector<Instr*>& off, Instr*) {
    Instr* start = b.byte_ptr(x_data, off[0]);
    Instr* out_line = b.emit(Opcode::View, {out, b.byte_ptr(out_data, off[1]), keeps_axis ? len : b.int64(1), os}, out_line_t);
    Block* contiguous = b.new_block();
    Block* strided = b.new_block();
    Block* done = b.new_block();
    b.condbr(unit, contiguous, strided);
    for (Layout layout : {Layout::C, Layout::A}) {
      b.set_block(layout == Layout::C ? contiguous : strided);
      fn(b.emit(Opcode::View, {x, start, len, xs}, t_array(x->type->dtype(), 1, layout)), out_line);
      b.br(done);
    }
    b.set_block(done);
  });
  return out;
}

// The axis of a reduction when it is a constant (counted from 0), else -1.
int constant_axis(const Instr* call) {
  const Instr* a = call->operands[2];
  const int64_t nd = call->operands[1]->type->ndim();
  if (a->op != Opcode::Const || a->cval.kind != ConstValue::Kind::Int) return -1;
  int64_t k = a->cval.i < 0 ? a->cval.i + nd : a->cval.i;
  return k >= 0 && k < nd ? int(k) : -1;
}

// A reduction along an axis other than the innermost in memory (a C array's last, an F
// array's first), in memory order as NumPy does it: the result starts at the identity
// and takes in the elements as they lie, so the inner loop runs along contiguous memory
// of both (vectorised) instead of down strided lines (X.max(axis=0) took 20x NumPy's
// time). Sums and products of float32 and complex stay on lines (their float64 and
// pairwise accumulation is more accurate than NumPy's); null for those and other calls.
Instr* reduce_in_memory_order(ArrayLoops& loops, Instr* call) {
  IRBuilder& b = loops.builder();
  Instr* x = call->operands[1];
  const Type* et = x->type->dtype();
  const int nd = x->type->ndim();
  const Layout layout = x->type->layout();
  const int k = constant_axis(call);
  const std::string& op = call->func;
  if (nd < 2 || k < 0 || (layout != Layout::C && layout != Layout::F) || et->is_complex()) return nullptr;
  if (k == (layout == Layout::C ? nd - 1 : 0)) return nullptr;  // lines are contiguous: they vectorise
  bool adds = op == "sum" || op == "prod" || op == "mean";
  bool picks = op == "min" || op == "max";
  if (!(adds && (et->bits() == 64 || !et->is_float())) && !picks && op != "all" && op != "any") return nullptr;
  const Type* rt = call->type->dtype();
  const Type* acc_t = op == "mean" ? t_float64() : rt;
  std::vector<Instr*> out_shape;
  for (int d = 0; d < nd; ++d)
    if (d != k) out_shape.push_back(b.dim(x, d));
  Instr* len = b.dim(x, k);
  Instr* out = b.emit(Opcode::NewArray, out_shape, op == "mean" ? t_array(acc_t, nd - 1, Layout::C) : call->type);
  if (picks)  // as NumPy: an empty axis has no identity, unless there is nothing to reduce
    b.raise_if(b.binop(BinOpKind::And, b.cmp(CmpKind::Eq, len, b.int64(0)),
                       b.cmp(CmpKind::Gt, loops.product(out_shape), b.int64(0))),
               DN_VALUE_ERROR, std::string("zero-size array to reduction operation ") +
                                   (op == "min" ? "minimum" : "maximum") + " which has no identity");
  ConstValue start;
  if (picks) {
    start = extreme_value(et, op == "min");
  } else if (op == "all" || op == "any") {
    start.kind = ConstValue::Kind::Bool;
    start.i = op == "all";
  } else {
    start.kind = acc_t->is_float() ? ConstValue::Kind::Float : ConstValue::Kind::Int;
    start.f = start.i = op == "prod" ? 1 : 0;
  }
  Instr* init = loops.constant(out->type->dtype(), start);
  loops.for_each_element({out}, out_shape, [&](const ArrayLoops::Position& p) { b.store(p.ptr[0], init); }, 0, {}, true);
  // x's dimensions in memory order (C: as they are; F: reversed), the result's strides
  // along them (0 along the axis).
  std::vector<Instr*> extents, x_strides, out_strides;
  for (int n = 0; n < nd; ++n) {
    int d = layout == Layout::C ? n : nd - 1 - n;
    extents.push_back(b.dim(x, d));
    // The innermost strides as constants (the element sizes): LLVM vectorises unit strides.
    bool inner = n == nd - 1;
    x_strides.push_back(inner ? b.int64(int64_t(abi_layout(et).size)) : b.stride(x, d));
    bool out_inner = layout == Layout::C && inner;  // the result is C: x's last is its last
    out_strides.push_back(d == k       ? b.int64(0)
                          : out_inner ? b.int64(int64_t(abi_layout(out->type->dtype()).size))
                                      : b.stride(out, d < k ? d : d - 1));
  }
  Instr* x_data = b.data(x);
  Instr* out_data = b.data(out);
  loops.walk(extents, {x_strides, out_strides}, [&](const std::vector<Instr*>& off, Instr*) {
    Instr* at = b.byte_ptr(out_data, off[1]);
    Instr* v = b.load(b.byte_ptr(x_data, off[0]));
    Instr* so_far = b.load(at);
    Instr* next;
    if (picks) {
      next = loops.scalar_call(Intrinsic::MathFunc, op == "min" ? "minimum" : "maximum", {so_far, v}, et);
    } else if (op == "all" || op == "any") {
      next = b.binop(op == "all" ? BinOpKind::And : BinOpKind::Or, so_far, b.emit(Opcode::Truth, {v}, t_bool()));
    } else {
      next = b.binop(op == "prod" ? BinOpKind::Mul : BinOpKind::Add, so_far, b.cast(v, acc_t));
    }
    b.store(at, next);
  });
  if (op != "mean") return out;
  // mean: the sums divided by the count, into the result (float64, or the float dtype asked)
  Instr* result = b.emit(Opcode::NewArray, out_shape, call->type);
  Instr* n = b.cast(len, t_float64());
  loops.for_each_element({result, out}, out_shape, [&](const ArrayLoops::Position& p) {
    b.store(p.ptr[0], b.cast(b.binop(BinOpKind::TrueDiv, b.load(p.ptr[1]), n), rt));
  }, 0, {}, true);
  b.emit(Opcode::Release, {out}, nullptr);
  return result;
}

}  // namespace

Instr* lower_reduce(ArrayLoops& loops, Instr* call) {
  IRBuilder& b = loops.builder();
  Instr* x = call->operands[1];
  if (!call->has_axis) return Reduction(loops).over(call->func, x, x->fused_into == call, call->type);
  if (Instr* out = reduce_in_memory_order(loops, call)) {
    axis_lines(loops, call, nullptr, {});  // (checks a constant axis: in range)
    return out;
  }
  // Along an axis: the reduction of each 1-D line along it, stored into the result.
  if (x->type->ndim() == 1) {
    axis_lines(loops, call, nullptr, {});  // checks the axis
    return Reduction(loops).over(call->func, x, false, call->type);
  }
  const Type* rt = call->type->dtype();
  return axis_lines(loops, call, call->type, [&](Instr* line, Instr* out_line) {
    Instr* r = Reduction(loops).over(call->func, line, false, rt);
    b.store(b.data(out_line), r);
  });
}

Instr* lower_scan(ArrayLoops& loops, Instr* call) {
  IRBuilder& b = loops.builder();
  Instr* x = call->operands[1];
  const Type* rt = call->type->dtype();
  BinOpKind k = call->func == "cumsum" ? BinOpKind::Add : BinOpKind::Mul;
  double init = k == BinOpKind::Add ? 0 : 1;
  if (call->has_axis) {
    // Along an axis: a running sum (product) down each line, into the same line of the result.
    return axis_lines(loops, call, call->type, [&](Instr* line, Instr* out_line) {
      Instr* acc = loops.slot(rt);
      b.store(acc, loops.number(rt, init));
      Instr* src = b.data(line);
      Instr* dst = b.data(out_line);
      Instr* xs = b.stride(line, 0);
      Instr* os = b.stride(out_line, 0);
      b.counted_loop(b.dim(line, 0), [&](Instr* i) {
        Instr* v = b.cast(b.load(b.byte_ptr(src, b.binop(BinOpKind::Mul, i, xs))), rt);
        Instr* r = b.binop(k, b.load(acc), v);
        b.store(acc, r);
        b.store(b.byte_ptr(dst, b.binop(BinOpKind::Mul, i, os)), r);
      });
    });
  }
  // Over the flattened array (C order), as NumPy without an axis.
  std::vector<Instr*> shape = loops.extents(x);
  Instr* out = b.emit(Opcode::NewArray, {loops.product(shape)}, call->type);
  Instr* data = b.data(out);
  Instr* acc = loops.slot(rt);
  b.store(acc, loops.number(rt, init));
  loops.for_each_element({x}, shape, [&](const ArrayLoops::Position& p) {
    Instr* r = b.binop(k, b.load(acc), b.cast(b.load(p.ptr[0]), rt));
    b.store(acc, r);
    b.store(b.element_ptr(data, p.linear), r);
  });
  return out;
}

}  // namespace dn
