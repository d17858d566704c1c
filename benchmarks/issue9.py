"""The issue-9 call-path claim, measured in one run and given as ratios.

  python -m benchmarks.issue9 [--quick] [--json]

Per-call overhead of a compiled two-argument function when the dispatcher binds a default
or keywords, over the plain positional call `f(1, 2)` of the same function (target: at most
1.5x). Also shown: a 9-argument call (past the old 8-argument fast path) and Numba's
figures when it is installed. Each figure is the median of timeit samples taken in turn
(cases interleaved, so drift affects them alike), minus the empty timeit loop.
"""
import argparse
import json
import os
import statistics
import sys
import timeit

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue9.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks.env import REPO  # noqa: F401 (puts the checkout's dunnart on sys.path)
from benchmarks.report import fmt_time


def with_default(a, b=2):
    return a + b


def kwonly(a, *, b=2):
    return a + b


def nine(a0, a1, a2, a3, a4, a5, a6, a7, a8):
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8


# (label, statement); the first is the baseline the others are divided by.
CASES = [("f(1, 2) positional", "f(1, 2)"),
         ("f(1) default", "f(1)"),
         ("f(1, b=2) keyword", "f(1, b=2)"),
         ("f(b=2, a=1) keywords", "f(b=2, a=1)"),
         ("k(1) keyword-only default", "k(1)"),
         ("k(1, b=2) keyword-only", "k(1, b=2)"),
         ("g(0, ..., 8) nine positional", "g(0, 1, 2, 3, 4, 5, 6, 7, 8)")]


def jitted(tool):
    if tool == "dunnart":
        from dunnart import njit
    else:
        from numba import njit
    ns = {"f": njit(with_default), "k": njit(kwonly), "g": njit(nine)}
    for _, stmt in CASES:
        eval(stmt, ns)  # compile every signature before timing
    return ns


def measure(quick):
    number, reps = (2 * 10**5, 5) if quick else (10**6, 9)
    tools = ["dunnart"]
    try:
        import numba  # noqa: F401
        tools.append("numba")
    except ImportError:
        pass
    spaces = {t: jitted(t) for t in tools}
    empty = min(timeit.Timer("pass").timeit(number) for _ in range(5)) / number
    samples = {(t, s): [] for t in tools for _, s in CASES}
    for _ in range(reps):
        for t in tools:
            for _, stmt in CASES:
                timer = timeit.Timer(stmt, globals=spaces[t])
                samples[(t, stmt)].append(max(timer.timeit(number) / number - empty, 0.0))
    return {k: statistics.median(v) for k, v in samples.items()}, tools


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.issue9", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    a = ap.parse_args(argv)
    times, tools = measure(a.quick)
    base = {t: times[(t, CASES[0][1])] for t in tools}
    rows = [{"case": label, **{f"{t}_s": times[(t, stmt)] for t in tools},
             **{f"{t}_ratio": times[(t, stmt)] / base[t] if base[t] > 0 else None for t in tools}}
            for label, stmt in CASES]
    if a.json:
        print(json.dumps(rows, indent=1))
        return 0
    head = " | ".join(f"{t} | {t} / positional" for t in tools)
    print(f"| call | {head} |\n|---|" + "---|---|" * len(tools))
    for r in rows:
        cells = " | ".join(f"{fmt_time(r[f'{t}_s'])} | {r[f'{t}_ratio']:.2f}" if r[f"{t}_ratio"] is not None
                           else f"{fmt_time(r[f'{t}_s'])} | —" for t in tools)
        print(f"| {r['case']} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
