"""Calls between jitted functions (same module, another module, by imported name and by
module attribute) and reads of module-level constants."""
import re

import numpy as np
import pytest

from dunnart import TypingError, njit

import jit_helpers
from jit_helpers import add_into, divmod_pair, filled, hypot2, pair_dot, scaled, weighted

LIMIT = 10
FACTOR = 0.5
TRIPLE = (2, 3, 5)
MIXED = (1, 2.5)
FLAG = True
BIG = 2**40


@njit
def square(x):
    return x * x


@njit
def poly(x):
    return square(x) + 2 * square(x + 1) + 1


@njit
def both_types(i, x):
    return square(i), square(x), square(i) + square(x)


@pytest.mark.parametrize("x", [0, 3, -7, 1.5, -0.25])
def test_call_same_module(check, x):
    check(poly, x)


def test_callee_instantiated_for_two_types(check):
    r = check(both_types, 3, 1.5)
    assert isinstance(r[0], int) and isinstance(r[1], float)


def test_callee_still_callable_directly(check):
    check(poly, 2)
    check(square, 4)
    check(square, 2.5)


@njit
def calls_later(x):
    return defined_later(x) * 2


@njit
def defined_later(x):
    return x - 1


def test_callee_defined_after_caller(check):
    check(calls_later, 10)


@njit
def level1(x):
    return x - 3


@njit
def level2(x):
    return level1(x) * 2


@njit
def level3(x):
    return level2(x) + level1(x)


def test_call_chain(check):
    check(level3, 8)
    check(level3, 8.5)


@njit
def cross_module(x, y):
    return jit_helpers.hypot2(x, y) + hypot2(y, x)


@njit
def cross_scaled(a):
    s = 0.0
    for v in a:
        s += scaled(v)
    return s


@njit
def cross_weighted(x):
    return weighted(x, x + 1, x + 2)


@njit
def cross_divmod(a, b):
    q, r = divmod_pair(a, b)
    return q, r, q * b + r


@njit
def cross_array(n):
    a = filled(n)
    add_into(a, 1.0)
    return a


@njit
def cross_constants(x):
    return pair_dot(x, x + 1)


@pytest.mark.parametrize("x,y", [(3.0, 4.0), (1, 2), (-5.0, 12.0)])
def test_call_other_module(check, x, y):
    check(cross_module, x, y)


def test_call_other_module_with_array(check):
    check(cross_scaled, np.arange(6.0))
    check(cross_scaled, np.arange(12.0)[::2])


def test_call_other_module_reading_its_constants(check):
    check(cross_weighted, 3)
    check(cross_weighted, 0.5)
    check(cross_constants, 11)


@pytest.mark.parametrize("a,b", [(17, 5), (-17, 5), (17, -5)])
def test_call_returning_tuple(check, a, b):
    check(cross_divmod, a, b)


def test_error_in_callee_propagates(check_raises):
    check_raises(cross_divmod, ZeroDivisionError, 17, 0)
    assert cross_divmod(9, 4) == (2, 1, 9)  # still usable afterwards


def test_callee_returns_array_and_mutates_argument(check):
    r = check(cross_array, 5)
    assert type(r) is np.ndarray and r.flags.writeable


def test_direct_call_of_helper_mutating_argument(check):
    check(add_into, np.arange(4.0), 2.5)
    check(add_into, np.arange(8.0)[::2], -1.0)


@njit
def uses_constants(x):
    s = 0
    for i in range(LIMIT):
        s += i
    return s * FACTOR + x * TRIPLE[0] + TRIPLE[2] + MIXED[1], FLAG, BIG + x


@njit
def constant_tuple_loop():
    s = 0
    for t in TRIPLE:
        s = s * 10 + t
    return s


@njit
def module_attribute_constants():
    return jit_helpers.SCALE * jit_helpers.OFFSET, jit_helpers.INT_PAIR, jit_helpers.WEIGHTS[1]


def test_module_constants(check):
    check(uses_constants, 3)
    check(uses_constants, -1.5)


def test_module_constant_tuple_iteration(check):
    check(constant_tuple_loop)


def test_other_module_constants_by_attribute(check):
    check(module_attribute_constants)


@njit("float64(float64)")
def eager_callee(x):
    return x * 3.0


@njit
def lazy_caller(x):
    return eager_callee(x) + 1.0


def test_lazy_caller_of_eager_callee(check):
    check(lazy_caller, 2.0)
    assert eager_callee.stats["compiles"] == 1


# ------------------------------------------------------------------ keywords and defaults

@njit
def affine(x, scale=2.0, *, offset=0, out=None):
    if out is None:
        return x * scale + offset
    out[0] = x * scale + offset
    return out[0]


@njit
def kw_positional(x):
    return affine(x, 3.0)


@njit
def kw_by_name(x):
    return affine(x, offset=1) + affine(scale=0.5, x=x)


@njit
def kw_only_defaults(x):
    return affine(x)


@njit
def kw_array_out(x, buf):
    return affine(x, offset=5, out=buf)


@njit
def kw_to_inner(x):
    def line(a, b=1.0, c=0.0):
        return a * b + c
    return line(x, c=2.0) + line(x) + line(c=1.0, a=x, b=3.0)


def test_keyword_and_default_arguments(check):
    check(kw_positional, 2.0)
    check(kw_by_name, 2)
    check(kw_only_defaults, 1.5)
    check(kw_to_inner, 2.0)


def test_keyword_argument_array_written_by_callee():
    buf, want_buf = np.zeros(1), np.zeros(1)
    assert kw_array_out(2.0, buf) == kw_array_out.py_func(2.0, want_buf)
    np.testing.assert_array_equal(buf, want_buf)


def array_default_callee(a, w=np.array([1.0, 2.0])):
    return (a * w).sum()


def test_array_default_frozen():
    callee = njit(array_default_callee)
    caller = njit(lambda a: callee(a) + callee(a, w=a))
    a = np.array([3.0, 4.0])
    assert caller(a) == array_default_callee(a) + array_default_callee(a, a)


@njit
def bad_keyword(x):
    return affine(x, sclae=2.0)


@njit
def repeated_keyword(x):
    return affine(x, 2.0, scale=3.0)


@njit
def too_many(x):
    return affine(x, 2.0, 3.0)


@njit
def too_many_with_keyword(x):
    return affine(x, 2.0, 3.0, offset=1)


@njit
def needs_key(x, *, key):
    return x + key


@njit
def missing_keyword_only(x):
    return needs_key(x)


@njit
def missing(x):
    return affine()


@pytest.mark.parametrize("fn,message", [
    (bad_keyword, "affine() got an unexpected keyword argument 'sclae'"),
    (repeated_keyword, "affine() got multiple values for argument 'scale'"),
    (too_many, "affine() takes from 1 to 2 positional arguments but 3 were given"),
    (too_many_with_keyword, "affine() takes from 1 to 2 positional arguments but 3 positional arguments "
                            "(and 1 keyword-only argument) were given"),
    (missing_keyword_only, "needs_key() missing 1 required keyword-only argument: 'key'"),
    (missing, "affine() missing 1 required positional argument: 'x'"),
], ids=["unexpected", "repeated", "too-many", "too-many-kw", "missing-kw-only", "missing"])
def test_bad_calls_say_what_python_says(fn, message):
    # Python raises these as TypeError when the call runs; compiled code finds them while
    # compiling, with the same words.
    with pytest.raises(TypingError) as info:
        fn(1.0)
    assert str(info.value).splitlines()[0].endswith(message), str(info.value)
    with pytest.raises(TypeError, match=re.escape(message.split("() ")[1])):
        fn.py_func(1.0)
