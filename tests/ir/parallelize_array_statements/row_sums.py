import numpy as np


def row_sums(X, mu):
    # by rows: the expression (mu broadcast along them, read whole) and the sum along axis 1
    return np.exp(X - mu).sum(axis=1)


ARGS = (np.ones((3, 4)), np.ones(4))
