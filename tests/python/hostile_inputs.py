"""Hostile inputs for dunnart, run as a child process by test_errors.py so that a crash
(segfault, abort, SIGFPE) fails one test instead of killing pytest.

Each case prints START, then PASS or FAIL; the script prints ALL-HOSTILE-OK and exits 0
only when every case passed. A case passes when dunnart raises the exception CPython
semantics call for (or, where marked, any ordinary exception) and the interpreter lives.
"""
import gc
import math
import sys

import numpy as np

import dunnart
from dunnart import njit

failures = []


def case(fn):
    name = fn.__name__
    print("START", name, flush=True)
    try:
        fn()
    except AssertionError as e:
        failures.append(name)
        print("FAIL", name, e, flush=True)
    except BaseException as e:  # noqa: BLE001 - report anything, keep going
        failures.append(name)
        print("FAIL", name, "unexpected", type(e).__name__, str(e)[:300], flush=True)
    else:
        print("PASS", name, flush=True)
    return fn


def expect(excs, f, *args):
    try:
        r = f(*args)
    except excs as e:
        return e
    except Exception as e:  # noqa: BLE001
        raise AssertionError(f"{f.py_func.__name__}{_short(args)} raised {type(e).__name__}: {e}; "
                             f"expected {excs}")
    raise AssertionError(f"{f.py_func.__name__}{_short(args)} returned {r!r}; expected {excs}")


def _short(args):
    s = repr(args)
    return s if len(s) < 120 else s[:120] + "...)"


def any_outcome(f, *args):
    """No crash is the only requirement: a result or an ordinary exception."""
    try:
        return f(*args)
    except Exception:  # noqa: BLE001
        return None


@njit
def inc(x):
    return x + 1


@njit
def ident(x):
    return x


@njit
def tsum(t):
    return t[0] + t[1]


@njit
def arr_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@njit
def amax(a):
    return a.max()


@njit
def asum(a):
    return a.sum()


@njit
def idiv(a, b):
    return a // b


@njit
def imod(a, b):
    return a % b


@njit
def to_int(x):
    return int(x)


@njit
def shl(a, s):
    return a << s


@njit
def shr(a, s):
    return a >> s


@njit
def empty_n(n):
    return np.empty(n)


@njit
def zeros_2(n, m):
    return np.zeros((n, m))


@njit
def range_step(a, b, c):
    s = 0
    for i in range(a, b, c):
        s += i
    return s


@njit(boundscheck=True)
def bc_get(a, i):
    return a[i]


@case
def huge_ints_overflow_int64():
    for big in (2**64, 2**100, -(2**63) - 1, 10**30, -(10**40)):
        expect((OverflowError, TypeError), inc, big)
    assert inc(5) == 6


@case
def int_at_uint64_boundary():
    # 2**63 fits uint64 but not int64: return it exactly, or refuse it cleanly
    try:
        r = ident(2**63)
    except (OverflowError, TypeError):
        pass
    else:
        assert int(r) == 2**63, r
    assert ident(-(2**63)) == -(2**63)
    assert ident(2**63 - 1) == 2**63 - 1


@case
def huge_int_inside_tuple():
    expect((OverflowError, TypeError), tsum, (1, 2**70))
    expect((OverflowError, TypeError), tsum, (2.5, -(2**80)))
    assert tsum((1, 2)) == 3


@case
def huge_int_for_float_signature():
    f = njit("float64(float64)")(lambda x: x * 2.0)
    expect((OverflowError, TypeError), f, 2**2000)
    assert f(2.0) == 4.0


@case
def non_array_objects_for_array_parameter():
    bad = [None, "abc", b"abc", [1.0, 2.0], {"a": 1}, {1.0}, object(), print, int, 1j, (1.0, 2.0)]
    for b in bad:
        expect((TypeError, dunnart.TypingError), arr_sum, b)
    assert arr_sum(np.arange(4.0)) == 6.0


