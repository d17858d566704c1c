"""Issue 3: reductions in nopython mode, as functions and as methods: sum, prod, min/amin,
max/amax, mean, var, std, argmin, argmax, all, any, cumsum, cumprod; whole-array and along
an integer axis (0, 1, -1; positional and keyword), compared with NumPy running the same
function: values, NumPy's result dtypes (int32 sums to int64, mean of ints is float64,
float32 stays float32), NaN propagation, empty arrays (identities, and ValueError where
NumPy has no identity), and accuracy of large sums against math.fsum."""
import math
import warnings

import numpy as np
import pytest

import dunnart
from dunnart import njit

from test_numpy_helpers import npcheck, pid, raises_like_numpy, rand, reference, same

# ------------------------------------------------------------------ whole array


@njit
def whole_funcs(a):
    return (np.sum(a), np.prod(a), np.min(a), np.amin(a), np.max(a), np.amax(a), np.mean(a), np.var(a),
            np.std(a), np.argmin(a), np.argmax(a), np.all(a), np.any(a), np.cumsum(a), np.cumprod(a))


WHOLE_FUNCS = ["np.sum", "np.prod", "np.min", "np.amin", "np.max", "np.amax", "np.mean", "np.var", "np.std",
               "np.argmin", "np.argmax", "np.all", "np.any", "np.cumsum", "np.cumprod"]


@njit
def whole_methods(a):
    return (a.sum(), a.prod(), a.min(), a.max(), a.mean(), a.var(), a.std(), a.argmin(), a.argmax(), a.all(),
            a.any(), a.cumsum(), a.cumprod())


WHOLE_METHODS = ["a.sum", "a.prod", "a.min", "a.max", "a.mean", "a.var", "a.std", "a.argmin", "a.argmax",
                 "a.all", "a.any", "a.cumsum", "a.cumprod"]


def tolerances(dtype):
    # float32 accumulates in float32 in both; the order of additions may differ
    return (2e-5, 2e-5) if np.dtype(dtype) == np.float32 else (1e-12, 1e-12)


def check_named(f, names, *args, rtol=None, atol=0.0, allow_0d=False):
    expected, _ = reference(f, *args)
    got = f(*args)
    assert isinstance(got, tuple) and len(got) == len(names), got
    for name, g, e in zip(names, got, expected):
        same(g, e, rtol=rtol, atol=atol, where=name, allow_0d=allow_0d)


WHOLE_CASES = [(np.int32, (3, 4), "C"), (np.int64, 9, "reversed"), (np.float32, (4, 5), "strided"),
               (np.float64, (3, 4), "F"), (np.bool_, (3, 5), "C"), (np.float64, (2, 3, 4), "colstep")]


@pytest.mark.parametrize("dtype,shape,layout", WHOLE_CASES[:-1], ids=pid)
def test_whole_array_functions(dtype, shape, layout):
    rtol, atol = tolerances(dtype)
    a = rand(dtype, shape, layout, seed=1, lo=-4, hi=5)  # small ints: ties for argmin/argmax
    check_named(whole_funcs, WHOLE_FUNCS, a, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype,shape,layout", WHOLE_CASES[::2] + [WHOLE_CASES[-1]], ids=pid)
def test_whole_array_methods(dtype, shape, layout):
    rtol, atol = tolerances(dtype)
    a = rand(dtype, shape, layout, seed=2, lo=-4, hi=5)
    check_named(whole_methods, WHOLE_METHODS, a, rtol=rtol, atol=atol)


def test_int32_sum_accumulates_in_int64():
    # 4 * 2**30 overflows int32; NumPy sums int32 in int64
    a = np.full(4, 2**30, dtype=np.int32)
    check_named(whole_funcs, WHOLE_FUNCS, a)
    got = whole_funcs(a)
    assert int(got[0]) == 2**32
    assert got[13].dtype == np.int64 and got[13][-1] == 2**32


def test_bool_reductions():
    a = np.array([[True, False, True], [True, True, True]])
    check_named(whole_funcs, WHOLE_FUNCS, a)
    check_named(whole_funcs, WHOLE_FUNCS, np.ones((2, 3), np.bool_))
    check_named(whole_funcs, WHOLE_FUNCS, np.zeros((2, 3), np.bool_))


@njit
def sum_only(a):
    return np.sum(a)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 127, 128, 129, 1000, 1023, 4097])
