// Parser for Numba-style signature strings: "float64(float64[:], int64)",
// "void(int32[:, ::1])", "(float64, float64)" (no return type), "UniTuple(int64, 2)(...)".
#pragma once

#include <string>
#include <vector>

#include "jit/types/type.h"

namespace dn {

struct Signature {
  const Type* return_type = nullptr;  // null when the string gives none
  std::vector<const Type*> args;
};

// Throws CompileError(ArgumentType) with the position of the problem.
Signature parse_signature(const std::string& text);
const Type* parse_type(const std::string& text);

}  // namespace dn
