"""NumPy arrays: every dtype, ndim 0-4, C/F/strided/reversed/read-only layouts; element
reads and writes (negative indices too), attributes, copy, reductions, creation, and the
ownership of arrays returned to Python."""
import gc

import numpy as np
import pytest

import dunnart
from dunnart import njit

from jitcheck import (DTYPES, LAYOUTS_1D, LAYOUTS_ND, REAL_DTYPES, make_array, rss_bytes,
                      scalar_of)

dtype_id = lambda d: np.dtype(d).name  # noqa: E731

# ------------------------------------------------------------------ element reads


@njit
def get1(a, i):
    return a[i]


@njit
def get2(a, i, j):
    return a[i, j]


@njit
def get3(a, i, j, k):
    return a[i, j, k]


@njit
def get4(a, i, j, k, m):
    return a[i, j, k, m]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS_1D)
def test_read_1d(check, dtype, layout):
    a = make_array(dtype, 7, layout)
    for i in (0, 3, 6, -1, -7, -4):
        check(get1, a, i)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS_ND)
def test_read_2d(check, dtype, layout):
    a = make_array(dtype, (3, 4), layout)
    for i, j in [(0, 0), (2, 3), (-1, -1), (1, -4), (-3, 2), (0, 3)]:
        check(get2, a, i, j)


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex128, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS_ND + ["reversed"])
def test_read_3d(check, dtype, layout):
    a = make_array(dtype, (2, 3, 4), layout)
    for idx in [(0, 0, 0), (1, 2, 3), (-1, -2, -3), (0, 1, -1)]:
        check(get3, a, *idx)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_read_4d(check, layout):
    a = make_array(np.float64, (2, 3, 2, 3), layout)
    for idx in [(0, 0, 0, 0), (1, 2, 1, 2), (-1, 0, -2, 1)]:
        check(get4, a, *idx)


def test_read_transposed_view(check):
    a = make_array(np.int64, (3, 5), "C").T
    check(get2, a, 4, 2)
    check(get2, a, -2, 0)


@njit
def index_arith(a, i):
    return a[i + 1] - a[i - 1] + a[len(a) - 1] * a[-2]


def test_index_expressions(check):
    a = make_array(np.float64, 10, "C")
    for i in (1, 5, 8):
        check(index_arith, a, i)


@njit
def narrow_index(a, i):
    return a[i]


@pytest.mark.parametrize("itype", [np.int8, np.int32, np.uint16, np.uint64], ids=dtype_id)
def test_numpy_integer_index(check, itype):
    a = make_array(np.float64, 10, "C")
    check(narrow_index, a, itype(3))


# ------------------------------------------------------------------ element writes

@njit
def set1(a, i, v):
    a[i] = v


@njit
def set2(a, i, j, v):
    a[i, j] = v


@njit
def set3(a, i, j, k, v):
    a[i, j, k] = v


WRITE_VALUES = {"b": True, "i": -5, "u": 201, "f": -2.75, "c": 1.5 - 2j}


def _value_for(dtype):
    v = WRITE_VALUES[np.dtype(dtype).kind]
    if np.dtype(dtype).kind == "u":
        v = v % (np.iinfo(dtype).max + 1)
    if np.dtype(dtype).kind == "i":
        v = max(v, np.iinfo(dtype).min)
    return scalar_of(dtype, v)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_write_1d(check, dtype, layout):
    a = make_array(dtype, 7, layout)
    v = _value_for(dtype)
    for i in (0, 6, -1, -7, 2):
        check(set1, a, i, v)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_write_2d(check, dtype, layout):
    a = make_array(dtype, (3, 4), layout)
    v = _value_for(dtype)
    for i, j in [(0, 0), (2, 3), (-1, -1), (1, -4)]:
        check(set2, a, i, j, v)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_write_3d(check, layout):
    a = make_array(np.float32, (2, 3, 4), layout)
    for idx in [(0, 0, 0), (1, 2, 3), (-1, -1, -1)]:
        check(set3, a, *idx, 9.5)


def test_write_through_strided_view_reaches_base():
    base = np.zeros((3, 8))
    view = base[:, ::2]
    set2(view, 1, 2, 7.0)
    expected = np.zeros((3, 8))
    expected[1, 4] = 7.0
    np.testing.assert_array_equal(base, expected)


def test_write_through_fortran_array_is_visible():
    a = np.asfortranarray(np.zeros((3, 4), dtype=np.int32))
    set2(a, 2, 1, 11)
    set2(a, -3, -1, 12)
    assert a[2, 1] == 11 and a[0, 3] == 12 and a.sum() == 23