def test_sum_sizes_around_block_boundaries(n):
    npcheck(sum_only, rand(np.float64, n, seed=n))
    npcheck(sum_only, rand(np.int64, n, seed=n))
    npcheck(sum_only, rand(np.float32, n, seed=n), rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------ NaN, infinities


@njit
def min_max_like(a):
    return np.min(a), np.max(a), np.amin(a), np.amax(a), a.min(), a.max(), np.argmin(a), np.argmax(a)


MIN_MAX_LIKE = ["np.min", "np.max", "np.amin", "np.amax", "a.min", "a.max", "np.argmin", "np.argmax"]


@pytest.mark.parametrize("pos", [0, 1, 5, 16, 39])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=pid)
def test_min_max_propagate_nan(pos, dtype):
    a = rand(dtype, 40, seed=3)
    a[pos] = np.nan
    check_named(min_max_like, MIN_MAX_LIKE, a)


def test_min_max_nan_first_of_several_and_infinities():
    a = np.array([1.0, -np.inf, np.nan, 3.0, np.inf, np.nan, -2.0])
    check_named(min_max_like, MIN_MAX_LIKE, a)
    b = np.array([1.0, -np.inf, 3.0, np.inf, -2.0, -np.inf])
    check_named(min_max_like, MIN_MAX_LIKE, b)
    check_named(min_max_like, MIN_MAX_LIKE, np.full(5, np.nan))


def test_sum_mean_propagate_nan_and_inf():
    a = rand(np.float64, (3, 4), seed=4)
    a[1, 2] = np.nan
    check_named(whole_funcs, WHOLE_FUNCS, a, atol=1e-12)
    b = rand(np.float64, (3, 4), seed=4)
    b[0, 0], b[2, 3] = np.inf, -np.inf
    check_named(whole_funcs, WHOLE_FUNCS, b, atol=1e-12)


# ------------------------------------------------------------------ empty arrays


@njit
def empty_ok(a):
    return np.sum(a), np.prod(a), np.all(a), np.any(a), np.cumsum(a), np.cumprod(a), a.sum(), a.prod()


@njit
def r_min(a):
    return np.min(a)


@njit
def r_max(a):
    return a.max()


@njit
def r_argmin(a):
    return np.argmin(a)


@njit
def r_argmax(a):
    return a.argmax()


@njit
def r_amax(a):
    return np.amax(a)


@pytest.mark.parametrize("a", [np.zeros(0), np.zeros((0, 3), np.int32), np.zeros((2, 0), np.bool_),
                               np.zeros(0, np.float32)], ids=lambda a: f"{a.dtype}{a.shape}")
def test_empty_reductions_with_identity(a):
    npcheck(empty_ok, a)


@pytest.mark.parametrize("f", [r_min, r_max, r_argmin, r_argmax, r_amax], ids=lambda f: f.py_func.__name__)
@pytest.mark.parametrize("a", [np.zeros(0), np.zeros((3, 0), np.int32)], ids=lambda a: f"{a.dtype}{a.shape}")
def test_empty_min_max_argmin_argmax_raise_value_error(f, a):
    raises_like_numpy(f, ValueError, a)


def test_after_an_empty_error_the_function_still_works():
    with pytest.raises(ValueError):
        r_min(np.zeros(0))
    npcheck(r_min, np.array([3.0, 1.0, 2.0]))


# ------------------------------------------------------------------ along an axis

# One function per reduction: np.f(a, axis) positional, the method with a positional
# negative axis and with a keyword axis; np.f(a, axis=k) is tested on its own below.


@njit
def ax_sum(a):
    return np.sum(a, 0), np.sum(a, 1), a.sum(-1), a.sum(axis=0)


@njit
def ax_prod(a):
    return np.prod(a, 0), np.prod(a, 1), a.prod(-1), a.prod(axis=0)


@njit
def ax_min(a):
    return np.min(a, 0), np.amin(a, 1), a.min(-1), a.min(axis=0)


