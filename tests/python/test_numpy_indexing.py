"""Issue 3: basic indexing of arrays in nopython mode, compared with NumPy running the same
function: slices with steps (negative too) in any dimension, mixed integer and slice
indices, views that share memory with their base (writes through them reach the caller's
array), slice assignment with broadcasting and with expressions, and overlapping slice
assignment (a[1:] = a[:-1]) that must equal NumPy's result."""
import numpy as np
import pytest

import dunnart
from dunnart import njit

from test_numpy_helpers import npcheck, pid, rand, same

# ------------------------------------------------------------------ reading slices


@njit
def slice1(a, i, j, k):
    return a[i:j:k]


@njit
def slices_1d_literal(a):
    return a[1:7:2], a[::-1], a[::-3], a[7:1:-2], a[-3:], a[:-2], a[5:100], a[10:2], a[-100:3]


@pytest.mark.parametrize("dtype,layout", [(np.float64, "C"), (np.int32, "strided"), (np.bool_, "reversed"),
                                          (np.float32, "C")], ids=pid)
def test_slices_1d_literal(dtype, layout):
    npcheck(slices_1d_literal, rand(dtype, 12, layout, seed=1))
    npcheck(slices_1d_literal, rand(dtype, 3, layout, seed=1))


def test_slices_1d_runtime_bounds():
    a = rand(np.float64, 11, seed=2)
    for i, j, k in [(0, 11, 1), (2, 9, 3), (9, 2, -1), (-1, -12, -2), (-3, 100, 1), (100, -100, -4), (5, 5, 1),
                    (-2, 3, -1), (0, 0, -1), (3, 2, 1)]:
        npcheck(slice1, a, i, j, k)
    npcheck(slice1, np.zeros(0), 0, 5, 2)


def test_zero_step_raises_value_error():
    with pytest.raises(ValueError):
        slice1(np.arange(5.0), 0, 5, 0)


@njit
def slices_2d(a, i, j):
    return a[i, :], a[:, j], a[1:-1, ::2], a[::-1, 1:], a[:, ::-3], a[i], a[-1, ::-1], a[i:, j], a[::2, ::-2]


@pytest.mark.parametrize("dtype,layout", [(np.float64, "C"), (np.float32, "F"), (np.int32, "strided"),
                                          (np.bool_, "colstep"), (np.int64, "reversed")], ids=pid)
def test_slices_2d(dtype, layout):
    a = rand(dtype, (5, 7), layout, seed=3)
    for i, j in [(0, 0), (2, 3), (-1, -2), (4, 6)]:
        npcheck(slices_2d, a, i, j)


@njit
def slices_3d(a):
    return a[1, :, ::2], a[:, 1, :], a[:, :, -1], a[::-1, 1:3, 1], a[1], a[0, 1], a[:, 2]


def test_slices_3d():
    for layout in ("C", "F", "strided"):
        npcheck(slices_3d, rand(np.float64, (3, 4, 5), layout, seed=4))


@njit
def slice_then_compute(a):
    return a[1:, :] - a[:-1, :], np.sum(a[:, ::2], 0), a[::2].max()


def test_slices_in_expressions():
    npcheck(slice_then_compute, rand(np.float64, (6, 5), "F", seed=5))
    npcheck(slice_then_compute, rand(np.int32, (6, 5), "C", seed=5))


# ------------------------------------------------------------------ views share memory


@njit
def view(a):
    return a[1:, ::2]


@njit
def row(a, i):
    return a[i]


@njit
def col(a, j):
    return a[:, j]


@njit
def write_through_local_view(a):
    v = a[:, 1]
    v[:] = 7
    w = a[::2]
    w[0] = -1
    w[1:] *= 2


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_returned_views_share_memory(layout):
    a = rand(np.float64, (4, 6), layout, seed=6)
    for v, e in ((view(a), view.py_func(a)), (row(a, 2), a[2]), (col(a, -1), a[:, -1])):
        assert np.shares_memory(v, a)
        same(v, e)
        assert v.strides == e.strides, (v.strides, e.strides)
    v = view(a)
    v[0, 0] = 123.0
    assert a[1, 0] == 123.0
    v[...] = -1.0
    assert (a[1:, ::2] == -1.0).all()


def test_view_outlives_the_argument():
    v = view(np.arange(20.0).reshape(4, 5))
    import gc
    gc.collect()
    same(v, np.arange(20.0).reshape(4, 5)[1:, ::2])


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_write_through_a_view_inside_the_function(layout):
    npcheck(write_through_local_view, rand(np.float64, (5, 4), layout, seed=7))
    npcheck(write_through_local_view, rand(np.int32, (5, 4), layout, seed=7))


# ------------------------------------------------------------------ slice assignment


@njit
def assign_scalars(a, x):
    a[1:3] = 0
    a[-1] = x
    a[::3] = x * 2


