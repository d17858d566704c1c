"""Fixtures for dunnart's end-to-end tests.

`check(f, *args)` runs `f.py_func` (plain CPython) and the compiled `f` on the same
arguments and compares results and in-place effects; see jitcheck.assert_same for the
rules (exact for ints and bools, rtol=1e-12 for floats, dtype+shape+values for arrays).
"""
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

try:
    import dunnart  # noqa: F401
except ImportError:
    # Running from a source checkout without PYTHONPATH=python.
    sys.path.insert(0, str(HERE.parents[1] / "python"))
    import dunnart  # noqa: F401

import jitcheck


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs for about a minute (never skipped)")


@pytest.fixture
def check():
    """check(f, *args, rtol=None): compare f(*args) with f.py_func(*args)."""
    return jitcheck.check


@pytest.fixture
def check_raises():
    """check_raises(f, exc, *args): CPython and the compiled f both raise exc."""
    return jitcheck.check_raises


@pytest.fixture
def make_array():
    """make_array(dtype, shape, layout): deterministic array in a given layout."""
    return jitcheck.make_array


@pytest.fixture
def all_threads():
    """The test starts, and leaves dunnart, on every thread there is (tests of parallel
    code change the count)."""
    import dunnart
    dunnart.set_num_threads(dunnart.config.NUMBA_NUM_THREADS)
    yield
    dunnart.set_num_threads(dunnart.config.NUMBA_NUM_THREADS)
