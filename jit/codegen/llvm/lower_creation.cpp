// Lowering of NumPy's array creation functions (typing: jit/typing/creation.cpp): every
// result is a new C-contiguous array from allocate_array (dn_array_new), filled by one
// counted loop over the flat index that LLVM vectorises. Values follow NumPy's own
// formulas (arange's fill function, linspace's step) so results are bit-identical.
#include <llvm/IR/Intrinsics.h>

#include "jit/codegen/llvm/lowering.h"
#include "jit/typing/creation.h"
#include "runtime/abi.h"

namespace dn {

namespace {
const std::string& callee_name(const Instr* i) { return i->operands[0]->type->name(); }
}  // namespace

llvm::Value* FunctionLowering::creation_call(const Instr* i) {
  switch (i->intrinsic) {
    case Intrinsic::ArrayFull: return lower_full(i);
    case Intrinsic::ArrayLike: return lower_like(i);
    case Intrinsic::ArrayArange: return lower_arange(i);
    case Intrinsic::ArrayLinspace: return lower_linspace(i);
    case Intrinsic::ArrayEye: return lower_eye(i);
    case Intrinsic::ArrayFromTuple: return lower_from_tuple(i);
    default: DN_CHECK(false, "not a creation intrinsic: " + print_instr(*i));
  }
  return nullptr;
}

const Instr* FunctionLowering::creation_arg(const Instr* i, const std::string& param) {
  CreationArgs bound = bind_creation_args(callee_name(i), i->operands.size() - 1, i->kwnames);
  int k = bound.at(param);
  if (k < 0) return nullptr;
  const Instr* v = i->operands.at(size_t(k) + 1);
  return v->type == t_none() ? nullptr : v;
}

std::vector<llvm::Value*> FunctionLowering::shape_extents(const Instr* shape) {
  const Type* t = shape->type;
  llvm::Value* v = value(shape);
  std::vector<llvm::Value*> dims;
  if (t->kind() == TypeKind::Array) {
    for (unsigned k = 0; k < unsigned(t->ndim()); ++k)
      dims.push_back(b_.CreateExtractValue(v, {3u, k}));
  } else if (t->kind() == TypeKind::Tuple) {
    for (unsigned k = 0; k < t->elements().size(); ++k)
      dims.push_back(cast(b_.CreateExtractValue(v, {k}), t->elements()[k], t_int64()));
  } else {
    dims.push_back(cast(v, t, t_int64()));
  }
  return dims;
}

void FunctionLowering::store_element(llvm::Value* data, const Type* dtype, llvm::Value* index,
                                     llvm::Value* v) {
  llvm::Type* mt = memory_type(ctx_, dtype);
  b_.CreateStore(to_memory(b_, v, dtype), b_.CreateInBoundsGEP(mt, data, index));
}

static llvm::Value* data_of(llvm::IRBuilder<>& b, llvm::Value* array) {
  return b.CreateExtractValue(array, {2});
}

static llvm::Value* product(llvm::IRBuilder<>& b, const std::vector<llvm::Value*>& dims) {
  llvm::Value* n = b.getInt64(1);
  for (llvm::Value* d : dims) n = b.CreateMul(n, d);
  return n;
}

// np.full(shape, v) and np.full_like(a, v): v is already of the dtype.
llvm::Value* FunctionLowering::lower_full(const Instr* i) {
  const Type* at = i->type;
  bool like = callee_name(i) == "numpy.full_like";
  std::vector<llvm::Value*> dims = shape_extents(creation_arg(i, like ? "a" : "shape"));
  llvm::Value* fill = value(creation_arg(i, "fill_value"));
  llvm::Value* arr = allocate_array(at, dims, 0);
  llvm::Value* data = data_of(b_, arr);
  counted_loop(product(b_, dims),
               [&](llvm::Value* k) { store_element(data, at->dtype(), k, fill); });
  return arr;
}

llvm::Value* FunctionLowering::lower_like(const Instr* i) {
  const Instr* proto = creation_arg(i, callee_name(i) == "numpy.empty_like" ? "prototype" : "a");
  return allocate_array(i->type, shape_extents(proto), int(i->fill));
}

// NumPy's arange: the length is ceil((stop - start) / step) in the arguments' arithmetic;
// a[0] = start and a[1] = start + step are converted to the dtype, and the fill function
// continues with a[k] = a[0] + k * (a[1] - a[0]) in the dtype.
llvm::Value* FunctionLowering::lower_arange(const Instr* i) {
  const Instr* start_i = creation_arg(i, "start");
  const Instr* stop_i = creation_arg(i, "stop");
  const Instr* step_i = creation_arg(i, "step");
  const Type* ct = stop_i->type->strong();  // typing cast all three to it
  const Type* dt = i->type->dtype();
  llvm::Type* c = reg(ct);
  llvm::Value* stop = value(stop_i);
  llvm::Value* start = start_i ? value(start_i) : llvm::Constant::getNullValue(c);
  llvm::Value* step =
      step_i ? value(step_i)
             : (ct->is_int() ? llvm::ConstantInt::get(c, 1) : llvm::ConstantFP::get(c, 1.0));
  llvm::Value* n;
  llvm::Value* next;
  if (ct->is_int()) {
    error_if(b_.CreateICmpEQ(step, b_.getInt64(0)), DN_ZERO_DIVISION_ERROR, "division by zero");
    // Exact for all int64 arguments: the span and |step| as unsigned 64-bit numbers.
    llvm::Value* pos = b_.CreateICmpSGT(step, b_.getInt64(0));
    llvm::Value* lo = b_.CreateSelect(pos, start, stop);
    llvm::Value* hi = b_.CreateSelect(pos, stop, start);
    llvm::Value* span = b_.CreateSub(hi, lo);
    llvm::Value* astep = b_.CreateSelect(pos, step, b_.CreateNeg(step));
    llvm::Value* q =
        b_.CreateAdd(b_.CreateUDiv(b_.CreateSub(span, b_.getInt64(1)), astep), b_.getInt64(1));
    n = b_.CreateSelect(b_.CreateICmpSLE(hi, lo), b_.getInt64(0), q);
    error_if(b_.CreateICmpSLT(n, b_.getInt64(0)), DN_VALUE_ERROR, "Maximum allowed size exceeded");
    next = b_.CreateAdd(start, step);
  } else {
    error_if(b_.CreateFCmpOEQ(step, llvm::ConstantFP::get(c, 0.0)), DN_ZERO_DIVISION_ERROR,
             "float division by zero");
    llvm::Value* len = b_.CreateUnaryIntrinsic(llvm::Intrinsic::ceil,
                                               b_.CreateFDiv(b_.CreateFSub(stop, start), step));
    error_if(b_.CreateFCmpUNO(len, len), DN_VALUE_ERROR, "arange: cannot compute length");
    error_if(b_.CreateFCmpOGE(len, llvm::ConstantFP::get(c, 9223372036854775808.0)), DN_VALUE_ERROR,
             "Maximum allowed size exceeded");
    n = b_.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i64(), c}, {len});
    n = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, n, b_.getInt64(0));
    next = b_.CreateFAdd(start, step);
  }
  llvm::Value* arr = allocate_array(i->type, {n}, 0);
  llvm::Value* data = data_of(b_, arr);
  llvm::Value* first = cast(start, ct, dt);
  llvm::Value* second = cast(next, ct, dt);

  // a[k] = first + k * delta, per component for complex dtypes.
  auto affine = [&](llvm::Value* a0, llvm::Value* a1, const Type* t) {
    llvm::Value* delta = t->is_int() ? b_.CreateSub(a1, a0) : b_.CreateFSub(a1, a0);
    return [this, a0, delta, t](llvm::Value* k) -> llvm::Value* {
      if (t->is_int())
        return b_.CreateAdd(a0, b_.CreateMul(b_.CreateTrunc(k, a0->getType()), delta));
      return b_.CreateFAdd(a0, b_.CreateFMul(b_.CreateSIToFP(k, a0->getType()), delta));
    };
  };
  if (dt->is_complex()) {
    const Type* part = t_float(dt->bits() / 2);
    auto re = affine(b_.CreateExtractValue(first, {0}), b_.CreateExtractValue(second, {0}), part);
    auto im = affine(b_.CreateExtractValue(first, {1}), b_.CreateExtractValue(second, {1}), part);
    counted_loop(n, [&](llvm::Value* k) {
      llvm::Value* v = llvm::UndefValue::get(reg(dt));
      v = b_.CreateInsertValue(b_.CreateInsertValue(v, re(k), {0}), im(k), {1});
      store_element(data, dt, k, v);
    });
  } else {
    auto at = affine(first, second, dt);
    counted_loop(n, [&](llvm::Value* k) { store_element(data, dt, k, at(k)); });
  }
  // The first two elements are NumPy's exactly (k * delta need not give them back).
  for (int64_t k = 0; k < 2; ++k) {
    auto* store_bb = llvm::BasicBlock::Create(ctx_, "arange_head", llfn_);
    auto* done_bb = llvm::BasicBlock::Create(ctx_, "arange_head_done", llfn_);
    b_.CreateCondBr(b_.CreateICmpSGT(n, b_.getInt64(k)), store_bb, done_bb);
    b_.SetInsertPoint(store_bb);
    store_element(data, dt, b_.getInt64(k), k == 0 ? first : second);
    b_.CreateBr(done_bb);
    b_.SetInsertPoint(done_bb);
  }
  return arr;
}

