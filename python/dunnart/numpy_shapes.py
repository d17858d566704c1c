"""NumPy's functions that join, split, repeat, flip and reshape arrays, for compiled code
(library.py turns `np.hstack(t)` into a call of `hstack` here), written with the array
operations dunnart compiles natively: concatenate, stack, slices (views where NumPy's are
views), reshape. Results, dtypes and errors are NumPy 2's for the forms each supports."""
import numpy as np

from . import njit


@njit
def _axis(axis, ndim):
    """axis in [-ndim, ndim) as a non-negative axis; NumPy's AxisError (a ValueError) else."""
    if axis < -ndim or axis >= ndim:
        raise ValueError("axis is out of bounds for the array's dimension")
    return axis + ndim if axis < 0 else axis


@njit
def hstack(tup):
    if tup[0].ndim == 1:
        return np.concatenate(tup, 0)
    return np.concatenate(tup, 1)


@njit
def vstack(tup):
    if tup[0].ndim == 1:
        return np.stack(tup, 0)  # rows of equal length, as vstack's (1, n) views would be
    return np.concatenate(tup, 0)


@njit
def row_stack(tup):
    return vstack(tup)


@njit
def column_stack(tup):
    if tup[0].ndim == 1:
        return np.stack(tup, 1)
    return np.concatenate(tup, 1)


@njit
def dstack(tup):
    if tup[0].ndim == 1:
        joined = np.stack(tup, 1)
        return joined.reshape(1, joined.shape[0], joined.shape[1])
    if tup[0].ndim == 2:
        return np.stack(tup, 2)
    return np.concatenate(tup, 2)


@njit
def _part(a, axis, start, stop):
    if a.ndim == 1 or axis == 0:
        return a[start:stop]
    return a[:, start:stop]


@njit
def _split_at(a, bounds, axis):
    """The views of a between consecutive bounds along axis (0, or 1 of a 2-D array)."""
    parts = [_part(a, axis, bounds[0], bounds[1])]
    for k in range(1, bounds.shape[0] - 1):
        parts.append(_part(a, axis, bounds[k], bounds[k + 1]))
    return parts


@njit
def _bounds(n, indices_or_sections, equal):
    """The split points of a length-n axis: sections (an int) or indices (an array, list or tuple)."""
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if equal and n % sections != 0:
            raise ValueError("array split does not result in an equal division")
        size, extra = n // sections, n % sections
        bounds = np.empty(sections + 1, np.int64)
        bounds[0] = 0
        for k in range(sections):
            bounds[k + 1] = bounds[k] + size + (1 if k < extra else 0)
        return bounds
    indices = np.asarray(indices_or_sections)
    bounds = np.empty(indices.shape[0] + 2, np.int64)  # slices take them as Python's do
    bounds[0] = 0
    bounds[1:indices.shape[0] + 1] = indices
    bounds[indices.shape[0] + 1] = n
    return bounds


@njit
def split(ary, indices_or_sections, axis=0):
    if ary.ndim > 2 or (ary.ndim == 1 and axis != 0 and axis != -1):
        raise ValueError("np.split is supported along axis 0, and along axis 1 of a 2-D array")
    k = _axis(axis, ary.ndim)
    return _split_at(ary, _bounds(ary.shape[k], indices_or_sections, True), k)


@njit
def array_split(ary, indices_or_sections, axis=0):
    if ary.ndim > 2 or (ary.ndim == 1 and axis != 0 and axis != -1):
        raise ValueError("np.array_split is supported along axis 0, and along axis 1 of a 2-D array")
    k = _axis(axis, ary.ndim)
    return _split_at(ary, _bounds(ary.shape[k], indices_or_sections, False), k)


@njit
def hsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, 0 if ary.ndim == 1 else 1)


@njit
def vsplit(ary, indices_or_sections):
    if ary.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


