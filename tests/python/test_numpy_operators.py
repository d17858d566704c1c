"""Issue 3: operators on whole arrays in nopython mode, compared with NumPy running the same
function: full broadcasting (array-array, array-scalar, (3,1) with (1,4), (4,) with (3,4)),
NumPy 2 / NEP 50 result dtypes (a float32 array times a Python float stays float32),
unary minus, comparisons giving bool arrays, & | ^ ~ on bool arrays, and in-place operators
(visible in the caller's array, overlap handled like NumPy)."""
import numpy as np
import pytest

from dunnart import TypingError, njit

from test_numpy_helpers import dtype_id, npcheck, pid, rand

# ------------------------------------------------------------------ arithmetic, broadcasting


@njit
def add(a, b):
    return a + b


@njit
def mul(a, b):
    return a * b


@njit
def add_sub_mul(a, b):
    return a + b, a - b, a * b


@njit
def true_div(a, b):
    return a / b


@njit
def floor_div_mod(a, b):
    return a // b, a % b


@njit
def power(a, b):
    return a ** b


SHAPE_PAIRS = [((5,), (5,)), ((3, 1), (1, 4)), ((4,), (3, 4)), ((3, 4), (4,)), ((3, 4), (3, 1)),
               ((2, 3, 4), (3, 1)), ((1,), (6,)), ((0,), (0,)), ((0, 4), (4,)), ((3, 1), (1, 0))]
DTYPE_PAIRS = [(np.float32, np.float32), (np.int32, np.int32), (np.int64, np.float32), (np.int32, np.int64),
               (np.bool_, np.int32), (np.float32, np.float64), (np.bool_, np.bool_)]


@pytest.mark.parametrize("sa,sb", SHAPE_PAIRS, ids=pid)
def test_broadcast_shapes(sa, sb):
    npcheck(add, rand(np.float64, sa, seed=1), rand(np.float64, sb, seed=2))


def test_broadcast_all_operators():
    npcheck(add_sub_mul, rand(np.float64, (3, 1), seed=1), rand(np.float64, (1, 4), seed=2))
    npcheck(add_sub_mul, rand(np.float64, (3, 1), seed=1), rand(np.float64, (1, 0), seed=2))


@pytest.mark.parametrize("da,db", DTYPE_PAIRS, ids=pid)
def test_dtype_promotion(da, db):
    npcheck(add, rand(da, (3, 4), seed=3), rand(db, (4,), seed=4))


@pytest.mark.parametrize("da,db", [(np.float32, np.float32), (np.int64, np.float32), (np.bool_, np.int32),
                                   (np.bool_, np.bool_)], ids=pid)
def test_dtype_promotion_mul(da, db):
    npcheck(mul, rand(da, (3, 1), seed=5), rand(db, (1, 4), seed=6))


@pytest.mark.parametrize("la,lb", [("C", "F"), ("F", "F"), ("strided", "C"), ("colstep", "strided"),
                                   ("F", "colstep"), ("reversed", "F")])
def test_layouts(la, lb):
    npcheck(add, rand(np.float64, (4, 5), la, seed=7), rand(np.float64, (4, 5), lb, seed=8))


@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_layouts_1d_int(layout):
    npcheck(add, rand(np.int64, 9, layout, seed=9), rand(np.int64, 9, "reversed", seed=10))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32], ids=dtype_id)
def test_division(dtype):
    a = rand(dtype, (4, 6), seed=11)
    b = rand(dtype, (6,), seed=12, lo=1, hi=9)
    b[::2] *= -1  # nonzero, both signs: // and % follow Python's sign rules like NumPy
    npcheck(true_div, a, b)
    npcheck(floor_div_mod, a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
def test_float_division_by_zero_gives_inf_and_nan(dtype):
    # elementwise division follows IEEE like NumPy (inf, -inf, nan), it does not raise
    a = np.array([[1.0, -1.0, 0.0, 2.5, 3.0, -0.5]], dtype=dtype)
    b = np.array([0.0, 0.0, 0.0, -0.0, 2.0, 0.0], dtype=dtype)
    with np.errstate(all="ignore"):
        npcheck(true_div, a, b)


def test_power():
    npcheck(power, rand(np.float64, (3, 4), seed=13, lo=0.1, hi=3), rand(np.float64, (4,), seed=14))
    npcheck(power, rand(np.float32, (3, 4), seed=13, lo=0.1, hi=3), rand(np.float32, (3, 1), seed=14))
    npcheck(power, rand(np.int64, 8, seed=15, lo=-4, hi=5), rand(np.int64, 8, seed=16, lo=0, hi=6))
    npcheck(power, rand(np.int32, 8, seed=15, lo=-4, hi=5), rand(np.int32, 8, seed=16, lo=0, hi=6))


# ------------------------------------------------------------------ array with scalar


@njit
def with_scalar(a, s):
    return a * s, s - a


@njit
def with_literals(a):
    return a * 2.5, a + 1, 3 - a


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.bool_], ids=dtype_id)
def test_literal_scalars_are_weak(dtype):
    # NEP 50: Python literals do not widen arrays: float32 * 2.5 is float32, int32 + 1 is int32
    npcheck(with_literals, rand(dtype, (3, 4), seed=17))


