"""The issue-12 parallel-loop claims, measured in one run and given as ratios.

  python -m benchmarks.issue12 [--quick] [--json] [--plot FILE.png]

- logsumexp_prange: the corpus kernel (a serial max loop, then a prange sum of exp) at
  10^7 float64: dunnart with 2 threads at least 1.7x faster than with 1, and at least
  1.3x faster than Numba parallel=True with 2 threads.
- logsumexp_numpy: the NumPy-style logsumexp of DESIGN.md with parallel=True (same
  targets).
- pairwise_prange: pairwise_distance_prange of the corpus on 2000 points: at least 1.8x
  from 1 to 2 threads.
- overhead: a prange loop writing out[i] = 2 a[i] for trip counts 1, 10, 100 and 1000:
  the parallel=True build (all threads) against the serial build, per call (target: at
  most 2 us slower).
- empty_call: calling a parallel=True function without loops (target: at most Numba's).
- threshold: a.sum() of 2^13 .. 2^18 float64, the serial build against parallel=True:
  where splitting a whole-array reduction starts to pay (parallelize_array_statements.h's
  kParallelMinElements).
Threads 1 .. the cores (dunnart.set_num_threads, numba.set_num_threads); each timing the
best of several calls, tools and thread counts interleaved. --plot writes threads
against speedup (over 1 thread) for both tools.
"""
import argparse
import json
import os
import sys
import time
import warnings

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue12.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks.env import REPO, jit_tools  # noqa: F401 (REPO puts the checkout's dunnart on sys.path)
from benchmarks import styles
from benchmarks.peers import with_globals
from benchmarks.report import fmt_time

import numpy as np

_KERNELS = '''
import numpy as np

def logsumexp_prange(a):
    m = a[0]
    for i in range(a.shape[0]):
        if a[i] > m:
            m = a[i]
    s = 0.0
    for i in prange(a.shape[0]):
        s += np.exp(a[i] - m)
    return np.log(s) + m

def logsumexp_numpy(a):
    m = a.max()
    return np.log(np.exp(a - m).sum()) + m

def scale(a, out):
    for i in prange(a.shape[0]):
        out[i] = 2.0 * a[i]
    return out

def empty():
    return 0

def total(a):
    return a.sum()
'''


def kernels(tool, parallel):
    """The kernels compiled by `tool` ("dunnart", "numba"), prange as the tool's own."""
    jit = __import__(tool)
    ns = {"prange": jit.prange}
    exec(compile(_KERNELS, "<issue12>", "exec"), ns)
    ns["pairwise_prange"] = with_globals(styles.pairwise_prange, prange=jit.prange)  # the scaling group's too
    names = ("logsumexp_prange", "logsumexp_numpy", "pairwise_prange", "scale", "empty", "total")
    return {n: jit.njit(parallel=parallel)(ns[n]) for n in names}


def set_threads(tool, n):
    __import__(tool).set_num_threads(n)


def max_threads(tool):
    jit = __import__(tool)
    return jit.config.NUMBA_NUM_THREADS


def best(fn, args, reps):
    t = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        fn(*args)
        t = min(t, time.perf_counter() - start)
    return t


def per_call(fn, args, calls):
    """Seconds per call over `calls` back-to-back calls (best of 5 batches)."""
    t = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            fn(*args)
        t = min(t, (time.perf_counter() - start) / calls)
    return t


THRESHOLD_EXPONENTS = range(13, 19)


