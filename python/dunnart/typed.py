"""Containers with declared types, as numba.typed.Dict and numba.typed.List are written:

    from dunnart.typed import Dict, List
    d = Dict.empty(key_type=np.int64, value_type=np.float64)
    l = List.empty_list(np.float64)

They are a Python dict and list that say what they hold, so that an empty one can be
passed to a jitted function (which then knows its types) and filled there; what they hold
is checked against the declared types when they are passed. Like dunnart's other dict and
list arguments they are copied in and the function's changes written back.

A type is a NumPy scalar type or dtype (np.int64, np.dtype("float32")), Python's int,
float, bool or complex (int64, float64, bool, complex128), a name ("int32"), or a tuple of
these (a tuple key such as (np.int64, np.int64))."""
import numpy as np

_PYTHON = {int: "int64", float: "float64", bool: "bool", complex: "complex128"}


def type_text(t):
    """The IR's name of a declared type (jit/types/type_text.h's grammar)."""
    if isinstance(t, tuple):
        if not t:
            raise TypeError("a tuple type needs at least one element type")
        return "Tuple(" + ", ".join(type_text(x) for x in t) + ")"
    if t in _PYTHON:
        return _PYTHON[t]
    try:
        dtype = np.dtype(t)
    except TypeError:
        raise TypeError(f"{t!r} is not a type dunnart containers hold; use a NumPy scalar type "
                        "(np.int64), int, float, bool, complex, or a tuple of these") from None
    if dtype.kind not in "biufc" or not dtype.isnative:
        raise TypeError(f"{t!r}: dunnart containers hold numbers (bool, ints, floats, complex) "
                        "or tuples of them")
    return "bool" if dtype.kind == "b" else dtype.name


class Dict(dict):
    """A dict of one declared key type and value type (numba.typed.Dict's API)."""

    @classmethod
    def empty(cls, key_type, value_type, n_keys=0):
        d = cls()
        d._dunnart_types = (type_text(key_type), type_text(value_type))
        return d

    def copy(self):
        d = Dict(self)
        d._dunnart_types = self._dunnart_types
        return d


class List(list):
    """A list of one declared element type (numba.typed.List's API)."""

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        lst = cls()
        lst._dunnart_types = (type_text(item_type),)
        return lst

    def copy(self):
        lst = List(self)
        lst._dunnart_types = self._dunnart_types
        return lst
