"""The math module's functions and constants, and NumPy scalar ufuncs on scalars, against
CPython (results compared with rtol=1e-12; floor/ceil/trunc must return ints, the
predicates bools)."""
import math
from math import isclose

import numpy as np
import pytest

from dunnart import njit

INF = float("inf")
NAN = float("nan")

# name -> (plain function, inputs). Each function compiles once per argument type.
UNARY = {
    "sqrt": (lambda x: math.sqrt(x), [0.0, 2.0, 0.25, 1e10]),
    "exp": (lambda x: math.exp(x), [0.0, 1.0, -2.5, 50.0]),
    "log": (lambda x: math.log(x), [1.0, 2.0, 1e-300, 12345.678]),
    "log10": (lambda x: math.log10(x), [1.0, 1000.0, 0.02]),
    "log2": (lambda x: math.log2(x), [1.0, 1024.0, 3.0]),
    "log1p": (lambda x: math.log1p(x), [0.0, 1e-10, 2.5, -0.5]),
    "expm1": (lambda x: math.expm1(x), [0.0, 1e-10, -2.5, 3.0]),
    "sin": (lambda x: math.sin(x), [0.0, 0.5, -1.25, 3.0, 100.0]),
    "cos": (lambda x: math.cos(x), [0.0, 0.5, -1.25, 3.0, 100.0]),
    "tan": (lambda x: math.tan(x), [0.0, 0.5, -1.25, 3.0]),
    "asin": (lambda x: math.asin(x), [-1.0, -0.5, 0.0, 0.3, 1.0]),
    "acos": (lambda x: math.acos(x), [-1.0, -0.5, 0.0, 0.3, 1.0]),
    "atan": (lambda x: math.atan(x), [-10.0, 0.0, 0.5, 1e10]),
    "sinh": (lambda x: math.sinh(x), [-2.0, 0.0, 0.5, 10.0]),
    "cosh": (lambda x: math.cosh(x), [-2.0, 0.0, 0.5, 10.0]),
    "tanh": (lambda x: math.tanh(x), [-2.0, 0.0, 0.5, 10.0]),
    "floor": (lambda x: math.floor(x), [-2.5, -2.0, -0.5, 0.0, 0.5, 2.5, 1e15 + 0.5]),
    "ceil": (lambda x: math.ceil(x), [-2.5, -2.0, -0.5, 0.0, 0.5, 2.5, 1e15 + 0.5]),
    "trunc": (lambda x: math.trunc(x), [-2.5, -2.0, -0.5, 0.0, 0.5, 2.5, 1e15 + 0.5]),
    "fabs": (lambda x: math.fabs(x), [-2.5, 0.0, -0.0, 3.0]),
    "erf": (lambda x: math.erf(x), [-2.0, 0.0, 0.5, 3.0]),
    "erfc": (lambda x: math.erfc(x), [-2.0, 0.0, 0.5, 3.0]),
    "gamma": (lambda x: math.gamma(x), [0.5, 1.0, 5.0, 4.5, -1.5, 10.25, 150.5]),
    "lgamma": (lambda x: math.lgamma(x), [0.5, 3.0, 10.0, 100.5, -1.5]),
    "isnan": (lambda x: math.isnan(x), [0.0, INF, -INF, NAN, 1e308]),
    "isinf": (lambda x: math.isinf(x), [0.0, INF, -INF, NAN, 1e308]),
    "isfinite": (lambda x: math.isfinite(x), [0.0, INF, -INF, NAN, 1e308]),
    "cbrt": (lambda x: math.cbrt(x), [27.0, -8.0, 0.0, -0.0, 2.0, INF]),
    "exp2": (lambda x: math.exp2(x), [3.0, 0.5, -1.0, -INF, 10.25]),
}

BINARY = {
    "atan2": (lambda y, x: math.atan2(y, x),
              [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0), (0.0, -1.0), (0.0, 1.0), (-0.0, -1.0)]),
    "hypot": (lambda x, y: math.hypot(x, y), [(3.0, 4.0), (1e200, 1e200), (0.0, 0.0), (-5.0, 12.0)]),
    "pow": (lambda x, y: math.pow(x, y),
            [(2.0, 10.0), (2.0, 0.5), (9.0, -0.5), (-2.0, 3.0), (10.0, -3.0), (0.0, 0.0), (1.5, 2.5)]),
    "copysign": (lambda x, y: math.copysign(x, y), [(1.0, -0.0), (-2.5, 3.0), (3.0, -1.0), (0.0, -1.0), (2.0, -INF)]),
    "remainder": (lambda x, y: math.remainder(x, y), [(27.0, 3.0), (10.0, 4.0), (-7.5, 2.0), (5.0, 0.75)]),
    "nextafter": (lambda x, y: math.nextafter(x, y), [(1.0, 2.0), (1.0, 0.0), (0.0, -1.0), (-3.5, -INF)]),
}

JIT_UNARY = {name: njit(fn) for name, (fn, _) in UNARY.items()}
JIT_BINARY = {name: njit(fn) for name, (fn, _) in BINARY.items()}


@pytest.mark.parametrize("name,x", [(n, x) for n, (_, xs) in UNARY.items() for x in xs])
def test_math_unary(check, name, x):
    check(JIT_UNARY[name], x)


@pytest.mark.parametrize("name,args", [(n, a) for n, (_, args) in BINARY.items() for a in args])
def test_math_binary(check, name, args):
    check(JIT_BINARY[name], *args)


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc"])
def test_rounding_functions_return_int(name):
    r = JIT_UNARY[name](-2.5)
    assert isinstance(r, (int, np.integer)) and not isinstance(r, bool), type(r)


