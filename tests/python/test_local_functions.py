"""Issue 11, functions inside jitted functions: lambdas, inner `def`s, closures that read
the variables of the function around them (at the time of the call, as Python reads its
cells), comprehensions (Python 3.11 compiles them as inner functions; 3.12 inlines them),
inner functions used by other inner functions, `nonlocal` assignments (the new values
returned with the result and stored by the caller). Each case runs under CPython too and the
results (values and types) must be equal. What does not compile yet says so by name."""
import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit


def kind(v):
    """The kind of a value: compiled code returns NumPy's scalars as Python numbers (as
    Numba does), so np.float64 and float are both "float"."""
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [kind(x) for x in v])
    for name, types in (("bool", (bool, np.bool_)), ("int", (int, np.integer)), ("float", (float, np.floating))):
        if isinstance(v, types):
            return name
    return type(v).__name__


def outcome(fn, *args):
    try:
        r = fn(*args)
        return ("ok", r, kind(r))
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return (type(e), str(e))


def same(fn, *args):
    got = outcome(njit(fn), *args)
    want = outcome(fn, *args)
    if isinstance(want[1], np.ndarray):
        assert got[0] == "ok" and np.array_equal(got[1], want[1]), f"{fn.__name__}: {got} != {want}"
    else:
        assert got == want, f"{fn.__name__}{args}: dunnart {got} != Python {want}"


# ------------------------------------------------------------------ lambdas and inner defs

def lambda_plain(x):
    sq = lambda v: v * v  # noqa: E731
    return sq(x) + sq(x + 1)


def lambda_closure(a, n):
    b = 2
    g = lambda x: x + a + b  # noqa: E731
    return g(n)


def closure_reads_at_call_time(n):
    k = 1
    add = lambda x: x + k  # noqa: E731
    k = 10
    return add(n)


def closure_in_loop(n):
    total = 0.0
    scale = 1.0
    f = lambda x: x * scale  # noqa: E731
    for i in range(n):
        scale = i + 0.5
        total += f(i)
    return total


def inner_def(n):
    def sq(x):
        return x * x
    s = 0
    for i in range(n):
        s += sq(i)
    return s


def inner_def_two_types(n):
    def twice(x):
        return x + x
    return twice(n) + twice(0.5)


def inner_uses_inner(n):
    def sq(x):
        return x * x

    def sum_sq(m):
        s = 0
        for i in range(m):
            s += sq(i)
        return s
    return sum_sq(n)


def inner_uses_closure_of_inner(n, c):
    def shift(x):
        return x + c

    def apply_twice(x):
        return shift(shift(x))
    return apply_twice(n)


def closure_over_array(a, i):
    get = lambda k: a[k] * 2.0  # noqa: E731
    return get(i) + get(i + 1)


def inner_returns_array(a):
    def normalise(x):
        return (x - x.mean()) / x.std()
    return normalise(a)


def inner_with_loop_and_branch(n, limit):
    def clip(x):
        if x > limit:
            return limit
        return x
    s = 0
    for i in range(n):
        s += clip(i)
    return s


def argument_is_cell(a):
    f = lambda: a * 3  # noqa: E731
    a = a + 1
    return f()


def nested_three_deep(x):
    def outer(y):
        def inner(z):
            return z * x + y
        return inner(y + 1)
    return outer(x)


def lambda_tuple_result(a, b):
    swap = lambda p, q: (q, p)  # noqa: E731
    return swap(a, b)


def inner_with_default(n):
    def add(x, y=2):
        return x + y
    return add(n)


def inner_defaults_and_closure(x):
    k = 3.0

    def f(a, b=2, c=0.5):
        return a * b + c + k
    return f(x) + f(x, 4) + f(x, c=1.5) + f(b=1, a=x)


