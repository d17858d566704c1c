"""Issue 3: a.astype(dtype) in nopython mode, compared with NumPy: converted values (float to
int truncates toward zero, anything to bool is `!= 0`, bool to numbers is 0/1), the result
dtype, and copy semantics: astype returns a new array even when the dtype already matches
(writes to it do not reach the argument), and astype(dtype, copy=False) returns the
argument itself (sharing memory) when no conversion is needed."""
import numpy as np
import pytest

from dunnart import njit

from test_numpy_helpers import npcheck, pid, rand


@njit
def conversions(a):
    return a.astype(np.float64), a.astype(np.float32), a.astype(np.int32), a.astype(np.int64), a.astype(np.bool_)


@njit
def astype_same_then_write(a):
    b = a.astype(np.float64)
    b[0] = -99.0
    return b


@njit
def astype_int_then_compute(a):
    return a.astype(np.int64) * 3 + 1, (a * 2.5).astype(np.int32)


@njit
def astype_no_copy(a):
    return a.astype(np.float64, copy=False)


@njit
def astype_copy_false_converting(a):
    return a.astype(np.float32, copy=False)


@pytest.mark.parametrize("dtype,layout", [(np.float32, "F"), (np.int32, "strided"), (np.int64, "reversed"),
                                          (np.bool_, "colstep")], ids=pid)
def test_conversions(dtype, layout):
    # floats in (-20, 20) with fractions: truncation toward zero on both sides of 0
    a = rand(dtype, (4, 6) if layout != "reversed" else 11, layout, seed=1, lo=-20, hi=20)
    npcheck(conversions, a)


def test_conversion_edge_values():
    a = np.array([0.0, -0.0, 0.5, -0.5, 0.999, -0.999, 1e9, -1e9, 2.0**31 - 1, -2.0**31])
    npcheck(conversions, a)
    npcheck(conversions, np.zeros(0))


def test_astype_returns_a_copy_even_for_the_same_dtype():
    a = np.arange(5.0)
    b = astype_same_then_write(a)
    assert a[0] == 0.0, "writing to the result of astype changed the argument"
    assert b[0] == -99.0
    assert not np.shares_memory(a, b)
    got = conversions(a)[0]
    assert not np.shares_memory(got, a)


def test_astype_of_a_view_is_a_contiguous_copy():
    base = np.arange(24.0).reshape(4, 6)
    v = base[::2, ::3]
    got = conversions(v)
    for g, e in zip(got, conversions.py_func(v)):
        np.testing.assert_array_equal(g, e)
        assert g.dtype == e.dtype
        assert not np.shares_memory(g, base)


def test_astype_in_expressions():
    npcheck(astype_int_then_compute, rand(np.float64, 9, seed=2, lo=-5, hi=5))
    npcheck(astype_int_then_compute, rand(np.int32, (3, 3), "F", seed=2))


def test_astype_copy_false_returns_the_same_memory():
    a = np.arange(6.0)
    b = astype_no_copy(a)
    assert np.shares_memory(a, b)
    np.testing.assert_array_equal(b, a)
    c = astype_no_copy(np.arange(6, dtype=np.int32))  # needs a conversion: a new array
    assert c.dtype == np.float64
    np.testing.assert_array_equal(c, np.arange(6.0))


def test_astype_copy_false_converting_makes_a_new_array():
    a = np.arange(6.0)
    npcheck(astype_copy_false_converting, a)
    assert not np.shares_memory(astype_copy_false_converting(a), a)
