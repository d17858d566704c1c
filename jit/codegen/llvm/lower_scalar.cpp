// Lowering of scalar operators and casts with Python's semantics: floor division and
// modulo follow the divisor's sign, division by zero raises (error_model="python"),
// shifts by out-of-range counts behave like Python/NumPy instead of being undefined.
#include <llvm/IR/Intrinsics.h>

#include "jit/codegen/llvm/lowering.h"
#include "runtime/abi.h"

namespace dn {


llvm::Value* FunctionLowering::binop(const Instr* i) {
  if (i->binop == BinOpKind::MatMul) return matmul(i->operands[0], i->operands[1], i->type);
  llvm::Value* b = has_value(i->operands[1]->type) ? value(i->operands[1]) : nullptr;
  if (i->no_wrap) {
    // Loop counters, block starts, row digits: non-negative, no wrap, no zero divisor,
    // which lets LLVM count the loop's trips.
    llvm::Value* a = value(i->operands[0]);
    switch (i->binop) {
      case BinOpKind::Add: return b_.CreateAdd(a, b, "", true, true);
      case BinOpKind::Mul: return b_.CreateMul(a, b, "", true, true);
      case BinOpKind::FloorDiv: return b_.CreateUDiv(a, b);
      case BinOpKind::Mod: return b_.CreateURem(a, b);
      default: DN_CHECK(false, "no_wrap on " + print_instr(*i));
    }
  }
  llvm::IRBuilder<>::FastMathFlagGuard guard(b_);
  if (i->reassoc) {
    llvm::FastMathFlags f = b_.getFastMathFlags();
    f.setAllowReassoc();
    b_.setFastMathFlags(f);
  }
  return binop_values(i->binop, value(i->operands[0]), b, i->type);
}

llvm::Value* FunctionLowering::binop_values(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t) {
  if (t->is_bool()) {
    switch (k) {
      case BinOpKind::Mul:  // NumPy's bool arrays: * is and, + is or
      case BinOpKind::And: return b_.CreateAnd(a, b);
      case BinOpKind::Add:
      case BinOpKind::Or: return b_.CreateOr(a, b);
      case BinOpKind::Xor: return b_.CreateXor(a, b);
      default: DN_CHECK(false, "bool binop");
    }
  }
  if (t->is_int()) return int_binop(k, a, b, t);
  if (t->is_float()) return float_binop(k, a, b, t);
  return complex_binop(k, a, b, t);
}

llvm::Value* FunctionLowering::int_binop(BinOpKind k, llvm::Value* a, llvm::Value* b,
                                         const Type* t) {
  bool s = t->is_signed();
  auto* zero = llvm::ConstantInt::get(a->getType(), 0);
  switch (k) {
    case BinOpKind::Add: return b_.CreateAdd(a, b);
    case BinOpKind::Sub: return b_.CreateSub(a, b);
    case BinOpKind::Mul: return b_.CreateMul(a, b);
    case BinOpKind::And: return b_.CreateAnd(a, b);
    case BinOpKind::Or: return b_.CreateOr(a, b);
    case BinOpKind::Xor: return b_.CreateXor(a, b);
    case BinOpKind::FloorDiv:
    case BinOpKind::Mod: {
      llvm::Value* is_zero = b_.CreateICmpEQ(b, zero);
      if (python_errors())
        error_if(is_zero, DN_ZERO_DIVISION_ERROR,
                 k == BinOpKind::Mod ? "integer modulo by zero" : "integer division or modulo by zero");
      // Divide by 1 where the divisor is 0 (numpy model: result 0) or where a signed
      // division would overflow (MIN / -1 traps on x86); fix the result up after.
      llvm::Value* safe_b = b_.CreateSelect(is_zero, llvm::ConstantInt::get(a->getType(), 1), b);
      if (!s) {
        llvm::Value* r = k == BinOpKind::FloorDiv ? b_.CreateUDiv(a, safe_b) : b_.CreateURem(a, safe_b);
        return b_.CreateSelect(is_zero, zero, r);
      }
      auto* minus_one = llvm::ConstantInt::get(a->getType(), -1, true);
      llvm::Value* is_m1 = b_.CreateICmpEQ(safe_b, minus_one);
      safe_b = b_.CreateSelect(is_m1, llvm::ConstantInt::get(a->getType(), 1), safe_b);
      llvm::Value* q = b_.CreateSDiv(a, safe_b);
      llvm::Value* r = b_.CreateSRem(a, safe_b);
      // Python rounds toward negative infinity: adjust when the remainder's sign differs.
      llvm::Value* adjust = b_.CreateAnd(b_.CreateICmpNE(r, zero),
                                         b_.CreateICmpNE(b_.CreateICmpSLT(r, zero), b_.CreateICmpSLT(safe_b, zero)));
      llvm::Value* res;
      if (k == BinOpKind::FloorDiv) {
        res = b_.CreateSub(q, b_.CreateZExt(adjust, a->getType()));
        res = b_.CreateSelect(is_m1, b_.CreateNeg(a), res);
      } else {
        res = b_.CreateSelect(adjust, b_.CreateAdd(r, safe_b), r);
        res = b_.CreateSelect(is_m1, zero, res);
      }
      return b_.CreateSelect(is_zero, zero, res);
    }
    case BinOpKind::LShift:
    case BinOpKind::RShift: {
      unsigned bits = a->getType()->getIntegerBitWidth();
      // Python raises for a negative count; NumPy (arrays, error_model="numpy") treats it
      // as out of range: 0, or -1 for a negative value shifted right.
      if (s && python_errors()) error_if(b_.CreateICmpSLT(b, zero), DN_VALUE_ERROR, "negative shift count");
      llvm::Value* big = b_.CreateICmpUGE(b, llvm::ConstantInt::get(a->getType(), bits));
      llvm::Value* capped = b_.CreateSelect(big, llvm::ConstantInt::get(a->getType(), bits - 1), b);
      if (k == BinOpKind::LShift) return b_.CreateSelect(big, zero, b_.CreateShl(a, capped));
      if (s) return b_.CreateAShr(a, capped);
      return b_.CreateSelect(big, zero, b_.CreateLShr(a, capped));
    }
    case BinOpKind::Pow: {
      if (s) error_if(b_.CreateICmpSLT(b, zero), DN_VALUE_ERROR,
                      "integers to negative integer powers are not allowed");
      auto pow = runtime("dn_int_pow");
      llvm::Value* wa = s ? b_.CreateSExt(a, i64()) : b_.CreateZExt(a, i64());
      llvm::Value* wb = s ? b_.CreateSExt(b, i64()) : b_.CreateZExt(b, i64());
      return b_.CreateTrunc(b_.CreateCall(pow, {wa, wb}), a->getType());
    }
    default: DN_CHECK(false, std::string("int binop ") + binop_symbol(k));
  }
  return nullptr;
}

llvm::Value* FunctionLowering::float_binop(BinOpKind k, llvm::Value* a, llvm::Value* b,
                                           const Type* t) {
  llvm::Type* ft = a->getType();
  auto* zero = llvm::ConstantFP::get(ft, 0.0);
  switch (k) {
    case BinOpKind::Add: return b_.CreateFAdd(a, b);
    case BinOpKind::Sub: return b_.CreateFSub(a, b);
    case BinOpKind::Mul: return b_.CreateFMul(a, b);
    case BinOpKind::TrueDiv:
      if (python_errors()) error_if(b_.CreateFCmpOEQ(b, zero), DN_ZERO_DIVISION_ERROR, "division by zero");
      return b_.CreateFDiv(a, b);
    case BinOpKind::FloorDiv:
    case BinOpKind::Mod: {
      if (python_errors())
        error_if(b_.CreateFCmpOEQ(b, zero), DN_ZERO_DIVISION_ERROR,
                 k == BinOpKind::Mod ? "float modulo" : "float floor division by zero");
      if (k == BinOpKind::Mod) {
        // Python's and NumPy's remainder, in the operands' precision: fmod, moved into b's
        // sign when it has the other one; a zero remainder takes b's sign. (A NaN, and
        // b == 0's NaN, stay NaN.) Inline: no call besides fmod's in an array loop.
        llvm::Value* m = b_.CreateFRem(a, b);
        llvm::Value* other_sign = b_.CreateXor(b_.CreateFCmpOLT(b, zero), b_.CreateFCmpOLT(m, zero));
        llvm::Value* moved = b_.CreateSelect(other_sign, b_.CreateFAdd(m, b), m);
        llvm::Value* signed_zero = b_.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, zero, b);
        return b_.CreateSelect(b_.CreateFCmpUNE(m, zero), moved, signed_zero);
      }
      auto fn = runtime("dn_py_floordiv_f64");
      llvm::Value* da = b_.CreateFPExt(a, b_.getDoubleTy());
      llvm::Value* db = b_.CreateFPExt(b, b_.getDoubleTy());
      return b_.CreateFPTrunc(b_.CreateCall(fn, {da, db}), ft);
    }
    case BinOpKind::Pow:
      return b_.CreateBinaryIntrinsic(llvm::Intrinsic::pow, a, b);
    default: DN_CHECK(false, std::string("float binop ") + binop_symbol(k) + " on " + t->str());
  }
  return nullptr;
}

