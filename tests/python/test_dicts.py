"""Issue 11, dicts and sets: literals, {} / dict() / set() typed by what is stored, indexing,
the methods, views, iteration in insertion order, `in`, the operators, comprehensions, del,
dicts and sets as arguments (reflected: the caller sees the mutations) and as results
(Python dicts and sets of Python numbers). Every case runs the same function under CPython
and compares results, their types, the arguments afterwards, and exception class and
message."""
import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from python_outcome import outcome, same  # noqa: F401


# ---------------------------------------------------------------- building and reading


def squares(n):
    d = {}
    for i in range(n):
        d[i] = i * i
    return d


def literal():
    return {1: 1.5, 2: 2.5, 1: 3.5}


def const_keys(x):
    return {1: x, 2: x + 1, 3: x * 2}


def empty_dict_call(n):
    d = dict()
    for i in range(n):
        d[i % 4] = d.get(i % 4, 0) + i
    return d


def tuple_keys(n):
    d = {}
    for i in range(n):
        for j in range(3):
            d[(i, j)] = i * 10.0 + j
    return d[(1, 2)], len(d), d


def float_keys():
    d = {0.0: 1, 1.5: 2}
    d[-0.0] = 3  # the same key as 0.0, which it keeps
    return d, d[0.0], 1.5 in d, 2 in d


def getitem(d, k):
    return d[k]


def dict_comprehension(n):
    return {i: i * 0.5 for i in range(n) if i % 2}


def nested_comprehension(n):
    return {(i, j): i * j for i in range(n) for j in range(i)}


def counts(a):
    c = {}
    for x in a:
        c[x] = c.get(x, 0) + 1
    return c


@pytest.mark.parametrize("fn, args", [
    (squares, (10,)), (squares, (0,)), (literal, ()), (empty_dict_call, (10,)), (tuple_keys, (4,)),
    (float_keys, ()), (dict_comprehension, (9,)), (nested_comprehension, (5,)),
    (counts, ([3, 1, 3, 2, 1, 3],)), (counts, ([0.5, 0.5, -1.0],)),
    (const_keys, (2.5,)),
])
def test_building(fn, args):
    same(fn, *args)


@pytest.mark.parametrize("k", [2, 5, -1, True])
def test_getitem_and_key_error(k):
    got = same(getitem, {1: 10, 2: 20, True: 30}, k)
    if k == 5:
        assert got[0] is KeyError


def test_key_error_message_is_the_key():
    with pytest.raises(KeyError) as e:
        njit(getitem)({(1, 2): 1.0}, (3, 4))
    assert e.value.args == ((3, 4),)
    with pytest.raises(KeyError) as e:
        njit(getitem)({1.5: 1.0}, 2.5)
    assert e.value.args == (2.5,)


def test_growth_and_many_keys():
    same(squares, 100_000)


# ---------------------------------------------------------------- methods


def methods(n):
    d = {}
    for i in range(n):
        d.setdefault(i % 5, i)
    a = d.pop(3)
    b = d.pop(30, -1)
    k, v = d.popitem()
    e = d.copy()
    e[100] = 1
    d.update(e)
    d.update({7: 7})
    total = 0
    for key in d.keys():
        total += key
    for value in d.values():
        total += value * 10
    for key, value in d.items():
        total += key * value
    return a, b, k, v, total, len(d), d


def pop_missing():
    d = {1: 2}
    return d.pop(5)


def popitem_empty():
    d = {1: 2}
    d.popitem()
    return d.popitem()


def clear_and_reuse(n):
    d = {i: i for i in range(n)}
    d.clear()
    d[5] = 1
    return d, len(d), bool(d)


def delete(n):
    d = {i: i * 2 for i in range(n)}
    for i in range(0, n, 2):
        del d[i]
    d[0] = -1  # after the others now: deleted keys lose their place
    return d


def delete_missing():
    d = {1: 2}
    del d[3]
    return d


def membership(n):
    d = {i * 3: i for i in range(n)}
    return 3 in d, 4 in d, 4 not in d, 3.0 in d, 3.5 in d, 2 in d.values(), 7 in d.values(), (3, 1) in d.items(), (3, 2) in d.items()


def equality():
    a = {1: 2.0, 3: 4.0}
    b = {3: 4.0, 1: 2.0}
    c = {1: 2.0, 3: 5.0}
    return a == b, a != b, a == c, a != c


def builtins_over_dicts():
    d = {3: 0.5, 1: 1.5, 2: -2.0}
    return (sorted(d), sum(d.values()), min(d), max(d.values()), list(d.items()), len(d.keys()), any(d), all(d),
            list(d), sorted(d.values(), reverse=True))


