"""Issue 11, mutual recursion: jitted functions that call each other in a cycle are typed
together (the one typed second goes on with the first one's return type so far, and is typed
again once the first is typed), whenever some base case says what they return; a cycle too
deep for the stack raises RecursionError. Results are compared with CPython running the same
functions."""
import numpy as np
import pytest

import dunnart
from dunnart import njit


@njit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@njit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def test_even_and_odd():
    for n in range(12):
        assert is_even(n) is (n % 2 == 0)
        assert is_odd(n) is (n % 2 == 1)


# The base case is in only one of the two: the other one is typed from it.
@njit
def count_down(n):
    if n <= 0:
        return 0
    return step(n - 1)


@njit
def step(n):
    return count_down(n) + 1


def test_base_case_in_one_of_the_two():
    assert count_down(10) == count_down.py_func(10) == 10
    assert step(4) == 5 and isinstance(step(4), int)


# The return type widens once both are typed: an int base case, a float from the other one.
@njit
def decay(n):
    if n == 0:
        return 1
    return halve(n - 1)


@njit
def halve(n):
    return decay(n) * 0.5


def test_return_type_widens_through_the_cycle():
    assert decay(3) == decay.py_func(3) == 0.125
    assert isinstance(decay(0), float)   # typed float: it is what the cycle returns


# Three functions in a cycle, over an array.
@njit
def walk_a(x, i):
    if i >= len(x):
        return 0.0
    return x[i] + walk_b(x, i + 1)


@njit
def walk_b(x, i):
    if i >= len(x):
        return 0.0
    return 2.0 * x[i] + walk_c(x, i + 1)


@njit
def walk_c(x, i):
    if i >= len(x):
        return 0.0
    return 3.0 * x[i] + walk_a(x, i + 1)


def test_three_functions_in_a_cycle():
    x = np.arange(1.0, 11.0)
    want = sum(x[i] * (1 + i % 3) for i in range(10))
    assert walk_a(x, 0) == pytest.approx(want)
    assert walk_b(x, 0) == pytest.approx(walk_b.py_func(x, 0))


# A recursive-descent parser over a str: expr -> term -> factor -> expr, tuples of
# (value, position) through the cycle.
@njit
def parse_expr(s, i):
    v, i = parse_term(s, i)
    while i < len(s) and (s[i] == "+" or s[i] == "-"):
        op = s[i]
        w, i = parse_term(s, i + 1)
        v = v + w if op == "+" else v - w
    return v, i


@njit
def parse_term(s, i):
    v, i = parse_factor(s, i)
    while i < len(s) and s[i] == "*":
        w, i = parse_factor(s, i + 1)
        v = v * w
    return v, i


@njit
def parse_factor(s, i):
    if s[i] == "(":
        v, i = parse_expr(s, i + 1)
        return v, i + 1   # past ")"
    v = 0
    while i < len(s) and s[i].isdigit():
        v = v * 10 + int(s[i])
        i += 1
    return v, i


@pytest.mark.parametrize("text", ["7", "1+2*3", "(1+2)*3", "2*(3+4*(5-1))-6", "10-(2-(3-4))"])
def test_recursive_descent_parser(text):
    assert parse_expr(text, 0) == (eval(text), len(text)) == parse_expr.py_func(text, 0)


@njit
def ping_deep(n):
    if n == 0:
        return 0
    return pong_deep(n - 1) + 1


@njit
def pong_deep(n):
    if n == 0:
        return 0
    return ping_deep(n - 1) + 1


def test_deep_cycle_is_a_recursion_error_not_a_crash():
    assert ping_deep(10_000) == 10_000
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        ping_deep(10**8)
    assert ping_deep(5) == 5   # and it still works afterwards


@njit
def raises_in_cycle(n):
    if n < 0:
        raise ValueError(f"negative: {n}")
    if n == 0:
        return 0
    return through(n - 2)


@njit
def through(n):
    return raises_in_cycle(n) + 1


def test_exception_raised_deep_in_a_cycle():
    assert raises_in_cycle(6) == 3
    with pytest.raises(ValueError, match="negative: -1"):
        raises_in_cycle(5)


# Neither has a base case: what they return cannot be inferred.
@njit
def endless_a(n):
    return endless_b(n + 1)


@njit
def endless_b(n):
    return endless_a(n + 1)


def test_cycle_without_a_base_case_says_what_to_write():
    with pytest.raises(dunnart.TypingError, match=r"cannot infer what the recursive function endless_\w\(\) returns"):
        endless_a(1)


# The base case of the second says int, but through the first it returns floats: typed
# again from the start, both return floats (as a function whose base case returns 0 while
# its recursion returns floats does).
@njit
def mixed_a(n):
    if n == 0:
        return 0.5
    return mixed_b(n - 1)


@njit
def mixed_b(n):
    if n == 0:
        return 1
    return mixed_a(n - 1)


def test_cycle_whose_type_widens_is_typed_again():
    assert mixed_a(3) == mixed_a.py_func(3) == 1 and isinstance(mixed_a(3), float)
    assert mixed_b(3) == mixed_b.py_func(3) == 0.5
    assert mixed_a(2) == 0.5 and mixed_b(4) == 1.0


@njit
def text_or_number(n):
    if n == 0:
        return "zero"
    return number_or_text(n - 1)


@njit
def number_or_text(n):
    if n == 0:
        return 0
    return text_or_number(n - 1)


def test_cycle_of_incompatible_types_says_which():
    with pytest.raises(dunnart.TypingError, match=r"str.*int|int.*str") as e:
        text_or_number(3)
    assert "dunnart/" not in str(e.value).splitlines()[0]
