// np.linalg.solve, inv, det, slogdet, cholesky, eigh, eigvalsh, svd, svdvals and qr of 2-D float32/float64
// arrays, through the LAPACK of the OpenBLAS that NumPy bundles (runtime/blas.h), as NumPy
// computes them: solve and inv by gesv (inv solves against the identity), det and slogdet
// by getrf (from U's diagonal, its sign flipped by each row interchange), cholesky by potrf,
// eigh by syevd, all on the lower triangle where one is read; eig by geev; svd by gesdd, qr by geqrf and orgqr. LAPACK wants column-major matrices: operands are
// copied into Fortran-order buffers (they are overwritten anyway), results copied out.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/blas.h"

namespace {

using dn_runtime::blasint;

struct View {  // a 1-D or 2-D array operand: a column vector when 1-D
  const char* data;
  int64_t rows, cols, rs, cs;  // strides in bytes
};

View view_of(const void* desc, int64_t ndim) {
  void* d = const_cast<void*>(desc);
  const int64_t* sh = dn_array_shape(d);
  const int64_t* st = dn_array_strides(d, int(ndim));
  const char* data = static_cast<const DnArrayHeader*>(desc)->data;
  if (ndim == 2) return {data, sh[0], sh[1], st[0], st[1]};
  return {data, sh[0], 1, st[0], 0};
}

// The operand in float64, column-major (its elements float32 or float64: `dtype`).
std::vector<double> fortran_copy(const View& v, int32_t dtype) {
  std::vector<double> out(size_t(v.rows * v.cols));
  for (int64_t j = 0; j < v.cols; ++j)
    for (int64_t i = 0; i < v.rows; ++i) {
      const char* p = v.data + i * v.rs + j * v.cs;
      double& x = out[size_t(i + j * v.rows)];
      if (dtype == DN_FLOAT32) {
        float f;
        std::memcpy(&f, p, sizeof f);
        x = f;
      } else {
        std::memcpy(&x, p, sizeof x);
      }
    }
  return out;
}

int32_t fail(int32_t code, const std::string& message) {
  dn_set_error(code, message.c_str());
  return code;
}

int32_t no_lapack(const char* what) {
  return fail(DN_NOT_IMPLEMENTED_ERROR, std::string("np.linalg.") + what +
                                            " needs LAPACK: dunnart uses the OpenBLAS that NumPy's wheels bundle, "
                                            "and this NumPy has none (install NumPy from PyPI)");
}

// A new C-ordered array of `rows` (x `cols` when 2-D) of T from a column-major buffer.
template <class T>
int32_t array_from_fortran(const std::vector<double>& f, int64_t rows, int64_t cols, int64_t ndim, void* out,
                           int32_t dtype) {
  int64_t shape[2] = {rows, cols};
  if (int32_t s = dn_array_new(out, ndim, shape, sizeof(T), dtype, 0)) return s;
  T* dst = reinterpret_cast<T*>(static_cast<DnArrayHeader*>(out)->data);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) dst[i * cols + j] = T(f[size_t(i + j * rows)]);
  return DN_OK;
}

template <class T>
int32_t write_scalar(double v, void* out) {
  T x = T(v);
  std::memcpy(out, &x, sizeof x);
  return DN_OK;
}

// getrf's sign and log|det| (as NumPy: the sum of the logarithms of U's diagonal, no
// overflow on the way; sign 0 and -inf for a singular matrix).
int32_t slogdet(const View& a, int32_t dtype, double* sign, double* log_det) {
  const blasint n = a.rows;
  *sign = 1.0, *log_det = 0.0;
  if (n == 0) return DN_OK;
  const auto& lapack = dn_runtime::blas<double>();
  if (!lapack.getrf) return no_lapack("det");
  std::vector<double> lu = fortran_copy(a, dtype);
  std::vector<blasint> pivots(static_cast<size_t>(n));
  blasint info = 0;
  lapack.getrf(&n, &n, lu.data(), &n, pivots.data(), &info);
  if (info > 0) {
    *sign = 0.0, *log_det = -HUGE_VAL;
    return DN_OK;
  }
  for (blasint i = 0; i < n; ++i) {
    double u = lu[size_t(i + i * n)];
    if (u < 0.0) *sign = -*sign, u = -u;
    if (pivots[size_t(i)] != i + 1) *sign = -*sign;
    *log_det += std::log(u);
  }
  return DN_OK;
}

