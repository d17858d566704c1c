"""The benchmarked functions, each written in the styles the talk compared.

The NumPy-style logsumexp is the exact code of DESIGN.md; the loop style is
shared/kernels/classic.py's logsumexp_loop; the prange style reduces both loops in
parallel. `prange` is a global that peers.jit_compile replaces per JIT.
"""
import inspect
import math

import numpy as np

prange = range


def logsumexp_numpy(a):
    a_max = np.max(a)
    out = np.log(np.sum(np.exp(a - a_max)))
    out += a_max
    return out


def logsumexp_loop(a):
    m = a[0]
    for i in range(a.shape[0]):
        if a[i] > m:
            m = a[i]
    s = 0.0
    for i in range(a.shape[0]):
        s += math.exp(a[i] - m)
    return math.log(s) + m


def logsumexp_prange(a):
    m = -math.inf
    for i in prange(a.shape[0]):
        m = max(m, a[i])
    s = 0.0
    for i in prange(a.shape[0]):
        s += math.exp(a[i] - m)
    return math.log(s) + m


def pairwise_prange(x):
    """Issue 12's pairwise_distance_prange: each row of the result on its own thread."""
    n = x.shape[0]
    out = np.empty((n, n))
    for i in prange(n):
        for j in range(n):
            d = 0.0
            for k in range(x.shape[1]):
                t = x[i, k] - x[j, k]
                d += t * t
            out[i, j] = np.sqrt(d)
    return out


def points(n, seed=4321):
    return np.random.default_rng(seed).standard_normal((n, 3))


def power_pow(x):
    return x ** 8


def power_mul(x):
    return x * x * x * x * x * x * x * x


def add(a, b):
    return a + b


def float_array(n, seed=1234):
    return np.random.default_rng(seed).standard_normal(n)


# Small arguments for a child process to compile and check a style before the real run.
PROBE_ARGS = {
    "logsumexp_numpy": lambda: (float_array(1000),),
    "logsumexp_loop": lambda: (float_array(1000),),
    "logsumexp_prange": lambda: (float_array(1000),),
    "pairwise_prange": lambda: (points(50),),
    "power_pow": lambda: (float_array(1000),),
    "power_mul": lambda: (float_array(1000),),
    "add": lambda: (1, 2),
}


def pythran_source(fn, export):
    """A Pythran module holding fn, e.g. export="float64[:]"."""
    return f"#pythran export {fn.__name__}({export})\nimport numpy as np\n\n\n{inspect.getsource(fn)}"
