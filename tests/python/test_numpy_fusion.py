"""Issue 3: array expressions are fused into single loops, and their memory is managed.

  * results of fused chains (logsumexp and friends) equal NumPy's, for several dtypes,
    sizes and layouts, also where an intermediate is used twice or a store overlaps its
    operands;
  * the typed IR (`f.inspect_types()`) marks each elementwise instruction of a chain with
    "fused_into=%N", the chain ending at the reduction or at the last elementwise op;
  * memory: functions that allocate and return arrays, or allocate temporaries they do
    not return, called 10^5 times, do not grow the process's RSS."""
import gc
import re

import numpy as np
import pytest

from dunnart import njit

from jitcheck import rss_bytes
from test_numpy_helpers import npcheck, pid, rand

# ------------------------------------------------------------------ results


@njit
def lse(a):
    return np.log(np.sum(np.exp(a - a.max())))


@njit
def logsumexp(a):
    a_max = np.max(a)
    out = np.log(np.sum(np.exp(a - a_max)))
    out += a_max
    return out


@njit
def hypot_chain(a, b):
    return np.sqrt(a * a + b * b)


@njit
def poly(x):
    return x * x * x * x * x * x * x * x - 3.0 * x ** 2 + np.abs(x) / 2


@njit
def intermediate_used_twice(a):
    t = a * 2.0 + 1.0
    return t + 1.0, t, np.sum(t * t)


@njit
def mean_of_expr(a, b):
    return np.mean((a - b) ** 2), np.max(np.abs(a - b)), np.any(a > b), np.argmax(a * b)


