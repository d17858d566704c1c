"""Child process: compile one case with one JIT, check it, and optionally time it warm.

  python -m benchmarks.worker --jit numba --case kernel:mandelbrot [--opts JSON]
         [--expected FILE.pickle] [--reps N --target S --max-seconds S]

Prints RESULT {"status", "detail", "first_s", "samples": [seconds per call, ...]}. The
expected value is the plain Python/NumPy result (computed here unless --expected gives it).
"""
import argparse
import json
import pickle

from . import cases, peers, subproc
from .compare import mismatch
from .timing import call_timer, interleaved


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jit", required=True)
    ap.add_argument("--case", required=True)
    ap.add_argument("--opts", default="{}")
    ap.add_argument("--expected")
    ap.add_argument("--reps", type=int, default=0)
    ap.add_argument("--target", type=float, default=0.05)
    ap.add_argument("--max-seconds", type=float, default=float("inf"))
    ap.add_argument("--min-reps", type=int, default=3)
    a = ap.parse_args()
    fn, make_args, module = cases.resolve(a.case)
    if a.expected:
        with open(a.expected, "rb") as f:
            expected = pickle.load(f)
    else:
        expected = fn(*make_args())
    try:
        module.prange = getattr(peers.load(a.jit), "prange", range)  # as check_kernels.py does
        args = make_args()
        compiled, got, first = peers.jit_compile(a.jit, fn, json.loads(a.opts), args)
    except peers.Unavailable as e:
        return subproc.report(status=e.status, detail=e.detail)
    why = mismatch(got, expected)
    if why:
        return subproc.report(status="WRONG", detail=why, first_s=first)
    samples = []
    if a.reps:
        samples = interleaved({"jit": call_timer(compiled, *args)}, a.reps, a.target, a.max_seconds,
                              a.min_reps)["jit"]
    subproc.report(status="ok", first_s=first, samples=samples)


if __name__ == "__main__":
    main()
