"""The methods of a np.random.Generator passed in from Python, for compiled code: each draw
is NumPy's own distribution function on the Generator's bit generator
(runtime/numpy_generator.cpp), called once per value in the order the Generator calls it,
so that the compiled call draws the numbers the same calls would draw in Python and leaves
the Generator where Python continues from. The frontend turns rng.normal(...) into a call
of generator_normal(rng, ...) here (library.py's GENERATOR_METHODS). Parameters are
scalars or arrays (broadcast together and to size, as NumPy does); size is None (one
value), an int or a tuple."""
import numpy as np

from . import njit
from .intrinsics import generator_double, generator_fill, generator_int
from .numpy_random import (_POISSON_LAM_MAX, _any, _check_triangular, _integer, _permutation, _searchsorted_right,
                           _shuffle, _values, _violated)
from .numpy_shapes import swapaxes

# The runtime's tables (runtime/numpy_generator.cpp), in its order: NumPy's function
# random_<name> of a bitgen_t and `count` doubles returning a double ("_f": float32)...
_DOUBLE_DRAWS = (("standard_uniform", 0), ("standard_normal", 0), ("standard_exponential", 0),
                 ("standard_cauchy", 0), ("normal", 2), ("uniform", 2), ("exponential", 1), ("standard_gamma", 1),
                 ("gamma", 2), ("beta", 2), ("chisquare", 1), ("f", 2), ("standard_t", 1), ("lognormal", 2),
                 ("laplace", 2), ("logistic", 2), ("gumbel", 2), ("pareto", 1), ("weibull", 1), ("power", 1),
                 ("rayleigh", 1), ("triangular", 3), ("wald", 2), ("vonmises", 2), ("noncentral_chisquare", 2),
                 ("noncentral_f", 3), ("standard_uniform_f", 0), ("standard_normal_f", 0),
                 ("standard_exponential_f", 0), ("standard_gamma_f", 1))
# ... and the integer ones, with the parameters they take of (x, y: doubles; i, j, k: ints).
_INT_DRAWS = (("poisson", "x"), ("negative_binomial", "xy"), ("binomial", "xi"), ("geometric", "x"),
              ("logseries", "x"), ("zipf", "x"), ("hypergeometric", "ijk"), ("interval", "i"),
              ("bounded_uint64", "ij"))
# ... and the fills of whole arrays that NumPy uses where it draws with them.
_FILLS = ("standard_uniform", "standard_normal", "standard_exponential", "bounded_uint64")
_UNIFORM01, _NORMAL01, _EXPONENTIAL1, _CAUCHY, _NORMAL, _UNIFORM, _EXPONENTIAL, _STANDARD_GAMMA = range(8)
_GAMMA, _BETA, _CHISQUARE, _F, _STANDARD_T, _LOGNORMAL, _LAPLACE, _LOGISTIC, _GUMBEL = range(8, 17)
_PARETO, _WEIBULL, _POWER, _RAYLEIGH, _TRIANGULAR, _WALD, _VONMISES, _NC_CHISQUARE, _NC_F = range(17, 26)
_UNIFORM01_F, _NORMAL01_F, _EXPONENTIAL1_F, _STANDARD_GAMMA_F = range(26, 30)
_POISSON, _NEGATIVE_BINOMIAL, _BINOMIAL, _GEOMETRIC, _LOGSERIES, _ZIPF, _HYPERGEOMETRIC, _INTERVAL, _BOUNDED = range(9)


# ---- one value: s is (the generator, the table's op) ----

@njit
def _double(s, a, b, c):
    return generator_double(s[0], s[1], a, b, c)


@njit
def _count(s, a, b, c):  # poisson, negative_binomial, geometric, logseries, zipf: of doubles
    return generator_int(s[0], s[1], a, b, 0, 0, 0)


@njit
def _binomial(s, a, b, c):  # n, p
    return generator_int(s[0], _BINOMIAL, b, 0.0, a, 0, 0)


@njit
def _hypergeometric(s, a, b, c):
    return generator_int(s[0], _HYPERGEOMETRIC, 0.0, 0.0, a, b, c)


@njit
def _bounded(s, a, b, c):  # a + a uniform integer in [0, b], b read unsigned
    return generator_int(s[0], _BOUNDED, 0.0, 0.0, a, b, 0)


