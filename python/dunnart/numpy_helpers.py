"""NumPy functions that compiled code calls as jitted functions written here in Python with
the array operations dunnart compiles natively (library.py: `np.outer(a, b)` becomes a
call of `outer`; library.NAMES lists them). Results, dtypes and errors are NumPy 2's for the forms each supports."""
import numpy as np

from . import intrinsics as I
from . import njit
from .intrinsics import argsort_line, sort_line
from .numpy_shapes import _axis, _axis_mask, broadcast_to, expand_dims, line, line_count, lines_last, moveaxis


@njit
def outer(a, b):
    return np.ravel(a).reshape(-1, 1) * np.ravel(b).reshape(1, -1)


@njit
def vdot(a, b):
    return np.dot(np.ravel(a), np.ravel(b))


@njit
def inner(a, b):
    """np.inner: sums of products over the last axes (a @ b.T of the flattened leading axes)."""
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        return a * b
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    n = a.shape[a.ndim - 1]
    if b.shape[b.ndim - 1] != n:
        raise ValueError("shapes not aligned: np.inner needs the last axes of equal length")
    if a.ndim == 1 and b.ndim == 1:
        return (a * b).sum()
    t = (a.ravel()[:1] * b.ravel()[:1]).dtype
    rows = _product(a.reshape(-1, n).astype(t), b.reshape(-1, n).astype(t).T)
    return rows.reshape(a.shape[:a.ndim - 1] + b.shape[:b.ndim - 1])


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
def _same_shape(a, b):
    if a.ndim != b.ndim:
        return False
    for k in range(a.ndim):
        if a.shape[k] != b.shape[k]:
            return False
    return True


@njit
def array_equal(a1, a2):
    return _same_shape(a1, a2) and bool(np.all(a1 == a2))


@njit
def count_nonzero(a):
    return int(np.sum(a != 0))


@njit
def ptp(a):
    return np.max(a) - np.min(a)


@njit
def diff(a, n=1):
    if a.ndim != 1:
        raise ValueError("np.diff is supported for 1-D arrays only")
    if n < 0:
        raise ValueError("order must be non-negative but got " + str(n))
    out = a
    for _ in range(n):
        out = out[1:] - out[:-1]
    return out.copy() if n == 0 else out


@njit
def ediff1d(ary):
    a = np.ravel(ary)
    return a[1:] - a[:-1]


@njit
def cross(a, b):
    if a.ndim != 1 or b.ndim != 1 or a.shape[0] != 3 or b.shape[0] != 3:
        raise ValueError("np.cross is supported for two vectors of 3 elements only")
    out = np.empty(3, dtype=(a[:1] * b[:1]).dtype)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


@njit
def diag(v, k=0):
    if v.ndim == 1:
        n = v.shape[0] + abs(k)
        out = np.zeros((n, n), v.dtype)
        for i in range(v.shape[0]):
            if k >= 0:
                out[i, i + k] = v[i]
            else:
                out[i - k, i] = v[i]
        return out
    if v.ndim != 2:
        raise ValueError("Input must be 1- or 2-d.")
    rows, cols = v.shape
    n = max(0, min(rows, cols - k) if k >= 0 else min(rows + k, cols))
    d = np.empty(n, v.dtype)
    for i in range(n):
        d[i] = v[i, i + k] if k >= 0 else v[i - k, i]
    return d


@njit
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    # (np.finfo: the largest finite float of the dtype)
    big = 3.4028234663852886e38 if x.dtype == np.float32 else 1.7976931348623157e308
    high = big if posinf is None else posinf
    low = -big if neginf is None else neginf
    out = np.where(np.isnan(x), nan, x)
    out = np.where(out == np.inf, high, out)
    return np.where(out == -np.inf, low, out).astype(x.dtype)


@njit
def nansum(a):
    return np.sum(np.where(np.isnan(a), 0, a))


@njit
def nanprod(a):
    return np.prod(np.where(np.isnan(a), 1, a))


