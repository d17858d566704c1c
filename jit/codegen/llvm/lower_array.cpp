// Lowering of arrays (element access with wraparound and optional bounds checks,
// attributes, allocation and runtime reductions), ranges and iterators.
//
// Element addresses of C- and F-contiguous arrays are computed from the shape alone, so
// LLVM sees unit-stride accesses and vectorises; layout A uses the byte strides.
#include "jit/codegen/llvm/lowering.h"

#include <map>

#include "runtime/abi.h"

namespace dn {

static llvm::Value* shape_of(llvm::IRBuilder<>& b, llvm::Value* a, unsigned k) {
  return b.CreateExtractValue(a, {3, k});
}
static llvm::Value* stride_of(llvm::IRBuilder<>& b, llvm::Value* a, unsigned k) {
  return b.CreateExtractValue(a, {4, k});
}

llvm::Value* FunctionLowering::element_pointer(llvm::Value* array, const Type* at,
                                               const std::vector<llvm::Value*>& indices) {
  int nd = at->ndim();
  std::vector<llvm::Value*> idx;
  for (int k = 0; k < nd; ++k) {
    llvm::Value* i = indices[size_t(k)];
    llvm::Value* n = shape_of(b_, array, unsigned(k));
    // Python's negative indices count from the end.
    llvm::Value* neg = b_.CreateICmpSLT(i, b_.getInt64(0));
    i = b_.CreateSelect(neg, b_.CreateAdd(i, n), i);
    if (opts_.boundscheck) {
      llvm::Value* bad = b_.CreateICmpUGE(i, n);  // also catches i < 0 after wraparound
      error_if(bad, DN_INDEX_ERROR, "index out of bounds for axis " + std::to_string(k));
    }
    idx.push_back(i);
  }
  llvm::Value* data = b_.CreateExtractValue(array, {2});
  llvm::Type* elem = memory_type(ctx_, at->dtype());
  if (at->layout() == Layout::A) {
    llvm::Value* off = b_.getInt64(0);
    for (int k = 0; k < nd; ++k)
      off = b_.CreateAdd(off, b_.CreateMul(idx[size_t(k)], stride_of(b_, array, unsigned(k))));
    return b_.CreateGEP(b_.getInt8Ty(), data, off);
  }
  llvm::Value* linear = b_.getInt64(0);
  if (at->layout() == Layout::C) {
    for (int k = 0; k < nd; ++k)
      linear = k == 0 ? idx[0]
                      : b_.CreateAdd(b_.CreateMul(linear, shape_of(b_, array, unsigned(k))), idx[size_t(k)]);
  } else {
    for (int k = nd - 1; k >= 0; --k)
      linear = k == nd - 1 ? idx[size_t(k)]
                           : b_.CreateAdd(b_.CreateMul(linear, shape_of(b_, array, unsigned(k))), idx[size_t(k)]);
  }
  return b_.CreateInBoundsGEP(elem, data, linear);
}

llvm::Value* FunctionLowering::make_view(llvm::Value* arr, const Type* at,
                                         const std::vector<const Instr*>& parts, const Type* vt) {
  llvm::Value* data = b_.CreateExtractValue(arr, {2});
  llvm::Value* offset = b_.getInt64(0);
  llvm::Value* out = llvm::UndefValue::get(reg(vt));
  out = b_.CreateInsertValue(out, b_.CreateExtractValue(arr, {0}), {0});
  out = b_.CreateInsertValue(out, b_.CreateExtractValue(arr, {1}), {1});
  unsigned od = 0;
  size_t next = 0;  // the next part: None ones add an axis of length 1 (stride 0) first
  for (int d = 0; d < at->ndim() || next < parts.size(); ++d) {
    while (next < parts.size() && parts[next]->type->kind() == TypeKind::None) {
      out = b_.CreateInsertValue(out, b_.getInt64(1), {3u, od});
      out = b_.CreateInsertValue(out, b_.getInt64(0), {4u, od});
      ++od, ++next;
    }
    if (d >= at->ndim()) break;
    llvm::Value* n = b_.CreateExtractValue(arr, {3u, unsigned(d)});
    llvm::Value* stride = b_.CreateExtractValue(arr, {4u, unsigned(d)});
    const Instr* p = next < parts.size() ? parts[next++] : nullptr;
    if (p && p->type->is_int()) {
      llvm::Value* k = value(p);
      k = b_.CreateSelect(b_.CreateICmpSLT(k, b_.getInt64(0)), b_.CreateAdd(k, n), k);
      // An integer that selects a sub-array is always checked, as NumPy does.
      error_if(b_.CreateICmpUGE(k, n), DN_INDEX_ERROR, "index out of bounds for axis " + std::to_string(d));
      offset = b_.CreateAdd(offset, b_.CreateMul(k, stride));
      continue;
    }
    llvm::Value *start, *len, *step;
    if (!p) {
      start = b_.getInt64(0), len = n, step = b_.getInt64(1);
    } else {
      // Python's slice.indices(n).
      llvm::Value* s = value(p);
      llvm::Value* missing = b_.getInt64(INT64_MIN);
      llvm::Value* st = b_.CreateExtractValue(s, {0});
      llvm::Value* sp = b_.CreateExtractValue(s, {1});
      step = b_.CreateExtractValue(s, {2});
      error_if(b_.CreateICmpEQ(step, b_.getInt64(0)), DN_VALUE_ERROR, "slice step cannot be zero");
      llvm::Value* pos = b_.CreateICmpSGT(step, b_.getInt64(0));
      llvm::Value* lo = b_.CreateSelect(pos, b_.getInt64(0), b_.getInt64(-1));
      llvm::Value* hi = b_.CreateSelect(pos, n, b_.CreateSub(n, b_.getInt64(1)));
      auto clamp = [&](llvm::Value* v, llvm::Value* dflt) {
        llvm::Value* w = b_.CreateSelect(b_.CreateICmpSLT(v, b_.getInt64(0)), b_.CreateAdd(v, n), v);
        w = b_.CreateSelect(b_.CreateICmpSLT(w, lo), lo, w);
        w = b_.CreateSelect(b_.CreateICmpSGT(w, hi), hi, w);
        return b_.CreateSelect(b_.CreateICmpEQ(v, missing), dflt, w);
      };
      start = clamp(st, b_.CreateSelect(pos, b_.getInt64(0), b_.CreateSub(n, b_.getInt64(1))));
      llvm::Value* stop = clamp(sp, b_.CreateSelect(pos, n, b_.getInt64(-1)));
      llvm::Value* span = b_.CreateSelect(pos, b_.CreateSub(stop, start), b_.CreateSub(start, stop));
      llvm::Value* astep = b_.CreateSelect(pos, step, b_.CreateNeg(step));
      len = b_.CreateSelect(b_.CreateICmpSGT(span, b_.getInt64(0)),
                            b_.CreateSDiv(b_.CreateAdd(span, b_.CreateSub(astep, b_.getInt64(1))), astep),
                            b_.getInt64(0));
    }
    offset = b_.CreateAdd(offset, b_.CreateSelect(b_.CreateICmpSGT(len, b_.getInt64(0)), b_.CreateMul(start, stride), b_.getInt64(0)));
    out = b_.CreateInsertValue(out, len, {3u, od});
    out = b_.CreateInsertValue(out, b_.CreateMul(stride, step), {4u, od});
    ++od;
  }
  return b_.CreateInsertValue(out, b_.CreateGEP(b_.getInt8Ty(), data, offset), {2});
}

llvm::Value* FunctionLowering::tuple_memory(llvm::Value* v) {
  auto* c = llvm::dyn_cast<llvm::Constant>(v);
  if (!c) return spill(v);
  // A constant tuple (a global T, a literal) is read where it lies: storing a struct of
  // thousands of fields into an alloca made LLVM's optimiser take seconds to minutes.
  auto it = constant_memory_.find(c);
  if (it != constant_memory_.end()) return it->second;
  auto* g = new llvm::GlobalVariable(module_, c->getType(), true, llvm::GlobalValue::PrivateLinkage, c, "tuple");
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  constant_memory_[c] = g;
  return g;
}

llvm::Value* FunctionLowering::get_item(const Instr* i) {
  const Type* obj = i->operands[0]->type;
  llvm::Value* v = value(i->operands[0]);
  DN_CHECK(!(obj->kind() == TypeKind::Array && i->operands[1]->type->kind() == TypeKind::Array),
           "fancy index not lowered to loops: " + print_instr(*i));
  if (obj->kind() == TypeKind::Array && i->type->kind() == TypeKind::Array)
    return make_view(v, obj, {i->operands.begin() + 1, i->operands.end()}, i->type);
  if (obj->kind() == TypeKind::Tuple) {
    // A uniform tuple indexed at run time: through memory, bounds-checked like Python.
    llvm::Value* k = value(i->operands[1]);
    int64_t n = int64_t(obj->elements().size());
    k = b_.CreateSelect(b_.CreateICmpSLT(k, b_.getInt64(0)), b_.CreateAdd(k, b_.getInt64(n)), k);
    error_if(b_.CreateICmpUGE(k, b_.getInt64(n)), DN_INDEX_ERROR, "tuple index out of range");
    llvm::Value* slot = tuple_memory(v);
    // A uniform tuple has the layout of an array of its element.
    auto* as_array = llvm::ArrayType::get(reg(i->type), uint64_t(n));
    llvm::Value* p = b_.CreateInBoundsGEP(as_array, slot, {b_.getInt64(0), k});
    return b_.CreateLoad(reg(i->type), p);
  }
  std::vector<llvm::Value*> idx;
  for (size_t k = 1; k < i->operands.size(); ++k) idx.push_back(value(i->operands[k]));
  llvm::Value* p = element_pointer(v, obj, idx);
  llvm::Value* mem = b_.CreateLoad(memory_type(ctx_, obj->dtype()), p);
  return from_memory(b_, mem, obj->dtype());
}

void FunctionLowering::set_item(const Instr* i) {
  const Type* obj = i->operands[0]->type;
  llvm::Value* arr = value(i->operands[0]);
  int nparts = int(i->operands.size()) - 2;
  // Stores of arrays and into slices are loops by now (lower_array_loops).
  DN_CHECK(nparts > 0, "whole-array store not lowered to loops: " + print_instr(*i));
  DN_CHECK(i->operands[1]->type->kind() != TypeKind::Array, "fancy store not lowered to loops: " + print_instr(*i));
  bool element_store = nparts == obj->ndim();
  for (int k = 0; k < nparts; ++k) element_store &= i->operands[size_t(k + 1)]->type->is_int();
  DN_CHECK(element_store, "slice store not lowered to loops: " + print_instr(*i));
  std::vector<llvm::Value*> idx;
  for (size_t k = 1; k + 1 < i->operands.size(); ++k) idx.push_back(value(i->operands[k]));
  llvm::Value* p = element_pointer(arr, obj, idx);
  b_.CreateStore(to_memory(b_, value(i->operands.back()), obj->dtype()), p);
}

llvm::Value* FunctionLowering::array_size(llvm::Value* array, const Type* at) {
  llvm::Value* n = b_.getInt64(1);
  for (int k = 0; k < at->ndim(); ++k) n = b_.CreateMul(n, shape_of(b_, array, unsigned(k)));
  return n;
}

llvm::Value* FunctionLowering::get_attr(const Instr* i) {
  const Type* obj = i->operands[0]->type;
  llvm::Value* v = value(i->operands[0]);
  if (obj->kind() == TypeKind::Array) {
    if (i->attr == "shape") {
      llvm::Value* out = llvm::UndefValue::get(reg(i->type));
      for (unsigned k = 0; k < unsigned(obj->ndim()); ++k)
        out = b_.CreateInsertValue(out, shape_of(b_, v, k), {k});
      return out;
    }
    if (i->attr == "size") return array_size(v, obj);
    if (i->attr == "nbytes") return b_.CreateMul(array_size(v, obj), b_.getInt64(obj->dtype()->itemsize()));
    if (i->attr == "strides") {
      llvm::Value* out = llvm::UndefValue::get(reg(i->type));
      for (unsigned k = 0; k < unsigned(obj->ndim()); ++k)
        out = b_.CreateInsertValue(out, b_.CreateExtractValue(v, {4u, k}), {k});
      return out;
    }
    if (i->attr == "T") return transpose(v, obj, i->type);
    if (i->attr == "real" || i->attr == "imag") {
      // a.real / a.imag of a complex array: the view of one half of each element (its
      // strides, its owner); a.real of a real array is the array itself.
      if (!obj->dtype()->is_complex()) return v;
      llvm::Value* data = b_.CreateExtractValue(v, {2u});
      if (i->attr == "imag") data = b_.CreateGEP(b_.getInt8Ty(), data, b_.getInt64(obj->dtype()->itemsize() / 2));
      return b_.CreateInsertValue(v, data, {2u});
    }
  }
  if (obj->is_complex()) return b_.CreateExtractValue(v, {i->attr == "real" ? 0u : 1u});
  if (obj->is_scalar() && i->attr == "real") return v;
  DN_CHECK(false, "attribute ." + i->attr + " of " + obj->str());
  return nullptr;
}

// The number of elements of range(start, stop, step) as an unsigned 64-bit count, without
// overflow: range(-2**63, 2**63 - 1, 2**62) has 4 and its span does not fit an int64.
llvm::Value* FunctionLowering::range_length(llvm::Value* r) {
  llvm::Value* start = b_.CreateExtractValue(r, {0});
  llvm::Value* stop = b_.CreateExtractValue(r, {1});
  llvm::Value* step = b_.CreateExtractValue(r, {2});
  llvm::Value* pos = b_.CreateICmpSGT(step, b_.getInt64(0));
  llvm::Value* lo = b_.CreateSelect(pos, start, stop);
  llvm::Value* hi = b_.CreateSelect(pos, stop, start);
  llvm::Value* astep = b_.CreateSelect(pos, step, b_.CreateNeg(step));  // |INT64_MIN| as unsigned
  llvm::Value* span = b_.CreateSub(hi, lo);                              // exact as unsigned when hi > lo
  llvm::Value* n = b_.CreateAdd(b_.CreateUDiv(b_.CreateSub(span, b_.getInt64(1)), astep), b_.getInt64(1));
  return b_.CreateSelect(b_.CreateICmpSGT(hi, lo), n, b_.getInt64(0));
}

// Iterator state lives in an entry-block alloca: {i64 next, i64 remaining, i64 step} for
// ranges (counted, so that the value may wrap past the last element without looping
// forever), {array, i64 next} for arrays. SROA turns it back into registers.
llvm::Value* FunctionLowering::get_iter(const Instr* i) {
  const Type* src = i->operands[0]->type;
  llvm::Value* v = value(i->operands[0]);
  if (src->kind() == TypeKind::Range) {
    llvm::Value* slot = entry_alloca(reg(src), "range_iter");
    b_.CreateStore(b_.CreateInsertValue(v, range_length(v), {1}), slot);
    return slot;
  }
  if (src->kind() == TypeKind::Tuple) {
    // {pointer to the tuple in memory, i64 next}: the tuple itself is not copied.
    auto* st = llvm::StructType::get(ctx_, {b_.getPtrTy(), i64()});
    llvm::Value* slot = entry_alloca(st, "tuple_iter");
    b_.CreateStore(tuple_memory(v), b_.CreateStructGEP(st, slot, 0));
    b_.CreateStore(b_.getInt64(0), b_.CreateStructGEP(st, slot, 1));
    return slot;
  }
  auto* st = llvm::StructType::get(ctx_, {reg(src), i64()});
  llvm::Value* slot = entry_alloca(st, "array_iter");
  b_.CreateStore(v, b_.CreateStructGEP(st, slot, 0));
  b_.CreateStore(b_.getInt64(0), b_.CreateStructGEP(st, slot, 1));
  return slot;
}

llvm::Value* FunctionLowering::iter_valid(const Instr* i) {
  const Type* it = i->operands[0]->type;
  llvm::Value* slot = value(i->operands[0]);
  if (it->kind() == TypeKind::RangeIter) {
    auto* st = llvm::cast<llvm::StructType>(reg(t_range()));
    llvm::Value* remaining = b_.CreateLoad(i64(), b_.CreateStructGEP(st, slot, 1));
    return b_.CreateICmpNE(remaining, b_.getInt64(0));
  }
  const Type* at = it->dtype();
  if (at->kind() == TypeKind::Tuple) {
    auto* st = llvm::StructType::get(ctx_, {b_.getPtrTy(), i64()});
    llvm::Value* cur = b_.CreateLoad(i64(), b_.CreateStructGEP(st, slot, 1));
    return b_.CreateICmpSLT(cur, b_.getInt64(int64_t(at->elements().size())));
  }
  auto* st = llvm::StructType::get(ctx_, {reg(at), i64()});
  llvm::Value* cur = b_.CreateLoad(i64(), b_.CreateStructGEP(st, slot, 1));
  llvm::Value* arr = b_.CreateLoad(reg(at), b_.CreateStructGEP(st, slot, 0));
  return b_.CreateICmpSLT(cur, shape_of(b_, arr, 0));
}

llvm::Value* FunctionLowering::iter_next(const Instr* i) {
  const Type* it = i->operands[0]->type;
  llvm::Value* slot = value(i->operands[0]);
  if (it->kind() == TypeKind::RangeIter) {
    auto* st = llvm::cast<llvm::StructType>(reg(t_range()));
    llvm::Value* p = b_.CreateStructGEP(st, slot, 0);
    llvm::Value* cur = b_.CreateLoad(i64(), p);
    llvm::Value* step = b_.CreateLoad(i64(), b_.CreateStructGEP(st, slot, 2));
    llvm::Value* left = b_.CreateStructGEP(st, slot, 1);
    b_.CreateStore(b_.CreateSub(b_.CreateLoad(i64(), left), b_.getInt64(1)), left);
    b_.CreateStore(b_.CreateAdd(cur, step), p);
    return cur;
  }
  const Type* at = it->dtype();
  if (at->kind() == TypeKind::Tuple) {
    auto* st = llvm::StructType::get(ctx_, {b_.getPtrTy(), i64()});
    llvm::Value* p = b_.CreateStructGEP(st, slot, 1);
    llvm::Value* cur = b_.CreateLoad(i64(), p);
    b_.CreateStore(b_.CreateAdd(cur, b_.getInt64(1)), p);
    auto* as_array = llvm::ArrayType::get(reg(at->elements()[0]), at->elements().size());
    llvm::Value* tuple = b_.CreateLoad(b_.getPtrTy(), b_.CreateStructGEP(st, slot, 0));
    llvm::Value* e = b_.CreateInBoundsGEP(as_array, tuple, {b_.getInt64(0), cur});
    return b_.CreateLoad(reg(at->elements()[0]), e);
  }
  auto* st = llvm::StructType::get(ctx_, {reg(at), i64()});
  llvm::Value* arr = b_.CreateLoad(reg(at), b_.CreateStructGEP(st, slot, 0));
  llvm::Value* p = b_.CreateStructGEP(st, slot, 1);
  llvm::Value* cur = b_.CreateLoad(i64(), p);
  b_.CreateStore(b_.CreateAdd(cur, b_.getInt64(1)), p);
  llvm::Value* mem = b_.CreateLoad(memory_type(ctx_, at->dtype()), element_pointer(arr, at, {cur}));
  return from_memory(b_, mem, at->dtype());
}

llvm::Value* FunctionLowering::matmul(const Instr* a, const Instr* b, const Type* rt) {
  const Type* d = rt->kind() == TypeKind::Array ? rt->dtype() : rt;  // a scalar for 1-D @ 1-D
  llvm::Value* out = entry_alloca(reg(rt), "matmul");
  auto fn = runtime("dn_matmul");
  return_if_failed(b_.CreateCall(fn, {spill(value(a)), b_.getInt64(a->type->ndim()), spill(value(b)),
                                      b_.getInt64(b->type->ndim()), out, b_.getInt32(dtype_code(d))}));
  return b_.CreateLoad(reg(rt), out);
}

llvm::Value* FunctionLowering::linalg(const Instr* call) {
  static const std::map<std::string, int> ops = {
      {"solve", DN_LINALG_SOLVE},       {"inv", DN_LINALG_INV},   {"det", DN_LINALG_DET},
      {"slogdet", DN_LINALG_SLOGDET},   {"cholesky", DN_LINALG_CHOLESKY},
      {"eigvalsh", DN_LINALG_EIGVALSH}, {"eigh", DN_LINALG_EIGH},   {"svd", DN_LINALG_SVD},
      {"svdvals", DN_LINALG_SVDVALS},   {"qr", DN_LINALG_QR},     {"eigvals", DN_LINALG_EIGVALS},
      {"eig", DN_LINALG_EIG}};
  const Type* rt = call->type;
  const Type* d = rt;  // the float dtype: of the array, or of the tuple's first element
  while (d->kind() == TypeKind::Tuple || d->kind() == TypeKind::Array)
    d = d->kind() == TypeKind::Tuple ? d->elements()[0] : d->dtype();
  const int op = ops.at(call->func);
  llvm::Type* result_t = reg(rt);
  llvm::Value* out = entry_alloca(result_t, "linalg");
  // Where each result goes: the tuple's elements, or the one result.
  const size_t n_out = rt->kind() == TypeKind::Tuple ? rt->elements().size() : 1;
  llvm::Value* outs = entry_alloca(llvm::ArrayType::get(b_.getPtrTy(), n_out), "linalg.outs");
  for (size_t k = 0; k < n_out; ++k) {
    llvm::Value* at = n_out == 1 ? out : b_.CreateStructGEP(result_t, out, unsigned(k));
    b_.CreateStore(at, b_.CreateConstInBoundsGEP1_64(b_.getPtrTy(), outs, k));
  }
  llvm::Value* b = llvm::ConstantPointerNull::get(b_.getPtrTy());
  int64_t b_nd = 0;
  llvm::Value* flag = nullptr;  // svd's full_matrices (default True), where b_nd goes
  if (op == DN_LINALG_SOLVE) {
    b = spill(value(call->operands[2]));
    b_nd = call->operands[2]->type->ndim();
  } else if (op == DN_LINALG_SVD && call->operands.size() > 2) {
    flag = b_.CreateZExt(value(call->operands[2]), b_.getInt64Ty());
  } else if (op == DN_LINALG_SVD) {
    b_nd = 1;
  }
  auto fn = runtime("dn_linalg");
  return_if_failed(b_.CreateCall(fn, {b_.getInt32(op), spill(value(call->operands[1])), b,
                                      flag ? flag : b_.getInt64(b_nd), outs, b_.getInt32(dtype_code(d))}));
  return b_.CreateLoad(result_t, out);
}

}  // namespace dn