llvm::Value* FunctionLowering::complex_binop(BinOpKind k, llvm::Value* a, llvm::Value* b,
                                             const Type* t) {
  llvm::Value* ar = b_.CreateExtractValue(a, {0});
  llvm::Value* ai = b_.CreateExtractValue(a, {1});
  llvm::Value* br = b_.CreateExtractValue(b, {0});
  llvm::Value* bi = b_.CreateExtractValue(b, {1});
  llvm::Value *re = nullptr, *im = nullptr;
  switch (k) {
    case BinOpKind::Add: re = b_.CreateFAdd(ar, br); im = b_.CreateFAdd(ai, bi); break;
    case BinOpKind::Sub: re = b_.CreateFSub(ar, br); im = b_.CreateFSub(ai, bi); break;
    case BinOpKind::Mul:
      re = b_.CreateFSub(b_.CreateFMul(ar, br), b_.CreateFMul(ai, bi));
      im = b_.CreateFAdd(b_.CreateFMul(ar, bi), b_.CreateFMul(ai, br));
      break;
    case BinOpKind::TrueDiv: {
      auto* zero = llvm::ConstantFP::get(ar->getType(), 0.0);
      if (python_errors())
        error_if(b_.CreateAnd(b_.CreateFCmpOEQ(br, zero), b_.CreateFCmpOEQ(bi, zero)),
                 DN_ZERO_DIVISION_ERROR, "complex division by zero");
      // Smith's algorithm, as NumPy's loops (and CPython) divide: scaled by the larger part
      // of the divisor, so that infinite or huge divisors give 0 instead of nan, and an
      // exact zero divisor gives inf/nan (error_model="numpy").
      llvm::Value* abr = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, br);
      llvm::Value* abi = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, bi);
      llvm::Value* real_big = b_.CreateFCmpOGE(abr, abi);
      llvm::Value* one = llvm::ConstantFP::get(ar->getType(), 1.0);
      // |br| >= |bi|
      llvm::Value* rat1 = b_.CreateFDiv(bi, br);
      llvm::Value* scl1 = b_.CreateFDiv(one, b_.CreateFAdd(br, b_.CreateFMul(bi, rat1)));
      llvm::Value* re1 = b_.CreateFMul(b_.CreateFAdd(ar, b_.CreateFMul(ai, rat1)), scl1);
      llvm::Value* im1 = b_.CreateFMul(b_.CreateFSub(ai, b_.CreateFMul(ar, rat1)), scl1);
      // both zero: a / |br| part by part
      llvm::Value* both_zero = b_.CreateAnd(b_.CreateFCmpOEQ(abr, zero), b_.CreateFCmpOEQ(abi, zero));
      re1 = b_.CreateSelect(both_zero, b_.CreateFDiv(ar, abr), re1);
      im1 = b_.CreateSelect(both_zero, b_.CreateFDiv(ai, abr), im1);
      // |bi| > |br| (or a NaN part)
      llvm::Value* rat2 = b_.CreateFDiv(br, bi);
      llvm::Value* scl2 = b_.CreateFDiv(one, b_.CreateFAdd(bi, b_.CreateFMul(br, rat2)));
      llvm::Value* re2 = b_.CreateFMul(b_.CreateFAdd(b_.CreateFMul(ar, rat2), ai), scl2);
      llvm::Value* im2 = b_.CreateFMul(b_.CreateFSub(b_.CreateFMul(ai, rat2), ar), scl2);
      re = b_.CreateSelect(real_big, re1, re2);
      im = b_.CreateSelect(real_big, im1, im2);
      break;
    }
    case BinOpKind::Pow: {
      // Through memory as {double, double}; complex64 widens and narrows around the call.
      llvm::Type* part = ar->getType();
      auto* zero = llvm::ConstantFP::get(part, 0.0);
      if (python_errors())
        error_if(b_.CreateAnd(b_.CreateAnd(b_.CreateFCmpOEQ(ar, zero), b_.CreateFCmpOEQ(ai, zero)),
                              b_.CreateOr(b_.CreateFCmpOLT(br, zero), b_.CreateFCmpUNE(bi, zero))),
                 DN_ZERO_DIVISION_ERROR, "zero to a negative or complex power");
      auto* pair = llvm::StructType::get(b_.getDoubleTy(), b_.getDoubleTy());
      auto widen = [&](llvm::Value* re_, llvm::Value* im_) {
        llvm::Value* v = llvm::UndefValue::get(pair);
        v = b_.CreateInsertValue(v, b_.CreateFPExt(re_, b_.getDoubleTy()), {0});
        return spill(b_.CreateInsertValue(v, b_.CreateFPExt(im_, b_.getDoubleTy()), {1}));
      };
      llvm::Value* pa = widen(ar, ai);
      llvm::Value* pb = widen(br, bi);
      llvm::Value* pout = entry_alloca(pair, "cpow");
      b_.CreateCall(runtime("dn_complex_pow"),
                    {pa, pb, pout});
      llvm::Value* r = b_.CreateLoad(pair, pout);
      re = b_.CreateFPTrunc(b_.CreateExtractValue(r, {0}), part);
      im = b_.CreateFPTrunc(b_.CreateExtractValue(r, {1}), part);
      break;
    }
    default: DN_CHECK(false, std::string("complex binop ") + binop_symbol(k) + " on " + t->str());
  }
  llvm::Value* out = llvm::UndefValue::get(a->getType());
  out = b_.CreateInsertValue(out, re, {0});
  return b_.CreateInsertValue(out, im, {1});
}

