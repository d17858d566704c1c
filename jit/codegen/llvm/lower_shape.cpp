// Lowering of shape functions (see jit/typing/shape_functions.h): transpose and reshape
// build descriptors over the same memory; concatenate and stack allocate the result and
// store each input into its part of it through the elementwise machinery.
#include "jit/codegen/llvm/lowering.h"
#include "jit/typing/resolve.h"
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

// np.concatenate / np.stack: every input is stored into its slab of the result.
llvm::Value* FunctionLowering::join(const Instr* i) {
  bool stack = i->intrinsic == Intrinsic::Stack;
  const Instr* seq = i->operands[1];
  const auto& elems = seq->type->elements();
  int in_nd = elems[0]->ndim();
  int out_nd = i->type->ndim();
  int64_t axis = i->operands.size() > 2 ? i->operands[2]->cval.i : 0;
  if (axis < 0) axis += out_nd;
  if (axis < 0 || axis >= out_nd)
    report(ErrorKind::Typing, fn_.info, i->loc, "Typing error: axis " + std::to_string(axis) + " is out of bounds for the result of " + std::to_string(out_nd) + " dimensions");
  std::vector<llvm::Value*> inputs;
  for (unsigned k = 0; k < elems.size(); ++k) inputs.push_back(b_.CreateExtractValue(value(seq), {k}));
  // The result's shape; every input must match it off the joined axis.
  std::vector<llvm::Value*> shape;
  for (int d = 0, s = 0; d < out_nd; ++d) {
    if (d == axis) {
      if (stack) {
        shape.push_back(b_.getInt64(int64_t(elems.size())));
        continue;
      }
      llvm::Value* n = b_.getInt64(0);
      for (llvm::Value* v : inputs) n = b_.CreateAdd(n, dim(b_, v, 3, s));
      shape.push_back(n);
      ++s;
      continue;
    }
    llvm::Value* n = dim(b_, inputs[0], 3, s);
    for (llvm::Value* v : inputs)
      error_if(b_.CreateICmpNE(dim(b_, v, 3, s), n), DN_VALUE_ERROR,
               stack ? "all input arrays must have the same shape"
                     : "all the input array dimensions except for the concatenation axis must match exactly");
    shape.push_back(n);
    ++s;
  }
  const Type* rt = i->type;
  llvm::Value* out = allocate_array(rt, shape, 0);
  llvm::Value* offset = b_.getInt64(0);  // along the joined axis
  const Type* slab_t = t_array(rt->dtype(), in_nd, Layout::A);
  for (size_t k = 0; k < inputs.size(); ++k) {
    llvm::Value* n = stack ? b_.getInt64(1) : dim(b_, inputs[k], 3, int(axis));
    llvm::Value* slab = llvm::UndefValue::get(reg(slab_t));
    for (unsigned f = 0; f < 2; ++f) slab = b_.CreateInsertValue(slab, b_.CreateExtractValue(out, {f}), {f});
    llvm::Value* start = b_.CreateMul(offset, dim(b_, out, 4, int(axis)));
    slab = b_.CreateInsertValue(slab, b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(out, {2}), start), {2});
    for (int d = 0, s = 0; d < out_nd; ++d) {
      if (stack && d == axis) continue;
      llvm::Value* ext = d == axis ? n : dim(b_, out, 3, d);
      slab = b_.CreateInsertValue(slab, ext, {3u, unsigned(s)});
      slab = b_.CreateInsertValue(slab, dim(b_, out, 4, d), {4u, unsigned(s)});
      ++s;
    }
    Instr input;  // the k-th array of the tuple, as a leaf
    input.type = elems[k];
    values_[&input] = inputs[k];
    evaluate_into(&input, slab, slab_t, false);
    values_.erase(&input);
    offset = b_.CreateAdd(offset, n);
  }
  return out;
}

}  // namespace dn
