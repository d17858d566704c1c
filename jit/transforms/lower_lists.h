// Lowers lists to explicit IR over their runtime DnList (runtime/abi.h): the length and
// capacity behind list_header, the elements behind list_data, and the runtime's
// allocation and element moves. Python's semantics are decided here: negative indices,
// IndexError and ValueError with Python's messages, insert's clamping, the order in which
// sum() adds and min()/max() pick. Afterwards no list operation remains but these
// instructions, which codegen selects one for one.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Whether `i` is a list operation this pass lowers.
bool is_list_operation(const Instr* i);
// Returns whether it changed the function.
bool lower_lists(Function& fn);

}  // namespace dn
