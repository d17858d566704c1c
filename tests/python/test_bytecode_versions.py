"""Code whose bytecode differs between CPython 3.11, 3.12 and 3.13 (the frontend's version
cases in jit/frontend/build_ir.cpp): each test must pass on every supported version.

3.12: CALL_INTRINSIC_1 (unary +), inlined comprehensions (LOAD_FAST_AND_CLEAR, SWAP),
END_FOR, RETURN_CONST, POP_JUMP_IF_* without direction, LOAD_ATTR's method flag.
3.13: TO_BOOL, CALL_KW, LOAD_FAST_LOAD_FAST / STORE_FAST_STORE_FAST / STORE_FAST_LOAD_FAST,
[callable, self_or_null] order, END_FOR + POP_TOP, COMPARE_OP shown as "bool(<)",
FORMAT_SIMPLE / FORMAT_WITH_SPEC / CONVERT_VALUE."""
import contextlib
import re

import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

# ------------------------------------------------------------------ values


@njit
def unary_plus(a):
    return +a, -(+a)


@pytest.mark.parametrize("a", [0, 5, -5, 2.5, -0.0, 1 + 2j])
def test_unary_plus(check, a):
    check(unary_plus, a)


@njit
def swap_and_rotate(a, b, c):
    a, b = b, a
    a, b, c = c, a, b
    x = a
    y = x
    return a * 100 + b * 10 + c + y


def test_swap_and_rotate(check):
    check(swap_and_rotate, 1, 2, 3)


@njit
def and_or_values(a, b):
    return (a and b) or (b and a) or 7


@pytest.mark.parametrize("a,b", [(0, 5), (3, 0), (0, 0), (2, 3)])
def test_and_or_values(check, a, b):
    check(and_or_values, a, b)


@njit
def truthiness(a, x):
    c = 0
    if a:
        c += 1
    if not a:
        c += 10
    if x and not x < 0:
        c += 100
    return c, not a, bool(x)


@pytest.mark.parametrize("a,x", [(0, 0.0), (3, -1.5), (-2, 2.5)])
def test_truthiness(check, a, x):
    check(truthiness, a, x)


@njit
def chained(a, b, c):
    r = 0
    if a < b <= c:
        r += 1
    if a == b != c:
        r += 2
    return r, a < b < c


@pytest.mark.parametrize("args", [(1, 2, 3), (2, 2, 3), (3, 2, 1), (1, 2, 2)])
def test_chained_comparisons(check, args):
    check(chained, *args)


@njit
def optional_local(a):
    x = None
    y = 0
    if x is None:
        y += 1
    if x is not None:
        y += 10
    return y + a


def test_is_none_branches(check):
    check(optional_local, 4)


@njit
def keyword_calls(a):
    x = np.zeros(a, dtype=np.float32)
    y = np.ones(a, dtype=np.int64)
    return x.sum() + y.sum()


def test_keyword_calls(check):
    check(keyword_calls, 4)


@njit
def method_calls(a):
    return a.sum() + a.max(), a.shape[0]


def test_method_calls(check):
    check(method_calls, np.arange(5.0))


@njit
def loops_with_else(n):
    r = 0
    for i in range(n):
        if i == 7:
            break
    else:
        r += 1000
    j = 0
    while j < n:
        if j == 5:
            break
        j += 1
    else:
        r += 100
    for i in range(n):
        for k in range(n):
            if k == i:
                continue
            r += 1
    return r


@pytest.mark.parametrize("n", [0, 3, 6, 9])
def test_loops_with_else(check, n):
    check(loops_with_else, n)


@njit
def early_exits(a, t):
    for i in range(a.shape[0]):
        for j in range(a.shape[0]):
            if a[i] + a[j] == t:
                return i, j
    return -1, -1


@pytest.mark.parametrize("t", [0.0, 3.0, 100.0])
def test_return_from_nested_loops(check, t):
    check(early_exits, np.arange(4.0), t)


