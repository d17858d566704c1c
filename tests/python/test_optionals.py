"""Optional values (None or a value, OptionalType) where typing cannot prune the None away:
results, `is None` tests, truth, unwrapping where a value is needed (with CPython's
TypeError when it is None), and the uses that are refused. Each compares the jitted function
with CPython running the same one (python_outcome.same)."""
import math

import numpy as np
import pytest

from dunnart import UnsupportedError, njit
from python_outcome import same


# ---------------------------------------------------------------- the three from the issue

def lookup(d, k):
    v = d.get(k)
    if v is None:
        return -1
    return v


def positive_or_none(x):
    if x > 0:
        return x
    return None


def largest(a):
    best = None
    for x in a:
        if best is None or x > best:
            best = x
    return best


@pytest.mark.parametrize("k", [1, 5])
def test_get_without_default(k):
    same(lookup, {1: 2, 3: 4}, k)


@pytest.mark.parametrize("x", [3, -3, 2.5, -0.5])
def test_none_on_one_path(x):
    same(positive_or_none, x)


@pytest.mark.parametrize("a", [[3, 9, 2], [1.5, -2.0], [4]])
def test_best_so_far(a):
    same(largest, a)


def test_best_so_far_of_an_array():
    f = njit(largest)
    assert f(np.array([3.0, 9.0, 2.0])) == 9.0
    assert f(np.zeros(0)) is None


# ---------------------------------------------------------------- tests at run time

def is_none_checks(d, k):
    v = d.get(k)
    return (v is None, v is not None, v == None, v != None, None is v)  # noqa: E711


def truth(d, k):
    v = d.get(k)
    if v:
        return 1
    return 0


def negated(d, k):
    v = d.get(k)
    return not v


def as_bool(d, k):
    return bool(d.get(k))


def equals_three(d, k):
    v = d.get(k)
    return v == 3, v != 3, 3 == v


@pytest.mark.parametrize("fn", [is_none_checks, truth, negated, as_bool, equals_three])
@pytest.mark.parametrize("k", [1, 2, 9])
def test_run_time_checks(fn, k):
    same(fn, {1: 3, 2: 0}, k)


# ---------------------------------------------------------------- values of other types

def maybe_str(s, flag):
    r = None
    if flag:
        r = s
    return r


def maybe_tuple(n):
    r = None
    if n > 0:
        r = (n, n * 0.5)
    return r


def maybe_float(x):
    r = None
    if x > 0:
        r = x
    elif x < -10:
        r = 0.5
    return r


def str_length(s, flag):
    r = None
    if flag:
        r = s
    return len(r)


@pytest.mark.parametrize("flag", [True, False])
def test_optional_str(flag):
    same(maybe_str, "héllo", flag)
    same(str_length, "abc", flag)


@pytest.mark.parametrize("n", [2, 0])
def test_optional_tuple(n):
    same(maybe_tuple, n)


def test_int_and_float_unify_inside_the_optional():
    # int on one path and float on another is a float, as for variables that are never None.
    f = njit(maybe_float)
    assert f(3) == 3.0 and type(f(3)) is float
    assert f(-20) == 0.5 and f(0) is None


def maybe_array(a, flag):
    r = None
    if flag:
        r = a
    return r


def shape_of_optional(a, flag):
    r = None
    if flag:
        r = a
    return r.shape


def test_optional_array():
    f = njit(maybe_array)
    a = np.arange(3.0)
    assert np.array_equal(f(a, True), a)
    assert f(a, False) is None
    assert njit(shape_of_optional)(a, True) == (3,)
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'shape'"):
        njit(shape_of_optional)(a, False)


# ---------------------------------------------------------------- unwrapped where a value is needed

def plus_one(d, k):
    return d.get(k) + 1


def one_plus(d, k):
    return 1 + d.get(k)


def less(d, k):
    return d.get(k) < 2


def negative(d, k):
    return -d.get(k)


def floor_div(d, k):
    v = d.get(k)
    v //= 2
    return v


def root(d, k):
    return math.sqrt(d.get(k))


def defaulted(d, k):
    v = d.get(k)
    if v is None:
        v = 0
    return v * 10


def loop_bound(d, k):
    s = 0
    for i in range(d.get(k)):
        s += i
    return s


@pytest.mark.parametrize("fn", [plus_one, one_plus, less, negative, floor_div, root, defaulted, loop_bound])
@pytest.mark.parametrize("k", [1, 9])
def test_unwrap_raises_pythons_error(fn, k):
    kind, *_ = same(fn, {1: 4}, k)
    if k == 9 and fn is not defaulted:
        assert kind is TypeError


def first(n):
    t = None
    if n > 0:
        t = (n, n)
    return t[0]


@pytest.mark.parametrize("n", [1, 0])
def test_subscript_of_none(n):
    same(first, n)


def store(a, d, k):
    a[0] = d.get(k)
    return a


def test_store_into_arrays():
    f = njit(store)
    assert f(np.zeros(2), {1: 4}, 1)[0] == 4.0
    assert math.isnan(f(np.zeros(2), {1: 4}, 9)[0])  # as NumPy stores None
    assert f(np.zeros(2, dtype=np.int64), {1: 4}, 1)[0] == 4
    with pytest.raises(TypeError, match=r"int\(\) argument must be a string, a bytes-like object or a real number, not 'NoneType'"):
        f(np.zeros(2, dtype=np.int64), {1: 4}, 9)


