// Recursion too deep for the thread's stack raises RecursionError, as Python does, instead
// of crashing the process: a function that calls itself checks the stack on entry
// (runtime/stack_guard.cpp), a call of the runtime with an address in its frame.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Returns whether it changed the function (only functions that call themselves).
bool guard_recursion(Function& fn);

}  // namespace dn
