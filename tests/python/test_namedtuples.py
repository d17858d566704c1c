"""namedtuple values (collections.namedtuple and typing.NamedTuple classes) as arguments,
results and locals. A namedtuple's type keeps its class: `p.x` is the field, `P(...)` and
`P(x=...)` build one (with the class's defaults), `p._replace(...)` a new one, and a result
comes back as an instance of the same class. Everything else (indexing, unpacking, len,
iteration, passing to other jitted functions) is a tuple's. Each test compares with CPython
running the same function, including the exact type of every part of the result."""
import collections
import typing

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from jitcheck import assert_same_types, run_fresh_twice

P = collections.namedtuple("P", "x y")
Q = collections.namedtuple("Q", ["x", "y"])  # P's fields under another name
D = collections.namedtuple("D", "a b c", defaults=(2.5, 7))
R = collections.namedtuple("R", "name pos n")


ORIGIN = P(0.5, 2)  # a global instance: frozen like a tuple of numbers, keeping its class


class Item(typing.NamedTuple):
    label: str
    weight: float
    count: int = 1


same = assert_same_types


def check(f, *args):
    same(f(*args), f.py_func(*args))


# -- as arguments ---------------------------------------------------------------------

def test_fields_by_name_and_index():
    @njit
    def f(p):
        return p.x * 10 + p[1], p[-1], p.y
    check(f, P(1.5, 2.0))
    check(f, P(3, 4))


def test_unpack_len_iteration():
    @njit
    def f(p):
        x, y = p
        s = 0.0
        for v in p:
            s += v
        return x - y, len(p), s
    check(f, P(1.0, 5.0))


def test_heterogeneous_fields():
    @njit
    def f(r):
        return r.name, r.pos.x + r.pos.y, r.n + 1, r.pos
    check(f, R("ab", P(1.0, 2.0), 3))


def test_typing_namedtuple_argument():
    @njit
    def f(it):
        return it.weight * it.count, it.label
    check(f, Item("bolt", 0.25, 8))


def test_list_of_namedtuples_argument():
    @njit
    def f(ps):
        s = 0.0
        for p in ps:
            s += p.x * p.y
        return s, ps[0]
    check(f, [P(1.0, 2.0), P(3.0, 4.0)])


# -- global instances -----------------------------------------------------------------

def test_global_instance():
    @njit
    def f(a):
        return ORIGIN.x + a, ORIGIN, ORIGIN[1], ORIGIN._replace(y=a)
    check(f, 1.0)


# -- built in compiled code -----------------------------------------------------------

def test_construct_positional_and_keyword():
    @njit
    def f(a):
        return P(a, a + 1.0), P(y=a, x=2 * a), P(a, y=0)
    check(f, 2.0)
    check(f, 3)


def test_defaults():
    @njit
    def f(a):
        return D(a), D(a, 1.0), D(a, c=0), Item("x", a)
    check(f, 1)


def test_replace():
    @njit
    def f(p):
        return p._replace(x=10.0), p._replace(y=p.x, x=p.y), p
    check(f, P(1.0, 2.0))


def test_replace_may_change_a_fields_type():
    @njit
    def f(p):
        return p._replace(y="s")
    check(f, P(1, 2))


def test_local_built_in_a_loop():
    @njit
    def f(n):
        p = P(0.0, 0.0)
        for i in range(n):
            p = P(p.x + i, p.y - i)
        return p
    check(f, 5)


def test_fields_attribute():
    @njit
    def f(p):
        return p._fields, P._fields
    check(f, P(1, 2))


def test_class_in_a_closure():
    V = collections.namedtuple("V", "u v")

    @njit
    def f(a):
        return V(a, -a).v
    check(f, 4)


def test_in_a_list_keeps_its_class():
    @njit
    def f(a):
        ps = [P(a, a)]
        ps.append(P(a + 1, a))
        return ps[1], ps
    check(f, 1.0)


def test_print_shows_the_repr(capsys):
    @njit
    def f(p, r):
        print(p, r, (p, 1))
    f(P(1, 2.5), R("a", P(1, 2), 3))
    jit_out = capsys.readouterr().out
    f.py_func(P(1, 2.5), R("a", P(1, 2), 3))
    assert jit_out == capsys.readouterr().out == "P(x=1, y=2.5) R(name='a', pos=P(x=1, y=2), n=3) (P(x=1, y=2.5), 1)\n"


# -- between jitted functions ---------------------------------------------------------

@njit
def swap(p):
    return P(p.y, p.x)


