"""Iterating N-d arrays: `for row in a` gives the views a[0], a[1], ... (lower_iterators),
as NumPy and Numba do, in plain loops, enumerate/zip/reversed, comprehensions and list();
the builtins that take an array's elements one by one (sum, sorted of a 1-d array), and
the ones Python refuses for N-d arrays (min/max/any/all compare rows) refused with a
message. Each case is compared with the same function run by CPython."""
import numpy as np
import pytest

from dunnart import TypingError, njit


def row_sums(a):
    out = []
    for row in a:
        out.append(row.sum())
    return out


def weighted(a):
    t = 0.0
    for i, row in enumerate(a):
        for x in row:
            t += x * i
    return t


def paired_dots(a, b):
    t = 0.0
    for r, s in zip(a, b):
        t += r @ s
    return t


def planes(a):
    t = 0.0
    for plane in a:
        for row in plane:
            t += row[-1] - row[0]
    return t


def negate_first_column(a):
    for row in a:
        row[0] = -row[0]
    return a


def horner_rows(a):
    acc = np.zeros(a.shape[1])
    for row in reversed(a):
        acc = acc * 2.0 + row
    return acc


def rows_as_list(a):
    rows = list(a)
    return len(rows), [r[0] for r in rows], rows[-1].sum() if rows else 0


def comprehension(a):
    return [float(r.max()) for r in a]


def transposed(a):
    s = 0.0
    for col in a.T:
        s = s * 0.5 + col.sum()
    return s


def count_rows(a):
    n = 0
    for _ in a:
        n += 1
    return n


def rows_then_break(a, limit):
    out = []
    for row in a:
        if row[0] > limit:
            break
        out.append(row[1])
    return out


ARRAYS = {
    "C": np.arange(12.0).reshape(3, 4),
    "F": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    "strided": np.arange(40.0).reshape(5, 8)[::2, 1::3],
    "empty": np.zeros((0, 4)),
    "int": np.arange(20, dtype=np.int32).reshape(4, 5),
}


def plain(v):
    """NumPy scalars as the Python numbers they equal (dunnart returns those in lists)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return type(v)(plain(x) for x in v)
    return v


def run(fn, args):
    try:
        return "ok", fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    except Exception as e:  # noqa: BLE001 - the class and message are compared
        return type(e), str(e)


def check(fn, *args):
    got, want = run(njit(fn), args), run(fn, args)
    assert got[0] == want[0], (got, want)
    if isinstance(want[1], np.ndarray):
        np.testing.assert_array_equal(got[1], want[1])
        assert got[1].dtype == want[1].dtype
    else:
        assert plain(got[1]) == plain(want[1]), (got, want)


@pytest.mark.parametrize("kind", list(ARRAYS))
@pytest.mark.parametrize("fn", [row_sums, weighted, negate_first_column, rows_as_list, comprehension, transposed,
                                count_rows])
def test_rows_equal_python(fn, kind):
    check(fn, ARRAYS[kind])


@pytest.mark.parametrize("kind", ["C", "F", "strided"])
def test_reversed_and_zip(kind):
    a = ARRAYS[kind]
    check(horner_rows, a)
    check(paired_dots, a, a[::-1].copy())


def test_rows_are_views_that_write_through():
    a = np.arange(12.0).reshape(3, 4)
    out = njit(negate_first_column)(a)
    assert out is a or np.shares_memory(out, a)
    np.testing.assert_array_equal(a[:, 0], [-0.0, -4.0, -8.0])


def test_three_dimensions():
    a = np.arange(60.0).reshape(3, 4, 5)
    assert njit(planes)(a) == planes(a)
    assert njit(count_rows)(a) == 3


def test_break_out_of_rows():
    a = np.arange(20.0).reshape(5, 4)
    assert njit(rows_then_break)(a, 9.0) == rows_then_break(a, 9.0)


def test_one_dimensional_arrays_to_builtins():
    def add_up(a):
        return sum(a), sorted(a)

    a = np.array([3.0, 0.1, 0.2, -1.5, 0.3])
    assert njit(add_up)(a) == add_up(a)  # sum: Python's order of additions, not pairwise


@pytest.mark.parametrize("src", ["min(a)", "max(a)", "any(a)", "all(a)"])
def test_truth_of_rows_refused(src):
    ns = {}
    exec(f"def f(a):\n    return {src}\n", ns)
    with pytest.raises(TypingError, match="truth value of its rows"):
        njit(ns["f"])(np.ones((2, 3)))


def test_sum_of_rows_refused_with_the_fix():
    def f(a):
        return sum(a)

    with pytest.raises(TypingError, match=r"a.sum\(axis=0\)"):
        njit(f)(np.ones((2, 3)))


def test_zero_d_array_is_not_iterable():
    def f(a):
        t = 0.0
        for x in a:
            t += x
        return t

    with pytest.raises(TypingError, match="iteration over a 0-d array"):
        njit(f)(np.array(1.0))


def test_generators_over_rows():
    def f(a):
        def sums():
            for r in a:
                yield r.sum()

        def rows():
            yield from a

        t = 0.0
        for r in rows():
            t += r[0]
        return sum(sums()), t

    a = np.arange(12.0).reshape(3, 4)
    assert njit(f)(a) == f(a)
