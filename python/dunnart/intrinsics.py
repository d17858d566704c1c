"""Runtime operations that the Python helpers (numpy_helpers.py) call and compiled code
runs natively; from plain Python they do the same through NumPy."""
import numpy as np


def sort_line(a, stable):
    """Sorts the 1-D array `a` in place (NaNs last); stable: kind="stable"."""
    a.sort(kind="stable" if stable else "quicksort")


def argsort_line(a, stable):
    """The indices that sort the 1-D array `a` (an int64 array)."""
    return np.argsort(a, kind="stable" if stable else "quicksort").astype(np.int64)
