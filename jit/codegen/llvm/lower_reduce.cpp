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
  if (i->imm == 0) return reduce_over(i->name, i->operands[1], i->operands[1]->fused_into == i, i->type);
  // Along an axis: for every position of the other axes, the reduction of the 1-D view
  // along `axis`, stored into the result array.
  const Instr* x = i->operands[1];
  const Type* xt = x->type;
  int nd = xt->ndim();
  llvm::Value* xv = value(x);
  llvm::Value* axis = value(i->operands[2]);
  axis = b_.CreateSelect(b_.CreateICmpSLT(axis, b_.getInt64(0)), b_.CreateAdd(axis, b_.getInt64(nd)), axis);
  error_if(b_.CreateICmpUGE(axis, b_.getInt64(nd)), DN_VALUE_ERROR, "axis is out of bounds for the array's dimensions");
  const Type* rt = element_type(i->type);
  if (nd == 1) return reduce_over(i->name, x, false, rt);
  auto dim = [&](unsigned field, llvm::Value* d) {  // shape/strides[d] for a run-time d
    llvm::Value* r = b_.getInt64(0);
    for (int k = 0; k < nd; ++k)
      r = b_.CreateSelect(b_.CreateICmpEQ(d, b_.getInt64(k)), b_.CreateExtractValue(xv, {field, unsigned(k)}), r);
    return r;
  };
  std::vector<llvm::Value*> out_shape, out_src_stride;
  for (int j = 0; j < nd - 1; ++j) {
    llvm::Value* src = b_.CreateSelect(b_.CreateICmpSLT(b_.getInt64(j), axis), b_.getInt64(j), b_.getInt64(j + 1));
    out_shape.push_back(dim(3, src));
    out_src_stride.push_back(dim(4, src));
  }
  const Type* line_t = t_array(xt->dtype(), 1, Layout::A);
  llvm::Value* line_len = dim(3, axis);
  llvm::Value* line_stride = dim(4, axis);
  llvm::Value* out = allocate_array(i->type, out_shape, 0);
  llvm::Value* out_data = b_.CreateExtractValue(out, {2});
  Instr line;  // the 1-D view being reduced, as a leaf
  line.type = line_t;
  std::function<void(int, llvm::Value*, llvm::Value*)> level = [&](int d, llvm::Value* off, llvm::Value* lin) {
    if (d == nd - 1) {
      llvm::Value* v = llvm::UndefValue::get(reg(line_t));
      v = b_.CreateInsertValue(v, b_.CreateExtractValue(xv, {0}), {0});
      v = b_.CreateInsertValue(v, b_.CreateExtractValue(xv, {1}), {1});
      v = b_.CreateInsertValue(v, b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(xv, {2}), off), {2});
      v = b_.CreateInsertValue(v, line_len, {3, 0});
      v = b_.CreateInsertValue(v, line_stride, {4, 0});
      values_[&line] = v;
      llvm::Value* r = reduce_over(i->name, &line, false, rt);
      values_.erase(&line);
      b_.CreateStore(to_memory(b_, r, rt), b_.CreateInBoundsGEP(memory_type(ctx_, rt), out_data, lin));
      return;
    }
    counted_loop(out_shape[size_t(d)], [&](llvm::Value* k) {
      level(d + 1, b_.CreateAdd(off, b_.CreateMul(k, out_src_stride[size_t(d)])),
            b_.CreateAdd(b_.CreateMul(lin, out_shape[size_t(d)]), k));
    });
  };
  level(0, b_.getInt64(0), b_.getInt64(0));
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
    llvm::Value* acc = stored(at, llvm::ConstantFP::get(at, 0.0), "block_sum");
    auto push = runtime("dn_pairwise_push", b_.getVoidTy(), {b_.getPtrTy(), b_.getPtrTy(), b_.getDoubleTy()});
    for_each_element(leaves, shape, [&](const LoopNest& n) {
      llvm::IRBuilder<>::FastMathFlagGuard guard(b_);
      b_.setFastMathFlags(reassoc());
      b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(at, acc), term(n)), acc);
    }, true, kBlock, [&]() {
      b_.CreateCall(push, {levels, count, b_.CreateFPExt(b_.CreateLoad(at, acc), b_.getDoubleTy())});
      b_.CreateStore(llvm::ConstantFP::get(at, 0.0), acc);
    });
    auto total_fn = runtime("dn_pairwise_total", b_.getDoubleTy(), {b_.getPtrTy(), i64()});
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
  if (op == "min" || op == "max") {
    // Start from the first element; NaN propagates (llvm.minimum/maximum), as in NumPy.
    std::vector<llvm::Value*> first_ptr;
    llvm::Value* acc = entry_alloca(et_r, op.c_str());
    llvm::Value* started = stored(b_.getInt1Ty(), b_.getFalse(), "started");
    for_each_element(leaves, shape, [&](const LoopNest& n) {
      llvm::Value* v = element(x, n);
      llvm::Value* a = b_.CreateLoad(et_r, acc);
      llvm::Value* m;
      if (et->is_float()) {
        m = b_.CreateBinaryIntrinsic(is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum, a, v);
      } else if (et->is_bool()) {
        m = is_min ? b_.CreateAnd(a, v) : b_.CreateOr(a, v);
      } else {
        auto id = et->is_signed() ? (is_min ? llvm::Intrinsic::smin : llvm::Intrinsic::smax)
                                  : (is_min ? llvm::Intrinsic::umin : llvm::Intrinsic::umax);
        m = b_.CreateBinaryIntrinsic(id, a, v);
      }
      b_.CreateStore(b_.CreateSelect(b_.CreateLoad(b_.getInt1Ty(), started), m, v), acc);
      b_.CreateStore(b_.getTrue(), started);
    }, true);
    return b_.CreateLoad(et_r, acc);
  }
  // argmin/argmax: the first position of the extreme value; a NaN wins at its first position.
  llvm::Value* best = entry_alloca(et_r, "best");
  llvm::Value* best_i = stored(i64(), b_.getInt64(-1), "best_index");
  for_each_element(leaves, shape, [&](const LoopNest& n) {
    llvm::Value* v = element(x, n);
    llvm::Value* bi = b_.CreateLoad(i64(), best_i);
    llvm::Value* bv = b_.CreateLoad(et_r, best);
    llvm::Value* first = b_.CreateICmpSLT(bi, b_.getInt64(0));
    llvm::Value* better;
    if (et->is_float()) {
      llvm::Value* cmp = is_min ? b_.CreateFCmpOLT(v, bv) : b_.CreateFCmpOGT(v, bv);
      llvm::Value* nan_first = b_.CreateAnd(b_.CreateFCmpUNO(v, v), b_.CreateFCmpORD(bv, bv));
      better = b_.CreateOr(cmp, nan_first);
    } else {
      llvm::Value* a = et->is_bool() ? b_.CreateZExt(v, b_.getInt8Ty()) : v;
      llvm::Value* c = et->is_bool() ? b_.CreateZExt(bv, b_.getInt8Ty()) : bv;
      bool s = et->is_int() && et->is_signed();
      better = is_min ? (s ? b_.CreateICmpSLT(a, c) : b_.CreateICmpULT(a, c))
                      : (s ? b_.CreateICmpSGT(a, c) : b_.CreateICmpUGT(a, c));
    }
    llvm::Value* take = b_.CreateOr(first, better);
    b_.CreateStore(b_.CreateSelect(take, v, bv), best);
    b_.CreateStore(b_.CreateSelect(take, n.linear, bi), best_i);
  }, true);
  return b_.CreateLoad(i64(), best_i);
}

// cumsum/cumprod over the flattened array (C order), as NumPy without an axis.
llvm::Value* FunctionLowering::scan(const Instr* i) {
  const Instr* x = i->operands[1];
  const Type* et = x->type->dtype();
  const Type* rt = i->type->dtype();
  std::vector<llvm::Value*> shape;
  for (int k = 0; k < x->type->ndim(); ++k) shape.push_back(b_.CreateExtractValue(value(x), {3u, unsigned(k)}));
  llvm::Value* total = b_.getInt64(1);
  for (llvm::Value* s : shape) total = b_.CreateMul(total, s);
  llvm::Value* out = allocate_array(i->type, {total}, 0);
  llvm::Value* data = b_.CreateExtractValue(out, {2});
  bool sum = i->name == "cumsum";
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
