import numpy as np


def logsumexp_blocks(a):
    # two reductions: a.max() of an array, and the sum of a fused expression
    m = a.max()
    return np.log(np.exp(a - m).sum()) + m


ARGS = (np.arange(10.0),)
