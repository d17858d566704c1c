"""The BLAS behind np.dot / @ in compiled code: the OpenBLAS that NumPy's wheels bundle
(ILP64, symbols scipy_cblas_{d,s}gemm64_). Using NumPy's own copy adds no dependency and
gives NumPy's numbers. Without it (a NumPy built against another BLAS), compiled code
uses its own loops, which are correct but slower for large matrices."""
import ctypes
import glob
import os
import sys

_done = False


def find_gemm():
    """(dgemm address, sgemm address), or (0, 0) when NumPy's bundled OpenBLAS is absent."""
    import numpy
    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)
            d = ctypes.cast(getattr(lib, "scipy_cblas_dgemm64_"), ctypes.c_void_p).value
            s = ctypes.cast(getattr(lib, "scipy_cblas_sgemm64_"), ctypes.c_void_p).value
            return d or 0, s or 0
        except (OSError, AttributeError):
            continue
    return 0, 0


def ensure_registered():
    """Registers NumPy's BLAS with the runtime once NumPy is in use. Before the program
    imports NumPy no compiled code can hold an array to multiply, so there is nothing to
    register (and importing NumPy here would cost a scalar-only program 50 ms)."""
    global _done
    if not _done and "numpy" in sys.modules:
        from . import _core
        _core.register_blas(*find_gemm())
        _done = True