@njit
def _index(s, i):  # shuffles: an index in [0, i]
    return generator_int(s, _INTERVAL, 0.0, 0.0, i, 0, 0)


@njit
def _floats(rng, op, size, a, b, c):
    return _values(size, _double, (rng, op), a, b, c, np.float64)


@njit
def _ints(rng, op, size, a, b, c):
    return _values(size, _count, (rng, op), a, b, c, np.int64)


@njit
def _single(rng, op, single_op, size, a, dtype):
    """random, standard_normal, standard_exponential, standard_gamma with dtype=: float32
    draws NumPy's float32 functions (from 32-bit words: another stream); float64 arrays of
    the first three, NumPy's fills (op is their number there too)."""
    if dtype == np.float32:
        if size is None:
            return generator_double(rng, single_op, a, 0.0, 0.0)  # a Python float, as NumPy's
        return _values(size, _double, (rng, single_op), a, 0.0, 0.0, np.float32)
    if dtype != np.float64:
        raise TypeError("Unsupported dtype for this distribution: float32 or float64 are")
    if size is None or op >= len(_FILLS) - 1:
        return _floats(rng, op, size, a, 0.0, 0.0)
    out = np.empty(size)
    generator_fill(rng, op, out.reshape(-1), 0, 0)
    return out


@njit
def _affine(rng, op, a, b, fill, size, shift, factor):
    """normal, uniform, exponential (op of parameters a, b): NumPy draws shift + factor *
    (a standard draw) per value; of scalar parameters into an array, the standard draws'
    fill, then the same arithmetic (in the same order, so the same roundings) in one
    vectorised pass."""
    if size is None or isinstance(shift, np.ndarray) or isinstance(factor, np.ndarray):
        return _floats(rng, op, size, a, b, 0.0)
    out = np.empty(size)
    flat = out.reshape(-1)
    generator_fill(rng, fill, flat, 0, 0)
    for i in range(flat.shape[0]):
        flat[i] = shift + factor * flat[i]
    return out


# ---- NumPy's parameter checks (numpy.random._common's constraints, its messages) ----

@njit
def _non_negative(v, name):
    if _any(np.signbit(v) & ~np.isnan(v)):
        raise ValueError(name + " < 0")


@njit
def _positive(v, name):
    if _any(v <= 0):
        raise ValueError(name + " <= 0")


@njit
def _unit_closed(v, name):
    if _violated((v >= 0) & (v <= 1)):
        raise ValueError(name + " < 0, " + name + " > 1 or " + name + " is NaN")


@njit
def _unit_open_low(v, name):
    if _violated((v > 0) & (v <= 1)):
        raise ValueError(name + " <= 0, " + name + " > 1 or " + name + " contains NaNs")


# ---- the methods ----

@njit
def generator_random(rng, size=None, dtype=np.float64):
    return _single(rng, _UNIFORM01, _UNIFORM01_F, size, 0.0, dtype)


@njit
def generator_standard_normal(rng, size=None, dtype=np.float64):
    return _single(rng, _NORMAL01, _NORMAL01_F, size, 0.0, dtype)


@njit
def generator_standard_exponential(rng, size=None, dtype=np.float64):
    return _single(rng, _EXPONENTIAL1, _EXPONENTIAL1_F, size, 0.0, dtype)


@njit
def generator_standard_gamma(rng, shape, size=None, dtype=np.float64):
    _non_negative(shape, "shape")
    if isinstance(shape, np.ndarray):
        return _floats(rng, _STANDARD_GAMMA, size, shape * 1.0, 0.0, 0.0)
    return _single(rng, _STANDARD_GAMMA, _STANDARD_GAMMA_F, size, shape * 1.0, dtype)


@njit
def generator_standard_cauchy(rng, size=None):
    return _floats(rng, _CAUCHY, size, 0.0, 0.0, 0.0)


@njit
def generator_normal(rng, loc=0.0, scale=1.0, size=None):
    _non_negative(scale, "scale")
    return _affine(rng, _NORMAL, loc * 1.0, scale * 1.0, _NORMAL01, size, loc * 1.0, scale * 1.0)