@njit
def assign_column(a, b):
    a[:, 1] = b
    a[0] = b[0]


@njit
def assign_row_broadcast(a, r):
    a[1:] = r
    a[0, ::2] = -r[::2]


@njit
def stencil(a):
    out = np.zeros_like(a)
    out[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:])
    return out


@njit
def assign_float_into_int(a):
    a[:] = 2.7
    a[::2] = -1.9


@pytest.mark.parametrize("dtype,layout", [(np.float64, "C"), (np.int32, "strided"), (np.float32, "reversed")],
                         ids=pid)
def test_assign_scalars_1d(dtype, layout):
    npcheck(assign_scalars, rand(dtype, 10, layout, seed=8), 5)


def test_assign_scalars_2d_rows():
    npcheck(assign_scalars, rand(np.float64, (6, 3), "F", seed=9), 2.5)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_assign_column_and_row(layout):
    npcheck(assign_column, rand(np.float64, (4, 3), layout, seed=10), rand(np.float64, 4, seed=11))
    npcheck(assign_row_broadcast, rand(np.float64, (4, 3), layout, seed=10), rand(np.float64, 3, seed=12))


def test_assign_converts_dtype_like_numpy():
    npcheck(assign_column, rand(np.int32, (4, 3), seed=13), rand(np.int64, 4, seed=14))
    npcheck(assign_float_into_int, rand(np.int32, 7, seed=15))
    npcheck(assign_float_into_int, rand(np.int64, (3, 2), "F", seed=15))


@pytest.mark.parametrize("dtype,layout", [(np.float64, "C"), (np.float32, "F"), (np.float64, "strided")], ids=pid)
def test_stencil(dtype, layout):
    npcheck(stencil, rand(dtype, (6, 7), layout, seed=16))
    npcheck(stencil, rand(dtype, (2, 2), layout, seed=16))


@njit
def stencil_in_place(a):
    a[1:-1] = (a[:-2] + a[2:]) * 0.5


@njit
def shift_right(a):
    a[1:] = a[:-1]


@njit
def shift_left(a):
    a[:-1] = a[1:]


@njit
def reverse_in_place(a):
    a[:] = a[::-1]


@njit
def shift_rows(a):
    a[1:, :] = a[:-1, :]
    a[:, :-1] = a[:, 1:]


@pytest.mark.parametrize("n", [0, 1, 2, 5, 100])
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_overlapping_assignment_1d(n, layout):
    for f in (shift_right, shift_left, reverse_in_place, stencil_in_place):
        npcheck(f, rand(np.float64, n, layout, seed=n))


@pytest.mark.parametrize("layout", ["F", "strided"])
def test_overlapping_assignment_2d(layout):
    npcheck(shift_rows, rand(np.int64, (5, 6), layout, seed=17))
    npcheck(stencil_in_place, rand(np.int64, (5, 6), layout, seed=17))


@njit
def assign_from_other(a, b):
    a[1:] = b[:-1]


def test_assignment_between_aliasing_arguments():
    # b is a view of a: the store must behave as if the right-hand side were copied first
    base = np.arange(10.0)
    expected = base.copy()
    expected[1:] = expected[:-1].copy()
    assign_from_other(base, base)
    np.testing.assert_array_equal(base, expected)
    base = np.arange(12.0)
    expected = base.copy()
    expected[1:] = expected[::-1][:-1].copy()
    assign_from_other(base, base[::-1])
    np.testing.assert_array_equal(base, expected)


@njit
def assign_mismatch(a, b):
    a[1:3] = b


def test_assignment_shape_mismatch_raises():
    a = np.zeros(5)
    with pytest.raises(ValueError):
        assign_mismatch.py_func(a.copy(), np.ones(3))
    with pytest.raises(ValueError, match="broadcast"):
        assign_mismatch(a, np.ones(3))
    np.testing.assert_array_equal(a, np.zeros(5))


# None / np.newaxis in an index: a new axis of length 1 (a view, as NumPy's), the way
# broadcasting code writes outer differences and pairwise distances.
NEWAXIS_CASES = [
    "a[:, None]", "a[None, :]", "a[None]", "a[np.newaxis, :]", "a[:, np.newaxis] - a[np.newaxis, :]",
    "m[:, None, :]", "m[None, :, None]", "m[1, None]", "m[:, 1, None]", "a[2, None]",
    "np.sum(a[:, None] * a[None, :])", "np.sqrt(((p[:, None, :] - p[None, :, :]) ** 2).sum(axis=2))",
    "m[None, ::-1, 1:]", "a[1:3, None] + m[None, 0, :2]", "m.T[:, :, None]",
]


