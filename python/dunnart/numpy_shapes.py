"""NumPy's functions that join, split, repeat, flip and reshape arrays, for compiled code
(library.py turns `np.hstack(t)` into a call of `hstack` here), written with the array
operations dunnart compiles natively: concatenate, stack, slices (views where NumPy's are
views), reshape. Results, dtypes and errors are NumPy 2's for the forms each supports."""
import numpy as np

from . import intrinsics as I
from . import njit


@njit
def _axis(axis, ndim):
    """axis in [-ndim, ndim) as a non-negative axis; NumPy's AxisError (a ValueError) else."""
    if axis < -ndim or axis >= ndim:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {ndim}")
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
    """A reversed view of m along the axes given (an int or a tuple; every axis when None)."""
    mask = (1 << m.ndim) - 1 if axis is None else _axis_mask(axis, m.ndim)
    strides = m.strides
    offset = 0
    for k in range(m.ndim):
        if mask >> k & 1:
            if m.shape[k] > 0:
                offset += (m.shape[k] - 1) * m.strides[k]
            strides = I.tuple_set(strides, k, -m.strides[k])
    return I.strided_view(m, m.shape, strides, offset)


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
def _axis_mask(axis, ndim):
    """The axes an int or a tuple of ints names, as bits (NumPy's errors: out of bounds, repeated)."""
    if isinstance(axis, tuple):
        mask = 0
        if len(axis) == 0:  # () names no axis (and cannot be indexed)
            return mask
        for k in range(len(axis)):
            bit = 1 << _axis(axis[k], ndim)
            if mask & bit:
                raise ValueError("repeated axis")
            mask |= bit
        return mask
    return 1 << _axis(axis, ndim)


@njit
def _permuted(a, axes):
    """The view of a with axis axes[k] as its axis k (axes: a tuple of a.ndim ints)."""
    if len(axes) != a.ndim:
        raise ValueError("axes don't match array")
    shape, strides = a.shape, a.strides
    seen = 0
    for k in range(a.ndim):
        ax = _axis(axes[k], a.ndim)
        if seen >> ax & 1:
            raise ValueError("repeated axis in transpose")
        seen |= 1 << ax
        shape = I.tuple_set(shape, k, a.shape[ax])
        strides = I.tuple_set(strides, k, a.strides[ax])
    return I.strided_view(a, shape, strides, 0)


@njit
def transpose(a, axes=None):
    """np.transpose(a, axes): the view with its axes permuted (reversed when None)."""
    if axes is None:
        return a.T
    return _permuted(a, axes)


@njit
def array_transpose(a, *axes):
    """a.transpose(), a.transpose(axes), a.transpose(*axes)."""
    if len(axes) == 0:
        return a.T
    if len(axes) == 1:
        if axes[0] is None:
            return a.T
        if isinstance(axes[0], tuple):
            return _permuted(a, axes[0])
    return _permuted(a, axes)


@njit
def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    return (x,)


@njit
def moveaxis(a, source, destination):
    """The view of a with the axes `source` moved to the places `destination` (ints or tuples)."""
    src, dst = _as_tuple(source), _as_tuple(destination)
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = a.shape
    moved = _axis_mask(src, a.ndim)
    placed = 0
    if len(dst) > 0:  # () moves nothing (and cannot be indexed)
        for j in range(len(dst)):
            d = _axis(dst[j], a.ndim)
            if placed >> d & 1:
                raise ValueError("repeated axis in `destination` argument")
            placed |= 1 << d
            order = I.tuple_set(order, d, _axis(src[j], a.ndim))
    rest = 0  # the axes not moved keep their order in the places left
    for k in range(a.ndim):
        if not placed >> k & 1:
            while moved >> rest & 1:
                rest += 1
            order = I.tuple_set(order, k, rest)
            rest += 1
    return _permuted(a, order)


