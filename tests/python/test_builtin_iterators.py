"""Issue 11, builtins that make iterators: enumerate (with start), zip (of two or more,
stopping at the shortest), reversed (ranges, arrays, lists, tuples), in for loops and in
comprehensions, nested in each other. Each case runs under CPython too."""
import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit


def enumerate_array(a):
    s = 0.0
    for i, v in enumerate(a):
        s += i * v
    return s


def enumerate_start(a):
    s = 0
    for i, v in enumerate(a, 10):
        s += i * v
    return s


def enumerate_start_keyword(n):
    s = 0
    for i, v in enumerate(range(n), start=-3):
        s += i * v
    return s


def enumerate_list_growing(n):
    out = [1]
    for i, v in enumerate(out):  # the list grows while it is iterated, as Python allows
        if i < n:
            out.append(v + i)
    return out


def zip_two(a):
    s = 0.0
    for x, y in zip(a, a[1:]):
        s += x * y
    return s


def zip_three_shortest(n):
    s = 0
    for x, y, z in zip(range(n), [5, 6, 7], (1, 2, 3, 4)):
        s += x * y + z
    return s


def enumerate_zip(a):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, range(10, 20))):
        s += i * x + y
    return s


def zip_of_enumerate(a):
    s = 0.0
    for (i, x), y in zip(enumerate(a), a[::-1]):
        s += i * x * y
    return s


def reversed_sequences(a):
    s = 0.0
    for x in reversed(range(1, 8, 3)):
        s = s * 10 + x
    for x in reversed(range(5, 0, -2)):
        s = s * 10 + x
    for x in reversed(a):
        s = s * 10 + x
    for x in reversed([1, 2, 3]):
        s = s * 10 + x
    for x in reversed((4, 5)):
        s = s * 10 + x
    return s


def reversed_empty(n):
    s = 0
    for x in reversed(range(n)):
        s += x
    return s


def enumerate_reversed(a):
    out = []
    for i, x in enumerate(reversed(a)):
        out.append(i * 10 + x)
    return out


def comprehension_enumerate(a):
    return [i * x for i, x in enumerate(a) if i % 2 == 0]


def comprehension_zip(a, b):
    return [x - y for x, y in zip(a, b)]


def loop_breaks(a):
    for i, x in enumerate(a):
        if x > 2:
            return i
    return -1


@pytest.mark.parametrize("fn,args", [
    (enumerate_array, (np.arange(5.0),)),
    (enumerate_start, (np.arange(4),)),
    (enumerate_start_keyword, (5,)),
    (enumerate_list_growing, (4,)),
    (zip_two, (np.arange(5.0),)),
    (zip_three_shortest, (10,)),
    (zip_three_shortest, (2,)),
    (enumerate_zip, (np.arange(5.0),)),
    (zip_of_enumerate, (np.arange(4.0),)),
    (reversed_sequences, (np.arange(3.0),)),
    (reversed_empty, (0,)),
    (reversed_empty, (5,)),
    (enumerate_reversed, ([3, 1, 2],)),
    (comprehension_enumerate, (np.arange(6.0),)),
    (comprehension_zip, (np.arange(4.0), [1.0, 2.0])),
    (loop_breaks, (np.array([0.0, 1.0, 5.0, 7.0]),)),
    (loop_breaks, (np.zeros(3),)),
], ids=lambda v: getattr(v, "__name__", None))
def test_iterators_match_python(fn, args):
    got = njit(fn)(*args)
    want = fn(*args)
    # Compiled code returns NumPy scalars as Python numbers (as Numba does).
    assert got == want and isinstance(got, (list, int, float)), (got, want)


def returns_enumerate(a):
    return enumerate(a)


def reversed_zip(a):
    for x in reversed(zip(a, a)):
        pass


def enumerate_of_scalar(x):
    for i, v in enumerate(x):
        pass


@pytest.mark.parametrize("fn,args,pattern", [
    (returns_enumerate, (np.arange(3.0),), r"enumerate"),
    (reversed_zip, (np.arange(3.0),), r"reversed\(\) of a zip object"),
    (enumerate_of_scalar, (3.0,), r"cannot iterate over float"),
], ids=["returned", "reversed-zip", "scalar"])
def test_misuse_is_named(fn, args, pattern):
    with pytest.raises((TypingError, UnsupportedError), match=pattern):
        njit(fn)(*args)


def nested_in_comprehensions(a, b, n):
    return ([(i, x, y) for i, (x, y) in enumerate(zip(a, b))],
            [(i, x) for i, x in enumerate(reversed(a), 1)],
            [(x, y) for x, (k, y) in zip(a, enumerate(b))],
            [(i, a, b) for i, (a, b) in enumerate(zip(range(n), reversed(range(n))))],
            sum([x * y for x, y in zip(reversed(a), b)]))


def held_by_a_variable(a):
    z = enumerate(a)
    return [i * x for i, x in z]


def test_iterator_calls_nested_in_a_comprehension():
    # 3.11 passes a comprehension its iterable: the calls inside are made again there.
    args = ([1.0, 2.0, 3.0], [4, 5, 6], 3)
    assert njit(nested_in_comprehensions)(*args) == nested_in_comprehensions(*args)
    assert njit(held_by_a_variable)([2, 3]) == held_by_a_variable([2, 3])


def taken_whole(a, b, l):
    return (list(enumerate(l, start=1)), sorted(zip(a, b)), list(reversed(l)), set(zip(l, l)),
            max(zip(a, b)), min(enumerate(a)), sum(x * y for x, y in zip(a, b)), list(zip(l, range(2))))


def test_iterator_objects_taken_whole_by_builtins():
    # list(), sorted(), set(), min(), max() and sum() of enumerate/zip/reversed objects
    # walk what they iterate, as Python's do.
    args = ([3, 1, 2], [1.0, 2.0, 3.0], [5, 6, 5])
    assert njit(taken_whole)(*args) == taken_whole(*args)
