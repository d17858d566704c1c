"""Capture of a Python function for the compiler: bytecode (as `dis` decodes it, which
hides most differences between CPython versions), constants, the values of the globals and
closure variables it reads (frozen at compile time, like Numba), and source lines for
error messages. The result is a plain dict that `_compiler.FunctionInfo` converts."""
import builtins
import dis
import linecache
import sys
import types

from .classify import classify  # noqa: F401 (also the resolver's)
from .defaults import defaults
from .errors import UnsupportedError

_PY_VERSION = sys.version_info[0] * 100 + sys.version_info[1]


def check_supported(fn):
    code = fn.__code__
    flags = code.co_flags
    what = None
    if flags & inspect_flags["CO_ASYNC_GENERATOR"]:
        what = "async generators"
    elif flags & inspect_flags["CO_COROUTINE"]:
        what = "async functions"
    elif flags & inspect_flags["CO_VARKEYWORDS"]:
        what = "**kwargs parameters"
    if what:
        raise UnsupportedError(
            f"Unsupported Python construct: {what}\n  File \"{code.co_filename}\", line "
            f"{code.co_firstlineno}, in {fn.__qualname__}")


inspect_flags = {name: value for value, name in dis.COMPILER_FLAG_NAMES.items()}
inspect_flags = {"CO_" + k: v for k, v in inspect_flags.items()}


def _library():
    from . import library
    return library


def capture(fn, handle):
    """The FunctionInfo dict of `fn` (a plain Python function)."""
    check_supported(fn)
    code = fn.__code__
    cells, values = {}, {}
    if fn.__closure__:
        for name, cell in zip(code.co_freevars, fn.__closure__):
            try:
                values[name] = cell.cell_contents
                cells[name] = classify(values[name])
            except ValueError:  # empty cell
                pass
    info = _capture_code(code, fn.__globals__, cells, handle, fn.__qualname__, fn.__module__ or "",
                         closure_values=values)
    info["name"] = fn.__name__
    info["defaults"] = {name: classify(value) for name, value in defaults(fn).items()}
    return info


def _capture_code(code, globals_dict, cells, handle, qualname, module, passed=(), closure_values={}):
    """The FunctionInfo dict of a code object: the function's own, or one nested in it (an
    inner function, lambda or comprehension, captured with it: `nested` maps the index of
    its constant to it). `passed` are the nested code's free variables that are locals of
    the function around it: they become parameters after its own, which the call passes."""
    instrs = []
    last_line = code.co_firstlineno
    names = set()
    for ins in dis.get_instructions(code):
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
        if name in globals_dict:
            globals_[name] = classify(globals_dict[name])
        elif hasattr(builtins, name):
            globals_[name] = classify(getattr(builtins, name))
    # math.gcd(a, b), np.outer(a, b) and friends compile as calls of jitted helpers
    # (library.py; build_ir.cpp), the globals "$lib_<qualified name>".
    # (A closure's module too: `import numpy.random as npr` in the function around it.)
    scope = {**globals_dict, **closure_values} if closure_values else globals_dict
    # (Keyword names are constants: keepdims=True has a helper too.)
    code_names = set(code.co_names) | {k for c in code.co_consts if isinstance(c, tuple) for k in c if isinstance(k, str)}
    if any(isinstance(c, tuple) and c and all(type(k) is int for k in c) for c in code.co_consts):
        code_names.add("<int tuple>")  # a.sum(axis=(0, 1)): library.helpers' keyword reductions
    for qualified, helper in _library().helpers(code_names, names | set(closure_values), scope).items():
        globals_["$lib_" + qualified] = classify(helper)
    if names & {"sorted", "min", "max"}:
        # sorted/min/max(..., key=f) compile as calls of these (keyed.py; build_ir.cpp).
        from . import keyed
        for helper in ("sorted_by_key", "extreme_by_key"):
            globals_["$" + helper] = classify(getattr(keyed, helper))
    lines = linecache.getlines(code.co_filename, globals_dict)
    source_lines = {n: lines[n - 1].rstrip("\n") for n in range(code.co_firstlineno, last_line + 1)
                    if 0 < n <= len(lines)}
    nested = {}
    flags = inspect_flags["CO_ASYNC_GENERATOR"] | inspect_flags["CO_COROUTINE"] | \
        inspect_flags["CO_VARARGS"] | inspect_flags["CO_VARKEYWORDS"]
    for k, c in enumerate(code.co_consts):
        if isinstance(c, types.CodeType) and not c.co_flags & flags:
            inner_passed = tuple(v for v in c.co_freevars if v in code.co_cellvars or v in passed)
            inner_cells = {v: cells[v] for v in c.co_freevars if v not in inner_passed and v in cells}
            nested[k] = _capture_code(c, globals_dict, inner_cells, handle, qualname + ".<locals>." + c.co_name,
                                      module, inner_passed)
    argcount = code.co_argcount + code.co_kwonlyargcount  # the dispatcher binds keywords
    varargs = bool(code.co_flags & inspect_flags["CO_VARARGS"])
    argcount += varargs  # *args: the tuple of the extra positional arguments, after the others
    varnames = list(code.co_varnames)
    varnames[argcount:argcount] = [v for v in passed if v not in varnames]
    return {
        "name": code.co_name,
        "qualname": qualname,
        "module": module,
        "filename": code.co_filename,
        "python_version": _PY_VERSION,
        "first_line": code.co_firstlineno,
        "source_lines": source_lines,
        "argcount": argcount + len(passed),
        "kwonlyargcount": code.co_kwonlyargcount,
        "varargs": varargs,
        "varnames": varnames,
        "cellvars": list(code.co_cellvars),
        "code": instrs,
        "exception_table": [(e.start, e.end, e.target, e.depth, e.lasti)
                            for e in dis.Bytecode(code).exception_entries],
        "consts": list(code.co_consts),
        "globals": globals_,
        "cells": cells,
        "nested": nested,
        "captured": [v for v in passed],
        "handle": handle,
        "generator": bool(code.co_flags & inspect_flags["CO_GENERATOR"]),
    }
