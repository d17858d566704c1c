"""Issue 11, try/except: `except E:`, `except (A, B):`, bare `except:`, `else`, `finally`,
a bare `raise` and `except ... as e` (its class and its text: str, repr, print, f-strings,
`raise e`), catching what compiled code raises
(its own `raise`, ZeroDivisionError, IndexError under boundscheck and from lists, KeyError,
shape mismatches, RecursionError, errors of jitted callees). Each function runs jitted and
under CPython, and the outcomes (result, types, arguments afterwards, or exception class
and message) must be equal."""
import numpy as np
import pytest

from dunnart import UnsupportedError, njit

from python_outcome import outcome, same


def floor_div_or(x, default):
    try:
        return 10 // x
    except ZeroDivisionError:
        return default


def loop_with_all_clauses(items):
    t = 0
    for v in items:
        try:
            t += 100 // v
        except ZeroDivisionError:
            t -= 1
        except (IndexError, KeyError):
            t = 5
        else:
            t += 1000
        finally:
            t *= 2
    return t


def reraise_bare(x):
    try:
        return 1 // x
    except:  # noqa: E722 - the bare form is what is tested
        raise


def bare_raise_outside_a_handler(x):
    if x > 0:
        raise  # noqa: PLE0704 - Python raises RuntimeError here
    return x


def bare_raise_after_a_handler(x):
    try:
        x = 1 // x
    except ZeroDivisionError:
        x = -1
    raise  # the handled exception is over: RuntimeError


def list_lookup(items, i):
    try:
        return items[i]
    except LookupError:
        return -1


def dict_lookup(d, k):
    try:
        return d[k]
    except KeyError:
        return -1.0


def own_raise(x, k):
    try:
        if x < 0:
            raise ValueError(f"negative: {x}")
        return x
    except ValueError:
        return k
    except KeyError:
        return 2 * k


def raise_in_handler(x):
    try:
        y = 1 // x
    except ZeroDivisionError:
        raise ValueError("x must not be zero")
    return y


def finally_runs(x, out):
    try:
        y = 10 // x
    finally:
        out.append(1)
    out.append(2)
    return y


def return_through_finally(x, out):
    try:
        return 10 // x
    finally:
        out.append(x)


def nested(x, y):
    try:
        try:
            r = 10 // x
        except ZeroDivisionError:
            r = 10 // y
    except ZeroDivisionError:
        r = -99
    return r


def break_continue(items):
    n = 0
    i = -1
    while True:
        i += 1
        try:
            if items[i] < 0:
                break
            if items[i] == 0:
                continue
            if i > 10:
                raise KeyError(i)
            n += items[i]
        except KeyError:
            return -n
        finally:
            n += 100
    return n


def by_hierarchy(k):
    try:
        if k == 0:
            raise ValueError("v")
        elif k == 1:
            raise KeyError("k")
        elif k == 2:
            raise IndexError("i")
        elif k == 3:
            raise AssertionError("assert msg")  # (pytest rewrites assert statements here)
        elif k == 4:
            raise NotImplementedError
        return 1 // (k - 5)
    except (ValueError, AssertionError):
        return 10
    except LookupError:
        return 20
    except ArithmeticError:
        return 30
    except RuntimeError:
        return 40
    except Exception:
        return 50


def caught_then_other_error(k, items):
    try:
        x = 1 // k
    except ZeroDivisionError:
        x = 0
    return items[k + 5] + x


def bare_raise_keeps_its_message(k):
    try:
        x = 1 // k
    except ZeroDivisionError:
        try:
            d = {1: 2}
            x = d[k]
        except KeyError:
            pass
        raise
    return x


def shape_mismatch(a, b):
    try:
        return (a + b).sum()
    except ValueError:
        return -1.0


def exception_named_but_unused(x):
    try:
        return 1 // x
    except ZeroDivisionError as e:  # noqa: F841 - bound, never read: compiles
        return 0


def counts_failures(xs):
    failures = 0
    total = 0.0
    for x in xs:
        try:
            total += 1.0 / x
        except ZeroDivisionError:
            failures += 1
    return total, failures


def unmatched_class(x):
    try:
        return 1 // x
    except OSError:
        return -1


class MyError(ValueError):
    pass


def user_class_never_raised_here(x):
    try:
        return 1 // x
    except MyError:
        return -1


def array_work_in_try(a, d):
    out = np.zeros(3)
    try:
        out[:] = a[:3] * 2.0
        out[0] = 1.0 / d
    except ZeroDivisionError:
        out[0] = -1.0
    return out


@njit
def checked_sqrt(x):
    if x < 0:
        raise ValueError(f"sqrt of {x}")
    return x ** 0.5


def calls_a_raising_function(xs):
    s = 0.0
    for x in xs:
        try:
            s += checked_sqrt(x)
        except ValueError:
            s -= 1.0
    return s


