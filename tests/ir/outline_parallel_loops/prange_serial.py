import numpy as np
from dunnart import prange


def prange_serial(a, n):
    # the first prange a sum reduction; the second inside a plain loop, reading the sum
    s = 0.0
    for i in prange(n):
        s += a[i]
    for t in range(3):
        for i in prange(n):
            a[i] = a[i] * 0.5 + s
    return s


ARGS = (np.arange(10.0), 10)