// NumPy's linspace: div = num - 1 (endpoint) or num; step = (stop - start) / div;
// y[k] = k * step + start, or (k / div) * delta + start when step underflows to 0, or
// k * delta + start when div <= 0; y[num - 1] = stop with the endpoint; integer dtypes
// take floor(y).
llvm::Value* FunctionLowering::lower_linspace(const Instr* i) {
  const Instr* start_i = creation_arg(i, "start");
  const Type* ct = start_i->type->strong();
  const Type* dt = i->type->dtype();
  llvm::Type* c = reg(ct);
  llvm::Value* start = value(start_i);
  llvm::Value* stop = value(creation_arg(i, "stop"));
  const Instr* num_i = creation_arg(i, "num");
  const Instr* endpoint_i = creation_arg(i, "endpoint");
  llvm::Value* num = num_i ? value(num_i) : b_.getInt64(50);
  llvm::Value* endpoint = endpoint_i ? value(endpoint_i) : b_.getTrue();
  error_if(b_.CreateICmpSLT(num, b_.getInt64(0)), DN_VALUE_ERROR,
           "Number of samples must be non-negative");
  llvm::Value* arr = allocate_array(i->type, {num}, 0);
  llvm::Value* data = data_of(b_, arr);

  llvm::Value* div = b_.CreateSelect(endpoint, b_.CreateSub(num, b_.getInt64(1)), num);
  llvm::Value* divf = b_.CreateSIToFP(div, c);
  llvm::Value* delta = b_.CreateFSub(stop, start);
  llvm::Value* step = b_.CreateFDiv(delta, divf);
  llvm::Value* positive = b_.CreateICmpSGT(div, b_.getInt64(0));
  llvm::Value* underflow =
      b_.CreateAnd(positive, b_.CreateFCmpOEQ(step, llvm::ConstantFP::get(c, 0.0)));
  auto convert = [&](llvm::Value* y) {
    if (dt->is_int()) y = b_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, y);
    return cast(y, ct, dt);
  };
  auto* slow_bb = llvm::BasicBlock::Create(ctx_, "linspace_tiny_step", llfn_);
  auto* fast_bb = llvm::BasicBlock::Create(ctx_, "linspace", llfn_);
  auto* done_bb = llvm::BasicBlock::Create(ctx_, "linspace_done", llfn_);
  b_.CreateCondBr(underflow, slow_bb, fast_bb);
  b_.SetInsertPoint(slow_bb);
  counted_loop(num, [&](llvm::Value* k) {
    llvm::Value* y = b_.CreateFMul(b_.CreateFDiv(b_.CreateSIToFP(k, c), divf), delta);
    store_element(data, dt, k, convert(b_.CreateFAdd(y, start)));
  });
  b_.CreateBr(done_bb);
  b_.SetInsertPoint(fast_bb);
  llvm::Value* mult = b_.CreateSelect(positive, step, delta);
  counted_loop(num, [&](llvm::Value* k) {
    llvm::Value* y = b_.CreateFMul(b_.CreateSIToFP(k, c), mult);
    store_element(data, dt, k, convert(b_.CreateFAdd(y, start)));
  });
  b_.CreateBr(done_bb);
  b_.SetInsertPoint(done_bb);

  auto* last_bb = llvm::BasicBlock::Create(ctx_, "linspace_endpoint", llfn_);
  auto* end_bb = llvm::BasicBlock::Create(ctx_, "linspace_end", llfn_);
  b_.CreateCondBr(b_.CreateAnd(endpoint, b_.CreateICmpSGT(num, b_.getInt64(1))), last_bb, end_bb);
  b_.SetInsertPoint(last_bb);
  store_element(data, dt, b_.CreateSub(num, b_.getInt64(1)), convert(stop));
  b_.CreateBr(end_bb);
  b_.SetInsertPoint(end_bb);
  return arr;
}

