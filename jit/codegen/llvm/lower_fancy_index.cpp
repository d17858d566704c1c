// Lowering of NumPy's "advanced" indexing on arrays: boolean masks (a[mask] gathers the
// selected elements in C order, a[mask] = v stores into them) and integer index arrays
// on 1-D arrays (a[idx], a[idx] = v; indices wrap when negative and are always checked).
#include "jit/codegen/llvm/lowering.h"
#include "jit/typing/resolve.h"
#include "runtime/abi.h"

namespace dn {

namespace {
// Runs `then` when `cond` holds, inside the current loop body.
void when(llvm::IRBuilder<>& b, llvm::Function* fn, llvm::Value* cond, const std::function<void()>& then) {
  auto* yes = llvm::BasicBlock::Create(b.getContext(), "selected", fn);
  auto* next = llvm::BasicBlock::Create(b.getContext(), "next", fn);
  b.CreateCondBr(cond, yes, next);
  b.SetInsertPoint(yes);
  then();
  b.CreateBr(next);
  b.SetInsertPoint(next);
}
}  // namespace

// The shape of a masked array, checked against the mask's.
std::vector<llvm::Value*> FunctionLowering::mask_shape(const Instr* a, const Instr* mask) {
  std::vector<llvm::Value*> shape;
  for (int k = 0; k < a->type->ndim(); ++k) {
    shape.push_back(b_.CreateExtractValue(value(a), {3u, unsigned(k)}));
    error_if(b_.CreateICmpNE(b_.CreateExtractValue(value(mask), {3u, unsigned(k)}), shape.back()), DN_INDEX_ERROR,
             "boolean index did not match indexed array along dimension " + std::to_string(k));
  }
  return shape;
}

// Adds the number of true elements of `mask` to the int64 at `count`.
void FunctionLowering::count_selected(const Instr* mask, const std::vector<llvm::Value*>& shape, llvm::Value* count) {
  for_each_element({mask}, shape, [&](const LoopNest& n) {
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64(), count), b_.CreateZExt(element(mask, n), i64())), count);
  }, true);
}

llvm::Value* FunctionLowering::fancy_get(const Instr* i) {
  const Instr* a = i->operands[0];
  const Instr* idx = i->operands[1];
  const Type* d = a->type->dtype();
  llvm::Value* av = value(a);
  std::vector<llvm::Value*> shape;
  if (idx->type->dtype()->is_bool()) {
    shape = mask_shape(a, idx);
    llvm::Value* count = entry_alloca(i64(), "selected");
    b_.CreateStore(b_.getInt64(0), count);
    count_selected(idx, shape, count);
    llvm::Value* out = allocate_array(i->type, {b_.CreateLoad(i64(), count)}, 0);
    llvm::Value* data = b_.CreateExtractValue(out, {2});
    b_.CreateStore(b_.getInt64(0), count);
    for_each_element({a, idx}, shape, [&](const LoopNest& n) {
      when(b_, llvm_function(), element(idx, n), [&] {
        llvm::Value* k = b_.CreateLoad(i64(), count);
        b_.CreateStore(to_memory(b_, element(a, n), d), b_.CreateInBoundsGEP(memory_type(ctx_, d), data, k));
        b_.CreateStore(b_.CreateAdd(k, b_.getInt64(1)), count);
      });
    }, true);
    return out;
  }
  for (int k = 0; k < idx->type->ndim(); ++k) shape.push_back(b_.CreateExtractValue(value(idx), {3u, unsigned(k)}));
  llvm::Value* out = allocate_array(i->type, shape, 0);
  llvm::Value* data = b_.CreateExtractValue(out, {2});
  for_each_element({idx}, shape, [&](const LoopNest& n) {
    llvm::Value* j = cast(element(idx, n), idx->type->dtype(), t_int64());
    llvm::Value* v = from_memory(b_, b_.CreateLoad(memory_type(ctx_, d), checked_element_pointer(av, a->type, j)), d);
    b_.CreateStore(to_memory(b_, v, d), b_.CreateInBoundsGEP(memory_type(ctx_, d), data, n.linear));
  }, true);
  return out;
}

void FunctionLowering::fancy_set(const Instr* i) {
  const Instr* a = i->operands[0];
  const Instr* idx = i->operands[1];
  const Instr* v = i->operands[2];
  const Type* d = a->type->dtype();
  bool array_value = v->type->kind() == TypeKind::Array;
  llvm::Value* av = value(a);
  // An array value supplies one element per selected position, in order.
  llvm::Value* vv = array_value ? value(v) : nullptr;
  llvm::Value* vsize = array_value ? array_size(vv, v->type) : nullptr;
  auto value_at = [&](llvm::Value* k) -> llvm::Value* {
    if (!array_value) return value(v);
    const Type* vd = v->type->dtype();
    // Flat position k of the value (C-contiguous values; others were rejected by typing).
    llvm::Value* kk = b_.CreateSelect(b_.CreateICmpEQ(vsize, b_.getInt64(1)), b_.getInt64(0), k);
    llvm::Value* p = v->type->layout() == Layout::C
                         ? b_.CreateInBoundsGEP(memory_type(ctx_, vd), b_.CreateExtractValue(vv, {2}), kk)
                         : checked_element_pointer(vv, v->type, kk);
    return cast(from_memory(b_, b_.CreateLoad(memory_type(ctx_, vd), p), vd), vd, d);
  };
  std::vector<llvm::Value*> shape;
  if (idx->type->dtype()->is_bool()) {
    shape = mask_shape(a, idx);
    llvm::Value* count = entry_alloca(i64(), "selected");
    b_.CreateStore(b_.getInt64(0), count);
    if (array_value) {
      count_selected(idx, shape, count);
      llvm::Value* c = b_.CreateLoad(i64(), count);
      error_if(b_.CreateAnd(b_.CreateICmpNE(vsize, c), b_.CreateICmpNE(vsize, b_.getInt64(1))), DN_VALUE_ERROR,
               "NumPy boolean array indexing assignment cannot assign the value's elements to the selected ones (sizes differ)");
      b_.CreateStore(b_.getInt64(0), count);
    }
    for_each_element({a, idx}, shape, [&](const LoopNest& n) {
      when(b_, llvm_function(), element(idx, n), [&] {
        llvm::Value* k = b_.CreateLoad(i64(), count);
        b_.CreateStore(to_memory(b_, value_at(k), d), n.element_ptr.at(a));
        b_.CreateStore(b_.CreateAdd(k, b_.getInt64(1)), count);
      });
    }, true);
    return;
  }
  for (int k = 0; k < idx->type->ndim(); ++k) shape.push_back(b_.CreateExtractValue(value(idx), {3u, unsigned(k)}));
  if (array_value)
    error_if(b_.CreateAnd(b_.CreateICmpNE(vsize, array_size(value(idx), idx->type)), b_.CreateICmpNE(vsize, b_.getInt64(1))),
             DN_VALUE_ERROR, "shape mismatch: the value array does not match the index array");
  for_each_element({idx}, shape, [&](const LoopNest& n) {
    llvm::Value* j = cast(element(idx, n), idx->type->dtype(), t_int64());
    b_.CreateStore(to_memory(b_, value_at(n.linear), d), checked_element_pointer(av, a->type, j));
  }, true);
}

}  // namespace dn
