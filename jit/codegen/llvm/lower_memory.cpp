// Instruction selection for lowered array code (jit/transforms/lower_array_loops): shape
// and stride reads of array descriptors, element addresses, loads, stores, allocation,
// copies and releases. Each IR instruction becomes the LLVM instructions that do exactly
// it; the loops around them are IR blocks, lowered like any others.
#include "jit/codegen/llvm/lowering.h"
#include "runtime/abi.h"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include <cstddef>
#include <tuple>

namespace dn {

// Whether the memory of arrays a and b may overlap (byte ranges intersect), except when
// they are the same array (then element k of one is element k of the other).
llvm::Value* may_overlap(llvm::IRBuilder<>& b, llvm::Value* a, const Type* at, llvm::Value* c, const Type* ct) {
  auto range = [&](llvm::Value* v, const Type* t) {
    llvm::Value* lo = b.getInt64(0);
    llvm::Value* hi = b.getInt64(t->dtype()->itemsize());
    llvm::Value* empty = b.getFalse();
    for (int k = 0; k < t->ndim(); ++k) {
      llvm::Value* n = b.CreateExtractValue(v, {3u, unsigned(k)});
      llvm::Value* s = b.CreateExtractValue(v, {4u, unsigned(k)});
      empty = b.CreateOr(empty, b.CreateICmpEQ(n, b.getInt64(0)));
      llvm::Value* ext = b.CreateMul(b.CreateSub(n, b.getInt64(1)), s);
      lo = b.CreateAdd(lo, b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, ext, b.getInt64(0)));
      hi = b.CreateAdd(hi, b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, ext, b.getInt64(0)));
    }
    llvm::Value* base = b.CreatePtrToInt(b.CreateExtractValue(v, {2}), b.getInt64Ty());
    return std::make_tuple(b.CreateAdd(base, lo), b.CreateAdd(base, hi), empty);
  };
  auto [alo, ahi, aempty] = range(a, at);
  auto [clo, chi, cempty] = range(c, ct);
  llvm::Value* intersect = b.CreateAnd(b.CreateICmpULT(alo, chi), b.CreateICmpULT(clo, ahi));
  llvm::Value* same = b.CreateICmpEQ(b.CreateExtractValue(a, {2}), b.CreateExtractValue(c, {2}));
  if (at->ndim() == ct->ndim())
    for (int k = 0; k < at->ndim(); ++k)
      same = b.CreateAnd(same, b.CreateICmpEQ(b.CreateExtractValue(a, {4u, unsigned(k)}), b.CreateExtractValue(c, {4u, unsigned(k)})));
  else
    same = b.getFalse();
  return b.CreateAnd(b.CreateAnd(intersect, b.CreateNot(b.CreateOr(aempty, cempty))), b.CreateNot(same));
}


llvm::Value* FunctionLowering::allocate_array(const Type* at, const std::vector<llvm::Value*>& shape, int fill) {
  int nd = at->ndim();
  auto* dims_t = llvm::ArrayType::get(i64(), unsigned(nd));
  llvm::Value* dims = entry_alloca(dims_t, "shape");
  for (int k = 0; k < nd; ++k)
    b_.CreateStore(shape[size_t(k)], b_.CreateConstInBoundsGEP2_64(dims_t, dims, 0, unsigned(k)));
  llvm::Type* desc_t = reg(at);
  llvm::Value* desc = entry_alloca(desc_t, "array");
  auto fn = runtime("dn_array_new");
  llvm::Value* status = b_.CreateCall(
      fn, {desc, b_.getInt64(nd), dims, b_.getInt64(at->dtype()->itemsize()),
           b_.getInt32(dtype_code(at->dtype())), b_.getInt32(fill)});
  return_if_failed(status);
  return b_.CreateLoad(desc_t, desc);
}

FunctionLowering::MemoryKind FunctionLowering::memory_kind(const Instr* p) {
  if (p->op == Opcode::PtrOffset) p = p->operands[0];
  return p->op == Opcode::ListHeader ? MemoryKind::ListHeader : MemoryKind::Element;
}

void FunctionLowering::tag(llvm::Instruction* access, MemoryKind kind) {
  llvm::MDBuilder md(ctx_);
  llvm::MDNode* root = md.createTBAARoot("dunnart");
  const char* name = kind == MemoryKind::ListHeader        ? "list header"
                     : kind == MemoryKind::ListDataPointer ? "list data pointer"
                                                           : "element";
  llvm::MDNode* type = md.createTBAAScalarTypeNode(name, root);
  access->setMetadata(llvm::LLVMContext::MD_tbaa, md.createTBAAStructTagNode(type, type, 0));
}

