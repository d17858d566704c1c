"""Issue 11, `*args` in a jitted function's signature: the extra positional arguments are
a tuple (of any types a tuple argument may hold), from Python and from other jitted
functions, with keyword-only parameters after it; bad calls are Python's own TypeErrors.
Each function runs jitted and under CPython; the outcomes must be equal."""
import numpy as np
import pytest

import dunnart
from dunnart import njit

from python_outcome import same


def total(*values):
    s = 0
    for v in values:
        s += v
    return s


def head_and_rest(x, *rest, scale=2.0):
    return (x + len(rest)) * scale, rest


def indexed(*values):
    return values[0] * values[-1], len(values), values[1:]


def unpacked(*pair):
    a, b = pair
    return a - b


@pytest.mark.parametrize("call", [(), (1,), (1, 2, 3), (1.5, 2.5), (True, False)])
def test_extra_positionals_are_a_tuple(call):
    same(total, *call)


@pytest.mark.parametrize("call,kw", [((1,), {}), ((1, 2.0, 3), {}), ((1, "a"), {"scale": 3.0}),
                                     ((1, (2, 3)), {"scale": 1})])
def test_with_positional_and_keyword_only_parameters(call, kw):
    f = njit(head_and_rest)
    want = head_and_rest(*call, **kw)
    got = f(*call, **kw)
    assert got == want and type(got[0]) is type(want[0]) and type(got[1]) is tuple


def test_indexing_slicing_and_unpacking():
    same(indexed, 2, 3.5, 4)
    same(indexed, 1)
    same(unpacked, 5, 3)
    same(lambda *t: (t[1:], t[:-1], t[::-1], t[5:], t[::2]), 1, 2.0, "x", (3,))
    # The number of extras is part of the types: what Python finds running, dunnart finds
    # compiling (a TypingError naming it).
    with pytest.raises(dunnart.TypingError, match=r"cannot unpack UniTuple\(int x 1\) into 2 values"):
        njit(unpacked)(5)
    with pytest.raises(dunnart.TypingError, match=r"tuple index out of range"):
        njit(indexed)()


def test_one_compilation_per_types_of_the_extras():
    f = njit(total)
    assert f(1, 2) == 3 and f(3, 4) == 7 and f(1, 2, 3) == 6 and f(1.0, 2.0) == 3.0
    assert len(f.signatures) == 3


jitted_total = njit(total)
jitted_head_and_rest = njit(head_and_rest)


@njit
def calls_with_extras(a):
    return (jitted_total(a, a, 1), jitted_head_and_rest(a, 1, 2, scale=0.5), jitted_total(),
            jitted_head_and_rest(a))


def test_calls_between_jitted_functions_pack_the_extras():
    assert calls_with_extras(2) == calls_with_extras.py_func(2) == (5, (2.0, (1, 2)), 0, (4.0, ()))


@njit
def passes_a_keyword_for_star(a):
    return jitted_head_and_rest(a, rest=(1,))


def test_bad_calls_are_pythons_type_errors():
    f = njit(head_and_rest)
    for args, kw in [((), {}), ((1,), {"rest": 2}), ((1,), {"y": 2})]:
        with pytest.raises(TypeError) as want:
            head_and_rest(*args, **kw)
        with pytest.raises(TypeError) as got:
            f(*args, **kw)
        assert str(got.value) == str(want.value)
    with pytest.raises(dunnart.TypingError, match=r"unexpected keyword argument 'rest'"):
        passes_a_keyword_for_star(1)


def test_mixed_types_cannot_be_iterated_and_the_message_says_what_to_write():
    with pytest.raises(dunnart.UnsupportedError, match=r"mixed types") as e:
        njit(total)(1, 2.5)
    assert "1.0 rather than 1" in str(e.value)
