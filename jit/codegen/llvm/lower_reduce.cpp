// Lowering of whole-array reductions (Intrinsic::Reduce) and scans (Intrinsic::Scan).
// The operand is an array or a fused elementwise tree (nothing is allocated for it).
//
// Float sums are blocked: each block of kBlock elements is summed with reassociation
// allowed (so it vectorises into several accumulators, like NumPy's 8-way unrolled
// blocks), and block sums are combined pairwise by the runtime's binary counter
// (dn_pairwise_push/total) — as accurate as NumPy's pairwise summation, without fastmath.
#include <llvm/IR/Intrinsics.h>

#include <limits>

#include "jit/codegen/llvm/lowering.h"
#include "jit/typing/resolve.h"
#include "runtime/abi.h"

namespace dn {

namespace {
constexpr int64_t kBlock = 256;
}

llvm::Value* FunctionLowering::reduce(const Instr* i) {
  if (!i->has_axis) return reduce_over(i->func, i->operands[1], i->operands[1]->fused_into == i, i->type);
  // Along an axis: the reduction of each 1-D line along `axis`, stored into the result.
  const Type* rt = element_type(i->type);
  if (i->operands[1]->type->ndim() == 1) {
    axis_lines(i, nullptr, [](llvm::Value*, llvm::Value*, llvm::Value*) {});  // validates the axis
    return reduce_over(i->func, i->operands[1], false, rt);
  }
  return axis_lines(i, i->type, [&](llvm::Value* line, llvm::Value* out_line, llvm::Value*) {
    Instr leaf;
    leaf.type = t_array(i->operands[1]->type->dtype(), 1, Layout::A);
    values_[&leaf] = line;
    llvm::Value* r = reduce_over(i->func, &leaf, false, rt);
    values_.erase(&leaf);
    b_.CreateStore(to_memory(b_, r, rt), b_.CreateExtractValue(out_line, {2}));
  });
}

llvm::Value* FunctionLowering::axis_lines(const Instr* i, const Type* out_t,
                                          const std::function<void(llvm::Value*, llvm::Value*, llvm::Value*)>& fn) {
  const Instr* x = i->operands[1];
  const Type* xt = x->type;
  int nd = xt->ndim();
  llvm::Value* xv = value(x);
  llvm::Value* axis = value(i->operands[2]);
  axis = b_.CreateSelect(b_.CreateICmpSLT(axis, b_.getInt64(0)), b_.CreateAdd(axis, b_.getInt64(nd)), axis);
  error_if(b_.CreateICmpUGE(axis, b_.getInt64(nd)), DN_VALUE_ERROR, "axis is out of bounds for the array's dimensions");
  if (!out_t) return nullptr;
  auto dim = [&](llvm::Value* arr, unsigned field, llvm::Value* d, int n) -> llvm::Value* {  // shape/strides[d], d at run time
    if (n > kMaxUnrolledDims) {
      // Through memory: a chain of n selects per lookup made the code quadratic in n.
      auto* dims_t = llvm::ArrayType::get(i64(), unsigned(n));
      llvm::Value* slot = spill(b_.CreateExtractValue(arr, {field}));
      return b_.CreateLoad(i64(), b_.CreateInBoundsGEP(dims_t, slot, {b_.getInt64(0), d}));
    }
    llvm::Value* r = b_.getInt64(0);
    for (int k = 0; k < n; ++k)
      r = b_.CreateSelect(b_.CreateICmpEQ(d, b_.getInt64(k)), b_.CreateExtractValue(arr, {field, unsigned(k)}), r);
    return r;
  };
  // The result either drops the axis (reductions) or keeps it (scans).
  bool keeps_axis = out_t->ndim() == nd;
  std::vector<llvm::Value*> other_shape, x_stride, out_shape;
  for (int j = 0; j < nd - 1; ++j) {
    llvm::Value* src = b_.CreateSelect(b_.CreateICmpSLT(b_.getInt64(j), axis), b_.getInt64(j), b_.getInt64(j + 1));
    other_shape.push_back(dim(xv, 3, src, nd));
    x_stride.push_back(dim(xv, 4, src, nd));
  }
  for (int k = 0; k < out_t->ndim(); ++k)
    out_shape.push_back(keeps_axis ? b_.CreateExtractValue(xv, {3u, unsigned(k)}) : other_shape[size_t(k)]);
  llvm::Value* out = allocate_array(out_t, out_shape, 0);
  std::vector<llvm::Value*> out_stride;
  for (int j = 0; j < nd - 1; ++j) {
    llvm::Value* src = b_.CreateSelect(b_.CreateICmpSLT(b_.getInt64(j), axis), b_.getInt64(j), b_.getInt64(j + 1));
    out_stride.push_back(keeps_axis ? dim(out, 4, src, nd) : b_.CreateExtractValue(out, {4u, unsigned(j)}));
  }
  const Type* line_t = t_array(xt->dtype(), 1, Layout::A);
  const Type* out_line_t = t_array(out_t->dtype(), 1, Layout::A);
  auto line_of = [&](llvm::Value* arr, const Type* t, llvm::Value* off, llvm::Value* len, llvm::Value* stride) {
    llvm::Value* v = llvm::UndefValue::get(reg(t));
    v = b_.CreateInsertValue(v, b_.CreateExtractValue(arr, {0}), {0});
    v = b_.CreateInsertValue(v, b_.CreateExtractValue(arr, {1}), {1});
    v = b_.CreateInsertValue(v, b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(arr, {2}), off), {2});
    v = b_.CreateInsertValue(v, len, {3, 0});
    return b_.CreateInsertValue(v, stride, {4, 0});
  };
  llvm::Value* len = dim(xv, 3, axis, nd);
  llvm::Value* xs = dim(xv, 4, axis, nd);
  llvm::Value* os = keeps_axis ? dim(out, 4, axis, nd) : b_.getInt64(0);
  std::function<void(int, llvm::Value*, llvm::Value*, llvm::Value*)> level =
      [&](int d, llvm::Value* xoff, llvm::Value* ooff, llvm::Value* lin) {
        if (d == nd - 1) {
          fn(line_of(xv, line_t, xoff, len, xs), line_of(out, out_line_t, ooff, keeps_axis ? len : b_.getInt64(1), os), lin);
          return;
        }
        counted_loop(other_shape[size_t(d)], [&](llvm::Value* k) {
          level(d + 1, b_.CreateAdd(xoff, b_.CreateMul(k, x_stride[size_t(d)])),
                b_.CreateAdd(ooff, b_.CreateMul(k, out_stride[size_t(d)])),
                b_.CreateAdd(b_.CreateMul(lin, other_shape[size_t(d)]), k));
        });
      };
  if (nd - 1 <= kMaxUnrolledDims) {
    level(0, b_.getInt64(0), b_.getInt64(0), b_.getInt64(0));
  } else {
    walk_rows(other_shape, {x_stride, out_stride}, [&](llvm::Value* r, const std::vector<llvm::Value*>& off) {
      fn(line_of(xv, line_t, off[0], len, xs), line_of(out, out_line_t, off[1], keeps_axis ? len : b_.getInt64(1), os), r);
    });
  }
  return out;
}

