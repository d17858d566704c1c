"""Issue 11, the cmath module: its functions on Python and NumPy numbers (real ones taken as
complex), returning Python complexes, compared with CPython's cmath: exactly where the C
library's complex functions round as CPython's do (sqrt, exp, sin, cos, sinh, cosh), within
a few units in the last place for the others."""
import cmath

import numpy as np
import pytest

from dunnart import TypingError, njit

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
