"""Issue 13, NumPy's joining/splitting/reshaping functions (dunnart/numpy_shapes.py) and its
searching, counting and order statistics (dunnart/numpy_search.py): each against NumPy
running the same function, on several dtypes, layouts and edge cases, and their errors."""
import warnings

import numpy as np
import pytest

from dunnart import njit

RNG = np.random.default_rng(1)
V = RNG.standard_normal(7)
W = RNG.standard_normal(7)
M = RNG.standard_normal((4, 5))
MI = RNG.integers(-3, 4, (4, 5))
C3 = RNG.standard_normal((2, 3, 4))
NAN = np.array([2.0, np.nan, -1.0, 4.0, np.nan, 0.5])
INTS = RNG.integers(0, 6, 40)

CASES = [
    ("hstack", lambda a, b: np.hstack((a, b)), [(V, W), (M, M[:, :2]), (MI, MI)]),
    ("vstack", lambda a, b: (np.vstack((a, b)), np.row_stack((a, b))), [(V, W), (M, M[:1]), (MI, MI)]),
    ("column_stack", lambda a, b: np.column_stack((a, b)), [(V, W), (M, M)]),
    ("dstack", lambda a, b: np.dstack((a, b)), [(V, W), (M, M), (C3, C3)]),
    ("split", lambda a: np.split(a, 2), [(M,), (V[:6],)]),
    ("split axis", lambda a: np.split(a, [1, 3], axis=1), [(M,)]),
    ("split indices", lambda a: np.split(a, [2, 5, 5, 1, 20]), [(V,)]),
    ("array_split", lambda a: (np.array_split(a, 3), np.array_split(a, 4, axis=-1)), [(M,)]),
    ("hsplit vsplit", lambda a: (np.hsplit(a, [2]), np.vsplit(a, 2)), [(M,)]),
    ("tile", lambda a: (np.tile(a, 3), np.tile(a, (2, 2)), np.tile(a, 0)), [(V,), (MI,)]),
    ("repeat", lambda a: (np.repeat(a, 3), np.repeat(a, 0)), [(V,), (M,), (MI[::2],)]),
    ("repeat counts", lambda a, r: np.repeat(a, r), [(V[:4], np.array([0, 2, 1, 3]))]),
    ("flip", lambda a: (np.flip(a), np.flip(a, 0), np.flip(a, -1)), [(M,), (MI.T,), (C3,)]),
    ("flip 1-D", lambda a: np.flip(a), [(V,)]),
    ("rot90", lambda a: (np.rot90(a), np.rot90(a, 2), np.rot90(a, 3), np.rot90(a, -1), np.rot90(a, 4)), [(M,)]),
    ("swapaxes", lambda a: (np.swapaxes(a, 0, 1), np.swapaxes(a, 1, 1)), [(M,)]),
    ("expand_dims", lambda a: (np.expand_dims(a, 0), np.expand_dims(a, -1)), [(V,), (M,)]),
    ("expand_dims middle", lambda a: np.expand_dims(a, 1), [(M,), (V,)]),
    ("atleast", lambda a: (np.atleast_1d(a), np.atleast_2d(a), np.atleast_3d(a)), [(V,), (M,), (2.5,)]),
    ("meshgrid", lambda a, b: (np.meshgrid(a, b), np.meshgrid(a, b, indexing="ij")), [(V[:3], W[:4]), (INTS[:2], V)]),
    ("diagonal", lambda a: (np.diagonal(a), np.diagonal(a, 1), np.diagonal(a, -2), np.diagonal(a, 9)), [(M,), (MI.T,)]),
    ("contiguous", lambda a: (np.ascontiguousarray(a), np.asfortranarray(a)), [(M,), (M.T,), (M[::2],)]),
    ("nonzero", lambda a: (np.nonzero(a), np.where(a), np.argwhere(a), np.flatnonzero(a)),
     [(MI,), (MI > 0,), (V > 0,), (C3 > 0,), (np.zeros(3),)]),
    ("unique", lambda a: np.unique(a), [(INTS,), (NAN,), (MI,), (np.zeros(0),), (V > 0,)]),
    ("unique parts", lambda a: (np.unique(a, return_counts=True), np.unique(a, return_index=True),
                                np.unique(a, return_inverse=True), np.unique(a, return_counts=False),
                                np.unique(a, return_index=True, return_inverse=True, return_counts=True)),
     [(INTS,), (NAN,), (MI,), (np.zeros(0),), (V > 0,), (M.T,)]),
    ("histogram", lambda a: (np.histogram(a), np.histogram(a, 4), np.histogram(a, 3, (0.0, 2.0))),
     [(V,), (INTS,), (np.zeros(0),), (np.full(4, 2.0),), (np.linspace(0, 1, 1001),), (RNG.random(5000) * 7,)]),
    ("histogram edges", lambda a, e: np.histogram(a, e), [(V, np.array([-1.0, 0.0, 0.5, 3.0])), (INTS, np.arange(7))]),
    ("histogram weights", lambda a, w: (np.histogram(a, 3, weights=w), np.histogram(a, 3, density=True)), [(V, W)]),
    ("isin", lambda a, b: (np.isin(a, b), np.isin(a, b, invert=True)),
     [(INTS, np.array([1, 4])), (MI, INTS[:3]), (NAN, np.array([np.nan, 4.0]))]),
    ("quantiles", lambda a: (np.percentile(a, 30), np.percentile(a, 100), np.quantile(a, 0.5), np.quantile(a, 0.0),
                             np.percentile(a, np.array([10.0, 50.0, 99.0])), np.quantile(a, [0.25, 0.75])),
     [(V,), (INTS,), (M,), (V.astype(np.float32),), (NAN,), (np.array([3.0]),)]),
    ("nan quantiles", lambda a: (np.nanpercentile(a, 30), np.nanquantile(a, 0.5), np.nanmedian(a)), [(NAN,), (V,)]),
    ("nan stats", lambda a: (np.nanvar(a), np.nanstd(a), np.nanvar(a, ddof=1), np.nanargmin(a), np.nanargmax(a)),
     [(NAN,), (V,), (M,)]),
    ("cov", lambda a: (np.cov(a), np.cov(a, rowvar=False), np.cov(a, bias=True), np.cov(a, ddof=0)), [(M,), (MI,)]),
    ("cov pair", lambda a, b: (np.cov(a, b), np.corrcoef(a, b)), [(V, W), (INTS[:7], V)]),
    ("corrcoef", lambda a: np.corrcoef(a), [(M,)]),
    ("correlate", lambda a, b: (np.correlate(a, b), np.correlate(a, b, "full"), np.correlate(a, b, "same"),
                                np.correlate(b, a, "full")), [(V, W[:3]), (INTS[:5], INTS[5:8]), (V[:3], W)]),
    ("logspace geomspace", lambda: (np.logspace(0, 2, 5), np.logspace(1, 3, 4, False), np.logspace(0, 3, 4, base=2.0),
                                    np.geomspace(1, 1000, 4), np.geomspace(-1, -100, 3), np.geomspace(2, 3, 1)), [()]),
    ("round", lambda a: (np.round(a, 2), np.around(a, 1), np.round(a, -1), np.round(a)), [(V * 100,), (MI * 17,),
                                                                                        (V.astype(np.float32),)]),
    ("round scalars", lambda x: (np.round(x, 1), np.round(x, -1)), [(2.25,), (155,)]),
]


