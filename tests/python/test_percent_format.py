"""Issue 11, printf-style formatting (`"%5.2f and %s" % (x, name)`): a constant format str
read while compiling into the f-string the runtime formats (one mechanism for both), with
Python's flags, widths, precisions and conversions, and Python's TypeErrors (as typing
errors) where the arguments do not fit. Each case runs jitted and under CPython; the
outcomes must be equal."""
import math

import pytest

from dunnart import TypingError, UnsupportedError, njit

from python_outcome import same


def integers(x):
    return "%d|%i|%u|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%c" % (x, x, x, x, x, x, x, x, x, x, x, x, x, x)


def reals(x):
    return "%f|%.2f|%10.3f|%-10.1f|%e|%.3E|%g|%G|%+.1f|%08.2f|%d|%s|%r" % (x, x, x, x, x, x, x, x, x, x, x, x, x)


def texts(s):
    return "%s|%r|%10s|%-6s|%.2s|%5.1s|%%|{%s}" % (s, s, s, s, s, s, s)


def one_value(x):
    return "value: %s" % x


@pytest.mark.parametrize("x", [0, 7, -42, 255, 2**40, True])
def test_integer_conversions(x):
    same(integers, x)


@pytest.mark.parametrize("x", [0.0, 1.5, -2.75, 12345.678, 1e-7, 1e15, math.inf, -math.inf, math.nan])
def test_real_conversions(x):
    same(reals, x) if x == x and abs(x) != math.inf else same(lambda v: "%f %e %g %s %F" % (v, v, v, v, v), x)


@pytest.mark.parametrize("s", ["", "a", "h\u00e9llo", "\U0001F600x"])
def test_str_conversions(s):
    same(texts, s)


@pytest.mark.parametrize("x", [3, 2.5, "s", True])
def test_a_single_value_needs_no_tuple(x):
    same(one_value, x)


def test_percent_format_in_messages_and_prints(capsys):
    def check(n):
        if n < 0:
            raise ValueError("n must be >= 0, got %d" % n)
        print("n is %3d (%.1f%%)" % (n, n / 10))
        return "%s:%s" % ("n", n)
    got = njit(check)(5)
    out = capsys.readouterr().out
    assert got == check(5) and out == capsys.readouterr().out == "n is   5 (0.5%)\n"
    same(check, -3)


def test_d_of_nan_is_pythons_value_error():
    same(lambda x: "%d" % x, math.nan)


def test_d_of_a_float_beyond_int64_is_an_overflow_error_not_a_wrong_number():
    with pytest.raises(OverflowError):
        njit(lambda x: "%d" % x)(1e22)


def test_c_of_a_code_point_and_the_f_string_c_spec():
    same(lambda x: "[%c] [%3c] [%-3c]" % (x, x, x), 0x3b1)
    same(lambda x: "%c" % x, 0x110000)   # OverflowError: %c arg not in range(0x110000)
    same(lambda x: f"{x:c}|{x:>3c}", 65)


@pytest.mark.parametrize("fn,message", [
    (lambda x: "%d %d" % x, "not enough arguments for format string"),
    (lambda x: "%d" % (x, x), "not all arguments converted during string formatting"),
    (lambda x: "%x" % (x + 0.5), "%x format: an integer is required, not float"),
    (lambda x: "%d" % "a", "%d format: a real number is required, not str"),
])
def test_mismatched_arguments_are_pythons_type_errors_found_while_compiling(fn, message):
    with pytest.raises(TypeError, match=message):
        fn(1)
    with pytest.raises(TypingError, match=message):
        njit(fn)(1)


def test_unknown_conversion_says_which_as_python():
    fn = lambda x: "a %y" % x  # noqa: E731
    with pytest.raises(ValueError, match=r"unsupported format character 'y' \(0x79\) at index 3"):
        fn(1)
    with pytest.raises(TypingError, match=r"unsupported format character 'y' \(0x79\) at index 3"):
        njit(fn)(1)


@pytest.mark.parametrize("fn,what", [
    (lambda x: "%(a)s" % x, r"mapping"),
    (lambda x: "%*d" % (3, x), r"'\*' width"),
    (lambda x: "%a" % x, r"%a"),
    (lambda x: "%.3d" % x, r"precision on %d"),
])
def test_what_is_not_compiled_says_what_to_write(fn, what):
    with pytest.raises(UnsupportedError, match=what):
        njit(fn)(1)


def test_a_format_computed_at_run_time_is_refused():
    def run_time(fmt, x):
        return fmt % x
    with pytest.raises(UnsupportedError, match="format computed at run time"):
        njit(run_time)("%d", 1)
