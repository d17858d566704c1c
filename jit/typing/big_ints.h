// Python integers are unbounded; compiled integers are 64-bit. A constant that does not fit
// (10**30, or 2**70 computed from constants) would silently wrap, so typing refuses it
// with a message that says what to write instead. Arithmetic on run-time values wraps at
// 64 bits, like Numba and NumPy.
#pragma once

#include <cstdint>
#include <string>

#include "jit/ir/ir.h"

namespace dn {

extern const char* const big_int_hint;
// "the integer constant <digits> does not fit in 64 bits".
std::string big_int_message(const std::string& digits);

// `a k b` on two int64 constants, folded so that chains (2**40 * 2**40) are checked too.
enum class IntFold { NotFolded, Folded, Overflow };
// Folded: `*result` is the value. Overflow: Python would give a bigger int; `*shown` is
// the expression as written, e.g. "2 ** 70". NotFolded: left to run time (division, ...).
IntFold fold_constant_ints(BinOpKind k, int64_t a, int64_t b, int64_t* result, std::string* shown);

}  // namespace dn
