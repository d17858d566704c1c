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


# A np.random.Generator's draws (runtime/numpy_generator.cpp): NumPy's distribution
# function number `op` of numpy_generator.py's tables on the Generator's bitgen_t; in plain
# Python, the same function through ctypes.
def _distribution(name, result, params):
    import ctypes
    import numpy.random._generator as module
    fn = getattr(ctypes.CDLL(module.__file__), name)
    fn.restype, fn.argtypes = result, [ctypes.c_void_p] + params
    return fn


def generator_double(rng, op, a, b, c):
    import ctypes
    from .numpy_generator import _DOUBLE_DRAWS
    name, count = _DOUBLE_DRAWS[op]
    single = name.endswith("_f")
    real = ctypes.c_float if single else ctypes.c_double
    fn = _distribution("random_" + name, real, [real] * count)
    return float(fn(rng.bit_generator.ctypes.bit_generator.value, *(a, b, c)[:count]))


def generator_int(rng, op, x, y, i, j, k):
    import ctypes
    from .numpy_generator import _INT_DRAWS
    name, params = _INT_DRAWS[op]
    kinds = {"x": ctypes.c_double, "y": ctypes.c_double, "i": ctypes.c_int64, "j": ctypes.c_int64,
             "k": ctypes.c_int64}
    values = {"x": x, "y": y, "i": i, "j": j, "k": k}
    bitgen = rng.bit_generator.ctypes.bit_generator.value
    if name == "binomial":
        fn = _distribution("random_binomial", ctypes.c_int64, [ctypes.c_double, ctypes.c_int64, ctypes.c_void_p])
        return int(fn(bitgen, x, i, ctypes.cast(ctypes.create_string_buffer(512), ctypes.c_void_p)))
    if name == "bounded_uint64":
        fn = _distribution("random_bounded_uint64", ctypes.c_uint64,
                           [ctypes.c_uint64, ctypes.c_uint64, ctypes.c_uint64, ctypes.c_bool])
        value = int(fn(bitgen, i & (2**64 - 1), j & (2**64 - 1), 0, False))
        return value - 2**64 if value >= 2**63 else value
    fn = _distribution("random_" + name, ctypes.c_int64, [kinds[p] for p in params])
    return int(fn(bitgen, *(values[p] for p in params)))


def generator_fill(rng, op, out, off, span):
    """Fills the 1-D array out with NumPy's fill function number op (numpy_generator.py's
    _FILLS): floats, or the integers off + [0, span]."""
    import ctypes
    from .numpy_generator import _FILLS
    bitgen = rng.bit_generator.ctypes.bit_generator.value
    pointer = out.ctypes.data_as(ctypes.c_void_p)
    if _FILLS[op] == "bounded_uint64":
        fn = _distribution("random_bounded_uint64_fill", None, [ctypes.c_uint64, ctypes.c_uint64, ctypes.c_int64,
                                                                ctypes.c_bool, ctypes.c_void_p])
        fn(bitgen, off & (2**64 - 1), span & (2**64 - 1), out.shape[0], False, pointer)
    else:
        fn = _distribution(f"random_{_FILLS[op]}_fill", None, [ctypes.c_int64, ctypes.c_void_p])
        fn(bitgen, out.shape[0], pointer)


NAMES = ("sort_line", "argsort_line", "strided_view", "readonly_view", "tuple_set", "random_seed", "random_double",
         "random_gauss", "random_bounded", "generator_double", "generator_int", "generator_fill")