def measure(quick):
    reps = 3 if quick else 7
    names = jit_tools()
    a = np.random.default_rng(0).standard_normal(10**6 if quick else 10**7)
    x = np.random.default_rng(1).standard_normal((1000 if quick else 2000, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        par = {t: kernels(t, True) for t in names}
        serial = kernels("dunnart", False)
        want = par["dunnart"]["logsumexp_numpy"].py_func(a)
        for t in names:
            for case in ("logsumexp_prange", "logsumexp_numpy"):
                assert abs(par[t][case](a) - want) <= 1e-9 * abs(want), (t, case)
            par[t]["pairwise_prange"](x[:10])
            par[t]["scale"](a[:10], np.empty(10))
            par[t]["empty"]()
        serial["scale"](a[:10], np.empty(10))
    result = {}
    cores = min(max_threads(t) for t in names)
    threads = list(range(1, cores + 1))
    # Interleaved: every (tool, threads) pair in turn, so drift affects them alike.
    for _ in range(2 if quick else 3):
        for n in threads:
            for t in names:
                set_threads(t, n)
                for case, args in (("logsumexp_prange", (a,)), ("logsumexp_numpy", (a,)), ("pairwise_prange", (x,))):
                    s = best(par[t][case], args, reps)
                    key = (case, t, n)
                    result[key] = min(result.get(key, s), s)
    for t in names:
        set_threads(t, cores)
    out = np.empty(1000)
    for n in (1, 10, 100, 1000):
        args = (a[:n], out[:n])
        result[("overhead", "serial", n)] = per_call(serial["scale"], args, 2000)
        result[("overhead", "dunnart", n)] = per_call(par["dunnart"]["scale"], args, 2000)
        if "numba" in names:
            result[("overhead", "numba", n)] = per_call(par["numba"]["scale"], args, 2000)
    for t in names:
        result[("empty_call", t, cores)] = per_call(par[t]["empty"], (), 20000)
    for e in THRESHOLD_EXPONENTS:
        b = a[: 1 << e].copy()
        result[("threshold", "serial", e)] = per_call(serial["total"], (b,), 500)
        result[("threshold", "dunnart", e)] = per_call(par["dunnart"]["total"], (b,), 500)
    return result, names, threads


def plot(result, names, threads, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib: no plot")
        return
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for ax, case in zip(axes, ("logsumexp_prange", "logsumexp_numpy", "pairwise_prange")):
        for t in names:
            one = result[(case, t, 1)]
            ax.plot(threads, [one / result[(case, t, n)] for n in threads], "-o" if t == "dunnart" else "--s", label=t)
        ax.plot(threads, threads, ":", color="grey", label="linear")
        ax.set_title(case)
        ax.set_xlabel("threads")
        ax.set_ylabel("speedup over 1 thread")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print("wrote", path)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.issue12", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--plot", metavar="FILE.png")
    args = ap.parse_args(argv)
    result, names, threads = measure(args.quick)
    if args.json:
        print(json.dumps({"/".join(map(str, k)): v for k, v in result.items()}, indent=1))
        return
    top = threads[-1]
    print(f"| case | dunnart 1 thread | dunnart {top} | speedup | Numba {top} | dunnart / Numba | target |")
    print("|---|---|---|---|---|---|---|")
    targets = {"logsumexp_prange": "1.7x, Numba/dunnart >= 1.3x", "logsumexp_numpy": "1.7x, Numba/dunnart >= 1.3x",
               "pairwise_prange": "1.8x"}
    for case in targets:
        d1, dn = result[(case, "dunnart", 1)], result[(case, "dunnart", top)]
        nb = result.get((case, "numba", top))
        print(f"| {case} | {fmt_time(d1)} | {fmt_time(dn)} | {d1 / dn:.2f}x | {fmt_time(nb) if nb else 'missing'} | "
              f"{f'{dn / nb:.2f}x' if nb else 'n/a'} | {targets[case]} |")
    print("\n| trip count | serial build | parallel=True | difference | Numba parallel=True |")
    print("|---|---|---|---|---|")
    for n in (1, 10, 100, 1000):
        s, p = result[("overhead", "serial", n)], result[("overhead", "dunnart", n)]
        nb = result.get(("overhead", "numba", n))
        print(f"| {n} | {fmt_time(s)} | {fmt_time(p)} | {(p - s) * 1e6:+.2f} us | {fmt_time(nb) if nb else 'missing'} |")
    d = result[("empty_call", "dunnart", top)]
    nb = result.get(("empty_call", "numba", top))
    print(f"\nempty parallel=True call: dunnart {fmt_time(d)}, Numba {fmt_time(nb) if nb else 'missing'}"
          + (f" ({d / nb:.2f}x; target <= 1x)" if nb else ""))
    print("\n| a.sum() of | serial build | parallel=True |")
    print("|---|---|---|")
    for e in THRESHOLD_EXPONENTS:
        print(f"| 2^{e} | {fmt_time(result[('threshold', 'serial', e)])} | {fmt_time(result[('threshold', 'dunnart', e)])} |")
    if args.plot:
        plot(result, names, threads, args.plot)


if __name__ == "__main__":
    main()
