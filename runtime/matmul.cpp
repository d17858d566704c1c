// np.dot / @ for 1-D and 2-D float32/float64/complex64/complex128 arrays, and @ of stacks
// of matrices (N-D operands, their leading axes broadcast: one product per matrix). Large products go to the BLAS that
// NumPy itself ships (its bundled OpenBLAS, ILP64 `scipy_cblas_*64_` symbols, found by
// dunnart/blas.py and registered with dn_blas_register): gemv for a matrix and a vector,
// gemm for two matrices, as NumPy calls them: no extra dependency, and the same numbers
// NumPy computes. Small products, strided operands that BLAS cannot take,
// and machines without that BLAS use the loops below.
#include <algorithm>
#include <complex>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/blas.h"

namespace {

using namespace dn_runtime;

// Below this many multiply-adds the call overhead of BLAS outweighs its speed.
constexpr int64_t kBlasMinWork = 16 * 16 * 16;

struct Matrix {  // a 2-D view (vectors are 1xn or nx1), strides in elements
  char* data;
  int64_t rows, cols, rs, cs;
};

Matrix as_matrix(const void* desc, int64_t ndim, int64_t itemsize, bool vector_is_column) {
  void* d = const_cast<void*>(desc);
  const int64_t* sh = dn_array_shape(d);
  const int64_t* st = dn_array_strides(d, int(ndim));
  Matrix m{static_cast<const DnArrayHeader*>(desc)->data, 1, 1, 0, 0};
  if (ndim == 2) {
    m.rows = sh[0], m.cols = sh[1], m.rs = st[0] / itemsize, m.cs = st[1] / itemsize;
  } else if (vector_is_column) {
    m.rows = sh[0], m.cols = 1, m.rs = st[0] / itemsize, m.cs = 1;
  } else {
    m.rows = 1, m.cols = sh[0], m.rs = sh[0], m.cs = st[0] / itemsize;
  }
  return m;
}

template <class T>
void loops(const Matrix& a, const Matrix& b, T* c) {
  const T* pa = reinterpret_cast<const T*>(a.data);
  const T* pb = reinterpret_cast<const T*>(b.data);
  // Dot-product order with a local accumulator: no store per multiply-add.
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < b.cols; ++j) {
      T s = T(0);
      for (int64_t k = 0; k < a.cols; ++k) s += pa[i * a.rs + k * a.cs] * pb[k * b.rs + j * b.cs];
      c[i * b.cols + j] = s;
    }
}

// BLAS takes a matrix whose rows or columns are contiguous; returns the transpose flag
// and leading dimension, or false.
bool blas_layout(const Matrix& m, int* trans, blasint* ld) {
  if (m.cs == 1 && m.rs >= (m.cols > 1 ? m.cols : 1)) {
    *trans = kNoTrans;
    *ld = m.rs > 0 ? m.rs : 1;
    return true;
  }
  if (m.rs == 1 && m.cs >= (m.rows > 1 ? m.rows : 1)) {
    *trans = kTrans;
    *ld = m.cs > 0 ? m.cs : 1;
    return true;
  }
  return false;
}

// The BLAS calls of one dtype: gemv(trans, m, n, a, lda, x, incx, y) and gemm(ta, tb, m,
// n, k, a, lda, b, ldb, c, ldc), alpha 1 and beta 0 (complex ones by pointer); `usable`:
// both were registered.
template <class T>
struct Kernels {
  const Blas<T>& b = blas<T>();
  bool usable_gemv() const { return b.gemv; }
  bool usable_gemm() const { return b.gemm; }
  void gemv(int t, blasint m, blasint n, const T* a, blasint lda, const T* x, blasint incx, T* y) const {
    b.gemv(kRowMajor, t, m, n, T(1), a, lda, x, incx, T(0), y, 1);
  }
  void gemm(int ta, int tb, blasint m, blasint n, blasint k, const T* a, blasint lda, const T* bb, blasint ldb, T* c,
            blasint ldc) const {
    b.gemm(kRowMajor, ta, tb, m, n, k, T(1), a, lda, bb, ldb, T(0), c, ldc);
  }
};