def test_literal_scalars_strided():
    npcheck(with_literals, rand(np.float32, 7, "strided", seed=18))


@pytest.mark.parametrize("dtype,s", [(np.float32, 2.5), (np.float32, np.float64(1.5)), (np.int32, 2.5),
                                     (np.int32, np.float32(0.5)), (np.bool_, 2)],
                         ids=pid)
def test_scalar_arguments(dtype, s):
    # a Python float/int argument is weak like a literal; NumPy scalars are not
    npcheck(with_scalar, rand(dtype, (2, 5), seed=19, lo=1, hi=9), s)


def test_scalar_with_empty():
    npcheck(with_scalar, np.zeros((0, 3), np.float32), 2.5)
    npcheck(with_scalar, np.zeros((3, 0), np.int32), 3)


@njit
def zero_d_ops(a, b):
    return a + b, a * 2.0


def test_0d_arrays():
    # NumPy returns scalars for 0-d operands; a 0-d array of the same dtype is accepted too
    npcheck(zero_d_ops, np.array(1.5), np.array(2.0), allow_0d=True)
    npcheck(zero_d_ops, np.array(3.0, np.float32), rand(np.float32, (2, 3), seed=20), allow_0d=True)


# ------------------------------------------------------------------ unary


@njit
def unary(a):
    return -a, +a, abs(a)


@njit
def negate_expr(a, b):
    return -(a * b) + -a


@pytest.mark.parametrize("dtype,layout", [(np.float32, "C"), (np.float64, "F"), (np.int32, "strided")], ids=pid)
def test_unary(dtype, layout):
    npcheck(unary, rand(dtype, (3, 4), layout, seed=21))


def test_unary_minus_in_expressions():
    npcheck(negate_expr, rand(np.float64, (3, 4), seed=22), rand(np.float64, (4,), seed=23))
    npcheck(negate_expr, rand(np.int32, 6, seed=22), 3)
    npcheck(unary, np.zeros((0, 2), np.float32))
    npcheck(unary, np.array([[0.0, -0.0, np.inf, -np.inf, np.nan]], np.float32))


# ------------------------------------------------------------------ comparisons, logic


@njit
def compare6(a, b):
    return a < b, a <= b, a == b, a != b, a > b, a >= b


@njit
def compare2(a, b):
    return a <= b, a != b


@njit
def compare_scalar(a):
    return a > 0, 1.5 <= a, a != a


@njit
def logic(a, b):
    p = a > 0
    q = b < 0.5
    return p & q, p | q, p ^ q, ~p, ~(p & q) | (a == b)


@njit
def bool_ops(p, q):
    return p & q, p | q, p ^ q, ~p


def test_all_comparisons():
    a = rand(np.float64, (3, 4), seed=24, lo=-2, hi=3).round()
    b = rand(np.float64, (4,), seed=25, lo=-2, hi=3).round()
    a[0, :] = b  # some equal elements
    a[1, 1] = np.nan
    npcheck(compare6, a, b)


@pytest.mark.parametrize("da,db", [(np.int32, np.int32), (np.int64, np.float32), (np.bool_, np.bool_),
                                   (np.int32, np.bool_)],
                         ids=dtype_id)
def test_comparison_dtypes(da, db):
    a = rand(da, (3, 4), seed=24, lo=-2, hi=3)
    b = rand(db, (4,), seed=25, lo=-2, hi=3)
    a[0, :] = b  # some equal elements
    npcheck(compare2, a, b)


def test_comparison_broadcast():
    npcheck(compare2, rand(np.float64, (3, 1), seed=26, lo=-2, hi=3), rand(np.float64, (1, 4), seed=27, lo=-2, hi=3))


@pytest.mark.parametrize("dtype,layout", [(np.float32, "F"), (np.int32, "strided")], ids=pid)
def test_compare_with_scalar(dtype, layout):
    a = rand(dtype, (4, 5), layout, seed=28, lo=-3, hi=5)
    if a.dtype.kind == "f":
        a[1, 1] = np.nan
        a[2, 2] = 1.5
    npcheck(compare_scalar, a)