llvm::Value* FunctionLowering::reduce_over(const std::string& op, const Instr* x, bool expand,
                                           const Type* rt) {
  const Instr* i = x;  // for diagnostics only
  (void)i;
  std::vector<const Instr*> leaves;
  std::vector<llvm::Value*> shape;
  if (expand) {
    collect_leaves(x, leaves);
    shape = broadcast_shape(leaves, x->type->ndim(), {});
  } else {
    leaves = {x};
    for (int k = 0; k < x->type->ndim(); ++k) shape.push_back(b_.CreateExtractValue(value(x), {3u, unsigned(k)}));
  }
  llvm::Value* total = b_.getInt64(1);
  for (llvm::Value* s : shape) total = b_.CreateMul(total, s);
  const Type* et = x->type->dtype();

  auto stored = [&](llvm::Type* t, llvm::Value* init, const char* name) {
    llvm::AllocaInst* a = entry_alloca(t, name);
    b_.CreateStore(init, a);
    return a;
  };
  auto reassoc = [&]() {
    llvm::FastMathFlags f = b_.getFastMathFlags();
    f.setAllowReassoc();
    return f;
  };

  // sum, mean, and the second pass of var/std: a blocked, pairwise-combined sum of f(x).
  auto blocked_sum = [&](const Type* acc_t, const std::function<llvm::Value*(const LoopNest&)>& term) {
    llvm::Type* at = reg(acc_t);
    if (!acc_t->is_float()) {
      llvm::Value* acc = stored(at, llvm::Constant::getNullValue(at), "sum");
      for_each_element(leaves, shape, [&](const LoopNest& n) {
        llvm::Value* v = term(n);
        llvm::Value* s = acc_t->is_complex() ? complex_binop(BinOpKind::Add, b_.CreateLoad(at, acc), v, acc_t)
                                             : b_.CreateAdd(b_.CreateLoad(at, acc), v);
        b_.CreateStore(s, acc);
      }, true);
      return static_cast<llvm::Value*>(b_.CreateLoad(at, acc));
    }
    auto* levels_t = llvm::ArrayType::get(b_.getDoubleTy(), 64);
    llvm::Value* levels = entry_alloca(levels_t, "pairwise_levels");
    llvm::Value* count = stored(i64(), b_.getInt64(0), "pairwise_count");
    // Blocks accumulate in float64 even for float32 data: more accurate than NumPy's
    // float32 pairwise sums at no cost in memory traffic.
    llvm::Type* dt = b_.getDoubleTy();
    llvm::Value* acc = stored(dt, llvm::ConstantFP::get(dt, 0.0), "block_sum");
    auto push = runtime("dn_pairwise_push");
    for_each_element(leaves, shape, [&](const LoopNest& n) {
      llvm::IRBuilder<>::FastMathFlagGuard guard(b_);
      b_.setFastMathFlags(reassoc());
      b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(dt, acc), b_.CreateFPExt(term(n), dt)), acc);
    }, true, kBlock, [&]() {
      b_.CreateCall(push, {levels, count, b_.CreateLoad(dt, acc)});
      b_.CreateStore(llvm::ConstantFP::get(dt, 0.0), acc);
    });
    auto total_fn = runtime("dn_pairwise_total");
    llvm::Value* t = b_.CreateCall(total_fn, {levels, b_.CreateLoad(i64(), count)});
    return b_.CreateFPTrunc(t, at);
  };
  auto elem_as = [&](const Type* t) {
    return [&, t](const LoopNest& n) { return cast(element(x, n), et, t); };
  };
  auto divide = [&](llvm::Value* s, const Type* t, llvm::Value* n) -> llvm::Value* {
    if (t->is_complex()) {
      const Type* part = t_float(t->bits() / 2);
      llvm::Value* d = b_.CreateSIToFP(n, reg(part));
      llvm::Value* re = b_.CreateFDiv(b_.CreateExtractValue(s, {0}), d);
      llvm::Value* im = b_.CreateFDiv(b_.CreateExtractValue(s, {1}), d);
      return b_.CreateInsertValue(b_.CreateInsertValue(s, re, {0}), im, {1});
    }
    return b_.CreateFDiv(s, b_.CreateSIToFP(n, reg(t)));  // 0/0 = nan for empty, as NumPy
  };

  if (op == "sum") return blocked_sum(rt, elem_as(rt));
  if (op == "mean") return divide(blocked_sum(rt, elem_as(rt)), rt, total);
  if (op == "var" || op == "std") {
    const Type* mt = et->is_complex() ? et : rt;  // the mean keeps complex
    llvm::Value* mean = divide(blocked_sum(mt, elem_as(mt)), mt, total);
    llvm::Value* ss = blocked_sum(rt, [&](const LoopNest& n) -> llvm::Value* {
      llvm::Value* d = binop_values(BinOpKind::Sub, cast(element(x, n), et, mt), mean, nullptr, mt);
      if (mt->is_complex()) {
        llvm::Value* re = b_.CreateExtractValue(d, {0});
        llvm::Value* im = b_.CreateExtractValue(d, {1});
        return b_.CreateFAdd(b_.CreateFMul(re, re), b_.CreateFMul(im, im));
      }
      return b_.CreateFMul(d, d);
    });
    llvm::Value* var = divide(ss, rt, total);
    return op == "var" ? var : b_.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, var);
  }
  if (op == "prod") {
    llvm::Type* at = reg(rt);
    ConstValue one;
    one.kind = ConstValue::Kind::Int;
    one.i = 1;
    llvm::Value* acc = stored(at, constant(one, rt), "prod");
    for_each_element(leaves, shape, [&](const LoopNest& n) {
      llvm::IRBuilder<>::FastMathFlagGuard guard(b_);
      b_.setFastMathFlags(reassoc());
      llvm::Value* v = cast(element(x, n), et, rt);
      llvm::Value* p = b_.CreateLoad(at, acc);
      b_.CreateStore(rt->is_complex() ? complex_binop(BinOpKind::Mul, p, v, rt)
                                      : rt->is_float() ? b_.CreateFMul(p, v) : b_.CreateMul(p, v),
                     acc);
    }, true);
    return b_.CreateLoad(at, acc);
  }
  if (op == "all" || op == "any") {
    bool all = op == "all";
    llvm::Value* acc = stored(b_.getInt1Ty(), b_.getInt1(all), op.c_str());
    for_each_element(leaves, shape, [&](const LoopNest& n) {
      llvm::Value* t = truth(element(x, n), et);
      llvm::Value* a = b_.CreateLoad(b_.getInt1Ty(), acc);
      b_.CreateStore(all ? b_.CreateAnd(a, t) : b_.CreateOr(a, t), acc);
    }, true);
    return b_.CreateLoad(b_.getInt1Ty(), acc);
  }
  bool is_min = op == "min" || op == "argmin";
  std::string what = op == "min" ? "minimum" : op == "max" ? "maximum" : op;
  error_if(b_.CreateICmpEQ(total, b_.getInt64(0)), DN_VALUE_ERROR,
           op.rfind("arg", 0) == 0 ? "attempt to get " + op + " of an empty sequence"
                                   : "zero-size array to reduction operation " + what + " which has no identity");
  llvm::Type* et_r = reg(et);
  if (et->is_complex()) return complex_extreme(op, x, leaves, shape);
  // min/max start from the identity (+-inf, the integer extremes) so the loop is a plain
  // vectorisable reduction; NaN propagates through llvm.minimum/maximum, as in NumPy.
  auto extreme = [&](bool min) -> llvm::Value* {
    {
      llvm::Type* t = reg(et);
      llvm::Value* init;
      if (et->is_float()) init = llvm::ConstantFP::getInfinity(t, !min);
      else if (et->is_bool()) init = b_.getInt1(min);
      else if (et->is_signed()) init = min ? llvm::ConstantInt::get(t, llvm::APInt::getSignedMaxValue(et->bits()))
                                           : llvm::ConstantInt::get(t, llvm::APInt::getSignedMinValue(et->bits()));
      else init = min ? llvm::ConstantInt::get(t, llvm::APInt::getMaxValue(et->bits())) : llvm::ConstantInt::get(t, 0);
      llvm::Value* acc = stored(t, init, min ? "min" : "max");
      for_each_element(leaves, shape, [&](const LoopNest& n) {
        llvm::Value* v = element(x, n);
        llvm::Value* a = b_.CreateLoad(t, acc);
        llvm::Value* m;
        if (et->is_float()) {
          m = b_.CreateBinaryIntrinsic(min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum, a, v);
        } else if (et->is_bool()) {
          m = min ? b_.CreateAnd(a, v) : b_.CreateOr(a, v);
        } else {
          auto id = et->is_signed() ? (min ? llvm::Intrinsic::smin : llvm::Intrinsic::smax)
                                    : (min ? llvm::Intrinsic::umin : llvm::Intrinsic::umax);
          m = b_.CreateBinaryIntrinsic(id, a, v);
        }
        b_.CreateStore(m, acc);
      }, true);
      return b_.CreateLoad(t, acc);
    }
  };
  llvm::Value* best = extreme(is_min);
  if (op == "min" || op == "max") return best;
  // argmin/argmax: the first position holding that extreme (the first NaN when it is NaN).
  llvm::Value* best_nan = et->is_float() ? b_.CreateFCmpUNO(best, best) : b_.getFalse();
  llvm::Value* first = stored(i64(), b_.getInt64(INT64_MAX), "first_index");
  for_each_element(leaves, shape, [&](const LoopNest& n) {
    llvm::Value* v = element(x, n);
    llvm::Value* hit;
    if (et->is_float())
      hit = b_.CreateSelect(best_nan, b_.CreateFCmpUNO(v, v), b_.CreateFCmpOEQ(v, best));
    else
      hit = b_.CreateICmpEQ(v, best);
    llvm::Value* cand = b_.CreateSelect(hit, n.linear, b_.getInt64(INT64_MAX));
    b_.CreateStore(b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, b_.CreateLoad(i64(), first), cand), first);
  }, true);
  return b_.CreateLoad(i64(), first);
}

