"""Binding of call arguments to parameters by the dispatcher: any number of arguments,
keywords, defaults, keyword-only and positional-only parameters, Python's exact TypeErrors
for bad calls, constructs that cannot be compiled (**kwargs, bound methods), and ndarray
subclasses whose semantics differ from ndarray's (refused)."""
import sys
import warnings

import numpy as np
import pytest

import dunnart
from dunnart import jit, njit

from jitcheck import assert_same


def same(f, *args, **kwargs):
    """f(*args, **kwargs) compiled equals the plain Python call."""
    expected = f.py_func(*args, **kwargs)
    got = f(*args, **kwargs)
    assert_same(got, expected)
    return got


def same_error(f, *args, **kwargs):
    """The compiled f raises exactly the TypeError (type and message) that Python raises."""
    with pytest.raises(TypeError) as want:
        f.py_func(*args, **kwargs)
    with pytest.raises(TypeError) as got:
        f(*args, **kwargs)
    assert type(got.value) is type(want.value)
    assert str(got.value) == str(want.value)
    return str(got.value)


def make_sum(n):
    """def sum<n>(a0, ..., a<n-1>): weighted sum of its arguments."""
    names = [f"a{k}" for k in range(n)]
    src = f"def sum{n}({', '.join(names)}):\n    return " + " + ".join(
        f"{k + 1} * {v}" for k, v in enumerate(names)) + "\n"
    ns = {}
    exec(src, ns)
    return ns[f"sum{n}"]


# -- many arguments ------------------------------------------------------------------------

@pytest.mark.parametrize("n", [8, 9, 16, 40])
def test_many_positional_scalars(n):
    f = njit(make_sum(n))
    same(f, *range(n))
    same(f, *[0.5 * k for k in range(n)])
    same(f, *range(n))  # the fast path, after the compile
    assert len(f.signatures) == 2


@pytest.mark.parametrize("n", [9, 16, 40])
def test_many_arguments_with_keywords(n):
    f = njit(make_sum(n))
    same(f, *range(n - 3), **{f"a{k}": k for k in range(n - 3, n)})
    same(f, **{f"a{k}": float(k) for k in reversed(range(n))})
    same(f, *range(n))
    assert len(f.signatures) == 2


@pytest.mark.parametrize("n", [9, 16, 40])
def test_many_array_arguments(n):
    f = njit(make_sum(n))
    arrays = [np.arange(5.0) + k for k in range(n)]
    same(f, *arrays)
    mixed = [a if k % 2 else float(k) for k, a in enumerate(arrays)]
    same(f, *mixed)
    same(f, *mixed[:-1], **{f"a{n - 1}": mixed[-1]})


def test_many_arguments_with_defaults():
    ns = {}
    exec("def f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9=10, a10=11.5, a11=None):\n"
         "    s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10\n"
         "    return s, a11\n", ns)
    f = njit(ns["f"])
    same(f, *range(9))
    same(f, *range(10))
    same(f, *range(9), a11=2)
    same(f, *range(12))
    same_error(f, *range(13))
    same_error(f, *range(8))


def test_many_arguments_errors():
    f = njit(make_sum(12))
    same_error(f, *range(11))
    same_error(f, *range(13))
    same_error(f, *range(12), a3=1)
    same_error(f, *range(11), b=1)


# -- defaults and keywords --------------------------------------------------------------------

@njit
def add_default(a, b=2):
    return a + b


@njit
def maybe_scale(a, scale=None):
    # (`a * scale` in the else branch would need branch pruning on `is None`, as Numba does)
    return a, scale, scale is None


@njit
def float_default(a, b=0.25):
    return a + b


DEFAULT_ARRAY = np.arange(4.0)


@njit
def array_default(i, a=DEFAULT_ARRAY):
    return a[i] * 2.0


@njit
def three(a, b=1, c=2.5):
    return a * 100 + b * 10 + c


def test_default_filled():
    assert same(add_default, 1) == 3
    same(add_default, 1, 5)
    same(add_default, 1, b=5)
    same(add_default, b=5, a=1)
    same(add_default, a=1)
    same(add_default, 1.5)


def test_defaults_typed_as_their_values():
    same(maybe_scale, 3)
    same(maybe_scale, 3, 2)
    same(maybe_scale, 3, scale=0.5)
    same(float_default, 1)
    assert isinstance(float_default(1), float)
    same(array_default, 2)
    same(array_default, 1, np.arange(3.0) * 3)
    assert len(maybe_scale.signatures) == 3