@njit
def swapaxes(a, axis1, axis2):
    """The view of a with axes axis1 and axis2 interchanged."""
    i, j = _axis(axis1, a.ndim), _axis(axis2, a.ndim)
    shape = I.tuple_set(I.tuple_set(a.shape, i, a.shape[j]), j, a.shape[i])
    strides = I.tuple_set(I.tuple_set(a.strides, i, a.strides[j]), j, a.strides[i])
    return I.strided_view(a, shape, strides, 0)


@njit
def array_swapaxes(a, axis1, axis2):
    return swapaxes(a, axis1, axis2)


@njit
def squeeze(a, axis=None):
    """The view of a without the axes of length 1 named by axis (an int or a tuple of ints).
    Without axis the result's dimensions would depend on the data: compiled code names them."""
    if axis is None:
        raise ValueError("np.squeeze(a) in compiled code needs axis=: the number of dimensions must "
                         "be known when compiling (write np.squeeze(a, axis=0))")
    axes = _as_tuple(axis)
    mask = _axis_mask(axes, a.ndim)
    shape, strides = a.shape[len(axes):], a.strides[len(axes):]
    j = 0
    for k in range(a.ndim):
        if mask >> k & 1:
            if a.shape[k] != 1:
                raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
        else:
            shape = I.tuple_set(shape, j, a.shape[k])
            strides = I.tuple_set(strides, j, a.strides[k])
            j += 1
    return I.strided_view(a, shape, strides, 0)


@njit
def array_squeeze(a, axis=None):
    return squeeze(a, axis)


@njit
def expand_dims(a, axis):
    """The view of a with new axes of length 1 at the places `axis` (an int or a tuple) names."""
    axes = _as_tuple(axis)
    shape = a.shape + axes
    strides = a.strides + axes
    mask = _axis_mask(axes, len(shape))
    j = 0
    for k in range(len(shape)):
        if mask >> k & 1:
            shape = I.tuple_set(shape, k, 1)
            strides = I.tuple_set(strides, k, 0)
        else:
            shape = I.tuple_set(shape, k, a.shape[j])
            strides = I.tuple_set(strides, k, a.strides[j])
            j += 1
    return I.strided_view(a, shape, strides, 0)


@njit
def line_count(v):
    """How many lines v has along its last axis (the product of the others' lengths)."""
    n = 1
    for k in range(v.ndim - 1):
        n *= v.shape[k]
    return n


@njit
def line(v, flat):
    """The 1-D view of v along its last axis at position `flat` of the other axes, in C order."""
    idx = v.shape[:v.ndim - 1]
    for k in range(v.ndim - 2, -1, -1):
        idx = I.tuple_set(idx, k, flat % v.shape[k])
        flat //= v.shape[k]
    return v[idx]


@njit
def _shape_text(shape):
    if len(shape) == 0:
        return "()"
    text = "(" + str(shape[0])
    for k in range(1, len(shape)):
        text += "," + str(shape[k])
    return text + ",)" if len(shape) == 1 else text + ")"


@njit
def _broadcast_to(a, shape):
    """The read-only view of a broadcast to `shape` (a tuple of ints at least a.ndim long)."""
    if len(shape) < a.ndim:
        raise ValueError("input operand has more dimensions than allowed by the axis remapping")
    lead = len(shape) - a.ndim
    out_shape, strides = shape, shape
    for k in range(len(shape)):
        n = shape[k]
        if n < 0:
            raise ValueError("all elements of broadcast shape must be non-negative")
        out_shape = I.tuple_set(out_shape, k, n)
        stride = 0
        if a.ndim > 0:  # a 0-d array's () cannot be indexed
            if k >= lead:
                m = a.shape[k - lead]
                if m == n:
                    stride = a.strides[k - lead]
                elif m != 1:
                    raise ValueError("operands could not be broadcast together with remapped shapes "
                                     "[original->remapped]: " + _shape_text(a.shape) + " and requested shape " +
                                     _shape_text(shape))
        strides = I.tuple_set(strides, k, stride)
    return I.readonly_view(a, out_shape, strides, 0)