// min/max/argmin/argmax of complex numbers in NumPy's lexicographic order, in one pass:
// min/max are minimum/maximum.reduce (a NaN, once met, stays), argmin/argmax return the
// first extreme, or the first element holding a NaN.
llvm::Value* FunctionLowering::complex_extreme(const std::string& op, const Instr* x,
                                               const std::vector<const Instr*>& leaves,
                                               const std::vector<llvm::Value*>& shape) {
  bool is_min = op == "min" || op == "argmin";
  bool arg = op == "argmin" || op == "argmax";
  const Type* et = x->type->dtype();
  llvm::Type* ct = reg(et);
  llvm::Value* best = entry_alloca(ct, "complex_best");
  llvm::Value* index = entry_alloca(i64(), "complex_index");
  b_.CreateStore(b_.getInt64(-1), index);
  for_each_element(leaves, shape, [&](const LoopNest& n) {
    llvm::Value* v = element(x, n);
    llvm::Value* cur = b_.CreateLoad(ct, best);
    llvm::Value* first = b_.CreateICmpSLT(b_.CreateLoad(i64(), index), b_.getInt64(0));
    llvm::Value* take;
    if (arg) {
      llvm::Value* vr = b_.CreateExtractValue(v, {0});
      llvm::Value* vi = b_.CreateExtractValue(v, {1});
      llvm::Value* cr = b_.CreateExtractValue(cur, {0});
      llvm::Value* ci = b_.CreateExtractValue(cur, {1});
      llvm::Value* lt = is_min ? b_.CreateFCmpOLT(vr, cr) : b_.CreateFCmpOGT(vr, cr);
      llvm::Value* tie = b_.CreateAnd(b_.CreateFCmpOEQ(vr, cr), is_min ? b_.CreateFCmpOLT(vi, ci) : b_.CreateFCmpOGT(vi, ci));
      take = b_.CreateAnd(b_.CreateNot(complex_has_nan(cur)), b_.CreateOr(b_.CreateOr(lt, tie), complex_has_nan(v)));
    } else {
      take = b_.CreateNot(b_.CreateOr(complex_has_nan(cur), complex_at_least(cur, v, !is_min)));
    }
    take = b_.CreateOr(first, take);
    b_.CreateStore(b_.CreateSelect(take, v, cur), best);
    b_.CreateStore(b_.CreateSelect(take, n.linear, b_.CreateLoad(i64(), index)), index);
  }, true);
  return arg ? static_cast<llvm::Value*>(b_.CreateLoad(i64(), index)) : b_.CreateLoad(ct, best);
}

