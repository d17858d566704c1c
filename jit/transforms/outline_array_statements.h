// Array statements of large functions in functions of their own. Every array statement
// lowers to a few loops; a function with hundreds of them becomes one LLVM function of
// thousands of blocks, on which the optimiser and the register allocator take time that
// grows faster than its size (300 array statements: close to a minute). Past
// kOutlineThreshold array statements in one function, each one (with what is fused into
// it) moves into a new function that is never inlined, called with the values it reads
// (CallJitted); statements that read the same kinds of values the same way share one.
// Compile-time values (modules, functions) and constants are copied in, so that what a
// later pass reads from them (x ** 3) stays visible. Small kernels keep their loops inline.
#pragma once

#include <memory>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

// Returns the new functions, to be compiled with fn.
std::vector<std::unique_ptr<Function>> outline_array_statements(Function& fn);

}  // namespace dn