@njit
def broadcast_to(array, shape):
    """np.broadcast_to(a, shape): a read-only view (shape an int or a tuple of ints)."""
    if not isinstance(array, np.ndarray):
        return _broadcast_to(np.full((), array), _as_tuple(shape))
    return _broadcast_to(array, _as_tuple(shape))


@njit
def _broadcast_into(out, s, t):
    """The shape that shapes s and t broadcast to, written over `out` (the longer of them)."""
    for k in range(len(out)):
        i, j = len(s) - len(out) + k, len(t) - len(out) + k
        m = s[i] if i >= 0 else 1
        n = t[j] if j >= 0 else 1
        if m != n and m != 1 and n != 1:
            raise ValueError("shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
                             "between " + _shape_text(s) + " and " + _shape_text(t))
        out = I.tuple_set(out, k, n if m == 1 else m)
    return out


@njit
def _broadcast_pair(s, t):
    if len(t) > len(s):
        return _broadcast_into(t, s, t)
    return _broadcast_into(s, s, t)


@njit
def broadcast_shapes(*shapes):
    """The shape that shapes (ints or tuples of ints, one to four) broadcast to."""
    if len(shapes) == 1:
        return _broadcast_pair(_as_tuple(shapes[0]), ())
    if len(shapes) == 2:
        return _broadcast_pair(_as_tuple(shapes[0]), _as_tuple(shapes[1]))
    if len(shapes) == 3:
        return _broadcast_pair(_broadcast_pair(_as_tuple(shapes[0]), _as_tuple(shapes[1])), _as_tuple(shapes[2]))
    if len(shapes) == 4:
        return _broadcast_pair(_broadcast_pair(_as_tuple(shapes[0]), _as_tuple(shapes[1])),
                               _broadcast_pair(_as_tuple(shapes[2]), _as_tuple(shapes[3])))
    raise ValueError("np.broadcast_shapes in compiled code takes one to four shapes")


@njit
def broadcast_arrays(*args):
    """Read-only views of the arrays broadcast to one shape (two to four arrays)."""
    if len(args) == 1:
        return (_broadcast_to(args[0], args[0].shape),)
    if len(args) == 2:
        s = _broadcast_pair(args[0].shape, args[1].shape)
        return (_broadcast_to(args[0], s), _broadcast_to(args[1], s))
    if len(args) == 3:
        s = _broadcast_pair(_broadcast_pair(args[0].shape, args[1].shape), args[2].shape)
        return (_broadcast_to(args[0], s), _broadcast_to(args[1], s), _broadcast_to(args[2], s))
    if len(args) == 4:
        s = _broadcast_pair(_broadcast_pair(_broadcast_pair(args[0].shape, args[1].shape), args[2].shape),
                            args[3].shape)
        return (_broadcast_to(args[0], s), _broadcast_to(args[1], s), _broadcast_to(args[2], s),
                _broadcast_to(args[3], s))
    raise ValueError("np.broadcast_arrays in compiled code takes one to four arrays")


@njit
def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """np.lib.stride_tricks.as_strided: the view of x's memory with these extents and byte
    strides (x's own when None). Unchecked, as NumPy's."""
    s = x.shape if shape is None else shape
    t = x.strides if strides is None else strides
    if writeable:
        return I.strided_view(x, s, t, 0)
    return I.readonly_view(x, s, t, 0)


