"""np.random's module functions for compiled code: NumPy's legacy RandomState, one per
thread (runtime/random.cpp), with NumPy's algorithms over its draws, so that
np.random.seed(s) and the same calls give NumPy's own numbers (library.py turns a call of
np.random.normal into a call of `normal` here). Like Numba's, the compiled state is its
own: seeding NumPy in Python does not seed it, nor the reverse. Parameters are scalars;
size is None (one value), an int or a tuple."""
import numpy as np

from . import njit
from .intrinsics import random_bounded, random_double, random_gauss, random_seed
from .numpy_helpers import count_nonzero

_POISSON_LAM_MAX = float(np.iinfo(np.int64).max - np.sqrt(np.iinfo(np.int64).max) * 10)


# ---- the draws of one value (NumPy's legacy-distributions.c and distributions.c) ----

@njit
def _standard_exponential():
    return -np.log(1.0 - random_double())


@njit
def _standard_gamma(shape):
    if shape == 1.0:
        return _standard_exponential()
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = random_double()
            v = _standard_exponential()
            if u <= 1.0 - shape:
                x = np.power(u, 1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -np.log((1 - u) / shape)
                x = np.power(1.0 - shape + shape * y, 1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / np.sqrt(9 * b)
    while True:
        x = random_gauss()
        v = 1.0 + c * x
        while v <= 0.0:
            x = random_gauss()
            v = 1.0 + c * x
        v = v * v * v
        u = random_double()
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if np.log(u) < 0.5 * x * x + b * (1.0 - v + np.log(v)):
            return b * v


@njit
def _beta(a, b):
    if a <= 1.0 and b <= 1.0:  # Johnk's algorithm
        while True:
            u = random_double()
            v = random_double()
            x = np.power(u, 1.0 / a)
            y = np.power(v, 1.0 / b)
            if x + y <= 1.0:
                if x + y > 0:
                    return x / (x + y)
                log_x = np.log(u) / a
                log_y = np.log(v) / b
                log_m = max(log_x, log_y)
                log_x -= log_m
                log_y -= log_m
                return np.exp(log_x - np.log(np.exp(log_x) + np.exp(log_y)))
    ga = _standard_gamma(a)
    gb = _standard_gamma(b)
    return ga / (ga + gb)


@njit
def _loggam(x):
    """log(gamma(x)) as NumPy's random module computes it (its rejection tests use it)."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = 0
    x0 = x
    if x <= 7.0:
        n = int(7 - x)
        x0 = x + n
    x2 = 1.0 / (x0 * x0)
    gl0 = -1.39243221690590e+00
    gl0 = gl0 * x2 + 1.796443723688307e-01
    gl0 = gl0 * x2 - 2.955065359477124e-02
    gl0 = gl0 * x2 + 6.410256410256410e-03
    gl0 = gl0 * x2 - 1.917526917526918e-03
    gl0 = gl0 * x2 + 8.417508417508418e-04
    gl0 = gl0 * x2 - 5.952380952380952e-04
    gl0 = gl0 * x2 + 7.936507936507937e-04
    gl0 = gl0 * x2 - 2.777777777777778e-03
    gl0 = gl0 * x2 + 8.333333333333333e-02
    gl = gl0 / x0 + 0.5 * np.log(2 * np.pi) + (x0 - 0.5) * np.log(x0) - x0
    for _ in range(n):
        gl -= np.log(x0 - 1.0)
        x0 -= 1.0
    return gl


@njit
def _poisson(lam):
    if lam >= 10:  # Hoermann's transformed rejection (PTRS)
        slam = np.sqrt(lam)
        loglam = np.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = random_double() - 0.5
            v = random_double()
            us = 0.5 - abs(u)
            k = int(np.floor((2 * a / us + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b) <= -lam + k * loglam - _loggam(k + 1.0):
                return k
    if lam == 0:
        return 0
    enlam = np.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= random_double()
        if prod > enlam:
            x += 1
        else:
            return x


@njit
def _binomial_inversion(n, p):
    q = 1.0 - p
    qn = np.exp(n * np.log(q))
    mean = n * p
    bound = int(min(n, mean + 10.0 * np.sqrt(mean * q + 1)))
    x = 0
    px = qn
    u = random_double()
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = random_double()
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@njit
def _stirling_tail(square, v):
    return (13680. - (462. - (132. - (99. - 140. / square) / square) / square) / square) / v / 166320.


@njit
def _binomial_btpe(n, p):
    """Kachitvichyanukul and Schmeiser's BTPE, for n * p > 30 with p <= 0.5."""
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = int(np.floor(fm))
    p1 = np.floor(2.195 * np.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    nrq = n * r * q
    while True:
        u = random_double() * p4
        v = random_double()
        if u <= p1:
            return int(np.floor(xm - p1 * v + u))
        if u <= p2:
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(np.floor(x))
        elif u <= p3:
            y = int(np.floor(xl + np.log(v) / laml))
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * laml
        else:
            y = int(np.floor(xr - np.log(v) / lamr))
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lamr
        k = abs(y - m)
        if not (k > 20 and k < nrq / 2.0 - 1):
            s = r / q
            a = s * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f *= a / i - s
            elif m > y:
                for i in range(y + 1, m + 1):
                    f /= a / i - s
            if v > f:
                continue
            return y
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
        t = -k * k / (2 * nrq)
        big_a = np.log(v)
        if big_a < t - rho:
            return y
        if big_a > t + rho:
            continue
        x1 = y + 1.0
        f1 = m + 1.0
        z = n + 1.0 - m
        w = n - y + 1.0
        bound = (xm * np.log(f1 / x1) + (n - m + 0.5) * np.log(z / w) + (y - m) * np.log(w * r / (x1 * q)) +
                 _stirling_tail(f1 * f1, f1) + _stirling_tail(z * z, z) + _stirling_tail(x1 * x1, x1) +
                 _stirling_tail(w * w, w))
        if big_a > bound:
            continue
        return y


@njit
def _binomial(n, p):
    if p <= 0.5:
        if p * n <= 30.0:
            return _binomial_inversion(n, p)
        return _binomial_btpe(n, p)
    q = 1.0 - p
    if q * n <= 30.0:
        return n - _binomial_inversion(n, q)
    return n - _binomial_btpe(n, q)


@njit
def _geometric(p):
    if p >= 0.333333333333333333333333:  # search
        x = 1
        total = p
        prod = p
        q = 1.0 - p
        u = random_double()
        while u > total:
            prod *= q
            total += prod
            x += 1
        return x
    return int(np.ceil(np.log(1.0 - random_double()) / np.log(1.0 - p)))


@njit
def _logseries(p):
    r = np.log(1.0 - p)
    while True:
        v = random_double()
        if v >= p:
            return 1
        u = random_double()
        q = 1.0 - np.exp(r * u)
        if v <= q * q:
            result = int(np.floor(1 + np.log(v) / np.log(q)))
            if result < 1 or v == 0.0:
                continue
            return result
        if v >= q:
            return 1
        return 2


@njit
def _zipf(a):
    am1 = a - 1.0
    b = np.power(2.0, am1)
    while True:
        u = 1.0 - random_double()
        v = random_double()
        x = np.floor(np.power(u, -1.0 / am1))
        if x > 9223372036854775807.0 or x < 1.0:
            continue
        t = np.power(1.0 + 1.0 / x, am1)
        if v * x * (t - 1.0) / (b - 1.0) <= t / b:
            return int(x)


@njit
def _vonmises(mu, kappa):
    if np.isnan(kappa):
        return np.nan
    if kappa < 1e-8:
        return np.pi * (2 * random_double() - 1)
    if kappa < 1e-5:
        s = 1.0 / kappa + kappa
    else:
        r = 1 + np.sqrt(1 + 4 * kappa * kappa)
        rho = (r - np.sqrt(2 * r)) / (2 * kappa)
        s = (1 + rho * rho) / (2 * rho)
    while True:
        u = random_double()
        z = np.cos(np.pi * u)
        w = (1 + s * z) / (s + z)
        y = kappa * (s - w)
        v = random_double()
        if y * (2 - y) - v >= 0 or np.log(y / v) + 1 - y >= 0:
            break
    u = random_double()
    result = np.arccos(w)
    if u < 0.5:
        result = -result
    result += mu
    neg = result < 0
    mod = (abs(result) + np.pi) % (2 * np.pi) - np.pi  # fmod: both are positive
    return -mod if neg else mod


@njit
def _hypergeometric(good, bad, sample):
    if sample > 10:  # Stadlober's HRUA
        mingoodbad = min(good, bad)
        popsize = good + bad
        maxgoodbad = max(good, bad)
        m = min(sample, popsize - sample)
        d4 = mingoodbad / popsize
        d5 = 1.0 - d4
        d6 = m * d4 + 0.5
        d7 = np.sqrt((popsize - m) * sample * d4 * d5 / (popsize - 1) + 0.5)
        d8 = 1.7155277699214135 * d7 + 0.8989161620588988
        d9 = int(np.floor((m + 1) * (mingoodbad + 1) / (popsize + 2)))
        d10 = (_loggam(d9 + 1.0) + _loggam(mingoodbad - d9 + 1.0) + _loggam(m - d9 + 1.0) +
               _loggam(maxgoodbad - m + d9 + 1.0))
        d11 = min(min(m, mingoodbad) + 1.0, np.floor(d6 + 16 * d7))
        while True:
            x = random_double()
            y = random_double()
            w = d6 + d8 * (y - 0.5) / x
            if w < 0.0 or w >= d11:
                continue
            z = int(np.floor(w))
            t = d10 - (_loggam(z + 1.0) + _loggam(mingoodbad - z + 1.0) + _loggam(m - z + 1.0) +
                       _loggam(maxgoodbad - m + z + 1.0))
            if x * (4.0 - x) - 3.0 <= t:
                break
            if x * (x - t) >= 1:
                continue
            if 2.0 * np.log(x) <= t:
                break
        if good > bad:
            z = m - z
        if m < sample:
            z = good - z
        return z
    d1 = bad + good - sample
    d2 = min(bad, good) * 1.0
    y = d2
    k = sample
    while y > 0.0:
        u = random_double()
        y -= int(np.floor(u + y / (d1 + k)))
        k -= 1
        if k == 0:
            break
    z = int(d2 - y)
    if good > bad:
        z = sample - z
    return z


# The draw of one value of each distribution, of its parameters (a, b, c): _values fills
# an array of any of them. `s`, the state drawn from: none here (the thread's own), a
# Generator's in numpy_generator.py.
@njit
def _uniform01(s, a, b, c):
    return random_double()


@njit
def _normal(s, a, b, c):
    return a + b * random_gauss()


@njit
def _uniform(s, a, b, c):
    return a + b * random_double()


@njit
def _exponential(s, a, b, c):
    return a * _standard_exponential()


@njit
def _gamma(s, a, b, c):
    return b * _standard_gamma(a)


@njit
def _beta_value(s, a, b, c):
    return _beta(a, b)


@njit
def _chisquare(s, a, b, c):
    return 2.0 * _standard_gamma(a / 2.0)


@njit
def _f(s, a, b, c):
    return (_chisquare(s, a, 0.0, 0.0) * b) / (_chisquare(s, b, 0.0, 0.0) * a)


@njit
def _standard_t(s, a, b, c):
    num = random_gauss()
    return np.sqrt(a / 2) * num / np.sqrt(_standard_gamma(a / 2))


@njit
def _standard_cauchy(s, a, b, c):
    num = random_gauss()
    return num / random_gauss()


@njit
def _lognormal(s, a, b, c):
    return np.exp(a + b * random_gauss())


@njit
def _laplace(s, a, b, c):
    while True:
        u = random_double()
        if u >= 0.5:
            return a - b * np.log(2.0 - u - u)
        if u > 0.0:
            return a + b * np.log(u + u)


@njit
def _logistic(s, a, b, c):
    while True:
        u = random_double()
        if u > 0.0:
            return a + b * np.log(u / (1.0 - u))


@njit
def _gumbel(s, a, b, c):
    while True:
        u = 1.0 - random_double()
        if u < 1.0:
            return a - b * np.log(-np.log(u))


@njit
def _pareto(s, a, b, c):
    return np.exp(_standard_exponential() / a) - 1


@njit
def _weibull(s, a, b, c):
    return 0.0 if a == 0.0 else np.power(_standard_exponential(), 1.0 / a)


@njit
def _power(s, a, b, c):
    return np.power(1 - np.exp(-_standard_exponential()), 1.0 / a)


@njit
def _rayleigh(s, a, b, c):
    return a * np.sqrt(-2.0 * np.log1p(-random_double()))


@njit
def _triangular(s, a, b, c):
    base = c - a
    left_base = b - a
    ratio = left_base / base
    left_product = left_base * base
    right_product = (c - b) * base
    u = random_double()
    if u <= ratio:
        return a + np.sqrt(u * left_product)
    return c - np.sqrt((1.0 - u) * right_product)


@njit
def _wald(s, a, b, c):
    mu_2l = a / (2 * b)
    y = random_gauss()
    y = a * y * y
    x = a + mu_2l * (y - np.sqrt(4 * b * y + y * y))
    if random_double() <= a / (a + x):
        return x
    return a * a / x


@njit
def _vonmises_value(s, a, b, c):
    return _vonmises(a, b)


@njit
def _bounded(s, a, b, c):
    return a + random_bounded(b)


@njit
def _poisson_value(s, a, b, c):
    return _poisson(a)


@njit
def _binomial_value(s, a, b, c):
    return _binomial(a, b)


@njit
def _negative_binomial(s, a, b, c):
    return _poisson(b * _standard_gamma(a))


@njit
def _geometric_value(s, a, b, c):
    return _geometric(a)


@njit
def _logseries_value(s, a, b, c):
    return _logseries(a)


@njit
def _zipf_value(s, a, b, c):
    return _zipf(a)


@njit
def _hypergeometric_value(s, a, b, c):
    return _hypergeometric(a, b, c)


@njit
def _values(size, draw, s, a, b, c, dtype):
    """One value of `draw` from state s for size None, else an array of them (of size, an
    int or a tuple)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) or isinstance(c, np.ndarray):
        return _broadcast_values(size, draw, s, a, b, c, dtype)
    if size is None:
        return draw(s, a, b, c)
    out = np.empty(size, dtype)
    flat = out.reshape(-1)
    for i in range(flat.shape[0]):
        flat[i] = draw(s, a, b, c)
    return out


@njit
def _zero(x):
    if isinstance(x, np.ndarray):
        return np.zeros_like(x)
    return 0


@njit
def _broadcast_values(size, draw, s, a, b, c, dtype):
    """Array parameters, broadcast together (and to size, when given): a value of `draw`
    for each element, in C order, as NumPy draws them."""
    zeros = _zero(a) + _zero(b) + _zero(c)
    if size is not None:
        shape = np.zeros(size, np.bool_)
        zeros = zeros + shape
        if zeros.size != shape.size:
            raise ValueError("shape mismatch: objects cannot be broadcast to a single shape")
    pa, pb, pc = (a + zeros).reshape(-1), (b + zeros).reshape(-1), (c + zeros).reshape(-1)
    out = np.empty(zeros.shape, dtype)
    flat = out.reshape(-1)
    for i in range(flat.shape[0]):
        flat[i] = draw(s, pa[i], pb[i], pc[i])
    return out


@njit
def _any(condition):
    """Whether a parameter check fails: a bool, or any element of an array of them."""
    if isinstance(condition, np.ndarray):
        return np.any(condition)
    return condition


@njit
def _violated(ok):
    """Whether a parameter check fails: a bool that is False, or an array with one."""
    if isinstance(ok, np.ndarray):
        return not np.all(ok)
    return not ok


@njit
def _integer(n):
    if isinstance(n, np.ndarray):
        return n
    return int(n)


@njit
def _floats(size, draw, a, b, c):
    return _values(size, draw, 0, a, b, c, np.float64)


@njit
def _ints(size, draw, a, b, c):
    return _values(size, draw, 0, a, b, c, np.int64)


@njit
def _dims(dims):
    """rand(d0, d1, ...)'s size: None for no dimensions."""
    if len(dims) == 0:
        return None
    return dims


# ---- the module's functions ----

@njit
def seed(seed=None):
    if seed is None:
        random_seed(-1)  # from the operating system's entropy
        return
    if seed < 0 or seed > 4294967295:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    random_seed(seed)


@njit
def random_sample(size=None):
    return _floats(size, _uniform01, 0.0, 0.0, 0.0)


@njit
def random(size=None):
    return _floats(size, _uniform01, 0.0, 0.0, 0.0)


@njit
def ranf(size=None):
    return _floats(size, _uniform01, 0.0, 0.0, 0.0)


@njit
def sample(size=None):
    return _floats(size, _uniform01, 0.0, 0.0, 0.0)


@njit
def rand(*dims):
    return _floats(_dims(dims), _uniform01, 0.0, 0.0, 0.0)


@njit
def randn(*dims):
    return _floats(_dims(dims), _normal, 0.0, 1.0, 0.0)


@njit
def standard_normal(size=None):
    return _floats(size, _normal, 0.0, 1.0, 0.0)


@njit
def _check_scale(scale, name):
    if _any(scale < 0):
        raise ValueError(name + " < 0")


@njit
def normal(loc=0.0, scale=1.0, size=None):
    _check_scale(scale, "scale")
    return _floats(size, _normal, loc, scale, 0.0)


@njit
def uniform(low=0.0, high=1.0, size=None):
    span = high * 1.0 - low
    if _violated(np.isfinite(span)):
        raise OverflowError("Range exceeds valid bounds")
    return _floats(size, _uniform, low, span, 0.0)


@njit
def randint(low, high=None, size=None):
    if high is None:
        if _any(low <= 0):
            raise ValueError("high <= 0")
        return _ints(size, _bounded, 0, low - 1, 0)
    if _any(low >= high):
        raise ValueError("low >= high")
    return _ints(size, _bounded, low, high - 1 - low, 0)


@njit
def exponential(scale=1.0, size=None):
    _check_scale(scale, "scale")
    return _floats(size, _exponential, scale, 0.0, 0.0)


@njit
def standard_exponential(size=None):
    return _floats(size, _exponential, 1.0, 0.0, 0.0)


@njit
def gamma(shape, scale=1.0, size=None):
    _check_scale(shape, "shape")
    _check_scale(scale, "scale")
    return _floats(size, _gamma, shape, scale, 0.0)


@njit
def standard_gamma(shape, size=None):
    _check_scale(shape, "shape")
    return _floats(size, _gamma, shape, 1.0, 0.0)


@njit
def _check_positive(value, name):
    if _any(value <= 0):
        raise ValueError(name + " <= 0")


@njit
def beta(a, b, size=None):
    _check_positive(a, "a")
    _check_positive(b, "b")
    return _floats(size, _beta_value, a, b, 0.0)


@njit
def chisquare(df, size=None):
    _check_positive(df, "df")
    return _floats(size, _chisquare, df, 0.0, 0.0)


@njit
def f(dfnum, dfden, size=None):
    _check_positive(dfnum, "dfnum")
    _check_positive(dfden, "dfden")
    return _floats(size, _f, dfnum, dfden, 0.0)


@njit
def standard_t(df, size=None):
    _check_positive(df, "df")
    return _floats(size, _standard_t, df, 0.0, 0.0)


@njit
def standard_cauchy(size=None):
    return _floats(size, _standard_cauchy, 0.0, 0.0, 0.0)


@njit
def lognormal(mean=0.0, sigma=1.0, size=None):
    _check_scale(sigma, "sigma")
    return _floats(size, _lognormal, mean, sigma, 0.0)


@njit
def laplace(loc=0.0, scale=1.0, size=None):
    _check_scale(scale, "scale")
    return _floats(size, _laplace, loc, scale, 0.0)


@njit
def logistic(loc=0.0, scale=1.0, size=None):
    _check_scale(scale, "scale")
    return _floats(size, _logistic, loc, scale, 0.0)


@njit
def gumbel(loc=0.0, scale=1.0, size=None):
    _check_scale(scale, "scale")
    return _floats(size, _gumbel, loc, scale, 0.0)


@njit
def pareto(a, size=None):
    _check_positive(a, "a")
    return _floats(size, _pareto, a, 0.0, 0.0)


@njit
def weibull(a, size=None):
    _check_scale(a, "a")
    return _floats(size, _weibull, a, 0.0, 0.0)


@njit
def power(a, size=None):
    _check_positive(a, "a")
    return _floats(size, _power, a, 0.0, 0.0)


@njit
def rayleigh(scale=1.0, size=None):
    _check_scale(scale, "scale")
    return _floats(size, _rayleigh, scale, 0.0, 0.0)


@njit
def _check_triangular(left, mode, right):
    if _any(left > mode):
        raise ValueError("left > mode")
    if _any(mode > right):
        raise ValueError("mode > right")
    if _any(left == right):
        raise ValueError("left == right")


@njit
def triangular(left, mode, right, size=None):
    _check_triangular(left, mode, right)
    return _floats(size, _triangular, left, mode, right)


@njit
def wald(mean, scale, size=None):
    _check_positive(mean, "mean")
    _check_positive(scale, "scale")
    return _floats(size, _wald, mean, scale, 0.0)


@njit
def vonmises(mu, kappa, size=None):
    _check_scale(kappa, "kappa")
    return _floats(size, _vonmises_value, mu, kappa, 0.0)


@njit
def poisson(lam=1.0, size=None):
    if _violated(lam >= 0):
        raise ValueError("lam < 0 or lam is NaN")
    if _any(lam > _POISSON_LAM_MAX):
        raise ValueError("lam value too large")
    return _ints(size, _poisson_value, lam * 1.0, 0.0, 0)


@njit
def _check_probability(p):
    if _violated((p >= 0) & (p <= 1)):
        raise ValueError("p < 0, p > 1 or p is NaN")


@njit
def binomial(n, p, size=None):
    if _any(n < 0):
        raise ValueError("n < 0")
    _check_probability(p)
    return _ints(size, _binomial_value, _integer(n), p * 1.0, 0)


@njit
def negative_binomial(n, p, size=None):
    _check_positive(n, "n")
    _check_probability(p)
    return _ints(size, _negative_binomial, n * 1.0, (1 - p) / p, 0)


@njit
def geometric(p, size=None):
    if _violated((p > 0) & (p <= 1)):
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    return _ints(size, _geometric_value, p * 1.0, 0.0, 0)


@njit
def logseries(p, size=None):
    if _violated((p >= 0) & (p < 1)):
        raise ValueError("p < 0, p >= 1 or p is NaN")
    return _ints(size, _logseries_value, p * 1.0, 0.0, 0)


@njit
def zipf(a, size=None):
    if _violated(a > 1):
        raise ValueError("a <= 1 or a is NaN")
    return _ints(size, _zipf_value, a * 1.0, 0.0, 0)


@njit
def hypergeometric(ngood, nbad, nsample, size=None):
    if _any(ngood < 0):
        raise ValueError("ngood < 0")
    if _any(ngood + nbad < nsample):
        raise ValueError("ngood + nbad < nsample")
    if _any(nbad < 0):
        raise ValueError("nbad < 0")
    if _any(nsample < 1):
        raise ValueError("nsample < 1 or nsample is NaN")
    return _ints(size, _hypergeometric_value, _integer(ngood), _integer(nbad), _integer(nsample))


@njit
def _legacy_index(s, i):
    """An index in [0, i] from the thread's RandomState."""
    return random_bounded(i)


@njit
def _shuffle(x, draw, s):
    """Shuffles x (an array or a list) along its first axis in place: Fisher-Yates from the
    end, index j of each i drawn by draw(s, i) (RandomState's and Generator's order)."""
    if isinstance(x, list) or x.ndim == 1:
        for i in range(len(x) - 1, 0, -1):
            j = draw(s, i)
            t = x[i]
            x[i] = x[j]
            x[j] = t
    else:
        for i in range(x.shape[0] - 1, 0, -1):
            j = draw(s, i)
            if i != j:
                t = x[j].copy()
                x[j] = x[i]
                x[i] = t


@njit
def _permutation(x, draw, s):
    if isinstance(x, (int, np.integer)):
        out = np.arange(x)
    elif isinstance(x, np.ndarray):
        if x.ndim < 1:
            raise IndexError("x must be an integer or at least 1-dimensional")
        out = x.copy()
    elif isinstance(x, list):
        out = np.array(x)
    else:
        raise IndexError("x must be an integer or at least 1-dimensional")
    _shuffle(out, draw, s)
    return out


@njit
def shuffle(x):
    _shuffle(x, _legacy_index, 0)


@njit
def permutation(x):
    return _permutation(x, _legacy_index, 0)


@njit
def _count(size):
    if size is None:
        return 1
    if isinstance(size, int):
        return size
    n = 1
    for d in size:
        n *= d
    return n


@njit
def _choice_indices(pop_size, size, replace, p):
    """The indices that choice draws, with NumPy's draws (an int for size None)."""
    n = _count(size)
    if replace:
        if p is None:
            return randint(0, pop_size, size)
        cdf = np.cumsum(p)
        cdf /= cdf[-1]
        return _searchsorted_right(cdf, random_sample(size))
    if n > pop_size:
        raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    if n < 0:
        raise ValueError("negative dimensions are not allowed")
    if p is None:
        found = permutation(pop_size)[:n]
    else:
        if count_nonzero(p > 0) < n:
            raise ValueError("Fewer non-zero entries in p than size")
        found = np.zeros(n, np.int64)
        weights = p.copy()
        taken = np.zeros(pop_size, np.bool_)
        count = 0
        while count < n:
            x = random_sample(n - count)
            for k in range(count):
                weights[found[k]] = 0
            cdf = np.cumsum(weights)
            cdf /= cdf[-1]
            drawn = _searchsorted_right(cdf, x)
            for k in range(drawn.shape[0]):  # each new index once, in the order drawn
                v = drawn[k]
                if not taken[v]:
                    taken[v] = True
                    found[count] = v
                    count += 1
    if size is None:
        return found[0]
    return found.reshape(size)


@njit
def _searchsorted_right(cdf, x):
    if isinstance(x, float):
        lo, hi = 0, cdf.shape[0]
        while lo < hi:
            mid = (lo + hi) // 2
            if cdf[mid] <= x:
                lo = mid + 1
            else:
                hi = mid
        return lo
    out = np.empty(x.shape, np.int64)
    flat, xs = out.reshape(-1), x.reshape(-1)
    for i in range(xs.shape[0]):
        flat[i] = _searchsorted_right(cdf, xs[i])
    return out


@njit
def choice(a, size=None, replace=True, p=None):
    if isinstance(a, list):
        return choice(np.array(a), size, replace, p)
    if isinstance(p, list):
        return choice(a, size, replace, np.array(p))
    if isinstance(a, (int, np.integer)):
        pop_size = a
        if pop_size <= 0 and _count(size) != 0:
            raise ValueError("a must be greater than 0 unless no samples are taken")
    else:
        if a.ndim != 1:
            raise ValueError("a must be 1-dimensional")
        pop_size = a.shape[0]
        if pop_size == 0 and _count(size) != 0:
            raise ValueError("'a' cannot be empty unless no samples are taken")
    if p is not None:
        if p.ndim != 1:
            raise ValueError("'p' must be 1-dimensional")
        if p.shape[0] != pop_size:
            raise ValueError("'a' and 'p' must have same size")
        if np.any(p < 0):
            raise ValueError("probabilities are not non-negative")
        if abs(np.sum(p) - 1.0) > 1.4901161193847656e-08:
            raise ValueError("probabilities do not sum to 1")
    idx = _choice_indices(pop_size, size, replace, p)
    if isinstance(a, (int, np.integer)):
        return idx
    return a[idx]


@njit
def multinomial(n, pvals, size=None):
    if n < 0:
        raise ValueError("n < 0")
    d = pvals.shape[0]
    if d > 1 and np.sum(pvals[:d - 1]) > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")
    rows = _count(size)
    out = np.zeros((rows, d), np.int64)
    for i in range(rows):
        remaining = 1.0
        left = n
        for j in range(d - 1):
            pj = pvals[j] / remaining
            out[i, j] = 0 if left == 0 or pj == 0.0 else _binomial(left, min(pj, 1.0))
            left -= out[i, j]
            if left <= 0:
                break
            remaining -= pvals[j]
        if left > 0:
            out[i, d - 1] = left
    if size is None:
        return out.reshape(d)
    if isinstance(size, int):
        return out.reshape(size, d)
    return out.reshape(size + (d,))


@njit
def dirichlet(alpha, size=None):
    k = alpha.shape[0]
    for j in range(k):
        if not alpha[j] > 0:
            raise ValueError("alpha <= 0")
    rows = _count(size)
    out = np.empty((rows, k))
    for i in range(rows):
        total = 0.0
        for j in range(k):
            out[i, j] = _standard_gamma(alpha[j])
            total += out[i, j]
        inv = 1.0 / total
        for j in range(k):
            out[i, j] *= inv
    if size is None:
        return out.reshape(k)
    if isinstance(size, int):
        return out.reshape(size, k)
    return out.reshape(size + (k,))
