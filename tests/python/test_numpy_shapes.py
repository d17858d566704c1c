"""Issue 3: shape functions and advanced indexing in nopython mode, compared with NumPy
running the same function:

  * a.T, a.transpose(), np.transpose(a): views with swapped strides (share memory);
  * a.reshape(...) with -1 (a view of contiguous data, a copy in C order otherwise;
    ValueError when the size does not match), a.ravel() (a view when C-contiguous),
    a.flatten() (always a copy);
  * np.concatenate((a, b)) and with axis=, np.stack with axis=, mixed dtypes promoted
    like NumPy, ValueError on mismatched shapes;
  * boolean masks: reads a[a > 0] (a 1-D copy in C order) and writes a[a > 0] = 0;
  * 1-D integer-array indexing a[idx] with an int64 index array (negative and repeated
    indices; IndexError out of range)."""
import numpy as np
import pytest

from dunnart import njit

from test_numpy_helpers import npcheck, pid, rand

# ------------------------------------------------------------------ transpose


@njit
def transposes(a):
    return a.T, a.transpose(), np.transpose(a)


@njit
def transpose_in_expression(a):
    return a + a.T, np.sum(a.T, 0), a.T[1:, ::2]


@njit
def write_through_transpose(a):
    t = a.T
    t[0, :] = -1
    t[:, -1] *= 10


@pytest.mark.parametrize("dtype,shape,layout", [(np.float64, (3, 4), "C"), (np.int32, (3, 4), "F"),
                                                (np.float32, (2, 5), "strided"), (np.bool_, (2, 3, 4), "C"),
                                                (np.int64, 6, "C"), (np.float64, (4, 3, 2), "F")], ids=pid)
def test_transposes(dtype, shape, layout):
    a = rand(dtype, shape, layout, seed=1)
    got = npcheck(transposes, a)
    for g in got:
        assert np.shares_memory(g, a) or a.size == 0, "a transpose must be a view"
        assert g.strides == a.T.strides, (g.strides, a.T.strides)


def test_transpose_in_expressions():
    npcheck(transpose_in_expression, rand(np.float64, (4, 4), seed=2))
    npcheck(transpose_in_expression, rand(np.float64, (5, 5), "F", seed=3))


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_write_through_transpose(layout):
    npcheck(write_through_transpose, rand(np.float64, (3, 5), layout, seed=4))


# ------------------------------------------------------------------ reshape, ravel, flatten


@njit
def reshapes_2d(a):
    return a.reshape(3, -1), a.reshape((-1,)), a.reshape(-1, 2, 2), a.reshape((2, 6)), a.reshape(12)


@njit
def reshape_to(a, n, m):
    return a.reshape(n, m)


@njit
def ravel_flatten(a):
    return a.ravel(), a.flatten(), np.ravel(a)


@njit
def reshape_then_write(a):
    b = a.reshape(-1)
    b[0] = 100
    return b


@pytest.mark.parametrize("dtype,shape,layout", [(np.float64, (3, 4), "C"), (np.int32, (3, 4), "F"),
                                                (np.float32, (4, 3), "strided"), (np.int64, 12, "C"),
                                                (np.bool_, (2, 3, 2), "C"), (np.float64, 12, "reversed")], ids=pid)
def test_reshape_with_minus_one(dtype, shape, layout):
    a = rand(dtype, shape, layout, seed=5)
    got = npcheck(reshapes_2d, a)
    if a.flags.c_contiguous:
        for g in got:
            assert np.shares_memory(g, a), "reshape of C-contiguous data must be a view"


def test_reshape_view_writes_reach_the_argument():
    npcheck(reshape_then_write, rand(np.float64, (3, 4), seed=6))
    a = np.zeros((2, 3))
    reshape_then_write(a)
    assert a[0, 0] == 100


