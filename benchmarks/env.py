"""Paths and the process environment for fair runs.

Single-thread rows must not get help from a threaded BLAS or OpenMP runtime, so the
OpenMP/BLAS thread counts are pinned to 1 before NumPy is imported. Rows compiled with
parallel=True use every core: NUMBA_NUM_THREADS and DUNNART_NUM_THREADS say how many,
and the benchmark calls each JIT's set_num_threads as well. Child processes inherit all of
it, plus a PYTHONPATH under which both `benchmarks` and the dunnart source tree import.
"""
import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SHARED = REPO.parent / "shared"
KERNEL_DIR = SHARED / "kernels"
CACHE_DIR = BENCH_DIR / ".cache"
DUNNART_SRC = REPO / "python"

SINGLE_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
PARALLEL_THREAD_VARS = ("NUMBA_NUM_THREADS", "DUNNART_NUM_THREADS")


def cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def threads_note():
    return (f"Single-thread rows: {'='.join(SINGLE_THREAD_VARS)}=1. Rows marked parallel: "
            f"{cores()} threads ({'='.join(PARALLEL_THREAD_VARS)}={cores()}, set_num_threads({cores()})).")


def setup():
    for var in SINGLE_THREAD_VARS:
        os.environ[var] = "1"
    for var in PARALLEL_THREAD_VARS:
        os.environ[var] = str(cores())
    # Fresh processes (import, first call, cache hits) keep compiled bytecode as users'
    # interpreters do; without it every tool's Python modules recompile in every process.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # dunnart from the source tree, after any installed copy (machine.py reports which one ran)
    if str(DUNNART_SRC) not in sys.path:
        sys.path.append(str(DUNNART_SRC))
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO), *paths, str(DUNNART_SRC)])


def jit_tools():
    """The JITs to compare that import here: dunnart, and Numba when installed."""
    names = ["dunnart"]
    try:
        import numba  # noqa: F401
        names.append("numba")
    except ImportError:
        pass
    return names
