"""Control flow: if/elif/else, while, for over range (1-3 arguments, negative steps) and
over 1-D arrays, break, continue, early return, tuple packing and unpacking."""
import numpy as np
import pytest

from dunnart import njit

from jitcheck import make_array


@njit
def classify(x):
    if x < 0:
        return -1
    elif x == 0:
        return 0
    elif x < 10:
        return 1
    else:
        return 2


@pytest.mark.parametrize("x", [-5, 0, 3, 10, 99])
def test_if_elif_else_int(check, x):
    check(classify, x)


@pytest.mark.parametrize("x", [-0.5, 0.0, 9.99, 10.0, float("nan")])
def test_if_elif_else_float(check, x):
    check(classify, x)


@njit
def branch_assign(x):
    if x > 0:
        y = x * 2
        z = 1.5
    else:
        y = -x
        z = -1.5
    if y > 10:
        y -= 10
    return y, z


@pytest.mark.parametrize("x", [3, 8, -4, -20, 0])
def test_variables_assigned_in_branches(check, x):
    check(branch_assign, x)


@njit
def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


@pytest.mark.parametrize("a,b", [(48, 18), (17, 5), (0, 9), (1071, 462), (2**40, 2**20 * 3)])
def test_while_gcd(check, a, b):
    check(gcd, a, b)


@njit
def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


@pytest.mark.parametrize("n", [1, 6, 27, 97])
def test_while_collatz(check, n):
    check(collatz, n)


@njit
def while_true_break(limit):
    i = 0
    total = 0
    while True:
        i += 1
        if i % 3 == 0:
            continue
        total += i
        if total > limit:
            break
    return i, total


@pytest.mark.parametrize("limit", [0, 10, 1000])
def test_while_true_break_continue(check, limit):
    check(while_true_break, limit)


@njit
def while_compound_condition(a, n):
    i = 0
    s = 0.0
    while i < n and (s < 100.0 or i % 2 == 1):
        s += a * i
        i += 1
    return i, s


@pytest.mark.parametrize("a,n", [(1.5, 50), (0.0, 5), (100.0, 20), (-1.0, 30)])
def test_while_compound_condition(check, a, n):
    check(while_compound_condition, a, n)


# ------------------------------------------------------------------ range

@njit
def range1(n):
    s = 0
    k = 0
    for i in range(n):
        k += 1
        s += i * k
    return s, k


@njit
def range2(a, b):
    s = 0
    k = 0
    for i in range(a, b):
        k += 1
        s += i * k
    return s, k


@njit
def range3(a, b, c):
    s = 0
    k = 0
    for i in range(a, b, c):
        k += 1
        s += i * k
    return s, k


@pytest.mark.parametrize("n", [0, 1, 10, -3])
def test_range_one_arg(check, n):
    check(range1, n)


@pytest.mark.parametrize("a,b", [(0, 10), (-5, 5), (5, 5), (10, 0), (-10, -3)])
def test_range_two_args(check, a, b):
    check(range2, a, b)


@pytest.mark.parametrize("a,b,c", [(0, 10, 1), (0, 10, 3), (10, 0, -1), (10, 0, -3), (-5, 5, 2),
                                   (5, -5, -2), (0, 0, 1), (3, 3, -1), (0, 10, -1), (10, 0, 1),
                                   (-3, -12, -4), (0, 1, 100), (7, -100, -7)])
def test_range_three_args(check, a, b, c):
    check(range3, a, b, c)


@njit
def range_literal_negative_step():
    out = 0
    for i in range(10, -1, -2):
        out = out * 10 + i
    return out


def test_range_literal_negative_step(check):
    check(range_literal_negative_step)


@njit
def last_loop_value(n):
    last = -1
    for i in range(n):
        last = i
    return last


@pytest.mark.parametrize("n", [0, 1, 17])
def test_loop_variable_assigned_out(check, n):
    check(last_loop_value, n)


@njit
def nested_triangle(n):
    c = 0
    for i in range(n):
        for j in range(i, n):
            c += i * j + 1
    return c


@pytest.mark.parametrize("n", [0, 1, 5, 30])
def test_nested_range_loops(check, n):
    check(nested_triangle, n)


# ------------------------------------------------------------------ for over arrays

