# Tuple unpacking (tuple_get with unpack_count), keyword arguments (kwnames), a slice.
import numpy as np


def unpack_kwargs(a):
    n, m = a.shape
    s = np.sum(a[1:, ::2], axis=0)
    return s.sum() + n * m


ARGS = (np.ones((3, 4)),)