// x ** n for a constant integer n: multiplications by repeated squaring (x**8 is three
// multiplies), the reciprocal for negative n on floats.

llvm::Value* FunctionLowering::unary(const Instr* i) {
  return unary_values(i->unop, value(i->operands[0]), i->type);
}

llvm::Value* FunctionLowering::unary_values(UnaryKind k, llvm::Value* v, const Type* t) {
  switch (k) {
    case UnaryKind::Pos: return v;
    case UnaryKind::Not: return b_.CreateNot(v);
    case UnaryKind::Invert: return b_.CreateNot(v);
    case UnaryKind::Neg:
      if (t->is_int()) return b_.CreateNeg(v);
      if (t->is_float()) return b_.CreateFNeg(v);
      {
        llvm::Value* re = b_.CreateFNeg(b_.CreateExtractValue(v, {0}));
        llvm::Value* im = b_.CreateFNeg(b_.CreateExtractValue(v, {1}));
        return b_.CreateInsertValue(b_.CreateInsertValue(v, re, {0}), im, {1});
      }
  }
  return nullptr;
}

llvm::Value* FunctionLowering::compare(const Instr* i) {
  return compare_values(i->cmp, value(i->operands[0]), value(i->operands[1]),
                        i->operands[0]->type);
}

llvm::Value* FunctionLowering::compare_values(CmpKind k, llvm::Value* a, llvm::Value* b, const Type* t) {
  if (t->is_complex()) {
    llvm::Value* ar = b_.CreateExtractValue(a, {0});
    llvm::Value* ai = b_.CreateExtractValue(a, {1});
    llvm::Value* br = b_.CreateExtractValue(b, {0});
    llvm::Value* bi = b_.CreateExtractValue(b, {1});
    if (k == CmpKind::Eq || k == CmpKind::Ne) {
      llvm::Value* eq = b_.CreateAnd(b_.CreateFCmpOEQ(ar, br), b_.CreateFCmpOEQ(ai, bi));
      return k == CmpKind::Eq ? eq : b_.CreateNot(eq);
    }
    // NumPy's lexicographic order (CLT, CLE, ...): the real parts decide unless they are
    // equal; a NaN imaginary part makes the strict real comparison false.
    bool lt = k == CmpKind::Lt || k == CmpKind::Le;
    bool strict = k == CmpKind::Lt || k == CmpKind::Gt;
    llvm::Value* no_nan = b_.CreateAnd(b_.CreateFCmpORD(ai, ai), b_.CreateFCmpORD(bi, bi));
    llvm::Value* real = b_.CreateAnd(lt ? b_.CreateFCmpOLT(ar, br) : b_.CreateFCmpOGT(ar, br), no_nan);
    llvm::Value* imag = strict ? (lt ? b_.CreateFCmpOLT(ai, bi) : b_.CreateFCmpOGT(ai, bi))
                               : (lt ? b_.CreateFCmpOLE(ai, bi) : b_.CreateFCmpOGE(ai, bi));
    return b_.CreateOr(real, b_.CreateAnd(b_.CreateFCmpOEQ(ar, br), imag));
  }
  if (t->is_float()) {
    switch (k) {
      case CmpKind::Lt: return b_.CreateFCmpOLT(a, b);
      case CmpKind::Le: return b_.CreateFCmpOLE(a, b);
      case CmpKind::Eq: return b_.CreateFCmpOEQ(a, b);
      case CmpKind::Ne: return b_.CreateFCmpUNE(a, b);
      case CmpKind::Gt: return b_.CreateFCmpOGT(a, b);
      case CmpKind::Ge: return b_.CreateFCmpOGE(a, b);
      default: break;
    }
  }
  bool s = t->is_int() && t->is_signed();
  switch (k) {
    case CmpKind::Lt: return s ? b_.CreateICmpSLT(a, b) : b_.CreateICmpULT(a, b);
    case CmpKind::Le: return s ? b_.CreateICmpSLE(a, b) : b_.CreateICmpULE(a, b);
    case CmpKind::Eq: return b_.CreateICmpEQ(a, b);
    case CmpKind::Ne: return b_.CreateICmpNE(a, b);
    case CmpKind::Gt: return s ? b_.CreateICmpSGT(a, b) : b_.CreateICmpUGT(a, b);
    case CmpKind::Ge: return s ? b_.CreateICmpSGE(a, b) : b_.CreateICmpUGE(a, b);
    default: DN_CHECK(false, "compare kind");
  }
  return nullptr;
}

