"""Issue 13, np.random.Generator objects passed in from Python (dunnart/numpy_generator.py
over runtime/numpy_generator.cpp): every method draws the numbers the same Generator draws
in Python, bit for bit, and leaves it where Python continues from (the rng.random() after
each call agrees too), for every bit generator; bad parameters raise NumPy's errors."""
import re

import numpy as np
import pytest

from dunnart import njit

P4 = np.array([0.1, 0.2, 0.3, 0.4])

# (method, arguments as written in the source)
METHODS = [
    ("random", ""), ("random", "5"), ("random", "(2, 3)"), ("random", "4, np.float32"), ("random", "dtype=np.float32"),
    ("standard_normal", ""), ("standard_normal", "(3, 3)"), ("standard_normal", "6, dtype=np.float32"),
    ("standard_exponential", "10"), ("standard_exponential", "3, np.float32"), ("standard_cauchy", "20"),
    ("standard_gamma", "0.5, 20"), ("standard_gamma", "7.5, 20"), ("standard_gamma", "2.0, 5, np.float32"),
    ("normal", ""), ("normal", "1.5, 0.5, 9"), ("normal", "loc=2, scale=3, size=(2, 2)"), ("normal", "0.0, 0.0, 3"),
    ("uniform", ""), ("uniform", "2, 3.5, 5"),
    ("integers", "10"), ("integers", "5, size=20"), ("integers", "-3, 1000000, 20"), ("integers", "0, 2**40, 20"),
    ("integers", "3, 4, 5"), ("integers", "-2**62, 2**62, 10"), ("integers", "0, 5, 10, endpoint=True"),
    ("integers", "2**32 - 1, size=8"), ("integers", "-(2**63), 2**63 - 1, 8"),
    ("exponential", ""), ("exponential", "2.0, 10"), ("gamma", "0.5, 2.0, 50"), ("gamma", "3.0, size=5"),
    ("gamma", "0.0, size=3"), ("beta", "0.5, 0.7, 50"), ("beta", "2.0, 3.0, 50"), ("chisquare", "3.0, 20"),
    ("f", "3.0, 5.0, 20"), ("standard_t", "4.0, 20"), ("lognormal", "0.5, 0.25, 20"), ("laplace", "1.0, 2.0, 20"),
    ("logistic", "1.0, 2.0, 20"), ("gumbel", "1.0, 2.0, 20"), ("pareto", "3.0, 20"), ("weibull", "1.5, 20"),
    ("weibull", "0.0, 3"), ("power", "2.0, 20"), ("rayleigh", "2.0, 20"), ("triangular", "0.0, 1.0, 3.0, 20"),
    ("wald", "1.0, 2.0, 20"), ("vonmises", "0.5, 2.0, 20"), ("noncentral_chisquare", "3.0, 1.5, 20"),
    ("noncentral_f", "3.0, 5.0, 1.5, 20"),
    ("poisson", ""), ("poisson", "3.0, 50"), ("poisson", "50.0, 50"), ("poisson", "0.0, 5"),
    ("binomial", "10, 0.3, 50"), ("binomial", "1000, 0.4, 50"), ("binomial", "1000, 0.9, 50"), ("binomial", "0, 0.5, 3"),
    ("binomial", "7, 1.0, 3"), ("binomial", "20, 0.5"), ("negative_binomial", "5, 0.3, 30"),
    ("negative_binomial", "2.5, 0.5, 10"), ("geometric", "0.5, 30"), ("geometric", "0.1, 30"),
    ("logseries", "0.6, 30"), ("logseries", "0.0, 3"), ("zipf", "2.5, 30"), ("hypergeometric", "10, 20, 5, 30"),
    ("hypergeometric", "100, 200, 50, 30"), ("hypergeometric", "30, 10, 35, 10"), ("hypergeometric", "5, 5, 0, 3"),
    ("permutation", "10"), ("permutation", "np.arange(6.0)"), ("permutation", "np.arange(12).reshape(4, 3)"),
    ("permutation", "[3, 1, 2]"), ("permutation", "np.arange(12).reshape(3, 4), axis=1"),
    ("permutation", "np.arange(24.0).reshape(2, 3, 4), -1"),
    ("choice", "10"), ("choice", "10, 5"), ("choice", "np.arange(5.0) * 2, 7"), ("choice", "4, (2, 3)"),
    ("choice", "4, 6, True, P4"), ("choice", "4, p=P4"), ("choice", "10, 5, False"), ("choice", "10, (2, 2), False"),
    ("choice", "10, replace=False"), ("choice", "np.arange(5.0) * 2, 5, False"),
    ("choice", "100, 7, False, shuffle=False"), ("choice", "20000, 1000, False"),
    ("choice", "20000, 300, False, shuffle=False"), ("choice", "20000, 1000, False, shuffle=False"),
    ("choice", "4, 3, False, P4"), ("choice", "4, 4, False, P4"), ("choice", "10, 0, False"),
    # array parameters broadcast, against each other and size
    ("normal", "np.arange(3.0), np.array([[1.0], [2.0]])"), ("normal", "np.arange(3.0), 1.0, (2, 3)"),
    ("binomial", "np.array([5, 10]), 0.5, (3, 2)"), ("integers", "np.array([0, 10]), 20"),
    ("integers", "0, np.array([3, 300, 2**40])"), ("poisson", "np.array([1.0, 20.0, 0.0])"),
    ("uniform", "0.0, np.array([1.0, 2.0]), 2"), ("gamma", "np.array([0.5, 5.0]), 2.0"),
]