@njit
def ax_max(a):
    return np.max(a, 0), np.amax(a, 1), a.max(-1), a.max(axis=0)


@njit
def ax_mean(a):
    return np.mean(a, 0), np.mean(a, 1), a.mean(-1), a.mean(axis=0)


@njit
def ax_var(a):
    return np.var(a, 0), np.var(a, 1), a.var(-1), a.var(axis=0)


@njit
def ax_std(a):
    return np.std(a, 0), np.std(a, 1), a.std(-1), a.std(axis=0)


@njit
def ax_argmin(a):
    return np.argmin(a, 0), np.argmin(a, 1), a.argmin(-1), a.argmin(axis=0)


@njit
def ax_argmax(a):
    return np.argmax(a, 0), np.argmax(a, 1), a.argmax(-1), a.argmax(axis=0)


@njit
def ax_all(a):
    return np.all(a, 0), np.all(a, 1), a.all(-1), a.all(axis=0)


@njit
def ax_any(a):
    return np.any(a, 0), np.any(a, 1), a.any(-1), a.any(axis=0)


@njit
def ax_cumsum(a):
    return np.cumsum(a, 0), np.cumsum(a, 1), a.cumsum(-1), a.cumsum(axis=0)


@njit
def ax_cumprod(a):
    return np.cumprod(a, 0), np.cumprod(a, 1), a.cumprod(-1), a.cumprod(axis=0)


AXIS_FUNCS = [ax_sum, ax_prod, ax_min, ax_max, ax_mean, ax_var, ax_std, ax_argmin, ax_argmax, ax_all, ax_any,
              ax_cumsum, ax_cumprod]
AXIS_NAMES = ["np.{}(a, 0)", "np.{}(a, 1)", "a.{}(-1)", "a.{}(axis=0)"]


def check_axis(f, a):
    name = f.py_func.__name__[3:]
    rtol, atol = tolerances(a.dtype)
    check_named(f, [n.format(name) for n in AXIS_NAMES], a, rtol=rtol, atol=atol)


@pytest.mark.parametrize("f", AXIS_FUNCS, ids=lambda f: f.py_func.__name__)
def test_axis(f):
    check_axis(f, rand(np.float64, (3, 4), "C", seed=5))


@pytest.mark.parametrize("f", [ax_sum, ax_prod, ax_max, ax_argmin, ax_mean, ax_std, ax_any, ax_cumsum],
                         ids=lambda f: f.py_func.__name__)
def test_axis_int32_3d_fortran(f):
    check_axis(f, rand(np.int32, (2, 3, 4), "F", seed=5, lo=-3, hi=4))


@pytest.mark.parametrize("f", [ax_sum, ax_max, ax_argmin, ax_mean, ax_std, ax_cumsum],
                         ids=lambda f: f.py_func.__name__)
def test_axis_float32_strided(f):
    check_axis(f, rand(np.float32, (4, 5), "strided", seed=5))


@pytest.mark.parametrize("f", [ax_sum, ax_max, ax_argmax, ax_all, ax_any, ax_mean, ax_cumsum],
                         ids=lambda f: f.py_func.__name__)
def test_axis_bool(f):
    check_axis(f, rand(np.bool_, (3, 4), "C", seed=6))


@pytest.mark.parametrize("f", [ax_sum, ax_prod, ax_mean, ax_all, ax_any, ax_cumsum],
                         ids=lambda f: f.py_func.__name__)
def test_axis_empty(f):
    # reusing the float64 (3, 4) C signature: one axis has length 0
    check_axis(f, np.zeros((0, 4)))
    check_axis(f, np.zeros((3, 0)))


def test_axis_min_max_nan():
    a = rand(np.float64, (3, 4), seed=7)
    a[1, 2] = np.nan
    a[2, 0] = np.nan
    for f in (ax_min, ax_max, ax_argmin, ax_argmax):
        check_axis(f, a)


def test_axis_min_of_empty_axis_raises():
    with pytest.raises(ValueError):
        ax_min(np.zeros((0, 4)))
    with pytest.raises(ValueError):
        ax_argmax(np.zeros((3, 0)))


