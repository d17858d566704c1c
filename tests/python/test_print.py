"""Issue 11, print(): compiled code writes to Python's sys.stdout, in order with the
program's own output, the same text CPython's print writes (numbers, bools, None, string
constants, tuples of numbers; sep= and end=). Each case captures what the jitted function
and CPython print for the same arguments and compares them."""
import contextlib
import io

import numpy as np
import pytest

from dunnart import UnsupportedError, njit


def printed(fn, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        r = fn(*args)
    return r, out.getvalue()


def numbers(x, y):
    print(x, y, x + y)
    print("x =", x, "and y =", y)
    print()
    return x


def specials(n):
    print(True, False, None, n > 2, -0.0, 1e300 * 10, 0.1 + 0.2, 1e16, 123456789.0)
    print("braces {} stay", "{x}")


def separators(a, b):
    print(a, b, sep=", ")
    print(a, b, sep="", end="|")
    print(a, end="\n\n")
    print("done", sep=None, end=None, flush=True)


def tuples(n):
    t = (n, n * 0.5, n > 1)
    print(t)
    print((n,), ())


def in_a_loop(n):
    total = 0
    for i in range(n):
        total += i
        print("step", i, total)
    return total


def small_types(a, u):
    x = a[0]
    print(x, np.float32(0.1), np.int8(-3), u[0])


@pytest.mark.parametrize("fn, args", [
    (numbers, (2, 3.5)), (numbers, (-7, 10**18)), (specials, (3,)), (separators, (1, 2.5)), (tuples, (3,)),
    (in_a_loop, (4,)), (small_types, (np.array([1.5], dtype=np.float32), np.array([2**64 - 1], dtype=np.uint64))),
])
def test_print_writes_what_python_writes(fn, args):
    assert printed(njit(fn), *args) == printed(fn, *args)


def test_print_is_in_order_with_python_output():
    f = njit(in_a_loop)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print("before")
        f(2)
        print("after")
    assert out.getvalue() == "before\nstep 0 0\nstep 1 1\nafter\n"


def test_print_from_a_nogil_function():
    f = njit(nogil=True)(in_a_loop)
    assert printed(f, 3) == printed(in_a_loop, 3)


def print_array(a):
    print(a)


def print_complex(z):
    print(z)


def print_to_file(x):
    print(x, file=None)


@pytest.mark.parametrize("fn, arg, words", [
    (print_array, np.zeros(2), r"print\(\) of array"),
    (print_complex, 1 + 2j, "complex"),
    (print_to_file, 1, "file="),
])
def test_unsupported_prints_say_what_to_write(fn, arg, words):
    with pytest.raises(UnsupportedError, match=words):
        njit(fn)(arg)


def test_a_failed_write_is_a_runtime_error():
    class Closed(io.StringIO):
        def write(self, s):
            raise ValueError("I/O operation on closed file")
    with contextlib.redirect_stdout(Closed()), pytest.raises(RuntimeError, match="closed file"):
        njit(in_a_loop)(2)
