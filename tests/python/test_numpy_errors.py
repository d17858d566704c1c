"""Issue 3: errors from NumPy-style code in nopython mode.

  * operands whose shapes do not broadcast raise ValueError mentioning "broadcast", like
    NumPy, and leave the arguments untouched; in-place operators whose result does not fit
    the target raise too (run in a child process: they must never crash the interpreter);
  * NumPy functions and keyword arguments dunnart does not support raise
    dunnart.UnsupportedError whose message names them (not only in the quoted source)."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from dunnart import UnsupportedError, njit

from jitcheck import subprocess_env

# ------------------------------------------------------------------ broadcasting


@njit
def add(a, b):
    return a + b


@njit
def chain(a, b):
    return np.exp(a) * 2.0 + b


@njit
def compare(a, b):
    return a < b


@njit
def maximum(a, b):
    return np.maximum(a, b)


@njit
def where(c, a, b):
    return np.where(c, a, b)


@njit
def reduce_of_bad_expr(a, b):
    return np.sum(a * b)


MISMATCHES = [((3,), (4,)), ((3, 4), (3,)), ((2, 3), (3, 2)), ((2, 1, 3), (4, 2)), ((0,), (2,))]


@pytest.mark.parametrize("sa,sb", MISMATCHES, ids=str)
def test_shape_mismatch_raises_value_error_mentioning_broadcast(sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    with pytest.raises(ValueError):
        add.py_func(a, b)
    with pytest.raises(ValueError, match="broadcast"):
        add(a, b)


@pytest.mark.parametrize("sa,sb", MISMATCHES, ids=str)
def test_broadcast_error_names_the_shapes_like_numpy(sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    with pytest.raises(ValueError) as numpy_error:
        add.py_func(a, b)
    with pytest.raises(ValueError) as ours:
        add(a, b)
    assert str(ours.value).strip() == str(numpy_error.value).strip()


def test_broadcast_error_into_a_destination_names_the_shapes():
    with pytest.raises(ValueError, match=r"could not broadcast input arrays of shapes \(3,4\) \(4,3\) into shape \(3,4\)"):
        iadd(np.zeros((3, 4)), np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"with shapes \(3,\) \(4,\) \(3,\)"):
        where(np.ones(3) > 0, np.ones(4), np.ones(3))


@pytest.mark.parametrize("f", [chain, compare, maximum, reduce_of_bad_expr], ids=lambda f: f.py_func.__name__)
@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (3, 2))], ids=str)
def test_shape_mismatch_in_other_operations(f, sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    with pytest.raises(ValueError):
        f.py_func(a, b)
    with pytest.raises(ValueError, match="broadcast"):
        f(a, b)


def test_where_shape_mismatch():
    with pytest.raises(ValueError, match="broadcast"):
        where(np.ones(3) > 0, np.ones(4), np.ones(3))
    with pytest.raises(ValueError, match="broadcast"):
        where(np.ones((2, 3)) > 0, np.ones(3), np.ones((3, 1)))


def test_function_works_after_a_broadcast_error():
    with pytest.raises(ValueError):
        add(np.ones(3), np.ones(4))
    np.testing.assert_array_equal(add(np.ones(3), np.ones(3)), np.full(3, 2.0))


@njit
def iadd(a, b):
    a += b


@pytest.mark.parametrize("sa,sb", [((4,), (3,)), ((3, 4), (3,)), ((3, 4), (4, 3))], ids=str)
def test_inplace_mismatch_raises_and_leaves_target_unchanged(sa, sb):
    a, b = np.zeros(sa), np.ones(sb)
    with pytest.raises(ValueError):
        iadd.py_func(a.copy(), b)
    with pytest.raises(ValueError, match="broadcast"):
        iadd(a, b)
    np.testing.assert_array_equal(a, np.zeros(sa))


CHILD = """
import numpy as np
from dunnart import njit, TypingError

@njit
def iadd(a, b):
    a += b

@njit
def isub_view(a, b):
    a[1:] -= b

for sa, sb, f in [((4,), (3, 4), iadd), ((3, 1), (3, 4), iadd), ((1,), (5,), iadd), ((5,), (2, 4), isub_view)]:
    a = np.zeros(sa)
    print("case", sa, "+=", sb, flush=True)
    try:
        f(a, np.ones(sb))
    except (ValueError, TypingError) as e:
        assert (a == 0).all(), (sa, sb, "target modified")
        print("raised", type(e).__name__, flush=True)
    else:
        raise SystemExit("no error for %r += %r" % (sa, sb))
print("done")
"""


def test_inplace_result_that_does_not_fit_the_target_raises_without_crashing():
    # NumPy: "non-broadcastable output operand"; a result with more dimensions than the
    # target may be rejected at compile time (TypingError) or at run time (ValueError)
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD)], capture_output=True, text=True,
                          env=subprocess_env(), timeout=120)
    assert proc.returncode == 0 and "done" in proc.stdout, \
        f"child exited with {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-3000:]}"


# ------------------------------------------------------------------ unsupported features


def explanation(err):
    """The message without the quoted source line (which names everything on the line)."""
    return str(err).split("\n  File")[0].split("\n")[0]


@njit
def sum_keepdims_computed(a, keep):
    return np.sum(a, keepdims=keep)


@njit
def exp_where(a):
    return np.exp(a, where=a > 0)


@njit
def fft(a):
    return np.fft.fft(a)


@pytest.mark.parametrize("f,name,extra", [(sum_keepdims_computed, "keepdims", (True,)), (exp_where, "where", ()),
                                          (fft, "fft", ())], ids=lambda v: v if isinstance(v, str) else getattr(getattr(v, "py_func", None), "__name__", "args"))
def test_unsupported_raises_unsupported_error_naming_it(f, name, extra):
    a = np.arange(4.0)
    f.py_func(a, *extra)  # NumPy accepts it
    with pytest.raises(UnsupportedError) as info:
        f(a, *extra)
    assert name in explanation(info.value), f"{name!r} not named in: {str(info.value)!r}"
    # and again on the next call (no half-compiled state)
    with pytest.raises(UnsupportedError):
        f(a, *extra)

