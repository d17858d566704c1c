# d.get(k) without a default is an optional; `+ 1` needs its value: an unwrap that raises
# CPython's TypeError when it holds None.
def optional_unwrap(d, k):
    return d.get(k) + 1


ARGS = ({1: 2}, 1)