@pytest.mark.parametrize("name,x", [("sqrt", 16), ("exp", 2), ("log", 10), ("sin", 3), ("fabs", -7),
                                    ("floor", 7), ("ceil", -7), ("isnan", 3), ("isfinite", 3),
                                    ("erf", 1), ("gamma", 5), ("atan", -1)])
def test_math_unary_int_argument(check, name, x):
    check(JIT_UNARY[name], x)


@pytest.mark.parametrize("name,args", [("pow", (2, 10)), ("hypot", (3, 4)), ("atan2", (1, -1)), ("copysign", (3, -1))])
def test_math_binary_int_arguments(check, name, args):
    check(JIT_BINARY[name], *args)


@njit
def constants():
    return math.pi, math.e, math.tau, math.inf, -math.inf


@njit
def nan_constant():
    return math.nan


@njit
def circle_area(r):
    return math.pi * r * r + math.e - math.tau / 2.0


def test_math_constants(check):
    r = check(constants, rtol=0)
    assert r[0] == math.pi and r[1] == math.e and r[2] == math.tau
    assert r[3] == INF and r[4] == -INF


def test_math_nan_constant(check):
    r = check(nan_constant)
    assert isinstance(r, float) and math.isnan(r)


@pytest.mark.parametrize("r", [0.0, 1.0, 2.5])
def test_math_constants_in_expressions(check, r):
    check(circle_area, r)


@njit
def combined(s, k, t, r, sigma):
    d1 = (math.log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    nd1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    nd2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return s * nd1 - k * math.exp(-r * t) * nd2


@pytest.mark.parametrize("args", [(1.5, 2.0, 0.25, 0.05, 0.2), (100.0, 95.0, 1.0, 0.01, 0.3)])
def test_math_combined_expression(check, args):
    check(combined, *args)


# ------------------------------------------------------------------ NumPy scalar ufuncs

NP_UNARY = {
    "np.exp": (lambda x: np.exp(x), [0.0, 1.5, -3.0]),
    "np.sqrt": (lambda x: np.sqrt(x), [0.0, 2.0, 1e6]),
    "np.sin": (lambda x: np.sin(x), [0.0, 0.5, -2.0]),
    "np.cos": (lambda x: np.cos(x), [0.0, 0.5, -2.0]),
    "np.log": (lambda x: np.log(x), [1.0, 0.5, 1e10]),
    "np.tanh": (lambda x: np.tanh(x), [0.0, 0.5, -2.0]),
    "np.abs": (lambda x: np.abs(x), [0.0, -1.5, 3.0]),
    "np.floor": (lambda x: np.floor(x), [-1.5, 0.5, 2.0]),
}
JIT_NP_UNARY = {name: njit(fn) for name, (fn, _) in NP_UNARY.items()}


@pytest.mark.parametrize("name,x", [(n, x) for n, (_, xs) in NP_UNARY.items() for x in xs])
def test_numpy_ufunc_on_float64(check, name, x):
    check(JIT_NP_UNARY[name], x)


@pytest.mark.parametrize("name", ["np.exp", "np.sqrt", "np.sin", "np.cos", "np.log", "np.tanh"])
def test_numpy_ufunc_on_float32(check, name):
    # CPython's reference result is float32; the compiled one must be rounded to float32
    # too (compared with rtol=1e-6).
    x = np.float32(0.75)
    r = check(JIT_NP_UNARY[name], x)
    assert float(r) == float(np.float32(r))


@pytest.mark.parametrize("name,x", [("np.exp", 2), ("np.sqrt", 9), ("np.sin", 1), ("np.log", 5), ("np.abs", -4)])
def test_numpy_ufunc_on_int(check, name, x):
    check(JIT_NP_UNARY[name], x)


def integer_math(a, b, n):
    return (math.gcd(a, b), math.gcd(-a, 0), math.lcm(a, b), math.factorial(n), math.comb(n, 3), math.comb(62, 30),
            math.perm(n, 2), math.isqrt(n * n + 3), math.isqrt(2**63 - 1))


def float_math(x, y):
    from_import = isclose(x, y, rel_tol=1e-3)
    return (math.isclose(x, y), from_import, math.isclose(x, y, abs_tol=0.5), math.isclose(math.inf, math.inf),
            math.degrees(x), math.radians(y))


def test_math_functions_written_in_python_match_cpython():
    # gcd, lcm, factorial, comb, perm, isqrt, isclose, degrees and radians compile as
    # jitted helpers (dunnart/math_helpers.py), math.f(...) and a from-imported f(...) alike.
    assert njit(integer_math)(12, 18, 10) == integer_math(12, 18, 10)
    assert njit(float_math)(1.0, 1.0001) == float_math(1.0, 1.0001)
    for fn, args, error in [(lambda n: math.factorial(n), (-1,), ValueError),
                            (lambda x: math.isclose(x, 1.0, rel_tol=-1.0), (1.0,), ValueError),
                            (lambda n: math.comb(n, -1), (3,), ValueError),
                            (lambda n: math.isqrt(n), (-4,), ValueError)]:
        with pytest.raises(error) as want:
            fn(*args)
        with pytest.raises(error) as got:
            njit(fn)(*args)
        assert str(got.value) == str(want.value)
    # Past int64 CPython gives a larger int; compiled code says so rather than wrapping.
    with pytest.raises(OverflowError, match="int64"):
        njit(lambda n: math.factorial(n))(21)