@njit
def nanmean(a):
    keep = ~np.isnan(a)
    total = np.sum(np.where(keep, a, 0))
    count = np.sum(keep)
    return total * np.nan if count == 0 else total / count  # all NaN: NaN, as NumPy


@njit
def nanmax(a):
    keep = ~np.isnan(a)
    if not np.any(keep):
        return np.nan
    return np.max(np.where(keep, a, -np.inf))


@njit
def nanmin(a):
    keep = ~np.isnan(a)
    if not np.any(keep):
        return np.nan
    return np.min(np.where(keep, a, np.inf))


@njit
def average(a, weights=None):
    if weights is None:
        return np.mean(a)
    if not _same_shape(a, weights):
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    total = np.sum(weights)
    if total == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return np.sum(a * weights) / total


@njit
def _insertion_point(a, x, right):
    lo, hi = 0, a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x or (right and a[mid] == x):
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit
def searchsorted(a, v, side="left"):
    """Binary search of v (a scalar, or each value of an array) in the sorted 1-D a."""
    right = side == "right"
    if np.asarray(v).ndim == 0:
        return np.int64(_insertion_point(a, v, right))
    values = np.ravel(v)
    out = np.empty(values.shape[0], np.int64)
    for k in range(values.shape[0]):
        out[k] = _insertion_point(a, values[k], right)
    return out.reshape(v.shape)


@njit
def bincount(x, minlength=0):
    if x.ndim != 1:
        raise ValueError("object too deep for desired array")
    n = minlength
    for k in range(x.shape[0]):
        if x[k] < 0:
            raise ValueError("'list' argument must have no negative elements")
        n = max(n, x[k] + 1)
    out = np.zeros(n, np.int64)
    for k in range(x.shape[0]):
        out[x[k]] += 1
    return out


@njit
def interp(x, xp, fp):
    """Linear interpolation of x in the increasing xp, fp's first and last values outside."""
    xs = np.ravel(np.asarray(x) * 1.0)
    out = np.empty(xs.shape[0])
    n = xp.shape[0]
    for k in range(xs.shape[0]):
        t = xs[k]
        if t <= xp[0]:
            out[k] = fp[0]
        elif t >= xp[n - 1]:
            out[k] = fp[n - 1]
        else:
            lo, hi = 0, n - 1
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if xp[mid] <= t:
                    lo = mid
                else:
                    hi = mid
            slope = (fp[hi] - fp[lo]) / (xp[hi] - xp[lo])
            out[k] = fp[lo] + slope * (t - xp[lo])
    return out


@njit
def convolve(a, v):
    """The full discrete linear convolution of two 1-D arrays."""
    n, m = a.shape[0], v.shape[0]
    if n == 0 or m == 0:
        raise ValueError("v cannot be empty" if m == 0 else "a cannot be empty")
    out = np.zeros(n + m - 1, dtype=(a[:1] * v[:1]).dtype)
    for i in range(n):
        for j in range(m):
            out[i + j] += a[i] * v[j]
    return out


@njit
def roll(a, shift):
    flat = np.ravel(a)
    n = flat.shape[0]
    out = np.empty_like(flat)
    if n == 0:
        return out.reshape(a.shape)
    s = shift % n
    out[s:] = flat[:n - s]
    out[:s] = flat[n - s:]
    return out.reshape(a.shape)


@njit
def norm(x, ord=None, axis=None, keepdims=False):
    """np.linalg.norm: vector norms (ord None/2, inf, -inf, 0, 1, any p) along an axis or of
    a 1-D array; matrix norms (None/"fro", "nuc", inf, -inf, 1, -1, 2, -2) of a 2-D array or
    over two axes of one; the 2-norm of all elements without ord and axis."""
    if axis is None:
        if ord is None:
            return _two_norm(x, None)
        if x.ndim == 1:
            return _vector_norm(x, ord, 0)
        if x.ndim == 2:
            return _matrix_norm(x, ord, 0, 1)
        raise ValueError("Improper number of dimensions to norm.")
    if isinstance(axis, tuple):
        if len(axis) == 1:
            return _vector_norm(x, ord, axis[0])
        if len(axis) == 2:
            r, c = _axis(axis[0], x.ndim), _axis(axis[1], x.ndim)
            if r == c:
                raise ValueError("Duplicate axes given.")
            if x.ndim != 2:
                raise ValueError("np.linalg.norm over two axes is supported for 2-D arrays in compiled code")
            return _matrix_norm(x, ord, r, c)
        raise ValueError("Improper number of dimensions to norm.")
    return _vector_norm(x, ord, axis)


