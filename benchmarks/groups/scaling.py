"""Threads against speedup: issue 12's parallel=True kernels on 1 to all cores, dunnart and
Numba timed together at each thread count (the plot: speedup over one thread)."""
import numpy as np

from .. import peers, styles
from ..env import cores
from ..lineup import TOOL_NAMES, Peer, run_case

NAME = "scaling"
TITLE = "parallel=True on 1 to all threads"
ROWS = "peer"
REFS = ("numba",)
NOTE = ("Columns are thread counts (each JIT's set_num_threads); logsumexp at 10^7 float64 "
        "(10^6 with --quick) in prange and NumPy style, pairwise distances of 2000 points "
        "(1000) with prange. The plot divides each row's 1-thread time by the others.")

def _distances(x):
    return np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1))


# (label, function, its arguments for cfg, its answer by NumPy)
KERNELS = [("logsumexp prange", styles.logsumexp_prange,
            lambda cfg: (styles.float_array(10**6 if cfg.quick else 10**7),), styles.logsumexp_numpy),
           ("logsumexp NumPy style", styles.logsumexp_numpy,
            lambda cfg: (styles.float_array(10**6 if cfg.quick else 10**7),), styles.logsumexp_numpy),
           ("pairwise prange", styles.pairwise_prange,
            lambda cfg: (styles.points(1000 if cfg.quick else 2000),), _distances)]


def thread_counts():
    n = cores()
    counts = list(range(1, n + 1)) if n <= 4 else sorted({1, 2, 4, 8, 16, 32, 64, n} & set(range(1, n + 1)))
    return counts


def lineup(kernel, fn):
    probe = styles.PROBE_ARGS[fn.__name__]

    def build(tool):
        return lambda: peers.jit_compile(tool, fn, {"parallel": True}, probe())[0]
    return [Peer(f"{TOOL_NAMES[tool]} njit(parallel=True) · {kernel}", tool, kernel, build(tool))
            for tool in ("dunnart", "numba")]


def set_threads(line, n):
    for p in line:
        if p.status == "ok":
            peers.load(p.tool).set_num_threads(n)


def run_kernel(cfg, kernel, fn, make_args, answer):
    line = [p.prepare() for p in lineup(kernel, fn)]
    args = make_args(cfg)
    expected = answer(*args)
    rows = []
    try:
        for n in thread_counts():
            set_threads(line, n)
            rows += run_case(NAME, f"{n} thread" + ("s" if n > 1 else ""), line, args, expected, cfg, param=n)
    finally:
        set_threads(line, cores())
    return rows


def tasks(cfg):
    return [(f"{NAME}: {k[0]}", lambda k=k: run_kernel(cfg, *k)) for k in KERNELS]