@njit
def sliding_window_view(x, window_shape, axis=None):
    """np.lib.stride_tricks.sliding_window_view: the read-only view of every window of
    `window_shape` (an int or a tuple; over the axes `axis` names, every axis when None)."""
    window = _as_tuple(window_shape)
    if axis is None:
        if len(window) != x.ndim:
            raise ValueError("Since axis is `None`, must provide window_shape for all dimensions of `x`; "
                             "got " + str(len(window)) + " window_shape elements and `x.ndim` is " +
                             str(x.ndim) + ".")
        axes = x.shape
        for k in range(x.ndim):
            axes = I.tuple_set(axes, k, k)
    else:
        axes = _as_tuple(axis)
        if len(axes) != len(window):
            raise ValueError("Must provide matching length window_shape and axis; got " + str(len(window)) +
                             " window_shape elements and " + str(len(axes)) + " axes elements.")
    shape = x.shape + window
    strides = x.strides + window
    for k in range(len(window)):
        if window[k] < 0:
            raise ValueError("`window_shape` cannot contain negative values")
        ax = _axis(axes[k], x.ndim)
        if shape[ax] < window[k]:
            raise ValueError("window shape cannot be larger than input array shape")
        shape = I.tuple_set(shape, ax, shape[ax] - window[k] + 1)
        shape = I.tuple_set(shape, x.ndim + k, window[k])
        strides = I.tuple_set(strides, x.ndim + k, x.strides[ax])
    return I.readonly_view(x, shape, strides, 0)


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
    """src (broadcast, cast to dst's dtype) stored into every element of dst."""
    if dst.ndim == 0:
        raise ValueError("np.copyto into a 0-d array is not supported in compiled code")
    dst[:] = src


@njit
def store_out(out, value):
    """A call's out=: its value stored into `out`, which the call then returns (the
    frontend's rewrite of out=, build_ir.cpp)."""
    copyto(out, value)
    return out


@njit
def keepdims(result, a, axis):
    """A reduction's result with its reduced axes kept, of length 1 (keepdims=True): the
    frontend calls this after the reduction (build_ir.cpp, take_keepdims)."""
    if axis is None or not isinstance(result, np.ndarray):
        return np.full((1,) * a.ndim, result)
    return expand_dims(result, axis)


@njit
def lines_last(x, axis):
    """x with the axes `axis` names (None: every axis; an int or a tuple) flattened into
    one last axis, the others kept in order: what a reduction over those axes reduces."""
    if axis is None:
        return np.ravel(x)
    axes = _as_tuple(axis)
    mask = _axis_mask(axes, x.ndim)
    order = x.shape
    kept = x.shape[:x.ndim - len(axes)]
    j = 0
    n = 1
    for k in range(x.ndim):
        if mask >> k & 1:
            n *= x.shape[k]
        else:
            order = I.tuple_set(order, j, k)
            kept = I.tuple_set(kept, j, x.shape[k])
            j += 1
    for k in range(x.ndim):
        if mask >> k & 1:
            order = I.tuple_set(order, j, k)
            j += 1
    return _permuted(x, order).reshape(kept + (n,))


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


@njit
def _first_index(dims):
    """(0, 0, ...): the first index of an array of shape `dims`."""
    idx = dims
    if len(dims) > 0:  # () cannot be indexed
        for k in range(len(dims)):
            idx = I.tuple_set(idx, k, 0)
    return idx


@njit
def _size_of(dims):
    n = 1
    if len(dims) > 0:  # () cannot be indexed
        for k in range(len(dims)):
            n *= dims[k]
    return n


@njit
def _next_index(idx, dims):
    """The index after idx in C order (an odometer: the last axis turns fastest)."""
    if len(dims) == 0:  # () cannot be indexed
        return idx
    k = len(dims) - 1
    while k >= 0:
        i = idx[k] + 1
        if i < dims[k]:
            return I.tuple_set(idx, k, i)
        idx = I.tuple_set(idx, k, 0)
        k -= 1
    return idx


@njit
def ndindex(*shape):
    """np.ndindex(d0, d1, ...) or np.ndindex(shape): every index tuple, in C order."""
    if len(shape) == 1 and isinstance(shape[0], tuple):
        dims = shape[0]
    else:
        dims = shape
    idx = _first_index(dims)
    for _ in range(_size_of(dims)):
        yield idx
        idx = _next_index(idx, dims)


@njit
def ndenumerate(arr):
    """np.ndenumerate(a): (index tuple, element) of every element, in C order."""
    idx = _first_index(arr.shape)
    for _ in range(arr.size):
        yield idx, arr[idx]
        idx = _next_index(idx, arr.shape)
