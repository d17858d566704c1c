"""Views that permute, drop, add and broadcast axes (np.transpose with axes, moveaxis,
swapaxes, squeeze, expand_dims, broadcast_to/arrays/shapes, flip, as_strided,
sliding_window_view), against NumPy running the same function."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided, sliding_window_view

import dunnart
from dunnart import njit


def layouts(shape, dtype=np.float64):
    """The array of `shape` as C, F and strided (every other element) layouts."""
    base = (np.arange(int(np.prod(shape)) * 2) % 7 - 3).astype(dtype)
    c = base[: int(np.prod(shape))].reshape(shape)
    strided = base.reshape(tuple(shape[:-1]) + (2 * shape[-1],))[..., ::2] if shape else c
    return {"C": c, "F": np.asfortranarray(c), "strided": strided}


def same(f, *args):
    expected = f(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = njit(f)(*args)
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for e, g in zip(expected, got):
            np.testing.assert_array_equal(g, e)
            assert np.asarray(g).dtype == np.asarray(e).dtype and np.shape(g) == np.shape(e)
        return got
    np.testing.assert_array_equal(got, expected)
    assert np.asarray(got).dtype == np.asarray(expected).dtype and np.shape(got) == np.shape(expected)
    return got


DTYPES = [np.int64, np.float32, np.float64, np.complex128, np.bool_]


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_transpose_axes_every_layout_and_dtype(layout, dtype):
    a = layouts((2, 3, 4), dtype)[layout]
    same(lambda a: np.transpose(a, (1, 2, 0)), a)
    same(lambda a: a.transpose((2, 0, 1)), a)
    same(lambda a: a.transpose(1, 0, 2), a)
    same(lambda a: a.transpose(-1, 0, -2), a)
    same(lambda a: a.transpose(), a)
    same(lambda a: np.transpose(a, None), a)


@pytest.mark.parametrize("axes", [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2)])
def test_transpose_4d(axes):
    a = np.arange(120.).reshape(2, 3, 4, 5)
    same(lambda a: np.transpose(a, axes), a)


def test_transpose_is_a_view_and_computes():
    def f(a):
        t = np.transpose(a, (2, 0, 1))
        t[1, 0, 2] = -5.0
        return t * 2 + 1, a

    same(f, np.arange(24.).reshape(2, 3, 4))
    same(lambda a: np.transpose(a, (1, 0, 2)).sum(), np.arange(24.).reshape(2, 3, 4))
    same(lambda a: np.transpose(a, (1, 0, 2)).copy(), np.arange(24.).reshape(2, 3, 4))


def test_transpose_bad_axes():
    a = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match="axes don't match array"):
        njit(lambda a: np.transpose(a, (1, 0)))(a)
    with pytest.raises(ValueError, match="repeated axis in transpose"):
        njit(lambda a: a.transpose(1, 1, 0))(a)
    with pytest.raises(ValueError, match="axis 3 is out of bounds for array of dimension 3"):
        njit(lambda a: a.transpose(0, 1, 3))(a)


@pytest.mark.parametrize("source,destination", [(0, -1), (-1, 0), (1, 1), ((0, 1), (2, 0)), ((0, 2), (-1, -2)), ((), ())])
def test_moveaxis(source, destination):
    for a in layouts((2, 3, 4)).values():
        same(lambda a: np.moveaxis(a, source, destination), a)


def test_moveaxis_errors():
    a = np.zeros((2, 3))
    with pytest.raises(ValueError, match="must have the same number of elements"):
        njit(lambda a: np.moveaxis(a, (0, 1), 0))(a)
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: np.moveaxis(a, (0, 0), (0, 1)))(a)
    with pytest.raises(ValueError, match="repeated axis in `destination` argument"):
        njit(lambda a: np.moveaxis(a, (0, 1), (1, 1)))(a)
    with pytest.raises(ValueError, match="axis 2 is out of bounds for array of dimension 2"):
        njit(lambda a: np.moveaxis(a, 2, 0))(a)


@pytest.mark.parametrize("i,j", [(0, 2), (2, 0), (1, 1), (-1, 0)])
def test_swapaxes_nd(i, j):
    for a in layouts((2, 3, 4), np.int32).values():
        same(lambda a: np.swapaxes(a, i, j), a)
        same(lambda a: a.swapaxes(i, j), a)
    same(lambda a: np.swapaxes(a, 0, -1), np.arange(6.).reshape(2, 3))
    with pytest.raises(ValueError, match="out of bounds"):
        njit(lambda a: np.swapaxes(a, 0, 3))(np.zeros((2, 3, 4)))


def test_squeeze_with_axis():
    a = np.arange(12.).reshape(1, 3, 1, 4)
    same(lambda a: np.squeeze(a, axis=0), a)
    same(lambda a: np.squeeze(a, axis=(0, 2)), a)
    same(lambda a: np.squeeze(a, -2), a)
    same(lambda a: a.squeeze(0), a)
    same(lambda a: a.squeeze(axis=(2, 0)), a)
    same(lambda a: np.squeeze(a, axis=()), a)
    same(lambda a: np.squeeze(a[:, :, :, :0], axis=2), a)
    same(lambda a: a.squeeze((0, 1)), np.ones((1, 1)))


def test_squeeze_errors():
    a = np.zeros((1, 3))
    with pytest.raises(ValueError, match="cannot select an axis to squeeze out which has size not equal to one"):
        njit(lambda a: np.squeeze(a, 1))(a)
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: np.squeeze(a, (0, 0)))(a)
    with pytest.raises(ValueError, match="needs axis="):
        njit(lambda a: np.squeeze(a))(a)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3, (0, 1), (0, 3), (-1, 0)])
def test_expand_dims(axis):
    for a in layouts((3, 4)).values():
        same(lambda a: np.expand_dims(a, axis), a)
    same(lambda a: np.expand_dims(a, 0), np.arange(3))


def test_expand_dims_errors():
    with pytest.raises(ValueError, match="axis 3 is out of bounds for array of dimension 3"):
        njit(lambda a: np.expand_dims(a, 3))(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: np.expand_dims(a, (1, 1)))(np.zeros((2, 3)))


def test_broadcast_to():
    v = np.arange(4.)
    same(lambda a: np.broadcast_to(a, (3, 4)), v)
    same(lambda a: np.broadcast_to(a[:1], 5), v)
    same(lambda a: np.broadcast_to(a, (2, 3, 4)), np.arange(12).reshape(3, 4))
    same(lambda a: np.broadcast_to(a, (3, 4)), np.arange(3).reshape(3, 1))
    same(lambda a: np.broadcast_to(a, (0, 4)), v)
    same(lambda x: np.broadcast_to(x, (2, 2)), 1.5)
    same(lambda a: np.broadcast_to(a, (3, 4)).sum(axis=0), v)
    got = njit(lambda a: np.broadcast_to(a, (3, 4)))(v)
    assert not got.flags.writeable


def test_broadcast_to_errors():
    with pytest.raises(ValueError, match=r"\(3,\) and requested shape \(4,\)"):
        njit(lambda a: np.broadcast_to(a, 4))(np.zeros(3))
    with pytest.raises(ValueError, match="more dimensions than allowed"):
        njit(lambda a: np.broadcast_to(a, (3,)))(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        njit(lambda a: np.broadcast_to(a, (-1, 3)))(np.zeros(3))
    with pytest.raises(Exception, match="read-only|readonly"):
        njit(lambda a: np.broadcast_to(a, (2, 3)).__class__)(np.zeros(3)) if False else njit(_store_into_broadcast)(np.zeros(3))


def _store_into_broadcast(a):
    b = np.broadcast_to(a, (2, 3))
    b[0, 0] = 1.0
    return b


def test_broadcast_arrays_and_shapes():
    a, b, c = np.arange(3.), np.arange(4).reshape(4, 1), np.ones((2, 1, 1), np.float32)
    same(lambda a, b: np.broadcast_arrays(a, b), a, b)
    same(lambda a, b, c: np.broadcast_arrays(a, b, c), a, b, c)
    same(lambda a: np.broadcast_arrays(a), a)
    same(lambda: np.broadcast_shapes((3, 1), (4,), (1, 1, 1)))
    same(lambda: np.broadcast_shapes(5, (2, 1)))
    with pytest.raises(ValueError, match=r"Mismatch is between \(3,\) and \(4,\)"):
        njit(lambda a, b: np.broadcast_arrays(a, b))(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("axis", [None, 0, 1, 2, -1, (0, 2), (1,)])
def test_flip_nd(axis):
    for a in layouts((2, 3, 4), np.int16).values():
        same(lambda a: np.flip(a, axis), a)
    same(lambda a: np.flip(a, axis), np.zeros((0, 3, 4)))


def test_flip_views_write_through():
    def f(a):
        v = np.flip(a, 1)
        v[0, 0] = 100
        return a

    same(f, np.arange(6).reshape(2, 3))


def test_as_strided_and_sliding_window():
    v = np.arange(8.)
    same(lambda a: np.lib.stride_tricks.as_strided(a, (3, 4), (16, 8)), v)
    same(lambda a: as_strided(a, shape=(4,), strides=(16,)), v)
    same(lambda a: as_strided(a), v)
    same(lambda a: sliding_window_view(a, 3), v)
    same(lambda a: sliding_window_view(a, 3).sum(axis=1), v)
    m = np.arange(20).reshape(4, 5)
    same(lambda a: sliding_window_view(a, (2, 3)), m)
    same(lambda a: sliding_window_view(a, 2, axis=-1), m)
    same(lambda a: sliding_window_view(a, (2, 2), axis=(0, 1)), np.asfortranarray(m))
    with pytest.raises(ValueError, match="window shape cannot be larger than input array shape"):
        njit(lambda a: sliding_window_view(a, 9))(v)
    with pytest.raises(ValueError, match="must provide window_shape for all dimensions"):
        njit(lambda a: sliding_window_view(a, 2))(m)
    assert not njit(lambda a: sliding_window_view(a, 3))(v).flags.writeable


def test_tuple_concatenation_and_repetition():
    same(lambda a: a.shape + (1,) + a.shape, np.zeros((2, 3)))
    same(lambda a: (0,) * 3 + a.shape * 2, np.zeros((2, 3)))
    same(lambda a: a.shape[a.ndim - 1:] + a.shape[:len(a.shape) - 1], np.zeros((2, 3, 4)))


def _weighted_by_index(a):
    s = 0.0
    for i, x in np.ndenumerate(a):
        s += x * (i[0] + 1) - i[-1]
    return s


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_ndenumerate_every_layout(layout):
    a = layouts((3, 4))[layout]
    assert njit(_weighted_by_index)(a) == _weighted_by_index(a)
    a3 = layouts((2, 3, 2), np.int32)[layout]
    assert njit(lambda a: [(i, x) for i, x in np.ndenumerate(a)])(a3) == [(i, int(x)) for i, x in np.ndenumerate(a3)]


def test_ndindex_forms():
    assert njit(lambda n: [t for t in np.ndindex(n, 3)])(2) == list(np.ndindex(2, 3))
    assert njit(lambda s: [t for t in np.ndindex(s)])((2, 1, 2)) == list(np.ndindex((2, 1, 2)))
    assert njit(lambda: [t for t in np.ndindex()])() == [()]
    assert njit(lambda n: [t for t in np.ndindex(n, 0)])(3) == []
    assert njit(lambda a: [(i, x) for i, x in np.ndenumerate(a)])(np.array(5.0)) == [((), 5.0)]

    def count(a):
        c = 0
        for idx in np.ndindex(a.shape):
            c += a[idx]
        return c

    a = np.arange(24).reshape(2, 3, 4)
    assert njit(count)(a) == a.sum()


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_real_and_imag_views_of_complex_arrays(dtype):
    z = (np.arange(6.0) + 1j * np.arange(6.0)[::-1]).reshape(2, 3).astype(dtype)
    for f in [lambda z: z.real, lambda z: z.imag, lambda z: z.T.imag * 2, lambda z: z[:, ::2].real.sum()]:
        same(f, z)

    def write(z):
        z.imag[:] = 0.5
        z.real[0, 1] = -1.0
        return z

    same(write, z.copy())
    same(lambda a: a.real, np.arange(3.0))  # a real array's own
    with pytest.raises(dunnart.UnsupportedError, match="np.zeros_like"):
        njit(lambda a: a.imag)(np.arange(3.0))


def test_returned_view_is_the_argument_only_when_it_is_the_same_array():
    a = np.arange(3.0)
    assert njit(lambda a: a)(a) is a
    r = njit(lambda a: np.broadcast_to(a, a.shape))(a)
    assert r is not a and not r.flags.writeable
    z = np.ones(3, np.complex128)
    assert njit(lambda z: z.real)(z).dtype == np.float64


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_flat_reads_in_c_order(layout):
    a = layouts((3, 4))[layout]
    same(lambda a: a.flat[5], a)
    assert njit(lambda a: [x for x in a.flat])(a) == list(a.flat)

    def total(a):
        s = 0.0
        for x in a.flat:
            s += x
        return s

    assert njit(total)(a) == total(a)


def test_flat_writes_reach_c_arrays_and_are_refused_otherwise():
    def write(a):
        a.flat[3] = -1.0
        return a

    same(write, np.arange(12.0).reshape(3, 4))

    def write_transposed(a):
        a.T.flat[3] = -1.0
        return a

    with pytest.raises(dunnart.TypingError, match="writing through a.flat of a array"):
        njit(write_transposed)(np.arange(12.0).reshape(3, 4))
