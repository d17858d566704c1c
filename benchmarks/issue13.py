"""The issue-13 speed claims for the operations that were slower than NumPy, as ratios in
one run.

  python -m benchmarks.issue13 [--quick] [--json]

- Matrix-vector products (`A @ y`, `y @ A`, `(A @ x) @ A`) on n x n float64 matrices of
  10^2 to 10^7 elements (target: dunnart at most NumPy's time at every size).
- Reductions along an axis (`X.sum(axis=0)`, `X.max(axis=0)`, `X.sum(axis=1)`,
  `X.max(axis=1)`, `X.argmax(axis=1)`, `X.mean(axis=0)`) on the same sizes (target: at
  most NumPy's time).
- A direct 2-D convolution with a 3x3 kernel written with nested np.sum(..., axis=1) of
  the window's product, and a loop of small `row @ matrix` products: the same function
  compiled and run by CPython with NumPy (target: at most NumPy's time), and Numba's.
- NumPy functions compiled since (unique, histogram, percentile, nonzero, isin, hstack and
  flip, repeat, keepdims, None indexing, row gathers, cov, ufunc forms) on 10^3 to 10^6
  values, and np.linalg's svd, qr, pinv and lstsq on 100x100 (and 1000x1000) matrices.
- np.random after np.random.seed(0) (random, normal, randint, poisson, binomial,
  permutation) on 10^3 to 10^6 values, and a loop of scalar draws: dunnart's values are
  NumPy's, bit for bit (checked), at most NumPy's time; Numba's own seeded streams differ.
- A np.random.Generator passed in (random, normal, integers, poisson, a loop of scalar
  draws): every tool draws the Generator's own numbers (checked).
Each time is the best of several calls; the tools take turns (the order rotated each
round) so that drift affects them alike. Numba's `@` needs SciPy (missing: "n/a").
"""
import argparse
import json
import os
import sys
import time
import warnings

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue13.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks.env import REPO, jit_tools  # noqa: F401 (REPO puts the checkout's dunnart on sys.path)
from benchmarks.report import fmt_time

import numpy as np


def matvec(A, y):
    return A @ y


def vecmat(y, A):
    return y @ A


def matvec_vecmat(A, x):
    return (A @ x) @ A


def sum0(X):
    return X.sum(axis=0)


def max0(X):
    return X.max(axis=0)


def sum1(X):
    return X.sum(axis=1)


def max1(X):
    return X.max(axis=1)


def argmax1(X):
    return X.argmax(axis=1)


def mean0(X):
    return X.mean(axis=0)


def conv2d(img, k):
    h, w = img.shape
    kh, kw = k.shape
    out = np.empty((h - kh + 1, w - kw + 1))
    for i in range(h - kh + 1):
        for j in range(w - kw + 1):
            out[i, j] = np.sum(np.sum(img[i:i + kh, j:j + kw] * k, axis=1))
    return out


def rows_times_matrix(X, M):
    out = np.empty((X.shape[0], M.shape[1]))
    for i in range(X.shape[0]):
        out[i] = X[i] @ M
    return out


def seeded_random(n):
    np.random.seed(0)
    return np.random.random(n)


def seeded_normal(n):
    np.random.seed(0)
    return np.random.normal(1.0, 2.0, n)


def seeded_randint(n):
    np.random.seed(0)
    return np.random.randint(0, 100, n)


def seeded_poisson(n):
    np.random.seed(0)
    return np.random.poisson(4.0, n)


def seeded_binomial(n):
    np.random.seed(0)
    return np.random.binomial(50, 0.3, n)


def seeded_permutation(n):
    np.random.seed(0)
    return np.random.permutation(n)


def scalar_draws(n):
    np.random.seed(0)
    total = 0.0
    for _ in range(n):
        total += np.random.normal() * np.random.random()
    return total


RANDOM_CASES = {"np.random.random(n)": seeded_random, "np.random.normal(1, 2, n)": seeded_normal,
                "np.random.randint(0, 100, n)": seeded_randint, "np.random.poisson(4, n)": seeded_poisson,
                "np.random.binomial(50, 0.3, n)": seeded_binomial, "np.random.permutation(n)": seeded_permutation,
                "loop of n scalar draws": scalar_draws}
# A np.random.Generator passed in (np.random.default_rng(0)): its own numbers, bit for bit.
def g_random(rng, n):
    return rng.random(n)


def g_normal(rng, n):
    return rng.normal(1.0, 2.0, n)


def g_integers(rng, n):
    return rng.integers(0, 100, n)


def g_poisson(rng, n):
    return rng.poisson(4.0, n)


def g_scalar_draws(rng, n):
    total = 0.0
    for _ in range(n):
        total += rng.standard_normal() * rng.random()
    return total


