"""Issue 13's table: NumPy functions compiled by dunnart against NumPy itself and Numba (the
cases of benchmarks/issue13.py: searching, statistics, shapes, views, indexing, reductions'
keywords, linear algebra)."""
import warnings

from .. import issue13, peers
from ..lineup import Peer, run_case, size_label

NAME = "numpy_api"
TITLE = "NumPy functions in compiled code (issue 13)"
ROWS = "case"
REFS = ("numpy", "numba")
NOTE = ("One float64 array of n values in [0, 1) per function case (reshaped inside where the case says); "
        "matrices of 100x100 standard normals for linear algebra. Each peer is checked against NumPy "
        "on the same arguments before it is timed; `unsupported`: Numba does not compile it.")


def _jit(tool, fn, args):
    """tool.njit(fn), compiled by a first call on args (its failure names the cell)."""
    def build():
        module = peers.load(tool)
        compiled = module.njit(fn)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compiled(*args)
            except Exception as e:
                raise peers.Unavailable(*peers.classify(e, tool)) from None
        return compiled
    return build


def _case(label, fn, args, cfg, param):
    line = [Peer("NumPy", "numpy", "", lambda: fn),
            Peer("dunnart njit", "dunnart", "", _jit("dunnart", fn, args)),
            Peer("Numba njit", "numba", "", _jit("numba", fn, args))]
    return run_case(NAME, label, [p.prepare() for p in line], args, fn(*args), cfg, param=param)


def tasks(cfg):
    import numpy as np
    rng = np.random.default_rng(0)
    out = []
    for n in ((10**3, 10**6) if cfg.quick else (10**3, 10**5, 10**6)):
        a = rng.random(n)
        for case, fn in issue13.FUNCTION_CASES.items():
            label = f"{case} · n={size_label(n)}"
            out.append((f"{NAME}: {label}", lambda label=label, fn=fn, a=a, n=n: _case(label, fn, (a,), cfg, n)))
    A = rng.standard_normal((100, 100))
    for case, fn in issue13.LINALG_CASES.items():
        label = f"{case} · 100x100"
        out.append((f"{NAME}: {label}", lambda label=label, fn=fn: _case(label, fn, (A,), cfg, 100)))
    return out
