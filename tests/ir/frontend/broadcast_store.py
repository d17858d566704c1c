# Array code that lower_array_loops turns into loops: a slice store that broadcasts a 1-d
# operand into a 2-d view (with the overlap check), a comparison materialised into a new
# bool array, and a scalar division that raises under error_model="python".
import numpy as np


def broadcast_store(out, a, b, k):
    out[1:, :] = a[:-1] * 2.0 + b
    return np.sqrt(a) < b, k // 2


ARGS = (np.zeros((3, 4)), np.ones((3, 4)), np.arange(4.0), 7)