template <class R>
struct Kernels<std::complex<R>> {
  using T = std::complex<R>;
  const ComplexBlas<R>& b = complex_blas<R>();
  const T one{1}, zero{0};
  bool usable_gemv() const { return b.gemv; }
  bool usable_gemm() const { return b.gemm; }
  void gemv(int t, blasint m, blasint n, const T* a, blasint lda, const T* x, blasint incx, T* y) const {
    b.gemv(kRowMajor, t, m, n, &one, a, lda, x, incx, &zero, y, 1);
  }
  void gemm(int ta, int tb, blasint m, blasint n, blasint k, const T* a, blasint lda, const T* bb, blasint ldb, T* c,
            blasint ldc) const {
    b.gemm(kRowMajor, ta, tb, m, n, k, &one, a, lda, bb, ldb, &zero, c, ldc);
  }
};

// y = m @ x by gemv (m rows x cols, x of stride incx > 0): m as BLAS stores it, row-major
// (rows contiguous: NoTrans) or its transpose (columns contiguous: Trans of the
// cols x rows matrix). False when m has neither layout.
template <class T>
bool gemv(const Kernels<T>& k, const Matrix& m, const T* x, int64_t incx, T* y) {
  int trans;
  blasint ld;
  if (!k.usable_gemv() || incx <= 0 || !blas_layout(m, &trans, &ld)) return false;
  if (trans == kNoTrans) k.gemv(kNoTrans, m.rows, m.cols, reinterpret_cast<const T*>(m.data), ld, x, incx, y);
  else k.gemv(kTrans, m.cols, m.rows, reinterpret_cast<const T*>(m.data), ld, x, incx, y);
  return true;
}

// The transpose of a view (its rows are the columns).
Matrix transposed(const Matrix& m) { return {m.data, m.cols, m.rows, m.cs, m.rs}; }

template <class T>
void product(const Matrix& a, const Matrix& b, T* c) {
  Kernels<T> k;
  if (a.rows * a.cols * b.cols >= kBlasMinWork) {
    // Matrix times vector (A @ x, x @ A) by gemv, as NumPy does: gemm with one column is
    // several times slower.
    if (b.cols == 1 && a.rows > 1 && gemv(k, a, reinterpret_cast<const T*>(b.data), b.rs, c)) return;
    if (a.rows == 1 && b.cols > 1 && gemv(k, transposed(b), reinterpret_cast<const T*>(a.data), a.cs, c)) return;
    int ta, tb;
    blasint lda, ldb;
    if (k.usable_gemm() && blas_layout(a, &ta, &lda) && blas_layout(b, &tb, &ldb)) {
      k.gemm(ta, tb, a.rows, b.cols, a.cols, reinterpret_cast<const T*>(a.data), lda, reinterpret_cast<const T*>(b.data),
             ldb, c, b.cols > 0 ? b.cols : 1);
      return;
    }
  }
  loops<T>(a, b, c);
}

std::string shape_text(const void* desc, int64_t ndim) {
  void* d = const_cast<void*>(desc);
  std::string s = "(";
  for (int64_t k = 0; k < ndim; ++k) s += (k ? "," : "") + std::to_string(dn_array_shape(d)[k]);
  return s + (ndim == 1 ? ",)" : ")");
}

void product_of(int32_t dtype, const Matrix& a, const Matrix& b, char* c) {
  switch (dtype) {
    case DN_FLOAT32: product<float>(a, b, reinterpret_cast<float*>(c)); break;
    case DN_COMPLEX64: product<std::complex<float>>(a, b, reinterpret_cast<std::complex<float>*>(c)); break;
    case DN_COMPLEX128: product<std::complex<double>>(a, b, reinterpret_cast<std::complex<double>*>(c)); break;
    default: product<double>(a, b, reinterpret_cast<double*>(c));
  }
}

// The last two axes of an N-D operand (or its one axis) as a matrix, at batch offset 0.
Matrix core_matrix(const void* desc, int64_t ndim, int64_t itemsize, bool vector_is_column) {
  if (ndim <= 2) return as_matrix(desc, ndim, itemsize, vector_is_column);
  void* d = const_cast<void*>(desc);
  const int64_t* sh = dn_array_shape(d);
  const int64_t* st = dn_array_strides(d, int(ndim));
  return {static_cast<const DnArrayHeader*>(desc)->data, sh[ndim - 2], sh[ndim - 1], st[ndim - 2] / itemsize,
          st[ndim - 1] / itemsize};
}

