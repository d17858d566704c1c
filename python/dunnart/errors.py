"""The exceptions dunnart raises for code it cannot compile."""


class DunnartError(Exception):
    """Base class of dunnart's compile-time errors."""


class TypingError(DunnartError):
    """The function is Python dunnart supports, but its types do not work out.

    The message names the file, line, source text and the types involved."""


class UnsupportedError(TypingError):
    """The function uses a Python construct or library function dunnart does not compile."""


class InternalError(DunnartError):
    """A bug in dunnart: please report it with the function that triggered it."""


class ObjectModeWarning(UserWarning):
    """@jit could not compile a function in nopython mode and runs it in the interpreter."""


class ParallelWarning(UserWarning):
    """A prange loop of a parallel=True function writes memory that its threads may race
    for (numba.NumbaParallelSafetyWarning, which Numba rarely gives)."""


class CacheWarning(UserWarning):
    """The disk cache (cache=True) could not be used as asked: an unwritable directory, a
    corrupt entry. The function is compiled instead; results are never affected."""
