"""Dispatch: eager compilation from explicit signatures, lazy compilation once per new
argument-type combination, the dispatcher's attributes and the decorator's options."""
import numpy as np
import pytest

import dunnart
from dunnart import jit, njit


def _add(a, b):
    return a + b


def _total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def _total2(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * (i + 1)
    return s


# ------------------------------------------------------------------ eager signatures

def test_eager_signature_compiles_before_first_call(check):
    f = njit("int64(int64, int64)")(_add)
    assert len(f.signatures) == 1
    assert f.stats["compiles"] == 1
    assert f.py_func is _add
    check(f, 2, 3)
    check(f, -2**40, 7)
    assert f.stats["compiles"] == 1
    assert len(f.signatures) == 1


def test_eager_signature_counts_hits(check):
    f = njit("float64(float64, float64)")(_add)
    h0 = f.stats["hits"]
    for k in range(3):
        check(f, 1.5, float(k))
    assert f.stats["hits"] - h0 == 3
    assert f.stats["compiles"] == 1


@pytest.mark.parametrize("sig,arg", [
    ("float64(float64[:])", np.arange(5.0)),
    ("float64(float64[::1])", np.arange(5.0)),
    ("float64(float64[:])", np.arange(10.0)[::2]),
    ("float64(int32[:])", np.arange(5, dtype=np.int32)),
])
def test_eager_array_signature_1d(check, sig, arg):
    f = njit(sig)(_total)
    assert len(f.signatures) == 1 and f.stats["compiles"] == 1
    check(f, arg)
    assert f.stats["compiles"] == 1


@pytest.mark.parametrize("sig,arg", [
    ("float64(float64[:, ::1])", np.arange(12.0).reshape(3, 4)),
    ("float64(float64[::1, :])", np.asfortranarray(np.arange(12.0).reshape(3, 4))),
    ("float64(float64[:, :])", np.arange(24.0).reshape(3, 8)[:, ::2]),
    ("float64(float64[:, :])", np.arange(12.0).reshape(3, 4)),
])
def test_eager_array_signature_2d(check, sig, arg):
    f = njit(sig)(_total2)
    assert len(f.signatures) == 1 and f.stats["compiles"] == 1
    check(f, arg)
    assert f.stats["compiles"] == 1


def test_eager_signature_return_type_is_applied():
    f = njit("float64(int64)")(lambda x: x * 2)
    r = f(3)
    assert isinstance(r, float) and r == 6.0


def test_eager_narrow_signature():
    f = njit("int32(int32, int32)")(_add)
    r = f(np.int32(20), np.int32(22))
    assert r == 42 and isinstance(r, (int, np.integer))


def test_eager_int_argument_for_float_signature():
    # int -> float64 is a safe conversion; Numba accepts it without compiling again
    f = njit("float64(float64, float64)")(_add)
    r = f(1, 2)
    assert isinstance(r, float) and r == 3.0
    assert f.stats["compiles"] == 1


def test_list_of_signatures():
    f = njit(["int64(int64, int64)", "float64(float64, float64)"])(_add)
    assert len(f.signatures) == 2
    assert f.stats["compiles"] == 2
    r1 = f(2, 3)
    r2 = f(2.5, 0.25)
    assert r1 == 5 and isinstance(r1, (int, np.integer)) and not isinstance(r1, bool)
    assert r2 == 2.75 and isinstance(r2, float)
    assert f.stats["compiles"] == 2


@pytest.mark.parametrize("sig,fn,bad", [
    ("float64(float64[:])", _total, np.arange(5, dtype=np.int64)),            # wrong dtype
    ("float64(float64[:])", _total, np.arange(6.0).reshape(2, 3)),            # wrong ndim
    ("float64(float64[::1])", _total, np.arange(10.0)[::2]),                  # not contiguous
    ("float64(float64[:, ::1])", _total2, np.asfortranarray(np.ones((3, 4)))),  # F for C
    ("float64(float64[:])", _total, 3.0),                                     # scalar for array
    ("float64(float64[:])", _total, "abc"),                                   # str
    ("float64(float64[:])", _total, [1.0, 2.0]),                              # list
])
def test_eager_signature_mismatch_raises_type_error(sig, fn, bad):
    f = njit(sig)(fn)
    with pytest.raises(TypeError):
        f(bad)
    assert f.stats["compiles"] == 1
    assert len(f.signatures) == 1


def test_eager_scalar_signature_rejects_array():
    f = njit("int64(int64, int64)")(_add)
    with pytest.raises(TypeError):
        f(np.arange(3), 1)
    with pytest.raises(TypeError):
        f(1, (1, 2))
    assert f.stats["compiles"] == 1


def test_eager_signature_wrong_argument_count():
    f = njit("int64(int64, int64)")(_add)
    with pytest.raises(TypeError):
        f(1)
    with pytest.raises(TypeError):
        f(1, 2, 3)


# ------------------------------------------------------------------ lazy compilation

def test_lazy_compiles_once_per_type_combination(check):
    f = njit(_add)
    assert len(f.signatures) == 0 and f.stats["compiles"] == 0
    check(f, 1, 2)
    check(f, 3, 4)
    assert f.stats["compiles"] == 1
    check(f, 1.5, 2.5)
    assert f.stats["compiles"] == 2
    assert len(f.signatures) == 2
    check(f, 7, 8)
    check(f, 0.5, 0.5)
    assert f.stats["compiles"] == 2
    check(f, 1, 2.5)  # (int64, float64) is new
    assert f.stats["compiles"] == 3
    assert len(f.signatures) == 3


def test_lazy_hits_counted():
    f = njit(_add)
    f(1, 2)
    h0 = f.stats["hits"]
    for _ in range(5):
        f(3, 4)
    assert f.stats["hits"] - h0 == 5
    assert f.stats["compiles"] == 1


def test_bool_and_int_are_different_types(check):
    f = njit(lambda x: x + 1)
    check(f, 1)
    check(f, True)
    assert f.stats["compiles"] == 2


def test_numpy_scalar_types_are_distinct(check):
    f = njit(lambda x: x * 2)
    check(f, np.int32(3))
    check(f, np.int64(3))
    check(f, np.float32(1.5))
    check(f, 1.5)
    assert f.stats["compiles"] == 4
    check(f, np.int32(5))
    assert f.stats["compiles"] == 4


def test_array_layouts_and_dtypes_dispatch(check):
    f = njit(_total2)
    c = np.arange(12.0).reshape(3, 4)
    fo = np.asfortranarray(c)
    a = np.arange(24.0).reshape(3, 8)[:, ::2]
    for arr in (c, fo, a):
        check(f, arr)
    assert f.stats["compiles"] == 3
    for arr in (c, fo, a, c):
        check(f, arr)
    assert f.stats["compiles"] == 3
    check(f, np.arange(12, dtype=np.int32).reshape(3, 4))
    assert f.stats["compiles"] == 4
    assert len(f.signatures) == 4


def test_readonly_array_is_its_own_type(check):
    f = njit(_total)
    w = np.arange(5.0)
    r = np.arange(5.0)
    r.setflags(write=False)
    check(f, w)
    check(f, r)
    check(f, w)
    assert f.stats["compiles"] == 2


def test_tuple_argument_types_dispatch(check):
    f = njit(lambda t: t[0] + t[1])
    check(f, (1, 2))
    check(f, (1, 2.5))
    check(f, (3, 4))
    assert f.stats["compiles"] == 2


# ------------------------------------------------------------------ dispatcher attributes

def test_py_func_is_the_original():
    def g(x):
        return x - 1
    f = njit(g)
    assert f.py_func is g
    assert f.py_func(5) == 4


def test_inspect_llvm_and_asm():
    f = njit(_add)
    f(1, 2)
    f(1.0, 2.0)
    llvm = f.inspect_llvm()
    assert isinstance(llvm, dict) and len(llvm) == 2
    for text in llvm.values():
        assert isinstance(text, str) and "define" in text
    asm = f.inspect_asm()
    assert isinstance(asm, dict) and len(asm) == 2
    for text in asm.values():
        assert isinstance(text, str) and "ret" in text


def test_inspect_llvm_eager():
    f = njit("float64(float64)")(lambda x: x * 2.0)
    llvm = f.inspect_llvm()
    assert len(llvm) == 1
    text = next(iter(llvm.values()))
    assert "define" in text and ("fmul" in text or "fadd" in text)


def test_stats_shape():
    f = njit(_add)
    assert isinstance(f.stats, dict)
    assert f.stats["compiles"] == 0 and f.stats["hits"] == 0
    f(1, 1)
    assert f.stats["compiles"] == 1


# ------------------------------------------------------------------ decorator forms and options

def test_decorator_forms(check):
    @njit
    def a(x):
        return x + 1

    @njit()
    def b(x):
        return x + 2

    @njit(boundscheck=True, fastmath=False, error_model="python", cache=False)
    def c(x):
        return x + 3

    @jit(nopython=True)
    def d(x):
        return x + 4

    @jit
    def e(x):
        return x + 5

    for f, k in ((a, 1), (b, 2), (c, 3), (d, 4), (e, 5)):
        assert check(f, 10) == 10 + k


def test_jit_nopython_compiles_natively():
    @jit(nopython=True)
    def f(x):
        return x * 2

    assert f(21) == 42
    assert f.stats["compiles"] == 1
    assert f.inspect_llvm()


def test_fastmath_result_close(check):
    @njit(fastmath=True)
    def dot(a, b):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * b[i]
        return s

    x = np.linspace(0.5, 2.0, 1001)
    y = np.linspace(1.0, 3.0, 1001)
    check(dot, x, y, rtol=1e-9)


def test_error_model_numpy_float_division():
    @njit(error_model="numpy")
    def div(a, b):
        return a / b

    assert div(1.0, 0.0) == np.inf
    assert div(-1.0, 0.0) == -np.inf
    assert np.isnan(div(0.0, 0.0))
    assert div(3.0, 2.0) == 1.5


def test_prange_exported():
    from dunnart import prange
    assert list(prange(4)) == [0, 1, 2, 3]
    assert list(prange(1, 7, 2)) == [1, 3, 5]


def test_exception_classes():
    assert issubclass(dunnart.TypingError, Exception)
    assert issubclass(dunnart.UnsupportedError, Exception)
    assert dunnart.TypingError is not dunnart.UnsupportedError
