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
WITH_NAN = np.array([3.0, np.nan, -1.0, 0.0, -0.0, np.inf, -np.inf, np.nan, 2.0])
LONG = RNG.standard_normal(5000)
LONG_INTS = RNG.integers(0, 20, 3000)

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
    ("diff", lambda a: (np.diff(a), np.diff(a, 2), np.diff(a, n=0)), [(VEC,), (VEC.astype(np.int32),)]),
    ("ediff1d", lambda a: np.ediff1d(a), [(F,), (I,)]),
    ("cross", lambda a, b: np.cross(a, b), [(VEC[:3], VEC[3:]), (I[0, :3], I[1, 1:])]),
    ("diag", lambda a: (np.diag(a), np.diag(a, 1), np.diag(a, k=-2)), [(VEC,), (F,), (I.T,), (B,)]),
    ("nan_to_num", lambda a: (np.nan_to_num(a), np.nan_to_num(a, nan=-1.0, posinf=9.0, neginf=-9.0)),
     [(np.array([np.nan, np.inf, -np.inf, 1.5]),), (np.array([np.nan, np.inf, 2.0], np.float32),)]),
    ("nan reductions", lambda a: (np.nansum(a), np.nanprod(a), np.nanmean(a), np.nanmax(a), np.nanmin(a)),
     [(np.where(F > 1.0, np.nan, F),), (F,), (np.full(3, np.nan),)]),
    ("average", lambda a, w: (np.average(a), np.average(a, weights=w)), [(F, np.abs(F)), (I, I * I)]),
    ("searchsorted", lambda a, x: (np.searchsorted(a, x), np.searchsorted(a, x, side="right"),
                                   np.searchsorted(a, 0.25), np.searchsorted(a, 1.0, "right")),
     [(np.sort(VEC), F), (np.array([0.0, 0.25, 0.25, 1.0]), np.array([0.25, -1.0, 2.0]))]),
    ("bincount", lambda a: (np.bincount(a), np.bincount(a, minlength=12)), [(np.abs(I[0]).astype(np.int64),),
                                                                            (np.zeros(0, np.int64),)]),
    ("interp", lambda x, xp, fp: np.interp(x, xp, fp), [(VEC, np.sort(VEC[:4]), VEC[:4]), (F[0], np.arange(3.0), I[0, :3])]),
    ("convolve", lambda a, b: np.convolve(a, b), [(VEC, VEC[:3]), (I[0], I[1])]),
    ("roll", lambda a: (np.roll(a, 2), np.roll(a, -9), np.roll(a, 0)), [(F,), (VEC,)]),
    ("linalg.norm", lambda a: (np.linalg.norm(a), np.linalg.norm(a[0])), [(F,), (I,)]),
    ("linalg.matrix_power", lambda a: (np.linalg.matrix_power(a, 3), np.linalg.matrix_power(a, 0),
                                       np.linalg.matrix_power(a, 1)), [(SQUARE,), (I[:4],)]),
    ("linalg.matrix_power negative", lambda a: np.linalg.matrix_power(a, -2), [(SQUARE,)]),
    # short lines sort in the runtime (std::sort), long ones (>= 256) through NumPy's own sort
    ("sort", lambda a: (np.sort(a), np.sort(a, kind="stable"), np.sort(a, kind="mergesort")),
     [(WITH_NAN,), (LONG,), (LONG.astype(np.float32),), (I[0],), (B[0],), (LONG_INTS.astype(np.uint8),)]),
    ("sort axes", lambda a: (np.sort(a), np.sort(a, axis=0), np.sort(a, axis=-1), np.sort(a, 1)), [(F,), (F.T,), (I,)]),
    ("sort 3-D", lambda a: np.sort(a), [(RNG.standard_normal((3, 4, 300)),)]),
    ("argsort stable", lambda a: (np.argsort(a, kind="stable"), np.argsort(a, kind="mergesort")),
     [(LONG_INTS,), (LONG_INTS[:50],), (WITH_NAN,)]),
    ("argsort", lambda a: (np.argsort(a), np.argsort(a, axis=-1)), [(LONG,), (VEC,), (F,)]),
    ("median", lambda a: np.median(a), [(VEC,), (VEC[:5],), (F,), (I,), (WITH_NAN,), (LONG.astype(np.float32),)]),
    ("median axis", lambda a: (np.median(a, axis=0), np.median(a, axis=1), np.median(a, axis=-1)),
     [(F,), (I,), (F.T,), (F.astype(np.float32),), (np.where(F > 1.0, np.nan, F),), (np.zeros((0, 3)),)]),
    ("digitize", lambda x, b: (np.digitize(x, b), np.digitize(x, b, right=True), np.digitize(0.5, b)),
     [(F, np.array([-1.0, 0.0, 0.5, 2.0])), (VEC, np.array([0.0]))]),
    ("tri", lambda n: (np.tri(n), np.tri(n, 5), np.tri(n, 2, -1), np.tri(n, k=1)), [(4,), (0,)]),
]


def flat(x):
    return x if isinstance(x, tuple) else (x,)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's, for its all-NaN means
