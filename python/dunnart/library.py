"""Functions of math and NumPy that compiled code calls as jitted functions written in
Python (math_helpers.py, numpy_helpers.py, numpy_shapes.py, numpy_search.py,
numpy_random.py: _SOURCES): the frontend turns a call of `math.gcd`,
`np.outer` or a from-imported `outer` into a call of the helper (build_ir.cpp), which the
capture adds as the global "$lib_<qualified name>". One mechanism for every module: a
function is written once, in Python, with NumPy's semantics."""
import builtins

# The helped functions of each module, by name (their helpers: _SOURCES, imported only
# when a function names one).
NAMES = {
    "math": ("gcd", "lcm", "factorial", "comb", "perm", "isqrt", "isclose", "degrees", "radians"),
    "numpy": ("outer", "vdot", "inner", "trace", "kron", "triu", "tril", "fliplr", "flipud", "logical_and",
              "logical_or", "logical_xor", "logical_not", "isclose", "allclose", "array_equal", "count_nonzero",
              "ptp", "diff", "ediff1d", "cross", "diag", "nan_to_num", "nansum", "nanprod", "nanmean", "nanmax",
              "nanmin", "average", "searchsorted", "bincount", "interp", "convolve", "roll", "sort", "argsort", "median", "digitize", "tri", "fill_diagonal", "reciprocal", "heaviside", "ldexp", "frexp", "modf",
              # numpy_shapes.py
              "hstack", "vstack", "row_stack", "column_stack", "dstack", "split", "array_split", "hsplit", "vsplit",
              "tile", "repeat", "flip", "rot90", "swapaxes", "expand_dims", "atleast_1d", "atleast_2d", "atleast_3d",
              "meshgrid", "diagonal", "ascontiguousarray", "asfortranarray", "copyto", "transpose", "moveaxis",
              "squeeze", "broadcast_to", "broadcast_shapes", "broadcast_arrays", "ndindex", "ndenumerate",
              # numpy_search.py
              "argwhere", "nonzero", "where", "flatnonzero", "unique", "histogram", "isin", "quantile",
              "percentile", "nanquantile", "nanpercentile", "nanmedian", "partition", "argpartition", "nanvar",
              "nanstd", "nanargmin", "nanargmax", "cov", "corrcoef", "correlate", "logspace", "geomspace", "round",
              "around"),
    "numpy.lib.stride_tricks": ("as_strided", "sliding_window_view"),
    "numpy.linalg": ("norm", "matrix_power", "pinv", "matrix_rank", "cond", "lstsq"),
    "numpy.random": ("seed", "random", "random_sample", "ranf", "sample", "rand", "randn", "randint",
                     "standard_normal", "normal", "uniform", "exponential", "standard_exponential", "gamma",
                     "standard_gamma", "beta", "chisquare", "f", "standard_t", "standard_cauchy", "lognormal",
                     "laplace", "logistic", "gumbel", "pareto", "weibull", "power", "rayleigh", "triangular",
                     "wald", "vonmises", "poisson", "binomial", "negative_binomial", "geometric", "logseries",
                     "zipf", "hypergeometric", "shuffle", "permutation", "choice", "multinomial", "dirichlet"),
}


# Helped only when called with this many arguments (np.where(cond); np.where(c, x, y) is
# native): the global "$lib_numpy.where/1".
ARITY = {"numpy.where": 1, "numpy.transpose": 2}
# Array methods written as helpers (array_<name> in numpy's sources): "$lib_array.<name>".
ARRAY_METHODS = ("fill", "item", "transpose", "squeeze", "swapaxes", "sort", "argsort")
# A np.random.Generator's methods (generator_<name> in numpy_generator.py):
# "$lib_generator.<name>", which the frontend calls for a method of this name that no
# array has (the helper's first draw says so when the receiver is no Generator).
GENERATOR_METHODS = ("random", "standard_normal", "standard_exponential", "standard_gamma", "standard_cauchy",
                     "normal", "uniform", "integers", "exponential", "gamma", "beta", "chisquare", "f",
                     "standard_t", "lognormal", "laplace", "logistic", "gumbel", "pareto", "weibull", "power",
                     "rayleigh", "triangular", "wald", "vonmises", "noncentral_chisquare", "noncentral_f",
                     "poisson", "binomial", "negative_binomial", "geometric", "logseries", "zipf",
                     "hypergeometric", "shuffle", "permutation", "choice")
