// Lowering of typed calls: each Intrinsic (chosen by typing) becomes LLVM IR. Math
// functions with an LLVM intrinsic use it (so the vectoriser can map them to libmvec);
// the others call libm.
#include <llvm/IR/Intrinsics.h>

#include <cmath>
#include <map>

#include "jit/codegen/llvm/lowering.h"
#include "runtime/abi.h"

namespace dn {

llvm::Value* FunctionLowering::call(const Instr* i) {
  std::vector<llvm::Value*> args;
  for (size_t k = 1; k < i->operands.size(); ++k)
    args.push_back(has_value(i->operands[k]->type) ? value(i->operands[k]) : nullptr);
  switch (i->intrinsic) {
    case Intrinsic::Range: {
      llvm::Value *start = b_.getInt64(0), *stop, *step = b_.getInt64(1);
      if (args.size() == 1) {
        stop = args[0];
      } else {
        start = args[0];
        stop = args[1];
        if (args.size() == 3) step = args[2];
      }
      if (args.size() == 3) error_if(b_.CreateICmpEQ(step, b_.getInt64(0)), DN_VALUE_ERROR, "range() arg 3 must not be zero");
      llvm::Value* r = llvm::UndefValue::get(reg(i->type));
      r = b_.CreateInsertValue(r, start, {0});
      r = b_.CreateInsertValue(r, stop, {1});
      return b_.CreateInsertValue(r, step, {2});
    }
    case Intrinsic::Len: {
      const Type* t = i->operands[1]->type;
      if (t->kind() == TypeKind::Array) return b_.CreateExtractValue(args[0], {3, 0});
      if (t->kind() == TypeKind::Tuple) return b_.getInt64(int64_t(t->elements().size()));
      llvm::Value* n = range_length(args[0]);
      error_if(b_.CreateICmpSLT(n, b_.getInt64(0)), DN_OVERFLOW_ERROR, "Python int too large to convert to C ssize_t");
      return n;
    }
    case Intrinsic::Abs:
    case Intrinsic::Min:
    case Intrinsic::Max:
    case Intrinsic::MathFunc:
    case Intrinsic::IsNan:
    case Intrinsic::IsInf:
    case Intrinsic::IsFinite:
    case Intrinsic::Where: {
      const Type* arg_t = i->operands.back()->type;  // where(c, x, y): x and y share it
      return scalar_call(i, args, arg_t, i->type);
    }
    case Intrinsic::Slice: {
      // {start, stop, step}; a missing start or stop is INT64_MIN, a missing step 1.
      std::vector<llvm::Value*> v{b_.getInt64(INT64_MIN), b_.getInt64(INT64_MIN), b_.getInt64(1)};
      auto given = [&](size_t k) { return i->operands[k + 1]->type != t_none(); };
      if (args.size() == 1) {
        if (given(0)) v[1] = args[0];
      } else {
        for (size_t k = 0; k < args.size(); ++k)
          if (given(k)) v[k] = args[k];
      }
      llvm::Value* s = llvm::UndefValue::get(reg(i->type));
      for (unsigned k = 0; k < 3; ++k) s = b_.CreateInsertValue(s, v[k], {k});
      return s;
    }
    case Intrinsic::MatMul: return matmul(i->operands[1], i->operands[2], i->type);
    case Intrinsic::Linalg: return linalg(i);
    case Intrinsic::SortLine: {
      llvm::Value* line = spill(value(i->operands[1]));
      llvm::Value* dtype = b_.getInt32(dtype_code(i->operands[1]->type->dtype()));
      llvm::Value* stable = b_.CreateZExt(value(i->operands[2]), b_.getInt32Ty());
      if (i->func == "sort") {
        return_if_failed(b_.CreateCall(runtime("dn_array_sort"), {line, dtype, stable}));
        return nullptr;
      }
      llvm::Value* out = entry_alloca(reg(i->type), "argsort");
      return_if_failed(b_.CreateCall(runtime("dn_array_argsort"), {line, dtype, stable, out}));
      return b_.CreateLoad(reg(i->type), out);
    }
    case Intrinsic::Reshape: return reshape(i);
    case Intrinsic::Transpose: return transpose(args[0], i->operands[1]->type, i->type);
    case Intrinsic::StridedView: return strided_view(i);
    case Intrinsic::TupleSet: {
      // Each element picks v where its index is i: a select per element, folded for a constant i.
      llvm::Value* t = args[0];
      unsigned n = unsigned(i->type->elements().size());
      for (unsigned k = 0; k < n; ++k) {
        llvm::Value* here = b_.CreateICmpEQ(args[1], b_.getInt64(k));
        t = b_.CreateInsertValue(t, b_.CreateSelect(here, args[2], b_.CreateExtractValue(t, {k})), {k});
      }
      return t;
    }
    case Intrinsic::CallJitted: {
      if (is_generator(i->type)) return make_generator_frame(i->callee_key);
      llvm::Function* callee = module_.getFunction(i->callee_key);
      DN_CHECK(callee, "callee not lowered: " + i->callee_key);
      llvm::Type* rt = reg(i->type);
      llvm::Value* out = entry_alloca(rt ? rt : b_.getInt8Ty(), "call_result");
      std::vector<llvm::Value*> call_args{out};
      for (llvm::Value* a : args) call_args.push_back(a ? a : b_.getInt8(0));
      return_if_failed(b_.CreateCall(callee, call_args));
      return rt ? b_.CreateLoad(rt, out) : nullptr;
    }
    case Intrinsic::RuntimeScalar: {
      for (size_t k = 1; k < i->operands.size(); ++k)  // an array: its descriptor's address
        if (i->operands[k]->type->kind() == TypeKind::Array) args[k - 1] = spill(args[k - 1]);
      llvm::Value* v = b_.CreateCall(runtime(i->func), args);
      if (i->type->kind() != TypeKind::None) return v;
      if (v->getType()->isIntegerTy(32)) return_if_failed(v);  // a status
      return nullptr;
    }
    default: break;  // reductions, scans, creation, joins: IR by now (lower_array_loops)
  }
  DN_CHECK(false, "call without an intrinsic: " + print_instr(*i));
  return nullptr;
}

llvm::Value* FunctionLowering::scalar_call(const Instr* i, const std::vector<llvm::Value*>& args,
                                           const Type* arg_t, const Type* result_t) {
  llvm::Value* x = args[0];
  switch (i->intrinsic) {
    case Intrinsic::Abs:
      if (arg_t->is_float()) return b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
      if (arg_t->is_int()) {
        if (!arg_t->is_signed()) return x;
        return b_.CreateSelect(b_.CreateICmpSLT(x, llvm::ConstantInt::get(x->getType(), 0)), b_.CreateNeg(x), x);
      }
      if (arg_t->is_bool()) return x;
      return scalar_abs_complex(x, arg_t);
    case Intrinsic::Min: return min_max(args, result_t, true);
    case Intrinsic::Max: return min_max(args, result_t, false);
    case Intrinsic::MathFunc: return math_call(i->func, args, arg_t, result_t);
    case Intrinsic::IsNan:
      if (arg_t->is_complex()) return complex_has_nan(x);
      return b_.CreateFCmpUNO(x, x);
    case Intrinsic::IsInf:
    case Intrinsic::IsFinite: {
      if (arg_t->is_complex()) {
        // isinf: either part infinite; isfinite: both parts finite.
        const Type* part = t_float(arg_t->bits() / 2);
        Instr probe;
        probe.intrinsic = i->intrinsic;
        llvm::Value* re = scalar_call(&probe, {b_.CreateExtractValue(x, {0})}, part, t_bool());
        llvm::Value* im = scalar_call(&probe, {b_.CreateExtractValue(x, {1})}, part, t_bool());
        return i->intrinsic == Intrinsic::IsInf ? b_.CreateOr(re, im) : b_.CreateAnd(re, im);
      }
      llvm::Value* a = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
      auto* inf = llvm::ConstantFP::getInfinity(a->getType());
      return i->intrinsic == Intrinsic::IsInf ? b_.CreateFCmpOEQ(a, inf) : b_.CreateFCmpOLT(a, inf);
    }
    case Intrinsic::Where: return b_.CreateSelect(args[0], args[1], args[2]);
    default: DN_CHECK(false, "not a scalar intrinsic: " + print_instr(*i));
  }
  return nullptr;
}

llvm::Value* FunctionLowering::scalar_abs_complex(llvm::Value* z, const Type* t) {
  llvm::Value* re = b_.CreateExtractValue(z, {0});
  llvm::Value* im = b_.CreateExtractValue(z, {1});
  const char* h = t->bits() == 64 ? "hypotf" : "hypot";
  auto fn = c_function(h, re->getType(), {re->getType(), re->getType()});
  return b_.CreateCall(fn, {re, im});
}

// A complex ufunc through the runtime (dn_complex_func), in double precision.
llvm::Value* FunctionLowering::complex_func(const std::string& name, llvm::Value* z, const Type* t) {
  static const std::pair<const char*, int> codes[] = {
#define DN_COMPLEX_CODE(n) {#n, DN_C_##n},
      DN_COMPLEX_FUNCS(DN_COMPLEX_CODE)
#undef DN_COMPLEX_CODE
  };
  int code = -1;
  for (auto& [n, c] : codes)
    if (name == n) code = c;
  DN_CHECK(code >= 0, "complex function " + name + " on " + t->str());
  llvm::Type* part = b_.CreateExtractValue(z, {0})->getType();
  auto* pair = llvm::StructType::get(b_.getDoubleTy(), b_.getDoubleTy());
  llvm::Value* wide = llvm::UndefValue::get(pair);
  wide = b_.CreateInsertValue(wide, b_.CreateFPExt(b_.CreateExtractValue(z, {0}), b_.getDoubleTy()), {0});
  wide = b_.CreateInsertValue(wide, b_.CreateFPExt(b_.CreateExtractValue(z, {1}), b_.getDoubleTy()), {1});
  llvm::Value* in = spill(wide);
  llvm::Value* out = entry_alloca(pair, "cfunc");
  b_.CreateCall(runtime("dn_complex_func"),
                {b_.getInt32(code), in, out});
  llvm::Value* r = b_.CreateLoad(pair, out);
  llvm::Value* res = llvm::UndefValue::get(z->getType());
  res = b_.CreateInsertValue(res, b_.CreateFPTrunc(b_.CreateExtractValue(r, {0}), part), {0});
  return b_.CreateInsertValue(res, b_.CreateFPTrunc(b_.CreateExtractValue(r, {1}), part), {1});
}

llvm::Value* FunctionLowering::complex_has_nan(llvm::Value* z) {
  llvm::Value* re = b_.CreateExtractValue(z, {0});
  llvm::Value* im = b_.CreateExtractValue(z, {1});
  return b_.CreateOr(b_.CreateFCmpUNO(re, re), b_.CreateFCmpUNO(im, im));
}

// NumPy's CGE (or CLE when !ge): (ar > br && no NaN imaginary part) || (ar == br && ai >= bi).
llvm::Value* FunctionLowering::complex_at_least(llvm::Value* a, llvm::Value* b, bool ge) {
  llvm::Value* ar = b_.CreateExtractValue(a, {0});
  llvm::Value* ai = b_.CreateExtractValue(a, {1});
  llvm::Value* br = b_.CreateExtractValue(b, {0});
  llvm::Value* bi = b_.CreateExtractValue(b, {1});
  llvm::Value* no_nan_im = b_.CreateAnd(b_.CreateFCmpORD(ai, ai), b_.CreateFCmpORD(bi, bi));
  llvm::Value* strict = b_.CreateAnd(ge ? b_.CreateFCmpOGT(ar, br) : b_.CreateFCmpOLT(ar, br), no_nan_im);
  llvm::Value* tie = b_.CreateAnd(b_.CreateFCmpOEQ(ar, br), ge ? b_.CreateFCmpOGE(ai, bi) : b_.CreateFCmpOLE(ai, bi));
  return b_.CreateOr(strict, tie);
}

// Python's min/max: scan left to right, replacing the current value only when the next
// one is strictly smaller (larger), so ties and NaNs behave as in CPython.
llvm::Value* FunctionLowering::min_max(const std::vector<llvm::Value*>& args, const Type* t, bool is_min) {
  llvm::Value* best = args[0];
  for (size_t k = 1; k < args.size(); ++k) {
    llvm::Value* x = args[k];
    llvm::Value* better;
    if (t->is_float()) better = is_min ? b_.CreateFCmpOLT(x, best) : b_.CreateFCmpOGT(x, best);
    else if (t->is_int() && t->is_signed()) better = is_min ? b_.CreateICmpSLT(x, best) : b_.CreateICmpSGT(x, best);
    else better = is_min ? b_.CreateICmpULT(x, best) : b_.CreateICmpUGT(x, best);
    best = b_.CreateSelect(better, x, best);
  }
  return best;
}

llvm::Value* FunctionLowering::math_call(const std::string& name, const std::vector<llvm::Value*>& args,
                                         const Type* t, const Type* result_t) {
  llvm::Value* x = args[0];
  if (name == "conjugate") {
    if (!t->is_complex()) return x;
    return b_.CreateInsertValue(x, b_.CreateFNeg(b_.CreateExtractValue(x, {1})), {1});
  }
  if (name == "identity") return x;
  if (name == "zero") return llvm::Constant::getNullValue(x->getType());
  if (name == "degrees" || name == "radians") {
    // x times NumPy's constant, in x's width (npy_degreesf's 180.0f / NPY_PIf for float32).
    bool f32 = x->getType()->isFloatTy();
    double k = name == "degrees" ? (f32 ? double(180.0f / float(M_PI)) : 180.0 / M_PI)
                                 : (f32 ? double(float(M_PI) / 180.0f) : M_PI / 180.0);
    return b_.CreateFMul(x, llvm::ConstantFP::get(x->getType(), k));
  }
  if (name == "real" || name == "imag") return b_.CreateExtractValue(x, {name == "real" ? 0u : 1u});
  if (name == "signbit") {
    unsigned bits = x->getType()->getPrimitiveSizeInBits();
    return b_.CreateICmpSLT(b_.CreateBitCast(x, b_.getIntNTy(bits)), b_.getIntN(bits, 0));
  }
  if (name == "fmod_int") {  // C's remainder; NumPy's 0 for a zero divisor (and for MIN % -1)
    llvm::Value* y = args[1];
    llvm::Value* zero = llvm::ConstantInt::get(y->getType(), 0);
    llvm::Value* bad = b_.CreateICmpEQ(y, zero);
    if (t->is_signed()) bad = b_.CreateOr(bad, b_.CreateICmpEQ(y, llvm::ConstantInt::getSigned(y->getType(), -1)));
    llvm::Value* safe = b_.CreateSelect(bad, llvm::ConstantInt::get(y->getType(), 1), y);
    llvm::Value* rem = t->is_signed() ? b_.CreateSRem(x, safe) : b_.CreateURem(x, safe);
    return b_.CreateSelect(bad, zero, rem);
  }
  if (name == "dn_py_round") return b_.CreateCall(runtime(name), args);
  if (name == "ipow") return binop_values(BinOpKind::Pow, x, args[1], t);
  if (name == "square")
    return t->is_complex() ? complex_binop(BinOpKind::Mul, x, x, t)
                           : t->is_float() ? b_.CreateFMul(x, x) : b_.CreateMul(x, x);
  if (name == "clog" && args.size() == 2) {
    // cmath.log(z, base): log(z) / log(base), CPython's ValueError where log(base) is 0.
    llvm::Value* den = complex_func("log", args[1], t);
    llvm::Value* zero = llvm::ConstantFP::get(b_.CreateExtractValue(den, {0})->getType(), 0.0);
    error_if(b_.CreateAnd(b_.CreateFCmpOEQ(b_.CreateExtractValue(den, {0}), zero),
                          b_.CreateFCmpOEQ(b_.CreateExtractValue(den, {1}), zero)),
             DN_VALUE_ERROR, "math domain error");
    return complex_binop(BinOpKind::TrueDiv, complex_func("log", x, t), den, t);
  }
  if (name.size() > 1 && name[0] == 'c' && t->is_complex()) return complex_func(name.substr(1), x, t);
  if (name == "angle" || name == "polar") {
    // The angle of z (of x + 0j for a real x): atan2(imag, real), as CPython's phase and
    // NumPy's angle compute it; polar pairs it with abs(z).
    llvm::Value* re = t->is_complex() ? b_.CreateExtractValue(x, {0}) : x;
    llvm::Value* im = t->is_complex() ? b_.CreateExtractValue(x, {1}) : llvm::ConstantFP::get(x->getType(), 0.0);
    const Type* part = t->is_complex() ? t_float(t->bits() / 2) : t;
    llvm::Value* phi = math_call("atan2", {im, re}, part, part);
    if (name == "angle") return phi;
    llvm::Value* pair = llvm::UndefValue::get(reg(result_t));
    pair = b_.CreateInsertValue(pair, scalar_abs_complex(x, t), {0});
    return b_.CreateInsertValue(pair, phi, {1});
  }
  if (name == "rect") {
    // cmath.rect(r, phi): the runtime's complex functions take the pair (r, phi) as z.
    auto* pair = llvm::StructType::get(x->getType(), x->getType());
    llvm::Value* z = b_.CreateInsertValue(llvm::UndefValue::get(pair), x, {0});
    return complex_func("rect", b_.CreateInsertValue(z, args[1], {1}), result_t);
  }
  if (name == "sign" && t->is_complex()) {
    // NumPy 2: z / |z|, and 0 for 0.
    llvm::Value* re = b_.CreateExtractValue(x, {0});
    llvm::Value* im = b_.CreateExtractValue(x, {1});
    llvm::Value* mag = scalar_abs_complex(x, t);
    llvm::Value* zero = llvm::ConstantFP::get(re->getType(), 0.0);
    llvm::Value* is_zero = b_.CreateFCmpOEQ(mag, zero);
    llvm::Value* safe = b_.CreateSelect(is_zero, llvm::ConstantFP::get(re->getType(), 1.0), mag);
    llvm::Value* out = b_.CreateInsertValue(x, b_.CreateSelect(is_zero, zero, b_.CreateFDiv(re, safe)), {0});
    return b_.CreateInsertValue(out, b_.CreateSelect(is_zero, zero, b_.CreateFDiv(im, safe)), {1});
  }
  if (name == "sign") {
    if (t->is_float()) {
      llvm::Value* zero = llvm::ConstantFP::get(x->getType(), 0.0);
      llvm::Value* one = llvm::ConstantFP::get(x->getType(), 1.0);
      llvm::Value* r = b_.CreateSelect(b_.CreateFCmpOEQ(x, zero), zero, x);  // -0.0 gives 0.0, NaN stays
      r = b_.CreateSelect(b_.CreateFCmpOLT(x, zero), b_.CreateFNeg(one), r);
      return b_.CreateSelect(b_.CreateFCmpOGT(x, zero), one, r);
    }
    if (t->is_int() && !t->is_signed())
      return b_.CreateZExt(b_.CreateICmpNE(x, llvm::ConstantInt::get(x->getType(), 0)), x->getType());
    llvm::Value* pos = b_.CreateZExt(b_.CreateICmpSGT(x, llvm::ConstantInt::get(x->getType(), 0)), x->getType());
    llvm::Value* neg = b_.CreateZExt(b_.CreateICmpSLT(x, llvm::ConstantInt::get(x->getType(), 0)), x->getType());
    return b_.CreateSub(pos, neg);
  }
  if (name == "maximum" || name == "minimum" || name == "fmax" || name == "fmin" || name == "clip") {
    // NumPy: maximum/minimum propagate NaN, fmax/fmin prefer the number.
    auto pick = [&](llvm::Value* a, llvm::Value* b, bool is_max, bool nan_propagates) -> llvm::Value* {
      if (t->is_complex()) {
        // NumPy orders complex numbers lexicographically; maximum keeps a NaN-holding first
        // operand, fmax keeps the first unless the second holds no NaN and is larger.
        llvm::Value* keep_a = nan_propagates
            ? b_.CreateOr(complex_has_nan(a), complex_at_least(a, b, is_max))
            : b_.CreateOr(complex_has_nan(b), complex_at_least(a, b, is_max));
        return b_.CreateSelect(keep_a, a, b);
      }
      if (!t->is_float()) {
        auto id = t->is_signed() || t->is_bool() ? (is_max ? llvm::Intrinsic::smax : llvm::Intrinsic::smin)
                                                 : (is_max ? llvm::Intrinsic::umax : llvm::Intrinsic::umin);
        if (t->is_bool()) return is_max ? b_.CreateOr(a, b) : b_.CreateAnd(a, b);
        return b_.CreateBinaryIntrinsic(id, a, b);
      }
      auto id = nan_propagates ? (is_max ? llvm::Intrinsic::maximum : llvm::Intrinsic::minimum)
                               : (is_max ? llvm::Intrinsic::maxnum : llvm::Intrinsic::minnum);
      return b_.CreateBinaryIntrinsic(id, a, b);
    };
    if (name == "clip") return pick(pick(x, args[1], true, true), args[2], false, true);
    bool is_max = name == "maximum" || name == "fmax";
    return pick(x, args[1], is_max, name == "maximum" || name == "minimum");
  }
  if (name == "logaddexp") {
    // log(exp(a) + exp(b)) = max + log1p(exp(-|a - b|)), without overflow.
    llvm::Value* hi = b_.CreateBinaryIntrinsic(llvm::Intrinsic::maxnum, x, args[1]);
    llvm::Value* d = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, b_.CreateFSub(x, args[1]));
    llvm::Value* e = b_.CreateUnaryIntrinsic(llvm::Intrinsic::exp, b_.CreateFNeg(d));
    llvm::Value* l = math_call("log1p", {e}, t, t);
    // Equal infinities: a - b is NaN; the answer is that infinity.
    llvm::Value* same = b_.CreateFCmpOEQ(x, args[1]);
    return b_.CreateSelect(same, b_.CreateFAdd(x, llvm::ConstantFP::get(x->getType(), M_LN2)), b_.CreateFAdd(hi, l));
  }
  static const std::map<std::string, llvm::Intrinsic::ID> intrinsics = {
      {"sqrt", llvm::Intrinsic::sqrt},   {"exp", llvm::Intrinsic::exp},
      {"exp2", llvm::Intrinsic::exp2},   {"log", llvm::Intrinsic::log},
      {"log2", llvm::Intrinsic::log2},   {"log10", llvm::Intrinsic::log10},
      {"sin", llvm::Intrinsic::sin},     {"cos", llvm::Intrinsic::cos},
      {"tan", llvm::Intrinsic::tan},     {"fabs", llvm::Intrinsic::fabs},
      {"floor", llvm::Intrinsic::floor}, {"ceil", llvm::Intrinsic::ceil},
      {"trunc", llvm::Intrinsic::trunc}, {"rint", llvm::Intrinsic::rint},
      {"pow", llvm::Intrinsic::pow},     {"copysign", llvm::Intrinsic::copysign},
  };
  llvm::Value* r;
  auto it = intrinsics.find(name);
  if (it != intrinsics.end()) {
    r = args.size() == 1 ? b_.CreateUnaryIntrinsic(it->second, x)
                         : b_.CreateBinaryIntrinsic(it->second, x, args[1]);
  } else {
    // libm, with the float32 variant's "f" suffix.
    std::string sym = x->getType()->isFloatTy() ? name + "f" : name;
    std::vector<llvm::Type*> params(args.size(), x->getType());
    auto fn = c_function(sym, x->getType(), params);
    if (auto* f = llvm::dyn_cast<llvm::Function>(fn.getCallee())) {
      f->setDoesNotThrow();
      f->setDoesNotAccessMemory();  // errno is not observed by compiled code
    }
    r = b_.CreateCall(fn, args);
  }
  DN_CHECK(!result_t->is_int(), "math." + name + " of a float returns a float here (int() follows it)");
  return r;
}

}  // namespace dn
