"""Capture of a Python function for the compiler: bytecode (as `dis` decodes it, which
hides most differences between CPython versions), constants, the values of the globals and
closure variables it reads (frozen at compile time, like Numba), and source lines for
error messages. The result is a plain dict that `_compiler.FunctionInfo` converts."""
import builtins
import dis
import linecache
import math
import sys
import types

from . import _core
from .errors import UnsupportedError

_PY_VERSION = sys.version_info[0] * 100 + sys.version_info[1]
def _library_name(obj):
    """The qualified name ("math.exp", "numpy.zeros", "builtins.len") of a library function
    typing knows by name, or None. Looks the object up by its own name: no module scans
    (dir(numpy) would import NumPy's lazy submodules)."""
    import numpy as np
    from . import prange
    if obj is prange:
        return "dunnart.prange"
    name = getattr(obj, "__name__", None)
    if not isinstance(name, str):
        return None
    for module, prefix in ((builtins, "builtins."), (math, "math."), (np, "numpy.")):
        try:
            if getattr(module, name, None) is obj:
                return prefix + name
        except Exception:
            pass
    if isinstance(obj, np.ufunc):  # aliases such as np.abs -> absolute
        return "numpy." + name if hasattr(np, name) else None
    return None


def classify(obj):
    """What a global value is, as the compiler sees it (see GlobalValue in function_info.h)."""
    import numpy as np  # imported by the first compile, not by `import dunnart`
    if isinstance(obj, _core.Dispatcher):
        impl = obj._impl
        return ("dispatcher", impl.handle, impl.qualname)
    if isinstance(obj, types.ModuleType):
        return ("module", obj.__name__)
    if obj is None or isinstance(obj, (bool, int, float, complex)):
        return ("const", obj)
    if isinstance(obj, tuple) and all(x is None or isinstance(x, (bool, int, float, complex)) for x in obj):
        return ("const", obj)
    if obj in (int, float, bool, complex):
        return ("number_class", obj.__name__)
    if isinstance(obj, type) and issubclass(obj, np.generic):
        try:
            return ("number_class", np.dtype(obj).name)
        except TypeError:
            pass
    if isinstance(obj, np.generic) and obj.dtype.kind in "biufc":
        return ("const", obj.item())
    name = _library_name(obj)
    if name is not None:
        return ("function", name)
    if callable(obj) and isinstance(getattr(obj, "__name__", None), str):
        module = getattr(obj, "__module__", None) or ""
        return ("unsupported", f"function {module + '.' if module else ''}{obj.__name__}")
    return ("unsupported", type(obj).__name__)


def _check_supported(fn):
    code = fn.__code__
    flags = code.co_flags
    what = None
    if flags & (inspect_flags["CO_GENERATOR"] | inspect_flags["CO_ASYNC_GENERATOR"]):
        what = "generators (yield)"
    elif flags & inspect_flags["CO_COROUTINE"]:
        what = "async functions"
    elif flags & inspect_flags["CO_VARARGS"]:
        what = "*args parameters"
    elif flags & inspect_flags["CO_VARKEYWORDS"]:
        what = "**kwargs parameters"
    elif code.co_kwonlyargcount:
        what = "keyword-only parameters"
    if what:
        raise UnsupportedError(
            f"Unsupported Python construct: {what}\n  File \"{code.co_filename}\", line "
            f"{code.co_firstlineno}, in {fn.__qualname__}")


inspect_flags = {name: value for value, name in dis.COMPILER_FLAG_NAMES.items()}
inspect_flags = {"CO_" + k: v for k, v in inspect_flags.items()}


def capture(fn, handle):
    """The FunctionInfo dict of `fn` (a plain Python function)."""
    _check_supported(fn)
    code = fn.__code__
    instrs = []
    last_line = code.co_firstlineno
    names = set()
    for ins in dis.get_instructions(fn):
        target = -1
        if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs:
            target = ins.argval
        argval = ins.argval
        if isinstance(argval, tuple) and all(isinstance(x, str) for x in argval):
            name = ",".join(argval)  # 3.13's LOAD_FAST_LOAD_FAST and friends
        elif isinstance(argval, str):
            name = argval
        elif isinstance(argval, types.CodeType):
            name = argval.co_name  # "<listcomp>", "<genexpr>", "<lambda>": names MAKE_FUNCTION's construct
        else:
            # COMPARE_OP's operator ("<", 3.13: "bool(<)"); CALL_INTRINSIC_*'s function
            # ("INTRINSIC_UNARY_POSITIVE", 3.12+): their argval is a number.
            name = ins.argrepr if ins.opname == "COMPARE_OP" or ins.opname.startswith(
                "CALL_INTRINSIC") else ""
        pos = ins.positions
        line = (pos.lineno if pos and pos.lineno else 0) or 0
        if line:
            last_line = max(last_line, pos.end_lineno or line)
        instrs.append((ins.opname, ins.arg or 0, target, name, ins.offset, line,
                       (pos.end_lineno or 0) if pos else 0,
                       pos.col_offset if pos and pos.col_offset is not None else -1,
                       pos.end_col_offset if pos and pos.end_col_offset is not None else -1))
        if ins.opname == "LOAD_GLOBAL":
            names.add(ins.argval)
    globals_ = {}
    for name in names:
        if name in fn.__globals__:
            globals_[name] = classify(fn.__globals__[name])
        elif hasattr(builtins, name):
            globals_[name] = classify(getattr(builtins, name))
    cells = {}
    if fn.__closure__:
        for name, cell in zip(code.co_freevars, fn.__closure__):
            try:
                cells[name] = classify(cell.cell_contents)
            except ValueError:  # empty cell
                pass
    lines = linecache.getlines(code.co_filename, fn.__globals__)
    source_lines = {n: lines[n - 1].rstrip("\n") for n in range(code.co_firstlineno, last_line + 1)
                    if 0 < n <= len(lines)}
    return {
        "name": fn.__name__,
        "qualname": fn.__qualname__,
        "module": fn.__module__ or "",
        "filename": code.co_filename,
        "python_version": _PY_VERSION,
        "first_line": code.co_firstlineno,
        "source_lines": source_lines,
        "argcount": code.co_argcount,
        "varnames": list(code.co_varnames),
        "code": instrs,
        "consts": list(code.co_consts),
        "globals": globals_,
        "cells": cells,
        "handle": handle,
    }
