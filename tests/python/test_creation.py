"""NumPy array creation in nopython mode (issue 3): np.full, empty_like/zeros_like/
ones_like/full_like, arange, linspace, eye/identity, np.array/np.asarray of tuples and
arrays. Results must equal NumPy's: dtype, shape, and values bit for bit (arange and
linspace follow NumPy's own formulas), for several dtypes and shapes, empty ones included;
bad input raises NumPy's exception (or UnsupportedError/TypingError at compile time)."""
import math

import numpy as np
import pytest

from numpy import arange as imported_arange, full as imported_full

import dunnart
from dunnart import TypingError, UnsupportedError, njit

from jitcheck import DTYPES, LAYOUTS_ND, make_array

dtype_id = lambda d: np.dtype(d).name  # noqa: E731


def assert_exact(got, expected):
    """Same type, dtype, shape and bit-identical values (NaN equal to NaN)."""
    assert type(got) is np.ndarray, type(got)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    assert got.flags.c_contiguous and got.flags.writeable
    if got.dtype.kind in "fc":
        np.testing.assert_array_equal(got, expected, strict=True)
        assert np.array_equal(np.signbit(got.real), np.signbit(expected.real))
    else:
        np.testing.assert_array_equal(got, expected, strict=True)


def exact(f, *args):
    got = f(*args)
    expected = f.py_func(*args)
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_exact(g, e)
    else:
        assert_exact(got, expected)
    return got


# ------------------------------------------------------------------ np.full


@njit
def full_default(shape, v):
    return np.full(shape, v)


@njit
def full_f32_positional(n, v):
    return np.full(n, v, np.float32)


@njit
def full_kw(n, m, v):
    return np.full(shape=(n, m), fill_value=v, dtype=np.int16)


@pytest.mark.parametrize("v", [7, -3, 2.5, -0.0, True, False, 1 + 2j, np.float32(1.25), np.int8(-4),
                               np.uint16(9), math.inf, math.nan], ids=repr)
@pytest.mark.parametrize("shape", [5, 0, (3, 4), (2, 0), (0, 3), (2, 3, 4), ()], ids=str)
def test_full_dtype_from_fill_value(v, shape):
    exact(full_default, shape, v)


@pytest.mark.parametrize("v", [3, 2.7, -2.7, True])
def test_full_with_dtype(v):
    exact(full_f32_positional, 6, v)
    exact(full_kw, 2, 3, v)
    exact(full_kw, 0, 3, v)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_full_every_dtype(dtype):
    f = njit(lambda n, v: np.full((n, 3), v, dtype=dtype))
    for n in (0, 1, 17):
        assert_exact(f(n, 1), np.full((n, 3), 1, dtype=dtype))
        assert_exact(f(n, 0), np.full((n, 3), 0, dtype=dtype))


# ------------------------------------------------------------------ *_like


@njit
def likes(a):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, 3), np.empty_like(a)


@njit
def likes_dtype(a, v):
    return (np.zeros_like(a, dtype=np.float32), np.ones_like(a, np.int8),
            np.full_like(a, v, dtype=np.float64), np.empty_like(a, dtype=np.complex128))


@pytest.mark.parametrize("layout", LAYOUTS_ND)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_like_keeps_shape_and_dtype(dtype, layout):
    for shape in [(3, 4), (0, 4), (2, 3, 5)]:
        if layout != "C" and 0 in shape:
            continue  # strided/F views of empty arrays are just empty arrays
        a = make_array(dtype, shape, layout)
        z, o, f, e = likes(a)
        ez, eo, ef, ee = likes.py_func(a)
        assert_exact(z, ez)
        assert_exact(o, eo)
        assert_exact(f, ef)
        assert e.dtype == ee.dtype and e.shape == ee.shape
        assert e.flags.c_contiguous and e.flags.writeable  # even from a read-only input


def test_like_with_dtype():
    for a in (make_array(np.int32, (4, 2)), make_array(np.float64, 5), np.zeros((0,), np.uint8)):
        got = likes_dtype(a, 2.5)
        expected = likes_dtype.py_func(a, 2.5)
        for g, e in zip(got[:3], expected[:3]):
            assert_exact(g, e)
        assert got[3].dtype == expected[3].dtype and got[3].shape == expected[3].shape


@njit
def full_like_converts(a, v):
    return np.full_like(a, v)


