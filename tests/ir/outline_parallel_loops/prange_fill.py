import numpy as np
from dunnart import prange


def prange_fill(a, out, c):
    # the body raises; c and a are inputs, the step a constant
    for i in prange(1, a.shape[0], 2):
        x = a[i] * c
        if x < 0:
            raise ValueError("negative")
        out[i] = x + 1.0
    return out


ARGS = (np.arange(10.0), np.zeros(10), 2.0)
