// How dunnart types are represented in LLVM: in registers (bool is i1) and in memory
// (bool is i8; the layout C code and the bindings see). Types with no runtime value
// (modules, functions, classes) map to null.
#pragma once

#include "jit/types/abi_layout.h"

#include "jit/types/type.h"

namespace llvm {
class LLVMContext;
class Type;
class StructType;
}  // namespace llvm

namespace dn {

llvm::Type* register_type(llvm::LLVMContext& ctx, const Type* t);
llvm::Type* memory_type(llvm::LLVMContext& ctx, const Type* t);
// {ptr meminfo, ptr parent, ptr data, [n x i64] shape, [n x i64] strides}
llvm::StructType* array_struct(llvm::LLVMContext& ctx, int ndim);
inline bool has_value(const Type* t) { return t->has_runtime_value(); }

}  // namespace dn