def iterate_in_order(n):
    d = {}
    for i in range(n):
        d[(i * 7) % n] = i
    out = []
    for k in d:
        out.append(k)
    return out


def changed_size():
    d = {1: 1, 2: 2}
    for k in d:
        d[k + 10] = 0
    return d


@pytest.mark.parametrize("fn, args", [
    (methods, (12,)), (pop_missing, ()), (popitem_empty, ()), (clear_and_reuse, (5,)), (delete, (10,)),
    (delete_missing, ()), (membership, (5,)), (equality, ()), (builtins_over_dicts, ()),
    (iterate_in_order, (11,)), (changed_size, ()),
])
def test_methods(fn, args):
    same(fn, *args)


# ---------------------------------------------------------------- sets


def set_ops(n):
    s = set()
    for i in range(n):
        s.add(i % 7)
    t = {5, 6, 7, 8}
    u = s | t
    v = s & t
    w = s - t
    x = s ^ t
    s2 = set(range(3))
    s2 |= {10}
    s2 -= {0}
    return (len(s), 3 in s, 9 in s, u, v, w, x, s2, s.union(t) == u, s.intersection(t), s.difference(t),
            s.symmetric_difference(t), {1, 2} <= s, {1, 2} < s, s >= {1}, s > s, s.issubset(u), u.issuperset(s),
            s.isdisjoint({100}), s.isdisjoint(t), s == set(range(7)), s != t)


def set_methods():
    s = {1.5, 2.5, 3.5}
    s.discard(2.5)
    s.discard(10.0)
    s.remove(1.5)
    s.update([4.5, 5.5])
    e = s.copy()
    p = s.pop()  # which one is not the same as CPython's: a set's order is its own
    e.clear()
    return sorted(s | {p}), p in e, e, sum(s) + p, sorted({x * 2 for x in [1, 2, 2, 3]}), set([1, 1, 2]), bool(e)


def set_remove_missing():
    s = {1, 2}
    s.remove(3)
    return s


def set_pop_empty():
    s = {1}
    s.pop()
    return s.pop()


def unique_count(a):
    return len(set(a))


def in_literals(x):
    # {1, 2.5} is a constant frozenset to CPython, a constant tuple here: compared in turn.
    return x in {1, 2.5}, x in (3, 4), x not in (1, 2), (x, 1) in ((2, 1), (3, 1))


def set_of_tuples(n):
    s = set()
    for i in range(n):
        s.add((i % 3, i % 2))
    return s, (1, 1) in s, (2, 2) in s


@pytest.mark.parametrize("fn, args", [
    (set_ops, (20,)), (set_methods, ()), (set_remove_missing, ()), (set_pop_empty, ()),
    (unique_count, ([1, 2, 2, 5, 1],)), (set_of_tuples, (10,)),
    (in_literals, (1,)), (in_literals, (2.5,)), (in_literals, (3,)), (in_literals, (7.0,)),
])
def test_sets(fn, args):
    same(fn, *args)


# ---------------------------------------------------------------- across the boundary


def mutate(d, s):
    d[100] = 1.5
    del d[1]
    s.add(7)
    return len(d) + len(s)


def read_only(d):
    t = 0.0
    for k, v in d.items():
        t += k * v
    return t


def returns_argument(d):
    d[9] = 9
    return d


def test_arguments_are_reflected():
    same(mutate, {1: 2.0, 2: 3.0}, {1, 2})
    same(read_only, {1: 2.0, 2: 3.0})
    d = {1: 2}
    assert njit(returns_argument)(d) is d and d == {1: 2, 9: 9}


def test_unchanged_argument_keeps_its_objects():
    d = {1: 2.0}
    value = d[1]
    njit(read_only)(d)
    assert d[1] is value


@pytest.mark.parametrize("bad, words", [
    ({}, "empty dict"), ({1: b"a"}, "dict values of type bytes"), ({1: 1, 2.5: 1}, None), (set(), "empty set"),
])
def test_bad_arguments(bad, words):
    f = njit(read_only)
    if words is None:  # ints and floats unify: the dict is typed as float keys
        f(bad)
        return
    with pytest.raises(TypeError, match=words):
        f(bad)


# ---------------------------------------------------------------- errors


def mixed_values():
    d = {1: 1.0}
    d[2] = (1, 2)
    return d


def untyped():
    d = {}
    return len(d)


def float_key_into_ints():
    d = {1: 1}
    d[1.5] = 2
    return d


def get_without_default(d):
    return d.get(1)


def array_values():
    return {"a": np.zeros(2)}