@njit
def write_converts(a, x):
    a[0] = x
    a[1] = x * 2
    a[2] = -x


@pytest.mark.parametrize("dtype,x", [(np.int8, 7), (np.int16, 1000), (np.int32, 100000), (np.float32, 0.1),
                                     (np.float64, 3), (np.complex128, 2.5)],
                         ids=lambda v: np.dtype(v).name if isinstance(v, type) else repr(v))
def test_write_converts_to_element_type(check, dtype, x):
    check(write_converts, np.zeros(3, dtype=dtype), x)


@njit
def increment_all(a, d):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] += d


@pytest.mark.parametrize("dtype", REAL_DTYPES + [np.complex128], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_inplace_update_visible_to_caller(check, dtype, layout):
    a = make_array(dtype, (3, 4), layout)
    check(increment_all, a, 1 if np.dtype(dtype).kind in "iu" else 0.5)


@njit
def swap_ends(a):
    t = a[0]
    a[0] = a[-1]
    a[-1] = t
    return a[0]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_read_write_roundtrip(check, dtype):
    check(swap_ends, make_array(dtype, 5, "C"))


# ------------------------------------------------------------------ read-only arrays

@njit
def ro_sum2(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def test_readonly_array_can_be_read(check):
    a = make_array(np.float64, (3, 4), "readonly")
    check(ro_sum2, a)
    check(get2, a, -1, 2)


def test_readonly_broadcast_view_can_be_read(check):
    a = np.broadcast_to(np.arange(4.0), (3, 4))  # zero stride, read-only
    assert not a.flags.writeable
    check(ro_sum2, a)


def _write_first(a):
    a[0] = 1.0
    return a[0]


def test_writing_readonly_array_raises():
    f = njit(_write_first)
    a = np.zeros(4)
    a.setflags(write=False)
    with pytest.raises((dunnart.TypingError, dunnart.UnsupportedError, TypeError, ValueError)) as info:
        f(a)
    assert "readonly" in str(info.value).lower().replace("-", "").replace(" ", ""), str(info.value)
    assert not a.any(), "the read-only array was modified"
    # the same function still works on a writeable array
    b = np.zeros(4)
    assert f(b) == 1.0 and b[0] == 1.0


# ------------------------------------------------------------------ attributes

@njit
def attrs(a):
    return a.shape, a.ndim, a.size


@njit
def attrs_len(a):
    return len(a), a.shape[0], a.shape[-1]


@njit
def shape_unpack(a):
    n, m = a.shape
    return n * 100 + m


@pytest.mark.parametrize("shape", [(), (0,), (5,), (3, 4), (0, 4), (2, 3, 4), (2, 1, 3, 2)], ids=str)
@pytest.mark.parametrize("layout", ["C", "F", "readonly"])
def test_shape_ndim_size(check, shape, layout):
    if layout == "F" and len(shape) < 2:
        layout = "C"
    check(attrs, make_array(np.float64, shape, layout))


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("dtype", [np.int8, np.complex128], ids=dtype_id)
def test_len_and_shape_items(check, shape, dtype):
    check(attrs_len, make_array(dtype, shape, "C"))
    check(attrs_len, make_array(dtype, shape, "strided"))


def test_shape_tuple_unpacking(check):
    check(shape_unpack, make_array(np.float64, (3, 7), "C"))
    check(shape_unpack, make_array(np.float64, (3, 7), "strided"))


# ------------------------------------------------------------------ copy

@njit
def copy_and_modify(a):
    b = a.copy()
    b[0] = b[0] * 2 + 1
    return b


@njit
def copy_2d(a):
    return a.copy()


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.complex128, np.uint8], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS_1D)
def test_copy_1d(check, dtype, layout):
    a = make_array(dtype, 6, layout)
    before = a.copy()
    r = check(copy_and_modify, a)
    np.testing.assert_array_equal(a, before)  # the source is untouched
    assert not np.shares_memory(r, a)
    assert r.flags.writeable


@pytest.mark.parametrize("layout", LAYOUTS_ND)
def test_copy_2d(check, layout):
    a = make_array(np.float64, (3, 4), layout)
    r = check(copy_2d, a)
    assert not np.shares_memory(r, a)
    r[0, 0] = 123.0
    assert a[0, 0] != 123.0


# ------------------------------------------------------------------ reductions

@njit
def red_sum(a):
    return a.sum()


@njit
def red_min(a):
    return a.min()


@njit
def red_max(a):
    return a.max()


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape,layout", [(9, "C"), ((3, 4), "strided"), ((2, 3, 2), "readonly")], ids=str)
def test_sum(check, dtype, shape, layout):
    check(red_sum, make_array(dtype, shape, layout))


