"""Issue 13, np.linalg.solve / inv / det / slogdet / cholesky / eigh / eigvalsh / eig / eigvals / svd / svdvals / qr through LAPACK
(the OpenBLAS NumPy bundles), and pinv / matrix_rank / cond / lstsq over them,
compared with NumPy running the same function: values (to NumPy's digits), dtypes and
shapes, float32 (computed in float64, as NumPy), ints, C/F/strided layouts, empty
matrices, and the errors NumPy raises (singular, non-square, mismatched right-hand side)."""
import numpy as np
import pytest

from dunnart import UnsupportedError, njit


@njit
def solve(a, b):
    return np.linalg.solve(a, b)


@njit
def inv(a):
    return np.linalg.inv(a)


@njit
def det(a):
    return np.linalg.det(a)


@njit
def slogdet(a):
    return np.linalg.slogdet(a)


@njit
def cholesky(a):
    return np.linalg.cholesky(a)


@njit
def eigh(a):
    return np.linalg.eigh(a)


@njit
def eigvalsh(a):
    return np.linalg.eigvalsh(a)


@njit
def eig(a):
    w, v = np.linalg.eig(a)
    return w, v, np.linalg.eigvals(a)


def layouts(m):
    return {"C": m.copy(), "F": np.asfortranarray(m), "strided": np.repeat(np.repeat(m, 2, 0), 2, 1)[::2, ::2],
            "transposed": m.T.copy().T}


def same(got, want):
    # (a float64 scalar comes back as a Python float, as from Numba)
    assert np.asarray(got).dtype == np.asarray(want).dtype and np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12 if np.asarray(want).dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("n", [1, 4, 37])
def test_solve_inv_det_match_numpy(n, dtype, layout):
    rng = np.random.default_rng(n)
    a = (rng.standard_normal((n, n)) + np.eye(n) * 3).astype(dtype)
    a = layouts(a)[layout]
    b1 = rng.standard_normal(n).astype(dtype)
    b2 = layouts(rng.standard_normal((n, 3)).astype(dtype))[layout]
    same(solve(a, b1), np.linalg.solve(a, b1))
    same(solve(a, b2), np.linalg.solve(a, b2))
    same(inv(a), np.linalg.inv(a))
    same(det(a), np.linalg.det(a))


def test_det_is_numpys_to_the_digit():
    a = np.random.default_rng(0).random((6, 6))
    assert det(a) == np.linalg.det(a)
    assert det(a.astype(np.float32)) == np.linalg.det(a.astype(np.float32))


def test_empty_and_singular():
    same(solve(np.zeros((0, 0)), np.zeros(0)), np.linalg.solve(np.zeros((0, 0)), np.zeros(0)))
    same(inv(np.zeros((0, 0))), np.linalg.inv(np.zeros((0, 0))))
    assert det(np.zeros((0, 0))) == 1.0
    assert det(np.ones((3, 3))) == np.linalg.det(np.ones((3, 3))) == 0.0
    for fn, args in ((inv, (np.ones((3, 3)),)), (solve, (np.ones((3, 3)), np.ones(3)))):
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            fn(*args)


def test_errors_are_numpys():
    with pytest.raises(np.linalg.LinAlgError, match="Last 2 dimensions of the array must be square"):
        inv(np.ones((3, 4)))
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        det(np.ones((2, 3)))
    for b in (np.ones(4), np.ones((4, 2))):
        with pytest.raises(ValueError, match=r"mismatch in its core dimension 0.*\(size 4 is different from 3\)"):
            solve(np.eye(3), b)
        with pytest.raises(ValueError, match="size 4 is different from 3"):
            np.linalg.solve(np.eye(3), b)


def test_linalg_error_is_caught_as_value_error():
    @njit
    def safe_inverse_trace(a):
        try:
            return np.linalg.inv(a)[0, 0]
        except ValueError:
            return -1.0

    assert safe_inverse_trace(np.ones((2, 2))) == -1.0
    assert safe_inverse_trace(np.eye(2) * 2.0) == 0.5


