#include "jit/codegen/llvm/llvm_types.h"

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/LLVMContext.h>

#include "jit/support/diagnostics.h"
#include "runtime/abi.h"

namespace dn {

llvm::StructType* array_struct(llvm::LLVMContext& ctx, int ndim) {
  auto* ptr = llvm::PointerType::getUnqual(ctx);
  auto* dims = llvm::ArrayType::get(llvm::Type::getInt64Ty(ctx), ndim);
  return llvm::StructType::get(ctx, {ptr, ptr, ptr, dims, dims});
}

static llvm::Type* lower(llvm::LLVMContext& ctx, const Type* t, bool memory) {
  switch (t->kind()) {
    case TypeKind::Bool: return memory ? llvm::Type::getInt8Ty(ctx) : llvm::Type::getInt1Ty(ctx);
    case TypeKind::Int: return llvm::Type::getIntNTy(ctx, t->bits());
    case TypeKind::Float:
      return t->bits() == 32 ? llvm::Type::getFloatTy(ctx) : llvm::Type::getDoubleTy(ctx);
    case TypeKind::Complex: {
      llvm::Type* f = t->bits() == 64 ? llvm::Type::getFloatTy(ctx) : llvm::Type::getDoubleTy(ctx);
      return llvm::StructType::get(ctx, {f, f});
    }
    case TypeKind::None: return llvm::Type::getInt8Ty(ctx);
    case TypeKind::Array: return array_struct(ctx, t->ndim());
    case TypeKind::Tuple: {
      std::vector<llvm::Type*> elems;
      for (auto* e : t->elements()) elems.push_back(lower(ctx, e, memory));
      return llvm::StructType::get(ctx, elems);
    }
    case TypeKind::Slice:  // {start, stop, step}; a missing start/stop is INT64_MIN
    case TypeKind::Range: {
      auto* i64 = llvm::Type::getInt64Ty(ctx);
      return llvm::StructType::get(ctx, {i64, i64, i64});
    }
    case TypeKind::Pointer:
    case TypeKind::RangeIter:
    case TypeKind::ArrayIter: return llvm::PointerType::getUnqual(ctx);
    default: return nullptr;
  }
}

llvm::Type* register_type(llvm::LLVMContext& ctx, const Type* t) { return lower(ctx, t, false); }
llvm::Type* memory_type(llvm::LLVMContext& ctx, const Type* t) { return lower(ctx, t, true); }

int dtype_code(const Type* t) {
  switch (t->kind()) {
    case TypeKind::Bool: return DN_BOOL;
    case TypeKind::Int: {
      int base = t->bits() == 8 ? DN_INT8 : t->bits() == 16 ? DN_INT16 : t->bits() == 32 ? DN_INT32 : DN_INT64;
      return base + (t->is_signed() ? 0 : 1);
    }
    case TypeKind::Float: return t->bits() == 32 ? DN_FLOAT32 : DN_FLOAT64;
    case TypeKind::Complex: return t->bits() == 64 ? DN_COMPLEX64 : DN_COMPLEX128;
    default: DN_CHECK(false, "dtype_code of non-scalar " + t->str());
  }
  return -1;
}

}  // namespace dn
