# Constant integer powers that reduce_powers turns into multiplications: a scalar cube, a
# negative power (checked: 0.0 raises), and x ** 8 on the elements of an array.
import numpy as np


def powers(x, a):
    return x ** 3, x ** -2, a ** 8


ARGS = (1.5, np.linspace(0.0, 1.0, 4))
