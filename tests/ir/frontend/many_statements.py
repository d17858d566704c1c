# More array statements than outline_array_statements keeps inline (16): each moves into a
# noinline function of its own, called with what it reads; statements alike but for a
# constant the code depends on do not share one.
import numpy as np


def many_statements(a, b):
    c = a.copy()
    c += b * 0.0
    c += b * 1.0
    c += b * 2.0
    c += b * 3.0
    c += b * 4.0
    c += b * 5.0
    c += b * 6.0
    c += b * 7.0
    c += b * 8.0
    c += b * 9.0
    c += b * 10.0
    c += b * 11.0
    c += b * 12.0
    c += b * 13.0
    c += b * 14.0
    c += b * 15.0
    c += b * 16.0
    return c


ARGS = (np.linspace(0.0, 1.0, 4), np.ones(4))
