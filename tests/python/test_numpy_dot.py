"""Issue 3: np.dot and the @ operator for 1-D and 2-D float32/float64 arrays in nopython
mode, compared with NumPy: result values, dtypes and shapes (a scalar for 1-D . 1-D),
small and BLAS-sized operands, Fortran-ordered, transposed-copy and strided operands, empty
inner dimensions, and ValueError with NumPy's "not aligned" wording on a shape mismatch;
issue 13: @ of N-D stacks of matrices (broadcast leading axes, complex too, NumPy's errors)."""
import re

import numpy as np
import pytest

from dunnart import njit

from test_numpy_helpers import npcheck, pid, rand


@njit
def dot(a, b):
    return np.dot(a, b)


@njit
def matmul(a, b):
    return a @ b


@njit
def dot_in_expression(a, b, c):
    return np.dot(a, b) + 1.0, (a @ b) * c


def tol(dtype, k):
    # inputs are positive, so the relative rounding error is at most about k * eps
    # (k <= 100 here), whatever the order of the additions
    return 1e-5 if np.dtype(dtype) == np.float32 else 1e-12


SHAPES = [((5,), (5,)), ((3, 4), (4,)), ((4,), (4, 3)), ((3, 4), (4, 2)), ((64, 80), (80, 48)), ((80,), (80, 33)),
          ((1, 1), (1, 1)), ((3, 0), (0, 4)), ((0, 3), (3, 2)), ((0,), (0,)), ((2, 3), (3, 0))]


@pytest.mark.parametrize("sa,sb", SHAPES, ids=pid)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=pid)
def test_dot_and_matmul_shapes(dtype, sa, sb):
    a = rand(dtype, sa, seed=1, lo=0.5, hi=1.5)
    b = rand(dtype, sb, seed=2, lo=0.5, hi=1.5)
    npcheck(dot, a, b, rtol=tol(dtype, sa[-1]))
    npcheck(matmul, a, b, rtol=tol(dtype, sa[-1]))


def transposed_copy(x):
    """Same values, Fortran order, obtained the way users do it: x.T.copy().T."""
    t = x.T.copy().T
    assert t.flags.f_contiguous and (x.ndim == 1 or not t.flags.c_contiguous or 1 in x.shape)
    return t


@pytest.mark.parametrize("la,lb", [("C", "F"), ("F", "C"), ("F", "F"), ("strided", "C"), ("C", "strided"),
                                   ("colstep", "F"), ("T", "T")], ids=pid)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=pid)
@pytest.mark.parametrize("m,k,n", [(3, 4, 5), (50, 70, 40)], ids=pid)
def test_layouts_2d(dtype, la, lb, m, k, n):
    def make(shape, layout, seed):
        if layout == "T":
            return transposed_copy(rand(dtype, shape, "C", seed=seed, lo=0.5, hi=1.5))
        return rand(dtype, shape, layout, seed=seed, lo=0.5, hi=1.5)
    a, b = make((m, k), la, 3), make((k, n), lb, 4)
    npcheck(dot, a, b, rtol=tol(dtype, k))
    npcheck(matmul, a, b, rtol=tol(dtype, k))


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=pid)
def test_strided_vectors(dtype):
    a = rand(dtype, 200, seed=5, lo=0.5, hi=1.5)
    m = rand(dtype, (100, 30), "F", seed=6, lo=0.5, hi=1.5)
    npcheck(dot, a[::2], a[1::2], rtol=tol(dtype, 100))
    npcheck(dot, a[::-2], a[::2], rtol=tol(dtype, 100))
    npcheck(matmul, a[::2], m, rtol=tol(dtype, 100))
    npcheck(matmul, m.T.copy(), a[::2], rtol=tol(dtype, 100))
    npcheck(matmul, m[::2], a[:60:2], rtol=tol(dtype, 30))


def test_dot_1d_returns_a_scalar_of_the_array_dtype():
    r = dot(np.ones(3, np.float32), np.ones(3, np.float32))
    assert isinstance(r, np.float32) and r == 3.0
    r = matmul(np.arange(4.0), np.arange(4.0))
    assert isinstance(r, (float, np.float64)) and r == 14.0


def test_dot_in_expressions():
    npcheck(dot_in_expression, rand(np.float64, (4, 5), seed=7, lo=0.5, hi=1.5),
            rand(np.float64, (5, 3), seed=8, lo=0.5, hi=1.5), rand(np.float64, (3,), seed=9, lo=0.5, hi=1.5))


def test_result_is_a_fresh_array():
    a = np.eye(3)
    r = matmul(a, a)
    assert not np.shares_memory(r, a)
    r[0, 0] = 5.0
    assert a[0, 0] == 1.0


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (2, 3)), ((3, 4), (3,)), ((4,), (3, 4)),
                                   ((5, 2), (3, 5))], ids=pid)
