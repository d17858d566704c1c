"""The BLAS behind np.dot / @ in compiled code: the OpenBLAS that NumPy's wheels bundle
(ILP64, symbols scipy_cblas_{d,s,z,c}gemm64_ and _{d,s,z,c}gemv64_). Using NumPy's own copy adds no dependency and
gives NumPy's numbers. Without it (a NumPy built against another BLAS), compiled code
uses its own loops, which are correct but slower for large matrices."""
import ctypes
import glob
import os
import sys

_done = False


# The CBLAS functions compiled code calls (gemm for matrix products, gemv for a matrix and
# a vector: NumPy's choices too), and the LAPACK ones of np.linalg (runtime/linalg.cpp).
NAMES = ("dgemm", "sgemm", "dgemv", "sgemv", "zgemm", "cgemm", "zgemv", "cgemv")
LAPACK_NAMES = ("dgesv", "dgetrf", "dpotrf", "dsyevd", "dgeev", "dgesdd", "dgeqrf", "dorgqr")  # float32 computes in float64, as NumPy


def find_functions():
    """{name: address} of NAMES and LAPACK_NAMES in NumPy's bundled OpenBLAS ({} when it
    is absent)."""
    import numpy
    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        found = {}
        symbols = [(n, f"scipy_cblas_{n}64_") for n in NAMES] + [(n, f"scipy_{n}_64_") for n in LAPACK_NAMES]
        for name, symbol in symbols:
            fn = getattr(lib, symbol, None)
            if fn is not None:
                found[name] = ctypes.cast(fn, ctypes.c_void_p).value or 0
        if found:
            return found
    return {}


def ensure_registered():
    """Registers NumPy's BLAS with the runtime once NumPy is in use. Before the program
    imports NumPy no compiled code can hold an array to multiply, so there is nothing to
    register (and importing NumPy here would cost a scalar-only program 50 ms)."""
    global _done
    if not _done and "numpy" in sys.modules:
        from . import _core
        for name, address in find_functions().items():
            _core.register_blas(name, address)
        _done = True
