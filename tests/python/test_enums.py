"""enum.Enum and enum.IntEnum members in compiled code: read from globals and closures
(`Color.RED`, a module-level `RED = Color.RED`), passed as arguments, returned (the caller
gets the member itself), compared (`==`, `!=`, `is`, `is not`: by identity, which within
one class is by value), `.value`, and `.name` of a member known while compiling. An IntEnum
member is an int wherever a number is expected (so `max(s, 2)` gives the int where Python
gives back the member s). Members are their int values at run time,
typed by their class, so classes (and Enum vs IntEnum) compile separately. Each test
compares with CPython running the same function, including the exact types of results."""
import enum
import math

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from jitcheck import assert_same_types, run_fresh_twice


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1  # an alias of RED


class Shape(enum.IntEnum):
    TRIANGLE = 3
    SQUARE = 4


class Other(enum.IntEnum):
    X = 3


class Letter(enum.Enum):
    A = "a"


class Perm(enum.Flag):
    R = 4
    W = 2


RED = Color.RED
same = assert_same_types


def check(f, *args):
    same(f(*args), f.py_func(*args))


# -- from globals ---------------------------------------------------------------------

def test_members_values_and_names_from_globals():
    @njit
    def f():
        return Color.RED, Color.RED.value, Color.GREEN.name, RED, RED.name, Shape.SQUARE, Shape.SQUARE.value
    check(f)


def test_alias_is_the_canonical_member():
    @njit
    def f():
        return Color.CRIMSON, Color.CRIMSON.name, Color.CRIMSON is Color.RED, Color.CRIMSON == RED
    check(f)


def test_class_in_a_closure():
    class Mode(enum.Enum):
        FAST = 10
        SLOW = 20

    @njit
    def f(m):
        return Mode.SLOW if m == Mode.FAST else Mode.FAST
    check(f, Mode.FAST)
    check(f, Mode.SLOW)


MODE = Color.GREEN  # a global flag


def test_comparison_of_known_members_prunes_a_branch():
    @njit
    def f(a):
        if MODE == Color.RED:
            return a.no_such_attribute  # not typed: the branch cannot run
        if MODE is not Color.GREEN:
            return "never"
        return a + 1
    check(f, 1)


# -- as arguments and results ---------------------------------------------------------

def test_comparisons():
    @njit
    def f(c):
        return (c == Color.RED, c != Color.RED, c is Color.GREEN, c is not Color.GREEN, c == 1,
                c == Shape.TRIANGLE, c is None)
    for c in Color:
        check(f, c)


def test_membership_in_a_tuple_of_members():
    @njit
    def f(c, s):
        return c in (Color.RED, Color.GREEN), c not in (Color.BLUE,), s in (3, 5), s in (Shape.SQUARE, 7)
    for c in Color:
        check(f, c, Shape.TRIANGLE)
        check(f, c, Shape.SQUARE)


def test_two_members_compared():
    @njit
    def f(a, b):
        return a == b, a is b, a != b
    check(f, Color.RED, Color.RED)
    check(f, Color.RED, Color.BLUE)
    check(f, Color.RED, Shape.TRIANGLE)


def test_value_of_an_argument():
    @njit
    def f(c):
        return c.value * 10
    for c in Color:
        check(f, c)


def test_member_returned_from_branches():
    @njit
    def f(c, n):
        if c == Color.RED:
            return Color.GREEN
        if n > 2:
            return c
        return Color.BLUE
    for c in Color:
        for n in (1, 3):
            check(f, c, n)


def test_members_in_tuples_and_loops():
    @njit
    def f(c, n):
        k = 0
        for i in range(n):
            if c is Color.BLUE:
                k += i
        return (c, k), Color.BLUE
    check(f, Color.BLUE, 4)
    check(f, Color.RED, 4)


@njit
def next_color(c):
    if c == Color.RED:
        return Color.GREEN
    if c == Color.GREEN:
        return Color.BLUE
    return Color.RED


def test_passed_to_and_returned_from_a_jitted_function():
    @njit
    def f(c):
        return next_color(next_color(c)), next_color(Color.RED)
    for c in Color:
        check(f, c)


# -- IntEnum members are ints ---------------------------------------------------------

