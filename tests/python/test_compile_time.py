"""Code whose size grows with one parameter compiles in time that grows about linearly:
arrays of many dimensions, long constant tuples, many array statements. These tests run
the probes of benchmarks/compile_scaling.py at their largest sizes and check the answers
against NumPy/Python; they do not assert timings (the benchmark prints them), but before
the fixes each of them ran for minutes, so a regression shows as a test that hangs."""
import numpy as np
import pytest

from dunnart import njit


def _nd(k, extent=1):
    shape = (extent,) * k
    return np.arange(np.prod(shape), dtype=np.float64).reshape(shape) + 0.5


@njit
def _sum(a):
    return a.sum()


@njit
def _add1(a):
    return a + 1


@njit
def _mean_max(a):
    return a.mean(), a.max(), np.argmin(a)


@pytest.mark.parametrize("k", [1, 2, 3, 7, 9, 20, 32, 64])
def test_many_dimensions_sum_and_add(k):
    a = _nd(k)
    assert _sum(a) == a.sum()
    r = _add1(a)
    assert r.shape == a.shape and r.dtype == a.dtype
    np.testing.assert_array_equal(r, a + 1)
    assert _mean_max(a) == (a.mean(), a.max(), np.argmin(a))


@pytest.mark.parametrize("k", [5, 9, 12])
def test_many_dimensions_of_extent_two(k):
    a = _nd(k, 2)
    np.testing.assert_array_equal(_add1(a), a + 1)
    np.testing.assert_allclose(_sum(a), a.sum(), rtol=1e-12)
    t = np.ascontiguousarray(a.T)  # a different layout through the loop nest
    np.testing.assert_array_equal(_add1(a.T), t + 1)
    assert _mean_max(a[..., ::-1]) == (a.mean(), a.max(), np.argmin(a[..., ::-1]))


def test_broadcasting_in_many_dimensions():
    @njit
    def f(a, b):
        return a * b + a
    a = _nd(10, 2)
    b = np.arange(2.0).reshape((2,) + (1,) * 9) + 3
    np.testing.assert_array_equal(f(a, b), a * b + a)
    np.testing.assert_array_equal(f(a, a[0]), a * a[0] + a)


def test_index_every_dimension_of_a_64d_array():
    ns = {}
    exec("def f(a):\n    return a[%s], a[%s]\n" % (", ".join(["0"] * 64), ", ".join(["-1"] * 64)), ns)
    f = njit(ns["f"])
    a = _nd(64)
    assert f(a) == (0.5, 0.5)


def test_view_and_shape_of_a_64d_array():
    @njit
    def f(a):
        return a[0].sum(), len(a.shape), a.shape[63], a.size
    a = _nd(64)
    assert f(a) == (0.5, 64, 1, 1)


T5000 = tuple(range(5000))
T20000 = tuple(range(0, 60000, 3))
TF = tuple(float(i) / 7 for i in range(3000))


def test_iterate_over_a_long_global_tuple():
    @njit
    def f(n):
        s = n
        for x in T5000:
            s += x
        return s
    assert f(3) == 3 + sum(T5000)

    @njit
    def g():
        s = 0.0
        for x in TF:
            s += x
        return s
    assert g() == g.py_func()  # a loop: not sum(), which 3.12 compensates


def test_index_a_long_global_tuple():
    @njit
    def f(i):
        return T20000[i]
    for i in (0, 1, 19999, -1, -20000, 12345):
        assert f(i) == T20000[i]
    with pytest.raises(IndexError):
        f(20000)


def test_long_tuple_as_a_value():
    @njit
    def f(i, j):
        t = T5000
        return t[i] + t[j] + len(t) + t[17]
    assert f(3, -1) == 3 + 4999 + 5000 + 17


def test_three_hundred_array_locals():
    n = 300
    src = ["def f(a):"] + [f"    b{j} = a * {j}" for j in range(n)]
    src.append("    return " + " + ".join(f"b{j}" for j in range(n)))
    ns = {"np": np}
    exec("\n".join(src) + "\n", ns)
    f = njit(ns["f"])
    a = np.arange(4.0)
    np.testing.assert_array_equal(f(a), ns["f"](a))


@pytest.mark.parametrize("n", [100, 300])
def test_many_in_place_and_reduced_array_statements(n):
    src = ["def f(a):"] + [f"    b{j} = a * {j}" for j in range(n)]
    src += ["    s = a * 0", "    t = 0.0"]
    src += [f"    s += b{j}\n    t += b{j}.sum()" for j in range(n)]
    src.append("    return s, t")
    ns = {}
    exec("\n".join(src) + "\n", ns)
    f = njit(ns["f"])
    a = np.arange(5.0)
    s, t = f(a)
    es, et = ns["f"](a)
    np.testing.assert_array_equal(s, es)
    assert t == et


def _mixed(a, b, m):
    # More than enough array statements for the lowering to outline each one; statements
    # that look alike but differ in a constant the code depends on (x ** 2, x ** 3) must
    # not share code.
    c = a ** 2
    d = a ** 3
    e = np.sqrt(np.abs(c - d)) + b
    f = e.cumsum()
    g = np.where(a > 0.5, c, d)
    h = a.copy()
    h[1:] = h[:-1] + 1.0
    h += h[::-1]
    k = m.sum(axis=0) + m.max()
    m2 = m.copy()
    m2[0] = m2[1] * 2
    m2 *= 3
    r = (c + d).sum() + e.max() + f[-1] + g.min() + h.sum() + k.sum() + m2.sum()
    p = a * 1.5
    q = p - b
    u = q / (1 + a)
    v = np.exp(-u)
    w = v * v
    x = w ** 2 + a ** 2
    return r, x, h, m2, f, np.argmax(x)


def test_large_function_of_mixed_array_statements():
    f = njit(_mixed)
    rng = np.random.default_rng(1)
    a, b, m = rng.random(9), rng.random(9), rng.random((4, 9))
    got, want = f(a, b, m), _mixed(a, b, m)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)


def test_errors_inside_outlined_array_statements():
    src = ["def f(a, b):"] + [f"    c{j} = a * {j}" for j in range(20)] + ["    return c19 + b"]
    ns = {}
    exec("\n".join(src) + "\n", ns)
    f = njit(ns["f"])
    with pytest.raises(ValueError, match="could not be broadcast"):
        f(np.arange(3.0), np.arange(4.0))
    np.testing.assert_array_equal(f(np.arange(3.0), np.arange(3.0)), np.arange(3.0) * 20)


@njit
def _axis_ops(a, k):
    return a.sum(axis=k), a.max(axis=k), a.cumsum(axis=k)


@pytest.mark.parametrize("shape", [(2, 3, 1, 2, 1, 2, 1, 2), (2,) * 9, (1,) * 40 + (3, 2)])
def test_axis_reductions_in_many_dimensions(shape):
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape) * 0.5 - 3
    for k in (0, 3, -1, len(shape) // 2):
        s, m, c = _axis_ops(a, k)
        np.testing.assert_array_equal(s, a.sum(axis=k))
        np.testing.assert_array_equal(m, a.max(axis=k))
        np.testing.assert_array_equal(c, a.cumsum(axis=k))
    s, m, c = _axis_ops(a[..., ::-1], 1)
    np.testing.assert_array_equal(c, a[..., ::-1].cumsum(axis=1))