# ---------------------------------------------------------------- between jitted functions

@njit
def describe(x):
    if x is None:
        return -1.0
    return x * 2.0


def caller(d, k):
    return describe(d.get(k))


@njit
def maybe_half(x):
    if x > 0:
        return x / 2
    return None


def uses_callee(x):
    h = maybe_half(x)
    if h is None:
        return 0.0
    return h + 1.0


@pytest.mark.parametrize("k", [1, 9])
def test_optional_argument_of_a_jitted_function(k):
    assert njit(caller)({1: 4}, k) == (8.0 if k == 1 else -1.0)


@pytest.mark.parametrize("x", [4, -4])
def test_optional_result_of_a_jitted_function(x):
    assert njit(uses_callee)(x) == (3.0 if x > 0 else 0.0)


def test_none_argument_still_compiles_its_own_signature():
    f = njit(describe.py_func)
    assert f(None) == -1.0 and f(2.0) == 4.0
    assert len(f.signatures) == 2


# ---------------------------------------------------------------- refused, with what to write

def into_list(d, k):
    return [d.get(k)]


def printed(d, k):
    print(d.get(k))


def as_key(d, k):
    return d[d.get(k)]


def truth_of_optional_list(flag):
    r = None
    if flag:
        r = [1]
    return bool(r)


@pytest.mark.parametrize("fn, words", [
    (into_list, r"an optional value \(OptionalType\(int64\): None or a value\) as an element of a list"),
    (printed, r"print\(\) of an optional value"),
    (as_key, r"indexing dict\(int64, int64\) with an optional value"),
])
def test_refused(fn, words):
    with pytest.raises(UnsupportedError, match=words) as e:
        njit(fn)({1: 2}, 1)
    assert "under `if x is not None:` x is a plain value" in str(e.value)


def test_truth_of_an_optional_list_is_refused():
    with pytest.raises(UnsupportedError, match=r"len\(x\) > 0"):
        njit(truth_of_optional_list)(True)


# ---------------------------------------------------------------- narrowed by the test

def chain_length(d, k):
    n = 0
    v = d.get(k)
    while v is not None:
        n += 1
        v = d.get(v)  # a plain int under the test: a dict key
    return n


def printed_when_there(d, k):
    v = d.get(k)
    if v is not None:
        print(v)
        return [v, v + 1]
    return [0]


def formatted_unless_none(d, k):
    v = d.get(k)
    if v is None:
        return "missing"
    return f"got {v}"


def listed_if_true(d, k):
    v = d.get(k)
    if v:
        return [v]
    if not v:
        return [-1]
    return [v, v]


@pytest.mark.parametrize("k", [1, 2, 9])
def test_narrowed_by_truth(k):
    same(listed_if_true, {1: 4, 2: 0}, k)


@pytest.mark.parametrize("k", [1, 3, 9])
def test_narrowed_by_while_is_not_none(k):
    same(chain_length, {1: 2, 2: 3, 3: 7}, k)


@pytest.mark.parametrize("k", [1, 9])
def test_narrowed_under_if(k, capsys):
    same(formatted_unless_none, {1: 4}, k)
    assert njit(printed_when_there)({1: 4}, k) == printed_when_there({1: 4}, k)
    out = capsys.readouterr().out
    assert out == ("4\n4\n" if k == 1 else "")


def test_narrowed_reads_need_no_check():
    # Under `if x is not None:` the value is read without an unwrap (narrow_optionals).
    import os
    import subprocess
    import sys
    code = ("from dunnart import njit\n"
            "def f(d, k):\n"
            "    v = d.get(k)\n"
            "    if v is not None:\n"
            "        return v + 1\n"
            "    return 0\n"
            "print(njit(f)({1: 2}, 1))\n")
    package = os.path.join(os.path.dirname(__file__), "..", "..", "python")
    env = dict(os.environ, DUNNART_DUMP="infer_types",
               PYTHONPATH=os.pathsep.join([os.path.abspath(package), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    dump = r.stdout + r.stderr
    assert "optional_value" in dump and " unwrap " not in dump
    assert r.stdout.strip().endswith("3")


def test_optional_result_from_the_disk_cache(tmp_path):
    # The cache records the result type: OptionalType encodes and decodes (type_codec).
    import os
    import subprocess
    import sys
    code = ("from dunnart import njit\n"
            "@njit(cache=True)\n"
            "def g(x):\n"
            "    if x > 0:\n"
            "        return x\n"
            "    return None\n"
            "print(g(3), g(-1), g.stats['cache_hits'])\n")
    src = tmp_path / "cached_optional.py"
    src.write_text(code)
    package = os.path.join(os.path.dirname(__file__), "..", "..", "python")
    env = dict(os.environ, DUNNART_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=os.pathsep.join([os.path.abspath(package), os.environ.get("PYTHONPATH", "")]))
    runs = [subprocess.run([sys.executable, str(src)], env=env, capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs == ["3 None 0\n", "3 None 1\n"]