# Reductions whose calls with these keywords, or with a constant tuple as the axis (the
# capture's "<int tuple>" among the code's names), call
# the helper <name>_kw (numpy_helpers.py), as a function or a method: "$lib_numpy.sum/kw".
KEYWORD_REDUCTIONS = {"sum": "sum", "prod": "prod", "max": "max", "amax": "max", "min": "min", "amin": "min",
                      "any": "any", "all": "all", "mean": "mean", "var": "var", "std": "std", "cumsum": "cumsum",
                      "cumprod": "cumprod"}
REDUCTION_KEYWORDS = ("dtype", "initial", "where", "ddof")
# The helpers' own modules: `np.where` there is the compiler's (they call each other by name).
_SOURCES = {"math": ("math_helpers",), "numpy": ("numpy_helpers", "numpy_shapes", "numpy_search"),
            "numpy.lib.stride_tricks": ("numpy_shapes",),
            "numpy.linalg": ("numpy_helpers",), "numpy.random": ("numpy_random",)}
_HELPER_MODULES = frozenset([__package__ + "." + m for sources in _SOURCES.values() for m in sources] +
                            [__package__ + ".numpy_generator"])


def _helper(module, name):
    import importlib
    for source in _SOURCES[module]:
        helper = getattr(importlib.import_module("." + source, __package__), name, None)
        if helper is not None:
            return helper
    raise AssertionError(f"no helper for {module}.{name}")


def _qualified(value):
    """"numpy.outer" for numpy.outer (or np.outer), "math" for the math module; else None."""
    if type(value).__name__ == "module":
        return value.__name__
    name, module = getattr(value, "__name__", None), getattr(value, "__module__", None)
    if isinstance(name, str) and isinstance(module, str):
        if module.startswith("numpy.lib") and "stride_tricks" in module:
            return "numpy.lib.stride_tricks." + name  # numpy.lib._stride_tricks_impl
        module = "numpy" if module.startswith("numpy") and module not in NAMES else module
        return module + "." + name
    return None


def helpers(code_names, global_names, globals_dict):
    """{qualified name: jitted helper} that a function may call: those of the modules it
    reads (np, math) or imports helped functions from, whose names its code mentions
    (code_names: every name of its bytecode, attributes included)."""
    used, found = set(), {}
    if globals_dict.get("__name__") in _HELPER_MODULES:
        return found
    for name in global_names:
        value = globals_dict.get(name, getattr(builtins, name, None))
        q = _qualified(value) if value is not None else None
        if q in NAMES:
            used.add(q)
            if q == "numpy":
                used.update(("numpy.linalg", "numpy.random", "numpy.lib.stride_tricks"))  # np.linalg.norm, ...
        elif q and q.rsplit(".", 1)[0] in NAMES and q.rsplit(".", 1)[1] in NAMES[q.rsplit(".", 1)[0]]:
            found[q] = _helper(*q.rsplit(".", 1))  # imported by name (perhaps another)
    found.update({f"{m}.{n}": _helper(m, n) for m in sorted(used) for n in NAMES[m] if n in code_names})
    for method in ARRAY_METHODS:  # a.fill(v), a.item(): only arrays have these methods
        if method in code_names:
            found["array." + method] = _helper("numpy", "array_" + method)
    if code_names & set(GENERATOR_METHODS):
        from . import numpy_generator  # rng.normal(0, 1, n) of a Generator argument
        for method in code_names & set(GENERATOR_METHODS):
            found["generator." + method] = getattr(numpy_generator, "generator_" + method)
    if "unique" in code_names and code_names & {"return_index", "return_inverse", "return_counts"}:
        from .numpy_search import unique_all  # np.unique(a, return_counts=True): its parts
        found["dunnart.unique_all"] = unique_all
    if code_names & set(KEYWORD_REDUCTIONS) and code_names & set(REDUCTION_KEYWORDS + ("<int tuple>",)):
        from . import numpy_helpers  # a.sum(dtype=np.float32), np.max(a, initial=0), a.sum(axis=(0, 1))
        for name in code_names & set(KEYWORD_REDUCTIONS):
            found[f"numpy.{name}/kw"] = getattr(numpy_helpers, KEYWORD_REDUCTIONS[name] + "_kw")
    if "out" in code_names:  # np.add(a, b, out=c): the value stored into c, which it returns
        from .numpy_shapes import store_out
        found["dunnart.store_out"] = store_out
    if "keepdims" in code_names:  # a keyword (of a method too): its name is among the constants
        from .numpy_shapes import keepdims
        found["dunnart.keepdims"] = keepdims
    return {(f"{q}/{ARITY[q]}" if q in ARITY else q): h for q, h in found.items()}
