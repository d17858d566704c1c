"""dunnart: a just-in-time compiler for numerical Python.

    from dunnart import njit

    @njit
    def f(a):
        s = 0.0
        for x in a:
            s += x * x
        return s

See README.md for what compiles.
"""
from . import _core, config
from .dispatcher import make_decorator
from .errors import DunnartError, InternalError, ObjectModeWarning, ParallelWarning, TypingError, UnsupportedError

__version__ = _core.version

#: @njit: compile in nopython mode; code that does not type raises TypingError.
njit = make_decorator(nopython_default=True)
#: @jit: like njit, but falls back to the interpreter (with an ObjectModeWarning).
jit = make_decorator(nopython_default=False)


def prange(*args):
    """range() for loops that parallel=True may run on several threads."""
    return range(*args)


def set_num_threads(n):
    """Sets how many threads parallel=True code runs on: 1 to config.NUMBA_NUM_THREADS
    (DUNNART_NUM_THREADS, or the cores there are). Takes effect from the next call."""
    if isinstance(n, bool) or not isinstance(n, int):
        import operator
        n = operator.index(n)  # TypeError for what is not an integer, as Numba
    _core.set_num_threads(n)


def get_num_threads():
    """How many threads parallel=True code runs on."""
    return _core.get_num_threads()


def get_thread_id():
    """The number of the calling thread in a parallel loop: 0 .. get_num_threads()-1 (0
    outside one)."""
    return _core.get_thread_id()


#: What this build of dunnart can do (for tools and benchmarks): features not yet built
#: are accepted for Numba compatibility but have no effect.
features = {"nopython": True, "parallel": True, "cache": True, "cuda": False}

__all__ = ["njit", "jit", "prange", "set_num_threads", "get_num_threads", "get_thread_id", "config", "TypingError", "UnsupportedError", "InternalError",
           "ObjectModeWarning", "ParallelWarning", "DunnartError", "features"]
