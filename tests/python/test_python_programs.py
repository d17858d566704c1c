"""Issue 11, small programs that mix what compiles (containers, strings, exceptions,
closures, recursion, optionals, namedtuples, formatting), each run jitted and under CPython:
results, result types, arguments afterwards and exceptions must be equal."""
import collections

import numpy as np
import pytest

import dunnart
from dunnart import njit

from python_outcome import same

Point = collections.namedtuple("Point", ["x", "y"])


def word_report(text, top):
    counts = {}
    for word in text.lower().split():
        word = word.strip(".,;!?")
        if word:
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted([(-n, w) for w, n in counts.items()])
    lines = []
    for n, w in ranked[:top]:
        lines.append("%-8s %3d" % (w, -n))
    return "\n".join(lines), len(counts)


def groups_of(values, size):
    by_bucket = {}
    for i, v in enumerate(values):
        k = int(v // size)
        if k not in by_bucket:
            by_bucket[k] = [i]
        else:
            by_bucket[k].append(i)
    return by_bucket


@njit
def depth_sum(items, k=0):
    if k == len(items):
        return 0.0
    return items[k] * (k + 1) + depth_sum(items, k + 1)


def checked_ratios(a, b):
    def ratio(x, y):
        if y == 0:
            raise ZeroDivisionError(f"ratio of {x} to zero")
        return x / y
    out = []
    failures = 0
    for x, y in zip(a, b):
        try:
            out.append(ratio(x, y))
        except ZeroDivisionError:
            failures += 1
            out.append(-1.0)
    return out, failures


def nearest(points, target, radius):
    best = None
    best_d = 0.0
    for p in points:
        d = (p.x - target.x) ** 2 + (p.y - target.y) ** 2
        if d <= radius * radius and (best is None or d < best_d):
            best, best_d = p, d
    return best


def moving_windows(a, width):
    windows = [a[i:i + width] for i in range(len(a) - width + 1)]
    means = [w.mean() for w in windows]
    return np.array(means), len(windows)


def parse_pairs(text):
    result = []
    for item in text.split(";"):
        if not item:
            continue
        key, _, value = item.partition("=") if False else (item.split("=")[0], "=", item.split("=")[1])
        result.append((key.strip(), float(value)))
    return result


@pytest.mark.parametrize("text,top", [("the cat and the hat. The cat sat!", 3), ("", 2), ("a a a b", 5)])
def test_word_report(text, top):
    same(word_report, text, top)


def test_groups_of_values():
    same(groups_of, [0.5, 3.2, 1.1, 7.9, 3.3, 0.1], 2.0)


def test_recursion_over_a_list():
    items = [1.5, 2.0, -3.0]
    assert depth_sum(items) == depth_sum.py_func(items) == -3.5
    assert depth_sum(items, 3) == 0.0


def test_a_closure_that_raises_caught_in_a_loop():
    same(checked_ratios, [1.0, 2.0, 3.0], [2.0, 0.0, 4.0])


def test_optionals_and_namedtuples():
    pts = [Point(0.0, 0.0), Point(3.0, 4.0), Point(1.0, 1.0)]
    got = njit(nearest)(pts, Point(2.0, 2.0), 5.0)
    assert got == nearest(pts, Point(2.0, 2.0), 5.0) and type(got) is Point
    assert njit(nearest)(pts, Point(9.0, 9.0), 1.0) is None is nearest(pts, Point(9.0, 9.0), 1.0)


def test_lists_of_array_views():
    a = np.arange(10.0)
    got, n = njit(moving_windows)(a, 3)
    want, m = moving_windows(a, 3)
    assert n == m and np.allclose(got, want)


def test_parsing_numbers_out_of_text():
    same(parse_pairs, "a=1.5; b = 2;c=-3e2;")
    same(parse_pairs, "a=x")   # ValueError: could not convert string to float: 'x'


def sorted_records(n):
    pairs = [(i % 3, "k%d" % (n - i)) for i in range(n)]
    floats = [(1.5, 2), (0.5, 9), (1.5, 1), (-2.0, 4)]
    nested = [((1, 2), 3), ((1, 1), 9), ((0, 5), 0)]
    in_place = list(pairs)
    in_place.sort(reverse=True)
    return (sorted(pairs), sorted(floats), sorted(nested, reverse=True), in_place, min(pairs), max(pairs),
            max(floats), min(nested))


def test_sorting_tuples_lexicographically():
    same(sorted_records, 7)


@njit
def fills(l):
    l.append(1.5)
    return len(l)


def passes_an_empty_list():
    l = []
    return fills(l), l


def test_an_empty_list_passed_before_its_type_is_known_says_what_to_do():
    # Not an error from inside fills() typed for a list of nothing: the list's own.
    with pytest.raises(dunnart.TypingError, match=r"cannot infer the element type of this empty list") as e:
        njit(passes_an_empty_list)()
    assert "line %d" % (passes_an_empty_list.__code__.co_firstlineno + 1) in str(e.value)
