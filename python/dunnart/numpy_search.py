"""NumPy's searching, counting and order-statistics functions for compiled code (library.py
turns `np.nonzero(a)` into a call of `nonzero` here): nonzero, where(cond), argwhere,
unique, histogram, isin, percentile and quantile (and their nan forms), partition, the
nan-aware var/std/argmin/argmax, cov and corrcoef, correlate, logspace, geomspace and round
with decimals. Results, dtypes and errors are NumPy 2's for the forms each supports."""
import numpy as np

from . import njit
from .numpy_helpers import argsort, diag, sort
from .numpy_shapes import line, line_count, lines_last


@njit
def _count_true(flat):
    count = 0
    for v in flat:
        count += 1 if v else 0  # branch-free: a select, not a jump per element
    return count


@njit
def _flat_nonzero(flat):
    """The positions of the 1-D flat's nonzero elements."""
    count = _count_true(flat)
    out = np.empty(count + 1, np.int64)  # room for the write past the last one
    row = 0
    for i in range(flat.shape[0]):  # no branch to mispredict: each position is written
        out[row] = i
        row += 1 if flat[i] else 0
    return out[:count]


@njit
def argwhere(a):
    """The (count, a.ndim) int64 indices of a's nonzero elements, in C order."""
    positions = _flat_nonzero(np.ravel(a))
    out = np.empty((positions.shape[0], a.ndim), np.int64)
    for row in range(positions.shape[0]):
        rest = positions[row]
        for d in range(a.ndim - 1, -1, -1):
            out[row, d] = rest % a.shape[d]
            rest //= a.shape[d]
    return out


@njit
def nonzero(a):
    """A tuple of index arrays, one per dimension (1-D to 3-D)."""
    if a.ndim == 1:
        return (_flat_nonzero(a),)
    at = argwhere(a)
    if a.ndim == 2:
        return (at[:, 0].copy(), at[:, 1].copy())
    if a.ndim != 3:
        raise ValueError("np.nonzero is supported for 1-D to 3-D arrays")
    return (at[:, 0].copy(), at[:, 1].copy(), at[:, 2].copy())


@njit
def where(condition):
    """np.where(condition) of one argument: nonzero(condition)."""
    return nonzero(condition)


@njit
def flatnonzero(a):
    return _flat_nonzero(np.ravel(a))


@njit
def unique(ar):
    """The sorted unique values of the flattened array (NaNs as one, last)."""
    s = sort(np.ravel(ar))
    out = np.empty(s.shape[0], s.dtype)
    n = 0
    for i in range(s.shape[0]):
        v = s[i]
        if n == 0 or (v != out[n - 1] and not (v != v and out[n - 1] != out[n - 1])):
            out[n] = v
            n += 1
    return out[:n].copy()


@njit
def unique_all(ar):
    """(values, index, inverse, counts) of np.unique: the sorted unique values (NaNs as one),
    where each first occurs, each element's value's position (ar's shape), how often each
    occurs. The frontend picks the parts that return_index/return_inverse/return_counts ask."""
    flat = np.ravel(ar)
    order = argsort(flat, kind="stable")
    n = flat.shape[0]
    first = np.empty(n, np.bool_)
    for k in range(n):
        v = flat[order[k]]
        if k == 0:
            first[k] = True
        else:
            w = flat[order[k - 1]]
            first[k] = v != w and not (v != v and w != w)
    m = _count_true(first)
    values = np.empty(m, flat.dtype)
    index = np.empty(m, np.int64)
    counts = np.zeros(m, np.int64)
    inverse = np.empty(n, np.int64)
    j = -1
    for k in range(n):
        if first[k]:
            j += 1
            values[j] = flat[order[k]]
            index[j] = order[k]
        counts[j] += 1
        inverse[order[k]] = j
    if isinstance(ar, np.ndarray):
        return values, index, inverse.reshape(ar.shape), counts
    return values, index, inverse, counts


@njit
def _bin_of(edges, v):
    """The bin of v in increasing edges (the last bin closed), or -1 outside them."""
    last = edges.shape[0] - 1
    if not (v >= edges[0] and v <= edges[last]):
        return -1
    lo, hi = 0, last
    while lo < hi:  # the last edge <= v
        mid = (lo + hi + 1) // 2
        if edges[mid] <= v:
            lo = mid
        else:
            hi = mid - 1
    return min(lo, last - 1)


