"""Issue 13, NumPy's ufuncs that are Python's operators (np.add ... np.greater_equal, as the
frontend's operators with NumPy's semantics on scalars too: no ZeroDivisionError), degrees
and radians, the complex parts (real imag conj conjugate), fmod of floats and integers,
nextafter, fix, signbit, and the helpers reciprocal, heaviside and ldexp: against NumPy."""
import numpy as np
import pytest
from numpy import add as imported_add

from dunnart import njit

F = np.array([1.5, -2.0, -0.0, 0.0, np.nan, np.inf, 7.25])
G = np.array([2.0, 0.0, -1.0, 3.0, 1.0, -np.inf, 0.5])
I = np.array([7, -7, 5, 0, 12, -3, 1])
J = np.array([2, 3, -1, 4, 0, 5, 2])
Z = np.array([1 + 2j, 3 - 1j, -0.0 - 0.0j, 2.5j])
F32 = F.astype(np.float32)

CASES = [
    ("arithmetic", lambda a, b: (np.add(a, b), np.subtract(a, b), np.multiply(a, b), np.divide(a, b),
                                 np.true_divide(a, b), np.floor_divide(a, b), np.mod(a, b), np.remainder(a, b),
                                 np.divmod(a, b)), [(F, G), (I, J), (F32, np.float32(2.5)), (I, 2.5), (I[0], J[4])]),
    ("scalars divide as NumPy", lambda a, b: (np.divide(a, b), np.floor_divide(a, b), np.mod(a, b)),
     [(1.0, 0.0), (-1.0, 0.0), (7, 0), (0.0, 0.0)]),
    ("comparisons", lambda a, b: (np.equal(a, b), np.not_equal(a, b), np.less(a, b), np.less_equal(a, b),
                                  np.greater(a, b), np.greater_equal(a, b)), [(F, G), (I, J), (I, 3)]),
    ("bitwise", lambda a, b: (np.bitwise_and(a, b), np.bitwise_or(a, b), np.bitwise_xor(a, b), np.left_shift(a, 2),
                              np.right_shift(a, 1), np.invert(a), np.bitwise_not(a)), [(I, J), (I > 0, J > 0)]),
    ("unary", lambda a: (np.negative(a), np.positive(a)), [(F,), (I,), (Z,), (F32,)]),
    ("degrees radians", lambda a: (np.degrees(a), np.rad2deg(a), np.radians(a), np.deg2rad(a)), [(F,), (I,), (F32,)]),
    ("complex parts", lambda z: (np.real(z), np.imag(z), np.conj(z), np.conjugate(z), np.sum(np.conj(z) * z)),
     [(Z,), (F,), (I,), (Z.astype(np.complex64),)]),
    ("complex parts of scalars", lambda z: (np.real(z), np.imag(z), np.conj(z), np.conjugate(z)), [(2 - 3j,), (1.5,), (3,)]),
    ("fmod", lambda a, b: np.fmod(a, b), [(F, G), (I, J), (I, 3), (F32, np.float32(0.7)), (-7, 2), (I.astype(np.uint8), 3)]),
    ("nextafter fix signbit", lambda a, b: (np.nextafter(a, b), np.fix(a), np.signbit(a)), [(F, G), (F32, F32[::-1])]),
    ("fix of ints", lambda a: (np.fix(a), np.signbit(a)), [(I,)]),
    ("reciprocal", lambda a: np.reciprocal(a), [(F,), (F32,), (Z,), (np.array([1, -1, 2, 5]),), (4.0,)]),
    ("heaviside", lambda a, b: np.heaviside(a, b), [(F, 0.5), (I, 3), (F, G)]),
    ("ldexp", lambda a, b: np.ldexp(a, b), [(F, J), (3, 2), (F32, 3)]),
    ("imported", lambda a, b: imported_add(a, b), [(F, G)]),
    ("fused with a reduction", lambda a, b: np.sum(np.multiply(np.subtract(a, b), np.degrees(a))), [(F[:4], G[:4])]),
]


def flat(x):
    return x if isinstance(x, tuple) else (x,)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name,fn,arg_sets", CASES, ids=[c[0] for c in CASES])
def test_ufunc_forms_match_numpy(name, fn, arg_sets):
    compiled = njit(fn)
    for args in arg_sets:
        with np.errstate(all="ignore"):
            want = flat(fn(*args))
        got = flat(compiled(*args))
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert np.asarray(g).dtype == np.asarray(w).dtype, (name, args, g, w)
            np.testing.assert_array_equal(g, w)
            if np.asarray(w).dtype.kind == "f":  # signed zeros too
                assert np.array_equal(np.signbit(g), np.signbit(w))


def test_python_operators_still_raise_where_python_does():
    with pytest.raises(ZeroDivisionError):
        njit(lambda a, b: a / b)(1.0, 0.0)
    with pytest.raises(ZeroDivisionError):
        njit(lambda a, b: a // b)(7, 0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_float_remainder_is_numpys_to_the_bit(dtype):
    """% and np.mod of floats inline around fmod (in the operands' precision): signs of
    zero remainders, infinities, NaNs and b == 0 as NumPy's."""
    vals = np.array([0.0, -0.0, 1.5, -1.5, 7.0, -7.0, 1e30, -1e-30, np.inf, -np.inf, np.nan, 2.5, -2.5], dtype)
    a, b = (m.ravel() for m in np.meshgrid(vals, vals))
    mod, rem = njit(lambda x, y: np.mod(x, y)), njit(lambda x, y: x % y)
    with np.errstate(all="ignore"):
        want = np.mod(a, b)
    bits = np.uint64 if dtype == np.float64 else np.uint32
    for got in (mod(a, b), rem(a, b)):
        assert got.dtype == want.dtype
        assert ((got.view(bits) == want.view(bits)) | (np.isnan(got) & np.isnan(want))).all()
    scalar = njit(lambda x, y: x % y)
    for x, y in ((7.5, -2.0), (-0.0, 3.0), (-7.0, 2.5), (1e300, -1e-300)):
        assert repr(scalar(x, y)) == repr(x % y)