def test_keywords_in_any_order():
    same(three, 1)
    same(three, 1, c=7)
    same(three, c=7, a=1)
    same(three, 1, 2, c=3)
    same(three, c=3, b=2, a=1)


def test_keyword_call_reuses_positional_signature():
    @njit
    def g(a, b):
        return a - b
    assert g(5, 3) == 2
    assert g(5, b=3) == 2
    assert g(b=3, a=5) == 2
    assert len(g.signatures) == 1 and g.stats["compiles"] == 1


def test_keywords_from_a_dict_not_interned():
    key = "".join(["b", ""])  # a fresh string object, not the interned name
    kwargs = {key + "": 4}
    same(add_default, 1, **kwargs)
    same(three, 1, **{"".join(["c"]): 9.0})


def test_defaults_are_those_at_decoration():
    def g(a, b=2):
        return a + b
    f = njit(g)
    g.__defaults__ = (100,)  # the plain function changes; the dispatcher froze (2,)
    assert f(1) == 3


# -- Python's TypeErrors ------------------------------------------------------------------------

def test_errors_are_pythons():
    same_error(add_default)
    same_error(add_default, 1, 2, 3)
    same_error(add_default, 1, c=3)
    same_error(add_default, 1, a=3)
    same_error(add_default, 1, 2, b=3)
    same_error(three)
    same_error(three, 1, 2, 3, 4)
    same_error(three, b=1)


def test_errors_without_defaults():
    @njit
    def g(a, b):
        return a + b
    same_error(g)
    same_error(g, 1)
    same_error(g, b=1)
    same_error(g, 1, 2, 3)
    same_error(g, 1, 2, x=3)

    @njit
    def one(a):
        return a
    same_error(one, 1, 2)
    same_error(one)

    @njit
    def none():
        return 1
    same_error(none, 1)
    same_error(none, x=1)
    assert none() == 1


def test_error_for_unexpected_keyword_suggestion():
    @njit
    def g(alpha, beta=1):
        return alpha + beta
    same_error(g, 1, betta=2)  # Python 3.13 adds "Did you mean 'beta'?"


def test_errors_after_successful_calls():
    assert add_default(1, 2) == 3
    same_error(add_default, 1, 2, 3)
    same_error(add_default, 1, 2, b=2)
    assert add_default(2) == 4


# -- keyword-only and positional-only parameters ------------------------------------------------

@njit
def kwonly(a, *, b, c=3):
    return a * 100 + b * 10 + c


@njit
def posonly(a, b=2, /, c=3):
    return a * 100 + b * 10 + c


def test_keyword_only_parameters():
    same(kwonly, 1, b=2)
    same(kwonly, 1, b=2, c=5)
    same(kwonly, c=5, b=2, a=1)
    same(kwonly, 1, b=2.5)
    same_error(kwonly, 1)
    same_error(kwonly, 1, 2)
    same_error(kwonly, 1, 2, b=3)
    same_error(kwonly, 1, b=2, d=3)
    same_error(kwonly, b=2)


def test_positional_only_parameters():
    same(posonly, 1)
    same(posonly, 1, 5)
    same(posonly, 1, 5, 7)
    same(posonly, 1, c=7)
    same_error(posonly, a=1)
    same_error(posonly, 1, b=5)
    same_error(posonly, 1, 2, 3, 4)


def test_keyword_only_explicit_signature():
    f = njit("float64(float64, int64)")(lambda a, *, n: a * n)
    assert f(1.5, n=2) == 3.0
    same_error(f, 1.5, 2)


# -- constructs that do not compile ------------------------------------------------------------

def star_args(*args):
    return len(args)


def star_kwargs(a, **kw):
    return a


def a_and_star_args(a, *rest):
    return a


@pytest.mark.parametrize("fn,call", [
    (star_args, ()), (star_args, (1, 2)), (a_and_star_args, (1,)), (a_and_star_args, (1, 2, 3))])
def test_star_args_compile(fn, call):
    same(njit(fn), *call)   # *args: test_star_args.py


def test_star_kwargs_unsupported():
    f = njit(star_kwargs)
    with pytest.raises(dunnart.UnsupportedError, match=r"\*\*kwargs parameters"):
        f(1)
    with pytest.raises(dunnart.UnsupportedError):
        f(1)  # the same error again, not an internal one