@njit
def ax_keyword(a):
    return (np.sum(a, axis=0), np.prod(a, axis=1), np.min(a, axis=-1), np.amin(a, axis=0), np.max(a, axis=1),
            np.amax(a, axis=-1), np.mean(a, axis=0), np.var(a, axis=1), np.std(a, axis=-1), np.argmin(a, axis=0),
            np.argmax(a, axis=1), np.all(a, axis=0), np.any(a, axis=-1), np.cumsum(a, axis=0),
            np.cumprod(a, axis=1))


AX_KEYWORD = ["np.sum(a, axis=0)", "np.prod(a, axis=1)", "np.min(a, axis=-1)", "np.amin(a, axis=0)",
              "np.max(a, axis=1)", "np.amax(a, axis=-1)", "np.mean(a, axis=0)", "np.var(a, axis=1)",
              "np.std(a, axis=-1)", "np.argmin(a, axis=0)", "np.argmax(a, axis=1)", "np.all(a, axis=0)",
              "np.any(a, axis=-1)", "np.cumsum(a, axis=0)", "np.cumprod(a, axis=1)"]


@pytest.mark.parametrize("dtype,layout", [(np.float64, "F"), (np.int64, "C")], ids=pid)
def test_axis_keyword_on_functions(dtype, layout):
    check_named(ax_keyword, AX_KEYWORD, rand(dtype, (4, 3), layout, seed=15, lo=-3, hi=4), atol=1e-12)


@njit
def ax_1d(a):
    return (np.sum(a, 0), a.sum(axis=-1), np.prod(a, 0), np.min(a, 0), a.max(axis=0), np.mean(a, 0),
            np.std(a, 0), np.argmax(a, 0), a.argmin(0), np.all(a, 0), np.any(a, 0))


def test_axis_on_1d_gives_scalars():
    # NumPy returns scalars here; a 0-d array of the same dtype is accepted too
    names = ["sum", "a.sum", "prod", "min", "a.max", "mean", "std", "argmax", "a.argmin", "all", "any"]
    check_named(ax_1d, names, rand(np.float64, 7, seed=8), allow_0d=True)
    check_named(ax_1d, names, rand(np.int32, 7, "strided", seed=8), allow_0d=True)


@njit
def ax_3d(a):
    return np.sum(a, 1), a.max(axis=2), np.mean(a, -2), np.argmin(a, 2), np.cumsum(a, 1)


def test_axis_3d_middle_and_last():
    names = ["sum(a, 1)", "a.max(axis=2)", "mean(a, -2)", "argmin(a, 2)", "cumsum(a, 1)"]
    for layout in ("C", "F", "strided"):
        check_named(ax_3d, names, rand(np.float64, (3, 4, 5), layout, seed=9), atol=1e-12)


# ------------------------------------------------------------------ accuracy


def fsum_err(got, exact):
    return abs(float(got) - exact)


def test_sum_float64_million_at_least_as_accurate_as_numpy():
    rng = np.random.default_rng(10)
    x = rng.random(10**6) * 1e6 + 1
    exact = math.fsum(x)
    got = sum_only(x)
    assert isinstance(got, (float, np.float64))
    ours, numpys = fsum_err(got, exact), fsum_err(np.sum(x), exact)
    tiny = np.spacing(exact)
    assert ours <= numpys * 1.0 + tiny, f"dunnart error {ours}, NumPy error {numpys}"
    # strided too (NumPy also sums strided 1-D pairwise)
    xs = x[::2]
    exact = math.fsum(xs)
    ours, numpys = fsum_err(sum_only(xs), exact), fsum_err(np.sum(xs), exact)
    assert ours <= numpys + np.spacing(exact), f"strided: dunnart error {ours}, NumPy error {numpys}"


@pytest.mark.parametrize("seed", [11, 12])
def test_sum_float32_million_at_least_as_accurate_as_numpy(seed):
    rng = np.random.default_rng(seed)
    x = (rng.random(10**6) * 100 + 1).astype(np.float32)
    exact = math.fsum(x.astype(np.float64))
    got = sum_only(x)
    assert isinstance(got, np.float32), type(got)
    ours, numpys = fsum_err(got, exact), fsum_err(np.sum(x), exact)
    tiny = float(np.spacing(np.float32(exact)))
    assert ours <= numpys + tiny, f"dunnart error {ours}, NumPy error {numpys}"


