"""Runtime operations that the Python helpers (numpy_helpers.py) call and compiled code
runs natively; from plain Python they do the same through NumPy."""
import numpy as np


def sort_line(a, stable):
    """Sorts the 1-D array `a` in place (NaNs last); stable: kind="stable"."""
    a.sort(kind="stable" if stable else "quicksort")


def argsort_line(a, stable):
    """The indices that sort the 1-D array `a` (an int64 array)."""
    return np.argsort(a, kind="stable" if stable else "quicksort").astype(np.int64)


class _Interface:
    """An object NumPy builds an array from (__array_interface__), keeping its base alive."""

    def __init__(self, interface, base):
        self.__array_interface__ = interface
        self.base = base


def strided_view(a, shape, strides, offset):
    """The view of a's memory from byte `offset` with these extents and byte strides."""
    interface = dict(a.__array_interface__)
    pointer, readonly = interface["data"]
    interface.update(data=(pointer + int(offset), readonly), shape=tuple(shape), strides=tuple(strides))
    interface.pop("mask", None)
    return np.asarray(_Interface(interface, a))


def readonly_view(a, shape, strides, offset):
    """strided_view, not writeable (what np.broadcast_to gives)."""
    v = strided_view(a, shape, strides, offset)
    v.flags.writeable = False
    return v


def tuple_set(t, i, v):
    """The tuple t with element i replaced by v."""
    return t[:i] + (v,) + t[i + 1:]


# np.random's legacy generator (runtime/random.cpp), one per thread in compiled code; in
# plain Python, NumPy's global RandomState.
def random_seed(seed):
    np.random.seed(seed)


def random_double():
    """A float in [0, 1): 53 bits of two MT19937 words."""
    return float(np.random.random_sample())


def random_gauss():
    """A standard normal by the polar method (the second of each pair kept for the next)."""
    return float(np.random.standard_normal())


def random_bounded(rng):
    """An integer in [0, rng] by masked rejection, rng read as unsigned 64-bit."""
    rng &= (1 << 64) - 1
    value = int(np.random.randint(0, rng + 1, dtype=np.uint64))
    return value - (1 << 64) if value >= 1 << 63 else value


NAMES = ("sort_line", "argsort_line", "strided_view", "readonly_view", "tuple_set", "random_seed", "random_double", "random_gauss", "random_bounded")