@pytest.mark.parametrize("name,fn,arg_sets", CASES, ids=[c[0] for c in CASES])
def test_helpers_match_numpy(name, fn, arg_sets):
    compiled = njit(fn)
    for args in arg_sets:
        for got, want in zip(flat(compiled(*args)), flat(fn(*args))):
            assert np.asarray(got).dtype == np.asarray(want).dtype, (name, args)
            assert np.shape(got) == np.shape(want)
            if name in ("vdot", "inner", "convolve", "linalg.matrix_power", "linalg.matrix_power negative",
                        "linalg.norm", "average", "nan reductions") and np.asarray(want).dtype.kind == "f":
                # sums in another order than NumPy's (BLAS, pairwise): to rounding
                np.testing.assert_allclose(got, want, rtol=1e-12)
            else:
                np.testing.assert_array_equal(got, want)


def test_fill_diagonal_writes_in_place():
    a, b = F.copy(), F.copy()
    njit(lambda a: np.fill_diagonal(a, 7.0))(a)
    np.fill_diagonal(b, 7.0)
    np.testing.assert_array_equal(a, b)


def test_math_helpers_still_reached():
    assert njit(lambda a, b: math.gcd(a, b))(12, 18) == 6
    assert njit(lambda x: math.isclose(x, 1.0))(1.0 + 1e-12)


def test_sort_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match="axis 3 is out of bounds for array of dimension 3"):
        njit(lambda a: np.sort(a, axis=3))(np.ones((2, 2, 2)))
    with pytest.raises(Exception, match="complex"):
        njit(lambda a: np.sort(a))(np.ones(3, np.complex128))


def test_helper_errors_are_clear():
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        njit(lambda a: np.linalg.matrix_power(a, 2))(np.ones((2, 3)))
    with pytest.raises(TypeError, match="negative power of an integer matrix"):
        njit(lambda a: np.linalg.matrix_power(a, -1))(I[:4])
    with pytest.raises(ValueError, match="order must be non-negative"):
        njit(lambda a: np.diff(a, -1))(VEC)
    with pytest.raises(ValueError, match="no negative elements"):
        njit(lambda a: np.bincount(a))(np.array([1, -1]))
    with pytest.raises(ValueError, match="not aligned"):
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


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, -2])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_sort_and_argsort_along_every_axis(axis, layout):
    a = np.random.default_rng(1).integers(0, 9, (3, 4, 5)).astype(float)
    a[0, 1, 2] = np.nan
    a = np.asfortranarray(a) if layout == "F" else a
    f = lambda a: np.sort(a, axis, kind="stable")
    g = lambda a: np.argsort(a, axis=axis, kind="stable")
    np.testing.assert_array_equal(njit(f)(a), f(a))
    np.testing.assert_array_equal(njit(g)(a), g(a))


def _sort_method(a):
    a.sort()
    return a


def _sort_method_axis0(a):
    a.sort(axis=0, kind="mergesort")
    return a


def _sort_method_view(a):
    a.T.sort(1)  # through a view: a's own memory
    return a


@pytest.mark.parametrize("f", [_sort_method, _sort_method_axis0, _sort_method_view])
@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.bool_])
def test_array_sort_method_in_place(f, dtype):
    a = (np.random.default_rng(2).integers(0, 5, (4, 6))).astype(dtype)
    np.testing.assert_array_equal(njit(f)(a.copy()), f(a.copy()))
    np.testing.assert_array_equal(njit(lambda a: a.argsort(kind="stable"))(a), a.argsort(kind="stable"))


@pytest.mark.parametrize("shapes", [((3, 4), (2, 5, 4)), ((4,), (3, 4)), ((3, 4), (4,)), ((4,), (4,)),
                                    ((2, 4), (3, 4))], ids=str)
@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
def test_inner_of_any_dimensions(shapes, dtype):
    rng = np.random.default_rng(0)
    x, y = ((rng.random(s) * 10).astype(dtype) for s in shapes)
    f = lambda x, y: np.inner(x, y)
    expected, got = f(x, y), njit(f)(x, y)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert np.shape(got) == np.shape(expected) and np.asarray(got).dtype == np.asarray(expected).dtype


def test_inner_errors_and_scalars():
    with pytest.raises(ValueError, match="not aligned"):
        njit(lambda x, y: np.inner(x, y))(np.ones((2, 3)), np.ones(4))
    np.testing.assert_array_equal(njit(lambda x: np.inner(x, 2.0))(np.arange(3.0)), np.inner(np.arange(3.0), 2.0))


FREXP_VALUES = np.array([0.0, -0.0, 1.0, 0.75, -3.5, 1e-310, 2.0**1023 * 1.5, np.inf, -np.inf, np.nan,
                         1 - 2**-53, 2**-1074, -3.0, 12.0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_frexp_and_modf_as_numpy(dtype):
    with np.errstate(all="ignore"):
        x = FREXP_VALUES.astype(dtype) if dtype != np.int64 else np.array([1, -6, 0, 7])
    for f in (lambda a: np.frexp(a), lambda a: np.modf(a)):
        expected, got = f(x), njit(f)(x)
        for e, g in zip(expected, got):
            np.testing.assert_array_equal(g, e)
            assert g.dtype == e.dtype
            np.testing.assert_array_equal(np.signbit(g), np.signbit(e))
    assert njit(lambda v: np.frexp(v))(12.0) == np.frexp(12.0)
    assert njit(lambda v: np.modf(v))(-2.5) == np.modf(-2.5)