llvm::Value* FunctionLowering::truth(llvm::Value* v, const Type* t) {
  switch (t->kind()) {
    case TypeKind::Bool: return v;
    case TypeKind::Int: return b_.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
    case TypeKind::Float: return b_.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0));
    case TypeKind::Complex:
      return b_.CreateOr(truth(b_.CreateExtractValue(v, {0}), t_float(t->bits() / 2)),
                         truth(b_.CreateExtractValue(v, {1}), t_float(t->bits() / 2)));
    case TypeKind::None: return b_.getFalse();
    case TypeKind::Tuple: return b_.getInt1(!t->elements().empty());
    case TypeKind::Range:
      return b_.CreateICmpNE(range_length(v), b_.getInt64(0));
    default: DN_CHECK(false, "truth of " + t->str());
  }
  return nullptr;
}

// int(x) of a float as Python checks it: NaN and infinities raise, and so do values that
// a 64-bit integer cannot hold (Python would make a bigger int).
void FunctionLowering::check_float_to_int(llvm::Value* v, const Type* to) {
  llvm::Type* ft = v->getType();
  error_if(b_.CreateFCmpUNO(v, v), DN_VALUE_ERROR, "cannot convert float NaN to integer");
  llvm::Value* mag = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
  error_if(b_.CreateFCmpOEQ(mag, llvm::ConstantFP::getInfinity(ft)), DN_OVERFLOW_ERROR,
           "cannot convert float infinity to integer");
  // Exact bounds: [-2**63, 2**63) signed, (-1, 2**64) unsigned.
  llvm::Value* lo = llvm::ConstantFP::get(ft, to->is_signed() ? -9223372036854775808.0 : -1.0);
  llvm::Value* hi = llvm::ConstantFP::get(ft, to->is_signed() ? 9223372036854775808.0 : 18446744073709551616.0);
  llvm::Value* out = to->is_signed() ? b_.CreateFCmpOLT(v, lo) : b_.CreateFCmpOLE(v, lo);
  error_if(b_.CreateOr(out, b_.CreateFCmpOGE(v, hi)), DN_OVERFLOW_ERROR,
           "float too large to convert to a 64-bit integer");
}