@njit
def mean_only(a):
    return np.mean(a)


def test_mean_float32_million_at_least_as_accurate_as_numpy():
    rng = np.random.default_rng(13)
    x = (rng.random(10**6) + 0.5).astype(np.float32)
    exact = math.fsum(x.astype(np.float64)) / x.size
    got = mean_only(x)
    assert isinstance(got, np.float32), type(got)
    ours, numpys = fsum_err(got, exact), fsum_err(np.mean(x), exact)
    assert ours <= numpys + float(np.spacing(np.float32(exact))), f"dunnart error {ours}, NumPy error {numpys}"


@njit
def sum_axis0(a):
    return a.sum(axis=0)


@njit
def sum_axis1(a):
    return np.sum(a, 1)


def test_sum_along_axis_float32_at_least_as_accurate_as_numpy():
    rng = np.random.default_rng(14)
    x = (rng.random((2000, 500)) * 10 + 1).astype(np.float32)
    x64 = x.astype(np.float64)
    for f, axis in ((sum_axis0, 0), (sum_axis1, 1)):
        exact = np.array([math.fsum(v) for v in np.moveaxis(x64, axis, -1).reshape(-1, x.shape[axis])])
        got = f(x)
        assert got.dtype == np.float32
        ours = np.max(np.abs(got.astype(np.float64) - exact))
        numpys = np.max(np.abs(np.sum(x, axis=axis).astype(np.float64) - exact))
        assert ours <= numpys + float(np.spacing(np.float32(exact.max()))), \
            f"axis={axis}: dunnart max error {ours}, NumPy {numpys}"


@njit
def _complex_moments(z):
    return z.mean(), z.var(), z.std()


@pytest.mark.parametrize("z", [
    np.array([1 + 2j, 3 - 1j, 0.5j]),
    np.array([1 + 2j, 3 - 1j, np.nan + 0j, 0.5j]),  # a NaN part: NumPy's mean is nan+nanj
    np.array([1 + 1j, np.inf + 0j]),
    np.array([], dtype=np.complex128),
], ids=["finite", "nan", "inf", "empty"])
def test_complex_mean_divides_as_numpy(z):
    # NumPy's mean divides the complex sum by the count as a complex number.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = (z.mean(), z.var(), z.std())
    got = _complex_moments(z)
    for g, w in zip(got, want):
        np.testing.assert_equal(g, w)


# Along an axis that is not the innermost in memory (C: all but the last; F: all but the
# first): in memory order, as NumPy, so a C array's axis-0 float64 sum is NumPy's to the bit.
@pytest.mark.parametrize("layout", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.bool_], ids=pid)
def test_axis_in_memory_order(dtype, layout):
    @njit
    def reduce_all(a):
        return (a.sum(axis=0), a.prod(axis=0), a.max(axis=0), a.min(axis=1), a.mean(axis=0),
                a.all(axis=0), a.any(axis=1), a.sum(axis=1), a.max(axis=-1))

    a = rand(dtype, (37, 300), layout, seed=11, lo=-2, hi=3)
    if np.dtype(dtype).kind == "f":
        a[5, 7] = np.nan
    for got, want in zip(reduce_all(a), reduce_all.py_func(a)):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12)
    if dtype == np.float64 and layout == "C":
        np.testing.assert_array_equal(reduce_all(a)[0], a.sum(axis=0))  # NumPy's order of additions
    t = rand(dtype, (6, 50, 40), layout, seed=12, lo=-2, hi=3)
    f = njit(lambda t: (t.sum(axis=1), t.max(axis=0), t.min(axis=2), t.any(axis=1)))
    for got, want in zip(f(t), f.py_func(t)):
        np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_axis_in_memory_order_empty_axis():
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum"):
        njit(lambda a: a.max(axis=0))(np.zeros((0, 3)))
    assert njit(lambda a: a.max(axis=0))(np.zeros((3, 0))).shape == (0,)
    np.testing.assert_array_equal(njit(lambda a: a.sum(axis=0))(np.zeros((0, 3))), np.zeros(3))
    np.testing.assert_array_equal(njit(lambda a: a.mean(axis=0))(np.zeros((0, 3))), np.full(3, np.nan))


