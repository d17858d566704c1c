"""Issue 11, print(): compiled code writes to Python's sys.stdout, in order with the
program's own output, the same text CPython's print writes (numbers, bools, None, string
constants, complexes, NumPy arrays as NumPy's str writes them, tuples of these; sep= and
end=). Each case captures what the jitted function
and CPython print for the same arguments and compares them."""
import contextlib
import io
import math

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


def print_one(x):
    print(x)


def complexes(z, w):
    print(z, w, z * w, (z, 1), (w,))
    print("z =", z, sep="", end="!\n")


@pytest.mark.parametrize("z", [1 + 2j, 1j, complex(-0.0, -1), complex(math.nan, math.inf), -0j, 0j,
                               complex(-0.0, 0.0), 1e20 + 1e-7j, 2.5 - 3.25j, complex(1e16, -1e-5),
                               np.complex64(1.1 + 2.2j), np.complex128(3 - 4j)])
def test_print_of_complex_numbers(z):
    assert printed(njit(print_one), z) == printed(print_one, z)
    if type(z) is complex:  # NumPy scalars in tuples: NumPy 2's repr (np.complex64(...)) is not written yet
        assert printed(njit(complexes), z, 2 - 1j) == printed(complexes, z, 2 - 1j)


ARRAYS = [np.arange(5.0), np.arange(2000.0), np.linspace(0, 1, 7).reshape(7, 1), np.arange(12).reshape(3, 4),
          np.array([1 + 2j, 3j]), np.array([True, False]), np.arange(10, dtype=np.float32) / 3,
          np.zeros((2, 0)), np.arange(24, dtype=np.uint8).reshape(2, 3, 4), np.array([np.nan, -np.inf, 1e-9]),
          np.random.default_rng(0).random((40, 30)), np.arange(10.0)[::3]]


@pytest.mark.parametrize("a", ARRAYS, ids=lambda a: f"{a.dtype}{a.shape}")
def test_print_of_arrays_is_numpys_str(a):
    assert printed(njit(print_one), a) == printed(print_one, a)


def arrays_in_tuples(a):
    print((a, 1), "x", a[1:], (len(a), a))


def made_inside(n):
    b = np.ones(n) * 2.5
    print(b, b.T, sep=" | ")
    return b.sum()


def as_text(a, z):
    return f"<{a}> {z} {z!r:>12}" + str(a)


def raises_with_an_array(a):
    raise ValueError(f"bad values {a}")


def test_arrays_in_tuples_are_their_repr():
    a = np.arange(3.0)
    assert printed(njit(arrays_in_tuples), a) == printed(arrays_in_tuples, a)


def test_arrays_made_by_compiled_code():
    assert printed(njit(made_inside), 4) == printed(made_inside, 4)


def test_str_and_fstrings_of_arrays_and_complexes():
    a = np.arange(4).reshape(2, 2)
    assert njit(as_text)(a, 1 - 2j) == as_text(a, 1 - 2j)
    with pytest.raises(ValueError) as got:
        njit(raises_with_an_array)(a)
    with pytest.raises(ValueError) as want:
        raises_with_an_array(a)
    assert str(got.value) == str(want.value) == "bad values [[0 1]\n [2 3]]"


def test_print_of_arrays_follows_numpys_print_options():
    a = np.linspace(0, 1, 5) / 3
    with np.printoptions(precision=3, suppress=True):
        assert printed(njit(print_one), a) == printed(print_one, a)


def test_print_of_an_array_from_a_nogil_function():
    a = np.arange(6.0).reshape(2, 3)
    assert printed(njit(nogil=True)(print_one), a) == printed(print_one, a)


def print_to_file(x):
    print(x, file=None)


def print_list(n):
    print([n, n])


def complex_with_a_spec(z):
    return f"{z:.2f}"


def array_with_a_spec(a):
    return f"{a:>8}"


@pytest.mark.parametrize("fn, arg, words", [
    (print_to_file, 1, "file="),
    (print_list, 1, r"print\(\) of list\(int64\) is not supported yet(.|\n)*print numbers, strings, arrays"),
    (complex_with_a_spec, 1j, r"format spec \('.2f'\) on a value of type complex(.|\n)*z.real and z.imag"),
    (array_with_a_spec, np.zeros(2), r"format spec \('>8'\) on a value of type array"),
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