@njit
def tile(A, reps):
    """np.tile of a 1-D or 2-D array by an int or a pair of ints."""
    if isinstance(reps, int):
        if A.ndim == 1:
            out = np.empty(A.shape[0] * max(reps, 0), A.dtype)
            for r in range(max(reps, 0)):
                out[r * A.shape[0]:(r + 1) * A.shape[0]] = A
            return out
        return tile(A, (1, reps))
    if A.ndim == 1:
        return tile(A.reshape(1, A.shape[0]), reps)
    rows, cols = A.shape
    out2 = np.empty((rows * max(reps[0], 0), cols * max(reps[1], 0)), A.dtype)
    for i in range(max(reps[0], 0)):
        for j in range(max(reps[1], 0)):
            out2[i * rows:(i + 1) * rows, j * cols:(j + 1) * cols] = A
    return out2


@njit
def repeat(a, repeats, axis=None):
    """np.repeat of the flattened array (axis None) or of a 1-D one: each element `repeats`
    times (an int, or one count per element)."""
    if axis is None:
        flat = np.ravel(a)
    else:
        if np.ndim(a) != 1 or (axis != 0 and axis != -1):
            raise ValueError("np.repeat with an axis is supported for 1-D arrays")
        flat = a
    if isinstance(repeats, int):
        if repeats < 0:
            raise ValueError("negative dimensions are not allowed")
        out = np.empty(flat.shape[0] * repeats, flat.dtype)
        for i in range(flat.shape[0]):
            v = flat[i]
            for k in range(i * repeats, (i + 1) * repeats):
                out[k] = v
        return out
    counts = np.asarray(repeats)
    if counts.shape[0] != flat.shape[0]:
        raise ValueError("operands could not be broadcast together")
    total = 0
    for i in range(counts.shape[0]):
        if counts[i] < 0:
            raise ValueError("repeats may not contain negative values.")
        total += counts[i]
    out = np.empty(total, flat.dtype)
    at = 0
    for i in range(flat.shape[0]):
        out[at:at + counts[i]] = flat[i]
        at += counts[i]
    return out


@njit
def flip(m, axis=None):
    """A reversed view of m along axis (every axis when None), 1-D to 3-D."""
    if m.ndim == 1:
        if axis is not None:
            _axis(axis, 1)
        return m[::-1]
    if m.ndim == 2:
        if axis is None:
            return m[::-1, ::-1]
        if _axis(axis, 2) == 0:
            return m[::-1, :]
        return m[:, ::-1]
    if m.ndim != 3:
        raise ValueError("np.flip is supported for 1-D to 3-D arrays")
    if axis is None:
        return m[::-1, ::-1, ::-1]
    k = _axis(axis, 3)
    if k == 0:
        return m[::-1, :, :]
    if k == 1:
        return m[:, ::-1, :]
    return m[:, :, ::-1]


@njit
def rot90(m, k=1):
    """m (2-D) rotated by 90 degrees k times, counterclockwise: a view, as NumPy's."""
    if m.ndim != 2:
        raise ValueError("np.rot90 is supported for 2-D arrays")
    turns = k % 4
    if turns == 0:
        return m[:, :]
    if turns == 1:
        return m[:, ::-1].T
    if turns == 2:
        return m[::-1, ::-1]
    return m.T[:, ::-1]


@njit
def swapaxes(a, axis1, axis2):
    if a.ndim != 2:
        raise ValueError("np.swapaxes is supported for 2-D arrays")
    if _axis(axis1, 2) == _axis(axis2, 2):
        return a[:, :]
    return a.T


@njit
def expand_dims(a, axis):
    """a with a new axis of length 1 at `axis` (1-D and 2-D arrays; a view when a is contiguous)."""
    if a.ndim == 1:
        if _axis(axis, 2) == 0:
            return a.reshape(1, a.shape[0])
        return a.reshape(a.shape[0], 1)
    if a.ndim != 2:
        raise ValueError("np.expand_dims is supported for 1-D and 2-D arrays")
    k = _axis(axis, 3)
    if k == 0:
        return a.reshape(1, a.shape[0], a.shape[1])
    if k == 1:
        return a.reshape(a.shape[0], 1, a.shape[1])
    return a.reshape(a.shape[0], a.shape[1], 1)


@njit
def atleast_1d(a):
    if isinstance(a, np.ndarray):
        if a.ndim == 0:
            return a.reshape(1)
        return a
    return np.full(1, a)


