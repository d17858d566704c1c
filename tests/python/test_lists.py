"""Issue 11, lists: literals, [] typed by what is appended, list(), the methods, indexing and
slicing, iteration, the operators, sum/min/max/sorted/len, lists as arguments (reflected:
the caller sees the mutations, as with Numba's reflected lists) and as results (Python
lists of Python numbers). Every case runs the same function under CPython and compares
results, their types, the arguments afterwards, and exception class and message."""
import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from python_outcome import outcome, same  # noqa: F401


def same_widened(fn, widest, *args):
    """For lists that mix kinds of numbers: a compiled list holds one type, the widest (as
    Numba's lists do), so the values equal Python's and every element has that type."""
    got = outcome(njit(fn), *args)
    want = outcome(fn, *args)
    assert got[0] == want[0] == "ok" and got[1] == want[1] and got[3] == want[3], (got, want)
    assert all(type(x) is widest for x in got[1]), got


# ---------------------------------------------------------------- building


def append_loop(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    return out


def append_ints(n):
    out = []
    for i in range(n):
        if i % 3:
            out.append(i)
    return out


def append_tuples(n):
    out = []
    for i in range(n):
        out.append((i, i * 1.5))
    return out


def append_bools(n):
    out = []
    for i in range(n):
        out.append(i % 2 == 0)
    return out


def append_widens(n):
    out = []
    out.append(1)
    out.append(2.5)
    for i in range(n):
        out.append(i)
    return out


def literal_floats():
    return [1.0, 2.0, 3.5]


def literal_mixed_numbers(x):
    return [1, x, True]


def literal_complex(z):
    return [z, 1.0, 2]


def from_range(a, b, c):
    return list(range(a, b, c))


def from_array(a):
    return list(a)


def from_tuple(x):
    return list((x, x + 1, x + 2))


def from_list(n):
    a = [n, n * 2]
    b = list(a)
    b.append(5)
    return a, b


def empty_list_function(n):
    out = list()
    for i in range(n):
        out.append(float(i))
    return out


@pytest.mark.parametrize("fn,args", [
    (append_loop, (0,)), (append_loop, (1,)), (append_loop, (100,)), (append_ints, (20,)),
    (append_tuples, (5,)), (append_bools, (7,)), (literal_floats, ()),
    (from_range, (0, 10, 1)), (from_range, (10, 0, -3)), (from_range, (5, 5, 1)), (from_range, (-7, 20, 4)),
    (from_tuple, (3,)), (from_list, (4,)), (empty_list_function, (4,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_building_lists_matches_python(fn, args):
    same(fn, *args)


def extend_with(n):
    a = [1.0, 2.0]
    a.extend([3.0, 4.0])
    a.extend(range(n))
    a.extend(np.arange(2.0))
    a.extend((7, 8))
    a.extend(a)
    return a


@pytest.mark.parametrize("fn,widest,args", [
    (append_widens, float, (3,)), (literal_mixed_numbers, float, (2.5,)), (literal_mixed_numbers, int, (7,)),
    (literal_complex, complex, (1 + 2j,)), (extend_with, float, (3,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_mixed_numbers_widen_to_one_element_type(fn, widest, args):
    same_widened(fn, widest, *args)


def test_list_of_an_array_holds_its_elements():
    # Python's list(a) holds NumPy scalars; compiled code returns int64 and float64 elements as
    # Python numbers (as it returns scalars), other dtypes as NumPy scalars of that dtype.
    f = njit(from_array)
    for a in [np.arange(5.0), np.arange(10, dtype=np.int64)[::3]]:
        got = f(a)
        assert got == from_array(a) and all(type(x) in (int, float) for x in got)


def test_list_of_int32_array_elements_keeps_numpy_scalars():
    got = njit(from_array)(np.arange(3, dtype=np.int32))
    assert got == [0, 1, 2] and all(type(x) is np.int32 for x in got)


# ---------------------------------------------------------------- indexing and methods


def index_at(n, i):
    a = list(range(n))
    return a[i]


def store_at(n, i, v):
    a = [0.0] * n
    a[i] = v
    return a


def slice_of(n, start, stop, step):
    a = list(range(n))
    return a[start:stop:step]


def slices(n):
    a = list(range(n))
    return a[2:], a[:3], a[::-1], a[-3:], a[1:-1:2], a[:]


def pop_end(n):
    a = list(range(n))
    x = a.pop()
    return x, a


def pop_at(n, i):
    a = list(range(n))
    x = a.pop(i)
    return x, a


def insert_at(n, i):
    a = list(range(n))
    a.insert(i, -1)
    return a


def misc_methods(n):
    a = list(range(n))
    b = a.copy()
    b.reverse()
    a.append(3)
    c = a.count(3)
    k = a.index(3) if n > 3 else -1
    a.remove(3)
    b.clear()
    return a, b, c, k


def index_missing(n):
    a = list(range(n))
    return a.index(n)


def remove_missing(n):
    a = list(range(n))
    a.remove(-5)
    return a


def sort_methods(x):
    a = [3.5, -1.0, x, 2.0, 0.0, -0.0]
    b = sorted(a)
    c = sorted(a, reverse=True)
    a.sort(reverse=True)
    d = [5, 3, 9, 1]
    d.sort()
    return a, b, c, d


@pytest.mark.parametrize("fn,args", [
    (index_at, (5, 0)), (index_at, (5, 4)), (index_at, (5, -1)), (index_at, (5, -5)), (index_at, (5, 5)),
    (index_at, (5, -6)), (index_at, (0, 0)),
    (store_at, (3, 1, 2.5)), (store_at, (3, -1, 7.5)), (store_at, (3, 3, 1.0)), (store_at, (3, -4, 1.0)),
    (slice_of, (10, 2, 8, 2)), (slice_of, (10, -2, 1, -3)), (slice_of, (10, 50, -50, -1)), (slice_of, (10, 3, 3, 1)),
    (slice_of, (10, 0, 10, 0)), (slices, (6,)), (slices, (0,)),
    (pop_end, (3,)), (pop_end, (0,)), (pop_at, (5, 1)), (pop_at, (5, -1)), (pop_at, (5, 5)), (pop_at, (0, 0)),
    (insert_at, (4, 0)), (insert_at, (4, 2)), (insert_at, (4, 100)), (insert_at, (4, -1)), (insert_at, (4, -100)),
    (insert_at, (0, 3)), (misc_methods, (6,)), (misc_methods, (3,)),
    (remove_missing, (2,)), (sort_methods, (1.5,)), (sort_methods, (-7.0,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_indexing_and_methods_match_python(fn, args):
    same(fn, *args)


def test_index_of_a_missing_value_raises_value_error():
    # Python names the value ("3 is not in list"); compiled code says x (no formatting yet).
    with pytest.raises(ValueError, match="not in list"):
        njit(index_missing)(3)


# ---------------------------------------------------------------- operators and builtins


def operators(n, k):
    a = list(range(n))
    b = [1.5] * k
    c = a * k
    d = k * [0, 1]
    e = a + a
    f = a
    f += [9]
    g = [1, 2]
    g *= k
    return c, d, e, f, a, g, b == b, a == e, a != e, [1, 2] == [1.0, 2.0], 3 in a, 3 not in a, 2.5 in b


def truth(n):
    a = [0] * n
    if a:
        return 1
    return 0 if not a else 2


def iterate_and_grow(n):
    a = [1]
    total = 0
    for x in a:
        total += x
        if len(a) < n:
            a.append(x + 1)
    return total, a


def builtins_over_lists(n):
    a = []
    for i in range(n):
        a.append(i * 0.1)
    b = list(range(n))
    return sum(a), sum(b), sum(b, 10), sum(a, 0.5), min(b), max(b), len(a), sum(range(n))


def min_of_empty(n):
    a = list(range(n))
    return min(a)


def max_first_wins(x):
    a = [1.0, x, 3.0, x]
    return max(a), min(a)


def nested_calls(n):
    return summed(collect(n))


@njit
def collect(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


@njit
def summed(a):
    return sum(a) + len(a)


@pytest.mark.parametrize("fn,args", [
    (operators, (3, 2)), (operators, (0, 0)), (operators, (4, -1)), (truth, (0,)), (truth, (3,)),
    (iterate_and_grow, (5,)), (builtins_over_lists, (0,)), (builtins_over_lists, (10,)),
    (min_of_empty, (0,)), (min_of_empty, (4,)), (max_first_wins, (3.0,)), (max_first_wins, (float("nan"),)),
    (nested_calls, (7,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_operators_and_builtins_match_python(fn, args):
    same(fn, *args)


def test_sum_of_floats_adds_as_this_python_does():
    # 3.12+ compensates (Neumaier); 3.11 adds left to right.
    def s(n):
        a = [0.1] * n
        a.append(1e100)
        a.append(-1e100)
        return sum(a)
    same(s, 10)
    same(s, 1000)


# ---------------------------------------------------------------- lists as arguments and results


def mutate(a, v):
    a.append(v)
    a[0] = v * 2
    return len(a)


def append_one(a, v):
    a.append(v)
    a.insert(0, v)


def shrink(a):
    a.pop()
    a.pop(0)
    return a


def clear_and_raise(a):
    a.clear()
    a.append(1)
    raise ValueError("after mutation")


def read_only(a):
    total = 0.0
    for x in a:
        total += x
    return total


def mean_of(a):
    return sum(a) / len(a)


@pytest.mark.parametrize("fn,args", [
    (mutate, ([1.0, 2.0], 3.5)), (mutate, ([1, 2, 3], 4)), (append_one, ([True], False)), (shrink, ([1, 2, 3, 4],)),
    (shrink, ([1.5],)), (clear_and_raise, ([5, 6],)), (read_only, ([1, 2.5, 3],)), (mean_of, ([1, 2, 3, 4],)),
    (append_one, ([(1, 2.0)], (3, 4.5))), (append_one, ([1.5], 2)),
], ids=lambda v: getattr(v, "__name__", None))
def test_list_arguments_are_reflected_like_python(fn, args):
    same(fn, *args)


def test_returned_argument_is_the_callers_list():
    a = [1, 2, 3]
    r = njit(shrink)(a)
    assert r is a and a == [2]


def test_unchanged_elements_keep_their_python_objects():
    big = 10**15
    a = [1, 2.5, big]  # a list of floats to the compiled code: the ints stay ints
    assert njit(read_only)(a) == 1 + 2.5 + big
    assert a == [1, 2.5, big] and [type(x) for x in a] == [int, float, int]


def test_a_list_argument_is_copied_in_once_per_call():
    a = [0.5] * 1000
    f = njit(mutate)
    for k in range(3):
        f(a, 1.0)
    assert len(a) == 1003 and a[0] == 2.0 and a[-1] == 1.0


def test_list_argument_types_are_part_of_the_signature():
    f = njit(read_only)
    assert f([1, 2]) == 3.0 and f([1.5, 2.5]) == 4.0 and f([True, True]) == 2.0
    assert len(f.signatures) == 3


# ---------------------------------------------------------------- errors


def append_float_to_int_list(x):
    a = [1, 2]
    a.append(x)
    return a


def never_typed():
    a = []
    return len(a)


def stack_of_list(n):
    a = []
    a.append(np.zeros(n))
    return np.stack(a, axis=1)


def ordered_lists():
    return [(1, 2)] < [(2, 1)]


def list_order(a, b):
    return a < b, a <= b, a > b, a >= b


def emptied_order():
    a = [1]
    a.pop()  # an empty list: ordered before every other
    return a < [1], a < a, [0] > a, a <= a


@pytest.mark.parametrize("a, b", [([1, 2, 3], [1, 2, 4]), ([1, 2], [1, 2, 0]), ([0], [0, 1]), ([3], [3]),
                                  ([2.5], [2]), ([1.0, -3.0], [1, -3]), ([5], [1, 9, 9])])
def test_lists_order_as_python_orders_them(a, b):
    same(list_order, a, b)
    same(list_order, b, a)
    same(emptied_order)


def mixed_literal(x):
    return [1, (x, x)]


@pytest.mark.parametrize("fn,args,error,pattern", [
    (append_float_to_int_list, (2.5,), TypingError, r"cannot store float.* in a list\(int64\)"),
    (never_typed, (), TypingError, r"cannot infer the element type of this empty list"),
    (stack_of_list, (3,), UnsupportedError, r"of a list of arrays along an axis other than 0 is not supported yet"),
    (ordered_lists, (), UnsupportedError, r"ordering lists of UniTuple\(int64 x 2\) with <"),
    (mixed_literal, (1,), TypingError, r"a list holds one type"),
], ids=lambda v: getattr(v, "__name__", None))
def test_unsupported_list_code_says_what_to_change(fn, args, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        njit(fn)(*args)
    assert "hint:" in str(info.value) or error is UnsupportedError


@pytest.mark.parametrize("bad", [[], [b"a"], [1, (1, 2)]])  # lists of arrays and lists: test_nested_lists.py
def test_list_arguments_that_cannot_be_compiled_raise_type_error(bad):
    with pytest.raises(TypeError, match="argument"):
        njit(read_only)(bad)


def squares(n):
    return [i * i for i in range(n) if i % 2]


def test_list_comprehensions():
    # 3.12 inlines comprehensions into the function's bytecode; 3.11 makes them nested
    # functions (test_local_functions.py has more).
    same(squares, 9)


def appended_into_array(n):
    rows = []
    for i in range(n):
        rows.append(i)
    return np.array(rows, np.int8), np.asarray(rows)


def test_list_typed_by_appends_into_array():
    # np.array of a list still untyped when typing first reaches it (a crash, once).
    for got, want in zip(njit(appended_into_array)(5), appended_into_array(5)):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype


@njit
def negated(x):
    return -x


def keyed(words, pairs, r):
    return (sorted(words, key=len), sorted(words, key=len, reverse=True), min(words, key=len), max(words, key=len),
            sorted(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: -p[0]), sorted(words, key=None),
            sorted(range(r), key=negated), min(range(r), key=negated), sorted("hello", key=lambda c: -ord(c)))


def test_key_functions_of_sorted_min_max():
    # Stable as Python's (ties keep their order, also reversed), the first smallest/largest.
    args = (["bb", "a", "ccc", "dd", "e"], [(1, 2.0), (2, 1.0), (3, 1.0)], 4)
    assert njit(keyed)(*args) == keyed(*args)
    same(lambda n: min([x for x in range(n)], key=negated), 0)   # ValueError: an empty sequence
    same(lambda n: sorted([x for x in range(n)], key=negated), 0)
    # and still: what a (key, value) tuple spells
    assert njit(lambda w: max([(len(x), x) for x in w])[1])(["bb", "a", "ccc"]) == "ccc"


@pytest.mark.parametrize("n", [0, 1, 5])
def test_key_functions_of_a_comprehension(n):
    # On 3.12 the comprehension is inlined (PEP 709): min/sorted were pushed before its
    # loop and reach the call through the loop's blocks, still rewritten for key=.
    same(lambda n: min([x * 3 % 7 for x in range(n)], key=negated), n)
    same(lambda n: max([x * 3 % 7 for x in range(n)], key=negated), n)
    same(lambda n: sorted([x * 3 % 7 for x in range(n)], key=negated, reverse=True), n)
    same(lambda n: sorted([x * 3 % 7 for x in range(n)], key=lambda v: v % 3), n)
    same(lambda n: sorted([x for x in range(n)], key=negated)[:2] + [max([x for x in range(n + 1)], key=negated)], n)


def test_min_or_max_chosen_at_run_time_with_key_is_refused():
    with pytest.raises(TypingError, match=r"Function\(builtins.min\).*Function\(builtins.max\)"):
        njit(lambda c, n: (min if c else max)([x for x in range(n)], key=negated))(True, 3)


def copies_of_an_appended_list(n):
    p = []
    for i in range(n):
        p.append((i, "k"))
    q = []
    q.append(1.5)
    return list(p), set(q), sorted(q), list(q)


def test_list_and_set_of_a_list_typed_by_appends():
    # Regression: list()/set() of a list whose element type came from later appends
    # crashed the compiler (a null element type) before typing asked again.
    same(copies_of_an_appended_list, 3)


def record_totals(rows):
    totals = {}
    for name, v in rows:
        totals[name] = totals.get(name, 0.0) + v
    return sorted(totals.items())


def record_changes(rows):
    rows.append(("z", 9.0))
    rows[0] = (rows[0][0].upper(), -rows[0][1])
    rows.sort()
    return len(rows), rows[-1]


def test_lists_of_records_pass_in_and_reflect_back():
    # Tuples of numbers and strs as list elements: read, built from, changed, sorted, and
    # written back into the caller's list as Python's would be.
    same(record_totals, [("b", 1.5), ("a", 2.0), ("b", 0.25)])
    same(record_changes, [("b", 1.5), ("a", 2.0)])


def starred_first(t):
    a, *rest = t
    return a, rest


def starred_last(l):
    *head, last = l
    return head, last


def starred_middle(l):
    a, *mid, b, c = l
    return a, mid, b, c


def test_starred_assignment_gives_pythons_lists():
    # The starred name is a list (of a tuple's, a list's, a str's elements), and too few
    # values is Python's ValueError.
    same(starred_first, (1, 2, 3))
    same(starred_first, "abc")
    same(starred_last, [1.5, 2.5, 3.5])
    same(starred_middle, [1, 2, 3, 4, 5])
    same(starred_middle, [1, 2, 3])
    same(starred_middle, [1, 2])


def extremes_with_defaults(l, n):
    return (max(l, default=0), min([x for x in l if x > 5], default=-1), max(l, default=None),
            max((i * i for i in range(n)), default=-7), min({x: 0 for x in l}, default=0))


def test_min_and_max_with_a_default():
    # The default when the iterable is empty (a generator's too); None makes an optional.
    same(extremes_with_defaults, [3, 1, 7], 4)
    same(extremes_with_defaults, [3, 1], 0)
    assert njit(lambda l: max(l, default=None))([1.5]) == 1.5


def test_a_list_made_inside_and_returned_twice_is_one_list():
    # Arguments without containers skip the call's reflection set-up; the boxed result
    # still knows the list it boxed first.
    @njit
    def twice(n):
        values = [1.0] * n
        return values, values

    first, second = twice(3)
    assert first is second and first == [1.0, 1.0, 1.0]
