"""Result comparison, after tools/check_kernels.py: exact for integers, 1e-9 relative for
float64, 1e-5 when float32 is involved; tuples element by element."""
import numpy as np


def same(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        return bool(np.array_equal(a, b))
    rtol = 1e-5 if np.float32 in (a.dtype.type, b.dtype.type) else 1e-9
    return bool(np.allclose(a, b, rtol=rtol, atol=1e-12, equal_nan=True))


def mismatch(got, expected):
    """'' when equal, else a one-line description."""
    return "" if same(got, expected) else f"got {str(got)[:60]!r}, expected {str(expected)[:60]!r}"
