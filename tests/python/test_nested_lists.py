"""Issue 11, lists that hold arrays or lists, and tuples of arrays as arguments: built in
compiled code (literals, comprehensions, the methods), written through (l[i][j] = x changes
the array or inner list, shared as Python shares them), returned to Python and passed in
(reflected). Every case runs the same function under CPython and compares results, their
types, the arguments afterwards, and exception class and message; arrays compare by dtype,
shape and values."""
import copy
import gc
import sys

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from jitcheck import rss_bytes
from python_outcome import same


def run(fn, *args):
    """(kind, result, the arguments afterwards) of fn on deep copies of args."""
    args = copy.deepcopy(args)
    try:
        return ("ok", fn(*args), args)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return (type(e), str(e), args)


def assert_alike(got, want, where="result"):
    """Equal values of the same Python types, arrays by dtype, shape and elements (NumPy's
    scalars, as a.sum() gives under CPython, count as the Python numbers compiled code gives)."""
    got, want = [v.item() if isinstance(v, np.generic) else v for v in (got, want)]
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{where}: {got!r} is not an array"
        assert got.dtype == want.dtype and got.shape == want.shape, f"{where}: {got!r} != {want!r}"
        np.testing.assert_array_equal(got, want, err_msg=where)
        return
    assert type(got) is type(want), f"{where}: {type(got).__name__} != {type(want).__name__} ({got!r}, {want!r})"
    if isinstance(want, (list, tuple)):
        assert len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for k, (g, w) in enumerate(zip(got, want)):
            assert_alike(g, w, f"{where}[{k}]")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def same_alike(fn, *args):
    """same() for results and arguments that hold arrays."""
    got = run(njit(fn), *args)
    want = run(fn, *args)
    assert got[0] == want[0], f"{fn.__name__}: dunnart {got} != Python {want}"
    if got[0] == "ok":
        assert_alike(got[1], want[1])
    else:
        assert got[1] == want[1]
    assert_alike(list(got[2]), list(want[2]), "arguments")
    return got[1]


# ---------------------------------------------------------------- lists of arrays


def issue_example(n):
    l = [np.zeros(3) for _ in range(n)]
    l[0][1] = 5.0
    s = 0.0
    for a in l:
        s += a.sum()
    return s


def literal_and_index(n):
    a = np.arange(float(n))
    l = [a, a * 2.0, np.ones(n)]
    return l[1][n - 1] + l[-1][0] + len(l)


def methods(n):
    l = []
    for i in range(n):
        l.append(np.full(2, float(i)))
    l.insert(0, np.zeros(2))
    last = l.pop()
    first = l.pop(0)
    l.extend([last, first])
    c = l.copy()
    c.clear()
    return len(l), len(c), last.sum(), l[-1].sum()


def slices_and_reverse(n):
    l = [np.arange(i, i + 2) for i in range(n)]
    m = l[1:3]
    l.reverse()
    return [x.sum() for x in m] + [l[0].sum()]


def shared_arrays(n):
    a = np.zeros(n)
    l = [a, a]
    l[0][0] = 7.0  # one array, seen through both elements and through a
    return a[0] + l[1][0]


def returned(n):
    l = [np.arange(n) * k for k in range(3)]
    l.append(l[0])
    return l


def returned_2d(n):
    return [np.ones((2, n)), np.zeros((2, n))]


def with_views(n):
    a = np.arange(float(2 * n))
    l = [a[::2], a[:n]]  # layouts C and A: a list of array(float64, 1d, A)
    return l[0].sum() + l[1].sum(), l


def repeated(n):
    rows = [np.zeros(2)] * n  # n references to one array, as in Python
    rows[0][0] = 1.0
    return [r[0] for r in rows]


def truthiness_and_len(n):
    l = [np.zeros(1)] if n else [np.ones(2)]
    l2 = l + l
    return len(l2), bool(l2)


@pytest.mark.parametrize("fn", [issue_example, literal_and_index, methods, slices_and_reverse, shared_arrays,
                                returned, returned_2d, with_views, repeated, truthiness_and_len],
                         ids=lambda f: f.__name__)
def test_lists_of_arrays_built_in_compiled_code(fn):
    same_alike(fn, 4)


def sum_all(l):
    s = 0.0
    for a in l:
        s += a.sum()
    return s


def write_through(l):
    l[0][1] = 9.0
    l[-1] *= 2.0
    return len(l)


def grow_and_shrink(l):
    l.append(l[0] + 1.0)
    x = l.pop(0)
    return x.sum()