@pytest.mark.parametrize("fn, err, words", [
    (mixed_values, TypingError, "cannot use a"),
    (untyped, TypingError, "cannot infer the key and value types of this empty dict"),
    (float_key_into_ints, TypingError, "float"),
    (array_values, UnsupportedError, "as a dict or set value is not supported yet"),
])
def test_refused(fn, err, words):
    with pytest.raises(err, match=words):
        njit(fn)()


def test_get_without_default_gives_none_or_the_value():
    # An optional (tests/python/test_optionals.py has the rest).
    f = njit(get_without_default)
    assert f({1: 2}) == 2 and f({3: 4}) is None


# ---------------------------------------------------------------- dunnart.typed


def fill_typed(d, l, n):
    for i in range(n):
        d[i] = i * 2
        l.append(i)
    return len(d) + len(l)


def test_typed_containers_declare_their_types():
    import numpy as np
    from dunnart.typed import Dict, List
    d = Dict.empty(key_type=np.int64, value_type=np.float64)
    lst = List.empty_list(float)
    assert njit(fill_typed)(d, lst, 3) == 6
    assert d == {0: 0.0, 1: 2.0, 2: 4.0} and all(type(v) is float for v in d.values())
    assert lst == [0.0, 1.0, 2.0] and all(type(v) is float for v in lst)
    assert isinstance(d, Dict) and isinstance(lst, List)
    pairs = Dict.empty((np.int64, np.int64), np.float32)
    pairs[(1, 2)] = 0.5
    assert njit(getitem)(pairs, (1, 2)) == 0.5


def test_typed_containers_refuse_what_they_do_not_hold():
    import numpy as np
    from dunnart.typed import Dict, List
    bad = Dict.empty(np.int64, np.int64)
    bad[1] = 2.5
    with pytest.raises(TypeError, match="declared type is int64"):
        njit(fill_typed)(bad, List.empty_list(int), 1)
    with pytest.raises(TypeError, match="dunnart containers hold"):
        Dict.empty(str, int)


# ---------------------------------------------------------------- dicts of lists


def group_by_remainder(n):
    d = {}
    for i in range(n):
        k = i % 3
        if k not in d:
            d[k] = []
        d[k].append(i * 0.5)
    return d


def group_with_setdefault(n):
    d = {}
    for i in range(n):
        d.setdefault(i % 4, []).append(i)
    total = 0
    for k, v in d.items():
        total += k * sum(v) + len(v)
    return d, total


def grow_argument_lists(d):
    d[1].append(5)
    d[7] = [1, 2]
    return len(d), len(d[1])


def never_appended(n):
    d = {}
    for i in range(n):
        d[i] = []
    return len(d)


def test_dicts_of_lists():
    same(group_by_remainder, 7)
    same(group_with_setdefault, 9)
    same(grow_argument_lists, {1: [1, 2], 2: [3]})


def test_dict_of_lists_never_appended_to_names_the_list():
    with pytest.raises(TypingError, match="cannot infer the element type of this empty list"):
        njit(never_appended)(3)


def test_changed_set_argument_is_written_back():
    def add(s):
        s.add(4)
        s.discard(1)
        return len(s)
    same(add, {1, 2, 3})


# ---------------------------------------------------------------- random operations


def run_ops(ops, keys, values):
    """A dict and a set driven through a random sequence of operations; every answer is
    recorded, so the order of iteration, the values and the sizes are all compared."""
    d = {}
    s = set()
    out = []
    for j in range(len(ops)):
        op, k, v = ops[j], keys[j], values[j]
        if op == 0:
            d[k] = v
            s.add(k)
        elif op == 1:
            out.append(d.get(k, -1.0))
        elif op == 2:
            if k in d:
                del d[k]
            s.discard(k)
        elif op == 3:
            out.append(d.pop(k, -2.0))
        elif op == 4:
            out.append(float(len(d) * 1000 + len(s)))
        elif op == 5:
            if d:
                a, b = d.popitem()
                out.append(a + b)
        elif op == 6:
            t = 0.0
            n = 1.0
            for key, value in d.items():
                t += key * n + value
                n += 1.0
            out.append(t)
        elif op == 7:
            out.append(d.setdefault(k, v))
        elif op == 8:
            out.append(1.0 if k in s else 0.0)
    return d, out, sorted(s)


@pytest.mark.parametrize("seed, key_range, shift, floats", [
    (1, 8, 0, False), (2, 64, 0, False), (3, 5000, 0, False), (4, 300, 20, False), (5, 2**40, 0, False),
    (6, 50, 33, False), (7, 40, 0, True), (8, 3000, 0, True)])