def flat(x):
    out = []
    for v in (x if isinstance(x, (tuple, list)) else (x,)):
        out.extend(flat(v) if isinstance(v, (tuple, list)) else [v])
    return out


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name,fn,arg_sets", CASES, ids=[c[0] for c in CASES])
def test_matches_numpy(name, fn, arg_sets):
    compiled = njit(fn)
    for args in arg_sets:
        got, want = flat(compiled(*args)), flat(fn(*args))
        assert len(got) == len(want), (name, args)
        for g, w in zip(got, want):
            assert np.asarray(g).dtype == np.asarray(w).dtype, (name, args, g, w)
            assert np.shape(g) == np.shape(w), (name, args)
            if name in ("nan stats", "cov", "cov pair", "corrcoef", "histogram weights", "logspace geomspace") and \
                    np.asarray(w).dtype.kind == "f":
                # sums in another order; powers of a vector math library: to rounding
                np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15)
            else:
                np.testing.assert_array_equal(g, w)


def test_views_share_memory_as_numpys():
    m = M.copy()
    parts = njit(lambda a: np.split(a, 2))(m)
    parts[0][0, 0] = 99.0
    assert m[0, 0] == 99.0
    flipped = njit(lambda a: np.flip(a, 0))(m)
    flipped[0, 0] = -5.0
    assert m[-1, 0] == -5.0
    rotated = njit(lambda a: np.rot90(a))(m)
    assert np.shares_memory(rotated, m)


def test_copyto_writes_in_place():
    dst = np.zeros((2, 3))
    njit(lambda d, s: np.copyto(d, s))(dst, np.arange(3.0))
    np.testing.assert_array_equal(dst, np.broadcast_to(np.arange(3.0), (2, 3)))


