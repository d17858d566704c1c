"""Issue 11, recursion: a jitted function that calls itself is typed from its base case
(the returns that do not recurse), widened until its return type holds; recursion too deep
for the stack raises RecursionError instead of crashing; recursion with no base case is
refused with what to write (mutual recursion: test_mutual_recursion.py). Results are compared with CPython."""
import threading

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def halves(n):
    if n == 0:
        return 1  # an int here, a float from the recursion: the function returns floats
    return halves(n - 1) * 0.5


def quicksort(a, lo, hi):
    if lo >= hi:
        return
    p = a[hi]
    i = lo
    for j in range(lo, hi):
        if a[j] < p:
            a[i], a[j] = a[j], a[i]
            i += 1
    a[i], a[hi] = a[hi], a[i]
    quicksort(a, lo, i - 1)
    quicksort(a, i + 1, hi)


def list_sum(items, k=0):
    if k == len(items):
        return 0.0
    return items[k] + list_sum(items, k + 1)


def checked_depth(n):
    if n < 0:
        raise ValueError(f"negative: {n}")
    if n == 0:
        return 0
    return 1 + checked_depth(n - 1)


def depth(n):
    if n == 0:
        return 0
    return depth(n - 1) + 1


def jitted_recursion(fn):
    """fn compiled, with its recursive calls going to the compiled function (as a module-level
    @njit function's name does)."""
    jitted = njit(fn)
    fn.__globals__[fn.__name__] = jitted
    return jitted


@pytest.fixture(autouse=True)
def restore_globals():
    saved = {f.__name__: f for f in (fib, halves, quicksort, list_sum, checked_depth, depth, down_by_two, forever, ping, pong)}
    yield
    globals().update(saved)


@pytest.mark.parametrize("fn, args, want", [
    (fib, (20,), 6765), (fib, (1,), 1), (halves, (3,), 0.125), (halves, (0,), 1.0),
    (list_sum, ([1.5, 2.5, -1.0],), 3.0), (checked_depth, (30,), 30),
])
def test_recursion_gives_pythons_answer(fn, args, want):
    got = jitted_recursion(fn)(*args)
    assert got == want and type(got) is type(float(want) if fn is halves else want)


def test_recursive_function_that_returns_nothing():
    f = jitted_recursion(quicksort)
    a = np.random.default_rng(1).random(200)
    want = np.sort(a)
    f(a, 0, len(a) - 1)
    np.testing.assert_array_equal(a, want)


def test_exception_from_deep_inside_the_recursion():
    f = jitted_recursion(checked_depth)
    assert f(5) == 5
    with pytest.raises(ValueError, match="negative: -1"):
        jitted_recursion(down_by_two)(3)


def down_by_two(n):
    if n < 0:
        raise ValueError(f"negative: {n}")
    if n == 0:
        return 0
    return down_by_two(n - 2) + 1


def test_too_deep_is_a_recursion_error_not_a_crash():
    f = jitted_recursion(depth)
    assert f(10_000) == 10_000
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        f(10**8)
    caught = []

    def in_thread():
        try:
            f(10**8)
        except RecursionError as e:
            caught.append(e)
    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert len(caught) == 1


def forever(n):
    return forever(n + 1)


def ping(n):
    return 0 if n == 0 else pong(n - 1)


def pong(n):
    return 1 if n == 0 else ping(n - 1)


def test_recursion_without_a_base_case_says_what_to_write():
    with pytest.raises(TypingError, match=r"cannot infer what the recursive function forever\(\) returns"):
        jitted_recursion(forever)(1)


def test_mutual_recursion_through_globals():
    jitted_recursion(pong)
    f = jitted_recursion(ping)
    assert (f(3), f(4)) == (1, 0)
