// The BLAS and LAPACK functions compiled code calls, found at run time in the OpenBLAS that
// NumPy's wheels bundle (ILP64; dunnart/blas.py looks them up and registers each with
// dn_blas_register). Null where absent: callers fall back to loops, or raise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dn_runtime {

using blasint = int64_t;
enum { kRowMajor = 101, kNoTrans = 111, kTrans = 112 };

template <class T>
using Gemm = void (*)(int, int, int, blasint, blasint, blasint, T, const T*, blasint, const T*, blasint, T, T*,
                      blasint);
template <class T>
using Gemv = void (*)(int, int, blasint, blasint, T, const T*, blasint, const T*, blasint, T, T*, blasint);
// LAPACK's Fortran interface: every argument by pointer, matrices column-major.
template <class T>
using Gesv = void (*)(const blasint* n, const blasint* nrhs, T* a, const blasint* lda, blasint* ipiv, T* b,
                      const blasint* ldb, blasint* info);
template <class T>
using Getrf = void (*)(const blasint* m, const blasint* n, T* a, const blasint* lda, blasint* ipiv, blasint* info);

// Character arguments (jobz, uplo) pass their lengths after all the others (gfortran).
template <class T>
using Potrf = void (*)(const char* uplo, const blasint* n, T* a, const blasint* lda, blasint* info, size_t uplo_len);
template <class T>
using Syevd = void (*)(const char* jobz, const char* uplo, const blasint* n, T* a, const blasint* lda, T* w, T* work,
                       const blasint* lwork, blasint* iwork, const blasint* liwork, blasint* info, size_t jobz_len,
                       size_t uplo_len);

template <class T>
using Gesdd = void (*)(const char* jobz, const blasint* m, const blasint* n, T* a, const blasint* lda, T* s, T* u,
                       const blasint* ldu, T* vt, const blasint* ldvt, T* work, const blasint* lwork, blasint* iwork,
                       blasint* info, size_t jobz_len);
template <class T>
using Geqrf = void (*)(const blasint* m, const blasint* n, T* a, const blasint* lda, T* tau, T* work,
                       const blasint* lwork, blasint* info);
template <class T>
using Orgqr = void (*)(const blasint* m, const blasint* n, const blasint* k, T* a, const blasint* lda, const T* tau,
                       T* work, const blasint* lwork, blasint* info);

// jobvl, jobvr: "N" or "V"; eigenvalues as real and imaginary parts.
template <class T>
using Geev = void (*)(const char* jobvl, const char* jobvr, const blasint* n, T* a, const blasint* lda, T* wr, T* wi,
                      T* vl, const blasint* ldvl, T* vr, const blasint* ldvr, T* work, const blasint* lwork,
                      blasint* info, size_t jobvl_len, size_t jobvr_len);

// The registered functions of one precision (float or double).
template <class T>
struct Blas {
  Gemm<T> gemm = nullptr;
  Gemv<T> gemv = nullptr;
  Gesv<T> gesv = nullptr;
  Getrf<T> getrf = nullptr;
  Potrf<T> potrf = nullptr;
  Syevd<T> syevd = nullptr;
  Geev<T> geev = nullptr;
  Gesdd<T> gesdd = nullptr;
  Geqrf<T> geqrf = nullptr;
  Orgqr<T> orgqr = nullptr;
};

template <class T>
const Blas<T>& blas();

// CBLAS's complex gemm and gemv take alpha and beta by pointer.
using ComplexGemm = void (*)(int, int, int, blasint, blasint, blasint, const void*, const void*, blasint, const void*,
                             blasint, const void*, void*, blasint);
using ComplexGemv = void (*)(int, int, blasint, blasint, const void*, const void*, blasint, const void*, blasint,
                             const void*, void*, blasint);

// The registered complex functions of one precision (R: float or double).
template <class R>
struct ComplexBlas {
  ComplexGemm gemm = nullptr;
  ComplexGemv gemv = nullptr;
};

template <class R>
const ComplexBlas<R>& complex_blas();

}  // namespace dn_runtime
