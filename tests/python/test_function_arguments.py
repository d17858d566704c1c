"""Issue 11, jitted functions passed as arguments from Python (`apply(sq, 3)`): each
function passed is part of the argument types (its calls compile as direct calls, inlined
where LLVM finds it pays), so one compilation per function and argument types; a plain
Python function is refused saying what to pass. Results are compared with CPython."""
import numpy as np
import pytest

from dunnart import njit


@njit
def square(x):
    return x * x


@njit
def cube(x):
    return x * x * x


@njit
def apply(f, x):
    return f(x)


@njit
def total(f, a):
    s = 0.0
    for v in a:
        s += f(v)
    return s


@njit
def compose(f, g, x):
    return f(g(x))


@njit
def twice_through(f, x):
    return apply(f, apply(f, x))   # passed on to another jitted function


def test_jitted_functions_as_arguments():
    assert apply(square, 3) == 9 and apply(cube, 3) == 27 and apply(square, 2.5) == 6.25
    a = np.arange(5.0)
    assert total(cube, a) == total.py_func(cube.py_func, a) == float((a ** 3).sum())
    assert compose(square, cube, 2) == 64 and compose(cube, square, 2) == 64
    assert twice_through(square, 3) == 81


def test_one_compilation_per_function_passed():
    f = njit(apply.py_func)
    f(square, 1), f(square, 2), f(cube, 1), f(square, 1.5)
    assert len(f.signatures) == 3


def test_a_plain_python_function_is_refused_saying_what_to_pass():
    with pytest.raises(TypeError, match=r"a plain Python function cannot be passed to jitted code; pass a jitted one"):
        apply(lambda x: x, 1)
    with pytest.raises(TypeError, match=r"pass a jitted one"):
        apply(len, 1)
