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
    case TypeKind::EnumMember: return lower(ctx, t->dtype(), memory);  // its value
    case TypeKind::Optional:  // {value, present}
      return llvm::StructType::get(ctx, {lower(ctx, t->dtype(), memory), lower(ctx, t_bool(), memory)});
    case TypeKind::Array: return array_struct(ctx, t->ndim());
    case TypeKind::Tuple: {
      std::vector<llvm::Type*> elems;
      for (auto* e : t->elements()) elems.push_back(lower(ctx, e, memory));
      return llvm::StructType::get(ctx, elems);
    }
    case TypeKind::String: {  // DnStr: {data, length, kind}
      auto* i64 = llvm::Type::getInt64Ty(ctx);
      return llvm::StructType::get(ctx, {llvm::PointerType::getUnqual(ctx), i64, i64});
    }
    case TypeKind::Slice:  // {start, stop, step}; a missing start/stop is INT64_MIN
    case TypeKind::Range: {
      auto* i64 = llvm::Type::getInt64Ty(ctx);
      return llvm::StructType::get(ctx, {i64, i64, i64});
    }
    case TypeKind::Pointer:
    case TypeKind::List:
    case TypeKind::Dict:
    case TypeKind::Set:
    case TypeKind::DictView:
    case TypeKind::RangeIter:
    case TypeKind::ArrayIter:
    case TypeKind::RandomGenerator:  // its bitgen_t*
    case TypeKind::Generator: return llvm::PointerType::getUnqual(ctx);  // its frame
    default: return nullptr;
  }
}

llvm::Type* register_type(llvm::LLVMContext& ctx, const Type* t) { return lower(ctx, t, false); }
llvm::Type* memory_type(llvm::LLVMContext& ctx, const Type* t) { return lower(ctx, t, true); }


}  // namespace dn