llvm::Value* FunctionLowering::lower_memory(const Instr* i) {
  auto operand = [&](size_t k) { return value(i->operands[k]); };
  switch (i->op) {
    case Opcode::ArrayDim:
    case Opcode::ArrayStride: {
      unsigned field = i->op == Opcode::ArrayDim ? 3u : 4u;
      if (i->operands.size() == 1) return b_.CreateExtractValue(operand(0), {field, unsigned(i->dim)});
      // A dimension known at run time: a few selects, or through memory for many
      // dimensions (a chain of n selects per lookup made code quadratic in n).
      int n = i->operands[0]->type->ndim();
      llvm::Value* d = operand(1);
      if (n > kMaxSelectDims) {
        auto* dims_t = llvm::ArrayType::get(i64(), unsigned(n));
        llvm::Value* slot = spill(b_.CreateExtractValue(operand(0), {field}));
        return b_.CreateLoad(i64(), b_.CreateInBoundsGEP(dims_t, slot, {b_.getInt64(0), d}));
      }
      llvm::Value* r = b_.getInt64(0);
      for (int k = 0; k < n; ++k)
        r = b_.CreateSelect(b_.CreateICmpEQ(d, b_.getInt64(k)), b_.CreateExtractValue(operand(0), {field, unsigned(k)}), r);
      return r;
    }
    case Opcode::View: {
      llvm::Value* v = llvm::UndefValue::get(reg(i->type));
      v = b_.CreateInsertValue(v, b_.CreateExtractValue(operand(0), {0}), {0});
      v = b_.CreateInsertValue(v, b_.CreateExtractValue(operand(0), {1}), {1});
      v = b_.CreateInsertValue(v, operand(1), {2});
      int nd = i->type->ndim();
      for (int k = 0; k < nd; ++k) {
        v = b_.CreateInsertValue(v, operand(size_t(2 + k)), {3u, unsigned(k)});
        v = b_.CreateInsertValue(v, operand(size_t(2 + nd + k)), {4u, unsigned(k)});
      }
      return v;
    }
    case Opcode::StackSlot: {
      llvm::Type* t = memory_type(ctx_, i->type->dtype());
      return entry_alloca(i->slots == 1 ? t : llvm::ArrayType::get(t, uint64_t(i->slots)), "slot");
    }
    case Opcode::CallRuntime: {
      std::vector<llvm::Value*> args;
      for (size_t k = 0; k < i->operands.size(); ++k) args.push_back(operand(k));
      llvm::Value* r = b_.CreateCall(runtime(i->func), args);
      if (i->checked) {
        return_if_failed(r);
        return nullptr;
      }
      return i->type ? r : nullptr;
    }
    case Opcode::MakeComplex: {
      llvm::Value* z = llvm::UndefValue::get(reg(i->type));
      return b_.CreateInsertValue(b_.CreateInsertValue(z, operand(0), {0}), operand(1), {1});
    }
    case Opcode::ArrayData: return b_.CreateExtractValue(operand(0), {2u});
    case Opcode::PtrOffset:
      // Element offsets stay within the array (inbounds, as LLVM's vectoriser likes them);
      // byte offsets may step backwards through a view.
      if (i->byte_offset) return b_.CreateGEP(b_.getInt8Ty(), operand(0), operand(1));
      return b_.CreateInBoundsGEP(memory_type(ctx_, i->type->dtype()), operand(0), operand(1));
    case Opcode::Load: {
      const Type* t = i->type;
      llvm::LoadInst* load = b_.CreateLoad(memory_type(ctx_, t), operand(0));
      tag(load, memory_kind(i->operands[0]));
      return from_memory(b_, load, t);
    }
    case Opcode::Store: {
      const Type* t = i->operands[0]->type->dtype();
      tag(b_.CreateStore(to_memory(b_, operand(1), t), operand(0)), memory_kind(i->operands[0]));
      return nullptr;
    }
    case Opcode::NewArray: {
      std::vector<llvm::Value*> extents;
      for (size_t k = 0; k < i->operands.size(); ++k) extents.push_back(operand(k));
      return allocate_array(i->type, extents, int(i->fill));
    }
    case Opcode::CopyArray: {
      auto copy = runtime("dn_array_copy");
      llvm::Value* out = entry_alloca(reg(i->type), "array_copy");
      return_if_failed(b_.CreateCall(copy, {out, spill(operand(0)), b_.getInt64(i->type->ndim()),
                                            b_.getInt64(i->type->dtype()->itemsize())}));
      return b_.CreateLoad(reg(i->type), out);
    }
    case Opcode::Release: {
      auto fn = runtime("dn_meminfo_release_data");
      b_.CreateCall(fn, {b_.CreateExtractValue(operand(0), {0})});
      return nullptr;
    }
    case Opcode::Overlaps:
      return may_overlap(b_, operand(0), i->operands[0]->type, operand(1), i->operands[1]->type);
    case Opcode::Select: return b_.CreateSelect(operand(0), operand(1), operand(2));
    case Opcode::AddressOf: return b_.CreatePtrToInt(operand(0), b_.getInt64Ty());
    case Opcode::StackTop: return b_.CreateStackSave();  // reads the stack pointer; no frame needed
    case Opcode::ListHeader: return operand(0);  // a DnList starts with its length and capacity
    case Opcode::ListData: {
      llvm::LoadInst* data =
          b_.CreateLoad(b_.getPtrTy(), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), operand(0), offsetof(DnList, data)));
      tag(data, MemoryKind::ListDataPointer);
      return data;
    }
    default: break;
  }
  DN_CHECK(false, "not a memory instruction: " + print_instr(*i));
  return nullptr;
}

}  // namespace dn
