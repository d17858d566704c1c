"""Issue 11: branches whose condition is known while compiling are pruned before their code
is typed: `x is None` / `x is not None` for an argument that is None or not, comparisons
of `a.ndim` with constants, constants, and `not` of those. The branch that cannot run may
hold code that does not type for these arguments (np.empty_like(None), a.sum(axis=1) of a
1-d array). Results are compared with plain Python running the same function."""
import numpy as np
import pytest

from dunnart import TypingError, njit


def scale(a, out=None):
    if out is None:
        out = np.empty_like(a)
    out[:] = a * 2.0
    return out


def early_return(x, out=None):
    # `out is None` of an array once typed as an array of bools (an internal error).
    if out is None:
        return x
    out[0] = x
    return out[0] + 1.0


@pytest.mark.parametrize("out", [None, np.zeros(1)], ids=["None", "array"])
def test_is_none_of_an_array_is_one_bool(out):
    want_out = None if out is None else out.copy()
    assert njit(early_return)(2.0, out) == early_return(2.0, want_out)
    if out is not None:
        np.testing.assert_array_equal(out, want_out)


def by_rank(a):
    if a.ndim == 2:
        return a.sum(axis=1)
    return a * 1.0


def not_rank(a):
    if not (a.ndim > 1):
        return a[0] + 0.0
    return a[0, 0] + 0.0


def optional_offset(a, offset=None):
    if offset is not None:
        return a + offset
    return a.copy()


@pytest.mark.parametrize("args", [
    (np.arange(4.0),),
    (np.arange(4.0), np.zeros(4)),
], ids=["out=None", "out given"])
def test_out_none_default(args):
    got = njit(scale)(*[a.copy() for a in args])
    np.testing.assert_array_equal(got, scale(*[a.copy() for a in args]))


def test_out_given_is_written():
    out = np.zeros(3)
    r = njit(scale)(np.ones(3), out)
    assert r is not None and np.array_equal(out, [2.0, 2.0, 2.0])


@pytest.mark.parametrize("a", [np.arange(6.0).reshape(2, 3), np.arange(3.0)], ids=["2d", "1d"])
def test_rank_branches(a):
    np.testing.assert_array_equal(njit(by_rank)(a), by_rank(a))
    assert njit(not_rank)(a) == not_rank(a)


@pytest.mark.parametrize("offset", [None, 1.5], ids=["None", "float"])
def test_is_not_none(offset):
    a = np.arange(3.0)
    np.testing.assert_array_equal(njit(optional_offset)(a, offset), optional_offset(a, offset))


def test_runtime_conditions_still_type_both_branches():
    def f(a, k):
        if k > 0:
            return a[0, 0]  # too many indices for a 1-d array: an error on this live path
        return a.sum()

    with pytest.raises(TypingError):
        njit(f)(np.arange(3.0), 1)


# ---- dtypes as values (a.dtype), and branches on them


def zeros_like_dtype(a):
    return np.zeros(3, dtype=a.dtype)


def cast_like(a, b):
    return a.astype(b.dtype)


def by_dtype(a):
    if a.dtype == np.float32:
        return a.sum() * 2  # float32 only
    if a.dtype != np.float64:
        return a.sum() * 3
    return a.sum() + 0.0


def sizes(a):
    return a.itemsize, a.dtype.itemsize, np.empty(2, a.dtype).dtype == a.dtype


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.int16, np.uint8, np.complex64, np.bool_])
def test_dtype_values(dt):
    a = np.ones(4, dtype=dt)
    for fn, args in [(zeros_like_dtype, (a,)), (cast_like, (np.arange(3.0), a)), (sizes, (a,))]:
        got, want = njit(fn)(*args), fn(*args)
        if isinstance(want, np.ndarray):
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)
        else:
            assert got == want


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.int32])
def test_dtype_branches(dt):
    a = np.arange(4, dtype=dt)
    assert njit(by_dtype)(a) == by_dtype(a)