def test_unsupported_forms_say_so():
    with pytest.raises(UnsupportedError, match="only 2-D matrices"):
        inv(np.ones((2, 3, 3)))
    with pytest.raises(UnsupportedError, match="complex"):
        det(np.eye(2, dtype=np.complex128))


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("n", [1, 5, 40])
def test_symmetric_and_slogdet_match_numpy_bit_for_bit(n, dtype, layout):
    rng = np.random.default_rng(n + 100)
    m = rng.standard_normal((n, n))
    spd = m @ m.T + n * np.eye(n)
    a = layouts((spd * 10).round().astype(dtype) if dtype == np.int64 else spd.astype(dtype))[layout]
    for fn, np_fn in ((cholesky, np.linalg.cholesky), (eigvalsh, np.linalg.eigvalsh)):
        got, want = fn(a), np_fn(a)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    (w, v), (W, V) = eigh(a), np.linalg.eigh(a)
    assert w.dtype == W.dtype and v.dtype == V.dtype
    np.testing.assert_array_equal(w, W)
    np.testing.assert_array_equal(v, V)
    sign, logdet = slogdet(a)
    want = np.linalg.slogdet(a)
    assert (sign, logdet) == (want[0], want[1]) and np.asarray(logdet).dtype == want[1].dtype


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("n", [1, 5, 30])
def test_eig_of_a_general_matrix_with_real_eigenvalues(n, dtype, layout):
    rng = np.random.default_rng(n)
    p = np.eye(n) + 0.1 * rng.standard_normal((n, n))
    a = p @ np.diag(np.arange(1.0, n + 1) * 2) @ np.linalg.inv(p)  # not symmetric; eigenvalues 2, 4, ...
    a = layouts((a * 10).round().astype(dtype) if dtype == np.int64 else a.astype(dtype))[layout]
    W, V = np.linalg.eig(a)
    if np.iscomplexobj(W):
        pytest.skip("the rounded matrix has complex eigenvalues")  # not for these seeds
    w, v, values = eig(a)
    assert w.dtype == W.dtype and v.dtype == V.dtype and values.dtype == W.dtype
    tol = 1e-10 if W.dtype == np.float64 else 1e-4
    np.testing.assert_allclose(w, W, rtol=tol, atol=tol)
    np.testing.assert_allclose(values, np.linalg.eigvals(a), rtol=tol, atol=tol)
    np.testing.assert_allclose(np.abs(v), np.abs(V), rtol=tol, atol=tol)  # columns up to sign
    np.testing.assert_allclose(a.astype(np.float64) @ v, v * w, rtol=1e-3, atol=1e-3 * n * n)


def test_eig_errors():
    with pytest.raises(ValueError, match="complex eigenvalues.*eigh"):
        eig(np.array([[0.0, 1.0], [-1.0, 0.0]]))  # a rotation: +-i
    with pytest.raises(np.linalg.LinAlgError, match="infs or NaNs"):
        eig(np.array([[np.nan, 1.0], [0.0, 1.0]]))
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        eig(np.ones((2, 3)))
    w, v, values = eig(np.zeros((0, 0)))
    assert w.shape == (0,) and v.shape == (0, 0) and values.shape == (0,)


def test_cholesky_and_slogdet_errors_and_edges():
    with pytest.raises(np.linalg.LinAlgError, match="Matrix is not positive definite"):
        cholesky(-np.eye(3))
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        eigh(np.ones((2, 3)))
    assert slogdet(np.ones((3, 3))) == (0.0, -np.inf) == tuple(np.linalg.slogdet(np.ones((3, 3))))
    assert slogdet(np.zeros((0, 0))) == (1.0, 0.0)
    w, v = eigh(np.zeros((0, 0)))
    assert w.shape == (0,) and v.shape == (0, 0)
    sign, logdet = slogdet(np.diag([2.0, -3.0]))  # unpacks as NumPy's SlogdetResult does
    assert sign == -1.0 and logdet == np.log(6.0)


# svd, svdvals and qr through gesdd and geqrf/orgqr; pinv, matrix_rank, cond and lstsq as
# helpers over them. Singular vectors are unique up to sign: compared through what they
# reconstruct, and their absolute values where the singular values are distinct.
@njit
def svd(a):
    return np.linalg.svd(a)


@njit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@njit
def svd_values_qr(a):
    return np.linalg.svdvals(a), np.linalg.qr(a)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (1, 6), (0, 3)])
