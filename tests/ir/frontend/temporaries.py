# Array temporaries: fused chains, a temporary used twice (not fused), an in-place update.
import numpy as np


def temporaries(a, b):
    t = a * b + 1.0
    u = np.sqrt(t) + t
    u += b
    return u.sum() + (a - b).max()


ARGS = (np.arange(4.0), np.ones(4))
