import numpy as np


def range_max(a):
    # a plain range loop whose order does not matter (a choosing reduction): in parallel
    # from 65536 iterations on, the loop as it was below that
    m = a[0]
    for i in range(a.shape[0]):
        if a[i] > m:
            m = a[i]
    return m


ARGS = (np.arange(10.0),)