@njit
def _magnitudes(x):
    """|x| in x's float type (float64 for ints and bools, as NumPy's norm converts)."""
    if x.dtype == np.complex128 or x.dtype == np.complex64 or x.dtype == np.float32 or x.dtype == np.float64:
        return np.abs(x)
    return np.abs(x * 1.0)


@njit
def _two_norm(x, axis):
    m = _magnitudes(x)
    return np.sqrt(np.sum(m * m, axis=axis))


@njit
def _vector_norm(x, ord, axis):
    if isinstance(ord, str):
        raise ValueError("Invalid norm order '" + ord + "' for vectors")
    if ord is None:
        return _two_norm(x, axis)
    m = _magnitudes(x)
    if ord == np.inf:
        return np.max(m, axis=axis)
    if ord == -np.inf:
        return np.min(m, axis=axis)
    if ord == 0:
        return np.sum((m != 0).astype(m.dtype), axis=axis)
    if ord == 1:
        return np.sum(m, axis=axis)
    if ord == 2:
        return np.sqrt(np.sum(m * m, axis=axis))
    return np.sum(m ** ord, axis=axis) ** (1.0 / ord)


@njit
def _matrix_norm(x, ord, r, c):
    """A matrix norm of the 2-D x, rows along axis r and columns along axis c."""
    if ord is None:
        return _two_norm(x, None)
    if isinstance(ord, str):
        if ord == "fro":
            return _two_norm(x, None)
        if ord == "nuc":
            return np.sum(np.linalg.svdvals(x * 1.0))
        raise ValueError("Invalid norm order for matrices.")
    m = _magnitudes(x)
    if ord == 1:
        return np.max(np.sum(m, axis=r))
    if ord == -1:
        return np.min(np.sum(m, axis=r))
    if ord == np.inf:
        return np.max(np.sum(m, axis=c))
    if ord == -np.inf:
        return np.min(np.sum(m, axis=c))
    if ord == 2:
        return np.max(np.linalg.svdvals(x * 1.0))
    if ord == -2:
        return np.min(np.linalg.svdvals(x * 1.0))
    raise ValueError("Invalid norm order for matrices.")


@njit
def matrix_power(a, n):
    if a.ndim != 2:
        raise ValueError("np.linalg.matrix_power is supported for 2-D arrays only")
    if a.shape[0] != a.shape[1]:
        np.linalg.det(a)  # raises NumPy's LinAlgError: the matrix is not square
    if n < 0:
        if a.dtype == np.float64 or a.dtype == np.float32:
            return matrix_power(np.linalg.inv(a), -n)
        raise TypeError("a negative power of an integer matrix is a float matrix: convert it with .astype(np.float64)")
    result = np.eye(a.shape[0], dtype=a.dtype)
    base = a.copy()
    while n > 0:
        if n & 1:
            result = _product(result, base)
        base = _product(base, base)
        n >>= 1
    return result


@njit
def _product(a, b):
    """a @ b: BLAS for floats, loops for the integers and bools @ does not take yet."""
    if a.dtype == np.float64 or a.dtype == np.float32:
        return a @ b
    out = np.zeros((a.shape[0], b.shape[1]), a.dtype)
    for i in range(a.shape[0]):
        for k in range(a.shape[1]):
            out[i] += a[i, k] * b[k]
    return out


