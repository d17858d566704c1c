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
from . import _core
from .dispatcher import make_decorator
from .errors import DunnartError, InternalError, ObjectModeWarning, TypingError, UnsupportedError

__version__ = _core.version

#: @njit: compile in nopython mode; code that does not type raises TypingError.
njit = make_decorator(nopython_default=True)
#: @jit: like njit, but falls back to the interpreter (with an ObjectModeWarning).
jit = make_decorator(nopython_default=False)


def prange(*args):
    """range() for loops that parallel=True may run on several threads."""
    return range(*args)


#: What this build of dunnart can do (for tools and benchmarks): features not yet built
#: are accepted for Numba compatibility but have no effect.
features = {"nopython": True, "parallel": False, "cache": True, "cuda": False}

__all__ = ["njit", "jit", "prange", "TypingError", "UnsupportedError", "InternalError",
           "ObjectModeWarning", "DunnartError", "features"]