def swap_and_return(l):
    l[0], l[1] = l[1], l[0]
    return l.pop()


def identity(l):
    return l


@pytest.mark.parametrize("fn", [sum_all, write_through, grow_and_shrink, swap_and_return, identity],
                         ids=lambda f: f.__name__)
def test_lists_of_arrays_passed_in_are_reflected(fn):
    same_alike(fn, [np.arange(3.0), np.ones(3), np.full(3, 2.5)])


def test_the_same_array_objects_come_back():
    a, b = np.arange(3.0), np.ones(3)
    l = [a, b]
    r = njit(identity)(l)
    assert r is l and r[0] is a and r[1] is b
    z = np.zeros(3)
    out = njit(swap_and_return)([a, b, z])  # popped: the caller's object itself
    assert out is z


def test_arrays_of_other_layouts_unify_to_any_layout():
    a = np.arange(12.0).reshape(3, 4)
    assert njit(sum_all)([a[:, 0], a[0]]) == sum_all([a[:, 0], a[0]])


def test_popped_argument_arrays_outlive_the_list():
    # The only reference to the array is the list's, which reflection drops before the
    # result is boxed.
    @njit
    def take(l):
        return l.pop()
    for _ in range(50):
        r = take([np.arange(100.0)])
        assert r.sum() == 4950.0


def test_lists_of_arrays_are_freed():
    @njit
    def build(n, m):
        l = [np.ones(m) for _ in range(n)]
        l.append(np.zeros(m))
        return l[0].sum()

    @njit
    def build_and_return(m):
        return [np.ones(m), np.zeros(m)]

    build(2, 10)
    build_and_return(10)
    gc.collect()
    before = rss_bytes()
    for _ in range(40):
        assert build(8, 250_000) == 250_000.0  # 16 MB a call, ~640 MB if leaked
        r = build_and_return(1_000_000)
        assert r[0][-1] == 1.0
        del r
    gc.collect()
    grown = rss_bytes() - before
    assert grown < 200 * 2**20, f"resident memory grew by {grown / 2**20:.0f} MiB"


# ---------------------------------------------------------------- lists of lists


def issue_rows(n):
    rows = [[i, i + 1] for i in range(n)]
    rows[1].append(7)
    return rows


def grid(n):
    g = [[0.0] * n for _ in range(n)]
    for i in range(n):
        g[i][i] = 1.0
        g[i][n - 1 - i] += 2.0
    return g, sum([sum(r) for r in g])


def empty_rows_typed_by_append(n):
    rows = []
    for _ in range(n):
        rows.append([])
    for i in range(n):
        for j in range(i):
            rows[i].append(j * 1.5)
    return rows


def appended_empty_rows(n):
    rows = []
    for i in range(n):
        rows.append([])
        rows[-1].append(i)
    return rows


def shared_inner(n):
    inner = [1, 2]
    rows = [inner, inner]
    rows[0].append(n)  # both rows, and inner, see it
    return rows, inner, len(rows[1])


def multiplied_rows(n):
    rows = [[0] * 2] * n  # Python's classic: n references to one row
    rows[0][0] = 5
    return rows


def typed_through_a_slice(n):
    rows = []
    for _ in range(n):
        rows.append([])
    rows[1:][0].append(2.5)  # the slice shares rows' inner lists
    return rows


def nested_methods(n):
    rows = [[i] for i in range(n)]
    r = rows.pop()
    rows.insert(0, r)
    rows.extend([[9, 9]])
    c = rows.copy()
    c[0].append(-1)  # a shallow copy shares the rows
    rows.reverse()
    return rows, c[1:], any(rows), all([[], [1]])


def three_deep(n):
    cube = [[[i * j * k for k in range(2)] for j in range(2)] for i in range(n)]
    cube[1][1].append(-1)
    return cube


def rows_of_arrays(n):
    rows = [[np.zeros(2)] for _ in range(n)]
    rows[0].append(np.ones(2))
    rows[0][1][0] = 3.0
    return rows


@pytest.mark.parametrize("fn", [issue_rows, grid, empty_rows_typed_by_append, appended_empty_rows, shared_inner,
                                typed_through_a_slice,
                                multiplied_rows, nested_methods, three_deep],
                         ids=lambda f: f.__name__)
def test_lists_of_lists_built_in_compiled_code(fn):
    same(fn, 4)


def test_lists_of_lists_of_arrays():
    same_alike(rows_of_arrays, 3)