def test_shape_mismatch_raises_not_aligned(sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    with pytest.raises(ValueError):
        np.dot(a, b)
    with pytest.raises(ValueError, match="not aligned"):
        dot(a, b)
    with pytest.raises(ValueError) as info:
        matmul(a, b)
    msg = str(info.value)
    assert "not aligned" in msg or "mismatch" in msg, msg
    # the function still works afterwards
    npcheck(dot, a, np.ones(a.shape[-1:]))


MATRIX_LAYOUTS = {"C": lambda m: m.copy(), "F": np.asfortranarray, "rows ::2": lambda m: np.repeat(m, 2, 0)[::2],
                  "cols ::2": lambda m: np.repeat(m, 2, 1)[:, ::2], "T of C": lambda m: m.T.copy().T}
VECTOR_LAYOUTS = {"contiguous": lambda v: v.copy(), "::2": lambda v: np.repeat(v, 2)[::2],
                  "::-1": lambda v: v[::-1].copy()[::-1]}


@pytest.mark.parametrize("vl", list(VECTOR_LAYOUTS), ids=pid)
@pytest.mark.parametrize("ml", list(MATRIX_LAYOUTS), ids=pid)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=pid)
def test_matrix_vector_products(dtype, ml, vl):
    # BLAS-sized (gemv, as NumPy), for every layout BLAS takes and those it cannot
    m = MATRIX_LAYOUTS[ml](rand(dtype, (120, 70), seed=7, lo=0.5, hi=1.5))
    x = VECTOR_LAYOUTS[vl](rand(dtype, 70, seed=8, lo=0.5, hi=1.5))
    y = VECTOR_LAYOUTS[vl](rand(dtype, 120, seed=9, lo=0.5, hi=1.5))
    npcheck(matmul, m, x, rtol=tol(dtype, 70))
    npcheck(matmul, y, m, rtol=tol(dtype, 120))
    npcheck(dot, m, x, rtol=tol(dtype, 70))
    npcheck(dot, y, m, rtol=tol(dtype, 120))


def _complex(rng, *shape, dtype=np.complex128):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


COMPLEX_PRODUCTS = {
    "matrix_matrix": lambda a, b, x: a @ b,
    "matrix_vector": lambda a, b, x: a @ x,
    "vector_matrix": lambda a, b, x: x @ a,
    "vector_vector": lambda a, b, x: np.dot(x, x),
    "transposed": lambda a, b, x: a.T @ b,
    "strided": lambda a, b, x: np.dot(a[:, ::2], b[::2]),
    "with_float": lambda a, b, x: a @ np.real(x),
}


@pytest.mark.parametrize("name", sorted(COMPLEX_PRODUCTS))
@pytest.mark.parametrize("n", [3, 40])  # loops, and BLAS's zgemm/cgemm/zgemv/cgemv
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_products(name, n, dtype):
    rng = np.random.default_rng(n)
    a, b, x = _complex(rng, n, n, dtype=dtype), _complex(rng, n, n + 1, dtype=dtype), _complex(rng, n, dtype=dtype)
    f = COMPLEX_PRODUCTS[name]
    expected, got = f(a, b, x), njit(f)(a, b, x)
    tol = 1e-4 if dtype == np.complex64 else 1e-12
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)
    assert np.asarray(got).dtype == np.asarray(expected).dtype


def test_complex_product_shape_mismatch():
    with pytest.raises(ValueError, match="not aligned"):
        njit(lambda a, b: a @ b)(np.ones((2, 3), np.complex128), np.ones((2, 3), np.complex128))


# a @ b of stacks of matrices (np.matmul's N-D form): the leading axes broadcast.
STACKS = [((3, 4, 5), (3, 5, 2)), ((3, 4, 5), (5, 2)), ((4, 5), (3, 5, 2)), ((2, 1, 4, 5), (3, 5, 6)),
          ((3, 4, 5), (5,)), ((5,), (2, 3, 5, 4)), ((2, 3, 20, 30), (2, 1, 30, 40)), ((0, 4, 5), (5, 2)),
          ((3, 4, 0), (3, 0, 2))]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64])
@pytest.mark.parametrize("sa,sb", STACKS, ids=[f"{a}@{b}" for a, b in STACKS])
def test_stacked_matmul(dtype, sa, sb):
    rng = np.random.default_rng(1)
    a, b = rng.random(sa).astype(dtype), rng.random(sb).astype(dtype)
    if np.iscomplexobj(a):
        a, b = a * (1 + 0.5j), b * (0.5 - 1j)
    got, want = matmul(a, b), a @ b
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype in (np.float32, np.complex64) else 1e-12)


def test_stacked_matmul_of_views_and_mixed_dtypes():
    rng = np.random.default_rng(2)
    a = rng.random((4, 6, 5, 3)).transpose(0, 3, 2, 1)[:, :, ::2]  # strided, not contiguous
    b = rng.random((6, 4)).astype(np.float32)
    got, want = matmul(a, b), a @ b
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_stacked_matmul_errors_are_numpys():
    a = np.ones((3, 4, 5))
    with pytest.raises(ValueError) as want:
        a @ np.ones((3, 4, 2))
    with pytest.raises(ValueError, match=re.escape(str(want.value))):
        matmul(a, np.ones((3, 4, 2)))
    with pytest.raises(ValueError, match="could not be broadcast"):
        matmul(a, np.ones((2, 5, 2)))
    with pytest.raises(Exception, match="(?s)only 1-D and 2-D.*np.matmul"):
        dot(a, np.ones((5, 2)))
