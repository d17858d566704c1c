"""Issue 11, generator expressions: the one argument of sum(), any(), all(), min(), max(),
list(), set() and sorted() compiles with the consumer's loop inside the generator, in
Python's order (any/all stop at the first value that decides them, so a later element that
would raise is never computed). Used otherwise (by a for loop, zip, str.join), a generator
expression is a generator (test_generators.py). Each function
runs jitted and under CPython; the outcomes must be equal."""
import numpy as np
import pytest

from dunnart import UnsupportedError, njit

from python_outcome import same


def sum_of_squares(items):
    return sum(x * x for x in items if x > 0)


def any_large(items, limit):
    return any(x > limit for x in items)


def all_divide(items):
    return all(10 // x > 1 for x in items)  # stops before a zero once one is False


def min_and_max(items):
    return min(x - 1 for x in items), max(abs(x) for x in items)


def min_of_empty(n):
    return min(i for i in range(n))


def sorted_signs(n):
    return sorted(i * (-1) ** i for i in range(n))


def list_and_set(n):
    return list(i * 2 for i in range(n)), set(i % 3 for i in range(n))


def dot_by_zip(a, b):
    return sum(x * y for x, y in zip(a, b))


def reads_a_local(items, k):
    return sum(x * k for i, x in enumerate(items) if i % 2 == 0)


def stored_then_consumed(items):
    g = (x + 1 for x in items)
    return list(g)


def nested(n):
    return sum(sum(j for j in range(i)) for i in range(n))


def in_a_loop(n):
    total = 0
    for k in range(n):
        total += sum(i * k for i in range(k))
    return total


@pytest.mark.parametrize("fn,args", [
    (sum_of_squares, ([1, -2, 3, 4],)), (sum_of_squares, ([1.5, -2.0, 3.0],)),
    (any_large, ([1, 5, 2], 4)), (any_large, ([1, 2], 4)), (any_large, ([1.0, 2.0], 1.5)),
    (all_divide, ([1, 2, 3],)), (all_divide, ([1, 20, 0],)), (all_divide, ([1, 0],)),
    (min_and_max, ([3, -7, 2],)), (min_and_max, ([2.5, -1.0],)),
    (min_of_empty, (0,)), (min_of_empty, (4,)),
    (sorted_signs, (7,)),
    (list_and_set, (7,)), (list_and_set, (1,)),
    (dot_by_zip, ([1.0, 2.0], [3.0, 4.0])),
    (reads_a_local, ([1, 2, 3, 4, 5], 10)),
    (stored_then_consumed, ([1, 2, 3],)),
    (nested, (6,)),
    (in_a_loop, (5,)),
])
def test_same_as_python(fn, args):
    same(fn, *args)


def test_over_an_array():
    a = np.linspace(-1.0, 1.0, 101)
    assert njit(sum_of_squares)(a) == pytest.approx(sum_of_squares(a))
    assert njit(any_large)(a, 0.99) is True
    assert njit(min_and_max)(a) == min_and_max(a)


def test_ties_keep_the_first_as_python():
    def first_min(items):
        return min(x for x in items)
    # -0.0 == 0.0: Python keeps the first one seen.
    assert str(njit(first_min)([0.0, -0.0, 1.0])) == str(first_min([0.0, -0.0, 1.0])) == "0.0"
    assert str(njit(first_min)([-0.0, 0.0, 1.0])) == "-0.0"


def test_tuple_of_one_is_refused_with_what_to_write_and_a_default_is_taken():
    def as_tuple(n):
        return tuple(i for i in range(n))

    def twice(items):
        g = (x for x in items)
        return sum(g) + sum(g)

    def with_default(n):
        return max((i for i in range(n)), default=0)

    with pytest.raises(UnsupportedError) as info:
        njit(as_tuple)(3)
    assert "tuple() is not supported" in str(info.value).splitlines()[0]
    assert "list" in str(info.value)
    assert njit(with_default)(3) == with_default(3) and njit(with_default)(0) == with_default(0)
    with pytest.raises(UnsupportedError, match="again after it was consumed"):
        njit(twice)([1, 2])