@pytest.mark.parametrize("n", [1, 2, 7, 64, 1000, 100_003])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=pid)
def test_logsumexp_equals_numpy(n, dtype):
    a = rand(dtype, n, seed=n, lo=-20, hi=20)
    npcheck(lse, a, rtol=1e-5 if dtype == np.float32 else 1e-12)
    npcheck(logsumexp, a, rtol=1e-5 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("layout", ["strided", "reversed"])
def test_logsumexp_layouts(layout):
    npcheck(lse, rand(np.float64, 999, layout, seed=1, lo=-50, hi=50))
    npcheck(logsumexp, rand(np.float64, 999, layout, seed=2, lo=-50, hi=50))


def test_logsumexp_2d_and_large_values():
    npcheck(lse, rand(np.float64, (30, 40), "F", seed=3))
    a = np.array([1000.0, 1000.5, 999.0, -np.inf])
    npcheck(lse, a)
    npcheck(logsumexp, a)


@pytest.mark.parametrize("da,db,sa,sb", [
    (np.float64, np.float64, (100,), (100,)),
    (np.float32, np.float32, (7, 9), (9,)),
    (np.int32, np.float64, (4, 1), (1, 5)),
    (np.float64, np.float64, (0,), (0,)),
], ids=pid)
def test_fused_chain_results(da, db, sa, sb):
    a, b = rand(da, sa, seed=4), rand(db, sb, seed=5)
    npcheck(hypot_chain, a, b)
    npcheck(poly, a, rtol=1e-5 if da == np.float32 else 1e-12)


def test_intermediate_used_twice():
    npcheck(intermediate_used_twice, rand(np.float64, 50, seed=6))
    npcheck(intermediate_used_twice, rand(np.float32, (3, 5), "colstep", seed=6), rtol=1e-5)
    t1, t, _ = intermediate_used_twice(np.arange(4.0))
    assert not np.shares_memory(t1, t)


def test_reductions_of_expressions():
    npcheck(mean_of_expr, rand(np.float64, (5, 6), "F", seed=7), rand(np.float64, (6,), seed=8))
    npcheck(mean_of_expr, rand(np.int64, 33, seed=7), rand(np.int64, 33, "reversed", seed=8))


@njit
def store_overlapping(a):
    a[1:] = a[:-1] * 2.0 + a[1:]


@njit
def store_reversed(a):
    a[:] = np.sqrt(np.abs(a[::-1])) + a


def test_fused_store_into_an_operand():
    npcheck(store_overlapping, rand(np.float64, 40, seed=9))
    npcheck(store_reversed, rand(np.float64, 41, seed=10))
    npcheck(store_reversed, rand(np.float64, 41, "strided", seed=10))


# ------------------------------------------------------------------ the typed IR shows the fusion

LINE = re.compile(r"^\s*%(\d+) : (.*?) = (\S+)(.*?)$")
INTO = re.compile(r" fused_into=%(\d+)")


def typed_ir(f):
    texts = list(f.inspect_types().values())
    assert texts, "no compiled signature"
    instrs = {}
    for line in texts[-1].splitlines():
        m = LINE.match(line)
        if m:
            num, typ, op, rest = m.groups()
            into = INTO.search(rest)
            into = into.group(1) if into else None
            instrs[int(num)] = dict(type=typ, op=op, text=line.strip(), into=int(into) if into else None)
    return texts[-1], instrs


def chain_end(instrs, start):
    seen = set()
    cur = start
    while instrs[cur]["into"] is not None:
        assert cur not in seen, "cycle in 'fused into'"
        seen.add(cur)
        cur = instrs[cur]["into"]
        assert cur in instrs, f"fused into %{cur}, which does not exist"
    return cur


def test_inspect_types_marks_logsumexp_chain_fused():
    lse(np.arange(5.0))
    text, instrs = typed_ir(lse)
    assert "fused_into=" in text, text
    sub = [k for k, v in instrs.items() if v["op"] == "binop" and " - " in " " + v["text"] + " "]
    exp = [k for k, v in instrs.items() if "exp" in v["text"] and v["type"].startswith("array(")]
    total = [k for k, v in instrs.items() if "sum" in v["text"] and "call" == v["op"]]
    assert sub and exp and total, text
    for k in sub + exp:
        assert instrs[k]["into"] is not None, f"not fused: {instrs[k]['text']}\n{text}"
        assert chain_end(instrs, k) == total[0], f"{instrs[k]['text']} does not end in the sum\n{text}"
    # no array value of the chain is left unfused
    for k, v in instrs.items():
        if v["type"].startswith("array(") and v["op"] not in ("arg",):
            assert v["into"] is not None, f"array instruction not fused: {v['text']}\n{text}"


def test_inspect_types_marks_elementwise_chain_fused():
    logsumexp(np.arange(5.0))
    text, instrs = typed_ir(logsumexp)
    fused = [v for v in instrs.values() if v["into"] is not None]
    assert len(fused) >= 2, text
    hypot_chain(np.arange(5.0), np.arange(5.0))
    text, instrs = typed_ir(hypot_chain)
    arrays = [k for k, v in instrs.items() if v["type"].startswith("array(") and v["op"] != "arg"]
    root = [k for k in arrays if instrs[k]["into"] is None]
    assert len(root) == 1 and "sqrt" in instrs[root[0]]["text"], text
    for k in arrays:
        assert chain_end(instrs, k) == root[0], text


def test_inspect_types_does_not_fuse_a_returned_intermediate():
    intermediate_used_twice(np.arange(3.0))
    text, instrs = typed_ir(intermediate_used_twice)
    # `t` is returned, so the instruction computing t (the `+ 1.0` after `* 2.0`) must exist
    # unfused: it is materialised once and used by both consumers
    unfused_arrays = [v for v in instrs.values() if v["type"].startswith("array(") and v["op"] != "arg"
                      and v["into"] is None]
    assert len(unfused_arrays) >= 2, text
    np.testing.assert_array_equal(intermediate_used_twice(np.arange(3.0))[1], np.arange(3.0) * 2 + 1)


# ------------------------------------------------------------------ memory


@njit
def returns_new(a):
    return np.exp(a) + 1


@njit
def returns_two(a):
    return a + 1.0, np.sqrt(np.abs(a)) * 2.0


@njit
def temp_in_loop(a):
    t = a * 2.0
    s = 0.0
    for i in range(t.shape[0]):
        s += t[i]
    return s


@njit
def temp_used_twice(a):
    t = np.exp(a)
    return t.sum() + t.max() + t[0]


@njit
def temps_per_iteration(a):
    s = 0.0
    for i in range(5):
        t = a * i
        u = t + a
        s += u[0] + t[-1]
    return s


@njit
def returns_view_of_temp(a):
    return (a * 2.0)[::2]


def rss_growth(f, *args, calls=100_000):
    for _ in range(2000):
        f(*args)
    gc.collect()
    before = rss_bytes()
    for _ in range(calls):
        f(*args)
    gc.collect()
    return rss_bytes() - before


SLACK = 5 * 2**20


@pytest.mark.parametrize("f", [returns_new, returns_two, temp_in_loop, temp_used_twice, temps_per_iteration,
                               returns_view_of_temp], ids=lambda f: f.py_func.__name__)
def test_no_leak(f):
    a = rand(np.float64, 128, seed=11)  # 1 KiB per array: a leak of one array per call is ~100 MB
    npcheck(f, a)
    growth = rss_growth(f, a)
    assert growth < SLACK, f"RSS grew by {growth / 2**20:.1f} MiB over 10^5 calls"


def test_returned_view_of_temporary_stays_valid():
    a = np.arange(10.0)
    views = [returns_view_of_temp(a) for _ in range(50)]
    junk = [returns_new(a) for _ in range(50)]  # reuse freed memory, if any was freed early
    del junk
    gc.collect()
    for v in views:
        np.testing.assert_array_equal(v, (a * 2.0)[::2])
        assert v.base is not None or v.flags.owndata


@njit
def temp_then_error(a, b):
    t = np.exp(a)
    return t + b


def test_no_leak_when_an_error_is_raised_after_allocating():
    a = rand(np.float64, 1024, seed=12)  # 8 KiB temporary
    b = np.ones(3)
    for _ in range(200):
        with pytest.raises(ValueError):
            temp_then_error(a, b)
    gc.collect()
    before = rss_bytes()
    for _ in range(10_000):
        try:
            temp_then_error(a, b)
        except ValueError:
            pass
    gc.collect()
    growth = rss_bytes() - before
    assert growth < SLACK, f"RSS grew by {growth / 2**20:.1f} MiB over 10^4 failing calls"
