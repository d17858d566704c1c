# Globals frozen at compile time: a number, a tuple, a NumPy array, a math function.
import math

import numpy as np

SCALE = 2.5
OFFSETS = (1, 2.0, None)
TABLE = np.array([1.0, 2.0, 4.0])


def frozen_globals(i):
    return math.sqrt(TABLE[i] * SCALE) + OFFSETS[0]


ARGS = (1,)