@pytest.mark.parametrize("fn,args", [
    (lambda_plain, (3,)),
    (lambda_plain, (2.5,)),
    (lambda_closure, (1, 3)),
    (lambda_closure, (1.5, 3)),
    (closure_reads_at_call_time, (1,)),
    (closure_in_loop, (6,)),
    (inner_def, (10,)),
    (inner_def_two_types, (4,)),
    (inner_uses_inner, (7,)),
    (inner_uses_closure_of_inner, (3, 4)),
    (closure_over_array, (np.arange(6.0), 2)),
    (inner_returns_array, (np.arange(6.0),)),
    (inner_with_loop_and_branch, (10, 5)),
    (argument_is_cell, (2,)),
    (nested_three_deep, (3,)),
    (lambda_tuple_result, (1, 2.5)),
    (inner_with_default, (1,)),
    (inner_defaults_and_closure, (2.0,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_inner_functions_match_python(fn, args):
    same(fn, *args)


# ------------------------------------------------------------------ comprehensions

def comp_range(n):
    return [i * i for i in range(n)]


def comp_condition(a):
    return [v * 2.0 for v in a if v > 1.0]


def comp_two_loops(n):
    return [i * j for i in range(n) for j in range(i) if (i + j) % 2 == 0]


def comp_nested_sum(n):
    return sum([sum([i * j for j in range(i)]) for i in range(n)])


def comp_reads_locals(a, n):
    b = 3
    return [x + b for x in a[:n]]


def comp_calls_lambda(a):
    f = lambda x: x * x + 1.0  # noqa: E731
    return [f(v) for v in a]


def comp_calls_closure(a, c):
    f = lambda x: x * c  # noqa: E731
    return [f(v) for v in a if f(v) > 2.0]


def comp_over_list(n):
    xs = [1, 2, 3, n]
    return [x * 10 for x in xs]


def comp_over_tuple(a, b):
    return [v + 1 for v in (a, b, a + b)]


def comp_of_tuples(n):
    return [(i, i * 0.5) for i in range(n)]


def comp_in_loop(n):
    total = 0
    for k in range(n):
        total += len([i for i in range(k) if i % 3 == 0])
    return total


def comp_into_array(n):
    return np.array([i * 0.5 for i in range(n)])


@pytest.mark.parametrize("fn,args", [
    (comp_range, (6,)),
    (comp_range, (0,)),
    (comp_condition, (np.array([0.5, 1.5, 3.0, -1.0]),)),
    (comp_two_loops, (6,)),
    (comp_nested_sum, (6,)),
    (comp_reads_locals, (np.arange(5), 3)),
    (comp_calls_lambda, (np.linspace(0, 1, 5),)),
    (comp_calls_closure, (np.linspace(0, 3, 7), 2.0)),
    (comp_over_list, (7,)),
    (comp_over_tuple, (2, 5)),
    (comp_of_tuples, (4,)),
    (comp_in_loop, (9,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_comprehensions_match_python(fn, args):
    same(fn, *args)


def rows_into_array(n):
    rows = [(i, i * 0.5) for i in range(n)]
    return np.array(rows), np.asarray(rows, dtype=np.float32), np.array([r[0] for r in rows], np.int8)


def test_comprehension_into_array():
    got = njit(comp_into_array)(5)
    np.testing.assert_array_equal(got, comp_into_array(5))
    assert got.dtype == np.float64
    for got, want in zip(njit(rows_into_array)(4), rows_into_array(4)):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype and got.shape == want.shape


def test_empty_list_into_array():
    f = njit(lambda n: np.array([i * 1.5 for i in range(n)]))
    got = f(0)
    assert got.shape == (0,) and got.dtype == np.float64


def test_same_inner_function_compiled_once_per_types():
    f = njit(inner_def_two_types)
    assert f(3) == inner_def_two_types(3)
    assert f(3.5) == inner_def_two_types(3.5)


# ------------------------------------------------------------------ nonlocal

def nonlocal_in_a_loop(n):
    t = 0

    def add(x):
        nonlocal t
        t += x
    for i in range(n):
        add(i)
    return t


def nonlocals_and_a_result(n):
    count = 0
    total = 0.0

    def step(x):
        nonlocal count, total
        count += 1
        total += x * 0.5
        return count * 10
    r = 0
    for i in range(n):
        r += step(i)
    return count, total, r


def nonlocal_on_one_path(n):
    best = -1

    def consider(x):
        nonlocal best
        if x % 3 == 1 and x > best:
            best = x
            return True
        return False
    hits = 0
    for i in range(n):
        if consider(i * 7 % 11):
            hits += 1
    return best, hits


def nonlocal_between_assignments(n):
    k = 0

    def bump():
        nonlocal k
        k += n
    bump()
    bump()
    k *= 2
    bump()
    return k


def nonlocal_then_raise(n):
    k = 0

    def bump():
        nonlocal k
        k += 1
        if k > n:
            raise ValueError(f"k={k}")
    for i in range(5):
        bump()
    return k


@pytest.mark.parametrize("fn,args", [
    (nonlocal_in_a_loop, (5,)), (nonlocal_in_a_loop, (0,)),
    (nonlocals_and_a_result, (4,)),
    (nonlocal_on_one_path, (10,)),
    (nonlocal_between_assignments, (3,)),
    (nonlocal_then_raise, (2,)), (nonlocal_then_raise, (7,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_nonlocal_assignments_match_python(fn, args):
    # The inner function returns the new values with its own; its caller stores them.
    same(fn, *args)


# ------------------------------------------------------------------ what does not compile (yet), by name

def nonlocal_two_levels_down(n):
    k = 0

    def outer():
        def inner():
            nonlocal k
            k += 1
        inner()
    outer()
    return k


def nonlocal_in_a_try(n):
    k = 0

    def bump():
        nonlocal k
        k += 1
    try:
        bump()
    except ValueError:
        pass
    return k


def closure_assigning_a_frozen_cell():
    k = 0

    def bump():
        nonlocal k
        k += 1
        return k
    return bump


def recursive_inner(n):
    def fact(m):
        return 1 if m <= 1 else m * fact(m - 1)
    return fact(n)


def returns_closure(n):
    return lambda x: x + n


def passes_closure(a, n):
    f = lambda x: x + n  # noqa: E731
    return apply(f, a)


@njit
def apply(f, x):
    return f(x)


def passes_plain_lambda(a):
    return apply(lambda x: x * 2, a)


def inner_with_runtime_default(n):
    def add(x, y=n):
        return x + y
    return add(1)


def chosen_at_run_time(n):
    if n > 0:
        f = lambda x: x + n  # noqa: E731
    else:
        f = lambda x: x - n  # noqa: E731
    return f(1)


@pytest.mark.parametrize("fn,args,pattern", [
    (nonlocal_two_levels_down, (1,), r"inner assigns variable 'k' of an enclosing function \(nonlocal k\) and is "
                                     r"called from another inner function(.|\n)*hint: call it from the function that "
                                     r"defines k, or return the new value instead"),
    (nonlocal_in_a_try, (1,), r"bump assigns variable 'k' of an enclosing function \(nonlocal k\) and is called "
                              r"inside a try block(.|\n)*hint: call it outside the try"),
    (recursive_inner, (4,), r"recursive inner functions"),
    (returns_closure, (1,), r"used as a value"),
    (passes_closure, (1, 2), r"used as a value"),
    (inner_with_runtime_default, (1,), r"default values computed at run time"),
    (chosen_at_run_time, (3,), r"used as a value"),
], ids=lambda v: getattr(v, "__name__", None))
def test_unsupported_inner_functions_are_named(fn, args, pattern):
    with pytest.raises((UnsupportedError, TypingError), match=pattern):
        njit(fn)(*args)


def test_lambda_without_captures_passes_as_a_value():
    assert njit(passes_plain_lambda)(21) == 42


def test_jitted_closure_assigning_a_cell_of_python_code_says_what_to_do():
    # A jitted function whose variable lives in plain Python code around it: its value is
    # frozen when compiled, so an assignment could not reach it.
    with pytest.raises(UnsupportedError, match=r"variable 'k' of an enclosing function \(nonlocal k\)(.|\n)*"
                                               r"hint: return the new value instead and assign it where the "
                                               r"function is called: k = f\(k, \.\.\.\)"):
        njit(closure_assigning_a_frozen_cell())()
