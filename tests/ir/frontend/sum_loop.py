# A range loop: phis at the header, the iterator protocol, an augmented assignment.
import numpy as np


def sum_loop(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


ARGS = (np.arange(4.0),)