def test_full_like_converts_the_value_like_numpy():
    # float -> int truncates toward zero, as NumPy's unsafe cast does
    for v in (2.9, -2.9, 0.5, True):
        exact(full_like_converts, np.zeros(3, np.int32), v)
        exact(full_like_converts, np.zeros((2, 2), np.int8), v)
        exact(full_like_converts, np.zeros(3, np.bool_), v)
        exact(full_like_converts, np.zeros(2, np.float32), v)
    exact(full_like_converts, np.zeros((2, 2), np.uint8)[:, :1], 2.9)
    exact(full_like_converts, np.zeros(2, np.complex128), 1 - 2j)


@njit
def like_used_in_a_loop(a):
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2
    return out


def test_like_result_is_usable():
    exact(like_used_in_a_loop, np.arange(7.0))
    exact(like_used_in_a_loop, np.arange(0, dtype=np.int16))


# ------------------------------------------------------------------ arange


@njit
def arange1(stop):
    return np.arange(stop)


@njit
def arange2(start, stop):
    return np.arange(start, stop)


@njit
def arange3(start, stop, step):
    return np.arange(start, stop, step)


@njit
def arange_kw(stop, step):
    return np.arange(stop, step=step)


@njit
def arange_all_kw(a, b, c):
    return np.arange(start=a, stop=b, step=c)


@njit
def arange_stop_kw(b):
    return np.arange(stop=b)


INT_RANGES = [(0, 10, 1), (10, 0, -1), (3, 17, 4), (-5, 5, 3), (5, -5, -3), (7, 7, 1), (7, 3, 2),
              (0, 1, 10), (-(2**62), 2**62, 2**61), (2**62, -(2**62), -(2**61)),
              (-(2**63), 2**63 - 1, 2**62), (2**63 - 1, -(2**63), -(2**62)), (0, 10, 2**63 - 1)]


@pytest.mark.parametrize("start,stop,step", INT_RANGES, ids=str)
def test_arange_ints(start, stop, step):
    exact(arange3, start, stop, step)
    exact(arange_all_kw, start, stop, step)
    if max(abs(start), abs(stop)) < 10**6:
        exact(arange2, start, stop)
        exact(arange1, stop)


FLOAT_RANGES = [(0.0, 1.0, 0.1), (0.1, 1.0, 0.1), (1.0, 0.0, -0.1), (0.0, 5.0, 0.5), (-1.5, 2.25, 0.75),
                (1e16, 1e16 + 10, 3.3), (0.0, 1.0, 0.3), (2.0, 2.0, 1.0), (3.0, 1.0, 1.0), (0.0, 1e-300, 1e-301),
                (-0.0, 3.0, 1.0), (0, 1, 0.125), (1, 2.5, 1)]


@pytest.mark.parametrize("start,stop,step", FLOAT_RANGES, ids=str)
def test_arange_floats(start, stop, step):
    exact(arange3, start, stop, step)
    exact(arange2, start, stop)
    if abs(stop) < 10**6:
        exact(arange_kw, stop, step)
        exact(arange1, stop)


def test_arange_numpy_scalars():
    exact(arange3, np.float32(0.1), 1, 0.1)
    exact(arange3, np.float32(0.1), np.float32(1), np.float32(0.1))
    exact(arange2, np.int32(3), 10)
    exact(arange1, np.uint8(5))
    exact(arange1, np.int8(7))
    exact(arange1, np.uint64(5))
    exact(arange2, True, 3)
    exact(arange_stop_kw, 4)
    exact(arange_stop_kw, 4.5)


def test_arange_random_floats_match_numpy_bit_for_bit():
    rng = np.random.default_rng(3)
    for _ in range(300):
        start, stop = rng.uniform(-100, 100, 2)
        step = rng.uniform(0.01, 10) * rng.choice([-1, 1])
        exact(arange3, float(start), float(stop), float(step))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.uint64, np.float32,
                                   np.float64, np.complex128], ids=dtype_id)
def test_arange_with_dtype(dtype):
    f = njit(lambda a, b, c: np.arange(a, b, c, dtype=dtype))
    g = njit(lambda n: np.arange(n, dtype=dtype))
    assert_exact(f(1, 20, 3), np.arange(1, 20, 3, dtype=dtype))
    assert_exact(f(0.5, 9.0, 1.5), np.arange(0.5, 9.0, 1.5, dtype=dtype))
    assert_exact(g(0), np.arange(0, dtype=dtype))
    assert_exact(g(9), np.arange(9, dtype=dtype))


