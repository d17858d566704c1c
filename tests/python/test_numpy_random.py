"""Issue 13, np.random in compiled code (dunnart/numpy_random.py over runtime/random.cpp):
after np.random.seed(s), every function draws NumPy's own stream, bit for bit, and leaves
the generator where NumPy leaves it (the np.random.random() after each call agrees too).
Threads and forked processes draw independent streams; bad parameters raise NumPy's errors."""
import math
import multiprocessing
import os
import re

import numpy as np
import pytest
from numpy.random import normal as imported_normal

from dunnart import njit, prange

P4 = np.array([0.1, 0.2, 0.3, 0.4])

# (function, arguments as written in the source)
STREAMS = [
    ("random_sample", "5"), ("random", "(2, 3)"), ("ranf", "(2, 2)"), ("sample", ""), ("rand", ""), ("rand", "3, 2"),
    ("randn", "7"), ("standard_normal", "(3, 3)"), ("standard_normal", ""),
    ("normal", "1.5, 0.5, 9"), ("normal", ""), ("normal", "loc=2, scale=3, size=(2, 2)"), ("normal", "0.0, 0.0, 3"),
    ("uniform", "2, 3.5, 5"), ("uniform", "-1.0, 1.0"), ("uniform", "5.0, 1.0, 4"),
    ("randint", "5, size=20"), ("randint", "-3, 1000000, 20"), ("randint", "0, 2**40, 20"), ("randint", "3, 4, 5"),
    ("randint", "-2**62, 2**62, 10"), ("randint", "10"),
    ("exponential", "2.0, 10"), ("exponential", ""), ("standard_exponential", "10"),
    ("gamma", "0.5, 2.0, 50"), ("gamma", "3.0, 1.0, 50"), ("gamma", "1.0, size=5"), ("gamma", "0.0, size=3"),
    ("standard_gamma", "7.5, 50"), ("beta", "0.5, 0.7, 50"), ("beta", "2.0, 3.0, 50"), ("chisquare", "3.0, 20"),
    ("f", "3.0, 5.0, 20"), ("standard_t", "4.0, 20"), ("standard_cauchy", "20"), ("lognormal", "0.5, 0.25, 20"),
    ("laplace", "1.0, 2.0, 20"), ("logistic", "1.0, 2.0, 20"), ("gumbel", "1.0, 2.0, 20"), ("pareto", "3.0, 20"),
    ("weibull", "1.5, 20"), ("weibull", "0.0, 3"), ("power", "2.0, 20"), ("rayleigh", "2.0, 20"),
    ("triangular", "0.0, 1.0, 3.0, 20"), ("wald", "1.0, 2.0, 20"), ("vonmises", "0.5, 2.0, 20"),
    ("vonmises", "0.5, 1e-6, 20"), ("vonmises", "0.0, 1e-9, 5"),
    ("poisson", "3.0, 50"), ("poisson", "50.0, 50"), ("poisson", "0.0, 5"), ("poisson", ""),
    ("binomial", "10, 0.3, 50"), ("binomial", "1000, 0.4, 50"), ("binomial", "1000, 0.9, 50"), ("binomial", "0, 0.5, 3"),
    ("binomial", "7, 1.0, 3"), ("negative_binomial", "5, 0.3, 30"), ("geometric", "0.5, 30"), ("geometric", "0.1, 30"),
    ("logseries", "0.6, 30"), ("zipf", "2.5, 30"), ("hypergeometric", "10, 20, 5, 30"),
    ("hypergeometric", "100, 200, 50, 30"), ("hypergeometric", "30, 10, 35, 10"),
    ("permutation", "10"), ("permutation", "np.arange(6.0)"), ("permutation", "np.arange(12).reshape(4, 3)"),
    ("permutation", "[3, 1, 2]"),
    ("choice", "10, 5"), ("choice", "10, 5, False"), ("choice", "10, (2, 2), False"), ("choice", "np.arange(5.0) * 2, 7"),
    ("choice", "4, 6, True, P4"), ("choice", "4, 3, False, P4"), ("choice", "10"), ("choice", "[1.5, 2.5, 3.5], 4"),
    ("choice", "3, p=[0.25, 0.25, 0.5]"),
    ("multinomial", "20, np.array([0.2, 0.3, 0.5]), 4"), ("multinomial", "20, np.array([0.2, 0.3, 0.5])"),
    ("dirichlet", "np.array([0.5, 1.0, 2.0]), 3"), ("dirichlet", "np.array([2.0, 3.0])"),
    # array parameters broadcast, against each other and size
    ("normal", "np.arange(3.0), np.array([[1.0], [2.0]])"), ("normal", "np.arange(3.0), 1.0, (2, 3)"),
    ("binomial", "np.array([5, 10]), 0.5, (3, 2)"), ("randint", "np.array([0, 10]), 20"),
    ("poisson", "np.array([1.0, 20.0, 0.0])"), ("uniform", "0.0, np.array([1.0, 2.0]), 2"),
]