GENERATOR_CASES = {"rng.random(n)": g_random, "rng.normal(1, 2, n)": g_normal, "rng.integers(0, 100, n)": g_integers,
                   "rng.poisson(4, n)": g_poisson, "loop of n scalar rng draws": g_scalar_draws}
# NumPy functions dunnart compiles (helpers and native), on 10^3 to 10^6 elements.
def f_unique(a):
    return np.unique(a)


def f_histogram(a):
    return np.histogram(a, 50)[0]


def f_percentile(a):
    return np.percentile(a, 90.0)


def f_nonzero(a):
    return np.nonzero(a > 0.5)[0]


def f_isin(a):
    return np.isin(a, a[:100])


def f_hstack_flip(a):
    return np.hstack((a, np.flip(a)))


def f_repeat(a):
    return np.repeat(a, 2)


def f_keepdims(a):
    m = a.reshape(-1, 100)
    return m / m.sum(axis=1, keepdims=True)


def f_newaxis(a):
    x = a[:1000]
    return np.abs(x[:, None] - x[None, :1000]).sum()  # well-conditioned (x - x.T sums to ~0)


def f_row_gather(a):
    m = a.reshape(-1, 100)
    return m[np.arange(m.shape[0])[::-1]]


def f_cov(a):
    return np.cov(a.reshape(10, -1))


def f_degrees(a):
    return np.sum(np.degrees(np.mod(a, 0.5)))


def f_moveaxis(a):
    m = a.reshape(10, 10, -1)
    return np.moveaxis(m, 0, -1) * 2.0


def f_columns(a):
    m = a.reshape(-1, 100)
    return m[:, np.arange(0, 100, 3)]


def f_mask_rows(a):
    m = a.reshape(-1, 10)
    return m[m[:, 0] > 0.5]


def f_sort_axis0(a):
    return np.sort(a.reshape(-1, 100), axis=0)


def f_sum_tuple_axis(a):
    return a.reshape(10, 10, -1).sum(axis=(0, 2))


def f_sum_where(a):
    return np.sum(a, where=a > 0.5)


