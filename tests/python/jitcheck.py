"""Shared helpers for the end-to-end tests: comparing a compiled function with the same
function run by CPython, and building arrays of every dtype and layout.

`conftest.py` exposes `check` and `check_raises` as fixtures; test modules import the
constants (DTYPES, layouts) and `make_array` from here directly.
"""
import enum
import os
import re
from pathlib import Path

import numpy as np

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"

# Every scalar dtype the issue lists, as NumPy types.
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64]
UINT_DTYPES = [np.uint8, np.uint16, np.uint32, np.uint64]
FLOAT_DTYPES = [np.float32, np.float64]
DTYPES = [np.bool_] + INT_DTYPES + UINT_DTYPES + FLOAT_DTYPES + [np.complex128]
REAL_DTYPES = INT_DTYPES + UINT_DTYPES + FLOAT_DTYPES  # ordered, no bool/complex

# Layouts: C-contiguous, Fortran-contiguous, strided (non-contiguous), read-only, and a
# reversed (negative stride) view.
LAYOUTS_1D = ["C", "strided", "reversed", "readonly"]
LAYOUTS_ND = ["C", "F", "strided", "readonly"]


def _values(dtype, n):
    """n deterministic values of `dtype`, small enough that no test overflows."""
    k = np.arange(n, dtype=np.int64)
    pattern = (k * 7 + 3) % 23  # 0..22, not monotone
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return (pattern % 3 == 0)
    if dt.kind == "u":
        return pattern.astype(dt)
    if dt.kind == "i":
        return (pattern - 11).astype(dt)
    if dt.kind == "f":
        return ((pattern - 11) * 0.25).astype(dt)
    if dt.kind == "c":
        return ((pattern - 11) * 0.25 + 1j * ((k * 5) % 13 - 6) * 0.5).astype(dt)
    raise ValueError(dt)


def make_array(dtype, shape, layout="C"):
    """An array of `shape` and `dtype` with deterministic values in the given layout.

    "C"        C-contiguous
    "F"        Fortran-contiguous (np.asfortranarray)
    "strided"  non-contiguous view: every other element along the last axis of a
               twice-as-wide base array (for 1-D: a[::2])
    "reversed" negative strides along the first axis
    "readonly" C-contiguous with writeable=False
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    size = int(np.prod(shape)) if shape else 1
    if layout == "strided":
        if not shape:
            raise ValueError("a 0-d array has no strided layout")
        wide = shape[:-1] + (shape[-1] * 2,)
        base = _values(dtype, int(np.prod(wide))).reshape(wide)
        a = base[..., ::2]
        assert not a.flags.c_contiguous or a.size <= 1
        return a
    a = _values(dtype, size).reshape(shape)
    if layout == "C":
        return np.ascontiguousarray(a)
    if layout == "F":
        a = np.asfortranarray(a)
        assert a.flags.f_contiguous
        return a
    if layout == "reversed":
        return np.ascontiguousarray(a)[::-1]
    if layout == "readonly":
        a = np.ascontiguousarray(a).copy()
        a.setflags(write=False)
        return a
    raise ValueError(layout)


def scalar_of(dtype, value):
    """A Python value suitable for storing into an array of `dtype`."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        return bool(value)
    if kind in "iu":
        return int(value)
    if kind == "f":
        return float(value)
    return complex(value)


def clone(x):
    """A deep copy of an argument, keeping order (C/F) and the writeable flag, so that
    the CPython reference run cannot disturb the arguments of the compiled run."""
    if isinstance(x, np.ndarray):
        c = x.copy(order="K")
        if not x.flags.writeable:
            c.setflags(write=False)
        return c
    if isinstance(x, tuple):
        return tuple(clone(v) for v in x)
    return x


def _is_f32(x):
    if isinstance(x, np.ndarray):
        return x.dtype in (np.float32, np.complex64)
    return isinstance(x, (np.float32, np.complex64))


def assert_same(got, expected, rtol=None, where="result"):
    """Compare a compiled result with CPython's.

    ints/bools: exact, and the kind must match (an int must not come back as a float or
    a bool, a bool must come back as a bool); floats/complex: assert_allclose with
    rtol=1e-12 (1e-6 when CPython's value is float32), NaN equal to NaN; arrays: type
    numpy.ndarray, same dtype, same shape, then elementwise; tuples: element by element.
    """
    if rtol is None:
        rtol = 1e-6 if _is_f32(expected) else 1e-12
    if isinstance(expected, tuple):
        assert isinstance(got, tuple), f"{where}: expected a tuple {expected!r}, got {type(got).__name__} {got!r}"
        assert len(got) == len(expected), f"{where}: expected {len(expected)} items {expected!r}, got {got!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, rtol, f"{where}[{i}]")
        return
    if isinstance(expected, np.ndarray):
        assert type(got) is np.ndarray, f"{where}: expected numpy.ndarray, got {type(got).__name__} {got!r}"
        assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype}, expected {expected.dtype}"
        assert got.shape == expected.shape, f"{where}: shape {got.shape}, expected {expected.shape}"
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=0, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(got, expected, err_msg=where)
        return
    if expected is None:
        assert got is None, f"{where}: expected None, got {got!r}"
        return
    if isinstance(expected, (bool, np.bool_)):
        assert isinstance(got, (bool, np.bool_)), f"{where}: expected bool {expected!r}, got {type(got).__name__} {got!r}"
        assert bool(got) == bool(expected), f"{where}: got {got!r}, expected {expected!r}"
        return
    if isinstance(expected, (int, np.integer)):
        assert isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)), \
            f"{where}: expected int {expected!r}, got {type(got).__name__} {got!r}"
        assert int(got) == int(expected), f"{where}: got {got!r}, expected {expected!r}"
        return
    if isinstance(expected, (float, np.floating)):
        assert isinstance(got, (float, np.floating)), f"{where}: expected float {expected!r}, got {type(got).__name__} {got!r}"
        np.testing.assert_allclose(float(got), float(expected), rtol=rtol, atol=0, equal_nan=True, err_msg=where)
        if float(expected) == 0.0 and not np.isnan(float(got)):
            assert np.signbit(float(got)) == np.signbit(float(expected)), f"{where}: got {got!r}, expected {expected!r} (sign of zero)"
        return
    if isinstance(expected, (complex, np.complexfloating)):
        assert isinstance(got, (complex, np.complexfloating)), f"{where}: expected complex {expected!r}, got {type(got).__name__} {got!r}"
        np.testing.assert_allclose(complex(got), complex(expected), rtol=rtol, atol=0, equal_nan=True, err_msg=where)
        return
    assert got == expected, f"{where}: got {got!r}, expected {expected!r}"


