"""The issue-3 claims (NumPy array programming, fused), measured in one run as ratios.

  python -m benchmarks.issue3 [--n 10000000] [--reps 7]

On 10^7 float64, one thread: the unmodified NumPy-style logsumexp of DESIGN.md against
NumPy, Numba @njit on the same code and Pythran with SIMD (when installed); power8
(x ** 8) and black_scholes from shared/kernels/classic.py against NumPy. Ratios are
dunnart time / peer time (< 1: dunnart is faster); peers are timed in turn in this
process, rotating the order every round, so the ratios hold on a noisy machine.
"""
import argparse
import os
import statistics
import sys
import time

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue3.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

import numpy as np

from benchmarks import env, peers, styles
from benchmarks.groups.logsumexp import _pythran


def timed_rounds(fns, args, reps):
    """Median seconds per function, sampling them in turn with a rotating order."""
    for f in fns.values():
        f(*args)  # warm-up and compile
    samples = {k: [] for k in fns}
    names = list(fns)
    for r in range(reps):
        for k in names[r % len(names):] + names[:r % len(names)]:
            t = time.perf_counter()
            fns[k](*args)
            samples[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in samples.items()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10**7)
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args(argv)
    env.setup()  # one thread, dunnart from the source tree
    dunnart = peers.load("dunnart")
    sys.path.insert(0, str(env.KERNEL_DIR))
    import classic
    rng = np.random.default_rng(0)
    x = rng.standard_normal(a.n)
    s, k, t = rng.random(a.n) + 0.5, rng.random(a.n) + 0.5, rng.random(a.n) + 0.1
    rows = []

    lse = {"dunnart": dunnart.njit(styles.logsumexp_numpy), "NumPy": styles.logsumexp_numpy}
    try:
        lse["Numba"] = peers.load("numba").njit(styles.logsumexp_numpy)
    except peers.Unavailable as e:
        print(f"Numba: {e}")
    try:
        lse["Pythran SIMD"] = _pythran(simd=True)()
    except Exception as e:  # not installed, or no compiler
        print(f"Pythran: {type(e).__name__}: {e}")
    times = timed_rounds(lse, (x,), a.reps)
    for peer in lse:
        if peer != "dunnart":
            rows.append(("logsumexp (NumPy style)", peer, times["dunnart"], times[peer]))
    for name, fn, args in (("power8", classic.power8, (x,)),
                           ("black_scholes", classic.black_scholes, (s, k, t, 0.03, 0.3))):
        times = timed_rounds({"dunnart": dunnart.njit(fn), "NumPy": fn}, args, a.reps)
        rows.append((name, "NumPy", times["dunnart"], times["NumPy"]))

    print(f"| 10^{len(str(a.n)) - 1} float64, one thread | peer | dunnart | peer time | dunnart/peer |")
    print("|---|---|---|---|---|")
    for case, peer, d, p in rows:
        print(f"| {case} | {peer} | {d * 1e3:.1f} ms | {p * 1e3:.1f} ms | {d / p:.2f} |")


if __name__ == "__main__":
    main()