@njit
def generator_uniform(rng, low=0.0, high=1.0, size=None):
    span = high * 1.0 - low
    if _any(span < 0):
        raise ValueError("high - low < 0")
    if _violated(np.isfinite(span)):
        raise OverflowError("high - low range exceeds valid bounds")
    return _affine(rng, _UNIFORM, low * 1.0, span, _UNIFORM01, size, low * 1.0, span)


@njit
def generator_integers(rng, low, high=None, size=None, endpoint=False):
    """int64 integers in [low, high) ([low, high] with endpoint), by Lemire's method on
    NumPy's bounded draws: Generator.integers' numbers for its default dtype."""
    if high is None:
        return _integers(rng, 0, low, size, endpoint, "high < 0" if endpoint else "high <= 0")
    return _integers(rng, low, high, size, endpoint, "low > high" if endpoint else "low >= high")


@njit
def _integers(rng, low, high, size, endpoint, message):
    top = _integer(high) - (0 if endpoint else 1)
    if _any(low > top):
        raise ValueError(message)
    if size is None or isinstance(low, np.ndarray) or isinstance(top, np.ndarray):
        return _values(size, _bounded, (rng, _BOUNDED), _integer(low), top - low, 0, np.int64)
    out = np.empty(size, np.int64)
    generator_fill(rng, len(_FILLS) - 1, out.reshape(-1), low, top - low)
    return out


@njit
def generator_exponential(rng, scale=1.0, size=None):
    _non_negative(scale, "scale")
    # scale >= 0: 0 + scale * x is scale * x
    return _affine(rng, _EXPONENTIAL, scale * 1.0, 0.0, _EXPONENTIAL1, size, 0.0, scale * 1.0)


@njit
def generator_gamma(rng, shape, scale=1.0, size=None):
    _non_negative(shape, "shape")
    _non_negative(scale, "scale")
    return _floats(rng, _GAMMA, size, shape * 1.0, scale * 1.0, 0.0)


@njit
def generator_beta(rng, a, b, size=None):
    _positive(a, "a")
    _positive(b, "b")
    return _floats(rng, _BETA, size, a * 1.0, b * 1.0, 0.0)


@njit
def generator_chisquare(rng, df, size=None):
    _positive(df, "df")
    return _floats(rng, _CHISQUARE, size, df * 1.0, 0.0, 0.0)


@njit
def generator_f(rng, dfnum, dfden, size=None):
    _positive(dfnum, "dfnum")
    _positive(dfden, "dfden")
    return _floats(rng, _F, size, dfnum * 1.0, dfden * 1.0, 0.0)


@njit
def generator_standard_t(rng, df, size=None):
    _positive(df, "df")
    return _floats(rng, _STANDARD_T, size, df * 1.0, 0.0, 0.0)


@njit
def generator_lognormal(rng, mean=0.0, sigma=1.0, size=None):
    _non_negative(sigma, "sigma")
    return _floats(rng, _LOGNORMAL, size, mean * 1.0, sigma * 1.0, 0.0)


@njit
def generator_laplace(rng, loc=0.0, scale=1.0, size=None):
    _non_negative(scale, "scale")
    return _floats(rng, _LAPLACE, size, loc * 1.0, scale * 1.0, 0.0)


@njit
def generator_logistic(rng, loc=0.0, scale=1.0, size=None):
    _non_negative(scale, "scale")
    return _floats(rng, _LOGISTIC, size, loc * 1.0, scale * 1.0, 0.0)


@njit
def generator_gumbel(rng, loc=0.0, scale=1.0, size=None):
    _non_negative(scale, "scale")
    return _floats(rng, _GUMBEL, size, loc * 1.0, scale * 1.0, 0.0)


@njit
def generator_pareto(rng, a, size=None):
    _positive(a, "a")
    return _floats(rng, _PARETO, size, a * 1.0, 0.0, 0.0)


@njit
def generator_weibull(rng, a, size=None):
    _non_negative(a, "a")
    return _floats(rng, _WEIBULL, size, a * 1.0, 0.0, 0.0)


@njit
def generator_power(rng, a, size=None):
    _positive(a, "a")
    return _floats(rng, _POWER, size, a * 1.0, 0.0, 0.0)


@njit
def generator_rayleigh(rng, scale=1.0, size=None):
    _non_negative(scale, "scale")
    return _floats(rng, _RAYLEIGH, size, scale * 1.0, 0.0, 0.0)


