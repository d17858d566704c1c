"""Issue 11, dtypes as values: NumPy scalar types (np.float32), np.dtype(...) and Python's
int/float/complex/bool passed as arguments (compile-time values: one compilation per dtype),
used wherever NumPy takes a dtype, called to convert, compared; a.dtype's attributes
(itemsize, kind, name, type) as constants. Each case runs under CPython too."""
import numpy as np
import pytest

from dunnart import njit


def make_like(a, t):
    b = np.zeros(3, t)
    c = np.empty((2, 2), dtype=t)
    return b, c.shape, a.astype(t), b.dtype.name, b.dtype.kind, b.dtype.itemsize, t == np.float32


def convert(t, x):
    return t(x)


def describe(a):
    return (a.dtype.kind, a.dtype.name, a.dtype.itemsize, np.zeros(2, a.dtype.type).dtype.itemsize,
            np.ones(2, dtype=a.dtype).size)


def check(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        if isinstance(w, np.ndarray):
            assert g.dtype == w.dtype and np.array_equal(g, w)
        else:
            assert g == w and type(g) is type(w)


@pytest.mark.parametrize("t", [np.float32, np.dtype("int16"), float, int, complex, bool, np.uint8,
                               np.complex64, np.dtype(np.float64)])
def test_dtype_arguments(t):
    a = np.arange(4.0)
    check(njit(make_like)(a, t), make_like(a, t))


@pytest.mark.parametrize("t,x", [(np.float32, 2.7), (float, 3), (int, 2.9), (np.uint8, 7), (np.complex64, 1.5),
                                 (bool, 2)])
def test_scalar_types_passed_then_called(t, x):
    got, want = njit(convert)(t, x), convert(t, x)
    assert got == want and type(got) is type(want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.uint16, np.int64, np.bool_, np.complex128])
def test_dtype_attributes_are_numpys(dtype):
    a = np.zeros(3, dtype)
    check(njit(describe)(a), describe(a))


def test_one_compilation_per_dtype_passed():
    f = njit(make_like)
    a = np.ones(2)
    f(a, np.float32), f(a, np.float32), f(a, np.int32), f(a, np.dtype("float32"))
    assert len(f.signatures) == 2   # np.dtype("float32") is np.float32's dtype


def test_a_dtype_dunnart_has_no_scalar_for_is_refused():
    with pytest.raises(TypeError, match=r"not supported"):
        njit(make_like)(np.ones(2), np.float16)
