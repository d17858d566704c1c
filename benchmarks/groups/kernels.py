"""Every kernel of shared/kernels/classic.py, warm, against plain Python/NumPy.

The plain run (in this process) gives the expected value and the reference time; each JIT
then compiles, checks and times the kernel in a child process of its own, so a crash or a
hang costs one cell. Kernels tagged `parallel` are compiled with parallel=True.
"""
import json
import os
import pickle
import tempfile
import time

from .. import peers, subproc
from ..cases import corpus
from ..env import cores
from ..results import Row
from ..timing import Stats, call_timer, interleaved

NAME = "kernels"
TITLE = "classic kernels (shared/kernels/classic.py), warm"
ROWS = "case"
REFS = ("numpy", "numba")
NOTE = (f"Python/NumPy is the plain function. Each JIT runs each kernel in its own process; "
        f"`parallel` kernels are compiled with parallel=True ({cores()} threads). A wrong result "
        f"shows as WRONG, not a time.")
JITS = {"numba": "Numba", "dunnart": "dunnart"}


def jit_row(cfg, tool, name, tags, expected_file):
    row = Row(NAME, name, JITS[tool], tool)
    try:
        peers.load(tool)   # an absent tool needs no child process
    except peers.Unavailable as e:
        row.status, row.detail = e.status, e.detail
        return row
    opts = {"parallel": True} if "parallel" in tags else {}
    r = subproc.run(["-m", "benchmarks.worker", "--jit", tool, "--case", f"kernel:{name}",
                     "--opts", json.dumps(opts), "--expected", expected_file, "--reps", str(cfg.reps),
                     "--target", str(cfg.target), "--max-seconds", str(cfg.max_case_s),
                     "--min-reps", str(cfg.min_reps)], cfg.timeout)
    row.status, row.detail = r["status"], r.get("detail", "")
    if row.status == "ok":
        row.stats = Stats.of(r["samples"])
        row.extra["first_call_s"] = r["first_s"]
    return row


def run_kernel(cfg, name, tags, fn, make_args):
    args = make_args()
    t = time.perf_counter()
    expected = fn(*args)   # the warm-up; a slow kernel needs no calibration after it
    number = 1 if time.perf_counter() - t >= cfg.target else None
    samples = interleaved({name: call_timer(fn, *args)}, cfg.reps, cfg.target, cfg.max_case_s,
                          cfg.min_reps, number)[name]
    rows = [Row(NAME, name, "Python/NumPy", "numpy", stats=Stats.of(samples))]
    fd, path = tempfile.mkstemp(suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(expected, f)
        rows += [jit_row(cfg, tool, name, tags, path) for tool in JITS]
    finally:
        os.unlink(path)
    return rows


def tasks(cfg):
    return [(f"{NAME}: {k[0]}", lambda k=k: run_kernel(cfg, *k)) for k in corpus().KERNELS]
