"""A line-up of peers timed against each other in this process (logsumexp, power, dispatch).

A Peer knows how to build its callable; building can fail with a status ("missing",
"not yet", ...), which then fills its cells. run_case checks every built peer against the
expected value on the case's arguments, then times the good ones interleaved.
"""
from dataclasses import dataclass
from typing import Callable

from . import peers
from .compare import mismatch
from .env import cores
from .results import Row
from .timing import Stats, call_timer, interleaved

TOOL_NAMES = {"dunnart": "dunnart", "numba": "Numba"}


@dataclass
class Peer:
    label: str
    tool: str
    style: str
    build: Callable                      # () -> callable; raises peers.Unavailable
    to_device: Callable | None = None    # moves each argument to where the peer computes
    fn: Callable | None = None
    status: str = "ok"
    detail: str = ""

    def prepare(self):
        try:
            self.fn = self.build()
        except peers.Unavailable as e:
            self.status, self.detail = e.status, e.detail
        except Exception as e:  # a peer that breaks costs its row only
            self.status, self.detail = "ERROR", f"{type(e).__name__}: {e}"[:200]
        return self


def size_label(n):
    """10^7 for powers of ten, else the number."""
    return f"10^{len(str(n)) - 1}" if str(n).strip("0") == "1" else str(n)


def decorator(opts):
    return "njit" + (f"({', '.join(f'{k}=True' for k in opts)})" if opts else "")


def jit_peer(tool, fn, style, opts, probe_args):
    """A peer for styles.<fn> compiled with tool.njit(**opts), built on probe_args() (a child
    process compiles it first where peers.CHILD_FIRST says so)."""
    label = f"{TOOL_NAMES[tool]} {decorator(opts)}" + (f" · {style}" if style else "")
    if opts.get("parallel"):
        label += f", {cores()} threads"
    build = lambda: peers.jit_compile(tool, fn, opts, probe_args(), probe_case=f"style:{fn.__name__}")[0]
    return Peer(label, tool, style, build)


def run_case(group, case, lineup, args, expected, cfg, param=None, number=None):
    """Rows for one case: every prepared peer checked on args, the good ones timed together."""
    rows, timers = {}, {}
    for p in lineup:
        row = Row(group, case, p.label, p.tool, p.style, status=p.status, detail=p.detail, param=param)
        rows[p.label] = row
        if p.status != "ok":
            continue
        try:
            call_args = tuple(map(p.to_device, args)) if p.to_device else args
            why = mismatch(p.fn(*call_args), expected)
        except Exception as e:
            row.status, row.detail = peers.classify(e, p.tool)
            continue
        if why:
            row.status, row.detail = "WRONG", why
            continue
        timers[p.label] = call_timer(p.fn, *call_args)
    samples = interleaved(timers, cfg.reps, cfg.target, cfg.max_case_s, cfg.min_reps, number) if timers else {}
    for label, s in samples.items():
        rows[label].stats = Stats.of(s)
    return list(rows.values())
