"""Issue 11, the cmath module: its functions on Python and NumPy numbers (real ones taken as
complex), returning Python complexes, compared with CPython's cmath: exactly where the C
library's complex functions round as CPython's do (sqrt, exp, sin, cos, sinh, cosh), within
a few units in the last place for the others. Branch cuts take their side from the sign of
a zero part, as CPython's do; phase, polar, rect and log(z, base) as CPython computes them;
np.angle and NumPy's complex ufuncs on arrays through the same scalar code."""
import cmath
import math

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

EXACT = ["sqrt", "exp", "sin", "cos", "sinh", "cosh"]
CLOSE = ["log", "log10", "tan", "asin", "acos", "atan", "tanh", "asinh", "acosh", "atanh"]
VALUES = [1 + 2j, -1.5 + 0.25j, 0.5 - 3j, complex(-2, -0.0), 3, -4.0, 2.5, np.float32(0.5), np.complex64(1 - 1j)]


def make(name):
    ns = {"cmath": cmath}
    exec(f"def f(z):\n    return cmath.{name}(z)\n", ns)
    return ns["f"]


@pytest.mark.parametrize("name", EXACT)
@pytest.mark.parametrize("z", VALUES)
def test_exact_functions(name, z):
    f = make(name)
    got, want = njit(f)(z), f(z)
    assert type(got) is complex and got == want


@pytest.mark.parametrize("name", CLOSE)
@pytest.mark.parametrize("z", VALUES)
def test_close_functions(name, z):
    f = make(name)
    got, want = njit(f)(z), f(z)
    assert type(got) is complex
    assert abs(got - want) <= 4e-16 * abs(want) + 1e-300


def classify(z):
    return cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z), cmath.pi, cmath.e, cmath.tau


@pytest.mark.parametrize("z", [1 + 2j, complex(float("nan"), 1), complex(1, float("inf")), 2.0])
def test_classification_and_constants(z):
    assert njit(classify)(z) == classify(z)


def on_array(a):
    return cmath.sqrt(a)


def test_arrays_are_for_numpy():
    with pytest.raises(TypingError, match=r"use np.sqrt\(a\) on arrays"):
        njit(on_array)(np.ones(2))


# Branch cuts: the sign of a zero part picks the side, as CPython's cmath (C99 Annex G).
CUTS = [complex(-1, -0.0), complex(-1, 0.0), complex(-4, -0.0), complex(2, 0.0), complex(2, -0.0),
        complex(-2, 0.0), complex(-2, -0.0), complex(0.5, 0.0), complex(0.5, -0.0), complex(0.0, 2),
        complex(-0.0, 2), complex(0.0, -2), complex(-0.0, -2), complex(0.0, 0.5), complex(-0.0, -0.5),
        complex(-0.0, 0.0), complex(0.0, -0.0), complex(-0.0, -0.0)]
CUT_FUNCTIONS = ["sqrt", "log", "log10", "asin", "acos", "atan", "asinh", "acosh", "atanh", "phase"]


def same(got, want, rel=1e-12):
    """Equal to within rel, part by part, with the signs of zeros and the NaNs equal."""
    for g, w in ((got.real, want.real), (got.imag, want.imag)) if isinstance(want, complex) else ((got, want),):
        if math.isnan(w):
            if not math.isnan(g):
                return False
        elif w == 0 or math.isinf(w):
            if g != w or math.copysign(1, g) != math.copysign(1, w):
                return False
        elif abs(g - w) > rel * abs(want):
            return False
    return True


@pytest.mark.parametrize("name", CUT_FUNCTIONS)
def test_branch_cuts_as_cpython(name):
    f = make(name)
    jf = njit(f)
    for z in CUTS:
        try:
            want = f(z)
        except ValueError:  # atanh(+-1), log(0): CPython's domain errors
            continue
        assert same(jf(z), want), (name, z, jf(z), want)


def test_infinities_and_nans_where_cpython_and_c99_agree():
    inf, nan = math.inf, math.nan
    cases = {"sqrt": [complex(-inf, 0.0), complex(-inf, -0.0), complex(inf, nan), complex(1, inf), complex(nan, -inf)],
             "exp": [complex(-inf, 1), complex(inf, 0.0), complex(nan, 0.0)],
             "log": [complex(-inf, 0.0), complex(-inf, -0.0), complex(inf, inf), complex(nan, inf)],
             "atanh": [complex(inf, 1), complex(-inf, -1), complex(1, inf)],
             "asinh": [complex(inf, inf), complex(-inf, -0.0), complex(nan, inf)]}
    for name, zs in cases.items():
        f = make(name)
        for z in zs:
            assert same(njit(f)(z), f(z)), (name, z)