def stream_function(name, args):
    source = (f"def draws(s):\n    np.random.seed(s)\n    value = np.random.{name}({args})\n"
              f"    return value, np.random.random()\n")
    scope = {"np": np, "P4": P4}
    exec(source, scope)
    return scope["draws"]


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    return got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want, equal_nan=True)


@pytest.mark.parametrize("name,args", STREAMS, ids=[f"{n}({a})" for n, a in STREAMS])
def test_seeded_stream_is_numpys(name, args):
    draws = stream_function(name, args)
    for seed in (0, 12345):
        got, want = njit(draws)(seed), draws(seed)
        assert type(got[0]) is type(want[0]) or isinstance(want[0], np.ndarray)
        assert same(got[0], want[0]), (got[0], want[0])
        assert got[1] == want[1]  # the generator is left where NumPy leaves it


def test_shuffle_in_place_arrays_and_lists():
    def shuffled(s):
        np.random.seed(s)
        a = np.arange(20.0)
        np.random.shuffle(a)
        rows = np.arange(15).reshape(5, 3)
        np.random.shuffle(rows)
        items = [1, 2, 3, 4, 5, 6]
        np.random.shuffle(items)
        view = np.arange(10)[::2]
        np.random.shuffle(view)
        return a, rows, items, view, np.random.random()
    for got, want in zip(njit(shuffled)(3), shuffled(3)):
        assert same(got, want)


def test_from_imported_functions_and_the_module_names():
    import numpy.random as npr

    def draws():
        npr.seed(9)
        return imported_normal(1.0, 2.0, 3), npr.rand(2)
    for got, want in zip(njit(draws)(), draws()):
        assert same(got, want)


def test_compiled_state_is_its_own():
    @njit
    def seeded_draw():
        np.random.seed(1)
        return np.random.random()

    np.random.seed(1)
    want_python = np.random.random()
    np.random.seed(1)
    first = seeded_draw()
    assert np.random.random() == want_python  # seeding in compiled code left NumPy's state alone
    assert first == want_python


def test_seed_none_and_unseeded_threads_draw_different_streams():
    @njit
    def fresh():
        np.random.seed()
        return np.random.random(4)
    assert not np.array_equal(fresh(), fresh())


def test_prange_threads_draw_independent_normals():
    @njit(parallel=True)
    def fill(n):
        out = np.empty(n)
        for i in prange(n):
            out[i] = np.random.normal()
        return out
    x = np.sort(fill(200_000))
    assert len(np.unique(x)) == x.size  # no two threads repeat one stream
    # Kolmogorov-Smirnov statistic against the normal CDF: 1.63/sqrt(n) is the 1% level.
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x[::50]])
    ks = np.max(np.abs(cdf - (np.arange(0, x.size, 50) + 0.5) / x.size))
    assert ks < 1.63 / math.sqrt(x.size) + 1e-3
    assert abs(x.mean()) < 0.02 and abs(x.var() - 1) < 0.02


def _child_draws(queue):
    queue.put(_draw_three())


@njit
def _draw_three():
    return np.random.random(3)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_forked_children_draw_their_own_streams():
    _draw_three()  # the parent's state exists before the fork
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    children = [ctx.Process(target=_child_draws, args=(queue,)) for _ in range(2)]
    for c in children:
        c.start()
    results = [queue.get(timeout=60) for _ in children]
    for c in children:
        c.join(timeout=60)
    parent = _draw_three()
    assert not np.array_equal(results[0], results[1])
    assert not np.array_equal(results[0], parent) and not np.array_equal(results[1], parent)


def test_distribution_moments_for_unseeded_draws():
    @njit
    def draws(n):
        return (np.random.gamma(2.0, 3.0, n), np.random.beta(2.0, 5.0, n), np.random.poisson(4.0, n),
                np.random.binomial(50, 0.3, n), np.random.exponential(2.0, n), np.random.uniform(1.0, 3.0, n))
    g, b, p, k, e, u = draws(200_000)
    assert abs(g.mean() - 6.0) < 0.06 and abs(g.var() - 18.0) < 0.5
    assert abs(b.mean() - 2 / 7) < 0.003
    assert abs(p.mean() - 4.0) < 0.03 and abs(p.var() - 4.0) < 0.1 and p.dtype == np.int64
    assert abs(k.mean() - 15.0) < 0.05 and abs(k.var() - 10.5) < 0.2
    assert abs(e.mean() - 2.0) < 0.03
    assert u.min() >= 1.0 and u.max() < 3.0 and abs(u.mean() - 2.0) < 0.01


