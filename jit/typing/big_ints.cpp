#include "jit/typing/big_ints.h"

namespace dn {

const char* const big_int_hint =
    "compiled integers have 64 bits (-2**63 to 2**63 - 1); use a float such as 1e30 or 2.0 ** 70 "
    "when the value is only needed approximately";

std::string big_int_message(const std::string& digits) {
  return "the integer constant " + digits + " does not fit in 64 bits";
}

IntFold fold_constant_ints(BinOpKind k, int64_t a, int64_t b, int64_t* result, std::string* shown) {
  int64_t r = 0;
  bool over = false;
  switch (k) {
    case BinOpKind::Add: over = __builtin_add_overflow(a, b, &r); break;
    case BinOpKind::Sub: over = __builtin_sub_overflow(a, b, &r); break;
    case BinOpKind::Mul: over = __builtin_mul_overflow(a, b, &r); break;
    case BinOpKind::LShift:
      // Python's 1 << 70 is a big int; a negative count raises at run time instead.
      if (b < 0) return IntFold::NotFolded;
      over = a != 0 && (b >= 63 || (a > 0 ? a > (INT64_MAX >> b) : a < (INT64_MIN >> b)));
      r = over || a == 0 ? 0 : int64_t(uint64_t(a) << b);
      break;
    case BinOpKind::Pow: {
      if (b < 0) return IntFold::NotFolded;  // a float in Python, refused for ints by typing
      int64_t acc = 1, base = a;
      for (int64_t e = b; e > 0 && !over; e >>= 1) {
        if (e & 1) over = __builtin_mul_overflow(acc, base, &acc);
        if (e > 1 && !over) over = __builtin_mul_overflow(base, base, &base);
      }
      r = acc;
      break;
    }
    default: return IntFold::NotFolded;
  }
  if (over) {
    *shown = std::to_string(a) + " " + binop_symbol(k) + " " + std::to_string(b);
    return IntFold::Overflow;
  }
  *result = r;
  return IntFold::Folded;
}

}  // namespace dn