@njit
def returns_constant(a):
    if a > 0:
        return 1.5
    return -1.5


def test_return_constant(check):
    check(returns_constant, 3)
    check(returns_constant, -3)


@njit
def walrus_loop(n):
    s = 0
    while (n := n - 1) > 0:
        s += n
    return s


def test_walrus(check):
    check(walrus_loop, 6)


@njit
def list_comp(n):
    xs = [i * i for i in range(n) if i % 2]
    return len(xs), xs[-1]


@njit
def lambda_call(n):
    k = 2
    return (lambda x: x + k)(n)


def test_comprehension_and_closure(check):
    # 3.11 makes the comprehension a nested function, 3.12+ inline it; 3.13 builds the
    # closure with LOAD_FAST and SET_FUNCTION_ATTRIBUTE.
    check(list_comp, 6)
    check(lambda_call, 3)


# ------------------------------------------------------------------ constructs named

CTX = contextlib.nullcontext()


def set_comp(n):
    return len({i for i in range(n)})


def dict_comp(n):
    return len({i: i for i in range(n)})


def gen_expr(n):
    return sum(i for i in range(n))


def gen_expr_stored(n):
    g = (i * i for i in range(n))
    return list(g)


def gen_expr_other_use(n):
    return tuple(i for i in range(n))


def f_string(n):
    return f"{n}"


def f_string_spec(n):
    return f"{n!r:>4}"


def try_in_loop(n):
    s = 0
    for i in range(n):
        try:
            s += 10 // i
        except ZeroDivisionError:
            pass
    return s


def try_finally_else(n):
    s = 0
    for i in range(n):
        try:
            s += 10 // (i - 1)
        except (ZeroDivisionError, KeyError) as e:  # noqa: F841 - named, not read
            s -= 100
        except:  # noqa: E722
            raise
        else:
            s += 1
        finally:
            s *= 2
    return s


def comprehension_in_try(n):
    try:
        return sum([10 // (i - 2) for i in range(n)])
    except ZeroDivisionError:
        return -1


@pytest.mark.parametrize("fn", [f_string, f_string_spec])
def test_f_strings_compile_on_every_version(fn):
    # Once named as unsupported (FORMAT_VALUE; 3.13's CONVERT_VALUE and FORMAT_WITH_SPEC).
    for n in (0, 7, -12, 12345):
        assert njit(fn)(n) == fn(n)


@pytest.mark.parametrize("fn", [gen_expr, gen_expr_stored])
def test_generator_expressions_compile_on_every_version(fn):
    # Once named as unsupported; 3.12+ wrap a generator's body in a StopIteration handler.
    for n in (0, 1, 5):
        assert njit(fn)(n) == fn(n)


@pytest.mark.parametrize("fn", [try_in_loop, try_finally_else, comprehension_in_try])
def test_try_except_compiles_on_every_version(fn):
    # Once named as unsupported; the handlers come from each version's exception table.
    for n in (0, 1, 2, 5):
        assert njit(fn)(n) == fn(n)


def with_return(x):
    with CTX:
        return x


@pytest.mark.parametrize("fn", [set_comp, dict_comp])
def test_set_and_dict_comprehensions_compile_on_every_version(fn):
    # Once named as unsupported; 3.11 builds them in an inner function, 3.12+ inline.
    assert njit(fn)(6) == fn(6) == 6


@pytest.mark.parametrize("fn,pattern", [
    (gen_expr_other_use, r"tuple\(\) is not supported"),
    (with_return, r"with statement"),
], ids=lambda x: getattr(x, "__name__", None))
def test_unsupported_construct_named_on_every_version(fn, pattern):
    with pytest.raises((UnsupportedError, TypingError)) as info:
        njit(fn)(3)
    first_line = str(info.value).splitlines()[0]  # not the source line, which names it too
    assert re.search(pattern, first_line), first_line
    assert "bytecode" not in first_line, first_line