def method_function(name, args):
    source = f"def draws(rng):\n    value = rng.{name}({args})\n    return value, rng.random()\n"
    scope = {"np": np, "P4": P4}
    exec(source, scope)
    return scope["draws"]


def assert_same_draws(expected, got):
    value, after = expected
    got_value, got_after = got
    if isinstance(value, np.ndarray):
        assert isinstance(got_value, np.ndarray) and got_value.dtype == value.dtype
        np.testing.assert_array_equal(got_value, value)
    else:
        assert got_value == value and np.result_type(got_value) == np.result_type(value)
    assert got_after == after  # the Generator continues from where Python's calls leave it


@pytest.mark.parametrize("name,args", METHODS, ids=[f"{n}({a})" for n, a in METHODS])
def test_method_draws_the_generators_numbers(name, args):
    draws = method_function(name, args)
    expected = draws(np.random.default_rng(2026))
    assert_same_draws(expected, njit(draws)(np.random.default_rng(2026)))


@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.MT19937, np.random.Philox, np.random.SFC64,
                                           np.random.PCG64DXSM])
def test_every_bit_generator(bit_generator):
    @njit
    def draws(rng, n):
        return rng.normal(0.0, 1.0, n), rng.integers(0, 100, n), rng.random(), rng.exponential(2.0, n)

    rng, reference = np.random.Generator(bit_generator(5)), np.random.Generator(bit_generator(5))
    got = draws(rng, 50)
    want = (reference.normal(0.0, 1.0, 50), reference.integers(0, 100, 50), reference.random(),
            reference.exponential(2.0, 50))
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    assert rng.random(3).tolist() == reference.random(3).tolist()