def test_passed_to_and_returned_from_a_jitted_function():
    @njit
    def f(p):
        q = swap(p)
        return q.x - q.y, q, swap(q)
    check(f, P(1.0, 5.0))


# -- dispatch and types ---------------------------------------------------------------

def test_plain_tuple_and_namedtuple_compile_separately():
    @njit
    def f(p):
        return p
    same(f((1, 2)), (1, 2))
    same(f(P(1, 2)), P(1, 2))
    same(f(Q(1, 2)), Q(1, 2))
    same(f((1, 2)), (1, 2))
    assert len(f.signatures) == 3
    assert any("NamedTuple" in str(s[0]) and ".P," in str(s[0]) for s in f.signatures)


def test_two_classes_of_one_name_are_two_types():
    A1 = collections.namedtuple("Twin", "a")
    A2 = collections.namedtuple("Twin", "a")

    @njit
    def f(p):
        return p
    same(f(A1(1)), A1(1))
    same(f(A2(1)), A2(1))
    assert len(f.signatures) == 2

    @njit
    def g(a):
        return A2(a)
    same(g(3), A2(3))


def test_field_types_are_part_of_the_type():
    @njit
    def f(p):
        return p.x / 2
    check(f, P(3, 1))
    check(f, P(3.0, 1))
    assert len(f.signatures) == 2


# -- what is refused, and how ---------------------------------------------------------

def test_unknown_field():
    @njit
    def f(p):
        return p.z
    with pytest.raises(TypingError, match=r"'P' object has no attribute 'z'(.|\n)*its fields are x, y"):
        f(P(1, 2))


def test_missing_argument():
    @njit
    def f(a):
        return P(a)
    with pytest.raises(TypingError, match=r"P\(\) missing 1 required positional argument: 'y'"):
        f(1)


def test_unexpected_keyword():
    @njit
    def f(a):
        return P(a, z=a)
    with pytest.raises(TypingError, match=r"P\(\) got an unexpected keyword argument 'z'"):
        f(1)


def test_replace_of_an_unknown_field():
    @njit
    def f(p):
        return p._replace(z=1)
    with pytest.raises(TypingError, match="unexpected field name 'z' in _replace"):
        f(P(1, 2))


def test_asdict_is_refused_with_what_to_write():
    @njit
    def f(p):
        return p._asdict()
    with pytest.raises(UnsupportedError, match=r"_asdict\(\) is not supported(.|\n)*build the dict"):
        f(P(1, 2))


def test_namedtuple_or_plain_tuple_in_one_variable():
    @njit
    def f(p, c):
        q = p if c else (1, 2)
        return q
    with pytest.raises(TypingError, match=r"(NamedTuple.* and UniTuple.* at line)|(UniTuple.* at line \d+ and NamedTuple.* \(an argument\))"):
        f(P(1, 2), True)


def test_array_fields_are_passed_as_plain_tuples_of_arrays_are():
    @njit
    def f(p):
        return p.x.sum() + p.y
    assert f(P(np.ones(3), 2)) == 5.0


# -- the disk cache -------------------------------------------------------------------

MODULE = """
import collections
from dunnart import njit

P = collections.namedtuple("P", "x y")

@njit(cache=True)
def move(p, d):
    return P(p.x + d, p.y)

@njit(cache=True)
def ident(p):
    return p
"""

CHILD = """
import json
import ntmod
r1 = ntmod.move(ntmod.P(1.0, 2.0), 0.5)
r2 = ntmod.ident((1.0, 2.0))
r3 = ntmod.ident(ntmod.P(1.0, 2.0))
print("RESULT=" + json.dumps({"r1": [type(r1).__name__, list(r1)], "r2": [type(r2).__name__, list(r2)],
                             "r3": [type(r3).__name__, list(r3)], "sigs": len(ntmod.ident.signatures),
                             "compiles": ntmod.move.stats["compiles"] + ntmod.ident.stats["compiles"]}))
"""


def test_disk_cache_keeps_the_class(tmp_path):
    runs = run_fresh_twice(tmp_path, "ntmod", MODULE, CHILD)
    for r in runs:
        assert r["r1"] == ["P", [1.5, 2.0]]
        assert r["r2"] == ["tuple", [1.0, 2.0]]
        assert r["r3"] == ["P", [1.0, 2.0]]
        assert r["sigs"] == 2
    assert runs[0]["compiles"] == 3
    assert runs[1]["compiles"] == 0  # all three from the cache, the plain tuple's apart