# keepdims=True (a constant): the reduction, then its result with the reduced axis kept.
KEEPDIMS_CASES = [
    "m.sum(axis=1, keepdims=True)", "np.sum(m, axis=0, keepdims=True)", "np.sum(m, 1, keepdims=True)",
    "m.max(axis=-1, keepdims=True)", "m.mean(keepdims=True)", "np.mean(m, keepdims=True)",
    "m / m.sum(axis=1, keepdims=True)", "m - m.max(axis=0, keepdims=True)", "c.sum(axis=1, keepdims=True)",
    "c.min(axis=-1, keepdims=True)", "a.sum(keepdims=True)", "a.sum(axis=0, keepdims=True)",
    "m.sum(axis=1, keepdims=False)", "np.argmax(m, axis=1, keepdims=True)", "m.std(axis=0, keepdims=True)",
    "np.any(m > 3, axis=1, keepdims=True)", "np.prod(i, axis=0, keepdims=True)", "c.var(keepdims=True)",
]


@pytest.mark.parametrize("expr", KEEPDIMS_CASES)
def test_keepdims_matches_numpy(expr):
    scope = {"np": np}
    exec(f"def f(a, m, c, i):\n    return {expr}\n", scope)
    args = (np.arange(5.0), np.arange(12.0).reshape(3, 4) % 5, np.arange(24.0).reshape(2, 3, 4), np.arange(1, 7).reshape(2, 3))
    got, want = njit(scope["f"])(*args), scope["f"](*args)
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_keepdims_must_be_a_constant():
    @njit
    def computed(m, k):
        return m.sum(axis=0, keepdims=k)
    with pytest.raises(Exception, match="keepdims"):
        computed(np.ones((2, 2)), True)


# ---- dtype=, initial=, where=, ddof=, tuple axes and out= (numpy_helpers' *_kw helpers)

A3 = np.arange(24.0).reshape(2, 3, 4) - 7.5
I3 = (np.arange(24).reshape(2, 3, 4) % 5).astype(np.int32)
M3 = (np.arange(24).reshape(2, 3, 4) % 3) == 0

KEYWORD_CASES = {
    "sum_dtype": (lambda a: a.sum(dtype=np.float32), (A3,)),
    "sum_dtype_int32_axis": (lambda a: np.sum(a, axis=1, dtype=np.int32), (I3,)),
    "prod_dtype": (lambda a: np.prod(a[0] + 1, dtype=np.int8), (I3,)),
    "sum_tuple": (lambda a: a.sum(axis=(0, 2)), (A3,)),
    "sum_tuple_positional": (lambda a: np.sum(a, (2, 0)), (A3,)),
    "sum_tuple_all": (lambda a: np.sum(a, axis=(0, 1, 2)), (A3,)),
    "max_tuple_negative": (lambda a: np.max(a, axis=(-1, -2)), (A3,)),
    "min_tuple_int": (lambda a: a.min(axis=(0, 1)), (I3,)),
    "sum_initial": (lambda a: np.sum(a, initial=10.0), (A3,)),
    "max_initial": (lambda a: np.max(a, initial=100.0), (A3,)),
    "max_initial_empty": (lambda a: np.max(a[:0], initial=-1.0), (A3,)),
    "min_initial_axis": (lambda a: a.min(axis=1, initial=-9.0), (A3,)),
    "sum_where": (lambda a, m: np.sum(a, where=m), (A3, M3)),
    "sum_where_axis": (lambda a, m: a.sum(axis=0, where=m), (A3, M3)),
    "sum_where_broadcast": (lambda a, m: a.sum(axis=2, where=m[0, 0]), (A3, M3)),
    "min_where_initial": (lambda a, m: np.min(a, axis=2, where=m, initial=100.0), (A3, M3)),
    "prod_where": (lambda a, m: np.prod(a[0], where=m[0]), (I3, M3)),
    "any_where": (lambda a, m: np.any(a > 10, where=m), (A3, M3)),
    "all_tuple": (lambda a: np.all(a > -7, axis=(0, 1)), (A3,)),
    "mean_tuple": (lambda a: a.mean(axis=(0, 1)), (A3,)),
    "mean_dtype": (lambda a: a.mean(dtype=np.float32), (I3,)),
    "var_tuple": (lambda a: np.var(a, axis=(0, 2)), (A3,)),
    "var_ddof": (lambda a: np.var(a, ddof=1), (A3,)),
    "std_tuple_ddof": (lambda a: a.std(axis=(0, 2), ddof=1), (A3,)),
    "cumsum_dtype": (lambda a: np.cumsum(a, dtype=np.float32), (I3,)),
    "cumprod_dtype_axis": (lambda a: np.cumprod(a + 1, axis=2, dtype=np.int64), (I3,)),
    "keepdims_tuple": (lambda a: a.sum(axis=(0, 2), keepdims=True), (A3,)),
    "keepdims_dtype": (lambda a: a.sum(axis=1, dtype=np.float32, keepdims=True), (A3,)),
    "keepdims_none": (lambda a: np.max(a, keepdims=True), (A3,)),
    "keepdims_negative": (lambda a: a.max(axis=-1, keepdims=True), (A3,)),
}