def row_sums(rows):
    return [sum(r) for r in rows]


def mutate_rows(rows):
    rows[0].append(100)
    rows[1][0] = -1
    rows.append([5])
    return len(rows)


def swap_rows(rows):
    rows[0], rows[1] = rows[1], rows[0]
    rows[0].pop()
    return rows


@pytest.mark.parametrize("fn", [row_sums, mutate_rows, swap_rows], ids=lambda f: f.__name__)
def test_lists_of_lists_passed_in_are_reflected(fn):
    same(fn, [[1, 2, 3], [4, 5], []])


def test_inner_lists_come_back_as_the_same_objects():
    a, b = [1, 2], [3]
    rows = [a, b]
    r = njit(swap_rows)(rows)
    assert r is rows and r[0] is b and r[1] is a and b == [] and a == [1, 2]


# ---------------------------------------------------------------- joined into arrays


def joined(n):
    l = [np.arange(3.0) * i for i in range(n)]
    return np.stack(l), np.concatenate(l), np.array(l), np.array(l, dtype=np.int32)


def joined_2d(n):
    l = [np.ones((2, 2)) * i for i in range(n)]
    return np.stack(l), np.concatenate(l), np.asarray(l)


def number_rows(n):
    rows = [[i, i + 1] for i in range(n)]
    return np.array(rows), np.array(rows, dtype=np.float64)


def ragged_rows(n):
    return np.array([[1, 2], [3]])


def ragged_stack(n):
    return np.stack([np.zeros(2), np.zeros(n)])


def ragged_concatenate(n):
    return np.concatenate([np.zeros((2, 2)), np.zeros((1, n))])


def stack_nothing(n):
    l = [np.zeros(n)]
    l.pop()
    return np.stack(l)


@pytest.mark.parametrize("fn", [joined, joined_2d, number_rows, stack_nothing], ids=lambda f: f.__name__)
def test_lists_join_into_arrays(fn):
    same_alike(fn, 3)


@pytest.mark.parametrize("fn", [ragged_rows, ragged_stack, ragged_concatenate], ids=lambda f: f.__name__)
def test_ragged_lists_are_numpys_value_error(fn):
    with pytest.raises(ValueError) as want:
        fn(3)
    with pytest.raises(ValueError) as got:
        njit(fn)(3)
    assert str(want.value).startswith(str(got.value))  # NumPy's message, without the shapes it found


# ---------------------------------------------------------------- tuples of arrays


def star_total(*arrays):
    s = 0.0
    for a in arrays:
        s += a.sum()
    return s, len(arrays), arrays[0][0]


def tuple_arg(t):
    t[1][0] = 4.0
    return t[0] + t[1], len(t)


def test_star_arrays():
    a, b = np.arange(3.0), np.ones(3)
    assert njit(star_total)(a, b) == star_total(a, b)
    assert njit(star_total)(a, b, a) == star_total(a, b, a)


def mixed_tuple(t):
    return t[0].sum() + t[1][0], len(t)


def iterate_mixed(t):
    for a in t:
        pass
    return 0


def test_tuples_of_arrays_of_other_types():
    t = (np.arange(3.0), np.arange(2, dtype=np.int32).reshape(1, 2))
    same_alike(mixed_tuple, t)
    with pytest.raises(TypingError, match="iterating over a tuple of mixed types"):
        njit(iterate_mixed)(t)


def test_tuple_of_arrays_argument():
    same_alike(tuple_arg, (np.arange(3.0), np.zeros(3)))


# ---------------------------------------------------------------- what cannot be compiled


def mixed_arrays(n):
    return [np.zeros(n), np.zeros((n, n))]


def array_then_number(n):
    l = [np.zeros(n)]
    l.append(1.0)
    return len(l)


def index_of_array(n):
    l = [np.zeros(n)]
    return l.index(l[0])


def any_of_arrays(n):
    return any([np.zeros(n)])


def mixed_rows(n):
    return [[1, 2], [1.5]]


@pytest.mark.parametrize("fn,error,pattern", [
    (mixed_arrays, TypingError, r"a list holds one type, and this one mixes array\(float64, 1d, C\) and "
                                r"array\(float64, 2d, C\)"),
    (array_then_number, TypingError, r"cannot store float in a list\(array\(float64, 1d, C\)\)"),
    (index_of_array, UnsupportedError, r"list.index\(\) on a list\(array\(float64, 1d, C\)\) is not supported"),
    (any_of_arrays, UnsupportedError, r"any\(\) of a list of arrays"),
    (mixed_rows, TypingError, r"a list holds one type"),
], ids=lambda v: getattr(v, "__name__", None))
def test_untypeable_nested_lists_say_what_to_change(fn, error, pattern):
    with pytest.raises(error, match=pattern):
        njit(fn)(3)


