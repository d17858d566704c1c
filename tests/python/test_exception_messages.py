"""Issue 11, exceptions whose messages hold values: raise E(f"... {x} ..."), with format
specs, conversions and braces; a number as the message; several arguments (str(exc) is
their tuple's text); assert with an f-string. The message is formatted only when the
exception is raised (runtime/format.cpp), and must equal CPython's, character for
character, for every spec tried here."""
import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit
from exception_functions import assert_formatted


def raised(fn, *args):
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001 - the class and text are what is compared
        return type(e), str(e)
    return None


def same_error(fn, *args):
    want = raised(fn, *args)
    assert want is not None
    assert raised(njit(fn), *args) == want


def spec_function(spec):
    """def f(x): raise ValueError(f"<{x:SPEC}>"), made for each spec."""
    scope = {}
    exec(f'def f(x):\n    raise ValueError(f"<{{x{spec}}}>")\n', scope)  # noqa: S102 - test input
    return scope["f"]


FLOAT_SPECS = ["", ":.3f", ":e", ":.2e", ":E", ":g", ":.3g", ":G", ":10.4f", ":<10.2f", ":^11.1f", ":*>12.3f",
               ":+.2f", ": .2f", ":08.2f", ":,.2f", ":_.1f", ":.0f", ":#.0f", ":%", ":.1%", ":.3", ":.12",
               "!r", "!s", "!r:>12", ":z.1f", ":=+10.2f"]
FLOATS = [0.0, -0.0, 2.5, -1234567.891, 1e16, 1e-5, 0.1 + 0.2, 123456789012345678.0, float("inf"),
          float("-inf"), float("nan"), 5e-324]


@pytest.mark.parametrize("spec", FLOAT_SPECS)
def test_float_formats_like_python(spec):
    fn = spec_function(spec)
    compiled = njit(fn)
    for x in FLOATS:
        assert raised(compiled, x) == raised(fn, x), (spec, x)


INT_SPECS = ["", ":d", ":5d", ":<5d", ":^7d", ":05d", ":+d", ":,", ":_", ":x", ":X", ":#x", ":o", ":#o", ":b",
             ":#b", ":_b", ":.2f", ":e", ":%", "!r", ":=+8d"]
INTS = [0, 7, -42, 1234567, -(2 ** 63), 2 ** 63 - 1]


@pytest.mark.parametrize("spec", INT_SPECS)
def test_int_formats_like_python(spec):
    fn = spec_function(spec)
    compiled = njit(fn)
    for x in INTS:
        assert raised(compiled, x) == raised(fn, x), (spec, x)


def test_bool_and_narrow_types():
    fn = spec_function("")
    compiled = njit(fn)
    for x in (True, False):
        assert raised(compiled, x) == raised(fn, x)
    for x in (np.float32(0.1), np.int8(-5), np.uint64(2 ** 64 - 1)):
        assert raised(compiled, x) == raised(fn, x)
    for x in (np.float32(0.1), np.float32(3e38)):
        assert raised(njit(number_message), x) == raised(number_message, x)  # str(), not format()


def check_n(n):
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n} (that is {{n}} = {n!r})")
    return n


def several(i, x):
    raise IndexError("index", i, "out of range for", x, "it's")


def number_message(x):
    raise ValueError(x)


@njit
def inner_raises(i):
    if i > 2:
        raise IndexError(f"item {i} of 3")
    return i


def caller(i):
    return inner_raises(i) + 1


@pytest.mark.parametrize("fn,args", [
    (check_n, (-3,)),
    (several, (5, 2.5)),
    (number_message, (3.25,)),
    (assert_formatted, (1.0, 2)),
    (caller, (7,)),
], ids=["fstring", "several-args", "number", "assert", "through-a-call"])
def test_messages_like_python(fn, args):
    same_error(fn, *args)


def returns_fstring(x):
    return f"{x}"


def formats_list(a):
    values = [a[0]]
    raise ValueError(f"bad {values}")


def spec_at_run_time(x, w):
    raise ValueError(f"{x:{w}}")


def test_an_f_string_once_refused_now_returns_its_str():
    assert njit(returns_fstring)(1) == returns_fstring(1)


@pytest.mark.parametrize("fn,args,pattern", [
    (formats_list, (np.zeros(2),), r"formatting a value of type list"),
    (spec_at_run_time, (1.0, 5), r"format spec computed at run time"),
], ids=["list", "run-time-spec"])
def test_what_does_not_compile_is_named(fn, args, pattern):
    with pytest.raises((TypingError, UnsupportedError), match=pattern):
        njit(fn)(*args)
