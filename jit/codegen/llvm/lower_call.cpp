// Lowering of typed calls: each Intrinsic (chosen by typing) becomes LLVM IR. Math
// functions with an LLVM intrinsic use it (so the vectoriser can map them to libmvec);
// the others call libm.
#include <llvm/IR/Intrinsics.h>

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
      return range_length(args[0]);
    }
    case Intrinsic::Abs: {
      const Type* t = i->operands[1]->type;
      llvm::Value* x = args[0];
      if (t->is_float()) return b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
      if (t->is_int()) {
        if (!t->is_signed()) return x;
        return b_.CreateSelect(b_.CreateICmpSLT(x, llvm::ConstantInt::get(x->getType(), 0)), b_.CreateNeg(x), x);
      }
      llvm::Value* re = b_.CreateExtractValue(x, {0});
      llvm::Value* im = b_.CreateExtractValue(x, {1});
      const char* h = t->bits() == 64 ? "hypotf" : "hypot";
      auto fn = runtime(h, re->getType(), {re->getType(), re->getType()});
      return b_.CreateCall(fn, {re, im});
    }
    case Intrinsic::Min: return min_max(i, true);
    case Intrinsic::Max: return min_max(i, false);
    case Intrinsic::MathFunc: return math_call(i, args);
    case Intrinsic::IsNan: return b_.CreateFCmpUNO(args[0], args[0]);
    case Intrinsic::IsInf:
    case Intrinsic::IsFinite: {
      llvm::Value* a = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, args[0]);
      auto* inf = llvm::ConstantFP::getInfinity(a->getType());
      return i->intrinsic == Intrinsic::IsInf ? b_.CreateFCmpOEQ(a, inf) : b_.CreateFCmpOLT(a, inf);
    }
    case Intrinsic::ArrayAlloc: return array_alloc(i);
    case Intrinsic::ArrayCopy:
    case Intrinsic::ArraySum:
    case Intrinsic::ArrayMin:
    case Intrinsic::ArrayMax: return array_runtime_call(i);
    case Intrinsic::CallJitted: {
      llvm::Function* callee = module_.getFunction(i->callee_key);
      DN_CHECK(callee, "callee not lowered: " + i->callee_key);
      llvm::Type* rt = reg(i->type);
      llvm::Value* out = entry_alloca(rt ? rt : b_.getInt8Ty(), "call_result");
      std::vector<llvm::Value*> call_args{out};
      for (llvm::Value* a : args) call_args.push_back(a ? a : b_.getInt8(0));
      return_if_failed(b_.CreateCall(callee, call_args));
      return rt ? b_.CreateLoad(rt, out) : nullptr;
    }
    case Intrinsic::None: break;
  }
  DN_CHECK(false, "call without an intrinsic: " + print_instr(*i));
  return nullptr;
}

// Python's min/max: scan left to right, replacing the current value only when the next
// one is strictly smaller (larger), so ties and NaNs behave as in CPython.
llvm::Value* FunctionLowering::min_max(const Instr* i, bool is_min) {
  const Type* t = i->type;
  llvm::Value* best = value(i->operands[1]);
  for (size_t k = 2; k < i->operands.size(); ++k) {
    llvm::Value* x = value(i->operands[k]);
    llvm::Value* better;
    if (t->is_float()) better = is_min ? b_.CreateFCmpOLT(x, best) : b_.CreateFCmpOGT(x, best);
    else if (t->is_int() && t->is_signed()) better = is_min ? b_.CreateICmpSLT(x, best) : b_.CreateICmpSGT(x, best);
    else better = is_min ? b_.CreateICmpULT(x, best) : b_.CreateICmpUGT(x, best);
    best = b_.CreateSelect(better, x, best);
  }
  return best;
}

llvm::Value* FunctionLowering::math_call(const Instr* i, std::vector<llvm::Value*> args) {
  const std::string& name = i->name;
  const Type* t = i->operands[1]->type;
  llvm::Value* x = args[0];
  if (name == "conjugate") {
    if (!t->is_complex()) return x;
    return b_.CreateInsertValue(x, b_.CreateFNeg(b_.CreateExtractValue(x, {1})), {1});
  }
  if (name == "square") return t->is_float() ? b_.CreateFMul(x, x) : b_.CreateMul(x, x);
  if (name == "sign") {
    if (t->is_float()) {
      llvm::Value* zero = llvm::ConstantFP::get(x->getType(), 0.0);
      llvm::Value* one = llvm::ConstantFP::get(x->getType(), 1.0);
      llvm::Value* r = b_.CreateSelect(b_.CreateFCmpOLT(x, zero), b_.CreateFNeg(one), x);
      return b_.CreateSelect(b_.CreateFCmpOGT(x, zero), one, r);  // keeps 0 and NaN
    }
    llvm::Value* pos = b_.CreateZExt(b_.CreateICmpSGT(x, llvm::ConstantInt::get(x->getType(), 0)), x->getType());
    llvm::Value* neg = b_.CreateZExt(b_.CreateICmpSLT(x, llvm::ConstantInt::get(x->getType(), 0)), x->getType());
    return b_.CreateSub(pos, neg);
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
    auto fn = runtime(sym, x->getType(), params);
    if (auto* f = llvm::dyn_cast<llvm::Function>(fn.getCallee())) {
      f->setDoesNotThrow();
      f->setDoesNotAccessMemory();  // errno is not observed by compiled code
    }
    r = b_.CreateCall(fn, args);
  }
  // math.floor/ceil/trunc return Python ints.
  if (i->type->is_int()) {
    auto id = llvm::Intrinsic::fptosi_sat;
    r = b_.CreateIntrinsic(id, {reg(i->type), r->getType()}, {r});
  }
  return r;
}

}  // namespace dn