def test_partition_puts_kth_in_place():
    for kth in (0, 3, -1):
        got = njit(lambda a, k: np.partition(a, k))(V, kth)
        assert got[kth] == np.sort(V)[kth]
        assert np.all(got[:kth % 7] <= got[kth]) and np.all(got[kth % 7:] >= got[kth])
        idx = njit(lambda a, k: np.argpartition(a, k))(V, kth)
        assert V[idx][kth] == np.sort(V)[kth]


ERRORS = [
    (lambda a: np.split(a, 3), (V[:4],), ValueError, "array split does not result in an equal division"),
    (lambda a: np.split(a, 0), (V,), ValueError, "number sections must be larger than 0."),
    (lambda a: np.flip(a, 2), (M,), ValueError, "axis"),
    (lambda a: np.expand_dims(a, 3), (V,), ValueError, "axis"),
    (lambda a: np.histogram(a, 0), (V,), ValueError, "`bins` must be positive, when an integer"),
    (lambda a: np.histogram(a, np.array([1.0, 0.0])), (V,), ValueError, "`bins` must increase monotonically"),
    (lambda a: np.histogram(a, 3, (2.0, 1.0)), (V,), ValueError, "max must be larger than min in range parameter."),
    (lambda a: np.percentile(a, 101), (V,), ValueError, "Percentiles must be in the range [0, 100]"),
    (lambda a: np.quantile(a, -0.1), (V,), ValueError, "Quantiles must be in the range [0, 1]"),
    (lambda a: np.nanargmin(a), (np.full(3, np.nan),), ValueError, "All-NaN slice encountered"),
    (lambda a: np.geomspace(0, a, 3), (2.0,), ValueError, "Geometric sequence cannot include zero"),
    (lambda a: np.repeat(a, -1), (V,), ValueError, "negative dimensions are not allowed"),
    (lambda a: np.vsplit(a, 2), (V,), ValueError, "vsplit only works on arrays of 2 or more dimensions"),
    (lambda a: np.correlate(a, a[:0]), (V,), ValueError, "v cannot be empty"),
]


@pytest.mark.parametrize("fn,args,error,message", ERRORS, ids=[e[3][:40] for e in ERRORS])
def test_errors_are_numpys(fn, args, error, message):
    import re
    with pytest.raises(error, match=re.escape(message)):
        njit(fn)(*args)
    with pytest.raises(Exception):
        fn(*args)


def test_branches_of_different_layouts_meet():
    # Regression: a C view and an F view assigned to one variable (or returned from two
    # returns) were an internal compiler error (the verifier wanted one layout).
    @njit
    def either(m, k):
        if k == 0:
            x = m[:, :]
        else:
            x = m.T
        return x.sum() + x[0, 1]

    @njit
    def returned(m, k):
        if k == 0:
            return m[:, :]
        return m.T
    m = np.arange(6.0).reshape(2, 3)
    assert either(m, 0) == 15.0 + 1.0 and either(m, 1) == 15.0 + 3.0
    np.testing.assert_array_equal(returned(m, 1), m.T)
    np.testing.assert_array_equal(returned(m, 0), m)


QUANTILE_AXES = {
    "percentile_axis0": lambda a: np.percentile(a, 30, axis=0),
    "percentile_last": lambda a: np.percentile(a, 30.0, axis=-1),
    "quantile_tuple": lambda a: np.quantile(a, 0.7, axis=(0, 2)),
    "median_axis1": lambda a: np.median(a, axis=1),
    "median_tuple": lambda a: np.median(a, axis=(0, 2)),
    "nanmedian_axis": lambda a: np.nanmedian(a, axis=2),
    "nanpercentile_axis": lambda a: np.nanpercentile(a, 75, axis=0),
    "nanquantile_axis": lambda a: np.nanquantile(a, 0.25, axis=1),
}


@pytest.mark.parametrize("name", sorted(QUANTILE_AXES))
@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64])
def test_quantiles_along_axes(name, dtype):
    a = (np.random.default_rng(3).random((4, 5, 6)) * 10).astype(dtype)
    if dtype != np.int64 and name.startswith("nan"):
        a[0, 0, :] = np.nan
        a[1, 2, 3] = np.nan
    f = QUANTILE_AXES[name]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = f(a)
    got = njit(f)(a)
    np.testing.assert_allclose(got, expected, rtol=1e-6, equal_nan=True)
    assert got.dtype == expected.dtype and got.shape == expected.shape


def test_quantile_along_axis_takes_one_q():
    with pytest.raises(ValueError, match="take one q"):
        njit(lambda a: np.quantile(a, np.array([0.1, 0.2]), axis=0))(np.ones((3, 3)))