def test_reshape_wrong_size_raises_value_error():
    a = np.arange(12.0)
    with pytest.raises(ValueError):
        reshape_to.py_func(a, 5, 3)
    with pytest.raises(ValueError):
        reshape_to(a, 5, 3)
    with pytest.raises(ValueError):
        reshape_to(a, 5, -1)
    npcheck(reshape_to, a, 4, -1)
    npcheck(reshape_to, a, -1, 6)
    npcheck(reshape_to, np.zeros(0), 0, 5)


@pytest.mark.parametrize("dtype,shape,layout", [(np.float64, (3, 4), "C"), (np.int32, (3, 4), "F"),
                                                (np.float32, (4, 3), "strided"), (np.int64, 7, "reversed"),
                                                (np.float64, (2, 3, 2), "F"), (np.float64, (0, 3), "C")], ids=pid)
def test_ravel_and_flatten(dtype, shape, layout):
    a = rand(dtype, shape, layout, seed=7)
    r, f, nr = npcheck(ravel_flatten, a)
    if a.flags.c_contiguous and a.size:
        assert np.shares_memory(r, a) and np.shares_memory(nr, a), "ravel of C-contiguous data is a view"
    assert not np.shares_memory(f, a), "flatten always copies"


# ------------------------------------------------------------------ concatenate, stack


@njit
def concat2(a, b):
    return np.concatenate((a, b))


@njit
def concat3_axis1(a, b, c):
    return np.concatenate((a, b, c), axis=1)


@njit
def concat_axis_minus1(a, b):
    return np.concatenate((a, b), axis=-1)


@njit
def stacks(a, b):
    return np.stack((a, b)), np.stack((a, b), axis=1), np.stack((a, b), axis=-1)


@pytest.mark.parametrize("da,db,sa,sb", [
    (np.float64, np.float64, (3,), (5,)),
    (np.int32, np.float32, (4,), (0,)),
    (np.float64, np.float64, (2, 3), (4, 3)),
    (np.int64, np.int32, (2, 3), (1, 3)),
    (np.bool_, np.bool_, (3,), (2,)),
], ids=pid)
def test_concatenate(da, db, sa, sb):
    npcheck(concat2, rand(da, sa, seed=8), rand(db, sb, seed=9))


def test_concatenate_layouts():
    npcheck(concat2, rand(np.float64, (2, 3), "F", seed=10), rand(np.float64, (3, 3), "strided", seed=11))
    npcheck(concat2, rand(np.float64, 5, "reversed", seed=10), rand(np.float64, 4, "strided", seed=11))


def test_concatenate_axis():
    npcheck(concat3_axis1, rand(np.float64, (3, 2), seed=12), rand(np.float64, (3, 4), "F", seed=13),
            rand(np.float64, (3, 1), seed=14))
    npcheck(concat_axis_minus1, rand(np.int32, (2, 2, 3), seed=15), rand(np.int32, (2, 2, 1), seed=16))
    npcheck(concat3_axis1, rand(np.float32, (2, 2), seed=12), rand(np.float32, (2, 0), seed=13),
            rand(np.float32, (2, 3), "colstep", seed=14))


def test_concatenate_shape_mismatch_raises():
    with pytest.raises(ValueError):
        concat2(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError):
        concat3_axis1(np.ones((2, 3)), np.ones((3, 3)), np.ones((2, 3)))


def test_concatenate_result_is_a_copy():
    a = np.arange(3.0)
    r = concat2(a, a)
    assert not np.shares_memory(r, a)


@pytest.mark.parametrize("dtype,shape,layout", [(np.float64, (4,), "C"), (np.float32, (3, 2), "strided")], ids=pid)
def test_stack(dtype, shape, layout):
    npcheck(stacks, rand(dtype, shape, layout, seed=17), rand(dtype, shape, seed=18))


def test_stack_mixed_dtypes_and_mismatch():
    npcheck(stacks, rand(np.int64, 3, seed=19), rand(np.float64, 3, seed=20))
    with pytest.raises(ValueError):
        stacks(np.ones(3), np.ones(4))


# ------------------------------------------------------------------ boolean masks


@njit
def mask_read(a):
    return a[a > 0]


