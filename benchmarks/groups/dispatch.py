"""Per-call overhead of a compiled add(a, b) on two ints: the Dispatcher's fast path."""
import timeit

from .. import styles
from ..lineup import Peer, jit_peer, run_case

NAME = "dispatch"
TITLE = "call overhead of add(1, 2)"
ROWS = "case"
REFS = ("numba",)
INVERT = True   # report dunnart / Numba
NOTE = "A timeit loop of calls per sample; the cost of the empty timeit loop is subtracted."
CASE = "add(1, 2)"


def lineup():
    probe = styles.PROBE_ARGS["add"]
    return [Peer("Python (no JIT)", "python", "", lambda: styles.add),
            *[jit_peer(tool, styles.add, "", {}, probe) for tool in ("dunnart", "numba")]]


def run(cfg, line=None):
    line = [p.prepare() for p in line or lineup()]
    loop = timeit.Timer("pass")
    empty = min(loop.timeit(cfg.dispatch_calls) for _ in range(5)) / cfg.dispatch_calls
    rows = run_case(NAME, CASE, line, (1, 2), 3, cfg, number=cfg.dispatch_calls)
    for row in rows:
        if row.ok:
            for k in ("median", "q1", "q3", "min", "max"):
                setattr(row.stats, k, max(getattr(row.stats, k) - empty, 0.0))
            row.extra["empty_loop_s"] = empty
    return rows


def tasks(cfg):
    return [(f"{NAME}: {CASE}", lambda: run(cfg))]
