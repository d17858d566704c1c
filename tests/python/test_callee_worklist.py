"""Jitted functions calling jitted functions, through the driver's worklist: each callee is
typed once per signature, direct and mutual recursion typed from their base cases, and
a callee that does not type reports its own line."""
import numpy as np
import pytest

import dunnart
from dunnart import njit


@njit
def even(n):
    return True if n == 0 else odd(n - 1)


@njit
def odd(n):
    return False if n == 0 else even(n - 1)


@njit
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def test_mutual_recursion_compiles():
    assert [even(n) for n in range(5)] == [even.py_func(n) for n in range(5)] == [True, False, True, False, True]


def test_direct_recursion_compiles():
    assert fact(10) == 3628800 and fact(1) == 1


@njit
def twice(x):
    return x + x


@njit
def widening(n):
    s = 0
    for i in range(n):
        s = twice(s) + 1   # twice for int64 ...
    t = 0.5
    return s + twice(t) + twice(n)   # ... and for float64, compiled once each


def test_one_callee_for_two_signatures():
    assert widening(3) == widening.py_func(3)


@njit
def bad_callee(x):
    return x + "a"


@njit
def calls_bad(x):
    return bad_callee(x) * 2


def test_a_callee_that_does_not_type_reports_its_line():
    with pytest.raises(dunnart.TypingError) as e:
        calls_bad(1)
    assert 'return x + "a"' in str(e.value)


@njit
def norm(a):
    return np.sqrt(np.sum(a * a))


@njit
def normalise(a):
    return a / norm(a)


def test_array_callee():
    a = np.arange(1.0, 5.0)
    np.testing.assert_allclose(normalise(a), a / np.linalg.norm(a))
