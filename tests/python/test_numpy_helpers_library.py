"""Issue 13, NumPy functions written in Python as jitted helpers (dunnart/numpy_helpers.py,
reached through dunnart/library.py by `np.f`, `numpy.f` or a from-imported `f`): every
one against NumPy running the same function, on several dtypes, layouts and edge cases."""
import math

import numpy as np
import pytest
from numpy import outer as imported_outer

from dunnart import njit

RNG = np.random.default_rng(0)
F = RNG.standard_normal((5, 4))
I = RNG.integers(-3, 4, (5, 4)).astype(np.int32)
B = F > 0
SQUARE = RNG.standard_normal((4, 4))
VEC = RNG.standard_normal(6)

CASES = [
    ("outer", lambda a, b: np.outer(a, b), [(VEC, VEC[:3]), (I, VEC), (VEC[::2], B)]),
    ("outer imported", lambda a, b: imported_outer(a, b), [(VEC, VEC)]),
    ("vdot", lambda a, b: np.vdot(a, b), [(F, F), (VEC, VEC)]),
    ("inner", lambda a, b: np.inner(a, b), [(VEC, VEC), (VEC.astype(np.int64), VEC.astype(np.int64))]),
    ("trace", lambda a: np.trace(a), [(F,), (I,), (B,), (SQUARE.T,), (np.zeros((0, 3)),)]),
    ("kron", lambda a, b: np.kron(a, b), [(SQUARE[:2, :3], I[:2, :2]), (I[:2, :2], I[:3, :1])]),
    ("triu", lambda a: np.triu(a), [(F,), (I.T,)]),
    ("triu k", lambda a: (np.triu(a, 1), np.triu(a, k=-2), np.triu(a, 9)), [(F,), (I,)]),
    ("tril", lambda a: (np.tril(a), np.tril(a, -1), np.tril(a, k=2)), [(F,), (I.T,)]),
    ("flips", lambda a: (np.fliplr(a), np.flipud(a)), [(F,), (I[::2],)]),
    ("logical", lambda a, b: (np.logical_and(a, b), np.logical_or(a, b), np.logical_xor(a, b), np.logical_not(a)),
     [(I, F), (B, B.T[:4].T), (F[0], 0.0)]),
    ("isclose", lambda a, b: (np.isclose(a, b), np.isclose(a, b, rtol=0.1), np.isclose(a, b, atol=0.5, equal_nan=True)),
     [(F, F + 1e-9), (np.array([np.inf, -np.inf, np.nan, 1.0]), np.array([np.inf, np.inf, np.nan, 1.05]))]),
    ("allclose", lambda a, b: (np.allclose(a, b), np.allclose(a, b, 0.0, 0.0)), [(F, F + 1e-9), (F, F)]),
    ("array_equal", lambda a, b: np.array_equal(a, b), [(F, F.copy()), (F, F + 1), (F, F.T.copy().T), (I, I[:2])]),
    ("count_nonzero", lambda a: np.count_nonzero(a), [(I,), (B,), (F,)]),
    ("ptp", lambda a: np.ptp(a), [(F,), (I,)]),
]


def flat(x):
    return x if isinstance(x, tuple) else (x,)


@pytest.mark.parametrize("name,fn,arg_sets", CASES, ids=[c[0] for c in CASES])
def test_helpers_match_numpy(name, fn, arg_sets):
    compiled = njit(fn)
    for args in arg_sets:
        for got, want in zip(flat(compiled(*args)), flat(fn(*args))):
            assert np.asarray(got).dtype == np.asarray(want).dtype, (name, args)
            assert np.shape(got) == np.shape(want)
            if name in ("vdot", "inner"):  # a dot product: NumPy's BLAS adds in another order
                np.testing.assert_allclose(got, want, rtol=1e-13)
            else:
                np.testing.assert_array_equal(got, want)


def test_math_helpers_still_reached():
    assert njit(lambda a, b: math.gcd(a, b))(12, 18) == 6
    assert njit(lambda x: math.isclose(x, 1.0))(1.0 + 1e-12)


def test_helper_errors_are_clear():
    with pytest.raises(ValueError, match="equal lengths"):
        njit(lambda a, b: np.inner(a, b))(VEC, VEC[:2])
    with pytest.raises(ValueError, match="2-D arrays only"):
        njit(lambda a: np.trace(a))(np.ones((2, 2, 2)))


def test_functions_that_name_no_helper_do_not_load_them():
    # The helpers cost a first call nothing unless the function names one (library.py).
    import subprocess
    import sys
    code = ("import sys, numpy as np, dunnart\n"
            "f = dunnart.njit(lambda a: np.sum(a * 2.0)); f(np.ones(3))\n"
            "assert 'dunnart.numpy_helpers' not in sys.modules\n"
            "g = dunnart.njit(lambda a: np.outer(a, a)); g(np.ones(3))\n"
            "assert 'dunnart.numpy_helpers' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
