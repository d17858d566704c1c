// Lowering of shape functions (see jit/typing/shape_functions.h): transpose and reshape
// build descriptors over the same memory (concatenate and stack are IR loops by now:
// jit/transforms/lower_join).
#include "jit/codegen/llvm/lowering.h"
#include "runtime/abi.h"

namespace dn {

static llvm::Value* dim(llvm::IRBuilder<>& b, llvm::Value* a, unsigned field, int k) {
  return b.CreateExtractValue(a, {field, unsigned(k)});
}

llvm::Value* FunctionLowering::transpose(llvm::Value* a, const Type* at, const Type* rt) {
  int nd = at->ndim();
  llvm::Value* out = llvm::UndefValue::get(reg(rt));
  for (unsigned f = 0; f < 3; ++f) out = b_.CreateInsertValue(out, b_.CreateExtractValue(a, {f}), {f});
  for (int k = 0; k < nd; ++k) {
    out = b_.CreateInsertValue(out, dim(b_, a, 3, nd - 1 - k), {3u, unsigned(k)});
    out = b_.CreateInsertValue(out, dim(b_, a, 4, nd - 1 - k), {4u, unsigned(k)});
  }
  return out;
}

// strided_view(a, shape, strides, offset): a's owner, its data moved by `offset` bytes, and
// the given extents and strides (int tuples, widened to int64).
llvm::Value* FunctionLowering::strided_view(const Instr* i) {
  llvm::Value* a = value(i->operands[1]);
  const Type* shape_t = i->operands[2]->type;
  const Type* strides_t = i->operands[3]->type;
  llvm::Value* shape = value(i->operands[2]);
  llvm::Value* strides = value(i->operands[3]);
  llvm::Value* out = llvm::UndefValue::get(reg(i->type));
  for (unsigned f = 0; f < 2; ++f) out = b_.CreateInsertValue(out, b_.CreateExtractValue(a, {f}), {f});
  llvm::Value* data = b_.CreateExtractValue(a, {2u});
  data = b_.CreateGEP(b_.getInt8Ty(), data, value(i->operands[4]));
  out = b_.CreateInsertValue(out, data, {2u});
  for (unsigned k = 0; k < unsigned(i->type->ndim()); ++k) {
    out = b_.CreateInsertValue(out, cast(b_.CreateExtractValue(shape, {k}), shape_t->elements()[k], t_int64()), {3u, k});
    out = b_.CreateInsertValue(out, cast(b_.CreateExtractValue(strides, {k}), strides_t->elements()[k], t_int64()), {4u, k});
  }
  return out;
}

llvm::Value* FunctionLowering::reshape(const Instr* i) {
  const Instr* x = i->operands[1];
  const Type* xt = x->type;
  const Type* rt = i->type;
  int nd = rt->ndim();
  // The requested dimensions: ravel/flatten ask for (-1); reshape for ints or a tuple.
  std::vector<llvm::Value*> want;
  if (i->to_1d) {
    want.push_back(b_.getInt64(-1));
  } else if (i->operands.size() == 3 && i->operands[2]->type->kind() == TypeKind::Tuple) {
    const Instr* t = i->operands[2];
    for (int k = 0; k < nd; ++k)
      want.push_back(cast(b_.CreateExtractValue(value(t), {unsigned(k)}), t->type->elements()[size_t(k)], t_int64()));
  } else {
    for (size_t k = 2; k < i->operands.size(); ++k)
      want.push_back(cast(value(i->operands[k]), i->operands[k]->type, t_int64()));
  }
  llvm::Value* xv = value(x);
  llvm::Value* size = array_size(xv, xt);
  llvm::Value* known = b_.getInt64(1);
  llvm::Value* unknowns = b_.getInt64(0);
  for (llvm::Value* w : want) {
    llvm::Value* neg = b_.CreateICmpEQ(w, b_.getInt64(-1));
    unknowns = b_.CreateAdd(unknowns, b_.CreateZExt(neg, i64()));
    error_if(b_.CreateAnd(b_.CreateICmpSLT(w, b_.getInt64(0)), b_.CreateNot(neg)), DN_VALUE_ERROR,
             "negative dimensions not allowed in reshape");
    known = b_.CreateMul(known, b_.CreateSelect(neg, b_.getInt64(1), w));
  }
  error_if(b_.CreateICmpUGT(unknowns, b_.getInt64(1)), DN_VALUE_ERROR, "can only specify one unknown dimension");
  llvm::Value* safe_known = b_.CreateSelect(b_.CreateICmpEQ(known, b_.getInt64(0)), b_.getInt64(1), known);
  llvm::Value* inferred = b_.CreateSDiv(size, safe_known);
  llvm::Value* bad = b_.CreateSelect(b_.CreateICmpEQ(unknowns, b_.getInt64(1)),
                                     b_.CreateOr(b_.CreateICmpNE(b_.CreateMul(inferred, known), size),
                                                 b_.CreateICmpEQ(known, b_.getInt64(0))),
                                     b_.CreateICmpNE(known, size));
  error_if(bad, DN_VALUE_ERROR, "cannot reshape array into the requested shape (sizes differ)");
  // Contiguous data reshapes in place; anything else (and flatten) is copied first.
  llvm::Value* src = xv;
  if (xt->layout() != Layout::C || i->always_copy) {
    llvm::Value* tmp = entry_alloca(reg(t_array(xt->dtype(), xt->ndim(), Layout::C)), "reshape_copy");
    auto fn = runtime("dn_array_copy");
    return_if_failed(b_.CreateCall(fn, {tmp, spill(xv), b_.getInt64(xt->ndim()), b_.getInt64(xt->dtype()->itemsize())}));
    src = b_.CreateLoad(reg(t_array(xt->dtype(), xt->ndim(), Layout::C)), tmp);
  }
  llvm::Value* out = llvm::UndefValue::get(reg(rt));
  for (unsigned f = 0; f < 3; ++f) out = b_.CreateInsertValue(out, b_.CreateExtractValue(src, {f}), {f});
  std::vector<llvm::Value*> shape;
  for (llvm::Value* w : want) shape.push_back(b_.CreateSelect(b_.CreateICmpEQ(w, b_.getInt64(-1)), inferred, w));
  llvm::Value* stride = b_.getInt64(rt->dtype()->itemsize());
  for (int k = nd - 1; k >= 0; --k) {
    out = b_.CreateInsertValue(out, shape[size_t(k)], {3u, unsigned(k)});
    out = b_.CreateInsertValue(out, stride, {4u, unsigned(k)});
    stride = b_.CreateMul(stride, shape[size_t(k)]);
  }
  return out;
}

}  // namespace dn
