"""Issue 3: NumPy ufuncs called as functions in nopython mode, on arrays (several dtypes,
layouts, empty and 0-d) and on scalars, compared with NumPy running the same function:
values (NaN, inf and signed zeros included) and result dtypes (int32 -> float64 for exp,
int32 stays int32 for abs/sign/square/floor, float32 stays float32).

Ufuncs are grouped into one jitted function per family (each returns a tuple) so that the
suite compiles few functions; a failure names the ufunc."""
import numpy as np
import pytest

from dunnart import njit

from test_numpy_helpers import pid, rand, reference, same

SPECIALS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, np.inf, -np.inf, np.nan]


def check_group(f, names, *args, rtol=None, allow_0d=False):
    expected, _ = reference(f, *args)
    got = f(*args)
    assert isinstance(got, tuple) and len(got) == len(names), got
    for name, g, e in zip(names, got, expected):
        same(g, e, rtol=rtol, where=name, allow_0d=allow_0d)


def check_one(f, *args):
    expected, _ = reference(f, *args)
    same(f(*args), expected)


# ------------------------------------------------------------------ unary families

@njit
def exps(a):
    return np.exp(a), np.exp2(a), np.expm1(a)


EXPS = ["exp", "exp2", "expm1"]


@njit
def logs(a):
    return np.log(a), np.log2(a), np.log10(a), np.log1p(a), np.sqrt(a)


LOGS = ["log", "log2", "log10", "log1p", "sqrt"]


@njit
def powers(a):
    return np.cbrt(a), np.square(a)


POWERS = ["cbrt", "square"]


@njit
def trig(a):
    return np.sin(a), np.cos(a), np.tan(a), np.arctan(a), np.sinh(a), np.cosh(a), np.tanh(a)


TRIG = ["sin", "cos", "tan", "arctan", "sinh", "cosh", "tanh"]


@njit
def inverse_trig(a):
    return np.arcsin(a), np.arccos(a)


INVERSE_TRIG = ["arcsin", "arccos"]


@njit
def abs_sign(a):
    return np.abs(a), np.absolute(a), np.sign(a)


ABS_SIGN = ["abs", "absolute", "sign"]


@njit
def rounding(a):
    return np.floor(a), np.ceil(a), np.trunc(a), np.rint(a)


ROUNDING = ["floor", "ceil", "trunc", "rint"]


@njit
def classify(a):
    return np.isnan(a), np.isinf(a), np.isfinite(a)


CLASSIFY = ["isnan", "isinf", "isfinite"]

# (function, names, domain for random floats, whether int inputs make sense)
FAMILIES = {
    "exps": (exps, EXPS, (-4.0, 4.0)),
    "logs": (logs, LOGS, (0.01, 20.0)),
    "powers": (powers, POWERS, (-5.0, 5.0)),
    "trig": (trig, TRIG, (-3.0, 3.0)),
    "inverse_trig": (inverse_trig, INVERSE_TRIG, (-1.0, 1.0)),
    "abs_sign": (abs_sign, ABS_SIGN, (-3.0, 3.0)),
    "rounding": (rounding, ROUNDING, (-4.0, 4.0)),
    "classify": (classify, CLASSIFY, (-3.0, 3.0)),
}


def with_specials(a):
    """Put the special values (signed zeros, halves, infinities, NaN) at the front."""
    flat = a.reshape(-1) if a.flags.c_contiguous else None
    if flat is not None:
        k = min(len(SPECIALS), flat.size)
        flat[:k] = SPECIALS[:k]
    return a


@pytest.mark.parametrize("family", FAMILIES)
def test_float64_1d(family):
    f, names, (lo, hi) = FAMILIES[family]
    check_group(f, names, rand(np.float64, 40, seed=1, lo=lo, hi=hi))
    check_group(f, names, with_specials(rand(np.float64, 40, seed=2, lo=lo, hi=hi)))
    check_group(f, names, np.zeros(0))  # empty: same signature


@pytest.mark.parametrize("family", ["exps", "logs", "trig", "abs_sign", "rounding"])
def test_float32_strided(family):
    f, names, (lo, hi) = FAMILIES[family]
    a = rand(np.float32, 37, "strided", seed=3, lo=lo, hi=hi)  # a[::2] of a bigger array
    a[:3] = [np.nan, np.inf, -0.0]
    check_group(f, names, a)
    check_group(f, names, rand(np.float32, 0, "strided", seed=3))


@pytest.mark.parametrize("family", ["exps", "powers", "abs_sign", "rounding"])
def test_int32_fortran(family):
    # int32 -> float64 for transcendental functions; int32 for abs, sign, square, floor...
    f, names, (lo, hi) = FAMILIES[family]
    a = rand(np.int32, (4, 3), "F", seed=4, lo=max(int(lo), 1) if lo > 0 else int(lo), hi=int(hi))
    check_group(f, names, a)


def test_int64_reversed():
    check_group(rounding, ROUNDING, rand(np.int64, 9, "reversed", seed=5, lo=-5, hi=5))


def test_bool_input_to_classify():
    check_group(classify, CLASSIFY, rand(np.bool_, (3, 3), seed=6))


def test_0d_array():
    check_group(exps, EXPS, np.array(0.75), allow_0d=True)
    check_group(rounding, ROUNDING, np.array(-2.5, np.float32), allow_0d=True)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("x", [0.375, np.float32(0.625), 2], ids=pid)
def test_scalars(family, x):
    f, names, _ = FAMILIES[family]
    check_group(f, names, x)


def test_scalar_specials():
    for x in (-0.0, np.inf, -np.inf, np.nan, 2.5, -0.5):
        check_group(rounding, ROUNDING, x)
        check_group(classify, CLASSIFY, x)
        check_group(abs_sign, ABS_SIGN, x)


