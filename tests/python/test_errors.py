"""Errors a user can cause: bad argument types (TypeError naming the argument), untypeable
code (TypingError with file, line, source text and types), unsupported constructs
(UnsupportedError naming the construct), runtime errors in compiled code
(ZeroDivisionError, IndexError with boundscheck=True), and hostile inputs that must never
crash the interpreter (run in a child process)."""
import contextlib
import re
import subprocess
import sys

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from jitcheck import TESTS_DIR, assert_diagnostic, line_of, make_array, subprocess_env

THIS_FILE = __file__

# ------------------------------------------------------------------ argument types


@njit
def two_args(alpha, beta):
    return alpha + beta


def test_str_arguments_once_refused_now_compile_and_type():
    with pytest.raises(TypingError, match="unsupported operand types for \\+: int and str"):
        two_args(1, "text")
    assert two_args("a", "b") == "ab"


@pytest.mark.parametrize("args,name,typename", [
    (([[1], [2.5]], 1), "alpha", "list"),
    (([], 1), "alpha", "list"),
    ((1, {b"k": 1}), "beta", "dict"),
    ((1.5, {b"a", b"b"}), "beta", "bytes"),
    ((1.5, frozenset({1})), "beta", "frozenset"),
    ((b"xy", 2), "alpha", "bytes"),
    ((object(), 1), "alpha", "object"),
    ((np.array([1, "a"], dtype=object), 1), "alpha", None),
    ((1, np.array(["ab", "cd"])), "beta", None),
])
def test_unsupported_argument_type_raises_type_error_naming_it(args, name, typename):
    with pytest.raises(TypeError) as info:
        two_args(*args)
    msg = str(info.value)
    assert re.search(rf"\b{name}\b", msg), f"argument name {name!r} missing from: {msg}"
    if typename:
        assert typename in msg, f"type {typename!r} missing from: {msg}"
    # the dispatcher is still fine for good arguments
    assert two_args(1, 2) == 3


def test_wrong_argument_count_raises_type_error():
    with pytest.raises(TypeError):
        two_args(1)
    with pytest.raises(TypeError):
        two_args(1, 2, 3)
    with pytest.raises(TypeError):
        two_args()


# ------------------------------------------------------------------ typing errors

def add_str(a):
    b = a * 2
    c = b + 1
    return c + "x"  # MARK-ADD-STR


class Opaque:
    def __call__(self, x):
        return x


OPAQUE = Opaque()


def calls_instance(x):
    y = x + 1
    return OPAQUE(y)  # MARK-INSTANCE


def plain_python_function(x):
    return x + 1


def calls_plain_python(x):
    y = x * 2
    return plain_python_function(y)  # MARK-PLAIN


def len_of_int(n):
    k = n + 1
    return len(k)  # MARK-LEN


def unknown_attribute(a):
    s = a.shape[0]
    return a.no_such_attribute + s  # MARK-ATTR


def undefined_name(x):
    y = x + 2
    return y + name_that_is_defined_nowhere  # noqa: F821  MARK-UNDEF


def mixed_return(x):
    if x > 0:
        return 1  # MARK-UNIFY-A
    return "negative"  # MARK-UNIFY-B


def _typing_error(fn, *args):
    f = njit(fn)
    with pytest.raises(TypingError) as info:
        f(*args)
    return f, str(info.value)


def test_typing_error_int_plus_str():
    f, msg = _typing_error(add_str, 3)
    assert_diagnostic(msg, THIS_FILE, "MARK-ADD-STR", r"\bint(64)?\b", r"(?i)str|unicode")


def test_typing_error_float_plus_str():
    f, msg = _typing_error(add_str, 3.5)
    assert_diagnostic(msg, THIS_FILE, "MARK-ADD-STR", r"\bfloat(64)?\b", r"(?i)str|unicode")


def test_typing_error_calling_class_instance():
    f, msg = _typing_error(calls_instance, 3)
    assert_diagnostic(msg, THIS_FILE, "MARK-INSTANCE", r"OPAQUE|Opaque")


def test_typing_error_calling_plain_python_function():
    f, msg = _typing_error(calls_plain_python, 3)
    assert_diagnostic(msg, THIS_FILE, "MARK-PLAIN", r"plain_python_function")


def test_typing_error_len_of_int():
    f, msg = _typing_error(len_of_int, 3)
    assert_diagnostic(msg, THIS_FILE, "MARK-LEN", r"len", r"\bint(64)?\b")


def test_typing_error_unknown_attribute():
    f, msg = _typing_error(unknown_attribute, np.zeros(3))
    assert_diagnostic(msg, THIS_FILE, "MARK-ATTR", r"no_such_attribute", r"float64|array")


def test_typing_error_undefined_global():
    f, msg = _typing_error(undefined_name, 3)
    assert_diagnostic(msg, THIS_FILE, "MARK-UNDEF", r"name_that_is_defined_nowhere")