ERRORS = [
    ("normal(0, -1)", ValueError, "scale < 0"), ("normal(np.array([1.0, -1.0]))", None, None),
    ("normal(0.0, np.array([1.0, -1.0]))", ValueError, "scale < 0"),
    ("randint(5, 5)", ValueError, "low >= high"), ("randint(0)", ValueError, "high <= 0"),
    ("seed(-1)", ValueError, "Seed must be between 0 and 2**32 - 1"),
    ("seed(2**32)", ValueError, "Seed must be between 0 and 2**32 - 1"),
    ("choice(5, 6, replace=False)", ValueError, "Cannot take a larger sample than population when 'replace=False'"),
    ("choice(0)", ValueError, "a must be greater than 0 unless no samples are taken"),
    ("choice(np.zeros(0))", ValueError, "'a' cannot be empty unless no samples are taken"),
    ("choice(3, p=np.array([0.5, 0.4, 0.2]))", ValueError, "probabilities do not sum to 1"),
    ("choice(3, p=np.array([0.5, -0.1, 0.6]))", ValueError, "probabilities are not non-negative"),
    ("choice(3, p=np.array([0.5, 0.5]))", ValueError, "'a' and 'p' must have same size"),
    ("choice(3, 2, False, np.array([0.0, 0.0, 1.0]))", ValueError, "Fewer non-zero entries in p than size"),
    ("poisson(-1.0)", ValueError, "lam < 0 or lam is NaN"), ("poisson(np.nan)", ValueError, "lam < 0 or lam is NaN"),
    ("poisson(1e19)", ValueError, "lam value too large"),
    ("binomial(-1, 0.5)", ValueError, "n < 0"), ("binomial(5, 1.5)", ValueError, "p < 0, p > 1 or p is NaN"),
    ("binomial(5, np.nan)", ValueError, "p < 0, p > 1 or p is NaN"),
    ("uniform(0, np.inf)", OverflowError, "Range exceeds valid bounds"),
    ("gamma(-1.0)", ValueError, "shape < 0"), ("gamma(1.0, -1.0)", ValueError, "scale < 0"),
    ("beta(0.0, 1.0)", ValueError, "a <= 0"), ("beta(1.0, 0.0)", ValueError, "b <= 0"),
    ("exponential(-1.0)", ValueError, "scale < 0"), ("chisquare(0.0)", ValueError, "df <= 0"),
    ("geometric(0.0)", ValueError, "p <= 0, p > 1 or p contains NaNs"),
    ("logseries(1.0)", ValueError, "p < 0, p >= 1 or p is NaN"), ("zipf(1.0)", ValueError, "a <= 1 or a is NaN"),
    ("triangular(1.0, 0.0, 2.0)", ValueError, "left > mode"), ("triangular(1.0, 1.0, 1.0)", ValueError, "left == right"),
    ("wald(0.0, 1.0)", ValueError, "mean <= 0"), ("hypergeometric(-1, 2, 1)", ValueError, "ngood < 0"),
    ("hypergeometric(1, 2, 4)", ValueError, "ngood + nbad < nsample"),
    ("hypergeometric(1, 2, 0)", ValueError, "nsample < 1 or nsample is NaN"),
    ("dirichlet(np.array([0.0, 1.0]))", ValueError, "alpha <= 0"),
    ("normal(size=-1)", ValueError, "negative dimensions are not allowed"),
    ("permutation(3.5)", IndexError, "x must be an integer or at least 1-dimensional"),
    ("normal(np.zeros(3), 1.0, 4)", ValueError, "shape"),  # ours names the shapes
]


@pytest.mark.parametrize("call,error,message", ERRORS, ids=[c for c, _, _ in ERRORS])
def test_bad_parameters_raise_numpys_errors(call, error, message):
    scope = {"np": np}
    exec(f"def draw():\n    return np.random.{call}\n", scope)
    if error is None:  # NumPy accepts it: so must compiled code
        njit(scope["draw"])()
        return
    with pytest.raises(error) as numpy_raised:
        scope["draw"]()
    with pytest.raises(error, match=re.escape(message)):
        njit(scope["draw"])()
    assert message in str(numpy_raised.value)