def test_arange_with_a_fractional_step_and_an_integer_dtype_is_numpys():
    # NumPy converts start and start + step to the dtype first: delta = int(0.5) - 0 = 0
    f = njit(lambda: np.arange(0, 5, 0.5, dtype=np.int64))
    assert_exact(f(), np.arange(0, 5, 0.5, dtype=np.int64))


@njit
def arange_start_and_stop_kw(n):
    return np.arange(n, stop=4)


def test_arange_positional_start_with_stop_keyword():
    exact(arange_start_and_stop_kw, 1)
    exact(arange_start_and_stop_kw, 9)


@njit
def arange_sum(n):
    s = 0
    for x in np.arange(n):
        s += x
    return s


def test_arange_result_is_usable():
    assert arange_sum(100) == 4950
    assert arange_sum(0) == 0


# ------------------------------------------------------------------ linspace


@njit
def linspace_default(a, b):
    return np.linspace(a, b)


@njit
def linspace_num(a, b, n):
    return np.linspace(a, b, n)


@njit
def linspace_endpoint(a, b, n, endpoint):
    return np.linspace(a, b, num=n, endpoint=endpoint)


LINSPACES = [(0.0, 1.0), (1.0, 0.0), (-3, 7), (0.1, 0.7), (1.0, 1.0), (0.0, 1e-320), (-1e300, 1e300),
             (2.5, -1e-3), (0, 0), (np.float32(0), 1), (np.float32(0.1), np.float32(0.7))]


@pytest.mark.parametrize("a,b", LINSPACES, ids=str)
def test_linspace(a, b):
    exact(linspace_default, a, b)
    for n in (0, 1, 2, 3, 7, 100):
        exact(linspace_num, a, b, n)
        exact(linspace_endpoint, a, b, n, False)
        exact(linspace_endpoint, a, b, n, True)


def test_linspace_random_matches_numpy_bit_for_bit():
    rng = np.random.default_rng(4)
    for _ in range(200):
        a, b = (float(x) for x in rng.uniform(-1e3, 1e3, 2))
        n = int(rng.integers(0, 60))
        exact(linspace_endpoint, a, b, n, bool(rng.integers(0, 2)))


def test_linspace_infinite_span_is_numpys():
    with np.errstate(invalid="ignore"):
        exact(linspace_num, 0.0, math.inf, 1)
        exact(linspace_num, 0.0, math.inf, 3)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float32, np.bool_, np.complex128],
                         ids=dtype_id)
def test_linspace_with_dtype(dtype):
    f = njit(lambda a, b, n: np.linspace(a, b, n, dtype=dtype))
    for a, b, n in [(0, 10, 5), (-1, 1, 5), (0.0, 1.0, 11), (5, 0, 4), (0, 1, 0)]:
        if np.dtype(dtype).kind == "u" and min(a, b) < 0:
            continue
        assert_exact(f(a, b, n), np.linspace(a, b, n, dtype=dtype))


# ------------------------------------------------------------------ eye / identity


@njit
def eye1(n):
    return np.eye(n)


@njit
def eye3(n, m, k):
    return np.eye(n, m, k)


@njit
def eye_kw(n, k):
    return np.eye(n, k=k, dtype=np.int32)


@njit
def eye_none(n):
    return np.eye(n, None)


@njit
def identity(n):
    return np.identity(n)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_eye_square(n):
    exact(eye1, n)
    exact(eye_none, n)
    exact(identity, n)
    for k in (-5, -1, 0, 1, 3, 10):
        exact(eye_kw, n, k)


@pytest.mark.parametrize("n,m", [(3, 5), (5, 3), (0, 3), (3, 0), (1, 1)])
def test_eye_rectangular(n, m):
    for k in (-(2**63), -4, -1, 0, 1, 2, 4, 2**63 - 1):
        exact(eye3, n, m, k)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_eye_every_dtype(dtype):
    f = njit(lambda n: np.eye(n, n + 1, 1, dtype))
    g = njit(lambda n: np.identity(n, dtype=dtype))
    assert_exact(f(4), np.eye(4, 5, 1, dtype))
    assert_exact(g(3), np.identity(3, dtype=dtype))