template <class T>
int32_t solve_or_inverse(int32_t op, const View& a, const void* b_desc, int64_t b_nd, void* out, int32_t dtype) {
  const blasint n = a.rows;
  View b{};
  if (op == DN_LINALG_SOLVE) {
    b = view_of(b_desc, b_nd);
    if (b.rows != n) {
      const char* sig = b_nd == 1 ? "solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                                    "signature (m,m),(m)->(m)"
                                  : "solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                                    "signature (m,m),(m,n)->(m,n)";
      return fail(DN_VALUE_ERROR, std::string(sig) + " (size " + std::to_string(b.rows) + " is different from " +
                                      std::to_string(n) + ")");
    }
  }
  const int64_t rhs = op == DN_LINALG_INV ? n : b.cols;
  std::vector<double> x;
  if (op == DN_LINALG_INV) {  // solved against the identity, as NumPy
    x.assign(size_t(n * n), 0.0);
    for (blasint i = 0; i < n; ++i) x[size_t(i + i * n)] = 1.0;
  } else {
    x = fortran_copy(b, dtype);
  }
  if (n > 0 && rhs > 0) {
    const auto& lapack = dn_runtime::blas<double>();
    if (!lapack.gesv) return no_lapack(op == DN_LINALG_INV ? "inv" : "solve");
    std::vector<double> lu = fortran_copy(a, dtype);
    std::vector<blasint> pivots(static_cast<size_t>(n));
    blasint nrhs = rhs, info = 0;
    lapack.gesv(&n, &nrhs, lu.data(), &n, pivots.data(), x.data(), &n, &info);
    if (info > 0) return fail(DN_LINALG_ERROR, "Singular matrix");
  }
  return array_from_fortran<T>(x, n, rhs, op == DN_LINALG_SOLVE ? b_nd : 2, out, dtype);
}

// potrf on the lower triangle; the upper one zeroed, as NumPy.
template <class T>
int32_t cholesky(const View& a, void* out, int32_t dtype) {
  const blasint n = a.rows;
  std::vector<double> l = fortran_copy(a, dtype);
  if (n > 0) {
    const auto& lapack = dn_runtime::blas<double>();
    if (!lapack.potrf) return no_lapack("cholesky");
    blasint info = 0;
    lapack.potrf("L", &n, l.data(), &n, &info, 1);
    if (info > 0) return fail(DN_LINALG_ERROR, "Matrix is not positive definite");
    for (blasint j = 1; j < n; ++j)
      for (blasint i = 0; i < j; ++i) l[size_t(i + j * n)] = 0.0;
  }
  return array_from_fortran<T>(l, n, n, 2, out, dtype);
}

