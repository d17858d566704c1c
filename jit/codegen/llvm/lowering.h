// Internal to jit/codegen/llvm: instruction selection for one lowered IR function (array
// code is loops by now), split across lower_function.cpp (structure, control flow,
// constants, tuples, the entry wrapper), lower_scalar.cpp (operators and casts),
// lower_memory.cpp (the instructions of lowered array code), lower_array.cpp (views,
// element access, ranges, iterators, matmul), lower_shape.cpp (transpose, reshape) and
// lower_call.cpp (intrinsic calls).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <map>
#include <unordered_map>

#include "jit/codegen/llvm/llvm_types.h"
#include "jit/ir/ir.h"
#include "jit/support/options.h"

namespace dn {

// Whether the memory of arrays a (of type at) and c may overlap (byte ranges intersect),
// except when they are the same array (then element k of one is element k of the other).
llvm::Value* may_overlap(llvm::IRBuilder<>& b, llvm::Value* a, const Type* at, llvm::Value* c, const Type* ct);

class FunctionLowering {
 public:
  FunctionLowering(const CompileOptions& options, const Function& fn, llvm::Module& module,
                   llvm::Function* llfn)
      : fn_(fn), module_(module), ctx_(module.getContext()), llfn_(llfn),
        b_(module.getContext()), opts_(options) {
    if (opts_.fastmath) b_.setFastMathFlags(llvm::FastMathFlags::getFast());
  }

  void lower();

  // The LLVM signature every jitted function gets (see codegen.h).
  static llvm::FunctionType* signature(llvm::LLVMContext& ctx, const Function& fn);
  // Converts between register and memory representations (bool i1 <-> i8, recursively).
  static llvm::Value* to_memory(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t);
  static llvm::Value* from_memory(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t);
  // The frame type of the generator function `symbol` (its body: once that is lowered).
  static llvm::StructType* frame_type(llvm::LLVMContext& ctx, const std::string& symbol);

 private:
  // lower_function.cpp
  void lower_instr(const Instr* i);

  // lower_memory.cpp: array_dim ... select, the instructions of lowered array code.
  llvm::Value* lower_memory(const Instr* i);
  // Type-based alias information: a list's header (length, capacity), its data pointer and
  // elements never share memory, so LLVM may keep a list's capacity and data in registers
  // across stores of elements (appends in a loop).
  enum class MemoryKind { ListHeader, ListDataPointer, Element };
  void tag(llvm::Instruction* access, MemoryKind kind);
  static MemoryKind memory_kind(const Instr* pointer);
  // Dimensions chosen at run time: selects up to this many dimensions, memory beyond.
  static constexpr int kMaxSelectDims = 6;
  // Records error `code` with `message` ("{}" holes filled from `shapes`) and returns it.
  void raise_error(int code, const std::string& message, const std::vector<std::vector<llvm::Value*>>& shapes);
  void raise_with_values(const Instr* raise, size_t first);
  // The operands from `first` on, as the runtime's formatter takes them: their DnFormatKinds,
  // their bits, and value_formats joined (runtime/abi.h's dn_set_error_values).
  struct FormattedValues {
    llvm::Value *count, *kinds, *bits, *specs;
  };
  FormattedValues formatted_values(const Instr* i, size_t first);

  // lower_frozen_array.cpp: the constant descriptor of a frozen global array.
  llvm::Value* frozen_array(const Instr* i);

  llvm::Value* value(const Instr* i);
  llvm::Value* constant(const ConstValue& c, const Type* t);
  llvm::Value* string_constant(const std::string& utf8);
  // Branches to a new block that records `code`/`message` and returns `code` when `failed`.
  // Returns `code` with `message` when `failed`; each "{}" in the message becomes the next
  // of `shapes` (run-time extents), NumPy style.
  void error_if(llvm::Value* failed, int code, const std::string& message,
                const std::vector<std::vector<llvm::Value*>>& shapes = {});
  // Passes the callee's non-zero status on (the error is already recorded): see fail_with.
  void return_if_failed(llvm::Value* status);
  // Leaves with the error `status` (already recorded): to the landing block of the try
  // around the block being lowered (Block::unwind, which reads it with `caught`), or out
  // of the function to its caller.
  void fail_with(llvm::Value* status);
  llvm::AllocaInst* caught_status();  // where fail_with leaves the status for the landing
  llvm::Value* cstring(const std::string& s);
  llvm::AllocaInst* entry_alloca(llvm::Type* t, const std::string& name = "");
  // Generators (lower_generators): the frame of the generator function `symbol`, on this
  // function's stack and zeroed here (it starts); and, in the function that resumes one,
  // its entry allocas moved into the frame it is passed, which keeps them between calls.
  llvm::Value* make_generator_frame(const std::string& symbol);
  void move_allocas_into_frame();
  // A runtime entry point (runtime/abi.h), declared with its prototype from the ABI.
  llvm::FunctionCallee runtime(const std::string& name);
  // A C library function (libm) of the given prototype.
  llvm::FunctionCallee c_function(const std::string& name, llvm::Type* ret, std::vector<llvm::Type*> params);
  llvm::Type* reg(const Type* t) { return register_type(ctx_, t); }
  llvm::Type* i64() { return b_.getInt64Ty(); }

