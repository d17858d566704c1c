// The error model as an IR rewrite. error_model="python" (the default) makes scalar
// operations raise as Python does: division and modulo by zero, 0.0 to a negative power,
// negative shift counts, int() of NaN, infinities and floats beyond 64 bits. Array
// operations follow NumPy under both models (inf/nan, 0 for integers), as NumPy and Numba
// do. This pass marks the instructions that raise (`checked`); code generation reads the
// mark and never the option. Loops that array code lowers to are built after it, so the
// scalar operations on their elements stay unchecked.
#pragma once

#include "jit/ir/ir.h"
#include "jit/support/options.h"

namespace dn {

void apply_error_model(Function& fn, ErrorModel model);

}  // namespace dn
