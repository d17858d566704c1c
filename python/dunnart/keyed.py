"""sorted(x, key=f), min(x, key=f) and max(x, key=f) in compiled code: written here in
Python and compiled by dunnart like any jitted function (the frontend turns those calls
into calls of these, with the key function passed as a value). Python's semantics: the
sort is stable (reverse=True keeps equal keys in their order), min and max give the first
smallest and largest, and an empty sequence is Python's ValueError."""
import sys

from . import njit

_EMPTY = "arg is an empty sequence" if sys.version_info < (3, 12) else "iterable argument is empty"


@njit
def sorted_by_key(items, key, reverse):
    seq = list(items)
    order = []
    for i in range(len(seq)):
        # The position breaks ties; negated for reverse=True, which then keeps them in order.
        order.append((key(seq[i]), -i if reverse else i))
    order.sort(reverse=reverse)
    out = []
    for k, i in order:
        out.append(seq[-i if reverse else i])
    return out


@njit
def extreme_by_key(items, key, largest):
    """min(items, key=key), or max when largest."""
    seq = list(items)
    if len(seq) == 0:
        name = "max() " if largest else "min() "
        raise ValueError(name + _EMPTY)
    best = seq[0]
    best_key = key(best)
    for i in range(1, len(seq)):
        k = key(seq[i])
        if (k > best_key) if largest else (k < best_key):
            best, best_key = seq[i], k
    return best
