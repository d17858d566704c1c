// Lowers str operations to explicit IR over their DnStr values (runtime/abi.h): ==, the
// order of code points, `in`, +, *, indexing and slicing through runtime/strings.cpp, len
// and truth inline. Python's semantics are decided here: a str never equals a value of
// another type, IndexError "string index out of range", the arena owns the new strs.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Whether `i` is a str operation this pass lowers.
bool is_string_operation(const Instr* i);
// Returns whether it changed the function.
bool lower_strings(Function& fn);

}  // namespace dn