@pytest.mark.parametrize("fn,args", [
    (floor_div_or, (0, -1)), (floor_div_or, (3, -1)), (floor_div_or, (0, 2.5)),
    (loop_with_all_clauses, ([1, 0, 2, 0, 5],)),
    (reraise_bare, (0,)), (reraise_bare, (4,)),
    (bare_raise_outside_a_handler, (1,)), (bare_raise_outside_a_handler, (0,)),
    (bare_raise_after_a_handler, (0,)), (bare_raise_after_a_handler, (2,)),
    (list_lookup, ([1, 2, 3], 7)), (list_lookup, ([1, 2, 3], -1)),
    (dict_lookup, ({1: 2.0}, 1)), (dict_lookup, ({1: 2.0}, 5)),
    (own_raise, (-3, 7)), (own_raise, (3, 7)),
    (raise_in_handler, (0,)), (raise_in_handler, (2,)),
    (finally_runs, (0, [0])), (finally_runs, (3, [0])),
    (return_through_finally, (0, [0])), (return_through_finally, (5, [0])),
    (nested, (0, 0)), (nested, (0, 2)), (nested, (5, 0)),
    (break_continue, ([1, 0, 2, -3, 4],)), (break_continue, ([1] * 20,)), (break_continue, ([1, 2],)),
    *[(by_hierarchy, (k,)) for k in range(7)],
    (caught_then_other_error, (0, [1, 2])),
    (bare_raise_keeps_its_message, (0,)),
    (exception_named_but_unused, (0,)),
    (counts_failures, ([1.0, 0.0, 2.0, 0.0, 4.0],)),
    (unmatched_class, (0,)),
    (user_class_never_raised_here, (0,)),
    (calls_a_raising_function, ([4.0, -1.0, 9.0],)),
])
def test_same_as_python(fn, args):
    same(fn, *args)


def test_boundscheck_index_error_is_caught():
    def at(a, i):
        try:
            return a[i]
        except IndexError:
            return -1.0
    f = njit(boundscheck=True)(at)
    a = np.arange(3.0)
    assert f(a, 5) == at(a, 5) == -1.0
    assert f(a, 1) == 1.0


def test_array_shapes_and_stores_inside_try():
    a = np.array([0.0, 2.0, 3.0, 4.0])
    for d in (0.0, 2.0):  # a Python float: 1.0 / 0.0 raises (a NumPy scalar's gives inf)
        np.testing.assert_array_equal(njit(array_work_in_try)(a, d), array_work_in_try(a, d))
    assert njit(shape_mismatch)(np.ones(3), np.ones(4)) == shape_mismatch(np.ones(3), np.ones(4)) == -1.0
    assert njit(shape_mismatch)(np.ones(3), np.ones(3)) == 6.0


def test_recursion_error_is_caught():
    @njit
    def deep(n):
        if n < 0:
            return 0
        return deep(n + 1) + 1

    @njit
    def guarded(n):
        try:
            return deep(n)
        except RecursionError:
            return -1

    assert guarded(0) == -1


def test_many_caught_exceptions_in_a_loop():
    # Each caught exception is taken out of the error record: a million of them neither
    # grow memory nor leave a stale message behind for the error after them.
    def loop(n, items):
        c = 0
        for i in range(n):
            try:
                c += 10 // (i % 2)
            except ZeroDivisionError:
                c += 1
        return c + items[n]
    f = njit(loop)
    assert f(1_000_000, list(range(1_000_001))) == loop(1_000_000, list(range(1_000_001)))
    assert outcome(f, 10, [1]) == outcome(loop, 10, [1])


def describes(x):
    try:
        if x < 0:
            raise ValueError("negative " + str(x))
        if x == 0:
            raise KeyError("zero")
        if x == 1:
            raise IndexError
        return str(10 // (x - 2))
    except (ValueError, KeyError, IndexError, ZeroDivisionError) as e:
        print("caught", e, repr(e))
        return str(e) + "|" + repr(e) + "|" + f"{e}!{e!r:>30}" + "|{}".format(e)


def raises_it_again(x):
    try:
        return [1, 2][x]
    except IndexError as e:
        raise e


def missing_key(d, k):
    try:
        return d[k]
    except KeyError as err:
        return "missing " + str(err)


@pytest.mark.parametrize("fn,args", [
    (describes, (-3,)), (describes, (0,)), (describes, (1,)), (describes, (2,)), (describes, (4,)), (raises_it_again, (5,)),
    (raises_it_again, (1,)), (missing_key, ({1: "a"}, 2)), (missing_key, ({1: "a"}, 1)),
], ids=lambda v: getattr(v, "__name__", None))
def test_the_exception_object_has_its_text(fn, args):
    # str(e), repr(e), print(e), f-strings and str.format of it, and raise e, as Python.
    same(fn, *args)


def test_the_exception_object_prints_as_in_python(capsys):
    describes(-1)
    want = capsys.readouterr().out
    njit(describes)(-1)
    assert capsys.readouterr().out == want


def test_other_uses_of_the_exception_object_are_refused_with_what_to_write():
    def uses_e(x):
        try:
            return 1 // x
        except ZeroDivisionError as e:
            return e.args[0]
    with pytest.raises(UnsupportedError) as info:
        njit(uses_e)(0)
    first = str(info.value).splitlines()[0]
    assert "as e" in first and "str(e)" in first


def test_except_of_a_non_exception_is_refused():
    def bad(x):
        try:
            return 1 // x
        except len:
            return 0
    with pytest.raises(UnsupportedError, match="except of something other than an exception class"):
        njit(bad)(0)


def test_raise_of_a_user_exception_class_is_refused():
    def bad(x):
        raise MyError("x")
    with pytest.raises(UnsupportedError, match="user-defined exception class"):
        njit(bad)(0)
