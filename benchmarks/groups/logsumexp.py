"""logsumexp, the workload that defines success (DESIGN.md), in every style and tool."""
from .. import gpu, peers, pythran_build, styles
from ..lineup import Peer, jit_peer, run_case, size_label
from ..machine import cpu_model

NAME = "logsumexp"
TITLE = "1-D logsumexp, float64, every style"
ROWS = "peer"
REFS = ("numpy", "numba")
NOTE = ("NumPy style is the exact code of DESIGN.md; loop style is two loops (max, then a sum of "
        "math.exp); prange style reduces both loops in parallel. Pythran compiles the NumPy-style "
        "code with -O3 -march=native, with and without -DUSE_XSIMD. GPU rows (only where a GPU "
        "exists) have the input on the device already.")

JIT_STYLES = [(styles.logsumexp_numpy, "NumPy style", {}),
              (styles.logsumexp_loop, "loop", {}),
              (styles.logsumexp_loop, "loop", {"fastmath": True}),
              (styles.logsumexp_prange, "prange", {"parallel": True})]


def _pythran(simd):
    source = styles.pythran_source(styles.logsumexp_numpy, "float64[:]")
    flags = ("-DUSE_XSIMD",) if simd else ()
    return lambda: pythran_build.build(source, "lse_simd" if simd else "lse", flags, cpu_model()).logsumexp_numpy


def lineup():
    probe = styles.PROBE_ARGS["logsumexp_loop"]
    return [Peer("NumPy", "numpy", "NumPy style", lambda: styles.logsumexp_numpy),
            Peer("SciPy special.logsumexp", "scipy", "NumPy style", lambda: peers.load("scipy.special").logsumexp),
            *[jit_peer(tool, fn, style, opts, probe) for tool in ("dunnart", "numba") for fn, style, opts in JIT_STYLES],
            Peer("Pythran -O3 -march=native", "pythran", "NumPy style", _pythran(False)),
            Peer("Pythran -O3 -march=native -DUSE_XSIMD", "pythran", "NumPy style", _pythran(True)),
            *gpu.lineup()]


def run_size(cfg, line, n):
    a = styles.float_array(n)
    return run_case(NAME, size_label(n), line, (a,), styles.logsumexp_numpy(a), cfg, param=n)


def tasks(cfg, sizes=None, select=None):
    """select(peer) -> bool keeps a subset of the line-up (issue2.py uses it)."""
    line = [p for p in lineup() if select is None or select(p)]

    def prepare():
        for p in line:
            p.prepare()
        return []
    return [(f"{NAME}: build peers", prepare),
            *[(f"{NAME} n={size_label(n)}", lambda n=n: run_size(cfg, line, n)) for n in sizes or cfg.sizes]]
