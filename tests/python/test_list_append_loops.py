"""Appends in range loops, which reserve_list_appends gives room before the loop (and
lower_lists then tests the capacity only when that room could not be had). Each case runs
the same function under CPython and compares results, their types and the arguments
afterwards; the cases where the room must not be counted on (an append that does not run
in every iteration, a loop left early, a list with another name, other growth in the
loop) are here so that a wrong count would write past the list's end or lose elements."""
import numpy as np
import pytest

from dunnart import njit

from python_outcome import same


def fill(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    return out


def fill_then_sum(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    s = 0.0
    for x in out:
        s += x
    return s, len(out)


def stepped(a, b, c):
    out = [-1]
    for i in range(a, b, c):
        out.append(i)
    return out


def two_per_iteration(n):
    out = []
    for i in range(n):
        out.append(i)
        out.append(-i)
    return out


def after_existing(n):
    out = list(range(5))
    for i in range(n):
        out.append(i * i)
    return out


def reads_in_loop(n):
    out = [1]
    for i in range(n):
        out.append(out[-1] + len(out) + i)
    return out


def conditional(n):
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(i)
        out.append(-i)
    return out


def with_break(n):
    out = []
    for i in range(n):
        if i == 7:
            break
        out.append(i)
    return out


def with_continue(n):
    out = []
    for i in range(n):
        out.append(i)
        if i % 2:
            continue
        out.append(100 + i)
    return out


def aliased_through_container(n):
    out = []
    rows = [out]
    for i in range(n):
        out.append(i)
        rows[0].append(-i)
    return out, len(rows[0])


def same_name_twice(n):
    out = []
    other = out
    for i in range(n):
        out.append(i)
        other.append(i + 1)
    return other


def inserts_too(n):
    out = []
    for i in range(n):
        out.append(i)
        out.insert(0, -i)
    return out


def extends_too(n):
    out = []
    for i in range(n):
        out.append(i)
        out.extend([i, i])
    return out


def nested(n, m):
    out = []
    for i in range(n):
        for j in range(m):
            out.append(i * 10 + j)
        out.append(-1)
    return out


def list_of_lists(n):
    rows = []
    for i in range(n):
        row = []
        for j in range(i):
            row.append(j)
        rows.append(row)
    return rows


def raises_midway(n):
    out = []
    for i in range(n):
        if i == 1000:
            raise ValueError(len(out))
        out.append(i)
    return out


def caught_inside(a):
    out = []
    for i in range(len(a)):
        try:
            out.append(1.0 / float(a[i]))
        except ZeroDivisionError:
            out.append(0.0)
    return out


def popped_in_loop(n):
    out = []
    for i in range(n):
        out.append(i)
        if i % 4 == 0:
            out.pop()
    return out


def in_comprehension_and_loop(n):
    out = [x * 2 for x in range(n)]
    for i in range(n):
        out.append(i)
    return sum(out), len(out)


def array_elements(a):
    out = []
    for i in range(a.shape[0]):
        out.append(a[i] * 2.0)
    return np.array(out)


@pytest.mark.parametrize("n", [0, 1, 4, 5, 100, 5000, 300000])
@pytest.mark.parametrize("fn", [fill, fill_then_sum, two_per_iteration, after_existing, reads_in_loop,
                                conditional, with_break, with_continue, aliased_through_container,
                                same_name_twice, extends_too, raises_midway, popped_in_loop,
                                in_comprehension_and_loop])
def test_appends_equal_python(fn, n):
    same(fn, n)


@pytest.mark.parametrize("n", [0, 3, 200])
def test_quadratic_cases(n):
    same(inserts_too, n)
    same(list_of_lists, n)
    same(nested, n, 7)
    same(nested, 3, n)


@pytest.mark.parametrize("args", [(0, 10, 1), (10, 0, -1), (3, 100, 7), (100, 3, -7), (5, 5, 1), (0, 10, -1),
                                  (-(2**62), 2**62, 2**61), (0, 10, 0),
                                  # spans past 2^63: a count in int64 would wrap
                                  (-(2**63), 2**63 - 1, 2**63 - 1), (2**63 - 1, -(2**63), -(2**63)),
                                  (-(2**63), 2**63 - 1, 2**62)])
def test_stepped_ranges(args):
    same(stepped, *args)


def test_room_that_cannot_be_had_falls_back():
    # Room for 10^16 appends cannot be reserved: the loop appends as usual and raises at
    # its thousandth iteration, as Python does (no MemoryError from the request).
    same(raises_midway, 10**16)


def test_exception_caught_inside_the_loop():
    same(caught_inside, [1.0, 0.0, 4.0, 0.0, 0.5])


def test_appended_array_elements():
    a = np.linspace(0.0, 1.0, 1001)
    np.testing.assert_array_equal(njit(array_elements)(a), array_elements(a))


def test_repeated_calls_reuse_memory():
    f = njit(fill)
    for n in (10**6, 10, 10**6 + 3, 2 * 10**6):
        got = f(n)
        assert len(got) == n and got[-1] == (n - 1) * 0.5 and got[n // 2] == (n // 2) * 0.5


def over_elements(a):
    out = []
    for x in a:
        out.append(x * 2.0 + 1.0)
    return out


def comprehension_over_array(a):
    return [x * 2.0 for x in a]


def consume(n):
    def appends_between_yields():
        out = []
        for i in range(n):
            out.append(i)
            yield len(out) + out[-1]
    return list(appends_between_yields())


def test_loops_over_arrays():
    a = np.arange(12.0)[::2]
    assert njit(over_elements)(a) == over_elements(a)
    assert njit(over_elements)(a[:0]) == []
    b = np.linspace(-1.0, 1.0, 10001)
    assert njit(comprehension_over_array)(b) == comprehension_over_array(b)


@pytest.mark.parametrize("n", [0, 1, 50, 5000])
def test_appends_in_a_generator(n):
    same(consume, n)
