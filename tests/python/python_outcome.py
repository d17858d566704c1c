"""What running a function did, to compare a jitted function with CPython running the same
one: its result, the Python types in it, the arguments afterwards, or the exception's class
and message. Used by the container tests (lists, dicts, sets)."""
import copy

from dunnart import njit


def outcome(fn, *args):
    """(kind, value, the value's types, the arguments afterwards): what running fn did."""
    args = copy.deepcopy(args)
    try:
        r = fn(*args)
        return ("ok", r, shape_of(r), args)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return (type(e), str(e), None, args)


def shape_of(v):
    """The Python types of a value, recursively (1 and 1.0 compare equal; their types do
    not), and a dict's order, which is part of what it is."""
    if isinstance(v, dict):
        return ("dict", [(shape_of(k), shape_of(x)) for k, x in v.items()], list(v))
    if isinstance(v, (set, frozenset)):
        return ("set", sorted(shape_of(x) for x in v))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [shape_of(x) for x in v])
    return type(v).__name__


def same(fn, *args):
    """Runs fn jitted and under CPython on copies of args; asserts the outcomes are equal."""
    got = outcome(njit(fn), *args)
    want = outcome(fn, *args)
    assert got == want, f"{fn.__name__}{args}: dunnart {got} != Python {want}"
    return got