@pytest.mark.parametrize("expr", NEWAXIS_CASES)
def test_newaxis_indexing_matches_numpy(expr):
    scope = {"np": np}
    exec(f"def f(a, m, p):\n    return {expr}\n", scope)
    args = (np.arange(4.0), np.arange(6.0).reshape(2, 3), np.random.default_rng(3).standard_normal((5, 3)))
    got, want = njit(scope["f"])(*args), scope["f"](*args)
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_newaxis_views_share_memory_and_refuse_stores():
    a = np.arange(5.0)
    v = njit(lambda a: a[:, None])(a)
    assert np.shares_memory(v, a) and v.shape == (5, 1)

    @njit
    def store(a):
        a[:, None] = 1.0
    with pytest.raises(Exception, match="np.newaxis"):
        store(a.copy())


# Rows of an N-D array by a 1-D integer array: X[perm] gathers copies of the rows, and
# X[rows] = v stores into each. (Regression: the store wrote only each row's first element.)
ROW_CASES = ["m[idx]", "c[idx]", "m.T[np.array([2, 0])]", "m[::2][np.array([1, 0])]", "m[idx].sum(axis=1)",
             "m[np.arange(4)[::-1]]", "m[np.zeros(0, np.int64)]", "c[idx.astype(np.int32)][:, 1]"]


@pytest.mark.parametrize("expr", ROW_CASES)
def test_row_gather_matches_numpy(expr):
    scope = {"np": np}
    exec(f"def f(m, c, idx):\n    return {expr}\n", scope)
    args = (np.arange(12.0).reshape(4, 3), np.arange(24).reshape(4, 3, 2), np.array([3, 0, -1, 1, 1]))
    got, want = njit(scope["f"])(*args), scope["f"](*args)
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(got, want)


ROW_STORES = [("m[idx] = 7.0", np.zeros((4, 3)), 0), ("m[idx] = v", np.zeros((4, 3)), np.array([1.0, 2.0, 3.0])),
              ("m[idx] = v", np.zeros((4, 3)), np.arange(6.0).reshape(2, 3)), ("m[idx] += 1", np.zeros((4, 3)), 0),
              ("m[idx] = v", np.zeros((4, 3, 2)), np.ones((3, 2))), ("m[idx] = v", np.zeros((4, 3), np.int64), np.arange(3.0))]


@pytest.mark.parametrize("code,m,v", ROW_STORES, ids=[c for c, _, _ in ROW_STORES])
def test_row_store_matches_numpy(code, m, v):
    scope = {"np": np}
    exec(f"def f(m, idx, v):\n    {code}\n    return m\n", scope)
    idx = np.array([1, -1])
    got, want = njit(scope["f"])(m.copy(), idx, v), scope["f"](m.copy(), idx, v)
    np.testing.assert_array_equal(got, want)


def test_row_index_errors():
    with pytest.raises(IndexError, match="out of bounds"):
        njit(lambda m: m[np.array([4])])(np.zeros((4, 3)))

    @njit
    def store(m, v):
        m[np.array([0, 1])] = v
    with pytest.raises(ValueError, match="shape mismatch"):
        store(np.zeros((4, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="shape mismatch"):
        store(np.zeros((4, 3)), np.ones(2))


# ---- NumPy's advanced indexing of several parts, lists as indices, 1-D masks of rows

ADVANCED_GETS = {
    "columns": lambda a, i: a[:, i],
    "pairs": lambda a, i: a[i, i[::-1]],
    "int_then_array": lambda a, i: a[1, i],
    "array_then_int": lambda a, i: a[i, -1],
    "slice_then_array": lambda a, i: a[1:, i[:2]],
    "reversed_rows": lambda a, i: a[::-1, i],
    "negative": lambda a, i: a[:, -i - 1],
    "index_2d": lambda a, i: a[:, np.stack((i, i[::-1]))],
    "broadcast_pairs": lambda a, i: a[i.reshape(-1, 1), i[:2]],
}


@pytest.mark.parametrize("name", sorted(ADVANCED_GETS))
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_advanced_index_get_2d(name, layout):
    base = np.arange(40.).reshape(4, 10)
    a = {"C": base[:, :4].copy(), "F": np.asfortranarray(base[:, :4]), "strided": base[:, ::3][:, :4]}[layout]
    i = np.array([2, 0, 3], np.int32)
    f = ADVANCED_GETS[name]
    got = njit(f)(a, i)
    np.testing.assert_array_equal(got, f(a, i))
    assert got.shape == f(a, i).shape and got.dtype == a.dtype


@pytest.mark.parametrize("index", ["mid", "last", "first_and_last", "int_and_last", "int_first", "ints_adjacent"])
def test_advanced_index_get_3d_places_broadcast_axes_as_numpy(index):
    a = np.arange(60).reshape(3, 4, 5)
    i, j = np.array([1, 0]), np.array([4, 2])
    f = {"mid": lambda a: a[:, i, :], "last": lambda a: a[:, :, j], "first_and_last": lambda a: a[i, :, j],
         "int_and_last": lambda a: a[0, :, j], "int_first": lambda a: a[i, 1], "ints_adjacent": lambda a: a[:, 1, j]}[index]
    got = njit(f)(a)
    np.testing.assert_array_equal(got, f(a))
    assert got.shape == f(a).shape


def test_advanced_index_errors():
    a = np.zeros((3, 4))
    with pytest.raises(IndexError, match="out of bounds for axis 1"):
        njit(lambda a, i: a[:, i])(a, np.array([0, 4]))
    with pytest.raises(IndexError, match="out of bounds for axis 0"):
        njit(lambda a, i: a[i, 0])(a, np.array([-4]))
    with pytest.raises(IndexError, match="could not be broadcast together"):
        njit(lambda a, i, j: a[i, j])(a, np.array([0, 1]), np.array([0, 1, 2]))
    with pytest.raises(dunnart.TypingError, match="too many indices"):
        njit(lambda a, i: a[i, i, i])(a, np.array([0]))


def _set_columns(a, i):
    a[:, i] = -1
    return a


def _set_pairs(a, i):
    a[i, i] = np.arange(len(i)) * 10
    return a


def _set_broadcast_rows(a, i):
    a[1:, i] = np.arange(len(i))
    return a


def _set_block(a, i):
    a[i[:2], 1:3] = np.ones((2, 2)) * 7
    return a


@pytest.mark.parametrize("f", [_set_columns, _set_pairs, _set_broadcast_rows, _set_block])
@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.complex128])
def test_advanced_index_set(f, dtype):
    a = np.arange(16).reshape(4, 4).astype(dtype)
    i = np.array([3, 0, 1])
    np.testing.assert_array_equal(njit(f)(a.copy(), i), f(a.copy(), i))