// cumsum/cumprod over the flattened array (C order), as NumPy without an axis.
llvm::Value* FunctionLowering::scan(const Instr* i) {
  const Instr* x = i->operands[1];
  const Type* et = x->type->dtype();
  const Type* rt = i->type->dtype();
  bool sum = i->func == "cumsum";
  if (i->has_axis) {
    // Along an axis: a running sum (product) down each line, into the same line of the result.
    return axis_lines(i, i->type, [&](llvm::Value* line, llvm::Value* out_line, llvm::Value*) {
      ConstValue init;
      init.kind = ConstValue::Kind::Int;
      init.i = sum ? 0 : 1;
      llvm::Value* acc = entry_alloca(reg(rt), "scan");
      b_.CreateStore(constant(init, rt), acc);
      llvm::Value* n = b_.CreateExtractValue(line, {3, 0});
      counted_loop(n, [&](llvm::Value* k) {
        llvm::Value* src = b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(line, {2}), b_.CreateMul(k, b_.CreateExtractValue(line, {4, 0})));
        llvm::Value* dst = b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(out_line, {2}), b_.CreateMul(k, b_.CreateExtractValue(out_line, {4, 0})));
        llvm::Value* v = cast(from_memory(b_, b_.CreateLoad(memory_type(ctx_, et), src), et), et, rt);
        llvm::Value* r = binop_values(sum ? BinOpKind::Add : BinOpKind::Mul, b_.CreateLoad(reg(rt), acc), v, nullptr, rt);
        b_.CreateStore(r, acc);
        b_.CreateStore(to_memory(b_, r, rt), dst);
      });
    });
  }
  std::vector<llvm::Value*> shape;
  for (int k = 0; k < x->type->ndim(); ++k) shape.push_back(b_.CreateExtractValue(value(x), {3u, unsigned(k)}));
  llvm::Value* total = b_.getInt64(1);
  for (llvm::Value* s : shape) total = b_.CreateMul(total, s);
  llvm::Value* out = allocate_array(i->type, {total}, 0);
  llvm::Value* data = b_.CreateExtractValue(out, {2});
  ConstValue init;
  init.kind = ConstValue::Kind::Int;
  init.i = sum ? 0 : 1;
  llvm::Value* acc = entry_alloca(reg(rt), "scan");
  b_.CreateStore(constant(init, rt), acc);
  for_each_element({x}, shape, [&](const LoopNest& n) {
    llvm::Value* v = cast(element(x, n), et, rt);
    llvm::Value* a = b_.CreateLoad(reg(rt), acc);
    llvm::Value* r = binop_values(sum ? BinOpKind::Add : BinOpKind::Mul, a, v, nullptr, rt);
    b_.CreateStore(r, acc);
    b_.CreateStore(to_memory(b_, r, rt), b_.CreateInBoundsGEP(memory_type(ctx_, rt), data, n.linear));
  }, true);
  return out;
}

}  // namespace dn