// np.eye(N, M, k) / np.identity(n): zeros, then ones on the k-th diagonal.
llvm::Value* FunctionLowering::lower_eye(const Instr* i) {
  bool identity = callee_name(i) == "numpy.identity";
  llvm::Value* rows = value(creation_arg(i, identity ? "n" : "N"));
  const Instr* m_i = identity ? nullptr : creation_arg(i, "M");
  const Instr* k_i = identity ? nullptr : creation_arg(i, "k");
  llvm::Value* cols = m_i ? value(m_i) : rows;
  llvm::Value* k = k_i ? value(k_i) : b_.getInt64(0);
  const Type* dt = i->type->dtype();
  llvm::Value* arr = allocate_array(i->type, {rows, cols}, 1);  // checks rows, cols >= 0
  llvm::Value* data = data_of(b_, arr);
  // With k clamped to [-rows, cols] nothing overflows: the diagonal is rows lo..hi-1.
  k = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, k, b_.CreateNeg(rows));
  k = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, k, cols);
  llvm::Value* lo =
      b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, b_.getInt64(0), b_.CreateNeg(k));
  llvm::Value* hi = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, rows, b_.CreateSub(cols, k));
  ConstValue one;
  one.kind = ConstValue::Kind::Int;
  one.i = 1;
  llvm::Value* v = constant(one, dt);
  llvm::Value* pitch = b_.CreateAdd(cols, b_.getInt64(1));
  counted_loop(b_.CreateSub(hi, lo), [&](llvm::Value* j) {
    llvm::Value* row = b_.CreateAdd(lo, j);
    store_element(data, dt, b_.CreateAdd(b_.CreateMul(row, pitch), k), v);
  });
  return arr;
}