// a @ b with N-D operands: the stacks' shapes broadcast (as NumPy's matmul gufunc), one
// product per matrix of the result, written in C order.
int32_t stacked_matmul(const void* a, int64_t a_nd, const void* b, int64_t b_nd, void* out, int32_t dtype,
                       int64_t itemsize) {
  Matrix ma = core_matrix(a, a_nd, itemsize, false), mb = core_matrix(b, b_nd, itemsize, true);
  if (ma.cols != mb.rows) {
    std::string msg = "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                      "(n?,k),(k,m?)->(n?,m?) (size " + std::to_string(mb.rows) + " is different from " +
                      std::to_string(ma.cols) + ")";
    dn_set_error(DN_VALUE_ERROR, msg.c_str());
    return DN_VALUE_ERROR;
  }
  // The stack axes, right-aligned: each operand's extent and byte stride (0: broadcast).
  const int64_t a_batch = std::max<int64_t>(a_nd - 2, 0), b_batch = std::max<int64_t>(b_nd - 2, 0);
  const int64_t batch = std::max(a_batch, b_batch);
  std::vector<int64_t> shape(size_t(batch), 1), a_step(size_t(batch), 0), b_step(size_t(batch), 0);
  auto stack = [&](const void* desc, int64_t nd, int64_t count, std::vector<int64_t>& step) {
    void* d = const_cast<void*>(desc);
    const int64_t *sh = dn_array_shape(d), *st = dn_array_strides(d, int(nd));
    for (int64_t k = 0; k < count; ++k) {
      size_t at = size_t(batch - count + k);
      if (sh[k] != 1 && shape[at] != 1 && sh[k] != shape[at]) return false;
      if (sh[k] != 1) shape[at] = sh[k], step[at] = st[k];
    }
    return true;
  };
  if (!stack(a, a_nd, a_batch, a_step) || !stack(b, b_nd, b_batch, b_step)) {
    std::string msg = "operands could not be broadcast together with shapes " + shape_text(a, a_nd) + " " +
                      shape_text(b, b_nd) + " (matmul's stacks of matrices)";
    dn_set_error(DN_VALUE_ERROR, msg.c_str());
    return DN_VALUE_ERROR;
  }
  std::vector<int64_t> out_shape = shape;
  if (a_nd >= 2) out_shape.push_back(ma.rows);
  if (b_nd >= 2) out_shape.push_back(mb.cols);
  if (int32_t s = dn_array_new(out, int64_t(out_shape.size()), out_shape.data(), itemsize, dtype, 0)) return s;
  char* dst = static_cast<DnArrayHeader*>(out)->data;
  int64_t count = 1;
  for (int64_t e : shape) count *= e;
  const int64_t matrix_bytes = ma.rows * mb.cols * itemsize;
  std::vector<int64_t> index(size_t(batch), 0);
  for (int64_t m = 0; m < count; ++m) {
    product_of(dtype, ma, mb, dst + m * matrix_bytes);
    for (int64_t k = batch - 1; k >= 0; --k) {  // the next matrix, in C order
      size_t at = size_t(k);
      ma.data += a_step[at], mb.data += b_step[at];
      if (++index[at] < shape[at]) break;
      ma.data -= a_step[at] * shape[at], mb.data -= b_step[at] * shape[at];
      index[at] = 0;
    }
  }
  return DN_OK;
}

}  // namespace

extern "C" int32_t dn_matmul(const void* a, int64_t a_nd, const void* b, int64_t b_nd, void* out,
                             int32_t dtype) {
  int64_t itemsize = dtype == DN_FLOAT32 ? 4 : dtype == DN_COMPLEX128 ? 16 : 8;
  if (a_nd > 2 || b_nd > 2) return stacked_matmul(a, a_nd, b, b_nd, out, dtype, itemsize);
  Matrix ma = as_matrix(a, a_nd, itemsize, false);
  Matrix mb = as_matrix(b, b_nd, itemsize, true);
  if (ma.cols != mb.rows) {
    std::string msg = "shapes " + shape_text(a, a_nd) + " and " + shape_text(b, b_nd) + " not aligned: " +
                      std::to_string(ma.cols) + " (dim " + std::to_string(a_nd - 1) + ") != " +
                      std::to_string(mb.rows) + " (dim 0)";
    dn_set_error(DN_VALUE_ERROR, msg.c_str());
    return DN_VALUE_ERROR;
  }
  int64_t out_nd = a_nd + b_nd - 2;
  std::vector<int64_t> shape;
  if (a_nd == 2) shape.push_back(ma.rows);
  if (b_nd == 2) shape.push_back(mb.cols);
  char* dst;
  if (out_nd == 0) {
    dst = static_cast<char*>(out);  // a scalar result
  } else {
    if (int32_t s = dn_array_new(out, out_nd, shape.data(), itemsize, dtype, 0)) return s;
    dst = static_cast<DnArrayHeader*>(out)->data;
  }
  product_of(dtype, ma, mb, dst);
  return DN_OK;
}