  // lower_scalar.cpp
  // Scalar operations: the *_values forms take operand values (elements, for arrays) and
  // the scalar type of the result (binop, unary) or of the operands (compare).
  llvm::Value* binop(const Instr* i);
  llvm::Value* binop_values(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* unary_values(UnaryKind k, llvm::Value* v, const Type* t);
  llvm::Value* compare_values(CmpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* int_binop(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* float_binop(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* complex_binop(BinOpKind k, llvm::Value* a, llvm::Value* b, const Type* t);
  llvm::Value* unary(const Instr* i);
  llvm::Value* compare(const Instr* i);
  llvm::Value* truth(llvm::Value* v, const Type* t);
  llvm::Value* cast(llvm::Value* v, const Type* from, const Type* to);
  // Scalar division by zero raises (error_model="python"); array elements follow NumPy
  // (inf/nan for floats, 0 for integers) whatever the model, as in NumPy and Numba.
  void check_float_to_int(llvm::Value* v, const Type* to);
  void check_int_fits(llvm::Value* v, const Type* from, const Type* to);
  llvm::Value* scalar_abs_complex(llvm::Value* z, const Type* t);
  llvm::Value* complex_has_nan(llvm::Value* z);
  llvm::Value* complex_at_least(llvm::Value* a, llvm::Value* b, bool ge);
  llvm::Value* complex_func(const std::string& name, llvm::Value* z, const Type* t);
  // Whether the operation being lowered raises Python's errors: the `checked` attribute of
  // the instruction (apply_error_model), false for elements of array expressions.
  bool python_errors() const { return python_errors_; }
  bool python_errors_ = false;

  // lower_array.cpp
  llvm::Value* element_pointer(llvm::Value* array, const Type* at,
                               const std::vector<llvm::Value*>& indices);
  llvm::Value* get_item(const Instr* i);
  // The view a[parts...] (integers and slices) of array `arr` of type `at`, of type `vt`.
  llvm::Value* make_view(llvm::Value* arr, const Type* at, const std::vector<const Instr*>& parts,
                         const Type* vt);
  void set_item(const Instr* i);
  llvm::Value* get_attr(const Instr* i);
  llvm::Value* get_iter(const Instr* i);
  llvm::Value* iter_valid(const Instr* i);
  llvm::Value* iter_next(const Instr* i);
  llvm::Value* matmul(const Instr* a, const Instr* b, const Type* result_t);  // np.dot, @
  llvm::Value* linalg(const Instr* call);  // np.linalg.solve/inv/det

  // lower_function.cpp: a prange loop run by the runtime's threads (dn_parallel_for): the
  // body's inputs in a context struct on this function's stack.
  void parallel_for(const Instr* i);

  // lower_shape.cpp
  llvm::Value* transpose(llvm::Value* a, const Type* at, const Type* rt);
  llvm::Value* strided_view(const Instr* i);
  llvm::Value* reshape(const Instr* i);
  llvm::Function* llvm_function() { return llfn_; }
  llvm::Value* array_size(llvm::Value* array, const Type* at);
  llvm::Value* range_length(llvm::Value* range);
  llvm::Value* spill(llvm::Value* v);  // stores a value in an entry alloca, returns its address
  // The address of a tuple value in memory: a private constant global for constants (one
  // per distinct constant), else a spill.
  llvm::Value* tuple_memory(llvm::Value* v);

  // lower_call.cpp
  llvm::Value* call(const Instr* i);
  // The scalar intrinsics (Abs, Min, Max, MathFunc, IsNan, IsInf, IsFinite, Where) on
  // argument values of scalar type `arg_t`, giving `result_t`.
  llvm::Value* scalar_call(const Instr* i, const std::vector<llvm::Value*>& args, const Type* arg_t,
                           const Type* result_t);
  llvm::Value* math_call(const std::string& name, const std::vector<llvm::Value*>& args,
                         const Type* arg_t, const Type* result_t);
  llvm::Value* min_max(const std::vector<llvm::Value*>& args, const Type* t, bool is_min);

  // lower_memory.cpp: a new C-contiguous array (dn_array_new) with `fill` (ArrayFill).
  llvm::Value* allocate_array(const Type* at, const std::vector<llvm::Value*>& shape, int fill);


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
  const Block* block_ = nullptr;                // the block being lowered
  llvm::AllocaInst* caught_status_ = nullptr;   // the status a landing block reads
  std::unordered_map<llvm::Constant*, llvm::Value*> constant_memory_;  // see tuple_memory
};

}  // namespace dn
