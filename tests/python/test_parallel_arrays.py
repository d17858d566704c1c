"""Whole-array reductions of parallel=True functions split across threads
(parallelize_array_statements): every kind of reduction, below and above the size where
it splits, fused expressions, NaNs, views, arrays of other lengths (broadcasting: serial),
all compared with NumPy and with the serial build."""
import numpy as np
import pytest

import dunnart
from dunnart import njit

SPLIT = 1 << 16  # kParallelMinElements
SIZES = [0, 1, SPLIT - 1, SPLIT, SPLIT + 7, 1_000_003]


pytestmark = pytest.mark.usefixtures("all_threads")  # conftest.py: each test starts on all threads


def reductions(a):
    return a.sum(), a.prod(), a.min(), a.max(), a.all(), a.any()


def float_reductions(a):
    return a.sum(), a.min(), a.max(), (a > 0.5).any(), (a > -10.0).all(), np.sum(a * a), np.max(np.abs(a))


def logsumexp(a):
    m = a.max()
    return np.log(np.exp(a - m).sum()) + m


def close(x, y):
    if isinstance(y, (bool, np.bool_, int, np.integer)):
        return x == y
    return x == pytest.approx(y, rel=1e-12, abs=1e-12, nan_ok=True)


@pytest.mark.parametrize("n", [n for n in SIZES if n > 0])
def test_float_reductions(n):
    a = np.random.default_rng(n).standard_normal(n)
    jp, js = njit(parallel=True)(float_reductions), njit(float_reductions)
    got, serial, want = jp(a), js(a), float_reductions(a)
    for g, s, w in zip(got, serial, want):
        assert close(g, w) and close(g, s)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_integer_reductions_exact(dtype):
    rng = np.random.default_rng(3)
    n = SPLIT * 3 + 5
    a = (rng.integers(0, 2, n) if dtype is np.bool_ else rng.integers(1, 3, n)).astype(dtype)
    a[::97] = 1
    jp = njit(parallel=True)(reductions)
    got, want = jp(a), njit(reductions)(a)
    assert got == want
    np_want = (a.sum(), a.prod(), a.min(), a.max(), a.all(), a.any())
    assert [int(x) for x in got] == [int(x) for x in np_want]


def test_float32_and_complex_sums():
    def sums(a):
        return a.sum(), a.prod()

    rng = np.random.default_rng(4)
    a32 = rng.uniform(0.999, 1.001, SPLIT * 2).astype(np.float32)
    got, want = njit(parallel=True)(sums)(a32), njit(sums)(a32)
    assert got[0] == pytest.approx(want[0], rel=1e-5) and got[1] == pytest.approx(want[1], rel=1e-4)
    z = rng.standard_normal(SPLIT * 2) + 1j * rng.standard_normal(SPLIT * 2)
    assert njit(parallel=True)(lambda z: z.sum())(z) == pytest.approx(z.sum(), rel=1e-12)


def test_nan_wins_min_and_max_in_any_block():
    a = np.random.default_rng(5).standard_normal(SPLIT * 4)
    jp = njit(parallel=True)(float_reductions)
    for at in (0, SPLIT * 2 - 1, SPLIT * 2, a.shape[0] - 1):
        b = a.copy()
        b[at] = np.nan
        got = jp(b)
        assert np.isnan(got[0]) and np.isnan(got[1]) and np.isnan(got[2]) and np.isnan(got[6])


@pytest.mark.parametrize("n", [1, SPLIT + 1, 2_000_000])
def test_logsumexp(n):
    a = np.random.default_rng(6).standard_normal(n)
    assert njit(parallel=True)(logsumexp)(a) == pytest.approx(logsumexp(a), rel=1e-13)


def test_same_answer_every_run():
    a = np.random.default_rng(7).standard_normal(1_000_003)
    jp = njit(parallel=True)(logsumexp)
    first = jp(a)
    assert all(jp(a) == first for _ in range(10))