def f_broadcast_to(a):
    return np.broadcast_to(a[:100], (a.shape[0] // 100, 100)).sum(axis=0)


def l_svd(A):
    return np.linalg.svd(A)[1]


def l_qr(A):
    return np.linalg.qr(A)[1]


def l_pinv(A):
    return np.linalg.pinv(A)


def l_lstsq(A):
    return np.linalg.lstsq(A, A[:, 0])[0]


FUNCTION_CASES = {"np.unique": f_unique, "np.histogram(a, 50)": f_histogram, "np.percentile(a, 90)": f_percentile,
                  "np.nonzero(a > 0.5)": f_nonzero, "np.isin(a, a[:100])": f_isin, "np.hstack((a, np.flip(a)))": f_hstack_flip,
                  "np.repeat(a, 2)": f_repeat, "m / m.sum(axis=1, keepdims=True)": f_keepdims,
                  "np.abs(x[:, None] - x[None, :]).sum() (10^3 x 10^3)": f_newaxis, "m[rows]": f_row_gather,
                  "np.cov(10 rows)": f_cov, "np.sum(np.degrees(np.mod(a, 0.5)))": f_degrees,
                  "np.moveaxis(m3, 0, -1) * 2": f_moveaxis, "m[:, cols]": f_columns, "m[m[:, 0] > 0.5]": f_mask_rows,
                  "np.sort(m, axis=0)": f_sort_axis0, "m3.sum(axis=(0, 2))": f_sum_tuple_axis,
                  "np.sum(a, where=a > 0.5)": f_sum_where, "np.broadcast_to(...).sum(axis=0)": f_broadcast_to}
def l_complex_matmul(A):
    Z = A * (1.0 + 0.5j)
    return Z @ Z


def l_norm_nuc(A):
    return np.linalg.norm(A, "nuc") + np.linalg.norm(A, 1, axis=0).sum()


def l_eig(A):
    return np.linalg.eig(A + A.T)[0]  # symmetric: real eigenvalues, through geev all the same


def l_stacked_matmul(A):
    S = A.reshape(-1, 4, 4)  # 625 4x4 matrices at 100x100
    return S @ S


LINALG_CASES = {"np.linalg.eig(A + A.T)": l_eig, "stacked S @ S (4x4 matrices)": l_stacked_matmul,
                "np.linalg.svd": l_svd, "np.linalg.qr": l_qr, "np.linalg.pinv": l_pinv, "np.linalg.lstsq": l_lstsq,
                "complex128 Z @ Z": l_complex_matmul, "np.linalg.norm(A, 'nuc'), norm(A, 1, axis=0)": l_norm_nuc}
MATRIX_CASES = {"A @ y": (matvec, "Ay"), "y @ A": (vecmat, "yA"), "(A @ x) @ A": (matvec_vecmat, "Ay")}
AXIS_CASES = {"X.sum(axis=0)": sum0, "X.max(axis=0)": max0, "X.sum(axis=1)": sum1, "X.max(axis=1)": max1,
              "X.argmax(axis=1)": argmax1, "X.mean(axis=0)": mean0}


def cases(quick):
    """(case, size label, function, args) for every measurement."""
    rng = np.random.default_rng(0)
    sides = (10, 100, 1000) if quick else (10, 32, 100, 316, 1000, 3162)
    out = []
    for n in sides:
        A = rng.standard_normal((n, n))
        y = rng.standard_normal(n)
        label = f"{n}x{n}"
        for case, (fn, order) in MATRIX_CASES.items():
            out.append((case, label, fn, (A, y) if order == "Ay" else (y, A)))
        for case, fn in AXIS_CASES.items():
            out.append((case, label, fn, (A,)))
    k = rng.standard_normal((3, 3))
    for n in ((16, 64) if quick else (8, 16, 32, 64)):
        out.append(("conv2d 3x3", f"{n}x{n}", conv2d, (rng.standard_normal((n, n)), k)))
    M = rng.standard_normal((8, 8))
    for r in ((100, 10000) if quick else (100, 1000, 10000)):
        out.append(("row @ 8x8 loop", f"{r} rows", rows_times_matrix, (rng.standard_normal((r, 8)), M)))
    for n in ((1000, 10**6) if quick else (1000, 10**5, 10**6)):
        for case, fn in RANDOM_CASES.items():
            out.append((case, f"n={n:.0e}".replace("+0", ""), fn, (n,)))
        for case, fn in GENERATOR_CASES.items():
            out.append((case, f"n={n:.0e}".replace("+0", ""), fn, (np.random.default_rng(0), n)))
        a = rng.random(n)
        for case, fn in FUNCTION_CASES.items():
            out.append((case, f"n={n:.0e}".replace("+0", ""), fn, (a,)))
    for side in ((100,) if quick else (100, 1000)):
        A = rng.standard_normal((side, side))
        for case, fn in LINALG_CASES.items():
            out.append((case, f"{side}x{side}", fn, (A,)))
    return out


def best(fn, args, budget):
    """Best time of calls repeated for about `budget` seconds (at least 3)."""
    t, spent, calls = float("inf"), 0.0, 0
    while calls < 3 or spent < budget:
        start = time.perf_counter()
        fn(*args)
        d = time.perf_counter() - start
        t, spent, calls = min(t, d), spent + d, calls + 1
    return t


def measure(quick):
    names = jit_tools()
    rounds, budget = (2, 0.02) if quick else (3, 0.1)
    result = {}
    for case, label, fn, args in cases(quick):
        tools = {"numpy": fn}
        want = fn(*args)
        if fn in GENERATOR_CASES.values():  # the numbers of a fresh Generator (args' one advances)
            want = fn(np.random.default_rng(0), *args[1:])
        for t in names:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    compiled = __import__(t).njit(fn)
                    got = compiled(*args)
                    if fn in GENERATOR_CASES.values():
                        got = compiled(np.random.default_rng(0), *args[1:])
                except Exception:  # Numba without SciPy has no @
                    continue
            if fn in LINALG_CASES.values() and fn is not l_qr and fn is not l_svd:
                np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)  # SVD-based: to rounding
            elif fn in RANDOM_CASES.values() and t != "dunnart":
                assert np.shape(got) == np.shape(want)  # another tool's own stream
            elif fn in RANDOM_CASES.values() or fn in GENERATOR_CASES.values():
                assert np.array_equal(got, want)  # NumPy's stream, bit for bit
            else:
                np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
            tools[t] = compiled
        order = list(tools)
        for r in range(rounds):
            for t in order[r % len(order):] + order[:r % len(order)]:
                key = (case, label, t)
                result[key] = min(result.get(key, float("inf")), best(tools[t], args, budget))
    return result, names


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.issue13", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result, names = measure(args.quick)
    if args.json:
        print(json.dumps({"/".join(k): v for k, v in result.items()}, indent=1))
        return
    print("| case | size | dunnart | NumPy | Numba | dunnart / NumPy | dunnart / Numba |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for (case, label, tool), d in result.items():
        if tool != "dunnart":
            continue
        npy, nb = result[(case, label, "numpy")], result.get((case, label, "numba"))
        worst = max(worst, d / npy)
        print(f"| {case} | {label} | {fmt_time(d)} | {fmt_time(npy)} | {fmt_time(nb) if nb else 'n/a'} | "
              f"{d / npy:.2f}x | {f'{d / nb:.2f}x' if nb else 'n/a'} |")
    print(f"\nworst dunnart / NumPy: {worst:.2f}x (target: at most 1x)")


if __name__ == "__main__":
    main()