def test_svd_and_qr_match_numpy(shape, dtype, layout):
    m = layouts((np.random.default_rng(sum(shape)).standard_normal(shape) * 4).astype(dtype))[layout]
    tol = dict(rtol=1e-10, atol=1e-10) if np.asarray(np.linalg.svd(m)[1]).dtype == np.float64 else dict(rtol=1e-4, atol=1e-4)
    for got, want in zip(svd(m), np.linalg.svd(m)):
        assert got.dtype == want.dtype and got.shape == want.shape
    u, s, vh = svd(m)
    np.testing.assert_allclose(s, np.linalg.svd(m)[1], **tol)
    k = len(s)
    np.testing.assert_allclose((u[:, :k] * s) @ vh[:k], m, **tol)
    np.testing.assert_allclose(u.T @ u, np.eye(u.shape[0]), **tol)
    for got, want in zip(svd_reduced(m), np.linalg.svd(m, full_matrices=False)):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(np.abs(got), np.abs(want), **tol)
    values, (q, r) = svd_values_qr(m)
    np.testing.assert_allclose(values, np.linalg.svdvals(m), **tol)
    Q, R = np.linalg.qr(m)
    assert q.dtype == Q.dtype and q.shape == Q.shape and r.shape == R.shape
    np.testing.assert_allclose(q, Q, **tol)  # the same Householder steps: the same signs
    np.testing.assert_allclose(r, R, **tol)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pinv_rank_cond_lstsq_match_numpy(dtype):
    rng = np.random.default_rng(5)
    tall, singular = rng.standard_normal((6, 3)).astype(dtype), np.array([[1.0, 2.0], [2.0, 4.0]], dtype)
    b = rng.standard_normal(6).astype(dtype)
    tol = dict(rtol=1e-9, atol=1e-9) if dtype == np.float64 else dict(rtol=1e-4, atol=1e-4)
    cases = [(lambda a: np.linalg.pinv(a), (tall,)), (lambda a: np.linalg.pinv(a), (singular,)),
             (lambda a: np.linalg.matrix_rank(a), (tall,)), (lambda a: np.linalg.matrix_rank(a), (singular,)),
             (lambda a: np.linalg.cond(a), (tall,)), (lambda a: np.linalg.cond(a), (singular,)),
             (lambda a, b: np.linalg.lstsq(a, b), (tall, b)), (lambda a, b: np.linalg.lstsq(a, b), (tall.T, b[:3])),
             (lambda a, b: np.linalg.lstsq(a, b), (tall, np.stack((b, 2 * b), 1)))]
    for fn, args in cases:
        got, want = njit(fn)(*args), fn(*args)
        for g, w in zip(got if isinstance(got, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
            assert np.asarray(g).dtype == np.asarray(w).dtype and np.shape(g) == np.shape(w), (fn, g, w)
            np.testing.assert_allclose(g, w, **tol)


def test_svd_forms_it_does_not_take_say_so():
    with pytest.raises(UnsupportedError, match="svdvals"):
        njit(lambda a: np.linalg.svd(a, compute_uv=False))(np.eye(2))
    with pytest.raises(ValueError, match="Incompatible dimensions"):
        njit(lambda a, b: np.linalg.lstsq(a, b))(np.eye(3), np.ones(2))


VECTOR_ORDS = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=str)
@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64, np.complex128])
def test_norm_vector_orders(ord, dtype):
    x = (np.array([3, -4, 0, 1.5, -2]) * (1 + 1j if dtype == np.complex128 else 1)).astype(dtype)
    f = lambda x: np.linalg.norm(x, ord)
    expected, got = f(x), njit(f)(x)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert np.asarray(got).dtype == np.asarray(expected).dtype


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
@pytest.mark.parametrize("layout", ["C", "F"])
def test_norm_matrix_orders(ord, layout):
    m = np.random.default_rng(4).standard_normal((4, 5))
    m = np.asfortranarray(m) if layout == "F" else m
    f = lambda x: np.linalg.norm(x, ord)
    np.testing.assert_allclose(njit(f)(m), f(m), rtol=1e-12)
    g = lambda x: np.linalg.norm(x, ord, (1, 0))
    np.testing.assert_allclose(njit(g)(m), g(m), rtol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, -1, (1,)], ids=str)
@pytest.mark.parametrize("ord", [None, 1, np.inf, 3], ids=str)
def test_norm_along_an_axis(axis, ord):
    m = np.random.default_rng(5).standard_normal((3, 4, 5))
    f = lambda x: np.linalg.norm(x, ord, axis)
    np.testing.assert_allclose(njit(f)(m), f(m), rtol=1e-12)


def test_norm_errors():
    with pytest.raises(ValueError, match="Invalid norm order 'nuc' for vectors"):
        njit(lambda x: np.linalg.norm(x, "nuc"))(np.ones(3))
    with pytest.raises(ValueError, match="Invalid norm order for matrices"):
        njit(lambda x: np.linalg.norm(x, 3))(np.ones((2, 2)))
    with pytest.raises(ValueError, match="Duplicate axes given"):
        njit(lambda x: np.linalg.norm(x, axis=(0, 0)))(np.ones((2, 2)))
    with pytest.raises(ValueError, match="Improper number of dimensions to norm"):
        njit(lambda x: np.linalg.norm(x, 2))(np.ones((2, 2, 2)))