def test_log_of_zero_and_negative():
    check_group(logs, LOGS, np.array([0.0, -0.0, -1.0, -np.inf, np.inf, np.nan, 1e-300, 1e300]))


# ------------------------------------------------------------------ binary ufuncs

@njit
def binary(a, b):
    return (np.arctan2(a, b), np.power(a, b), np.maximum(a, b), np.minimum(a, b), np.fmax(a, b),
            np.fmin(a, b), np.hypot(a, b), np.logaddexp(a, b))


BINARY = ["arctan2", "power", "maximum", "minimum", "fmax", "fmin", "hypot", "logaddexp"]


@njit
def binary_scalar(a):
    return (np.arctan2(a, 1.0), np.power(a, 2), np.maximum(a, 0.5), np.minimum(1, a), np.fmax(a, 0),
            np.fmin(a, 2.5), np.hypot(3, a), np.logaddexp(a, 0.0))


def nan_sprinkled(a, b):
    if a.dtype.kind == "f":
        a.reshape(-1)[[0, 2]] = np.nan
    if b.dtype.kind == "f":
        b.reshape(-1)[[0, 1]] = np.nan  # NaN in both at 0, in one operand at 1 and 2
    return a, b


@pytest.mark.parametrize("da,db,sa,sb", [
    (np.float64, np.float64, (3, 4), (4,)),
], ids=pid)
def test_binary_arrays(da, db, sa, sb):
    a, b = nan_sprinkled(rand(da, sa, seed=7, lo=0.1, hi=3), rand(db, sb, seed=8, lo=-2, hi=2))
    check_group(binary, BINARY, a, b)
    check_group(binary, BINARY, rand(da, sa, seed=9, lo=0.1, hi=3), rand(db, sb, seed=10, lo=-2, hi=2))


def test_binary_int_arrays():
    # power of ints stays int (non-negative exponents); the others promote like NumPy
    check_group(binary, BINARY, rand(np.int32, (3, 4), "F", seed=11, lo=-5, hi=6),
                rand(np.int32, (4,), seed=12, lo=0, hi=5))


def test_binary_empty():
    check_group(binary, BINARY, np.zeros((0, 4)), np.ones(4))


@pytest.mark.parametrize("dtype,layout", [(np.float32, "strided"), (np.int32, "C")], ids=pid)
def test_binary_with_scalars(dtype, layout):
    a = rand(dtype, (4, 5), layout, seed=13, lo=0, hi=4)
    if a.dtype.kind == "f":
        a[1, 1] = np.nan
    check_group(binary_scalar, BINARY, a)


def test_binary_on_scalars():
    check_group(binary, BINARY, 1.5, -0.25)
    check_group(binary, BINARY, np.nan, 2.0)
    check_group(binary, BINARY, np.float32(1.5), np.float32(0.5))
    check_group(binary, BINARY, 3, 2)


# ------------------------------------------------------------------ where, clip

@njit
def where3(c, x, y):
    return np.where(c, x, y)


@njit
def where_expr(a):
    return np.where(a > 0, a, 0), np.where(a < 1, -a, a * 2.0), np.where(a != 0, 1.0, 0.0)


@pytest.mark.parametrize("sc,sx,sy,dx,dy", [
    ((3, 4), (3, 4), (3, 4), np.float64, np.float64),
    ((3, 1), (4,), (3, 4), np.float32, np.float32),
    ((5,), (5,), (5,), np.int32, np.float32),
    ((2, 3), (3,), (2, 1), np.int64, np.int32),
    ((0, 3), (3,), (0, 3), np.float64, np.float64),
], ids=pid)
def test_where_arrays(sc, sx, sy, dx, dy):
    check_one(where3, rand(np.bool_, sc, seed=14), rand(dx, sx, seed=15), rand(dy, sy, seed=16))


def test_where_layouts():
    check_one(where3, rand(np.bool_, (4, 5), "F", seed=17), rand(np.float64, (4, 5), "strided", seed=18),
                    rand(np.float64, (4, 5), "colstep", seed=19))


@pytest.mark.parametrize("dtype", [np.float32, np.int32], ids=pid)
def test_where_with_scalars(dtype):
    # np.where(a > 0, a, 0) keeps float32/int32: the literal 0 is weak
    check_group(where_expr, ["where(a>0,a,0)", "where(a<1,-a,a*2.0)", "where(a!=0,1.0,0.0)"],
                rand(dtype, (3, 5), seed=20, lo=-3, hi=3))


@njit
def clips(a, lo, hi):
    return np.clip(a, lo, hi), np.clip(a * 2, lo, hi)


@njit
def clip_method(a, lo, hi):
    return a.clip(lo, hi)


@pytest.mark.parametrize("dtype,lo,hi", [(np.float32, -0.5, 1.25), (np.int32, -2, 3),
                                         (np.float32, np.float64(0.0), np.float64(1.0)), (np.int32, -1.5, 2.5)],
                         ids=pid)
def test_clip_scalars(dtype, lo, hi):
    a = rand(dtype, (4, 5), seed=21)
    if a.dtype.kind == "f":
        a[0, 0] = np.nan
    check_group(clips, ["np.clip(a)", "np.clip(a * 2)"], a, lo, hi)


def test_clip_arrays_broadcast():
    check_group(clips, ["np.clip(a)", "np.clip(a * 2)"], rand(np.float64, (4, 5), "F", seed=22),
                rand(np.float64, (5,), seed=23, lo=-3, hi=0), rand(np.float64, (4, 1), seed=24, lo=0, hi=3))


def test_clip_method():
    check_one(clip_method, rand(np.float64, (4, 5), seed=25), -0.5, 1.0)
    check_one(clip_method, rand(np.int32, 7, seed=25), -3, 3)
