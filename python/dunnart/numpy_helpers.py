"""NumPy functions that compiled code calls as jitted functions written here in Python with
the array operations dunnart compiles natively (library.py: `np.outer(a, b)` becomes a
call of `outer`; library.NAMES lists them). Results, dtypes and errors are NumPy 2's for the forms each supports."""
import numpy as np

from . import njit


@njit
def outer(a, b):
    return np.ravel(a).reshape(-1, 1) * np.ravel(b).reshape(1, -1)


@njit
def vdot(a, b):
    return np.dot(np.ravel(a), np.ravel(b))


@njit
def inner(a, b):
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError("np.inner is supported for 1-D arrays only")
    if a.shape[0] != b.shape[0]:
        raise ValueError("shapes not aligned: inner needs equal lengths")
    return (a * b).sum()


@njit
def trace(a):
    if a.ndim != 2:
        raise ValueError("np.trace is supported for 2-D arrays only")
    d = np.empty(min(a.shape[0], a.shape[1]), a.dtype)
    for i in range(d.shape[0]):
        d[i] = a[i, i]
    return np.sum(d)


@njit
def kron(a, b):
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError("np.kron is supported for 2-D arrays only")
    p, q = a.shape
    r, s = b.shape
    out = np.empty((p * r, q * s), dtype=(a[:1, :1] * b[:1, :1]).dtype)
    for i in range(p):
        for j in range(q):
            out[i * r:(i + 1) * r, j * s:(j + 1) * s] = a[i, j] * b
    return out


@njit
def triu(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        out[i, :max(0, min(i + k, m.shape[1]))] = 0
    return out


@njit
def tril(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        out[i, max(0, i + k + 1):] = 0
    return out


@njit
def fliplr(m):
    return m[:, ::-1]


@njit
def flipud(m):
    return m[::-1]


@njit
def logical_and(x, y):
    return (x != 0) & (y != 0)


@njit
def logical_or(x, y):
    return (x != 0) | (y != 0)


@njit
def logical_xor(x, y):
    return (x != 0) ^ (y != 0)


@njit
def logical_not(x):
    return x == 0


@njit
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    finite = np.isfinite(a) & np.isfinite(b)
    # Infinities are close only to themselves (their difference is nan or inf), as NumPy.
    r = (finite & (np.abs(a - b) <= atol + rtol * np.abs(b))) | (~finite & (a == b))
    if equal_nan:
        r = r | (np.isnan(a) & np.isnan(b))
    return r


@njit
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(isclose(a, b, rtol, atol, equal_nan)))


@njit
def array_equal(a1, a2):
    if a1.ndim != a2.ndim:
        return False
    for k in range(a1.ndim):
        if a1.shape[k] != a2.shape[k]:
            return False
    return bool(np.all(a1 == a2))


@njit
def count_nonzero(a):
    return int(np.sum(a != 0))


@njit
def ptp(a):
    return np.max(a) - np.min(a)
