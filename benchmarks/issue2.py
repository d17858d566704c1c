"""The issue-2 claims, measured in one run and given as ratios.

  python -m benchmarks.issue2 [--quick] [--json]

  1. dispatch: ns per call of a compiled add(1, 2); dunnart / Numba (< 1: dunnart is faster)
  2. first call of a 10-line loop function in a fresh process (compile included), ms
  3. `import dunnart` and `import numba` in fresh processes, ms
  4. logsumexp_loop on 10^7 float64, without and with fastmath=True on both:
     Numba time / dunnart time (> 1: dunnart is faster)

Uses the groups of `python -m benchmarks`; prints a Markdown table (or JSON with --json).
"""
import argparse
import json
import os
import sys

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue2.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks.config import Config
from benchmarks.groups import compile as compile_group, dispatch, logsumexp
from benchmarks.progress import Progress
from benchmarks.report import fmt_time

N = 10**7


def measure(cfg):
    tasks = [("dispatch add(1, 2)", lambda: dispatch.run(cfg)),
             ("import", lambda: compile_group.imports(cfg)),
             ("first call", lambda: compile_group.first_calls(cfg)),
             *logsumexp.tasks(cfg, sizes=(N,), select=lambda p: p.style == "loop" and p.tool in ("dunnart", "numba"))]
    bar, rows = Progress(len(tasks)), []
    for label, task in tasks:
        bar.begin(label)
        rows += task()
        bar.advance()
    bar.finish()
    return rows


def claims(rows):
    """[(claim, dunnart row, Numba row, ratio name, ratio)]"""
    def pick(group, tool, case=None, fastmath=None):
        return next(r for r in rows if r.group == group and r.tool == tool and (case is None or r.case == case)
                    and (fastmath is None or ("fastmath" in r.peer) == fastmath))

    def ratio(num, den):
        return num.stats.median / den.stats.median if num.ok and den.ok and den.stats.median > 0 else None
    out = []
    for claim, group, case, fastmath, numba_over_dunnart in [
            ("dispatch overhead, add(1, 2)", "dispatch", None, None, False),
            ("first call, 10-line loop (fresh process)", "compile", "first call", None, False),
            ("import (fresh process)", "compile", "import", None, False),
            ("logsumexp_loop 10^7 float64", "logsumexp", None, False, True),
            ("logsumexp_loop 10^7 float64, fastmath=True", "logsumexp", None, True, True)]:
        d, n = pick(group, "dunnart", case, fastmath), pick(group, "numba", case, fastmath)
        name, value = ("Numba/dunnart", ratio(n, d)) if numba_over_dunnart else ("dunnart/Numba", ratio(d, n))
        out.append((claim, d, n, name, value))
    return out


def cell(row):
    return fmt_time(row.stats.median) if row.ok else f"{row.status} ({row.detail})" if row.detail else row.status


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.issue2", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    a = ap.parse_args(argv)
    result = claims(measure(Config.make(a.quick)))
    if a.json:
        print(json.dumps([{"claim": c, "dunnart_s": d.stats.median if d.ok else d.status,
                           "numba_s": n.stats.median if n.ok else n.status, "ratio": name, "value": v}
                          for c, d, n, name, v in result], indent=1))
        return 0
    print("| claim | dunnart | Numba | ratio |\n|---|---|---|---|")
    for c, d, n, name, v in result:
        print(f"| {c} | {cell(d)} | {cell(n)} | {name} = {v:.2f} |" if v is not None else
              f"| {c} | {cell(d)} | {cell(n)} | {name}: — |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