def polar_of(z):
    return cmath.polar(z)


def phase_of(z):
    return cmath.phase(z)


@pytest.mark.parametrize("z", VALUES + [complex(-1, -0.0), complex(-1, 0.0), complex(math.inf, math.nan), -0.0, 0])
def test_phase_and_polar(z):
    got, want = njit(phase_of)(z), phase_of(z)
    assert type(got) is float and same(got, want)
    got, want = njit(polar_of)(z), polar_of(z)
    assert type(got) is tuple and all(type(p) is float for p in got)
    assert same(got[0], want[0]) and same(got[1], want[1])


def rect_of(r, phi):
    return cmath.rect(r, phi)


def test_rect_of_finite_values():
    for r, phi in [(2.0, 0.5), (1, 0), (-3, 2), (0.5, -0.0), (-0.5, 0.0), (np.float32(2), np.int8(1)), (1e300, 3.0)]:
        got, want = njit(rect_of)(r, phi), rect_of(r, phi)
        assert type(got) is complex and same(got, want), (r, phi)


def test_rect_of_special_values_as_cpython():
    parts = [-math.inf, -2.0, -0.0, 0.0, 2.0, math.inf, math.nan]
    jf = njit(rect_of)
    for r in parts:
        for phi in parts:
            try:
                want = rect_of(r, phi)
            except ValueError:  # a nonzero r at an infinite angle: NaNs here
                got = jf(r, phi)
                assert math.isnan(got.real) or math.isnan(got.imag)
                continue
            assert same(jf(r, phi), want), (r, phi)


def log_base(z, base):
    return cmath.log(z, base)


@pytest.mark.parametrize("z, base", [(1 + 2j, 2), (1 + 2j, 3 - 1j), (100, 10), (-8.0, 2.0), (0.5j, np.e)])
def test_log_with_a_base(z, base):
    got, want = njit(log_base)(z, base), log_base(z, base)
    assert type(got) is complex and same(got, want)


def test_log_base_one_is_cpythons_domain_error():
    with pytest.raises(ValueError, match="math domain error"):
        njit(log_base)(2j, 1)


def constants():
    return cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nan, cmath.nanj


def test_all_the_constants():
    got, want = njit(constants)(), constants()
    assert [type(g) for g in got] == [type(w) for w in want]
    assert got[:5] == want[:5]
    assert math.isnan(got[5]) and got[6].real == 0 and math.isnan(got[6].imag)


def angle_of(a):
    return np.angle(a)


@pytest.mark.parametrize("a", [np.array([1 + 2j, -1 - 0.5j, complex(-1, -0.0), 0j]),
                               np.array([1 + 2j, -3j], dtype=np.complex64), np.array([-1.5, 0.0, 2.0]),
                               np.array([-1, 2], dtype=np.int32), np.array([-1, 2], dtype=np.float32)])
def test_np_angle_of_arrays(a):
    got, want = njit(angle_of)(a), angle_of(a)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("z", [1j, -2.0, 3, complex(-1, -0.0)])
def test_np_angle_of_scalars(z):
    assert njit(angle_of)(z) == angle_of(z)


UFUNCS = ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
          "arctanh", "exp", "log", "log10", "sqrt"]


@pytest.mark.parametrize("name", UFUNCS)
def test_numpy_ufuncs_on_complex_arrays_share_the_scalar_code(name):
    ns = {"np": np}
    exec(f"def f(a):\n    return np.{name}(a)\n", ns)
    a = np.array([1 + 2j, -1.5 + 0.25j, complex(-2, -0.0), 0.5 - 3j])
    got, want = njit(ns["f"])(a), ns["f"](a)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-14)


def rect_of_complex(z):
    return cmath.rect(z, 1.0)


def angle_in_degrees(a):
    return np.angle(a, deg=True)


@pytest.mark.parametrize("fn, arg, error, words", [
    (rect_of_complex, 1j, TypingError, r"r and phi must be real numbers"),
    (polar_of, np.ones(2, dtype=complex), TypingError, r"use np.abs\(a\) and np.angle\(a\) on arrays"),
    (phase_of, np.ones(2, dtype=complex), TypingError, r"use np.angle\(a\) on arrays"),
    (angle_in_degrees, np.ones(2, dtype=complex), UnsupportedError, r"keyword arguments"),
])
def test_what_is_refused_says_what_to_write(fn, arg, error, words):
    with pytest.raises(error, match=words):
        njit(fn)(arg)
