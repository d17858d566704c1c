"""Issue 11, builtins on numbers and containers: round (ties to even; with ndigits as
Python rounds, correctly on the decimal value), divmod, pow, any/all of arrays and lists,
isinstance decided while compiling (and pruning the branch it guards). And math.floor /
ceil / trunc and round of a float convert like int(): OverflowError and ValueError, not a
saturated number. Each case runs under CPython too."""
import math

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit


def same(fn, *args):
    def run(f):
        try:
            r = f(*args)
            if isinstance(r, np.generic):
                r = r.item()  # compiled code returns Python numbers (as Numba does)
            return ("ok", r, type(r).__name__)
        except Exception as e:  # noqa: BLE001 - the class is what is compared
            return (type(e).__name__, str(e))
    got, want = run(njit(fn)), run(fn)
    if want[0] == "ok" and isinstance(want[1], float) and math.isnan(want[1]):
        assert got[0] == "ok" and math.isnan(got[1])
    else:
        assert got == want, f"{fn.__name__}{args}: dunnart {got} != Python {want}"


def round0(x):
    return round(x)


def round_digits(x, n):
    return round(x, n)


def round_keyword(x):
    return round(x, ndigits=1)


@pytest.mark.parametrize("x", [2.5, 3.5, -2.5, -0.5, 0.49999999999999994, 2.675, 1e15 + 0.5, 7, True, -3])
def test_round_to_int(x):
    same(round0, x)


@pytest.mark.parametrize("x", [float("inf"), float("nan"), 1e300])
def test_round_of_a_float_too_big_raises_like_python(x):
    with pytest.raises((OverflowError, ValueError)):
        njit(round0)(x)


@pytest.mark.parametrize("x,n", [(2.675, 2), (1234.5678, -2), (1500.0, -3), (2500.0, -3), (500.0, -3), (0.125, 2),
                                 (-0.0001, 2), (1e-320, 322), (123.456, 1), (15.0, -1), (25.0, -1), (9.6, -1),
                                 (1e300, 5), (float("inf"), 2), (float("nan"), 1), (0.1 + 0.2, 15), (1.0, 400),
                                 (12.0, -400)])
def test_round_digits_like_python(x, n):
    same(round_digits, x, n)


def test_round_keyword():
    same(round_keyword, 2.25)


def divmods(a, b):
    return divmod(a, b)


def powers(a, b):
    return pow(a, b)


@pytest.mark.parametrize("a,b", [(-7, 2), (7, -2), (-7.5, 2.0), (1e308, 1e-308)])
def test_divmod(a, b):
    same(divmods, a, b)


@pytest.mark.parametrize("a,b", [(7.0, -0.0), (3, 0)])
def test_divmod_by_zero(a, b):
    # ZeroDivisionError as in Python (whose message names divmod, where ours names //).
    with pytest.raises(ZeroDivisionError):
        divmods(a, b)
    with pytest.raises(ZeroDivisionError):
        njit(divmods)(a, b)


