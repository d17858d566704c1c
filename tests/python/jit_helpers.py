"""Jitted helpers in a module of their own, called from test_calls.py: calls across
modules must resolve this module's globals (constants, other jitted functions)."""
import math

import numpy as np

from dunnart import njit

SCALE = 2.5
OFFSET = 7
WEIGHTS = (1.0, 2.0, 0.5)
INT_PAIR = (3, -4)
NEG_BIG = -(2**40)


@njit
def hypot2(x, y):
    return math.sqrt(x * x + y * y)


@njit
def scaled(x):
    return x * SCALE + OFFSET


@njit
def weighted(a, b, c):
    return WEIGHTS[0] * a + WEIGHTS[1] * b + WEIGHTS[2] * c


@njit
def divmod_pair(a, b):
    return a // b, a % b


@njit
def filled(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = scaled(i)
    return a


@njit
def add_into(out, x):
    for i in range(out.shape[0]):
        out[i] += x


@njit
def pair_dot(x, y):
    return INT_PAIR[0] * x + INT_PAIR[1] * y + NEG_BIG