@njit
def generator_triangular(rng, left, mode, right, size=None):
    _check_triangular(left, mode, right)
    return _floats(rng, _TRIANGULAR, size, left * 1.0, mode * 1.0, right * 1.0)


@njit
def generator_wald(rng, mean, scale, size=None):
    _positive(mean, "mean")
    _positive(scale, "scale")
    return _floats(rng, _WALD, size, mean * 1.0, scale * 1.0, 0.0)


@njit
def generator_vonmises(rng, mu, kappa, size=None):
    _non_negative(kappa, "kappa")
    return _floats(rng, _VONMISES, size, mu * 1.0, kappa * 1.0, 0.0)


@njit
def generator_noncentral_chisquare(rng, df, nonc, size=None):
    _positive(df, "df")
    _non_negative(nonc, "nonc")
    return _floats(rng, _NC_CHISQUARE, size, df * 1.0, nonc * 1.0, 0.0)


@njit
def generator_noncentral_f(rng, dfnum, dfden, nonc, size=None):
    _positive(dfnum, "dfnum")
    _positive(dfden, "dfden")
    _non_negative(nonc, "nonc")
    return _floats(rng, _NC_F, size, dfnum * 1.0, dfden * 1.0, nonc * 1.0)


@njit
def generator_poisson(rng, lam=1.0, size=None):
    if _violated(lam >= 0):
        raise ValueError("lam < 0 or lam is NaN")
    if _any(lam > _POISSON_LAM_MAX):
        raise ValueError("lam value too large")
    return _ints(rng, _POISSON, size, lam * 1.0, 0.0, 0.0)


@njit
def generator_binomial(rng, n, p, size=None):
    if _any(n < 0):
        raise ValueError("n < 0")
    _unit_closed(p, "p")
    return _values(size, _binomial, (rng, _BINOMIAL), _integer(n), p * 1.0, 0.0, np.int64)


@njit
def generator_negative_binomial(rng, n, p, size=None):
    if _violated(n > 0):
        raise ValueError("n <= 0")
    _unit_open_low(p, "p")
    return _ints(rng, _NEGATIVE_BINOMIAL, size, n * 1.0, p * 1.0, 0.0)


@njit
def generator_geometric(rng, p, size=None):
    _unit_open_low(p, "p")
    return _ints(rng, _GEOMETRIC, size, p * 1.0, 0.0, 0.0)


@njit
def generator_logseries(rng, p, size=None):
    if _violated((p >= 0) & (p < 1)):
        raise ValueError("p < 0, p >= 1 or p is NaN")
    return _ints(rng, _LOGSERIES, size, p * 1.0, 0.0, 0.0)


@njit
def generator_zipf(rng, a, size=None):
    if _violated(a > 1):
        raise ValueError("a <= 1 or a is NaN")
    return _ints(rng, _ZIPF, size, a * 1.0, 0.0, 0.0)


@njit
def generator_hypergeometric(rng, ngood, nbad, nsample, size=None):
    if _any(ngood + nbad < nsample):
        raise ValueError("ngood + nbad < nsample")
    if _any(ngood < 0):
        raise ValueError("ngood < 0")
    if _any(nbad < 0):
        raise ValueError("nbad < 0")
    if _any(nsample < 0):
        raise ValueError("nsample < 0")
    if _any((ngood >= 1000000000) | (nbad >= 1000000000)):
        raise ValueError("both ngood and nbad must be less than 1000000000")
    return _values(size, _hypergeometric, (rng, _HYPERGEOMETRIC), _integer(ngood), _integer(nbad),
                   _integer(nsample), np.int64)


@njit
def _along(x, axis):
    """x (an array) with `axis` first, as a view (Generator's shuffles along an axis)."""
    return swapaxes(x, 0, axis) if axis != 0 else x


@njit
def generator_shuffle(rng, x, axis=0):
    """Shuffles x (an array or a list) along `axis` in place, as Generator.shuffle."""
    if isinstance(x, list):
        if axis != 0:
            raise NotImplementedError("Axis argument is only supported on ndarray objects")
        _shuffle(x, _index, rng)
    else:
        _shuffle(_along(x, axis), _index, rng)