def test_star_kwargs_in_object_mode():
    g = jit(star_kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert g(5, x=1) == 5


def test_star_args_bad_call_is_pythons_error():
    f = njit(a_and_star_args)
    same_error(f)
    same_error(f, b=1)


class Holder:
    def __init__(self, k):
        self.k = k

    def method(self, x):
        return x * 2


def test_bound_method_refused_with_advice():
    with pytest.raises(TypeError, match=r"bound method \(Holder\.method of a .Holder. "
                                        r"object\).*njit the function"):
        njit(Holder(3).method)


def test_function_on_class_called_as_method():
    class C:
        f = njit(lambda self, x: x)
    with pytest.raises(TypeError, match="argument 1 \\('self'\\)"):
        C().f(1)
    assert C.f(1.0, 2) == 2


def test_keyword_only_callee_from_jitted_code():
    @njit
    def caller(x):
        return kwonly(x, b=2) + kwonly(x, c=5, b=1)
    assert caller(1) == caller.py_func(1)

    @njit
    def positional_b(x):
        return kwonly(x, 2)  # Python refuses the positional b: not silently bound
    with pytest.raises(dunnart.TypingError, match=r"kwonly\(\) takes 1 positional argument but 2 were given"):
        positional_b(1)


# -- ndarray subclasses ----------------------------------------------------------------------

@njit
def total(a):
    s = 0.0
    for x in a.ravel():
        s += x
    return s


@njit
def first_row_sum(a):
    return a[0].sum()


def test_masked_array_refused():
    m = np.ma.masked_array([1.0, 2.0, 100.0], mask=[False, False, True])
    with pytest.raises(TypeError, match=r"argument 1 \('a'\) of total\(\).*MaskedArray.*filled"):
        total(m)
    assert total(m.filled(0.0)) == 3.0


def test_matrix_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        m = np.matrix([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError, match=r"argument 1 \('a'\).*matrix.*np\.asarray"):
        first_row_sum(m)
    assert first_row_sum(np.asarray(m)) == 3.0


def test_subclass_refused_after_plain_array_compiled():
    a = np.arange(4.0)
    assert total(a) == 6.0  # the signature is compiled and on the fast path
    sub = a.view(type("Sub", (np.ndarray,), {}))
    with pytest.raises(TypeError, match=r"argument 1 \('a'\).*ndarray subclass.*Sub.*np\.asarray"):
        total(sub)
    with pytest.raises(TypeError, match="MaskedArray"):
        total(np.ma.masked_array(a, mask=[0, 0, 0, 1]))
    assert total(a) == 6.0


def test_subclass_refused_by_explicit_signature():
    f = njit("float64(float64[:])")(lambda a: a.sum())
    assert f(np.arange(3.0)) == 3.0
    with pytest.raises(TypeError, match="MaskedArray"):
        f(np.ma.masked_array([1.0, 2.0], mask=[0, 1]))


def test_subclass_refused_as_keyword_and_default_argument():
    with pytest.raises(TypeError, match=r"argument 2 \('a'\) of array_default\(\).*MaskedArray"):
        array_default(0, a=np.ma.masked_array([1.0, 2.0], mask=[0, 1]))


def test_memmap_is_an_array(tmp_path):
    path = tmp_path / "data.bin"
    mm = np.memmap(path, dtype=np.float64, mode="w+", shape=(5,))
    mm[:] = np.arange(5.0)
    assert total(mm) == 10.0
    assert total(mm[::2]) == 6.0
    ro = np.memmap(path, dtype=np.float64, mode="r", shape=(5,))
    assert total(ro) == 10.0


def test_subclass_refused_on_cache_hit(tmp_path):
    from test_cache import run, write_module
    write_module(tmp_path, """
        import numpy as np
        from dunnart import njit

        @njit(cache=True)
        def total(a):
            return a.sum()
        """)
    cold = run(tmp_path, "import numpy as np, mod\nresult = mod.total(np.arange(4.0))\n")
    assert cold["result"] == 6.0
    warm = run(tmp_path, """
        import numpy as np, mod
        try:
            mod.total(np.ma.masked_array(np.arange(4.0), mask=[0, 0, 0, 1]))
            result = "accepted"
        except TypeError as e:
            result = str(e)
        result = [result, mod.total(np.arange(4.0)), mod.total.stats["cache_hits"]]
        """)
    assert "MaskedArray" in warm["result"][0]
    assert warm["result"][1:] == [6.0, 1]
