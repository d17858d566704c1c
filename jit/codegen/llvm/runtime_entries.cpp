#include "jit/codegen/llvm/runtime_entries.h"

#include <cstdint>
#include <map>
#include <type_traits>

#include "runtime/abi.h"

namespace dn {

namespace {

// The LLVM type of a C parameter or result type of the ABI.
template <typename T>
llvm::Type* llvm_type(llvm::LLVMContext& ctx) {
  if constexpr (std::is_void_v<T>) return llvm::Type::getVoidTy(ctx);
  else if constexpr (std::is_pointer_v<T>) return llvm::PointerType::getUnqual(ctx);
  else if constexpr (std::is_same_v<T, double>) return llvm::Type::getDoubleTy(ctx);
  else if constexpr (std::is_same_v<T, float>) return llvm::Type::getFloatTy(ctx);
  else {
    static_assert(std::is_integral_v<T>, "an ABI type must be void, a pointer, a float or an integer");
    return llvm::Type::getIntNTy(ctx, unsigned(sizeof(T) * 8));
  }
}

template <typename R, typename... Args>
llvm::FunctionType* signature_of(llvm::LLVMContext& ctx, R (*)(Args...)) {
  return llvm::FunctionType::get(llvm_type<R>(ctx), {llvm_type<Args>(ctx)...}, false);
}

}  // namespace

llvm::FunctionType* runtime_signature(llvm::LLVMContext& ctx, const std::string& name) {
#define DN_SIGNATURE(fn) \
  if (name == #fn) return signature_of(ctx, &fn);
  DN_RUNTIME_ENTRY_POINTS(DN_SIGNATURE)
#undef DN_SIGNATURE
  return nullptr;
}

}  // namespace dn
