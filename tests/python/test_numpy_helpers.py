"""Helpers shared by the test_numpy_*.py modules (issue 3, NumPy array programming in
nopython mode). This module holds no tests of its own.

`npcheck(f, *args)` runs `f.py_func` (NumPy itself) and the compiled `f` on copies of the
same arguments and compares, strictly:
  * arrays: type numpy.ndarray, same dtype, same shape, same values (exact for ints and
    bools; floats within rtol/atol, NaN equal to NaN, infinities equal);
  * scalars: the value, and the dtype where it can be seen: a NumPy scalar must have
    NumPy's dtype; a Python float stands for float64, a Python int for any integer dtype
    (dunnart, like Numba, may box integer results as int), a Python bool for bool;
  * tuples element by element;
  * the arguments afterwards (so in-place writes must match NumPy's too).

`rand(dtype, shape, layout, seed)` builds random arrays in a given memory layout:
"C", "F" (np.asfortranarray), "strided" (a[::2] in 1-D, a[::2, ::3] in n-D: a view into a
bigger array), "reversed" (negative stride on the first axis), "colstep" (a[:, ::3]).
"""
import numpy as np

from jitcheck import check_raises, clone  # noqa: F401  (one definition for both helper modules)

LAYOUTS = ["C", "F", "strided", "reversed", "colstep"]
dtype_id = lambda d: np.dtype(d).name  # noqa: E731


def pid(v):
    """pytest id: dtype names for NumPy scalar types, str() for everything else."""
    if isinstance(v, type) and issubclass(v, np.generic):
        return np.dtype(v).name
    if isinstance(v, np.generic):
        return repr(v)
    return str(v)


def rand(dtype, shape, layout="C", seed=0, lo=None, hi=None):
    """Random array of `dtype` and `shape` laid out as `layout`. Integers are drawn from
    [lo, hi) (default [-20, 20)), floats from uniform(lo, hi) (default (-3, 3)), bools
    with probability 1/2."""
    rng = np.random.default_rng(seed)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    dt = np.dtype(dtype)

    def draw(shp):
        if dt.kind == "b":
            return rng.random(shp) < 0.5
        if dt.kind in "iu":
            return rng.integers(-20 if lo is None else lo, 20 if hi is None else hi, size=shp).astype(dt)
        return rng.uniform(-3.0 if lo is None else lo, 3.0 if hi is None else hi, size=shp).astype(dt)

    if layout == "C":
        return np.ascontiguousarray(draw(shape))
    if layout == "F":
        a = np.asfortranarray(draw(shape))
        assert a.flags.f_contiguous
        return a
    if layout == "strided":
        if len(shape) == 1:
            return draw((shape[0] * 2,))[::2]
        big = draw((shape[0] * 2,) + shape[1:-1] + (shape[-1] * 3,))
        return big[(slice(None, None, 2),) + (slice(None),) * (len(shape) - 2) + (slice(None, None, 3),)]
    if layout == "colstep":
        big = draw(shape[:-1] + (shape[-1] * 3,))
        return big[..., ::3]
    if layout == "reversed":
        return np.ascontiguousarray(draw(shape))[::-1]
    raise ValueError(layout)


def _default_rtol(expected):
    dt = expected.dtype if isinstance(expected, (np.ndarray, np.generic)) else None
    if dt is not None and dt in (np.float32, np.complex64):
        return 2e-6
    if dt is not None and dt == np.float16:
        return 1e-3
    return 1e-12


def scalar_dtype_ok(got, expected):
    """Whether the scalar `got` may stand for NumPy's scalar `expected` (see module doc)."""
    if isinstance(got, np.generic):
        if isinstance(expected, np.generic):
            return got.dtype == expected.dtype
        # CPython returned a Python scalar
        return np.dtype(type(expected)).kind == got.dtype.kind or (
            isinstance(expected, float) and got.dtype == np.float64)
    edt = expected.dtype if isinstance(expected, np.generic) else np.asarray(expected).dtype
    if isinstance(got, (bool, np.bool_)):
        return edt.kind == "b"
    if isinstance(got, int):
        return edt.kind in "iu"
    if isinstance(got, float):
        return edt == np.float64
    if isinstance(got, complex):
        return edt == np.complex128
    return False


def same(got, expected, rtol=None, atol=0.0, where="result", allow_0d=False):
    """Assert that dunnart's `got` equals NumPy's `expected` (values, dtypes, shapes)."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple), f"{where}: expected a tuple, got {type(got).__name__} {got!r}"
        assert len(got) == len(expected), f"{where}: {len(got)} items, expected {len(expected)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            same(g, e, rtol, atol, f"{where}[{i}]", allow_0d)
        return
    if rtol is None:
        rtol = _default_rtol(expected)
    if isinstance(expected, np.ndarray):
        assert type(got) is np.ndarray, f"{where}: expected ndarray {expected!r}, got {type(got).__name__} {got!r}"
        assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype}, NumPy gives {expected.dtype}"
        assert got.shape == expected.shape, f"{where}: shape {got.shape}, NumPy gives {expected.shape}"
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(got, expected, err_msg=where)
        return
    if expected is None:
        assert got is None, f"{where}: expected None, got {got!r}"
        return
    # scalar expected
    if allow_0d and isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    assert isinstance(got, (bool, int, float, complex, np.generic)) and not isinstance(got, np.ndarray), \
        f"{where}: expected a scalar {expected!r} ({type(expected).__name__}), got {type(got).__name__} {got!r}"
    assert scalar_dtype_ok(got, expected), \
        f"{where}: got {type(got).__name__} {got!r}, NumPy gives {type(expected).__name__} {expected!r}"
    if isinstance(expected, (bool, np.bool_, int, np.integer)):
        assert int(got) == int(expected), f"{where}: got {got!r}, NumPy gives {expected!r}"
        return
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=where)


def reference(f, *args):
    """NumPy's result: f.py_func on copies of args, its floating-point and RuntimeWarnings
    (division by zero, mean of empty slice) silenced. Returns (result, the copies)."""
    import warnings
    ref_args = clone(args)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = f.py_func(*ref_args)
    return expected, ref_args


def npcheck(f, *args, rtol=None, atol=0.0, allow_0d=False):
    """Run NumPy (f.py_func) and dunnart (f) on copies of args; compare results and the
    arguments afterwards. Returns dunnart's result."""
    expected, ref_args = reference(f, *args)
    got = f(*args)
    same(got, expected, rtol, atol, "result", allow_0d)
    for i, (a, r) in enumerate(zip(args, ref_args)):
        if isinstance(a, np.ndarray):
            same(a, r, rtol, atol, f"argument {i} after the call")
    return got


def raises_like_numpy(f, exc, *args, match=None):
    """NumPy raises `exc` on these arguments; dunnart must too (message matching `match`,
    a regex, when given). Returns dunnart's exception."""
    import re

    info = check_raises(f, exc, *args)
    if match is not None:
        assert re.search(match, str(info.value)), f"{match!r} not in {str(info.value)!r}"
    return info.value