// np.array((x, y, ...)) of scalars or nested tuples of scalars: C order is the order of
// the leaves, each converted to the dtype.
llvm::Value* FunctionLowering::lower_from_tuple(const Instr* i) {
  const Instr* obj = creation_arg(i, callee_name(i) == "numpy.array" ? "object" : "a");
  const Type* at = i->type;
  std::vector<llvm::Value*> dims;
  for (const Type* t = obj->type; t->kind() == TypeKind::Tuple;
       t = t->elements().empty() ? t : t->elements()[0]) {
    dims.push_back(b_.getInt64(int64_t(t->elements().size())));
    if (t->elements().empty()) break;
  }
  DN_CHECK(int(dims.size()) == at->ndim(), "np.array: shape does not match " + at->str());
  llvm::Value* arr = allocate_array(at, dims, 0);
  llvm::Value* data = data_of(b_, arr);
  int64_t next = 0;
  std::function<void(llvm::Value*, const Type*)> leaves = [&](llvm::Value* v, const Type* t) {
    if (t->kind() != TypeKind::Tuple) {
      store_element(data, at->dtype(), b_.getInt64(next++), cast(v, t, at->dtype()));
      return;
    }
    for (unsigned k = 0; k < t->elements().size(); ++k)
      leaves(b_.CreateExtractValue(v, {k}), t->elements()[k]);
  };
  leaves(value(obj), obj->type);
  return arr;
}

}  // namespace dn