@njit
def atleast_2d(a):
    if isinstance(a, np.ndarray):
        if a.ndim == 1:
            return a.reshape(1, a.shape[0])
        return a
    return np.full((1, 1), a)


@njit
def atleast_3d(a):
    if isinstance(a, np.ndarray):
        if a.ndim == 1:
            return a.reshape(1, a.shape[0], 1)
        if a.ndim == 2:
            return a.reshape(a.shape[0], a.shape[1], 1)
        return a
    return np.full((1, 1, 1), a)


@njit
def meshgrid(x, y, indexing="xy"):
    """The coordinate matrices of two 1-D arrays (NumPy 2 returns them as a tuple)."""
    if indexing != "xy" and indexing != "ij":
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    xs, ys = np.ravel(x), np.ravel(y)
    if indexing == "xy":
        return (np.zeros((ys.shape[0], 1), xs.dtype) + xs.reshape(1, -1),
                np.zeros((1, xs.shape[0]), ys.dtype) + ys.reshape(-1, 1))
    return (np.zeros((1, ys.shape[0]), xs.dtype) + xs.reshape(-1, 1),
            np.zeros((xs.shape[0], 1), ys.dtype) + ys.reshape(1, -1))


@njit
def diagonal(a, offset=0):
    """The diagonal of a 2-D array at `offset` (a copy: NumPy's is a read-only view)."""
    if a.ndim != 2:
        raise ValueError("np.diagonal is supported for 2-D arrays")
    r0, c0 = max(-offset, 0), max(offset, 0)
    n = max(min(a.shape[0] - r0, a.shape[1] - c0), 0)
    out = np.empty(n, a.dtype)
    for i in range(n):
        out[i] = a[r0 + i, c0 + i]
    return out


@njit
def ascontiguousarray(a):
    if not isinstance(a, np.ndarray):
        return np.full(1, a)
    if a.ndim == 0:
        return a.reshape(1)
    return a.reshape(a.shape)  # a view of C-contiguous data, else a C copy


@njit
def asfortranarray(a):
    if a.ndim <= 1:
        return ascontiguousarray(a)
    return a.T.reshape(a.T.shape).T


@njit
def copyto(dst, src):
    if dst.ndim == 1:
        dst[:] = src
    elif dst.ndim == 2:
        dst[:, :] = src
    elif dst.ndim == 3:
        dst[:, :, :] = src
    else:
        raise ValueError("np.copyto is supported for 1-D to 3-D destinations")


@njit
def keepdims(result, a, axis):
    """A reduction's result with its reduced axis kept, of length 1 (keepdims=True): the
    frontend calls this after the reduction (build_ir.cpp, take_keepdims)."""
    if axis is None or a.ndim == 1:
        if a.ndim == 1:
            return np.full(1, result)
        if a.ndim == 2:
            return np.full((1, 1), result)
        if a.ndim != 3:
            raise ValueError("keepdims=True without an axis is supported for 1-D to 3-D arrays")
        return np.full((1, 1, 1), result)
    return expand_dims(result, _axis(axis, a.ndim))


@njit
def array_fill(a, value):
    """a.fill(value): every element of a (1-D to 4-D) set to value, cast to a's dtype."""
    if a.ndim == 1:
        a[:] = value
    elif a.ndim == 2:
        a[:, :] = value
    elif a.ndim == 3:
        a[:, :, :] = value
    elif a.ndim == 4:
        a[:, :, :, :] = value
    else:
        raise ValueError("a.fill() is supported for 1-D to 4-D arrays")


@njit
def array_item(a, *args):
    """a.item(): the only element; a.item(k): the k-th in C order; a.item(i, j, ...): a[i, j, ...]."""
    if len(args) == 0:
        if a.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return np.ravel(a)[0]
    if len(args) == 1:
        k = args[0]
        if k < -a.size or k >= a.size:
            raise IndexError("index out of bounds")
        return np.ravel(a)[k]
    if len(args) != a.ndim:
        raise ValueError("incorrect number of indices for array")
    return a[args]