def test_logical_operators():
    npcheck(logic, rand(np.float64, (4, 6), seed=29), rand(np.float64, (6,), seed=30, lo=0, hi=1))
    npcheck(logic, rand(np.float64, (0, 6), seed=29), rand(np.float64, (6,), seed=30, lo=0, hi=1))


def test_bool_array_operators():
    npcheck(bool_ops, rand(np.bool_, (3, 1), seed=31), rand(np.bool_, (1, 4), seed=32))
    npcheck(bool_ops, rand(np.bool_, (0, 1), seed=31), rand(np.bool_, (1, 4), seed=32))


def test_int_bitwise_operators():
    npcheck(bool_ops, rand(np.int32, (3, 4), seed=33), rand(np.int32, (4,), seed=34))


# ------------------------------------------------------------------ in-place


@njit
def iadd(a, b):
    a += b


@njit
def imul_isub(a, b):
    a *= b
    a -= 1
    return a


@njit
def iadd_then_use(a, b):
    a += b
    return a.sum()


@njit
def iadd_reversed_self(a):
    a += a[::-1]


@njit
def iadd_shifted(a):
    a[1:] += a[:-1]


@njit
def itruediv(a, s):
    a /= s


@njit
def iadd_into_a_temporary(a):
    # s is a temporary of this function: its memory must live until the last use of what
    # each += gives back (it was freed after the first one).
    b = a * 2
    c = a * 3
    s = a * 0
    s += b
    s += c
    t = s + 1
    t *= 2
    return s, t.sum()


def test_in_place_on_a_temporary_keeps_its_memory(check):
    check(iadd_into_a_temporary, np.arange(5.0))


@njit
def isub_shifted_columns(a):
    a[:, 1:] -= a[:, :-1]


@pytest.mark.parametrize("dtype,layout", [(np.float64, "C"), (np.float32, "F"), (np.int32, "strided"),
                                          (np.float64, "reversed")], ids=pid)
def test_inplace_visible_to_caller(dtype, layout):
    a = rand(dtype, (3, 4), layout, seed=35)
    b = rand(dtype, (4,), seed=36)
    npcheck(iadd, a, b)


def test_inplace_writes_through_view_into_base():
    base = np.zeros((4, 6))
    view = base[1:, ::2]
    iadd(view, np.arange(3.0))
    expected = np.zeros((4, 6))
    expected[1:, ::2] += np.arange(3.0)
    np.testing.assert_array_equal(base, expected)


def test_inplace_changes_callers_array_identity():
    a = np.arange(6.0)
    before = a.copy()
    b = np.full(6, 2.0)
    assert iadd(a, b) is None
    np.testing.assert_array_equal(a, before + 2.0)
    r = imul_isub(a, 3.0)
    np.testing.assert_array_equal(a, (before + 2.0) * 3.0 - 1)
    assert np.shares_memory(r, a), "a *= b must return the same array"


@pytest.mark.parametrize("dtype", [np.float32, np.int64], ids=dtype_id)
def test_inplace_broadcast_and_scalars(dtype):
    npcheck(imul_isub, rand(dtype, (3, 4), seed=37), rand(dtype, (3, 1), seed=38))
    npcheck(imul_isub, rand(dtype, (2, 3, 4), "F", seed=37), 3)
    npcheck(iadd_then_use, rand(dtype, (5, 2), seed=39), rand(dtype, (2,), seed=40))


def test_inplace_float32_with_python_float_stays_float32():
    npcheck(imul_isub, rand(np.float32, 6, seed=41), 2.5)
    npcheck(itruediv, rand(np.float32, (2, 3), seed=41), 3.0)
    npcheck(itruediv, rand(np.float64, (2, 3), "F", seed=41), 3)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 100])
@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=dtype_id)
def test_inplace_overlap_with_reversed_self(n, dtype):
    npcheck(iadd_reversed_self, rand(dtype, n, seed=42))


@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
def test_inplace_overlap_shifted(layout):
    npcheck(iadd_shifted, rand(np.float64, 50, layout, seed=43))


@pytest.mark.parametrize("layout", ["F", "strided"])
def test_inplace_overlap_shifted_columns(layout):
    npcheck(isub_shifted_columns, rand(np.float64, (5, 6), layout, seed=44))


def test_in_place_on_a_read_only_array_is_refused():
    # It used to write into the read-only array's memory.
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.raises(TypingError, match="read-only"):
        iadd(a, 1.0)
    np.testing.assert_array_equal(a, np.arange(3.0))
