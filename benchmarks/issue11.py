"""The issue-11 container claims, measured in one run and given as ratios.

  python -m benchmarks.issue11 [--quick] [--json]

- append: 10^6 floats appended to a list in a loop, then summed (target: dunnart at most
  0.7x Numba's time); CPython's time for scale.
- pass_list: a 10^5-element Python list of floats passed as an argument and summed
  (target: at most Numba's time; Numba's reflected list, the same semantics).
- dict: a dict of 10^5 int keys filled in a loop, then every key read back (target: at
  most 0.7x Numba's time, and at least 10x faster than CPython).
- fib: fib(25) by self-recursion (no target in the issue; Numba's for scale).
- try_loop: 10^5 divisions (of a NumPy array's elements) each guarded by try/except, one
  in seven raising ZeroDivisionError (no target; Numba's for scale, which compiles
  `except Exception:`).
- str_arg: a str argument compared with a literal in a loop over an array of 10^5 floats
  (no target).
- generator: a generator function yielding 10^6 ints and a third as many more (two yields
  per step), summed by a for loop in a jitted function (no target in the issue; Numba's
  for scale).
- first_call: the first call of a function that builds, sorts and reads a list and fills
  and reads a dict, compile included, each tool in a fresh process (target: dunnart at
  most 1/5 of Numba's).
Each timing is the median of samples taken in turn (tools interleaved, the order rotated
each round, so drift and cold caches affect them alike).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue11.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks.env import REPO, jit_tools  # noqa: F401 (REPO puts the checkout's dunnart on sys.path)
from benchmarks.report import fmt_time


def append_then_sum(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    s = 0.0
    for x in out:
        s += x
    return s


def sum_list(a):
    s = 0.0
    for x in a:
        s += x
    return s


def dict_fill_read(n):
    d = {}
    for i in range(n):
        d[i] = i * 0.5
    s = 0.0
    for i in range(n):
        s += d[i]
    return s


def try_loop(a):
    # A guard per element; Numba compiles `except Exception:` (not a named class).
    t = 0.0
    for x in a:
        try:
            t += 1.0 / x
        except Exception:
            t -= 1.0
    return t


def str_mode(method, a):
    t = 0.0
    for x in a:
        if method == "square":
            t += x * x
        else:
            t += x
    return t


_FIB = '''
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
'''


def make_fib(jit):
    """fib compiled by `jit`, its recursive calls going to itself (the global name fib is
    the compiled function in its own namespace), or the plain Python one (jit None)."""
    ns = {}
    exec(compile(_FIB, "<fib>", "exec"), ns)
    if jit is not None:
        ns["fib"] = jit(ns["fib"])
    return ns["fib"]


_GENERATOR = '''
def steps(n):
    for i in range(n):
        yield i * 3
        if i % 3 == 0:
            yield -1


def generator_sum(n):
    s = 0
    for v in steps(n):
        s += v
    return s
'''


def make_generator_sum(jit):
    """generator_sum with steps compiled by `jit` in its namespace (plain Python: None)."""
    ns = {}
    exec(compile(_GENERATOR, "<generator>", "exec"), ns)
    if jit is not None:
        ns["steps"] = jit(ns["steps"])
        ns["generator_sum"] = jit(ns["generator_sum"])
    return ns["generator_sum"]


def containers_first_call(n):
    a = []
    for i in range(n):
        a.append((i * 7919) % 101 * 1.0)
    a.sort()
    b = a[: n // 2]
    counts = {b[0]: 0}  # typed by its literal: Numba cannot type an empty dict read by get
    for x in b:
        counts[x] = counts.get(x, 0) + 1
    return sum(b) + len(a) + a[-1] + b.count(3.0) + len(counts) + counts[a[0]]


_FIRST_CALL = """
import sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, {repo!r})
from benchmarks.issue11 import containers_first_call
jit = __import__({tool!r})
f = jit.njit(containers_first_call)
t = time.perf_counter()
r = f(1000)
print(time.perf_counter() - t, r == containers_first_call(1000))
"""


def first_call(tool):
    code = _FIRST_CALL.format(repo=os.fspath(REPO), tool=tool)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(os.fspath(REPO), "python"),
                                                      os.environ.get("PYTHONPATH", "")]))
    env.pop("DUNNART_CACHE_DIR", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    seconds, ok = out.stdout.split()
    if ok != "True":
        raise RuntimeError(f"{tool}: wrong answer")
    return float(seconds)


def measure(quick):
    reps = 5 if quick else 11
    names = jit_tools()
    n_append, n_pass = 10**6, 10**5
    payload = [i * 0.25 for i in range(n_pass)]
    import numpy as np
    guarded = np.array([float(i % 7) for i in range(n_pass)])  # every 7th element divides by zero
    fns = {}
    for t in names:
        jit = __import__(t)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Numba's reflected-list deprecation warning
            fns[t] = (jit.njit(append_then_sum), jit.njit(sum_list), jit.njit(dict_fill_read), make_fib(jit.njit),
                      jit.njit(try_loop), jit.njit(str_mode), make_generator_sum(jit.njit))
            assert fns[t][0](n_append) == append_then_sum(n_append)
            assert fns[t][1](payload) == sum_list(payload)
            assert fns[t][2](n_pass) == dict_fill_read(n_pass)
            assert fns[t][3](20) == 6765
            # CPython on Python floats: NumPy's scalars divide by zero without raising.
            assert fns[t][4](guarded) == try_loop(guarded.tolist())
            assert fns[t][5]("square", guarded) == str_mode("square", guarded)
            assert fns[t][6](1000) == make_generator_sum(None)(1000)
    fns["python"] = (append_then_sum, sum_list, dict_fill_read, make_fib(None), try_loop, str_mode,
                     make_generator_sum(None))
    samples = {}
    order = [*names, "python"]
    for rep in range(reps):
        # The order rotates each round: whoever runs right after CPython's 10^6 float
        # objects finds the caches cold.
        for t in order[rep % len(order):] + order[:rep % len(order)]:
            cases = {"append": (fns[t][0], n_append), "pass_list": (fns[t][1], payload), "dict": (fns[t][2], n_pass),
                     "fib": (fns[t][3], 25), "try_loop": (fns[t][4], guarded.tolist() if t == "python" else guarded),
                     "str_arg": (lambda a, f=fns[t][5]: f("square", a), guarded), "generator": (fns[t][6], n_append)}
            for case, (fn, arg) in cases.items():
                if t == "python" and case in ("pass_list", "fib"):
                    continue
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    fn(arg)
                    samples.setdefault((case, t), []).append(time.perf_counter() - start)
    result = {k: statistics.median(v) for k, v in samples.items()}
    for _ in range(1 if quick else 3):
        for t in names:
            samples.setdefault(("first_call", t), []).append(first_call(t))
    for t in names:
        result[("first_call", t)] = statistics.median(samples[("first_call", t)])
    return result, names


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.issue11", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result, names = measure(args.quick)
    if args.json:
        print(json.dumps({f"{c}/{t}": v for (c, t), v in result.items()}, indent=1))
        return
    targets = {"append": 0.7, "pass_list": 1.0, "dict": 0.7, "fib": None, "try_loop": None, "str_arg": None,
               "generator": None, "first_call": 0.2}
    print("| case | dunnart | Numba | CPython | dunnart / Numba | target |")
    print("|---|---|---|---|---|---|")
    for case in ("append", "pass_list", "dict", "fib", "try_loop", "str_arg", "generator", "first_call"):
        d = result[(case, "dunnart")]
        nb = result.get((case, "numba"))
        py = result.get((case, "python"))
        ratio = f"{d / nb:.2f}x" if nb else "n/a"
        print(f"| {case} | {fmt_time(d)} | {fmt_time(nb) if nb else 'missing'} | "
              f"{fmt_time(py) if py else '-'} | {ratio} | {f'<= {targets[case]}x' if targets[case] else '-'} |")
    d, py = result[("dict", "dunnart")], result[("dict", "python")]
    print(f"\ndict: CPython / dunnart = {py / d:.1f}x (target: at least 10x)")


if __name__ == "__main__":
    main()