@njit
def iterate_sum(a):
    s = 0
    k = 0
    for v in a:
        k += 1
        s += v * k
    return s, k


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int64, np.float32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed", "readonly"])
def test_for_over_1d_array(check, dtype, layout):
    check(iterate_sum, make_array(dtype, 9, layout))


def test_for_over_empty_array(check):
    check(iterate_sum, np.zeros(0, dtype=np.int64))


@njit
def iterate_bool(a):
    n = 0
    for v in a:
        if v:
            n += 1
    return n


def test_for_over_bool_array(check):
    check(iterate_bool, make_array(np.bool_, 11, "C"))


# ------------------------------------------------------------------ break / continue / return

@njit
def first_above(a, t):
    idx = -1
    for i in range(a.shape[0]):
        if a[i] > t:
            idx = i
            break
    return idx


@pytest.mark.parametrize("t", [-100.0, 0.0, 2.5, 100.0])
def test_break_in_for(check, t):
    check(first_above, make_array(np.float64, 20, "C"), t)


@njit
def skip_multiples(n, m):
    s = 0
    for i in range(n):
        if i % m == 0:
            continue
        s += i
    return s


@pytest.mark.parametrize("n,m", [(20, 3), (1, 1), (50, 7)])
def test_continue_in_for(check, n, m):
    check(skip_multiples, n, m)


@njit
def nested_break(n):
    pairs = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            if (i + j) % 2 == 1:
                continue
            pairs += 1
    return pairs


@pytest.mark.parametrize("n", [0, 1, 6, 11])
def test_break_only_leaves_inner_loop(check, n):
    check(nested_break, n)


@njit
def find_pair(a, target):
    n = a.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if a[i] + a[j] == target:
                return i, j
    return -1, -1


@pytest.mark.parametrize("target", [5, -22, 1000, 0])
def test_early_return_from_nested_loop(check, target):
    check(find_pair, make_array(np.int64, 15, "C"), target)


@njit
def early_return_in_while(n):
    i = 0
    while i < n:
        if i * i > 50:
            return i
        i += 1
    return -i


@pytest.mark.parametrize("n", [0, 5, 100])
def test_early_return_in_while(check, n):
    check(early_return_in_while, n)


@njit
def returns_none(a):
    a[0] = 1.0


def test_function_without_return_gives_none(check):
    check(returns_none, np.zeros(3))


# ------------------------------------------------------------------ tuple packing/unpacking

@njit
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@pytest.mark.parametrize("n", [0, 1, 2, 10, 50, 90])
def test_fib_tuple_assignment(check, n):
    check(fib, n)


@njit
def rotate(a, b, c, n):
    for _ in range(n):
        a, b, c = c, a, b
    return a, b, c


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7])
def test_rotate_three(check, n):
    check(rotate, 1, 2, 3, n)
    check(rotate, 1.5, 2.5, 3.5, n)


@njit
def pack_unpack(x, y):
    t = x, y
    p, q = t
    u = (p * 2, (q, p))
    r, (s, w) = u
    return r + s + w, u


def test_pack_unpack_nested(check):
    check(pack_unpack, 3, 4)
    check(pack_unpack, 3.5, -1.25)


@njit
def divmod_loop(n, d):
    out = 0
    while n > 0:
        q, r = n // d, n % d
        out = out * 10 + r
        n = q
    return out


@pytest.mark.parametrize("n,d", [(12345, 10), (255, 2), (0, 7)])
def test_tuple_assignment_in_while(check, n, d):
    check(divmod_loop, n, d)


# ------------------------------------------------------------------ unbound locals

def last_index(n):
    for i in range(n):
        pass
    return i


def maybe_assigned(c):
    if c:
        y = 1.5
    return y


def test_read_of_a_local_never_assigned_raises_unbound_local_error():
    f = njit(last_index)
    assert f(4) == last_index(4)
    with pytest.raises(UnboundLocalError, match="'i'"):
        f(0)
    g = njit(maybe_assigned)
    assert g(True) == 1.5
    with pytest.raises(UnboundLocalError, match="'y'"):
        g(False)


def test_reads_that_may_be_unbound_are_checked():
    f = njit(last_index)
    f(3)
    assert "check_bound" in next(iter(f.inspect_types().values()))


def sum_to(n):
    s = 0
    for i in range(n):
        s += i
    return s


def test_loop_accumulators_are_not_checked():
    f = njit(sum_to)
    assert f(10) == 45
    assert "check_bound" not in next(iter(f.inspect_types().values()))