@njit
def _histogram_edges(a, bins, bounds):
    if not isinstance(bins, int):
        edges = np.asarray(bins)
        for k in range(1, edges.shape[0]):
            if edges[k] < edges[k - 1]:
                raise ValueError("`bins` must increase monotonically, when an array")
        return edges
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if bounds is not None:
        first, last = bounds[0] * 1.0, bounds[1] * 1.0
        if first > last:
            raise ValueError("max must be larger than min in range parameter.")
    elif a.size == 0:
        first, last = 0.0, 1.0
    else:
        first, last = np.min(a) * 1.0, np.max(a) * 1.0
    if not (np.isfinite(first) and np.isfinite(last)):
        raise ValueError("autodetected range is not finite")
    if first == last:
        first, last = first - 0.5, last + 0.5
    return np.linspace(first, last, bins + 1)


@njit
def histogram(a, bins=10, range=None, density=None, weights=None):
    """(counts, edges): int64 counts, or float sums of weights, per bin (the last bin
    includes its right edge; values outside the edges are not counted)."""
    edges = _histogram_edges(a, bins, range)
    flat = np.ravel(a)
    nbins = edges.shape[0] - 1
    if weights is None and density is None:
        counts = np.zeros(nbins, np.int64)
        if isinstance(bins, int):
            _uniform_counts(edges, flat, counts)
            return counts, edges
        for v in flat:
            b = _bin_of(edges, v)
            if b >= 0:
                counts[b] += 1
        return counts, edges
    w = np.ones(flat.shape[0]) if weights is None else np.ravel(weights) * 1.0
    if w.shape[0] != flat.shape[0]:
        raise ValueError("weights should have the same shape as a.")
    sums = _weighted_counts(edges, flat, w)
    if density:
        sums = sums / (edges[1:] - edges[:-1]) / np.sum(sums)
    return sums, edges


@njit
def _uniform_counts(edges, values, counts):
    """Counts in equal bins as NumPy computes them: the bin from the value's offset, then
    corrected by a comparison with its edges (exact at every edge)."""
    n = counts.shape[0]
    first, last = edges[0], edges[n]
    scale = n / (last - first)
    for v in values:
        x = v * 1.0
        if x >= first and x <= last:
            k = min(int((x - first) * scale), n - 1)
            if x < edges[k]:
                k -= 1
            elif k != n - 1 and x >= edges[k + 1]:
                k += 1
            counts[k] += 1


@njit
def _weighted_counts(edges, values, weights):
    sums = np.zeros(edges.shape[0] - 1)
    for i in range(values.shape[0]):
        b = _bin_of(edges, values[i])
        if b >= 0:
            sums[b] += weights[i]
    return sums


