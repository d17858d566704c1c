"""Issue 11, first slice: `raise` of builtin exception classes (bare, called with no
argument, or with a constant message) and `assert` (with and without a message) in
nopython code. The exception reaches Python as that class with that message, also through
calls between jitted functions; each case is compared with plain Python running the same
function. What is not supported yet (messages computed at run time, raising a stored
exception, bare re-raise) is refused at compile time with UnsupportedError saying so."""
import pytest

from dunnart import UnsupportedError, njit

# Functions with `assert` live outside this module: pytest rewrites the asserts of test
# modules into its own bytecode.
from exception_functions import checks, first_negative_guard


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
