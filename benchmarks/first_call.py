"""Child script: the first call of a 10-line loop function, compile included.

  python -m benchmarks.first_call TOOL [cache]

Run in a fresh process by groups/compile.py. With `cache`, the function is compiled with
cache=True and the result says whether this process loaded it from disk.
"""
import math
import sys
import time

import numpy as np

from benchmarks.peers import classify
from benchmarks.subproc import report


def loop10(a, b):
    n = a.shape[0]
    s = 0.0
    for i in range(n):
        x = a[i] * b[i]
        if x > 0.0:
            s += math.sqrt(x)
        else:
            s -= 0.5 * x
    return s / max(n, 1)


def from_disk(f):
    """True/False when the dispatcher says whether it loaded from the disk cache, else None."""
    stats = getattr(f, "stats", None)
    hits = getattr(stats, "cache_hits", None)              # Numba: Counter per signature
    if hits is not None:
        return sum(hits.values()) > 0
    compiles = stats.get("compiles") if isinstance(stats, dict) else getattr(stats, "compiles", None)
    return None if compiles is None else compiles == 0     # dunnart: nothing compiled here


def main():
    tool, cache = sys.argv[1], "cache" in sys.argv[2:]
    a, b = np.linspace(-1.0, 1.0, 1000), np.linspace(2.0, -2.0, 1000)
    try:
        jit = __import__(tool)
        f = jit.njit(cache=True)(loop10) if cache else jit.njit(loop10)
        t = time.perf_counter()
        got = f(a, b)
        seconds = time.perf_counter() - t
    except Exception as e:
        status, detail = classify(e, tool)
        return report(status=status, detail=detail)
    ok = math.isclose(got, loop10(a, b), rel_tol=1e-9)
    report(status="ok" if ok else "WRONG", detail="" if ok else f"got {got!r}", seconds=seconds,
           from_disk=from_disk(f))


if __name__ == "__main__":
    main()
