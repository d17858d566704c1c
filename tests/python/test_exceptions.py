"""Issue 11, first slice: `raise` of builtin exception classes (bare, called with no
argument, or with a constant message) and `assert` (with and without a message) in
nopython code. The exception reaches Python as that class with that message, also through
calls between jitted functions; each case is compared with plain Python running the same
function. Messages may be computed at run time (a conditional expression, an f-string,
any str value). What is not supported yet (raising a stored exception) is refused at
compile time with UnsupportedError saying so."""
import pytest

from dunnart import UnsupportedError, njit

# Functions with `assert` live outside this module: pytest rewrites the asserts of test
# modules into its own bytecode.
from exception_functions import assert_chosen_message, checks, first_negative_guard


checks_jit = njit(checks)


@njit
def calls_checks(x):
    return checks_jit(x) + 1


def outcome(fn, *args):
    try:
        return ("ok", fn(*args))
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return (type(e), str(e))


@pytest.mark.parametrize("x", range(-1, 14))
def test_raise_and_assert_match_python(x):
    assert outcome(checks_jit, x) == outcome(checks, x)


@pytest.mark.parametrize("x", [-1, 3, 5, 10, 2])
def test_exceptions_propagate_through_jitted_calls(x):
    want = outcome(checks, x)
    got = outcome(calls_checks, x)
    assert got == (want if want[0] != "ok" else ("ok", want[1] + 1))


def test_assert_in_a_loop_stops_at_the_failing_element():
    import numpy as np
    f = njit(first_negative_guard)
    assert f(np.arange(4.0)) == 6.0
    with pytest.raises(AssertionError, match="^negative element$"):
        f(np.array([1.0, -1.0]))


def raise_stored(x):
    e = ValueError("a")
    raise e


def raise_formatted(x):
    raise ValueError("x is %d" % x)


def raise_value(x):
    raise ValueError(x)


def reraise(x):
    try:
        return 1 // x
    except ZeroDivisionError:
        raise


@pytest.mark.parametrize("fn, what", [
    (raise_stored, "raise of something other than a builtin exception class"),
])
def test_unsupported_raises_say_what_to_change(fn, what):
    with pytest.raises(UnsupportedError, match=what):
        njit(fn)(1)


def test_reraise_once_unsupported_now_compiles():
    with pytest.raises(ZeroDivisionError, match="integer division or modulo by zero"):
        njit(reraise)(0)
    assert njit(reraise)(1) == 1


def test_percent_formatting_of_a_message():
    # Once refused; now the message Python makes (test_percent_format.py).
    with pytest.raises(ValueError, match=r"^x is 1$"):
        njit(raise_formatted)(1)


def test_number_as_the_message():
    with pytest.raises(ValueError, match=r"^3$"):
        njit(raise_value)(3)


def message_chosen(n):
    raise ValueError("big" if n > 10 else "small")


def message_of_arguments(c, s, t):
    raise KeyError(s if c else t)


def message_formatted_or_not(n):
    raise IndexError(f"n={n}" if n > 0 else "none")


def message_of_str(n):
    raise RuntimeError(str(n * 2) if n > 2 else "neg")


def message_computed(n, s):
    raise ValueError(s.upper() + "!" if n > 0 else s)


def message_chosen_earlier(n):
    msg = f"{n} is small" if n < 3 else "big"
    if n >= 0:
        raise TypeError(msg)
    return n


def message_in_a_loop(items):
    for x in items:
        if x < 0:
            raise ValueError("negative" if x > -10 else f"very negative: {x}")
    return len(items)


@pytest.mark.parametrize("fn, args", [
    (message_chosen, (3,)), (message_chosen, (30,)),
    (message_of_arguments, (True, "abc", "de")), (message_of_arguments, (False, "abc", "de")),
    (message_formatted_or_not, (4,)), (message_formatted_or_not, (0,)),
    (message_of_str, (4,)), (message_of_str, (1,)),
    (message_computed, (1, "ab")), (message_computed, (0, "ab")),
    (message_chosen_earlier, (1,)), (message_chosen_earlier, (5,)), (message_chosen_earlier, (-1,)),
    (message_in_a_loop, ([1, -3],)), (message_in_a_loop, ([1, -30],)), (message_in_a_loop, ([1, 2],)),
    (assert_chosen_message, (3,)), (assert_chosen_message, (30,)), (assert_chosen_message, (-1,)),
])
def test_message_computed_at_run_time(fn, args):
    # A conditional expression, an f-string merged with a constant, any str value: the
    # class and message Python gives.
    assert outcome(njit(fn), *args) == outcome(fn, *args)