@njit
def generator_permutation(rng, x, axis=0):
    if isinstance(x, np.ndarray) and axis != 0:
        out = x.copy()
        _shuffle(_along(out, axis), _index, rng)
        return out
    return _permutation(x, _index, rng)


@njit
def _shuffle_ints(rng, n, first, data):
    """Generator's shuffle of the int64 array data's elements n-1 down to first (choice's)."""
    for i in range(n - 1, first - 1, -1):
        j = generator_int(rng, _BOUNDED, 0.0, 0.0, 0, i, 0)
        t = data[j]
        data[j] = data[i]
        data[i] = t


@njit
def _distinct_indices(rng, pop, k, shuffle):
    """k distinct indices of range(pop), as Generator.choice draws them without p: a tail
    shuffle of the whole range for a large share of a large population, else Floyd's
    selection through an open-addressing set (then shuffled, unless shuffle is False)."""
    if pop > 10000 and k > pop // (50 if shuffle else 20):
        order = np.arange(pop)
        _shuffle_ints(rng, pop, max(pop - k, 1), order)
        return order[pop - k:].copy()
    out = np.empty(k, np.int64)
    mask = int(1.2 * k)  # the smallest all-ones mask covering 1.2 k
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> shift
    slots = np.full(mask + 1, -1, np.int64)
    for j in range(pop - k, pop):
        v = generator_int(rng, _BOUNDED, 0.0, 0.0, 0, j, 0)
        at = v & mask
        while slots[at] != -1 and slots[at] != v:
            at = (at + 1) & mask
        if slots[at] == -1:
            slots[at] = v
        else:  # v was taken: j itself is new
            v = j
            at = j & mask
            while slots[at] != -1:
                at = (at + 1) & mask
            slots[at] = j
        out[j - pop + k] = v
    if shuffle:
        _shuffle_ints(rng, k, 1, out)
    return out


@njit
def _distinct_weighted(rng, p, k):
    """k distinct indices drawn with probabilities p, as Generator.choice: rounds of
    uniforms through the cumulative sums, each index found zeroed in p for the next round,
    a round's repeats dropped (its first draws kept, in order)."""
    if np.sum(p > 0) < k:
        raise ValueError("Fewer non-zero entries in p than size")
    weights = p * 1.0
    found = np.zeros(k, np.int64)
    count = 0
    while count < k:
        x = generator_random(rng, k - count)
        for f in range(count):
            weights[found[f]] = 0.0
        cdf = np.cumsum(weights)
        cdf /= cdf[-1]
        drawn = _searchsorted_right(cdf, x)
        seen = np.zeros(weights.shape[0], np.bool_)
        for d in drawn:
            if not seen[d]:
                seen[d] = True
                found[count] = d
                count += 1
    return found


@njit
def _choice_size(size):
    if size is None:
        return 1
    return np.empty(size, np.bool_).size


@njit
def generator_choice(rng, a, size=None, replace=True, p=None, shuffle=True):
    """Samples of a (an int: arange(a); or a 1-D array), with replacement (uniform, as
    Generator.integers draws them, or with probabilities p through Generator.random's
    uniforms) or without (Generator.choice's selections): its numbers."""
    pool = np.arange(a) if isinstance(a, (int, np.integer)) else a
    if pool.ndim != 1:
        raise ValueError("a must be a positive integer unless no samples are taken")
    n = pool.shape[0]
    if p is not None:
        if p.shape[0] != n:
            raise ValueError("a and p must have same size")
        if np.any(p < 0):
            raise ValueError("Probabilities are not non-negative")
        if np.abs(np.sum(p) - 1.0) > 1.4901161193847656e-08:
            raise ValueError("Probabilities do not sum to 1. See Notes section of docstring for more information.")
    if replace:
        if p is None:
            if n == 0:
                raise ValueError("a cannot be empty unless no samples are taken")
            return pool[generator_integers(rng, 0, n, size)]
        cdf = np.cumsum(p * 1.0)
        cdf /= cdf[-1]
        return pool[_searchsorted_right(cdf, generator_random(rng, size))]
    k = _choice_size(size)
    if k > n:
        raise ValueError("Cannot take a larger sample than population when replace is False")
    idx = _distinct_indices(rng, n, k, shuffle) if p is None else _distinct_weighted(rng, p, k)
    if size is None:
        return pool[idx[0]]
    return pool[idx].reshape(size)