@pytest.mark.parametrize("dtype", [np.int32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape,layout", [(9, "strided"), (9, "reversed"), ((3, 4), "F"), ((2, 3, 4), "F")], ids=str)
def test_sum_layouts(check, dtype, shape, layout):
    check(red_sum, make_array(dtype, shape, layout))


MINMAX_DTYPES = [np.int8, np.int64, np.uint16, np.uint64, np.float32, np.float64]


@pytest.mark.parametrize("dtype", MINMAX_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape,layout", [(9, "C"), (9, "strided"), ((3, 4), "F"), ((2, 3, 2), "readonly")], ids=str)
def test_min_max(check, dtype, shape, layout):
    a = make_array(dtype, shape, layout)
    check(red_min, a)
    check(red_max, a)


def test_sum_empty(check):
    check(red_sum, np.zeros(0))
    check(red_sum, np.zeros((0, 3), dtype=np.int64))


def test_sum_large_is_accurate(check):
    x = np.random.default_rng(0).standard_normal(100_003)
    check(red_sum, x)
    check(red_min, x)
    check(red_max, x)


@pytest.mark.parametrize("pos", [0, 4, 8])
def test_min_max_propagate_nan(check, pos):
    x = np.arange(9.0)
    x[pos] = np.nan
    check(red_min, x)
    check(red_max, x)


def test_min_max_with_infinities(check):
    x = np.array([1.0, -np.inf, 3.0, np.inf, -2.0])
    check(red_min, x)
    check(red_max, x)


# ------------------------------------------------------------------ creation

@njit
def zeros_int_shape(n):
    return np.zeros(n)


@njit
def ones_int_shape(n):
    return np.ones(n)


@njit
def zeros_tuple_i32(n, m):
    return np.zeros((n, m), dtype=np.int32)


@njit
def ones_3d_f32(n):
    return np.ones((n, 2, 3), dtype=np.float32)


@njit
def ones_bool(n):
    return np.ones(n, dtype=np.bool_)


@njit
def zeros_complex(n):
    return np.zeros((n, 2), dtype=np.complex128)


@njit
def ones_uint8(n):
    return np.ones(n, dtype=np.uint8)


@njit
def zeros_int64(n):
    return np.zeros(n, dtype=np.int64)


@njit
def zeros_shape_arg(shape):
    return np.zeros(shape)


@njit
def zeros_like_shape(a):
    return np.zeros(a.shape, dtype=np.float64)


@njit
def empty_filled(n):
    a = np.empty(n, dtype=np.int64)
    for i in range(n):
        a[i] = i * i - 3
    return a


@njit
def empty_2d_filled(n, m):
    a = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            a[i, j] = i * 0.5 + j
    return a


@njit
def empty_f32_filled(n):
    a = np.empty(n, dtype=np.float32)
    for i in range(n):
        a[i] = i / 3.0
    return a


@njit
def empty_3d_int16(n):
    a = np.empty((n, n, 2), dtype=np.int16)
    for i in range(n):
        for j in range(n):
            a[i, j, 0] = i - j
            a[i, j, 1] = i * j
    return a


CREATORS = [
    (zeros_int_shape, (5,)), (zeros_int_shape, (0,)), (ones_int_shape, (4,)),
    (zeros_tuple_i32, (3, 4)), (zeros_tuple_i32, (0, 2)), (ones_3d_f32, (2,)), (ones_bool, (6,)),
    (zeros_complex, (3,)), (ones_uint8, (5,)), (zeros_int64, (7,)), (zeros_shape_arg, ((2, 3),)),
    (zeros_shape_arg, ((2, 3, 4),)), (empty_filled, (10,)), (empty_filled, (0,)), (empty_2d_filled, (3, 5)),
    (empty_f32_filled, (7,)), (empty_3d_int16, (4,)),
]


def _owns_its_memory(r):
    # Either NumPy owns the buffer, or the base is an opaque owner (dunnart's refcounted
    # handle), never a view into some other array.
    return r.flags.owndata or (r.base is not None and not isinstance(r.base, np.ndarray))


@pytest.mark.parametrize("f,args", CREATORS, ids=lambda v: v.py_func.__name__ if hasattr(v, "py_func") else str(v))
def test_creation(check, f, args):
    r = check(f, *args)
    assert type(r) is np.ndarray
    assert r.flags.writeable and r.flags.c_contiguous and r.flags.aligned
    assert _owns_its_memory(r), (r.flags, type(r.base))
    if r.size:
        r.flat[0] = r.flat[-1]  # writeable in fact


def test_creation_from_argument_shape(check):
    for layout in ("C", "F", "strided"):
        check(zeros_like_shape, make_array(np.float64, (3, 4), layout))


def test_returned_arrays_are_independent_and_survive():
    r1 = empty_2d_filled(4, 5)
    expected = empty_2d_filled.py_func(4, 5)
    r2 = empty_2d_filled(4, 5)
    assert not np.shares_memory(r1, r2)
    r2[:] = -1.0
    np.testing.assert_array_equal(r1, expected)
    # churn the allocator and the collector; r1 must keep its memory and values
    for n in range(1, 50):
        empty_2d_filled(n, 7)
        zeros_tuple_i32(n, n)
    gc.collect()
    np.testing.assert_array_equal(r1, expected)
    r1 += 1.0
    np.testing.assert_array_equal(r1, expected + 1.0)


def test_returned_array_outlives_everything_else():
    views = [empty_filled(1000)[::3] for _ in range(5)]
    gc.collect()
    expected = empty_filled.py_func(1000)[::3]
    for v in views:
        np.testing.assert_array_equal(v, expected)


@njit
def identity(a):
    return a


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed", "readonly"])
def test_returning_an_argument_shares_its_memory(layout):
    a = make_array(np.float64, (3, 4), layout)
    r = identity(a)
    assert type(r) is np.ndarray
    assert np.shares_memory(r, a)
    assert r.shape == a.shape and r.strides == a.strides
    np.testing.assert_array_equal(r, a)
    assert r.flags.writeable == a.flags.writeable


def test_returned_argument_keeps_input_alive():
    r = identity(np.arange(6.0).reshape(2, 3))
    gc.collect()
    for _ in range(20):
        np.ones(1000)
    np.testing.assert_array_equal(r, np.arange(6.0).reshape(2, 3))


@njit
def make_big(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i
    return a


@njit
def temp_sum(n):
    t = np.ones(n)
    s = 0.0
    for i in range(n):
        s += t[i]
    return s


def test_returned_arrays_are_freed():
    make_big(10)
    gc.collect()
    before = rss_bytes()
    for _ in range(60):
        r = make_big(2_000_000)  # 16 MB each, ~1 GB if leaked
        assert r[-1] == 1_999_999.0
        del r
    gc.collect()
    grown = rss_bytes() - before
    assert grown < 300 * 2**20, f"resident memory grew by {grown / 2**20:.0f} MiB"


def test_temporary_arrays_are_freed():
    temp_sum(10)
    gc.collect()
    before = rss_bytes()
    for _ in range(60):
        assert temp_sum(2_000_000) == 2_000_000.0
    gc.collect()
    grown = rss_bytes() - before
    assert grown < 300 * 2**20, f"resident memory grew by {grown / 2**20:.0f} MiB"


def test_arguments_are_not_leaked_or_freed():
    import sys
    a = np.arange(10.0)
    before = sys.getrefcount(a)
    for _ in range(100):
        red_sum(a)
        identity(a)
    gc.collect()
    assert sys.getrefcount(a) == before
    np.testing.assert_array_equal(a, np.arange(10.0))


@pytest.mark.parametrize("expr", ["m.nbytes", "m.strides", "m.T.strides", "m[:, None].strides", "m[::2, 1:].strides",
                                  "m.astype(np.int32).nbytes", "m[1].strides", "m[:0].nbytes"])
def test_nbytes_and_strides_are_numpys(expr):
    scope = {"np": np}
    exec(f"def f(m):\n    return {expr}\n", scope)
    m = np.arange(12.0).reshape(3, 4)
    assert njit(scope["f"])(m) == scope["f"](m)


def test_fill_and_item_are_numpys():
    def filled(m, v):
        x = m.copy()
        x.fill(v)
        y = m[::2].T.copy()
        y.fill(-1)
        return x, y

    def items(m):
        return m[:1, :1].item(), m.item(5), m.item(1, 2), m.T.item(5), m.item(-1), m[1:2, 2:3].astype(np.int32).item()
    m = np.arange(12.0).reshape(3, 4)
    for got, want in zip(njit(filled)(m, 7), filled(m, 7)):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype
    assert njit(items)(m) == items(m)
    with pytest.raises(ValueError, match="can only convert an array of size 1 to a Python scalar"):
        njit(lambda m: m.item())(m)
    with pytest.raises(IndexError):
        njit(lambda m: m.item(12))(m)

    @njit
    def list_sort_unchanged(x):
        x.sort()
        return x
    assert list_sort_unchanged([3, 1, 2]) == [1, 2, 3]
