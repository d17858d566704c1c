"""The default values of a Python function's parameters, by name: what a call from compiled
code that leaves a parameter out passes (frozen when first compiled, as the dispatcher's
are when decorated), and so part of the caller's cache key. Imports nothing: the cache's
hit path reads it."""


def defaults(fn):
    """{parameter: default value} of `fn`, positional and keyword-only."""
    code = fn.__code__
    out = {}
    if fn.__defaults__:
        names = code.co_varnames[code.co_argcount - len(fn.__defaults__):code.co_argcount]
        out.update(zip(names, fn.__defaults__))
    if fn.__kwdefaults__:
        out.update(fn.__kwdefaults__)
    return out