def test_advanced_index_set_shape_mismatch():
    def f(a, i):
        a[:, i] = np.ones(4)
        return a

    with pytest.raises(ValueError, match="could not be broadcast to indexing result of shape"):
        njit(f)(np.zeros((3, 4)), np.array([0, 1]))


def test_lists_as_indices():
    a, v = np.arange(12.).reshape(3, 4), np.arange(5.)
    for f, x in [(lambda a: a[[0, 2]], v), (lambda a: a[[2, 0]], a), (lambda a: a[:, [1, 3]], a),
                 (lambda a: a[[0, 2], [1, 3]], a), (lambda a: a[[True, False, True, False, True]], v)]:
        np.testing.assert_array_equal(njit(f)(x), f(x))

    def store(v):
        v[[0, -1]] = 9.0
        return v

    np.testing.assert_array_equal(njit(store)(v.copy()), store(v.copy()))


def test_boolean_rows_of_a_matrix():
    X, y = np.arange(15.).reshape(5, 3), np.array([0, 1, 0, 1, 1])
    for f in [lambda X, y: X[y == 1], lambda X, y: X[y == 1].mean(axis=0), lambda X, y: X[y > 5]]:
        np.testing.assert_array_equal(njit(f)(X, y), f(X, y))

    def store(X, y):
        X[y == 0] = -1.0
        X[y == 1] = np.arange(3.0)
        return X

    np.testing.assert_array_equal(njit(store)(X.copy(), y), store(X.copy(), y))
    with pytest.raises(IndexError, match="boolean index did not match indexed array along axis 0"):
        njit(lambda X, y: X[y == 1])(X, y[:3])


def _store_reversed_columns(a, i):
    a[:, i] = a[:, ::-1][:, :3]
    return a


def _store_reversed_elements(a, i):
    a[i] = a[::-1][:3]
    return a


def _store_reversed_rows_by_mask(X, y):
    X[y > 0] = X[::-1][:2]
    return X


def _store_reversed_rows(X, i):
    X[i] = X[::-1][:2]
    return X


def test_fancy_stores_read_a_value_that_overlaps_the_array_first():
    """The value is read before any store changes it, as NumPy does (a regression: a
    store through an index array read elements it had already overwritten)."""
    a = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(njit(_store_reversed_columns)(a.copy(), np.array([0, 1, 2])),
                                  _store_reversed_columns(a.copy(), np.array([0, 1, 2])))
    v = np.arange(5.0)
    np.testing.assert_array_equal(njit(_store_reversed_elements)(v.copy(), np.array([2, 3, 4])),
                                  _store_reversed_elements(v.copy(), np.array([2, 3, 4])))
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, 0, 1])
    np.testing.assert_array_equal(njit(_store_reversed_rows_by_mask)(X.copy(), y), _store_reversed_rows_by_mask(X.copy(), y))
    np.testing.assert_array_equal(njit(_store_reversed_rows)(X.copy(), np.array([2, 3])),
                                  _store_reversed_rows(X.copy(), np.array([2, 3])))