def test_thread_count_one_gives_the_serial_sum_order():
    a = np.random.default_rng(8).standard_normal(SPLIT * 3)
    jp = njit(parallel=True)(lambda a: a.sum())
    dunnart.set_num_threads(1)
    assert jp(a) == njit(lambda a: a.sum())(a)


def test_empty_and_small_arrays():
    jp = njit(parallel=True)(lambda a: a.sum())
    assert jp(np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match="zero-size array"):
        njit(parallel=True)(lambda a: a.max())(np.zeros(0))


def test_two_arrays_and_broadcasting():
    def dot(a, b):
        return (a * b).sum()

    rng = np.random.default_rng(9)
    a, b = rng.standard_normal(SPLIT * 2), rng.standard_normal(SPLIT * 2)
    jp = njit(parallel=True)(dot)
    assert jp(a, b) == pytest.approx(np.dot(a, b), rel=1e-12)
    one = b[:1]  # broadcast: the lengths differ, so it runs serially
    assert jp(a, one) == pytest.approx((a * one).sum(), rel=1e-12)
    with pytest.raises(ValueError, match="broadcast"):
        jp(a, b[:7])


def test_views():
    def strided(a):
        return a[::3].sum(), a[5:].max(), a[::-1].min()

    a = np.random.default_rng(10).standard_normal(SPLIT * 5)
    got, want = njit(parallel=True)(strided)(a), strided(a)
    for g, w in zip(got, want):
        assert g == pytest.approx(w, rel=1e-12)


def test_reduction_inside_a_prange_body():
    def rows(a):
        out = np.empty(a.shape[0])
        for i in dunnart.prange(a.shape[0]):
            out[i] = a[i, :].sum()
        return out

    a = np.random.default_rng(11).standard_normal((4, SPLIT + 3))
    np.testing.assert_allclose(njit(parallel=True)(rows)(a), a.sum(axis=1), rtol=1e-12)


def test_diagnostics_name_the_reductions():
    jp = njit(parallel=True)(logsumexp)
    jp(np.ones(3))
    text = jp.parallel_diagnostics()
    line = logsumexp.__code__.co_firstlineno
    assert f"the max() at line {line + 1} runs in parallel on arrays of {SPLIT} elements or more" in text
    assert f"the sum() at line {line + 2} runs in parallel" in text


# ---------------------------------------------------------------- elementwise statements

def new_and_store(a, out, m):
    b = np.exp(a - m)
    out[:] = b * 2.0 + a
    return b


@pytest.mark.parametrize("n", [1, SPLIT - 1, SPLIT, SPLIT + 3, 1_000_001])
def test_elementwise_statements_match_serial(n):
    a = np.random.default_rng(n).standard_normal(n)
    jp, js = njit(parallel=True)(new_and_store), njit(new_and_store)
    o1, o2, o3 = np.zeros(n), np.zeros(n), np.zeros(n)
    b1, b2, b3 = jp(a, o1, 0.5), js(a, o2, 0.5), new_and_store(a, o3, 0.5)
    assert b1.dtype == b3.dtype and b1.flags.c_contiguous
    # Bit for bit: blocks of whole 64-element chunks compute each element as the serial
    # loop does (its vector body or its scalar tail: their exp may differ in the last bit).
    np.testing.assert_array_equal(b1, b2)
    np.testing.assert_array_equal(o1, o2)
    # (out = 2 b + a cancels where b is near -a/2: an absolute bound there.)
    np.testing.assert_allclose(b1, b3, rtol=1e-14)
    np.testing.assert_allclose(o1, o3, rtol=1e-14, atol=1e-14)