def test_int_enum_arithmetic():
    @njit
    def f(s, x):
        return s + 1, s * x, s / 2, s // 2, -s, s ** 2, s == 4, s < Shape.SQUARE, s >= 3.5, s
    check(f, Shape.SQUARE, 2)
    check(f, Shape.TRIANGLE, 1.5)


def test_int_enum_where_numbers_go():
    @njit
    def f(s, a):
        t = 0
        for i in range(s):
            t += i
        return float(a[Shape.TRIANGLE]), t, abs(s), max(s.value, 2), math.sqrt(s), int(s), float(s), np.zeros(s).shape
    check(f, Shape.SQUARE, np.arange(10.0))


def test_int_enum_and_int_compile_separately():
    @njit
    def f(s):
        return s
    same(f(4), 4)
    same(f(Shape.SQUARE), Shape.SQUARE)
    same(f(Other.X), Other.X)
    same(f(Color.RED), Color.RED)
    assert len(f.signatures) == 4


def test_ordering_of_known_int_enum_members():
    @njit
    def f():
        return Shape.TRIANGLE < Shape.SQUARE, Shape.SQUARE <= Shape.TRIANGLE, Shape.SQUARE == Shape.SQUARE
    check(f)


def test_int_enums_of_two_classes_compare_as_ints():
    @njit
    def f(a, b):
        return a == b, a < b, a is b
    check(f, Shape.TRIANGLE, Other.X)


# -- what is refused, and how ---------------------------------------------------------

def test_name_of_a_member_known_only_at_run_time():
    @njit
    def f(c):
        return c.name
    with pytest.raises(UnsupportedError, match=r"name of an enum member known only at run time(.|\n)*c == Color.RED"):
        f(Color.RED)


def test_ordering_of_enum_members():
    @njit
    def f(a, b):
        return a < b
    with pytest.raises(TypingError, match=r"'<' is not supported between instances of 'Color' and 'Color'(.|\n)*a.value < b.value"):
        f(Color.RED, Color.BLUE)


def test_arithmetic_on_enum_members():
    @njit
    def f(c):
        return c + 1
    with pytest.raises(TypingError, match="unsupported operand types for \\+: EnumMember"):
        f(Color.RED)


def test_unknown_member():
    @njit
    def f():
        return Color.PURPLE
    with pytest.raises(TypingError, match="type object 'Color' has no attribute 'PURPLE'(.|\n)*RED, GREEN, BLUE"):
        f()


def test_lookup_by_value():
    @njit
    def f(v):
        return Color(v)
    with pytest.raises(UnsupportedError, match=r"calling the enum class Color(.|\n)*Color.NAME"):
        f(1)


def test_truth_of_a_member():
    @njit
    def f(c):
        return 1 if c else 0
    with pytest.raises(UnsupportedError, match="truth value of an enum member"):
        f(Color.RED)


def test_non_int_values_as_argument():
    @njit
    def f(x):
        return 1
    with pytest.raises(TypeError, match=r"a member of .*Letter is not supported(.|\n)*values are of type 'str'; pass member.value"):
        f(Letter.A)


def test_non_int_values_as_global():
    @njit
    def f():
        return Letter.A
    with pytest.raises(UnsupportedError, match=r"enum class .*Letter.*values are of type 'str'.*cannot be used"):
        f()


def test_flags_are_refused():
    @njit
    def f(x):
        return 1
    with pytest.raises(TypeError, match="enum.Flag classes"):
        f(Perm.R)


# -- the disk cache -------------------------------------------------------------------

MODULE = """
import enum
from dunnart import njit

class Color(enum.Enum):
    RED = 1
    GREEN = 2

@njit(cache=True)
def flip(c):
    return Color.GREEN if c == Color.RED else Color.RED
"""

CHILD = """
import json
import enmod
r = enmod.flip(enmod.Color.RED)
print("RESULT=" + json.dumps({"r": repr(r), "is": r is enmod.Color.GREEN, "compiles": enmod.flip.stats["compiles"],
                             "hits": enmod.flip.stats["cache_hits"]}))
"""


def test_disk_cache(tmp_path):
    runs = run_fresh_twice(tmp_path, "enmod", MODULE, CHILD)
    for r in runs:
        assert r["r"] == "<Color.GREEN: 2>" and r["is"]
    assert runs[0]["compiles"] == 1 and runs[1]["hits"] == 1
