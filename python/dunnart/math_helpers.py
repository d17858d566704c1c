"""math module functions that compiled code calls as jitted functions written here in Python
(the frontend turns `math.gcd(a, b)` and a from-imported `gcd(a, b)` into calls of these),
with CPython's results and errors. Integers are int64: a result past it raises
OverflowError where CPython would give a larger int."""
from . import njit

_INT64_MAX = 2**63 - 1


@njit
def gcd(a, b):
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


@njit
def lcm(a, b):
    if a == 0 or b == 0:
        return 0
    return abs(a // gcd(a, b) * b)


@njit
def factorial(n):
    if n < 0:
        raise ValueError("factorial() not defined for negative values")
    if n > 20:
        raise OverflowError("factorial() of more than 20 does not fit in an int64")
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


@njit
def _check_counts(n, k):
    if n < 0:
        raise ValueError("n must be a non-negative integer")
    if k < 0:
        raise ValueError("k must be a non-negative integer")


@njit
def comb(n, k):
    _check_counts(n, k)
    if k > n:
        return 0
    k = min(k, n - k)
    r = 1
    for i in range(1, k + 1):
        # r * (n - k + i) / i is a binomial coefficient: with g = gcd(r, i), i / g divides
        # n - k + i, so no step makes more than the next coefficient.
        g = gcd(r, i)
        a, b = r // g, (n - k + i) // (i // g)
        if a > _INT64_MAX // b:
            raise OverflowError("comb() result does not fit in an int64")
        r = a * b
    return r


@njit
def perm(n, k):
    _check_counts(n, k)
    if k > n:
        return 0
    r = 1
    for i in range(n - k + 1, n + 1):
        if r > _INT64_MAX // i:
            raise OverflowError("perm() result does not fit in an int64")
        r *= i
    return r


@njit
def isqrt(n):
    if n < 0:
        raise ValueError("isqrt() argument must be nonnegative")
    if n == 0:
        return 0
    x = max(int(n ** 0.5), 1)  # then corrected: the float root may be off by one
    while x > n // x:  # x * x > n, without overflowing
        x -= 1
    while x + 1 <= n // (x + 1):  # (x + 1) ** 2 <= n
        x += 1
    return x


@njit
def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
    if rel_tol < 0.0 or abs_tol < 0.0:
        raise ValueError("tolerances must be non-negative")
    if a == b:
        return True
    if abs(a) == float("inf") or abs(b) == float("inf"):
        return False
    diff = abs(b - a)
    return diff <= abs(rel_tol * b) or diff <= abs(rel_tol * a) or diff <= abs_tol


_RAD_TO_DEG = 180.0 / 3.141592653589793
_DEG_TO_RAD = 3.141592653589793 / 180.0


@njit
def degrees(x):
    return x * _RAD_TO_DEG


@njit
def radians(x):
    return x * _DEG_TO_RAD


