// x ** n for a constant integer n as multiplications (binary exponentiation: x**8 is
// three), on ints, floats and complex numbers, scalars and, once lower_array_loops has
// run, the elements of array expressions. A negative n divides 1 by the product (0.0 to a
// negative power raises ZeroDivisionError where the operation is checked, error_model=
// "python"); floats beyond |n| = 64 keep the library's pow, which is then as accurate.
// Complex powers take NumPy's naive products too. Runs after lower_array_loops.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Returns whether it rewrote anything.
bool reduce_powers(Function& fn);

}  // namespace dn
