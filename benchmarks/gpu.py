"""GPU peers for logsumexp, used only where nvidia-smi lists a GPU.

CuPy runs the NumPy-style code itself (np swapped for cupy); dunnart.cuda and numba.cuda
run a grid-stride kernel pair (max, then sum of exp) with atomics. Inputs are moved to the
device before timing; each call ends with the scalar copied back, so it is synchronised.
"""
import math
import shutil
import subprocess

import numpy as np

from . import peers, styles
from .lineup import Peer

BLOCKS, THREADS = 1024, 256
cuda = None   # replaced per JIT by peers.with_globals


def gpu_name():
    if not shutil.which("nvidia-smi"):
        return None
    p = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
    lines = [l for l in p.stdout.splitlines() if l.startswith("GPU")]
    return lines[0] if p.returncode == 0 and lines else None


def lse_max_kernel(a, out):
    m = -math.inf
    for j in range(cuda.grid(1), a.shape[0], cuda.gridsize(1)):
        m = max(m, a[j])
    cuda.atomic.max(out, 0, m)


def lse_sum_kernel(a, mx, out):
    s = 0.0
    m = mx[0]
    for j in range(cuda.grid(1), a.shape[0], cuda.gridsize(1)):
        s += math.exp(a[j] - m)
    cuda.atomic.add(out, 0, s)


def to_device(a):
    return peers.load("cupy").asarray(a)


def _cupy():
    lse = peers.with_globals(styles.logsumexp_numpy, np=peers.load("cupy"))
    return lambda a: float(lse(a))


def _cuda_kernels(tool):
    cp = peers.load("cupy")   # device arrays go in through __cuda_array_interface__
    try:
        jit_cuda = peers.load("dunnart").cuda if tool == "dunnart" else peers.load("numba.cuda")
        kmax, ksum = (jit_cuda.jit(peers.with_globals(k, cuda=jit_cuda)) for k in (lse_max_kernel, lse_sum_kernel))
    except peers.Unavailable:
        raise
    except Exception as e:
        raise peers.Unavailable(*peers.classify(e, tool)) from e

    def lse(a):
        mx, s = cp.full(1, -np.inf), cp.zeros(1)
        kmax[BLOCKS, THREADS](a, mx)
        ksum[BLOCKS, THREADS](a, mx, s)
        return math.log(float(s[0])) + float(mx[0])
    return lse


def lineup():
    """GPU peers, or none without a GPU."""
    if gpu_name() is None:
        return []
    return [Peer("CuPy · NumPy style", "cupy", "NumPy style", _cupy, to_device),
            Peer("dunnart cuda.jit · kernel", "dunnart", "cuda", lambda: _cuda_kernels("dunnart"), to_device),
            Peer("Numba cuda.jit · kernel", "numba", "cuda", lambda: _cuda_kernels("numba"), to_device)]