@pytest.mark.parametrize("name", sorted(KEYWORD_CASES))
@pytest.mark.parametrize("layout", ["C", "F"])
def test_reduction_keywords(name, layout):
    f, args = KEYWORD_CASES[name]
    args = tuple(np.asfortranarray(a) if layout == "F" else a for a in args)
    expected, got = f(*args), njit(f)(*args)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert np.asarray(got).dtype == np.asarray(expected).dtype and np.shape(got) == np.shape(expected)


def test_reduction_keyword_errors():
    with pytest.raises(ValueError, match="does not have an identity, so to use a where mask one has to specify 'initial'"):
        njit(lambda a, m: np.max(a, where=m))(A3, M3)
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: a.sum(axis=(1, 1)))(A3)
    with pytest.raises(ValueError, match="axis 3 is out of bounds for array of dimension 3"):
        njit(lambda a: a.sum(axis=(0, 3)))(A3)


@pytest.mark.parametrize("f", [lambda a, o: np.add(a, 1, out=o), lambda a, o: np.sqrt(np.abs(a), out=o),
                               lambda a, o: np.multiply(a, a, out=o), lambda a, o: np.negative(a, out=o)])
def test_ufunc_out_receives_the_value(f):
    a = np.arange(6.0) - 2
    o1, o2 = np.zeros(6), np.zeros(6)
    r = njit(f)(a, o1)
    e = f(a, o2)
    np.testing.assert_array_equal(o1, o2)
    np.testing.assert_array_equal(r, e)


def test_reduction_and_dot_out():
    o1, o2 = np.zeros((3, 4)), np.zeros((3, 4))
    njit(lambda a, o: np.sum(a, axis=0, out=o))(A3, o1)
    np.sum(A3, axis=0, out=o2)
    np.testing.assert_array_equal(o1, o2)
    d1, d2 = np.zeros((3, 3)), np.zeros((3, 3))
    njit(lambda a, o: np.dot(a, a.T, out=o))(A3[0], d1)
    np.dot(A3[0], A3[0].T, out=d2)
    np.testing.assert_array_equal(d1, d2)


WHERE_MOMENTS = {
    "mean_where": lambda a, m: np.mean(a, where=m),
    "mean_where_axes": lambda a, m: a.mean(axis=(0, 2), where=m),
    "mean_where_float32": lambda a, m: a.astype(np.float32).mean(axis=1, where=m),
    "var_where": lambda a, m: np.var(a, axis=2, where=m),
    "std_where_ddof": lambda a, m: np.std(a, where=m, ddof=1),
}


@pytest.mark.parametrize("name", sorted(WHERE_MOMENTS))
def test_moments_with_where(name):
    f = WHERE_MOMENTS[name]
    expected, got = f(A3, M3), njit(f)(A3, M3)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert np.asarray(got).dtype == np.asarray(expected).dtype and np.shape(got) == np.shape(expected)


def test_keyword_helpers_errors_name_numpys_function():
    with pytest.raises(dunnart.TypingError, match=r"cumsum\(\) got an unexpected keyword argument 'where'"):
        njit(lambda a: np.cumsum(a, where=a > 0))(A3)
