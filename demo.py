"""The workload that defines dunnart's success (shared/DESIGN.md): a 1-D logsumexp over
10^7 float64, written the NumPy way and as loops, compiled by dunnart and (when installed)
Numba, against NumPy itself. Prints a small table of times and ratios."""
import math
import statistics
import time

import numpy as np

import dunnart


# The workload itself, one definition shared with the benchmark suite.
from benchmarks.styles import logsumexp_loop, logsumexp_numpy  # noqa: E402


def timed(f, a, reps=5):
    f(a)  # warm-up (and compile)
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f(a)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main():
    a = np.random.default_rng(0).standard_normal(10_000_000)
    expected = logsumexp_numpy(a)
    rows = [("NumPy", "numpy style", logsumexp_numpy)]
    for jit_name, jit in [("dunnart", dunnart.njit)] + _numba():
        for style, fn in [("numpy style", logsumexp_numpy), ("loops", logsumexp_loop)]:
            rows.append((jit_name, style, jit(fn)))
            rows.append((jit_name, style + ", fastmath", jit(fastmath=True)(fn)))
    base = None
    print(f"logsumexp of 10^7 float64, one thread (median of 5)\n")
    print(f"{'implementation':34s} {'time':>10s} {'vs NumPy':>9s}  result")
    for name, style, f in rows:
        label = f"{name} ({style})"
        try:
            t = timed(f, a)
        except (dunnart.UnsupportedError, dunnart.TypingError) as e:
            print(f"{label:34s} {'not yet':>10s} {'':>9s}  {str(e).splitlines()[0][:60]}")
            continue
        except Exception as e:  # a peer that cannot compile this style
            print(f"{label:34s} {'failed':>10s} {'':>9s}  {type(e).__name__}")
            continue
        base = base or t
        ok = "ok" if math.isclose(f(a), expected, rel_tol=1e-9) else "WRONG"
        print(f"{label:34s} {t * 1e3:8.1f} ms {base / t:8.2f}x  {ok}")


def _numba():
    try:
        import numba
    except ImportError:
        print("(Numba is not installed: pip install numba to compare)\n")
        return []
    return [("Numba", numba.njit)]


if __name__ == "__main__":
    main()