@njit
def sort(a, axis=-1, kind=None, order=None):
    """np.sort along any axis (None: of the flattened array): a sorted copy, NaNs last."""
    if axis is None:
        out = np.ravel(a).copy()
        _sort_lines(out, 0, kind)
        return out
    out = a.copy()
    _sort_lines(out, axis, kind)
    return out


@njit
def _sort_lines(a, axis, kind):
    """Sorts every line of `a` along `axis` in place (kind "stable"/"mergesort": stable)."""
    stable = kind == "stable" or kind == "mergesort"
    if a.ndim == 1:
        _axis(axis, 1)
        sort_line(a, stable)
        return
    v = moveaxis(a, axis, -1)
    for k in range(line_count(v)):
        sort_line(line(v, k), stable)


@njit
def argsort(a, axis=-1, kind=None, order=None):
    """np.argsort along any axis (None: of the flattened array): int64 indices."""
    if axis is None:
        return argsort_line(np.ravel(a), kind == "stable" or kind == "mergesort")
    stable = kind == "stable" or kind == "mergesort"
    if a.ndim == 1:
        _axis(axis, 1)
        return argsort_line(a, stable)
    out = np.empty(a.shape, np.int64)
    v, w = moveaxis(a, axis, -1), moveaxis(out, axis, -1)
    for k in range(line_count(v)):
        line(w, k)[:] = argsort_line(line(v, k), stable)
    return out


@njit
def array_sort(a, axis=-1, kind=None, order=None, reverse=False):
    """a.sort(): a sorted in place along axis; a list's own sort for a list (the frontend
    routes every .sort() here: it does not know the receiver's type)."""
    if isinstance(a, list):
        a.sort(reverse=reverse)
    else:
        _sort_lines(a, axis, kind)


@njit
def array_argsort(a, axis=-1, kind=None, order=None):
    return argsort(a, axis, kind)