@case
def unsupported_array_dtypes():
    expect(TypeError, arr_sum, np.array([1.0, "a"], dtype=object))
    expect(TypeError, arr_sum, np.zeros(3, dtype=[("x", "f8"), ("y", "i4")]))
    expect(TypeError, arr_sum, np.array(["ab", "c"]))
    assert arr_sum(np.arange(4.0)) == 6.0


@case
def unusual_but_valid_arrays():
    # big-endian data, unaligned data, zero strides, negative strides, ndarray subclasses:
    # the right answer or a clean TypeError, never garbage or a crash
    x = np.arange(6.0)
    candidates = [
        x.astype(">f8"),
        np.frombuffer(bytearray(8 * 6 + 1), dtype=np.float64, offset=1),
        np.broadcast_to(np.float64(2.5), (6,)),
        x[::-1],
        x.view(type("Sub", (np.ndarray,), {})),
    ]
    for a in candidates:
        try:
            r = arr_sum(a)
        except TypeError:
            continue
        assert r == float(np.sum(a)), (a.dtype, a.strides, r)


@case
def wrong_argument_counts():
    expect(TypeError, inc)
    expect(TypeError, inc, 1, 2)
    expect(TypeError, tsum, (1, 2), 3)


@case
def int64_min_divided_by_minus_one():
    # CPython gives 2**63, which no int64 holds; the hardware traps (SIGFPE) if the
    # compiler emits a bare idiv. Any int64 result (wrapping gives -2**63) or an ordinary
    # exception is acceptable; the remainder is exactly 0.
    lo = -(2**63)
    try:
        q = idiv(lo, -1)
    except Exception:  # noqa: BLE001
        pass
    else:
        assert isinstance(q, (int, np.integer)) and -(2**63) <= int(q) < 2**63, q
    try:
        r = imod(lo, -1)
    except Exception:  # noqa: BLE001
        pass
    else:
        assert r == 0, r
    assert idiv(-7, 2) == -4 and imod(-7, 2) == 1


@case
def float_to_int_of_nan_and_inf():
    for v in (math.nan, math.inf, -math.inf, 1e300):
        any_outcome(to_int, v)
    assert to_int(-2.5) == -2


@case
def oversized_shifts():
    for a, s in ((1, 64), (1, 100), (-1, 64), (5, 63), (1, -1), (-8, -3), (1, 2**62)):
        any_outcome(shl, a, s)
        any_outcome(shr, a, s)
    assert shl(3, 4) == 48 and shr(-17, 2) == -5


@case
def bad_allocation_sizes():
    expect((ValueError, MemoryError), empty_n, -1)
    expect((ValueError, MemoryError), empty_n, 2**62)
    expect((ValueError, MemoryError), zeros_2, 2**40, 2**40)
    expect((ValueError, MemoryError), zeros_2, -3, 4)
    assert empty_n(3).shape == (3,)


@case
def range_with_zero_step():
    expect(ValueError, range_step, 0, 10, 0)
    assert range_step(0, 10, 3) == 18


@case
def boundscheck_huge_indices():
    a = np.arange(5.0)
    for i in (2**62, -(2**62), 2**63 - 1, -(2**63), 5, -6):
        expect(IndexError, bc_get, a, i)
    assert bc_get(a, -5) == 0.0


@case
def empty_reductions():
    expect(ValueError, amax, np.zeros(0))
    assert asum(np.zeros(0)) == 0.0
    assert asum(np.zeros((0, 5))) == 0.0
    assert asum(np.zeros((4, 0), dtype=np.int64)) == 0


@case
def many_calls_and_collections():
    a = np.arange(1000.0)
    for _ in range(2000):
        arr_sum(a)
        ident(a)
    for _ in range(200):
        empty_n(10_000)
    gc.collect()
    assert arr_sum(a) == 499500.0


@case
def typing_error_then_good_call():
    @njit
    def g(x):
        return x.shape[0]

    expect(dunnart.TypingError, g, 3)
    assert g(np.zeros(4)) == 4


print("failures:", failures, flush=True)
if failures:
    sys.exit(1)
print("ALL-HOSTILE-OK", flush=True)