# ------------------------------------------------------------------ np.array / np.asarray


@njit
def array3(x, y, z):
    return np.array((x, y, z))


@njit
def array_literal():
    return np.array((1, 2, 3)), np.array((1.5, 2)), np.array((True, False)), np.array(((1, 2), (3, 4.5)))


@njit
def array_dtype(x, y):
    return np.array((x, y), dtype=np.float32), np.array((x, y), np.int16), np.asarray((x, y), dtype=np.bool_)


@njit
def array_scalar(x):
    return np.array(x)


@njit
def array_empty():
    return np.array(()), np.array(((), ()))


@njit
def array_of_tuple_arg(t):
    return np.array(t), np.asarray(t)


@pytest.mark.parametrize("args", [
    (1, 2, 3), (1, 2.5, 3), (True, 2, 3), (True, False, True), (True, 2.5, 0), (1, 2 + 1j, 0),
    (np.float32(1), 2.0, 3), (np.float32(1), np.float32(2), np.float32(3)), (np.int8(1), 1000, 2),
    (np.int8(1), np.int8(2), np.int8(3)), (np.uint64(1), -1, 0), (np.float32(1), np.int64(2), 0),
    (np.uint8(200), np.int8(-1), True),
], ids=repr)
def test_array_of_scalars_promotes_like_numpy(args):
    exact(array3, *args)


def test_array_literals_and_dtypes():
    exact(array_literal)
    exact(array_dtype, 1, 2.5)
    exact(array_dtype, 0, -7)
    exact(array_empty)
    exact(array_of_tuple_arg, (1.0, 2.0, 3.0))
    exact(array_of_tuple_arg, ((1, 2, 3), (4, 5, 6)))
    exact(array_of_tuple_arg, ((1, 2.5), (3, 4)))


def test_array_of_a_scalar_is_0d():
    for x in (3.0, 7, True, 1 - 1j, np.float32(2)):
        r = array_scalar(x)
        assert_exact(r, np.array(x))
        assert r.ndim == 0


@njit
def asarray_of_array(a):
    return np.asarray(a)


@njit
def asarray_same_dtype(a):
    return np.asarray(a, dtype=np.float64)


@njit
def array_of_array(a):
    return np.array(a)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "readonly"])
def test_asarray_returns_the_array_and_array_copies(layout):
    a = make_array(np.float64, (3, 4), layout)
    r = asarray_of_array(a)
    assert np.shares_memory(r, a) and r.shape == a.shape and r.strides == a.strides
    assert r.flags.writeable == a.flags.writeable
    assert np.shares_memory(asarray_same_dtype(a), a)
    c = array_of_array(a)
    assert not np.shares_memory(c, a)
    assert_exact(c, np.array(a))


# ------------------------------------------------------------------ bad input


def compile_error(f, *args):
    with pytest.raises((TypingError, UnsupportedError)) as info:
        f(*args)
    return info


@pytest.mark.parametrize("src,bad,supported", [
    ("np.full(3, 1.0, order='C')", "order", "shape, fill_value, dtype"),
    ("np.zeros_like(a, order='C')", "order", "dtype"),
    ("np.empty_like(a, subok=False)", "subok", "dtype"),
    ("np.ones_like(a, shape=3)", "shape", "dtype"),
    ("np.full_like(a, 1, order='K')", "order", "fill_value, dtype"),
    ("np.arange(3, like=a)", "like", "start, stop, step, dtype"),
    ("np.linspace(0, 1, 5, retstep=True)", "retstep", "start, stop, num, endpoint, dtype"),
    ("np.linspace(0, 1, 5, axis=0)", "axis", "start, stop, num, endpoint, dtype"),
    ("np.eye(3, order='F')", "order", "N, M, k, dtype"),
    ("np.identity(3, like=a)", "like", "n, dtype"),
    ("np.array((1, 2), ndmin=2)", "ndmin", "dtype"),
    ("np.array((1, 2), copy=True)", "copy", "dtype"),
    ("np.asarray(a, order='C')", "order", "dtype"),
])
def test_unsupported_keyword_is_named_with_the_supported_ones(src, bad, supported):
    ns = {"np": np}
    exec(f"def f(a):\n    return {src}\n", ns)
    f = njit(ns["f"])
    with pytest.raises(UnsupportedError) as info:
        f(np.zeros(3))
    msg = str(info.value)
    assert f"unsupported keyword argument '{bad}'" in msg, msg
    assert f"supported keyword arguments: {supported}" in msg, msg