def test_typing_error_incompatible_return_types():
    f, msg = _typing_error(mixed_return, 3)
    assert "test_errors.py" in msg, msg
    la, _ = line_of(THIS_FILE, "MARK-UNIFY-A")
    lb, _ = line_of(THIS_FILE, "MARK-UNIFY-B")
    assert re.search(rf"(?<!\d)({la}|{lb})(?!\d)", msg), msg
    assert re.search(r"int", msg) and re.search(r"(?i)str|unicode", msg), msg


def first_dimension(x):
    return x.shape[0]


def test_typing_error_is_raised_again_and_dispatcher_survives():
    f = njit(add_str)
    for _ in range(2):
        with pytest.raises(TypingError):
            f(3)
    assert len(f.signatures) == 0
    # the same code types for another argument type: the failure for int64 does not
    # poison the dispatcher
    g = njit(first_dimension)
    with pytest.raises(TypingError):
        g(3)
    assert g(np.zeros(7)) == 7
    assert len(g.signatures) == 1
    with pytest.raises(TypingError):
        g(3)


def test_typing_error_from_eager_signature():
    with pytest.raises(TypingError) as info:
        njit("int64(int64)")(add_str)
    assert_diagnostic(str(info.value), THIS_FILE, "MARK-ADD-STR", r"\bint(64)?\b")


# ------------------------------------------------------------------ unsupported constructs

def uses_try(x):
    try:
        y = 10 // x
    except ZeroDivisionError:
        y = 0
    return y


CTX = contextlib.nullcontext()


def uses_with(x):
    with CTX:
        x += 1
    return x


COUNTER = 0


def writes_global(x):
    global COUNTER
    COUNTER = x
    return x


@pytest.mark.parametrize("fn,args,pattern", [
    (uses_with, (3,), r"(?i)\bwith\b|context manager"),
    (writes_global, (3,), r"(?i)global"),
], ids=["with", "global-write"])
def test_unsupported_construct_is_named(fn, args, pattern):
    with pytest.raises((UnsupportedError, TypingError)) as info:
        f = njit(fn)
        f(*args)
    msg = str(info.value)
    assert re.search(pattern, msg), f"construct not named ({pattern}) in: {msg}"
    assert COUNTER == 0


def test_try_except_once_unsupported_now_compiles():
    assert njit(uses_try)(0) == uses_try(0) == 0
    assert njit(uses_try)(3) == uses_try(3) == 3


def list_comprehension(n):
    xs = [i * i for i in range(n)]
    s = 0
    for v in xs:
        s += v
    return s


def test_list_comprehension_works():
    r = njit(list_comprehension)(10)
    assert r == list_comprehension(10) and isinstance(r, (int, np.integer))


# ------------------------------------------------------------------ runtime errors

@njit
def idiv(a, b):
    return a // b


@njit
def imod(a, b):
    return a % b


@njit
def tdiv(a, b):
    return a / b


@njit(error_model="python")
def idiv_explicit_python_model(a, b):
    return a // b


@pytest.mark.parametrize("f", [idiv, imod, tdiv, idiv_explicit_python_model], ids=lambda f: f.py_func.__name__)
@pytest.mark.parametrize("a,b", [(7, 0), (-7, 0), (0, 0), (7.5, 0.0), (-1.0, -0.0), (3, 0.0), (2.5, 0)])
def test_division_by_zero_raises(check_raises, check, f, a, b):
    check_raises(f, ZeroDivisionError, a, b)
    # and the function still works afterwards
    check(f, 7, 2)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint16, np.uint64], ids=lambda d: np.dtype(d).name)
def test_narrow_integer_division_by_zero_raises(dtype):
    with pytest.raises(ZeroDivisionError):
        idiv(dtype(7), dtype(0))
    with pytest.raises(ZeroDivisionError):
        imod(dtype(7), dtype(0))
    assert idiv(dtype(7), dtype(2)) == 3


@njit
def div_loop(a):
    s = 0
    for v in a:
        s += 100 // v
    return s


def test_division_by_zero_inside_loop(check):
    check(div_loop, np.array([1, 3, -7, 9]))
    # (CPython on NumPy int64 elements only warns; dunnart's rule for integer division
    # by zero is ZeroDivisionError whatever the integer type)
    with pytest.raises(ZeroDivisionError):
        div_loop(np.array([1, 3, 0, 9]))
    check(div_loop, np.array([5, -5]))


@njit(boundscheck=True)
def bc_get1(a, i):
    return a[i]


@njit(boundscheck=True)
def bc_set1(a, i, v):
    a[i] = v


@njit(boundscheck=True)
def bc_get2(a, i, j):
    return a[i, j]