@njit
def _median_all(a):
    """The median of all of a's elements (NaN when one is NaN, as NumPy)."""
    s = sort(np.ravel(a))
    n = s.shape[0]
    if n == 0:
        return np.nan
    if np.isnan(s[n - 1] * 1.0):
        return np.nan
    if n % 2 == 1:
        return s[n // 2] * 1.0
    return (s[n // 2 - 1] + s[n // 2]) / 2.0


@njit
def median(a, axis=None):
    """np.median of every element, or along the axes `axis` names (an int or a tuple)."""
    if axis is None:
        return _median_all(a)
    x = lines_last(a, axis)
    if x.ndim == 1:
        return _median_all(x)
    out = _median_out(x)
    flat = out.reshape(-1)
    for k in range(line_count(x)):
        flat[k] = _median_all(line(x, k))
    return out


@njit
def _median_out(x):
    """The result of a median of every line of x (its last axis): x's float type."""
    return np.empty(x.shape[:x.ndim - 1], (x.ravel()[:1] * 1.0).dtype)


@njit
def digitize(x, bins, right=False):
    """The bin of each x in increasing bins (np.digitize's convention: side="right" unless right)."""
    return searchsorted(bins, x, side="left" if right else "right")


@njit
def tri(N, M=-1, k=0):
    m = N if M < 0 else M
    out = np.zeros((N, m))
    for i in range(N):
        out[i, :max(0, min(i + k + 1, m))] = 1.0
    return out


@njit
def fill_diagonal(a, val):
    for i in range(min(a.shape[0], a.shape[1])):
        a[i, i] = val


@njit
def reciprocal(x):
    """1/x: of floats and complexes (inf for 0, as NumPy's); of integers the truncated
    quotient: 1 and -1 stay, others give 0 (and 0 gives 0: NumPy's is C's undefined 1/0)."""
    if isinstance(x, np.ndarray):
        if x.dtype == np.float64 or x.dtype == np.float32 or x.dtype == np.complex128 or x.dtype == np.complex64:
            return np.divide(1, x)
    elif isinstance(x, (float, complex)):
        return np.divide(1, x)
    return np.where(np.abs(x) == 1, x, 0)


@njit
def heaviside(x1, x2):
    """0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0, NaN where x1 is NaN (floats out)."""
    x = x1 * 1.0
    return np.where(x < 0, 0.0, np.where(x > 0, 1.0, np.where(x == 0, x2 * 1.0, x)))


@njit
def ldexp(x1, x2):
    """x1 * 2**x2, exactly while the result is a normal float (float32 stays float32)."""
    out = x1 * np.power(2.0, x2)
    if isinstance(x1, np.ndarray):
        if x1.dtype == np.float32:
            return out.astype(np.float32)
    return out


@njit
def _frexp_one(x):
    """(m, e) with x == m * 2**e and 0.5 <= |m| < 1 (0, inf and NaN: (x, 0)), in float64."""
    if x == 0.0 or not np.isfinite(x):
        return x, 0
    e = int(np.floor(np.log2(abs(x)))) + 1
    half = e // 2  # two powers of two (exact), each in range for the largest and smallest x
    m = x / np.power(2.0, half) / np.power(2.0, e - half)
    if abs(m) >= 1.0:  # log2 rounded up just below a power of two
        m, e = m / 2.0, e + 1
    elif abs(m) < 0.5:
        m, e = m * 2.0, e - 1
    return m, e


@njit
def frexp(x):
    """np.frexp: the mantissas (x's float type) and int32 exponents of x."""
    if not isinstance(x, np.ndarray):
        m, e = _frexp_one(x * 1.0)
        return m, np.int32(e)
    xs = x * 1.0 if x.dtype != np.float32 else x
    mant = np.empty(x.shape, xs.dtype)
    expo = np.empty(x.shape, np.int32)
    flat_x, flat_m, flat_e = np.ravel(xs), mant.reshape(-1), expo.reshape(-1)
    for k in range(flat_x.shape[0]):
        m, e = _frexp_one(flat_x[k] * 1.0)
        flat_m[k] = m
        flat_e[k] = e
    return mant, expo


@njit
def modf(x):
    """np.modf: the fractional and integral parts of x, with x's sign (of x's float type)."""
    xf = _floating(x)
    i = np.trunc(xf)
    return np.copysign(np.where(np.isinf(xf), 0.0, xf - i), xf), i


@njit
def _floating(x):
    """x in its float type (float64 for ints and bools, as NumPy's float ufuncs compute)."""
    if isinstance(x, np.ndarray):
        if x.dtype == np.float32 or x.dtype == np.float64:
            return x
    return x * 1.0


@njit
def _eps(a):
    """The machine epsilon of a's float type (float32 for float32, else float64's)."""
    if a.dtype == np.float32:
        return 1.1920928955078125e-07
    return 2.220446049250313e-16


@njit
def pinv(a, rcond=1e-15):
    """The pseudo-inverse from the reduced SVD, singular values at most rcond * max(s) dropped."""
    u, s, vh = np.linalg.svd(a, False)
    cutoff = rcond * (np.max(s) if s.shape[0] > 0 else 0.0)
    inv = np.zeros_like(s)
    for k in range(s.shape[0]):
        if s[k] > cutoff:
            inv[k] = 1 / s[k]
    return np.dot(vh.T * inv.reshape(1, -1), u.T)


@njit
def matrix_rank(A, tol=None):
    if A.ndim < 2:
        return 0 if np.all(A == 0) else 1
    s = np.linalg.svdvals(A)
    if s.shape[0] == 0:
        return 0
    limit = np.max(s) * max(A.shape[0], A.shape[1]) * _eps(s) if tol is None else tol
    return count_nonzero(s > limit)


@njit
def cond(x, p=None):
    """The 2-norm condition number (p None or 2; -2: its reciprocal), from the singular values."""
    if p is not None and p != 2 and p != -2:
        raise ValueError("np.linalg.cond is supported for p None, 2 and -2")
    s = np.linalg.svdvals(x)
    if p == -2:
        return s[s.shape[0] - 1] / s[0]
    return s[0] / s[s.shape[0] - 1] if s[s.shape[0] - 1] != 0 else np.inf


@njit
def lstsq(a, b, rcond=None):
    """(x, residuals, rank, s): the least-squares solution of a @ x = b through the SVD (NumPy's
    gelsd solves the same problem: its digits agree to rounding)."""
    m, n = a.shape
    if b.shape[0] != m:
        raise ValueError("Incompatible dimensions")  # NumPy raises its LinAlgError, a ValueError
    u, s, vh = np.linalg.svd(a, False)
    limit = (_eps(s) * max(m, n) if rcond is None else rcond) * (np.max(s) if s.shape[0] > 0 else 0.0)
    inv = np.zeros_like(s)
    rank = 0
    for k in range(s.shape[0]):
        if s[k] > limit:
            inv[k] = 1 / s[k]
            rank += 1
    if b.ndim == 1:
        x = np.dot(vh.T, inv * np.dot(u.T, b))
        r = b - np.dot(a, x)
        residuals = np.full(1 if rank == n and m > n else 0, np.sum(r * r), x.dtype)
        return x, residuals, np.int32(rank), s  # LAPACK's int, as NumPy gives it
    x2 = np.dot(vh.T, inv.reshape(-1, 1) * np.dot(u.T, b))
    r2 = b - np.dot(a, x2)
    residuals2 = np.sum(r2 * r2, axis=0)[:b.shape[1] if rank == n and m > n else 0].copy()
    return x2, residuals2, np.int32(rank), s


def _shown_as(name):
    """The helper's errors name NumPy's function ("sum() got an unexpected keyword ...")."""
    def rename(f):
        f.__code__ = f.__code__.replace(co_name=name, co_qualname=name)
        f.__name__ = f.__qualname__ = name
        return f
    return rename


# Reductions with dtype=, initial=, where= or a tuple axis (the frontend calls these for
# such calls: library.py KEYWORD_REDUCTIONS): the reduced axes flattened into one last
# axis (lines_last), masked elements replaced by the reduction's identity, `initial` an
# extra first element of every line (so that empty lines give it), then one reduction.
@njit
def _reduced_lines(a, axis, dtype, initial, where, identity):
    x = a if dtype is None else a.astype(dtype)
    if where is not None:
        x = np.where(where, x, identity)
    r = lines_last(x, axis)
    if initial is None:
        return r
    first = np.full(r.shape[:r.ndim - 1] + (1,), initial, r.dtype)
    return np.concatenate((first, r), -1)


@njit
def _descending(x, axis):
    """The axes of a tuple of two or three, normalized and checked, largest first: a
    reduction over only these is one native reduction per axis, the last axis first, each
    in memory order."""
    mask = _axis_mask(axis, x.ndim)
    out = axis
    j = 0
    for k in range(x.ndim - 1, -1, -1):
        if mask >> k & 1:
            out = I.tuple_set(out, j, k)
            j += 1
    return out


@njit
def _axes_reduced(reduce, a, ax):
    """reduce (np.sum, np.max, np.min) over the two or three axes ax, largest first."""
    if len(ax) == 2:
        return reduce(reduce(a, axis=ax[0]), axis=ax[1])
    return reduce(reduce(reduce(a, axis=ax[0]), axis=ax[1]), axis=ax[2])


@njit
def _in_dtype(r, dtype):
    """A reduction's result in the dtype= asked for (NumPy keeps int32 sums int32 then)."""
    if dtype is None:
        return r
    if isinstance(r, np.ndarray):
        return r.astype(dtype)
    return dtype(r)


@njit
@_shown_as("sum")
def sum_kw(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    if isinstance(axis, tuple) and dtype is None and initial is None and where is None:
        if len(axis) == 2 or len(axis) == 3:
            return _axes_reduced(np.sum, a, _descending(a, axis))
    return _in_dtype(np.sum(_reduced_lines(a, axis, dtype, initial, where, 0), axis=-1), dtype)


@njit
@_shown_as("prod")
def prod_kw(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    return _in_dtype(np.prod(_reduced_lines(a, axis, dtype, initial, where, 1), axis=-1), dtype)


@njit
def _extreme_lines(a, axis, initial, where):
    if initial is None:
        return _reduced_lines(a, axis, None, None, None, 0)
    return _reduced_lines(a, axis, None, initial, where, initial)


@njit
def _extreme_kw(reduce, name, a, axis, initial, where):
    """np.max / np.min (reduce, NumPy's ufunc `name` for the error) with its keywords."""
    if isinstance(axis, tuple) and initial is None and where is None:
        if len(axis) == 2 or len(axis) == 3:
            return _axes_reduced(reduce, a, _descending(a, axis))
    if initial is None and where is not None:
        raise ValueError("reduction operation '" + name + "' does not have an identity, so to use a where mask one "
                         "has to specify 'initial'")
    return reduce(_extreme_lines(a, axis, initial, where), axis=-1)


@njit
@_shown_as("max")
def max_kw(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extreme_kw(np.max, "maximum", a, axis, initial, where)


@njit
@_shown_as("min")
def min_kw(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extreme_kw(np.min, "minimum", a, axis, initial, where)


@njit
@_shown_as("any")
def any_kw(a, axis=None, out=None, keepdims=False, where=None):
    return np.any(_reduced_lines(a, axis, None, None, where, False), axis=-1)


@njit
@_shown_as("all")
def all_kw(a, axis=None, out=None, keepdims=False, where=None):
    return np.all(_reduced_lines(a, axis, None, None, where, True), axis=-1)


@njit
def _mean_lines(r, m):
    """The mean of every line of r (the last axis) over the elements where m holds, in r's
    float dtype (float64 for ints); with it the count of those elements."""
    count = np.sum(m, axis=-1)
    total = np.sum(np.where(m, r, 0), axis=-1)
    if r.dtype == np.float32 or r.dtype == np.complex64:
        t = r.dtype
        return total / _in_dtype(count, t), count
    return total / count, count


@njit
def _along_lines(mu):
    """A line reduction's result broadcast back along the lines (a scalar stays a scalar)."""
    if isinstance(mu, np.ndarray):
        return expand_dims(mu, -1)
    return mu


@njit
@_shown_as("mean")
def mean_kw(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    x = a if dtype is None else a.astype(dtype)
    if where is None:
        return np.mean(lines_last(x, axis), axis=-1)
    m = lines_last(broadcast_to(where, x.shape), axis)
    return _mean_lines(lines_last(x, axis), m)[0]


@njit
def _var_lines(a, axis, dtype, ddof, where):
    """np.var over the axes named, with ddof and where (the mean of squared deviations
    from the masked mean, times n / (n - ddof))."""
    x = a if dtype is None else a.astype(dtype)
    r = lines_last(x, axis)
    if where is None:
        n = r.shape[r.ndim - 1]
        scale = n / (n - ddof) if n - ddof > 0 else np.inf
        return np.var(r, axis=-1) * scale
    m = lines_last(broadcast_to(where, x.shape), axis)
    mu, count = _mean_lines(r, m)
    d = np.abs(r - _along_lines(mu))
    return _mean_lines(d * d, m)[0] * (count / np.maximum(count - ddof, 0))


@njit
@_shown_as("var")
def var_kw(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
    return _var_lines(a, axis, dtype, ddof, where)


@njit
@_shown_as("std")
def std_kw(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
    return np.sqrt(_var_lines(a, axis, dtype, ddof, where))


@njit
@_shown_as("cumsum")
def cumsum_kw(a, axis=None, dtype=None, out=None):
    return np.cumsum(a.astype(dtype), axis=axis)


@njit
@_shown_as("cumprod")
def cumprod_kw(a, axis=None, dtype=None, out=None):
    return np.cumprod(a.astype(dtype), axis=axis)