// A Python int (int64) converted to a narrower or unsigned dtype, as NumPy 2 checks it
// under either error model: OverflowError when the dtype does not hold the value.
void FunctionLowering::check_int_fits(llvm::Value* v, const Type* from, const Type* to) {
  if (to->bits() == 64 && to->is_signed() == from->is_signed()) return;
  llvm::Value* bad;
  if (to->bits() == 64) {
    bad = b_.CreateICmpSLT(v, b_.getInt64(0));  // int64 -> uint64
  } else {
    int64_t lo = to->is_signed() ? -(int64_t(1) << (to->bits() - 1)) : 0;
    int64_t hi = to->is_signed() ? (int64_t(1) << (to->bits() - 1)) - 1 : (int64_t(1) << to->bits()) - 1;
    bad = b_.CreateOr(b_.CreateICmpSLT(v, b_.getInt64(lo)), b_.CreateICmpSGT(v, b_.getInt64(hi)));
  }
  error_if(bad, DN_OVERFLOW_ERROR, "Python integer out of bounds for " + to->str());
}

llvm::Value* FunctionLowering::cast(llvm::Value* v, const Type* from, const Type* to) {
  if (from->strong() == to->strong()) return v;
  if (is_optional(to)) {
    // Into an optional: None is absent (a zero value), a value present, an optional's
    // value converted with its presence kept.
    llvm::Value* out = llvm::Constant::getNullValue(reg(to));
    if (from->kind() == TypeKind::None) return out;
    bool was_optional = is_optional(from);
    llvm::Value* payload = was_optional ? b_.CreateExtractValue(v, {0}) : v;
    payload = cast(payload, was_optional ? from->dtype() : from, to->dtype());
    out = b_.CreateInsertValue(out, payload, {0});
    return b_.CreateInsertValue(out, was_optional ? b_.CreateExtractValue(v, {1}) : b_.getTrue(), {1});
  }
  // An enum member is its value (typing casts between the two where one stands for the other).
  if (from->kind() == TypeKind::EnumMember) return cast(v, from->dtype(), to);
  if (to->kind() == TypeKind::EnumMember) return cast(v, from, to->dtype());
  llvm::Type* dst = reg(to);
  if (to->is_bool()) return truth(v, from);
  if (from->is_bool()) {
    if (to->is_int()) return b_.CreateZExt(v, dst);
    if (to->is_float()) return b_.CreateUIToFP(v, dst);
  }
  if (from->is_int() && to->is_int()) return b_.CreateIntCast(v, dst, from->is_signed());
  if (from->is_int() && to->is_float())
    return from->is_signed() ? b_.CreateSIToFP(v, dst) : b_.CreateUIToFP(v, dst);
  if (from->is_float() && to->is_int()) {
    // Saturating: NaN becomes 0 and out-of-range values clamp instead of being poison.
    auto id = to->is_signed() ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    return b_.CreateIntrinsic(id, {dst, v->getType()}, {v});
  }
  if (from->is_float() && to->is_float()) return b_.CreateFPCast(v, dst);
  if (from->is_complex() && (to->is_float() || to->is_int()))  // astype: NumPy drops the imaginary part
    return cast(b_.CreateExtractValue(v, {0}), t_float(from->bits() / 2), to);
  if (to->is_complex()) {
    const Type* part = t_float(to->bits() / 2);
    llvm::Value* re;
    llvm::Value* im;
    if (from->is_complex()) {
      re = cast(b_.CreateExtractValue(v, {0}), t_float(from->bits() / 2), part);
      im = cast(b_.CreateExtractValue(v, {1}), t_float(from->bits() / 2), part);
    } else {
      re = cast(v, from, part);
      im = llvm::ConstantFP::get(reg(part), 0.0);
    }
    llvm::Value* out = llvm::UndefValue::get(dst);
    return b_.CreateInsertValue(b_.CreateInsertValue(out, re, {0}), im, {1});
  }
  if (from->kind() == TypeKind::Tuple && to->kind() == TypeKind::Tuple) {
    llvm::Value* out = llvm::UndefValue::get(dst);
    for (unsigned k = 0; k < from->elements().size(); ++k)
      out = b_.CreateInsertValue(out, cast(b_.CreateExtractValue(v, {k}), from->elements()[k], to->elements()[k]), {k});
    return out;
  }
  if (from->kind() == TypeKind::Array && to->kind() == TypeKind::Array) return v;  // layout only
  DN_CHECK(false, "cast from " + from->str() + " to " + to->str());
  return nullptr;
}

}  // namespace dn