@njit(boundscheck=True)
def bc_off_by_one(a):
    s = 0.0
    for i in range(a.shape[0] + 1):
        s += a[i]
    return s


INDEX_MSG = r"(?i)index|bound|range"


@pytest.mark.parametrize("layout", ["C", "strided", "readonly"])
@pytest.mark.parametrize("i", [5, 6, 100, -6, -7, -100, 2**62, -(2**62)])
def test_boundscheck_read_1d(check_raises, layout, i):
    a = make_array(np.float64, 5, layout)
    info = check_raises(bc_get1, IndexError, a, i)
    assert re.search(INDEX_MSG, str(info.value)), str(info.value)


@pytest.mark.parametrize("i", [0, 4, -1, -5, 2])
def test_boundscheck_allows_valid_indices(check, i):
    a = make_array(np.float64, 5, "C")
    check(bc_get1, a, i)
    check(bc_get1, make_array(np.float64, 5, "strided"), i)


@pytest.mark.parametrize("i", [5, -6, 50])
def test_boundscheck_write_1d(check_raises, i):
    a = make_array(np.int32, 5, "C")
    before = a.copy()
    check_raises(bc_set1, IndexError, a, i, 99)
    np.testing.assert_array_equal(a, before)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("i,j", [(3, 0), (0, 4), (-4, 0), (0, -5), (3, 4), (-4, -5)])
def test_boundscheck_read_2d(check_raises, layout, i, j):
    a = make_array(np.float64, (3, 4), layout)
    check_raises(bc_get2, IndexError, a, i, j)


def test_boundscheck_2d_valid(check):
    a = make_array(np.float64, (3, 4), "F")
    for i, j in [(2, 3), (-3, -4), (0, -1)]:
        check(bc_get2, a, i, j)


def test_boundscheck_empty_array(check_raises):
    check_raises(bc_get1, IndexError, np.zeros(0), 0)
    check_raises(bc_get1, IndexError, np.zeros(0), -1)


def test_boundscheck_off_by_one_loop(check_raises, check):
    check_raises(bc_off_by_one, IndexError, np.arange(4.0))
    assert bc_get1(np.arange(4.0), 3) == 3.0


# ------------------------------------------------------------------ hostile inputs in a child

def test_hostile_inputs_do_not_crash_the_interpreter():
    script = TESTS_DIR / "hostile_inputs.py"
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                       env=subprocess_env(), cwd=str(TESTS_DIR))
    out = p.stdout + "\n--- stderr ---\n" + p.stderr[-4000:]
    started = [l.split(" ", 1)[1] for l in p.stdout.splitlines() if l.startswith("START ")]
    failed = [l for l in p.stdout.splitlines() if l.startswith("FAIL ")]
    assert p.returncode == 0, (f"child exited with {p.returncode} (negative = killed by a signal) "
                               f"during case {started[-1] if started else '?'}:\n{out}")
    assert not failed, out
    assert "ALL-HOSTILE-OK" in p.stdout, out


# ------------------------------------------------------------------ @jit falls back to object mode

def _describe(x):
    return dict(x=x)   # dict() of keywords does not compile


def test_jit_falls_back_to_object_mode_once_per_signature():
    import warnings
    from dunnart import ObjectModeWarning, jit
    f = jit(_describe)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert f(2.5) == {"x": 2.5}                          # the line the warning names
        line = sys._getframe().f_lineno - 1
        assert f(3.5) == {"x": 3.5} and f(1.0) == {"x": 1.0}  # same signature: no new warning
        assert f(2) == {"x": 2}                              # a new signature warns again
    assert [w.category for w in caught] == [ObjectModeWarning, ObjectModeWarning]
    first = caught[0]
    assert first.filename == __file__ and first.lineno == line
    assert "object mode" in str(first.message) and "_describe" in str(first.message)


def test_njit_does_not_fall_back():
    with pytest.raises(TypingError):
        njit(_describe)(2.5)


def test_a_variable_of_two_types_names_both_lines_and_what_to_do():
    def two_types(x):
        if x > 0:
            y = 1
        else:
            y = "one"
        return y

    def two_returns(x):
        if x > 0:
            return 1
        return "one"

    line = two_types.__code__.co_firstlineno
    # 3.11 merges y before its return; 3.12+ copies the return into each branch.
    with pytest.raises(TypingError, match=rf"(variable 'y' is int at line {line + 2} and str at line {line + 4})|"
                                          rf"(returns (int at line {line + 2} and str at line {line + 4}|"
                                          rf"str at line {line + 4} and int at line {line + 2}))") as e:
        njit(two_types)(1)
    assert "one type on every path" in str(e.value) or "the same kind of value from every return" in str(e.value)
    line = two_returns.__code__.co_firstlineno
    with pytest.raises(TypingError, match=rf"returns str at line {line + 3} and int at line {line + 2}"):
        njit(two_returns)(1)
