// Python's semantics for float floor division and modulo (CPython's float_divmod), and
// integer power by squaring (wrapping at 64 bits like NumPy).
#include <cmath>

#include "runtime/abi.h"

static void py_divmod(double a, double b, double* div_out, double* mod_out) {
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, b);
  }
  double floordiv;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, a / b);
  }
  *div_out = floordiv;
  *mod_out = mod;
}

extern "C" double dn_py_floordiv_f64(double a, double b) {
  double d, m;
  py_divmod(a, b, &d, &m);
  return d;
}

extern "C" double dn_py_mod_f64(double a, double b) {
  double d, m;
  py_divmod(a, b, &d, &m);
  return m;
}

extern "C" int64_t dn_int_pow(int64_t base, int64_t exp) {
  uint64_t result = 1, b = uint64_t(base);
  while (exp > 0) {
    if (exp & 1) result *= b;
    b *= b;
    exp >>= 1;
  }
  return int64_t(result);
}