def test_generator_through_calls_and_loops():
    @njit
    def walk(rng, steps):
        x = 0.0
        for _ in range(steps):
            x += rng.standard_normal()
        return x

    @njit
    def walks(rng, n, steps):
        out = np.empty(n)
        for i in range(n):
            out[i] = walk(rng, steps)
        return out

    rng, reference = np.random.default_rng(1), np.random.default_rng(1)
    got = walks(rng, 4, 100)
    want = [sum(reference.standard_normal() for _ in range(100)) for _ in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert rng.random() == reference.random()


def test_shuffle_in_place():
    @njit
    def shuffled(rng, a, b, items):
        rng.shuffle(a)
        rng.shuffle(b)
        rng.shuffle(items)
        return items

    a, b, items = np.arange(20.0), np.arange(24).reshape(6, 4), [1, 2, 3, 4, 5, 6, 7]
    ra, rb, ritems = a.copy(), b.copy(), list(items)
    reference = np.random.default_rng(3)
    reference.shuffle(ra), reference.shuffle(rb), reference.shuffle(ritems)
    got_items = shuffled(np.random.default_rng(3), a, b, items)
    np.testing.assert_array_equal(a, ra)
    np.testing.assert_array_equal(b, rb)
    assert list(got_items) == ritems


def test_shuffle_along_an_axis():
    @njit
    def shuffled(rng, a, axis):
        rng.shuffle(a, axis)

    for shape, axis in (((4, 5), 1), ((3, 4, 5), -1), ((3, 4, 5), 1), ((6,), -1)):
        a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
        want = a.copy()
        np.random.default_rng(5).shuffle(want, axis=axis)
        shuffled(np.random.default_rng(5), a, axis)
        np.testing.assert_array_equal(a, want)
    with pytest.raises(ValueError, match="axis 2 is out of bounds for array of dimension 2"):
        shuffled(np.random.default_rng(5), np.zeros((2, 3)), 2)
    with pytest.raises(NotImplementedError, match="only supported on ndarray"):
        shuffled(np.random.default_rng(5), [1, 2, 3], 1)


def test_distribution_of_a_large_sample():
    @njit
    def sample(rng, n):
        return rng.gamma(2.0, 3.0, n), rng.binomial(40, 0.25, n)

    g, b = sample(np.random.default_rng(11), 200_000)
    assert abs(g.mean() - 6.0) < 0.05 and abs(g.var() - 18.0) < 0.4
    assert abs(b.mean() - 10.0) < 0.03 and abs(b.var() - 7.5) < 0.1


BAD = [
    ("normal", "0.0, -1.0"), ("normal", "0.0, -0.0"), ("normal", "0.0, np.array([1.0, -1.0])"),
    ("exponential", "-1.0"), ("beta", "0.0, 1.0"), ("beta", "1.0, 0.0"), ("gamma", "-1.0"), ("gamma", "1.0, -1.0"),
    ("standard_gamma", "-1.0"), ("chisquare", "0.0"), ("f", "0.0, 1.0"), ("standard_t", "0.0"), ("lognormal", "0.0, -1.0"),
    ("laplace", "0.0, -1.0"), ("pareto", "0.0"), ("weibull", "-1.0"), ("power", "0.0"), ("rayleigh", "-1.0"),
    ("triangular", "2.0, 1.0, 3.0"), ("triangular", "0.0, 4.0, 3.0"), ("triangular", "1.0, 1.0, 1.0"),
    ("wald", "0.0, 1.0"), ("vonmises", "0.0, -1.0"), ("noncentral_chisquare", "1.0, -1.0"),
    ("poisson", "-1.0"), ("poisson", "1e300"), ("poisson", "np.nan"), ("binomial", "-1, 0.5"),
    ("binomial", "1, 1.5"), ("binomial", "1, np.nan"), ("negative_binomial", "0.0, 0.5"),
    ("negative_binomial", "1.0, 0.0"), ("geometric", "0.0"), ("geometric", "1.5"), ("logseries", "1.0"),
    ("zipf", "1.0"), ("zipf", "np.nan"), ("hypergeometric", "-1, 5, 1"), ("hypergeometric", "5, -1, 1"),
    ("hypergeometric", "1, 1, 3"), ("hypergeometric", "5, 5, -1"), ("hypergeometric", "10**9, 10**9, 1"),
    ("integers", "3, 3"), ("integers", "0"), ("integers", "-1, endpoint=True"), ("integers", "3, 2, endpoint=True"),
    ("uniform", "-1e308, 1e308"), ("uniform", "5.0, 1.0, 4"), ("choice", "4, 3, True, np.array([0.5, 0.5, 0.5, 0.5])"),
    ("choice", "4, 3, True, np.array([-0.5, 0.5, 0.5, 0.5])"), ("choice", "3, 3, True, P4"),
    ("choice", "3, 4, False"), ("choice", "4, 3, False, np.array([0.5, 0.5, 0.0, 0.0])"),
]


@pytest.mark.parametrize("name,args", BAD, ids=[f"{n}({a})" for n, a in BAD])
def test_bad_parameters_raise_numpys_errors(name, args):
    draws = method_function(name, args)
    with pytest.raises((ValueError, OverflowError)) as expected:
        draws(np.random.default_rng(0))
    with pytest.raises(expected.type, match=re.escape(str(expected.value))):
        njit(draws)(np.random.default_rng(0))


def test_method_of_something_else_says_what_has_it():
    @njit
    def draws(x):
        return x.normal(0.0, 1.0)

    with pytest.raises(Exception, match="np.random.Generator"):
        draws(np.zeros(3))


def test_generator_cannot_be_returned_to_python():
    @njit
    def same(rng):
        return rng

    with pytest.raises(TypeError, match="np.random.Generator"):
        same(np.random.default_rng(0))


def test_plain_python_intrinsics_draw_the_same():
    """The helpers' intrinsics run uncompiled too (through ctypes), with the same draws."""
    from dunnart.intrinsics import generator_double, generator_fill, generator_int
    from dunnart.numpy_generator import _BOUNDED, _FILLS, _NORMAL, _NORMAL01, _POISSON
    rng, reference = np.random.default_rng(4), np.random.default_rng(4)
    assert generator_double(rng, _NORMAL, 1.0, 2.0, 0.0) == reference.normal(1.0, 2.0)
    assert generator_int(rng, _POISSON, 4.0, 0.0, 0, 0, 0) == reference.poisson(4.0)
    assert generator_int(rng, _BOUNDED, 0.0, 0.0, 5, 9, 0) == reference.integers(5, 15)
    out, ints = np.empty(6), np.empty(4, np.int64)
    generator_fill(rng, _NORMAL01, out, 0, 0)
    generator_fill(rng, len(_FILLS) - 1, ints, -3, 7)
    np.testing.assert_array_equal(out, reference.standard_normal(6))
    np.testing.assert_array_equal(ints, reference.integers(-3, 5, 4))