def test_elementwise_exact_operations_are_exact():
    def lin(a, b):
        return a * 3 + b

    rng = np.random.default_rng(1)
    a, b = rng.integers(-100, 100, SPLIT * 3), rng.integers(-100, 100, SPLIT * 3)
    np.testing.assert_array_equal(njit(parallel=True)(lin)(a, b), lin(a, b))
    x = rng.standard_normal(SPLIT * 3)
    np.testing.assert_array_equal(njit(parallel=True)(lin)(x, x), lin(x, x))
    np.testing.assert_array_equal(njit(parallel=True)(lambda a: a > 0)(x), x > 0)


def test_stores_that_overlap_run_serially():
    def shift(a):
        a[:] = a[::-1] + 0.0  # reads what other blocks would write
        return a

    def in_place(a):
        a[:] = a * 2.0  # the same elements: no copy needed, split
        return a

    a = np.arange(SPLIT * 2.0)
    np.testing.assert_array_equal(njit(parallel=True)(shift)(a.copy()), shift(a.copy()))
    np.testing.assert_array_equal(njit(parallel=True)(in_place)(a.copy()), in_place(a.copy()))


def test_broadcast_operands_run_serially():
    def add(a, b):
        return a + b

    a = np.random.default_rng(2).standard_normal(SPLIT * 2)
    np.testing.assert_array_equal(njit(parallel=True)(add)(a, a[:1]), a + a[:1])
    with pytest.raises(ValueError, match="broadcast"):
        njit(parallel=True)(add)(a, a[:5])


def test_elementwise_diagnostics():
    jp = njit(parallel=True)(new_and_store)
    jp(np.ones(3), np.ones(3), 0.0)
    text = jp.parallel_diagnostics()
    line = new_and_store.__code__.co_firstlineno
    assert f"the array expression at line {line + 1} runs in parallel" in text
    assert f"the store into all of an array at line {line + 2} runs in parallel" in text


def standardize(X, mu, sd):
    return (X - mu) / sd


def centred_energy(X, mu):
    return ((X - mu) ** 2).sum(), np.abs(X).max(), (X > 0.5).any()


def store_rows(out, X, v):
    out[:] = X * 2.0 + v
    return out


ND_SHAPES = [(3, 4), (400, 160), (401, 163), (2, 40000), (40000, 2), (30, 40, 60)]


@pytest.mark.parametrize("shape", ND_SHAPES)
def test_nd_statements_split_by_rows(shape):
    rng = np.random.default_rng(len(shape) * 1000 + shape[0])
    X = rng.standard_normal(shape)
    mu, sd = rng.standard_normal(shape[-1]), rng.random(shape[-1]) + 0.5
    for fn, args in ((standardize, (X, mu, sd)), (centred_energy, (X, mu)),
                     (store_rows, (np.zeros(shape), X, mu))):
        jp, js = njit(parallel=True)(fn), njit(fn)
        got = jp(*[np.copy(a) for a in args])
        serial = js(*[np.copy(a) for a in args])
        want = fn(*[np.copy(a) for a in args])
        for g, s, w in zip(got if isinstance(got, tuple) else (got,),
                           serial if isinstance(serial, tuple) else (serial,),
                           want if isinstance(want, tuple) else (want,)):
            assert np.shape(g) == np.shape(w)
            if np.ndim(g):
                np.testing.assert_array_equal(g, s)  # elementwise: bit for bit
            np.testing.assert_allclose(g, s, rtol=1e-12)
            np.testing.assert_allclose(g, w, rtol=1e-12)


def test_nd_layouts_and_views():
    rng = np.random.default_rng(7)
    A, B = rng.standard_normal((600, 300)), rng.standard_normal((600, 300))
    jp = njit(parallel=True)(lambda a, b: a * b - a)
    je, js = njit(parallel=True)(lambda a, b: np.exp(a - b)), njit(lambda a, b: np.exp(a - b))
    for a, b in ((np.asfortranarray(A), B), (A[:, ::2], B[:, 1::2]), (A[::2], B[1::2]), (A.T, B.T),
                 (A[:, :151].copy(), B[:, :151].copy())):
        np.testing.assert_array_equal(jp(a, b), a * b - a)
        np.testing.assert_array_equal(je(a, b), js(a, b))  # rows of 151: chunks of 64 rows
    ints = rng.integers(-50, 50, (700, 130))
    np.testing.assert_array_equal(njit(parallel=True)(lambda a: a * 3 - 1)(ints), ints * 3 - 1)
    assert njit(parallel=True)(lambda a: a.sum())(ints) == ints.sum()


