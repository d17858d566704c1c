// Typing rules for operations, attributes and calls, shared by inference (which needs
// only result types) and the rewrite after it (which applies casts and intrinsics).
#pragma once

#include <string>
#include <vector>

#include "jit/ir/ir.h"
#include "jit/typing/typing_context.h"

namespace dn {


// How a call is implemented. params[i] is the type argument i must be cast to (null: as
// is). When `cast_to` is set the call is a conversion (int(x), np.float32(x)).
struct CallResolution {
  const Type* result = nullptr;
  Intrinsic intrinsic = Intrinsic::None;
  std::string func;        // Instr::func: MathFunc's libm function, the reduction, ...
  std::string callee_key;  // CallJitted: the callee's symbol
  ArrayFill fill = ArrayFill::Empty;  // the Instr attributes of the same names
  bool has_axis = false, to_1d = false, always_copy = false;
  std::vector<const Type*> params;
  const Type* cast_to = nullptr;
  // The call computes `result` and converts it to this as int() does (OverflowError,
  // ValueError for nan): math.floor/ceil/trunc and round of floats. The call's type.
  const Type* converted = nullptr;
  // A call whose answer is known while compiling (isinstance): 0 or 1, -1 when not.
  int known_bool = -1;
  // bool(container): the container's truth (the call becomes a Truth of its argument).
  bool truth = false;
  // The arguments are compile-time values only (List.empty_list(np.float64)): the call
  // keeps its callee alone.
  bool drop_arguments = false;
  const Type* constant_result = nullptr;  // not used yet
};

// Each returns the result type, or throws CompileError(Typing/Unsupported) naming the
// problem (the caller adds the source location).
const Type* binop_type(BinOpKind k, const Type* a, const Type* b);
// The type operands of a binop are converted to before the operation.
const Type* binop_operand_type(BinOpKind k, const Type* a, const Type* b);
const Type* unary_type(UnaryKind k, const Type* a);
const Type* compare_operand_type(CmpKind k, const Type* a, const Type* b);
// The list, dict or set in `t` (itself, or nested) whose element types are not known yet
// (`[]`, `{}` typed by later stores), or null.
const Type* still_untyped_container(const Type* t);
const Type* compare_type(CmpKind k, const Type* a, const Type* b);
// Arrays: the dtype; scalars: themselves.
const Type* element_type(const Type* t);
// `elem` as an array of the broadcast of a and b (C layout), or `elem` when both are scalars.
const Type* broadcast_type(const Type* elem, const Type* a, const Type* b);
// a @ b (np.matmul: N-D operands are stacks of matrices, broadcast) or, dot, np.dot(a, b)
// (1-D and 2-D only: its N-D form sums over other axes).
const Type* matmul_type(const Type* a, const Type* b, bool dot = false);

const Type* attribute_type(const TypingContext& context, const Type* obj, const std::string& name,
                           ConstValue* constant_out);
CallResolution resolve_call(const TypingContext& context, const Type* callee,
                            const std::vector<const Type*>& args,
                            const std::vector<std::string>& kwnames);

// The type of a Python constant / a frozen global.
const Type* const_type(const ConstValue& c);
const Type* global_type(const TypingContext& context, const GlobalValue& g, ConstValue* constant_out);

// A TypingError message without location (the caller attaches it).
struct TypeRuleError {
  std::string message;
  std::string hint;
  bool unsupported = false;
};

// How typing rules give up: a type error, or a construct dunnart does not support.
namespace rules {
[[noreturn]] inline void fail(const std::string& msg, const std::string& hint = "") {
  throw TypeRuleError{msg, hint, false};
}
[[noreturn]] inline void unsupported(const std::string& msg, const std::string& hint = "") {
  throw TypeRuleError{msg, hint, true};
}
}  // namespace rules

}  // namespace dn
