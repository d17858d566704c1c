// Where an optional (None or a value, OptionalType) meets an operation: whether the operation
// takes the optional itself (a phi, `x is None`, a call of a jitted function), or needs its
// value, and then what Python raises there when it is None (the error of the unwrap typing
// inserts); uses dunnart does not support are refused with what to write instead.
#pragma once

#include <string>

#include "jit/ir/ir.h"

namespace dn {

// The name Python's errors give the type of a value of type `t` ('int', 'NoneType', ...).
std::string python_type_name(const Type* t);

struct OptionalUse {
  bool takes_optional = false;  // the instruction takes the optional as it is
  int error_code = 0;           // else: unwrap it, raising this error when it holds None
  std::string message;
};

// How instruction `i` uses its operand `k`, an optional. Throws TypeRuleError for uses that
// are not supported.
OptionalUse optional_use(const Instr* i, size_t k);

}  // namespace dn