@pytest.mark.parametrize("bad,pattern", [
    ([np.zeros(2), np.zeros((2, 2))], r"a list of arrays of different types \(array\(float64, 1d, C\) and "
                                      r"array\(float64, 2d, C\)\)"),
    ([np.zeros(2), np.zeros(2, np.int32)], r"a list of arrays of different types"),
    ([np.zeros(2), 1.0], r"a list of mixed element types"),
    ([[1], [1.5]], r"a list of lists of different types"),
    ([[], []], r"a list of empty lists has no element type"),
    ([[b"x"]], r"lists of bytes are not supported"),
])
def test_nested_list_arguments_that_cannot_be_compiled(bad, pattern):
    with pytest.raises(TypeError, match=pattern):
        njit(sum_all)(bad)


def contains_row(n):
    rows = [[1], [n]]
    return [n] in rows


def equal_rows(n):
    return [[1], [n]] == [[1], [n]]


def stack_on_axis_1(n):
    return np.stack([np.zeros(n), np.ones(n)], axis=1)


@pytest.mark.parametrize("fn,pattern", [
    (contains_row, r"'in' on a list\(list\(int64\)\) is not supported"),
    (equal_rows, r"'==' on a list\(list\(int64\)\) is not supported"),
    (stack_on_axis_1, r"of a list of arrays along an axis other than 0 is not supported yet"),
], ids=lambda v: getattr(v, "__name__", None))
def test_what_nested_lists_do_not_do_yet_is_refused(fn, pattern):
    with pytest.raises(UnsupportedError, match=pattern) as info:
        njit(fn)(3)
    assert "hint:" in str(info.value)


def test_tuples_of_lists_are_still_refused():
    with pytest.raises(TypeError, match="tuples of lists are not supported yet; pass them as separate arguments"):
        njit(sum_all)(([1.0], [2.0]))


def append_to_first(rows):
    rows[0].append(1)
    return rows


def test_one_inner_list_reached_twice_stays_one_list():
    inner = [0]
    rows = [inner, inner]
    r = njit(append_to_first)(rows)
    assert r is rows and rows[0] is inner and rows[1] is inner and inner == [0, 1]
    same(append_to_first, [inner, inner])


def test_a_list_that_contains_itself_is_a_type_error():
    a = [[1]]
    a.append(a)
    with pytest.raises(TypeError, match="a list that contains itself"):
        njit(row_sums)(a)


CACHED = """
import numpy as np
from dunnart import njit
@njit(cache=True)
def f(l, rows):
    l.append(l[0] * 2)
    rows[0].append(3)
    return [np.zeros(2)], [[1.0]]
print(f([np.ones(2)], [[1]]), f.stats["cache_hits"])
"""


def test_nested_list_signatures_are_cached_on_disk(tmp_path):
    import os
    import subprocess
    import sys
    script = tmp_path / "cached.py"
    script.write_text(CACHED)
    env = dict(os.environ, DUNNART_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=os.pathsep.join(sys.path))
    runs = [subprocess.run([sys.executable, "-W", "error", str(script)], env=env, capture_output=True, text=True)
            for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    assert runs[0].stdout.split()[-1] == "0" and runs[1].stdout.split()[-1] == "1", [r.stdout for r in runs]


def test_rows_made_in_compiled_code_come_back_shared_as_they_were():
    r = njit(multiplied_rows)(3)
    assert r[0] is r[1] is r[2]
    rows, inner, _ = njit(shared_inner)(1)
    assert rows[0] is rows[1] is inner
    distinct = njit(issue_rows)(3)
    assert distinct[0] is not distinct[1]


def comprehension_of_empty_rows(n):
    rows = [[] for _ in range(n)]
    for i in range(n):
        rows[i].append(i)
    return rows


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12+ inlines comprehensions")
def test_empty_rows_of_a_311_comprehension_say_what_to_write():
    with pytest.raises(TypingError, match=r"build them with a loop \(rows = \[\]; for _ in range\(n\)"):
        njit(comprehension_of_empty_rows)(3)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="3.11 compiles comprehensions apart")
def test_empty_rows_of_a_comprehension_are_typed_by_appends():
    same(comprehension_of_empty_rows, 3)
