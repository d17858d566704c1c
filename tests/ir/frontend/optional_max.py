# None on one path and an int on another: an OptionalType phi, `is None` tested at run time,
# and `a[i] > best` reading the value without a check under that test (narrow_optionals).
import numpy as np


def optional_max(a):
    best = None
    i = 0
    while i < len(a):
        if best is None or a[i] > best:
            best = a[i]
        i += 1
    return best


ARGS = (np.arange(3),)