def test_nd_broadcasting_but_of_rows_runs_serially():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((500, 200))
    add = njit(parallel=True)(lambda a, b: a + b)
    for b in (X[:, :1], X[:1], rng.standard_normal(1), rng.standard_normal((1, 1))):
        np.testing.assert_array_equal(add(X, b), X + b)
    with pytest.raises(ValueError, match="broadcast"):
        add(X, X[:, :7])


def test_nd_store_into_rows_it_reads_runs_serially():
    def shift_rows(X):
        X[:] = X[0] + X  # every block reads row 0, which the first writes
        return X

    X = np.random.default_rng(9).standard_normal((500, 200))
    np.testing.assert_array_equal(njit(parallel=True)(shift_rows)(X.copy()), shift_rows(X.copy()))


def test_nd_diagnostics_say_by_rows():
    jp = njit(parallel=True)(standardize)
    jp(np.ones((2, 3)), np.ones(3), np.ones(3))
    line = standardize.__code__.co_firstlineno
    assert f"the array expression at line {line + 1} runs in parallel (by rows)" in jp.parallel_diagnostics()


def row_reductions(X):
    return (X.sum(axis=1), X.max(axis=-1), X.min(axis=1), X.mean(axis=1), np.argmax(X, axis=1),
            X.prod(axis=1), (X > 0).any(axis=1), X.sum(axis=0))


def softmax(X):
    m = X.max(axis=1)
    e = np.exp(X - m.reshape(-1, 1))
    return e / e.sum(axis=1).reshape(-1, 1)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("shape", [(5, 7), (700, 150), (150, 700)])
def test_row_reductions(shape, layout):
    X = np.random.default_rng(shape[0]).standard_normal((shape[0], shape[1] * 2)) * 0.1
    X = {"C": X[:, : shape[1]].copy(), "F": np.asfortranarray(X[:, : shape[1]]), "strided": X[:, ::2]}[layout]
    jp, js = njit(parallel=True)(row_reductions), njit(row_reductions)
    for g, s, w in zip(jp(X), js(X), row_reductions(X)):
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_allclose(g, s, rtol=1e-12)
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_row_reductions_3d_and_softmax():
    T = np.random.default_rng(5).standard_normal((60, 50, 40))
    f = njit(parallel=True)(lambda T: (T.sum(axis=2), T.max(axis=1), T.sum(axis=-2)))
    for g, w in zip(f(T), (T.sum(axis=2), T.max(axis=1), T.sum(axis=-2))):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-13)  # sums near 0: rounding
    X = np.random.default_rng(6).standard_normal((2000, 100))
    np.testing.assert_allclose(njit(parallel=True)(softmax)(X), softmax(X), rtol=1e-12)
    jp = njit(parallel=True)(softmax)
    jp(X[:2])
    line = softmax.__code__.co_firstlineno
    text = jp.parallel_diagnostics()
    assert f"the max(axis=1) at line {line + 1} runs in parallel (by rows)" in text
    assert f"the sum(axis=1) at line {line + 3} runs in parallel (by rows)" in text


def test_row_reduction_errors_are_the_serial_ones():
    X = np.zeros((300, 0))
    with pytest.raises(ValueError, match="zero-size array"):
        njit(parallel=True)(lambda X: X.max(axis=1))(X)
    np.testing.assert_array_equal(njit(parallel=True)(lambda X: X.sum(axis=1))(X), np.zeros(300))