@njit
def mask_read_other(a, b):
    return b[a > 0], a[(a > 0) & (b < 0.5)]


@njit
def mask_write(a):
    a[a > 0] = 0


@njit
def mask_write_value(a, m, v):
    a[m] = v


@njit
def mask_then_reduce(a):
    return np.sum(a[a < 1]), a[a != 0].size


@pytest.mark.parametrize("dtype,shape,layout", [(np.float64, 20, "C"), (np.int32, (4, 5), "C"),
                                                (np.float32, (4, 5), "F"), (np.int64, (3, 6), "strided"),
                                                (np.float64, 9, "reversed"), (np.float64, 0, "C")], ids=pid)
def test_boolean_mask_read(dtype, shape, layout):
    a = rand(dtype, shape, layout, seed=21)
    got = npcheck(mask_read, a)
    assert not np.shares_memory(got, a)


def test_boolean_mask_all_false_and_all_true():
    npcheck(mask_read, -np.ones(5))
    npcheck(mask_read, np.ones(5))


def test_boolean_mask_of_another_array():
    npcheck(mask_read_other, rand(np.float64, (3, 4), seed=22), rand(np.float64, (3, 4), "F", seed=23, lo=0, hi=1))


@pytest.mark.parametrize("dtype,shape,layout", [(np.float64, 20, "C"), (np.int32, (4, 5), "F"),
                                                (np.float32, (4, 5), "strided"), (np.int64, 9, "reversed")], ids=pid)
def test_boolean_mask_write(dtype, shape, layout):
    npcheck(mask_write, rand(dtype, shape, layout, seed=24))


def test_boolean_mask_write_values():
    npcheck(mask_write_value, rand(np.float64, (3, 4), seed=25), rand(np.bool_, (3, 4), seed=26), 7.5)
    npcheck(mask_write_value, rand(np.int32, 8, seed=25), rand(np.bool_, 8, seed=26), 3)


def test_boolean_mask_in_expressions():
    npcheck(mask_then_reduce, rand(np.float64, (4, 6), seed=27))


def test_boolean_mask_shape_mismatch_raises_index_error():
    with pytest.raises(IndexError):
        mask_write_value.py_func(np.zeros(4), np.ones(5, np.bool_), 1.0)
    with pytest.raises(IndexError):
        mask_write_value(np.zeros(4), np.ones(5, np.bool_), 1.0)


# ------------------------------------------------------------------ integer index arrays


@njit
def take(a, idx):
    return a[idx]


@njit
def take_compute(a, idx):
    return a[idx] * 2 + 1, np.sum(a[idx])


@njit
def put(a, idx, v):
    a[idx] = v


@pytest.mark.parametrize("dtype,layout", [(np.float64, "C"), (np.int32, "strided"), (np.float32, "reversed"),
                                          (np.bool_, "C")], ids=pid)
def test_integer_array_index_read(dtype, layout):
    a = rand(dtype, 10, layout, seed=28)
    for idx in ([0, 3, 3, 9, -1, -10], [], [5], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]):
        idx = np.array(idx, dtype=np.int64)
        got = npcheck(take, a, idx)
        assert not np.shares_memory(got, a)


def test_integer_array_index_in_expressions():
    npcheck(take_compute, rand(np.float64, 8, seed=30), rand(np.int64, 12, seed=31, lo=-8, hi=8))


def test_integer_array_index_write():
    npcheck(put, rand(np.float64, 10, seed=32), np.array([1, 3, -1], dtype=np.int64), 0.5)
    npcheck(put, rand(np.int32, 10, "strided", seed=32), np.array([0, 0, 9], dtype=np.int64), 7)


def test_integer_array_index_out_of_range_raises_index_error():
    a = np.arange(5.0)
    with pytest.raises(IndexError):
        take.py_func(a, np.array([1, 5], dtype=np.int64))
    with pytest.raises(IndexError):
        take(a, np.array([1, 5], dtype=np.int64))
    with pytest.raises(IndexError):
        take(a, np.array([-6], dtype=np.int64))