def test_divmod_of_arrays():
    a, b = np.arange(-4, 5), np.full(9, 3)
    q, r = njit(divmods)(a, b)
    np.testing.assert_array_equal(q, a // b)
    np.testing.assert_array_equal(r, a % b)


@pytest.mark.parametrize("a,b", [(3, 4), (2.0, 0.5), (2.0, -1), (0, 0), (-2, 3)])
def test_pow(a, b):
    same(powers, a, b)


def any_of_array(a):
    return any(a > 3), all(a >= 0)


def any_of_list(a):
    xs = [x > 3 for x in a]
    return any(xs), all(xs), any([0.0, 0.0]), all([(1, 2)])


@pytest.mark.parametrize("a", [np.arange(5.0), np.array([-1.0, 0.0]), np.zeros(0)], ids=["some", "none", "empty"])
def test_any_all(a):
    same(any_of_array, a)
    same(any_of_list, a)


def kind_of(x):
    if isinstance(x, float):
        return 1
    if isinstance(x, (int, bool)):
        return 2
    if isinstance(x, np.ndarray):
        return x.ndim * 10  # only typed where x is an array: the other branches are pruned
    if isinstance(x, tuple):
        return len(x) * 100
    return -1


@pytest.mark.parametrize("x", [1.5, 3, True, np.int32(4), np.float32(2.0), np.zeros((2, 2)), (1, 2.0)],
                         ids=["float", "int", "bool", "int32", "float32", "array", "tuple"])
def test_isinstance(x):
    same(kind_of, x)


def floor_of(x):
    return math.floor(x), math.ceil(x), math.trunc(x)


@pytest.mark.parametrize("x", [2.5, -2.5, 1e300, float("inf"), float("-inf"), float("nan")])
def test_math_floor_raises_where_python_cannot_make_an_int64(x):
    # Python makes a big int of 1e300; compiled code raises OverflowError (no big ints),
    # never a saturated 2**63 - 1 (what it gave before).
    try:
        want = floor_of(x)
    except (OverflowError, ValueError) as e:
        with pytest.raises(type(e)):
            njit(floor_of)(x)
        return
    if abs(x) >= 2 ** 63:
        with pytest.raises(OverflowError):
            njit(floor_of)(x)
    else:
        assert njit(floor_of)(x) == want


def any_of_scalar(x):
    return any(x)


def round_complex(x):
    return round(x)


def isinstance_unknown(x):
    return isinstance(x, dict)


@pytest.mark.parametrize("fn,arg,pattern", [
    (any_of_scalar, 3.0, r"any\(\) of float"),
    (round_complex, 1j, r"complex doesn't define __round__"),
    (isinstance_unknown, 1, r"isinstance\(\) with builtins.dict"),
], ids=["any-scalar", "round-complex", "isinstance-dict"])
def test_misuse_named(fn, arg, pattern):
    with pytest.raises((TypingError, UnsupportedError), match=pattern):
        njit(fn)(arg)


# ---------------------------------------------------------------- hash


def hash_of(x):
    return hash(x)


@pytest.mark.parametrize("x", [0, 1, -1, -2, 2**61, 2**62 + 3, -2**63, True, 1.5, -0.0, float("inf"),
                               -float("inf"), 1e300, 2.5e-300, (1, 2), (1.5, -1), (), (True,), 1 + 2j,
                               np.float32(0.1), np.int8(-1), np.uint64(2**63 + 7)])
def test_hash_is_cpythons(x):
    assert njit(hash_of)(x) == hash(x)


def test_hash_of_an_array_is_refused():
    with pytest.raises(TypingError, match=r"hash\(\) of array"):
        njit(hash_of)(np.zeros(2))


def range_values(n):
    r = range(2, n, 3)
    q = range(n, -5, -4)
    return (len(r), r[1], r[-1], list(r), 5 in r, 6 in r, 20 in r, 4 not in r, q[0], q[-2],
            [x in q for x in range(-8, 12)], len(q), bool(range(0)), bool(r), True in range(2))


@pytest.mark.parametrize("n", [0, 1, 2, 5, 20, -3])
def test_range_objects_as_values(n):
    assert njit(range_values)(max(n, 9)) == range_values(max(n, 9))
    f = njit(lambda m, k: range(m)[k])
    for k in (0, -1, 2):
        try:
            want = range(n)[k]
        except IndexError as e:
            with pytest.raises(IndexError, match=str(e)):
                f(n, k)
        else:
            assert f(n, k) == want


def test_min_max_any_all_of_ranges_and_tuples():
    fn = lambda t, n: (min(t), max(t), any(t), all(t), min(range(n, 0, -2)), max(range(3, n)),  # noqa: E731
                       any(range(n)), all(range(1, n)), min((2.5, 1.5)))
    assert njit(fn)((3, 1, 2), 7) == fn((3, 1, 2), 7)
    with pytest.raises(ValueError, match=r"min\(\) arg is an empty sequence|min\(\) iterable argument is empty"):
        njit(lambda n: min(range(n)))(0)


def test_what_ranges_do_not_do_yet_is_refused_clearly():
    with pytest.raises(UnsupportedError, match="slicing a range"):
        njit(lambda n: range(n)[1:])(3)
    with pytest.raises(UnsupportedError, match=r"int\(x\) in r"):
        njit(lambda x: x in range(3))(1.0)


def test_pow_with_a_modulus_as_python():
    assert njit(lambda a, b: (pow(a, b), pow(2.0, 0.5)))(2, 10) == (1024, 2.0 ** 0.5)
    f = njit(lambda a, b, m: pow(a, b, m))
    for a in (-7, 0, 3, 2**40):
        for b in (-3, -1, 0, 5, 2**31):
            for m in (-9, 1, 7, 10**18 + 9):   # negative exponents: the inverse, or ValueError
                try:
                    want = pow(a, b, m)
                except ValueError as e:
                    with pytest.raises(ValueError, match=str(e)):
                        f(a, b, m)
                else:
                    assert f(a, b, m) == want, (a, b, m)
    with pytest.raises(ValueError, match=r"pow\(\) 3rd argument cannot be 0"):
        f(2, 3, 0)
    with pytest.raises(TypingError, match=r"not allowed unless all arguments are integers"):
        njit(lambda a: pow(a, 3, 5))(2.0)


def test_ranges_as_arguments_and_results():
    @njit
    def describe(r):
        return list(r), sum(r), len(r), r[-1], 3 in r, r

    for r in (range(5), range(10, 0, -3), range(2, 9, 2)):
        got = describe(r)
        assert got == (list(r), sum(r), len(r), r[-1], 3 in r, r) and type(got[-1]) is range
    with pytest.raises(OverflowError, match="does not fit in int64"):
        describe(range(2**70))