// syevd of the lower triangle (NumPy's UPLO='L'): ascending eigenvalues, and with
// `vectors` the eigenvectors as columns.
template <class T>
int32_t eigh(const View& a, bool vectors, void* const* outs, int32_t dtype) {
  const blasint n = a.rows;
  std::vector<double> v = fortran_copy(a, dtype), w(static_cast<size_t>(n));
  if (n > 0) {
    const auto& lapack = dn_runtime::blas<double>();
    if (!lapack.syevd) return no_lapack(vectors ? "eigh" : "eigvalsh");
    const char* jobz = vectors ? "V" : "N";
    blasint info = 0, query = -1, liwork_size = 0;
    double lwork_size = 0;
    lapack.syevd(jobz, "L", &n, v.data(), &n, w.data(), &lwork_size, &query, &liwork_size, &query, &info, 1, 1);
    blasint lwork = blasint(lwork_size), liwork = liwork_size;
    std::vector<double> work(static_cast<size_t>(std::max<blasint>(lwork, 1)));
    std::vector<blasint> iwork(static_cast<size_t>(std::max<blasint>(liwork, 1)));
    lapack.syevd(jobz, "L", &n, v.data(), &n, w.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
    if (info > 0) return fail(DN_LINALG_ERROR, "Eigenvalues did not converge");
  }
  if (int32_t s = array_from_fortran<T>(w, n, 1, 1, outs[0], dtype)) return s;
  return vectors ? array_from_fortran<T>(v, n, n, 2, outs[1], dtype) : DN_OK;
}

// geev (NumPy's driver for eig and eigvals): the right eigenvectors, as columns normalised
// to unit length. NumPy gives complex arrays when an eigenvalue is complex, a dtype that
// follows the values; compiled code's dtype is fixed, so those raise.
template <class T>
int32_t eig(const View& a, bool vectors, void* const* outs, int32_t dtype) {
  const blasint n = a.rows;
  std::vector<double> f = fortran_copy(a, dtype), wr(static_cast<size_t>(n)), wi(static_cast<size_t>(n));
  for (double x : f)
    if (!std::isfinite(x)) return fail(DN_LINALG_ERROR, "Array must not contain infs or NaNs");
  std::vector<double> vr(size_t(vectors ? std::max<blasint>(n * n, 1) : 1));
  if (n > 0) {
    const auto& lapack = dn_runtime::blas<double>();
    if (!lapack.geev) return no_lapack(vectors ? "eig" : "eigvals");
    const char* jobvr = vectors ? "V" : "N";
    blasint info = 0, query = -1, one = 1, ldvr = vectors ? n : 1;
    double size = 0, vl = 0;
    lapack.geev("N", jobvr, &n, f.data(), &n, wr.data(), wi.data(), &vl, &one, vr.data(), &ldvr, &size, &query, &info,
                1, 1);
    blasint lwork = std::max<blasint>(blasint(size), 1);
    std::vector<double> work(static_cast<size_t>(lwork));
    lapack.geev("N", jobvr, &n, f.data(), &n, wr.data(), wi.data(), &vl, &one, vr.data(), &ldvr, work.data(), &lwork,
                &info, 1, 1);
    if (info > 0) return fail(DN_LINALG_ERROR, "Eigenvalues did not converge");
    for (double im : wi)
      if (im != 0.0)
        return fail(DN_VALUE_ERROR, std::string("np.linalg.") + (vectors ? "eig" : "eigvals") +
                                        "() of this real matrix has complex eigenvalues, for which NumPy returns a "
                                        "complex array: compiled code returns real arrays only (of a real matrix); "
                                        "call it outside the jitted function, or use np.linalg.eigh for a symmetric one");
  }
  if (int32_t s = array_from_fortran<T>(wr, n, 1, 1, outs[0], dtype)) return s;
  return vectors ? array_from_fortran<T>(vr, n, n, 2, outs[1], dtype) : DN_OK;
}

// gesdd (NumPy's driver): jobz "A" (full u and vh), "S" (reduced) or "N" (values only).
template <class T>
int32_t svd(const View& a, char jobz, void* const* outs, int32_t dtype) {
  const blasint m = a.rows, n = a.cols, k = std::min(m, n);
  const blasint ucols = jobz == 'A' ? m : k, vrows = jobz == 'A' ? n : k;
  std::vector<double> f = fortran_copy(a, dtype), s(static_cast<size_t>(k));
  std::vector<double> u(size_t(jobz == 'N' ? 1 : std::max<blasint>(m * ucols, 1)));
  std::vector<double> vt(size_t(jobz == 'N' ? 1 : std::max<blasint>(vrows * n, 1)));
  if (k > 0) {
    const auto& lapack = dn_runtime::blas<double>();
    if (!lapack.gesdd) return no_lapack(jobz == 'N' ? "svdvals" : "svd");
    const char job[2] = {jobz, 0};
    blasint info = 0, query = -1, ldu = std::max<blasint>(m, 1), ldvt = std::max<blasint>(vrows, 1);
    std::vector<blasint> iwork(static_cast<size_t>(8 * k));
    double size = 0;
    lapack.gesdd(job, &m, &n, f.data(), &m, s.data(), u.data(), &ldu, vt.data(), &ldvt, &size, &query, iwork.data(),
                 &info, 1);
    blasint lwork = std::max<blasint>(blasint(size), 1);
    std::vector<double> work(static_cast<size_t>(lwork));
    lapack.gesdd(job, &m, &n, f.data(), &m, s.data(), u.data(), &ldu, vt.data(), &ldvt, work.data(), &lwork,
                 iwork.data(), &info, 1);
    if (info > 0) return fail(DN_LINALG_ERROR, "SVD did not converge");
  } else if (jobz == 'A') {  // an empty matrix: identities of the other side, as NumPy
    for (blasint i = 0; i < m; ++i) u[size_t(i + i * m)] = 1.0;
    for (blasint i = 0; i < n; ++i) vt[size_t(i + i * n)] = 1.0;
  }
  if (jobz == 'N') return array_from_fortran<T>(s, k, 1, 1, outs[0], dtype);
  if (int32_t e = array_from_fortran<T>(u, m, ucols, 2, outs[0], dtype)) return e;
  if (int32_t e = array_from_fortran<T>(s, k, 1, 1, outs[1], dtype)) return e;
  return array_from_fortran<T>(vt, vrows, n, 2, outs[2], dtype);
}

// geqrf then orgqr (NumPy's mode="reduced"): q m x k with orthonormal columns, r k x n upper.
template <class T>
int32_t qr(const View& a, void* const* outs, int32_t dtype) {
  const blasint m = a.rows, n = a.cols, k = std::min(m, n);
  std::vector<double> f = fortran_copy(a, dtype), tau(size_t(std::max<blasint>(k, 1)));
  std::vector<double> r(size_t(k * n), 0.0);
  if (k > 0) {
    const auto& lapack = dn_runtime::blas<double>();
    if (!lapack.geqrf || !lapack.orgqr) return no_lapack("qr");
    blasint info = 0, query = -1;
    double size = 0;
    lapack.geqrf(&m, &n, f.data(), &m, tau.data(), &size, &query, &info);
    blasint lwork = std::max<blasint>(blasint(size), 1);
    std::vector<double> work(static_cast<size_t>(lwork));
    lapack.geqrf(&m, &n, f.data(), &m, tau.data(), work.data(), &lwork, &info);
    for (blasint j = 0; j < n; ++j)
      for (blasint i = 0; i <= std::min(j, k - 1); ++i) r[size_t(i + j * k)] = f[size_t(i + j * m)];
    lapack.orgqr(&m, &k, &k, f.data(), &m, tau.data(), &size, &query, &info);
    lwork = std::max<blasint>(blasint(size), 1);
    work.assign(size_t(lwork), 0.0);
    lapack.orgqr(&m, &k, &k, f.data(), &m, tau.data(), work.data(), &lwork, &info);
  }
  if (int32_t e = array_from_fortran<T>(f, m, k, 2, outs[0], dtype)) return e;  // q: f's first k columns
  return array_from_fortran<T>(r, k, n, 2, outs[1], dtype);
}

// Computed in float64 whatever the dtype, as NumPy does (its float32 results are float64
// ones rounded); T, the result's type.
template <class T>
int32_t linalg(int32_t op, const void* a_desc, const void* b_desc, int64_t b_nd, void* const* outs, int32_t dtype) {
  View a = view_of(a_desc, 2);
  if (op == DN_LINALG_SVD) return svd<T>(a, b_nd ? 'A' : 'S', outs, dtype);
  if (op == DN_LINALG_SVDVALS) return svd<T>(a, 'N', outs, dtype);
  if (op == DN_LINALG_QR) return qr<T>(a, outs, dtype);
  if (a.rows != a.cols) return fail(DN_LINALG_ERROR, "Last 2 dimensions of the array must be square");
  switch (op) {
    case DN_LINALG_SOLVE:
    case DN_LINALG_INV: return solve_or_inverse<T>(op, a, b_desc, b_nd, outs[0], dtype);
    case DN_LINALG_DET:
    case DN_LINALG_SLOGDET: {
      double sign, log_det;
      if (int32_t s = slogdet(a, dtype, &sign, &log_det)) return s;
      if (op == DN_LINALG_DET) return write_scalar<T>(sign * std::exp(log_det), outs[0]);
      write_scalar<T>(sign, outs[0]);
      return write_scalar<T>(log_det, outs[1]);
    }
    case DN_LINALG_CHOLESKY: return cholesky<T>(a, outs[0], dtype);
    case DN_LINALG_EIGVALSH:
    case DN_LINALG_EIGH: return eigh<T>(a, op == DN_LINALG_EIGH, outs, dtype);
    case DN_LINALG_EIGVALS:
    case DN_LINALG_EIG: return eig<T>(a, op == DN_LINALG_EIG, outs, dtype);
    default: return fail(DN_RUNTIME_ERROR, "unknown np.linalg operation");
  }
}

}  // namespace

extern "C" int32_t dn_linalg(int32_t op, const void* a, const void* b, int64_t b_nd, void* const* outs,
                             int32_t dtype) {
  if (dtype == DN_FLOAT32) return linalg<float>(op, a, b, b_nd, outs, dtype);
  return linalg<double>(op, a, b, b_nd, outs, dtype);
}