def test_random_operations_match_python(seed, key_range, shift, floats):
    rng = np.random.default_rng(seed)
    n = 4000
    ops = rng.integers(0, 9, n)
    ops[: n // 4] = 0  # grow first, so deletions meet a table that has grown
    keys = (rng.integers(-key_range, key_range, n) << shift)
    if floats:
        keys = keys * 0.25  # floats that repeat, so float keys meet each other
    values = rng.standard_normal(n).round(3)
    got = njit(run_ops)(ops, keys, values)
    want = run_ops(ops.tolist(), keys.tolist(), values.tolist())
    assert list(got[0].items()) == list(want[0].items())
    assert got[1] == want[1]
    assert got[2] == want[2]


def test_typed_containers_made_in_compiled_code():
    # dunnart.typed's List and Dict (numba.typed's API) are lists and dicts in compiled code.
    from dunnart.typed import Dict, List

    def build(n):
        l = List()
        for i in range(n):
            l.append(i * 1.0)
        m = List.empty_list(np.int32)
        m.append(3)
        d = Dict.empty(key_type=np.int64, value_type=np.float64)
        d[1] = 2
        e = Dict()
        e["a"] = 1
        return l, m, d, e, List([1, 2])

    l, m, d, e, c = njit(build)(3)
    assert l == [0.0, 1.0, 2.0] and m == [3] and type(m[0]) is np.int32
    assert d == {1: 2.0} and type(d[1]) is float and e == {"a": 1} and c == [1, 2]
    with pytest.raises(UnsupportedError, match=r"empty_list\(\) with item_type other than a NumPy scalar type"):
        njit(lambda: List.empty_list("x"))()


# ---------------------------------------------------------------- dict() of pairs


def dict_of_zip(a, b):
    return dict(zip(a, b))


def dict_of_enumerate(a):
    return dict(enumerate(a)), dict(enumerate(a, 10))


def dict_of_nested_iterators(a, b):
    return dict(enumerate(zip(a, b))), dict(zip(a, zip(b, a))), dict(zip(reversed(a), b))


def dict_of_pairs(n):
    pairs = [(i % 3, i * 0.5) for i in range(n)]
    return dict(pairs), dict(dict(pairs).items()), dict(reversed(pairs)), dict(((1, 2.0), (3, 4.0)))


def dict_of_zip_of_ranges_and_strs(n):
    return dict(zip(range(n), range(n, 3 * n, 2))), dict(zip("abcdef", range(n)))


def dict_of_zip_beside_a_loop_over_zip(a, b):
    t = 0
    for x, y in zip(a, b):
        t += x * y
    d = dict(zip(a, b))
    d[100] = t
    return d


@pytest.mark.parametrize("fn, args", [
    (dict_of_zip, ([1, 2, 3], [4.0, 5.0, 6.0])),
    (dict_of_zip, ([1, 2, 1, 3], [4, 5, 6, 7])),       # a repeated key: first place, last value
    (dict_of_zip, ([1, 2, 3, 4], [4.0, 5.0])),         # zip stops at the shortest
    (dict_of_zip, (["a", "b"], [[1], [2, 3]])),
    (dict_of_enumerate, ([1.5, 2.5],)),
    (dict_of_nested_iterators, ([1, 2, 3], [3.0, 4.0, 5.0])),
    (dict_of_pairs, (0,)), (dict_of_pairs, (7,)),
    (dict_of_zip_of_ranges_and_strs, (4,)), (dict_of_zip_of_ranges_and_strs, (0,)),
    (dict_of_zip_beside_a_loop_over_zip, ([1, 2], [3, 4])),
])
def test_dict_of_pairs_matches_python(fn, args):
    same(fn, *args)


def test_dict_of_zip_of_arrays():
    # Keys and values come back as Python numbers, equal to NumPy's.
    a, b = np.arange(4), np.linspace(0.0, 1.0, 4)
    got = njit(dict_of_zip)(a, b)
    assert got == dict_of_zip(a, b) and list(got) == [0, 1, 2, 3]
    assert type(next(iter(got))) is int and type(got[0]) is float


@pytest.mark.parametrize("fn, error, message", [
    (lambda a: dict(a), TypingError, r"cannot convert dictionary update sequence element #0 to a sequence"),
    (lambda a: dict([(x, x, x) for x in a]), TypingError, r"element #0 has length 3; 2 is required"),
    (lambda a: dict(zip(a, a, a)), TypingError, r"element #0 has length 3; 2 is required"),
    (lambda a: dict(zip({x: x for x in a}, a)), UnsupportedError, r"zip\(\) of a dict, set or tuple(.|\n)*hint: pass a list"),
])
def test_dict_of_what_is_not_pairs_says_so(fn, error, message):
    with pytest.raises(error, match=message):
        njit(fn)([1, 2])
