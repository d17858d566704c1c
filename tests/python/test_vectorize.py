"""Loops that call math functions vectorise through glibc's libmvec (issue 2), for float64
and float32, with and without fastmath: the optimised LLVM IR calls a vector variant
(_ZGV<isa>N<lanes>v_<name>). Results still match CPython's."""
import math

import numpy as np
import pytest

from dunnart import njit


def sum_exp(a, m):
    s = 0.0
    for i in range(a.shape[0]):
        s += math.exp(a[i] - m)
    return s


def map_np(a, out):
    for i in range(a.shape[0]):
        out[i] = np.sin(a[i]) + np.cos(a[i]) + np.sqrt(np.abs(a[i])) + np.log(np.abs(a[i]) + 1)


def vector_calls(f):
    (ir,) = f.inspect_llvm().values()
    return {line.split("@")[1].split("(")[0] for line in ir.splitlines()
            if "call" in line and "@_ZGV" in line}


@pytest.mark.parametrize("fastmath", [False, True])
def test_ordered_sum_of_exp_vectorises(fastmath):
    f = njit(fastmath=fastmath)(sum_exp)
    a = np.random.default_rng(1).standard_normal(10_001)
    assert math.isclose(f(a, 0.5), sum_exp(a, 0.5), rel_tol=1e-12 if not fastmath else 1e-9)
    calls = vector_calls(f)
    assert any(c.endswith("v_exp") for c in calls), calls


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_numpy_ufuncs_on_elements_vectorise(dtype):
    f = njit(map_np)
    a = np.random.default_rng(2).standard_normal(1003).astype(dtype)
    out, expected = np.empty_like(a), np.empty_like(a)
    f(a, out)
    map_np(a, expected)
    np.testing.assert_allclose(out, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)
    suffix = "f" if dtype == np.float32 else ""
    calls = vector_calls(f)
    for name in ("sin", "cos", "log"):
        assert any(c.endswith("v_" + name + suffix) for c in calls), (name, calls)
