// Python's semantics for float floor division (CPython's float_divmod; % is inline in
// compiled code), and
// integer power by squaring (wrapping at 64 bits like NumPy).
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/abi.h"

static void py_divmod(double a, double b, double* div_out, double* mod_out) {
  if (b == 0.0) {
    // Reached only where Python would raise (error_model="numpy", array elements): NumPy
    // gives a / b (+-inf, or nan for 0 / 0) and nan for the remainder.
    *div_out = a / b;
    *mod_out = std::fmod(a, b);
    return;
  }
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

extern "C" int64_t dn_int_pow(int64_t base, int64_t exp) {
  uint64_t result = 1, b = uint64_t(base);
  while (exp > 0) {
    if (exp & 1) result *= b;
    b *= b;
    exp >>= 1;
  }
  return int64_t(result);
}

// pow(base, exp, mod) as Python computes it for ints: the result has mod's sign, a
// negative exp takes base's inverse modulo mod (ValueError when there is none), mod 0 is a
// ValueError. Products through 128 bits: any int64 modulus.
extern "C" int32_t dn_int_pow_mod(int64_t base, int64_t exp, int64_t mod, int64_t* out) {
  if (mod == 0) {
    dn_set_error(DN_VALUE_ERROR, "pow() 3rd argument cannot be 0");
    return DN_VALUE_ERROR;
  }
  const unsigned __int128 m = mod < 0 ? (unsigned __int128)(-(__int128)mod) : (unsigned __int128)mod;
  __int128 r0 = (__int128)base % (__int128)m;
  unsigned __int128 b = (unsigned __int128)(r0 < 0 ? r0 + (__int128)m : r0);
  if (exp < 0) {  // the inverse of b modulo m, by the extended Euclidean algorithm
    __int128 t = 0, new_t = 1, r = (__int128)m, new_r = (__int128)b;
    while (new_r != 0) {
      __int128 q = r / new_r;
      __int128 tmp = t - q * new_t;
      t = new_t, new_t = tmp;
      tmp = r - q * new_r;
      r = new_r, new_r = tmp;
    }
    if (r != 1 && m != 1) {
      dn_set_error(DN_VALUE_ERROR, "base is not invertible for the given modulus");
      return DN_VALUE_ERROR;
    }
    b = (unsigned __int128)(t < 0 ? t + (__int128)m : t);
  }
  unsigned __int128 e = exp < 0 ? (unsigned __int128)(-(__int128)exp) : (unsigned __int128)exp;
  unsigned __int128 result = 1 % m;
  while (e > 0) {
    if (e & 1) result = result * b % m;
    b = b * b % m;
    e >>= 1;
  }
  int64_t v = int64_t(result);
  *out = mod < 0 && v != 0 ? v + mod : v;
  return 0;
}

// NumPy's own complex product and quotient (naive product, Smith's quotient), so that
// powers of infinities and NaNs come out as NumPy's do (std::complex recovers some
// infinities that NumPy gives as NaN, and the other way round).
static std::complex<double> cmul(std::complex<double> a, std::complex<double> b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

static std::complex<double> cdiv(std::complex<double> a, std::complex<double> b) {
  double br = b.real(), bi = b.imag();
  if (std::fabs(br) >= std::fabs(bi)) {
    if (br == 0 && bi == 0) return {a.real() / std::fabs(br), a.imag() / std::fabs(br)};
    double rat = bi / br, scl = 1.0 / (br + bi * rat);
    return {(a.real() + a.imag() * rat) * scl, (a.imag() - a.real() * rat) * scl};
  }
  double rat = br / bi, scl = 1.0 / (bi + br * rat);
  return {(a.real() * rat + a.imag()) * scl, (a.imag() * rat - a.real()) * scl};
}

extern "C" void dn_complex_pow(const double* a, const double* b, double* out) {
  using C = std::complex<double>;
  C x(a[0], a[1]), y(b[0], b[1]), r;
  if (y == C(0.0, 0.0)) {
    r = C(1.0, 0.0);
  } else if (x == C(0.0, 0.0)) {
    r = b[0] > 0 ? C(0.0, 0.0) : C(NAN, NAN);  // NumPy 2: 0 ** z is 0 when Re z > 0
  } else if (b[1] == 0 && b[0] == std::trunc(b[0]) && std::fabs(b[0]) < 100) {
    int64_t n = int64_t(b[0]);
    if (n == 1) {
      r = x;
    } else if (n == 2) {
      r = cmul(x, x);
    } else if (n == 3) {
      r = cmul(x, cmul(x, x));
    } else {
      uint64_t m = uint64_t(n < 0 ? -n : n);
      C p = x, acc(1.0, 0.0);
      while (m) {
        if (m & 1) acc = cmul(acc, p);
        m >>= 1;
        if (m) p = cmul(p, p);
      }
      r = n < 0 ? cdiv(C(1.0, 0.0), acc) : acc;
    }
  } else {
    r = std::pow(x, y);
  }
  out[0] = r.real();
  out[1] = r.imag();
}

// cmath.rect as CPython computes it: r cos(phi) + i r sin(phi), an exact r + i r*phi for a
// zero angle (keeping signed zeros), and CPython's values where r or phi is not finite
// (its domain errors, a nonzero r with an infinite phi, give NaNs here).
static std::complex<double> rect(double r, double phi) {
  if (std::isfinite(r) && std::isfinite(phi)) {
    if (phi == 0.0) return {r, r * phi};
    return {r * std::cos(phi), r * std::sin(phi)};
  }
  if (std::isnan(r)) return {NAN, phi == 0.0 ? 0.0 : NAN};
  if (std::isinf(r)) {
    if (std::isnan(phi)) return {INFINITY, NAN};
    if (std::isinf(phi)) return {NAN, NAN};
    if (phi == 0.0) return {r, r > 0 ? phi : -phi};
    double s = r > 0 ? 1.0 : -1.0;
    return {s * std::copysign(INFINITY, std::cos(phi)), s * std::copysign(INFINITY, std::sin(phi))};
  }
  if (r == 0.0) return {0.0, 0.0};  // phi infinite or NaN
  return {NAN, NAN};
}

extern "C" void dn_complex_func(int32_t func, const double* z, double* out) {
  std::complex<double> x(z[0], z[1]), r;
  switch (func) {
    case DN_C_sqrt: r = std::sqrt(x); break;
    case DN_C_exp: r = std::exp(x); break;
    case DN_C_log: r = std::log(x); break;
    case DN_C_log10: r = std::log10(x); break;
    case DN_C_sin: r = std::sin(x); break;
    case DN_C_cos: r = std::cos(x); break;
    case DN_C_tan: r = std::tan(x); break;
    case DN_C_sinh: r = std::sinh(x); break;
    case DN_C_cosh: r = std::cosh(x); break;
    case DN_C_tanh: r = std::tanh(x); break;
    case DN_C_arcsin: r = std::asin(x); break;
    case DN_C_arccos: r = std::acos(x); break;
    case DN_C_arctan: r = std::atan(x); break;
    case DN_C_arcsinh: r = std::asinh(x); break;
    case DN_C_arccosh: r = std::acosh(x); break;
    case DN_C_arctanh: r = std::atanh(x); break;
    // As NumPy's nc_log2, nc_exp2, nc_log1p, nc_expm1 (funcs.inc.src) compute them.
    case DN_C_log2: r = std::log(x) * M_LOG2E; break;
    case DN_C_exp2: r = std::exp(x * M_LN2); break;
    case DN_C_log1p: r = {std::log(std::hypot(z[0] + 1, z[1])), std::atan2(z[1], z[0] + 1)}; break;
    case DN_C_expm1: {
      double a = std::sin(z[1] / 2);
      r = {std::expm1(z[0]) * std::cos(z[1]) - 2 * a * a, std::exp(z[0]) * std::sin(z[1])};
      break;
    }
    case DN_C_rint: r = {std::nearbyint(z[0]), std::nearbyint(z[1])}; break;
    case DN_C_rect: r = rect(z[0], z[1]); break;
    default: r = {NAN, NAN};
  }
  out[0] = r.real();
  out[1] = r.imag();
}

// CPython's double_round: the decimal string correctly rounded to ndigits places, read
// back. glibc's printf rounds the exact binary value, ties to even, as _Py_dg_dtoa does;
// negative ndigits round to tens, hundreds, ... through the exponent form.
extern "C" double dn_py_round(double x, int64_t ndigits) {
  if (!std::isfinite(x) || x == 0.0) return x;
  if (ndigits > 323) return x;           // finer than any double's digits
  if (ndigits < -308) return 0.0 * x;    // coarser than any double: a signed zero
  char buf[400];
  if (ndigits >= 0) {
    std::snprintf(buf, sizeof buf, "%.*f", int(ndigits), x);
  } else {
    // x to (exponent + ndigits + 1) significant digits, when x has that many.
    std::snprintf(buf, sizeof buf, "%.17e", x);  // the decimal exponent, exactly
    int exponent = std::atoi(std::strchr(buf, 'e') + 1);
    int digits = exponent + int(ndigits) + 1;
    if (digits <= 0) {
      // |x| < 10^-ndigits: 0, or one unit when |x| is above half of it.
      double unit = std::pow(10.0, double(-ndigits));
      double r = std::fabs(x) > unit / 2 ? unit : 0.0;
      return std::copysign(r, x);
    }
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
  }
  double r = std::strtod(buf, nullptr);
  return r == 0.0 ? std::copysign(0.0, x) : r;
}