@njit
def _contains(sorted_values, v):
    if v != v:
        return False
    lo, hi = 0, sorted_values.shape[0]
    while lo < hi:  # the first element >= v
        mid = (lo + hi) >> 1
        if sorted_values[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo < sorted_values.shape[0] and sorted_values[lo] == v


@njit
def isin(element, test_elements, invert=False):
    """Whether each element is one of test_elements (an array of element's shape)."""
    s = sort(np.ravel(test_elements))
    values = np.ravel(element)
    out = np.empty(values.shape[0], np.bool_)
    for i in range(values.shape[0]):
        out[i] = _contains(s, values[i]) != invert
    if isinstance(element, np.ndarray):
        return out.reshape(element.shape)
    return out[0]


@njit
def _lerp(a, b, t):
    """NumPy's interpolation between a and b (from b's side when t >= 0.5)."""
    diff = b - a
    if t >= 0.5:
        return b - diff * (1 - t)
    return a + diff * t


@njit
def _quantile_of_sorted(s, q):
    """NumPy's 'linear' quantile q in [0, 1] of the sorted 1-D s (NaN when s has one)."""
    n = s.shape[0]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if s[n - 1] != s[n - 1]:
        return s[n - 1]
    virtual = (n - 1) * q
    below = np.floor(virtual)
    gamma = virtual - below
    i = min(max(int(below), 0), n - 1)
    j = min(max(int(below) + 1, 0), n - 1)
    if s.dtype == np.float32:  # NumPy interpolates a float32 array in float32
        return _lerp(s[i], s[j], np.float32(gamma))
    return _lerp(s[i], s[j], gamma)


@njit
def _as_float(a):
    if a.dtype == np.float32 or a.dtype == np.float64:
        return a
    return a * 1.0


@njit
def _as_float_array(a):
    x = np.ravel(a)
    if x.dtype == np.float32 or x.dtype == np.float64:
        return x
    return x * 1.0


@njit
def _quantiles(s, q):
    """q (a number or an array of them, in [0, 1]) of the sorted s, of s's float type."""
    if isinstance(q, np.ndarray):  # of the type of s and q together (float32 and float64: float64)
        t = s.astype((s[:1] * q.ravel()[:1]).dtype)
        out = np.empty(q.shape, t.dtype)
        flat, qs = out.reshape(-1), np.ravel(q)
        for k in range(qs.shape[0]):
            flat[k] = _quantile_of_sorted(t, qs[k])
        return out
    return _quantile_of_sorted(s, q)


@njit
def _check_quantiles(q, top, what):
    qs = np.ravel(np.asarray(q) * 1.0)
    for k in range(qs.shape[0]):
        if not (qs[k] >= 0.0 and qs[k] <= top):
            raise ValueError(what)


@njit
def _without_nans(x):
    keep = np.empty(x.shape[0], x.dtype)
    n = 0
    for v in x:
        if v == v:
            keep[n] = v
            n += 1
    return keep[:n].copy()


@njit
def _as_quantile(q, scale):
    if isinstance(q, (list, tuple)):
        return np.asarray(q) / scale
    return q / scale


@njit
def _quantiles_along(a, q, axis, skip_nans):
    """q (a number in [0, 1]) of every line of a along the axes `axis` names (an int or a
    tuple), NaNs left out when skip_nans: an array of the other axes (a number for 1-D)."""
    if isinstance(q, np.ndarray):
        raise ValueError("quantiles along an axis take one q in compiled code (call once per q)")
    x = lines_last(_as_float(a), axis)
    if x.ndim == 1:
        s = sort(x)
        return _quantile_of_sorted(_without_nans(s) if skip_nans else s, q)
    out = np.empty(x.shape[:x.ndim - 1], x.dtype)
    flat = out.reshape(-1)
    for k in range(line_count(x)):
        s = sort(line(x, k))
        if skip_nans:
            s = _without_nans(s)
        if s.shape[0] == 0:
            flat[k] = np.nan
        else:
            flat[k] = _quantile_of_sorted(s, q)
    return out


@njit
def _quantile(a, q, axis, top, what, skip_nans):
    _check_quantiles(q, top, what)
    if axis is None:
        s = sort(_as_float_array(a))
        return _quantiles(_without_nans(s) if skip_nans else s, _as_quantile(q, top))
    return _quantiles_along(a, _as_quantile(q, top), axis, skip_nans)


@njit
def quantile(a, q, axis=None):
    return _quantile(a, q, axis, 1.0, "Quantiles must be in the range [0, 1]", False)


@njit
def percentile(a, q, axis=None):
    return _quantile(a, q, axis, 100.0, "Percentiles must be in the range [0, 100]", False)


@njit
def nanquantile(a, q, axis=None):
    return _quantile(a, q, axis, 1.0, "Quantiles must be in the range [0, 1]", True)


@njit
def nanpercentile(a, q, axis=None):
    return _quantile(a, q, axis, 100.0, "Percentiles must be in the range [0, 100]", True)


@njit
def nanmedian(a, axis=None):
    if axis is not None:
        return _quantiles_along(a, 0.5, axis, True)
    s = sort(_without_nans(_as_float_array(a)))
    n = s.shape[0]
    if n == 0:
        return np.nan
    if n % 2 == 1:
        return s[n // 2] * 1.0
    return (s[n // 2 - 1] + s[n // 2]) / 2.0


@njit
def partition(a, kth):
    """A copy with the kth element in its sorted place, smaller ones before it and larger
    after (sorted, one of the orders NumPy's partition may give)."""
    if a.ndim != 1:
        raise ValueError("np.partition is supported for 1-D arrays")
    if kth < -a.shape[0] or kth >= a.shape[0]:
        raise ValueError("kth out of bounds")
    return sort(a)


@njit
def argpartition(a, kth):
    if a.ndim != 1:
        raise ValueError("np.argpartition is supported for 1-D arrays")
    if kth < -a.shape[0] or kth >= a.shape[0]:
        raise ValueError("kth out of bounds")
    return argsort(a, kind="stable")


@njit
def nanvar(a, ddof=0):
    x = _without_nans(_as_float_array(a))
    n = x.shape[0]
    if n - ddof <= 0:
        return np.nan
    d = x - np.sum(x) / n
    return np.sum(d * d) / (n - ddof)


@njit
def nanstd(a, ddof=0):
    return np.sqrt(nanvar(a, ddof))


@njit
def _nan_extreme(a, largest):
    x = np.ravel(a)
    best = -1
    for i in range(x.shape[0]):
        v = x[i]
        if v == v and (best < 0 or (v > x[best] if largest else v < x[best])):
            best = i
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


@njit
def nanargmin(a):
    return _nan_extreme(a, False)


@njit
def nanargmax(a):
    return _nan_extreme(a, True)


@njit
def cov(m, y=None, rowvar=True, bias=False, ddof=None):
    """The covariance matrix of m's rows (its columns when not rowvar), and y's after them."""
    if y is None:
        if m.ndim != 2:
            raise ValueError("np.cov of one 1-D array (NumPy's 0-d result) is not supported: pass m[None, :]")
        x = m * 1.0 if rowvar else m.T * 1.0
    else:
        xm = m.reshape(1, -1) if m.ndim == 1 else (m if rowvar else m.T)
        ym = y.reshape(1, -1) if y.ndim == 1 else (y if rowvar else y.T)
        x = np.concatenate((xm * 1.0, ym * 1.0), 0)
    n = x.shape[1]
    if ddof is None:
        fact = n - (0 if bias else 1)
    else:
        fact = n - ddof
    centered = x - (np.sum(x, axis=1) / n).reshape(-1, 1)
    return np.dot(centered, centered.T) / max(fact, 0)


@njit
def corrcoef(x, y=None, rowvar=True):
    c = cov(x, y, rowvar)
    d = np.sqrt(diag(c))
    c = c / d.reshape(-1, 1) / d.reshape(1, -1)
    return np.minimum(np.maximum(c, -1.0), 1.0)


@njit
def correlate(a, v, mode="valid"):
    """The cross-correlation of two 1-D sequences: out[k] = sum(a[n + k] * v[n])."""
    if mode != "valid" and mode != "same" and mode != "full":
        raise ValueError("mode must be one of 'valid', 'same' or 'full'")
    na, nv = a.shape[0], v.shape[0]
    if na == 0 or nv == 0:
        raise ValueError("v cannot be empty" if nv == 0 else "a cannot be empty")
    full = np.zeros(na + nv - 1, (a[:1] * v[:1]).dtype)
    for k in range(na + nv - 1):  # shift k - (nv - 1) of v along a
        shift = k - (nv - 1)
        total = full[k]
        for n in range(max(0, -shift), min(nv, na - shift)):
            total += a[n + shift] * v[n]
        full[k] = total
    if mode == "full":
        return full
    if mode == "same":
        size = max(na, nv)
        start = (na + nv - 1 - size) // 2
        return full[start:start + size].copy()
    start = min(na, nv) - 1
    return full[start:start + max(na, nv) - min(na, nv) + 1].copy()


@njit
def logspace(start, stop, num=50, endpoint=True, base=10.0):
    return np.power(base, np.linspace(start, stop, num, endpoint))


@njit
def geomspace(start, stop, num=50, endpoint=True):
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    sign = 1.0
    if start < 0 and stop < 0:
        sign, start, stop = -1.0, -start, -stop
    elif start < 0 or stop < 0:
        raise ValueError("np.geomspace of a negative and a positive end is complex: not supported")
    out = logspace(np.log10(start * 1.0), np.log10(stop * 1.0), num, endpoint)
    if num > 0:
        out[0] = start
        if endpoint and num > 1:
            out[num - 1] = stop
    return sign * out


@njit
def _round_value(x, decimals):
    if decimals >= 0:
        scale = 10.0 ** decimals
        return np.rint(x * scale) / scale
    scale = 10.0 ** -decimals
    return np.rint(x / scale) * scale


@njit
def round(a, decimals=0):
    """np.round/np.around with decimals (halves to even, as NumPy: scaled, rint, unscaled)."""
    if isinstance(a, np.ndarray) and (a.dtype == np.float32 or a.dtype == np.float64):
        return _round_value(a, decimals).astype(a.dtype)
    if isinstance(a, float):
        return _round_value(a, decimals)
    if decimals >= 0:
        return a * 1 if isinstance(a, np.ndarray) else a
    if isinstance(a, np.ndarray):
        return _round_value(a * 1.0, decimals).astype(a.dtype)
    return int(_round_value(a * 1.0, decimals))


@njit
def around(a, decimals=0):
    return round(a, decimals)