def check(f, *args, rtol=None):
    """Run `f.py_func` on copies of `args` and `f` on `args`; compare results and the
    arguments afterwards (so in-place writes are checked too). Returns f's result."""
    ref_args = clone(args)
    expected = f.py_func(*ref_args)
    got = f(*args)
    assert_same(got, expected, rtol)
    for i, (a, r) in enumerate(zip(args, ref_args)):
        if isinstance(a, (np.ndarray, tuple)):
            assert_same(a, r, rtol, f"argument {i} after the call")
    return got


def check_raises(f, exc, *args):
    """CPython raises `exc` on these arguments; the compiled function must raise it too."""
    try:
        f.py_func(*clone(args))
    except exc:
        pass
    else:
        raise AssertionError(f"test bug: CPython did not raise {exc.__name__} on {args!r}")
    import pytest
    with pytest.raises(exc) as info:
        f(*args)
    return info


def line_of(path, marker):
    """(line number, source text without the trailing comment) of the one line in `path`
    whose comment contains `marker`."""
    hits = [(i + 1, line) for i, line in enumerate(Path(path).read_text().splitlines())
            if "#" in line and marker in line.split("#", 1)[1]]
    assert len(hits) == 1, f"test bug: marker {marker!r} found {len(hits)} times"
    lineno, text = hits[0]
    return lineno, text.split("#")[0].strip()


def assert_diagnostic(message, path, marker, *also):
    """A TypingError message must name the file, the line number and the line's source
    text; each regex in `also` must match too (types, names)."""
    message = re.sub(r"\x1b\[[0-9;]*m", "", message)  # colour codes, if any
    lineno, text = line_of(path, marker)
    assert Path(path).name in message, f"file name {Path(path).name!r} missing from:\n{message}"
    assert re.search(rf"(?<!\d){lineno}(?!\d)", message), f"line {lineno} missing from:\n{message}"
    assert text in message, f"source text {text!r} missing from:\n{message}"
    for pattern in also:
        assert re.search(pattern, message), f"{pattern!r} does not match:\n{message}"


def subprocess_env():
    """Environment for a child interpreter that must import the same dunnart and the
    helpers in this folder."""
    import dunnart
    pkg_parent = str(Path(dunnart.__file__).resolve().parents[1])
    env = dict(os.environ)
    paths = [pkg_parent, str(TESTS_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def assert_same_types(got, expected, where="result"):
    """Equal values of exactly the same Python types, element by element: a namedtuple
    must come back as its class, an enum member as that member."""
    assert type(got) is type(expected), \
        f"{where}: {type(got).__name__} {got!r}, expected {type(expected).__name__} {expected!r}"
    if isinstance(expected, tuple):
        assert len(got) == len(expected), where
        for k, (g, e) in enumerate(zip(got, expected)):
            assert_same_types(g, e, f"{where}[{k}]")
    else:
        assert got == expected, f"{where}: {got!r}, expected {expected!r}"
        assert not isinstance(expected, enum.Enum) or got is expected, where


def run_fresh_twice(tmp_path, module_name, module_source, child_source):
    """Runs child_source in two fresh interpreters that share a disk cache under tmp_path
    and can import module_source as module_name; child_source prints "RESULT=<json>". The
    two decoded results, cold cache then warm."""
    import json
    import subprocess
    import sys
    (tmp_path / f"{module_name}.py").write_text(module_source)
    env = subprocess_env()
    env["DUNNART_CACHE_DIR"] = str(tmp_path / "cache")
    env["PYTHONPATH"] = str(tmp_path) + os.pathsep + env["PYTHONPATH"]
    runs = []
    for _ in range(2):
        p = subprocess.run([sys.executable, "-c", child_source], capture_output=True, text=True, env=env,
                           timeout=120, cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        assert "CacheWarning" not in p.stderr, p.stderr
        runs.append(json.loads([ln for ln in p.stdout.splitlines() if ln.startswith("RESULT=")][-1][7:]))
    return runs


def rss_bytes():
    """Current resident set size of this process (Linux)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")