@pytest.mark.parametrize("f,args", [
    (full_default, (-1, 1.0)), (full_default, ((2, -3), 1)), (eye1, (-1,)), (eye3, (2, -1, 0)),
    (identity, (-2,)), (arange1, (-5,)),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_negative_sizes(f, args):
    if f is arange1:
        assert arange1(-5).shape == (0,)  # an empty range, as in NumPy
        return
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        f.py_func(*args)
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        f(*args)


def test_like_of_negative_shape_is_impossible_but_linspace_num_is_checked():
    with pytest.raises(ValueError, match="must be non-negative"):
        np.linspace(0, 1, -1)
    with pytest.raises(ValueError, match="must be non-negative"):
        linspace_num(0, 1, -1)


def test_arange_step_zero():
    with pytest.raises(ZeroDivisionError, match="^division by zero$"):
        arange3(0, 5, 0)
    with pytest.raises(ZeroDivisionError, match="^float division by zero$"):
        arange3(0.0, 5.0, 0.0)
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        arange3.py_func(0, 5, 0)


def test_arange_unbounded_length():
    for args in [(0.0, math.inf, 1.0), (0.0, 1.0, 1e-300), (-math.inf, 0.0, 1.0)]:
        with pytest.raises(ValueError, match="Maximum allowed size exceeded"):
            np.arange(*args)
        with pytest.raises(ValueError, match="Maximum allowed size exceeded"):
            arange3(*args)
    with pytest.raises(ValueError, match="arange: cannot compute length"):
        arange3(0.0, math.nan, 1.0)
    with pytest.raises(ValueError, match="arange: cannot compute length"):
        np.arange(0.0, math.nan, 1.0)
    with pytest.raises(ValueError, match="Maximum allowed size exceeded"):
        arange3(-(2**63), 2**63 - 1, 1)


@njit
def arange_start_only():
    return np.arange(start=5)


@njit
def full_complex_into_float():
    return np.full(3, 1 + 2j, dtype=np.float64)


@njit
def full_array_value(a):
    return np.full(3, a)


@njit
def full_bad_shape(x):
    return np.full(x, 1)


@njit
def full_bad_dtype(n):
    return np.full(n, 1, dtype=3)


@njit
def full_too_many(n):
    return np.full(n, 1, np.float64, 4)


@njit
def ragged():
    return np.array(((1, 2), (3,)))


@njit
def array_of_complex_as_float():
    return np.array((1 + 2j, 3), dtype=np.float64)


@njit
def array_converting(a):
    return np.array(a, dtype=np.float32)


@njit
def like_of_scalar(x):
    return np.zeros_like(x)


@njit
def linspace_float_num():
    return np.linspace(0, 1, 2.0)


@njit
def eye_float():
    return np.eye(2.5)


@njit
def arange_bool_dtype(n):
    return np.arange(n, dtype=np.bool_)


@njit
def arange_complex():
    return np.arange(1 + 2j)


@njit
def arange_twice(n):
    return np.arange(n, start=1)


@pytest.mark.parametrize("f,args,exc,pattern", [
    (arange_start_only, (), TypingError, r"arange\(\) missing required argument 'stop'"),
    (arange_twice, (3,), TypingError, r"multiple values for argument 'start'"),
    (full_complex_into_float, (), TypingError, r"cannot store a complex fill_value in an array of float64"),
    (full_array_value, (np.zeros(3),), UnsupportedError, r"array fill_value is not supported"),
    (full_bad_shape, (1.5,), TypingError, r"shape must be an integer or a tuple of integers, got float"),
    (full_bad_shape, ((1, 2.0),), TypingError, r"shape must be a tuple of integers"),
    (full_bad_dtype, (3,), TypingError, r"dtype must be a NumPy scalar type such as np.float64"),
    (full_too_many, (3,), TypingError, r"np.full\(\) takes at most 3 positional arguments, got 4"),
    (ragged, (), TypingError, r"items have different shapes"),
    (array_of_complex_as_float, (), TypingError, r"cannot store complex numbers in an array of float64"),
    (array_converting, (np.zeros(3),), UnsupportedError, r"astype\(float32\)"),
    (like_of_scalar, (3.0,), UnsupportedError, r"np.zeros_like\(\) of float is not supported"),
    (linspace_float_num, (), TypingError, r"num must be an integer, got float"),
    (eye_float, (), TypingError, r"N must be an integer, got float"),
    (arange_bool_dtype, (3,), UnsupportedError, r"dtype bool is not supported"),
    (arange_complex, (), UnsupportedError, r"complex stop is not supported"),
], ids=lambda v: getattr(v, "__name__", None) if callable(v) else None)
def test_bad_calls_are_compile_errors(f, args, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        f(*args)
    assert "test_creation.py" in str(info.value)  # located at the call


@njit
def through_imported_names(n):
    return imported_arange(n), imported_full(n, 2.0)


def test_functions_imported_by_name():
    exact(through_imported_names, 5)


@njit
def creations_in_expressions(n):
    x = np.linspace(0.0, 1.0, n)
    return np.sum(np.exp(x) * 2.0), np.arange(n) * 2 + np.ones_like(x), np.eye(n).sum()


def test_created_arrays_in_array_expressions(check):
    check(creations_in_expressions, 10)
    check(creations_in_expressions, 0)


# ------------------------------------------------------------------ code quality


def _vector_types(f):
    ir = "".join(f.inspect_llvm().values())
    return {t for t in ("x double>", "x float>", "x i64>", "x i32>") if t in ir}


def test_fill_loops_vectorise():
    f = njit(lambda n: np.full(n, 2.5))
    g = njit(lambda a, b, c: np.arange(a, b, c))
    h = njit(lambda n: np.arange(n))
    k = njit(lambda n: np.linspace(0.0, 1.0, n))
    for fn, args in ((f, (10,)), (g, (0.0, 1.0, 0.1)), (h, (10,)), (k, (10,))):
        fn(*args)
        assert _vector_types(fn), fn.py_func


def test_created_temporaries_are_freed():
    from jitcheck import rss_bytes
    import gc

    @njit
    def temp(n):
        a = np.arange(n)
        b = np.full(n, 2.0)
        c = np.linspace(0.0, 1.0, n)
        e = np.eye(8)
        return a[n - 1] + b[0] + c[n - 1] + e[0, 0]

    assert temp(10) == 9 + 2.0 + 1.0 + 1.0
    gc.collect()
    before = rss_bytes()
    for _ in range(40):
        assert temp(1_000_000) == 999_999 + 4.0
    gc.collect()
    grown = rss_bytes() - before
    assert grown < 200 * 2**20, f"resident memory grew by {grown / 2**20:.0f} MiB"


def test_dunnart_exposes_the_error_classes():
    assert issubclass(dunnart.UnsupportedError, Exception)


DTYPE_STRINGS = ["f8", "float64", "<f4", "float32", "i4", "int32", "=i8", "int", "float", "complex", "c8",
                 "complex128", "?", "bool", "u1", "|u1", "uint16", "i2", "b", "d", "l"]


@pytest.mark.parametrize("name", DTYPE_STRINGS)
def test_dtype_strings_as_numpy_reads_them(name):
    """np.zeros(n, "f8") and the rest take dtype strings as NumPy does."""
    def check(f, *args):
        expected, got = f(*args), njit(f)(*args)
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype

    check(lambda n: np.zeros(n, name), 3)
    check(lambda n: np.ones((n, 2), dtype=name), 3)
    check(lambda n: np.full(n, 1, name), 3)
    check(lambda n: np.empty(n, name).shape[0] + np.zeros(0, name), 3)
    check(lambda a: a.astype(name), np.arange(4.0))
    check(lambda a: np.zeros_like(a, dtype=name), np.arange(4))
    if np.dtype(name).kind != "b":  # NumPy refuses a bool arange longer than 2
        check(lambda n: np.arange(0, n, 1, name), 3)


def test_dtype_objects_as_globals():
    DT = np.dtype("f4")
    check = njit(lambda n: np.zeros(n, DT))
    assert check(2).dtype == np.float32


def test_dtype_string_unknown_says_what_is_taken():
    with pytest.raises(dunnart.TypingError, match=r'a name of one \("f8"\), got str'):
        njit(lambda n: np.zeros(n, "f2"))(3)
    with pytest.raises(dunnart.TypingError, match=r'a name of one'):
        njit(lambda a: a.astype("U4"))(np.zeros(3))
