# DESIGN.md's NumPy-style logsumexp: module globals, method lookups, calls.
import numpy as np


def logsumexp(a):
    a_max = np.max(a)
    out = np.log(np.sum(np.exp(a - a_max)))
    out += a_max
    return out


ARGS = (np.linspace(0.0, 1.0, 5),)
