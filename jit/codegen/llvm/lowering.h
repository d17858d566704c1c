// Internal to jit/codegen/llvm: the lowering of one typed IR function, split across
// lower_function.cpp (structure, control flow, constants, tuples, the entry wrapper),
// lower_scalar.cpp (operators and casts), lower_array.cpp (arrays, ranges, iterators) and
// lower_call.cpp (intrinsic calls).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <map>
#include <unordered_map>

#include "jit/codegen/llvm/llvm_types.h"
#include "jit/ir/ir.h"
#include "jit/typing/infer.h"

namespace dn {

class FunctionLowering {
 public:
  FunctionLowering(const CompileUnit& unit, const Function& fn, llvm::Module& module,
                   llvm::Function* llfn)
      : unit_(unit), fn_(fn), module_(module), ctx_(module.getContext()), llfn_(llfn),
        b_(module.getContext()), opts_(unit.options) {
    if (opts_.fastmath) b_.setFastMathFlags(llvm::FastMathFlags::getFast());
  }

  void lower();

  // The LLVM signature every jitted function gets (see codegen.h).
  static llvm::FunctionType* signature(llvm::LLVMContext& ctx, const Function& fn);
  // Converts between register and memory representations (bool i1 <-> i8, recursively).
  static llvm::Value* to_memory(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t);
  static llvm::Value* from_memory(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t);

 private:
  // lower_function.cpp
  void lower_instr(const Instr* i);
  llvm::Value* value(const Instr* i);
  llvm::Value* constant(const ConstValue& c, const Type* t);
  // Branches to a new block that records `code`/`message` and returns `code` when `failed`.
  void error_if(llvm::Value* failed, int code, const std::string& message);
  // Returns the callee's non-zero status to our caller (the error is already recorded).
  void return_if_failed(llvm::Value* status);
  llvm::Value* cstring(const std::string& s);
  llvm::AllocaInst* entry_alloca(llvm::Type* t, const std::string& name = "");
  llvm::FunctionCallee runtime(const std::string& name, llvm::Type* ret,
                               std::vector<llvm::Type*> params);
  llvm::Type* reg(const Type* t) { return register_type(ctx_, t); }
  llvm::Type* i64() { return b_.getInt64Ty(); }

  // lower_scalar.cpp
  llvm::Value* binop(const Instr* i);
  llvm::Value* int_binop(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* float_binop(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* complex_binop(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* const_power(llvm::Value* x, int64_t n, const Type* t);
  llvm::Value* unary(const Instr* i);
  llvm::Value* compare(const Instr* i);
  llvm::Value* truth(llvm::Value* v, const Type* t);
  llvm::Value* cast(llvm::Value* v, const Type* from, const Type* to);

  // lower_array.cpp
  llvm::Value* element_pointer(llvm::Value* array, const Type* at,
                               const std::vector<llvm::Value*>& indices);
  llvm::Value* get_item(const Instr* i);
  void set_item(const Instr* i);
  llvm::Value* get_attr(const Instr* i);
  llvm::Value* get_iter(const Instr* i);
  llvm::Value* iter_valid(const Instr* i);
  llvm::Value* iter_next(const Instr* i);
  llvm::Value* array_alloc(const Instr* i);
  llvm::Value* array_runtime_call(const Instr* i);
  llvm::Value* array_size(llvm::Value* array, const Type* at);
  llvm::Value* range_length(llvm::Value* range);
  llvm::Value* spill(llvm::Value* v);  // stores a value in an entry alloca, returns its address

  // lower_call.cpp
  llvm::Value* call(const Instr* i);
  llvm::Value* math_call(const Instr* i, std::vector<llvm::Value*> args);
  llvm::Value* min_max(const Instr* i, bool is_min);

  const CompileUnit& unit_;
  const Function& fn_;
  llvm::Module& module_;
  llvm::LLVMContext& ctx_;
  llvm::Function* llfn_;
  llvm::IRBuilder<> b_;
  const CompileOptions& opts_;
  std::unordered_map<const Instr*, llvm::Value*> values_;
  std::unordered_map<const Block*, llvm::BasicBlock*> blocks_;
  std::unordered_map<const Block*, llvm::BasicBlock*> exits_;  // where each block's code ends
  llvm::BasicBlock* alloca_block_ = nullptr;
};

}  // namespace dn
