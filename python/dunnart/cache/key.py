"""The cache key: a SHA-256 over everything that changes the machine code of one compiled
signature, never over compiler output. It is computed straight from the function object
(no `dis`, no capture(): the key is on the hit path, which must cost about a millisecond
in all). Components are kept by name so that the index can record them and
`dunnart cache why` can say which one changed:

- bytecode: the code object and every code object in its constants, recursively: co_code,
  constants, names, local/free/cell variable names, flags, argument counts, exception
  table, name and qualified name;
- positions: file name, first line and line/column table of each of those code objects
  (the compiler's error messages and locations come from them);
- consts, names: co_consts (canonical text, code objects expanded) and co_names;
- globals: the classified value (classify.py, as capture() freezes it) of every name the
  code objects use that resolves in the function's globals or in builtins, and of every
  closure cell; NumPy arrays and scalars by dtype, shape and contents (canonical()). Once
  the compiler has frozen its capture, the frozen values that differ from the current ones
  count;
- attributes: for each module reachable from those values, the classified values of the
  attributes the function may read (names in co_names), since typing resolves `mod.NAME`;
- callees: the function keys of the jitted functions it calls, recursively, so an edit
  to a callee in another module invalidates its callers;
- the defaults of its parameters (compiled callers pass them);
- signature, options (fastmath, parallel, boundscheck, error_model, nogil);
- target triple, the CPU's model and features (cpuid); dunnart, LLVM and Python versions, and the build
  of the extension modules (_core, _compiler).

The function comes as the dispatcher's DispatcherImpl, `impl`, which hands the key what it
needs: py_func, qualname, options, handle, the capture it froze (_captured, or None) and
callee(handle), the DispatcherImpl of a jitted function whose handle its globals hold (or
None). So the key knows no dispatcher internals, and the dispatcher's module is not
imported here.

Layer 0 of the disk cache, beside layout.py: it knows nothing of files. Imports only os,
sys, builtins, dunnart._core (its SHA-256), dunnart.defaults and dunnart.classify (dunnart._compiler for
describe_host): nothing heavy on a hit (NumPy is consulted only when it is in sys.modules
already)."""
import builtins
import os
import sys

from .. import _core
from ..defaults import defaults

_CODE_OPTIONS = ("fastmath", "parallel", "boundscheck", "error_model", "nogil")
_CodeType = type((lambda: None).__code__)
_ModuleType = type(sys)
_environment = None
_PLAIN = frozenset({str, int, bool, type(None), bytes})


def _code_text(code):
    """Canonical text of a code object without its positions (see _positions)."""
    fields = [
        code.co_name,
        getattr(code, "co_qualname", code.co_name),
        code.co_code.hex(),
        canonical(code.co_consts),
        canonical(code.co_names),
        canonical(code.co_varnames),
        canonical(code.co_freevars),
        canonical(code.co_cellvars),
        str(code.co_flags),
        str(code.co_argcount),
        str(getattr(code, "co_posonlyargcount", 0)),
        str(code.co_kwonlyargcount),
        str(code.co_nlocals),
        str(code.co_stacksize),
        getattr(code, "co_exceptiontable", b"").hex(),
    ]
    return "code(" + ",".join(fields) + ")"


def _positions(code):
    """File, first line and line table of a code object and its nested code objects."""
    table = getattr(code, "co_linetable", None)
    if table is None:
        table = getattr(code, "co_lnotab", b"")
    parts = [code.co_filename, str(code.co_firstlineno), table.hex()]
    for c in code.co_consts:
        if isinstance(c, _CodeType):
            parts.append(_positions(c))
    return "pos(" + ",".join(parts) + ")"


def canonical(obj):
    """Deterministic text for constants and classified values (no addresses, no
    hash-seed-dependent set order)."""
    t = type(obj)
    if t in _PLAIN:  # most of what a key hashes: the checks below are for the rest
        return t.__name__ + ":" + repr(obj)
    if isinstance(obj, _CodeType):
        return _code_text(obj)
    if isinstance(obj, (tuple, list)):
        inner = ",".join(canonical(x) for x in obj)
        return ("(" + inner + ")") if isinstance(obj, tuple) else ("[" + inner + "]")
    if isinstance(obj, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(x) for x in obj)) + "}"
    if isinstance(obj, dict):
        return "{" + ",".join(sorted(canonical(k) + ":" + canonical(v) for k, v in obj.items())) + "}"
    if t is float:
        return "float(" + obj.hex() + ")" if obj == obj else "float(nan)"
    if t is complex:
        return "complex(" + canonical(obj.real) + "," + canonical(obj.imag) + ")"
    np = sys.modules.get("numpy")  # a NumPy value exists only once NumPy is imported
    if np is not None:
        if isinstance(obj, np.ndarray):
            return _array_text(obj)
        if isinstance(obj, np.generic):  # its type and exact bits (np.float32(0.1) != 0.1)
            return "np(" + obj.dtype.str + ":" + obj.tobytes().hex() + ")"
    if isinstance(obj, float):
        return "float(" + obj.hex() + ")" if obj == obj else "float(nan)"
    if isinstance(obj, complex):
        return "complex(" + canonical(obj.real) + "," + canonical(obj.imag) + ")"
    return type(obj).__name__ + ":" + repr(obj)


def _array_text(a):
    """dtype, shape and a hash of the contents in C order, whatever the strides: repr()
    elides the middle of large arrays, and the compiler freezes global arrays' contents."""
    import numpy as np
    if a.dtype.hasobject:  # elements are references: no stable text, never a hit across processes
        return f"ndarray(object,{a.shape},{id(a):x})"
    data = np.ascontiguousarray(a).tobytes()
    return f"ndarray({a.dtype.str},{a.shape},{_core.sha256_hex(data)})"


def _sha(text):
    """SHA-256 of text, hex: dunnart's own (runtime/sha256.cpp), so that a hit imports no
    hashing module."""
    return _core.sha256_hex(text.encode("utf-8", "surrogatepass"))


# -- the environment ---------------------------------------------------------------------
def host_components():
    """{"target", "cpu"} of this machine, from _core.host_id() (cpuid, no LLVM): code
    compiled for LLVM's host CPU is valid exactly where that id (model and features) is the
    same."""
    h = _core.host_id()
    return {"target": h["triple"], "cpu": str(h["cpu_id"])}


def describe_host():
    """{"triple", "cpu", "features"} for people (`dunnart cache info`): LLVM's names for the
    CPU and its features (loads the compiler)."""
    from .. import _compiler
    h = _compiler.host()
    return {"triple": h["triple"], "cpu": h["cpu"], "features": h["features"]}


def core_build():
    """Sizes and modification times of the libraries that make and run compiled code
    (_core and _compiler of this Python, libdunnart_base): a rebuild changes the key. Only
    stat, no import."""
    try:
        directory, core = os.path.split(_core.__file__)
        suffix = core[len("_core"):]
        parts = []
        for name in ("_core" + suffix, "_compiler" + suffix, "libdunnart_base.so"):
            st = os.stat(os.path.join(directory, name))
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        return ";".join(parts)
    except (OSError, AttributeError, TypeError):
        return "unknown"


def environment():
    """The target and version components, the same for every function of a process."""
    global _environment
    if _environment is None:
        env = host_components()
        env.update({
            "dunnart": _core.version,
            "llvm": _core.llvm_version,
            "python": sys.implementation.cache_tag or sys.version,
            "core_build": core_build(),
        })
        _environment = env
    return _environment


# -- the function ------------------------------------------------------------------------
def _all_names(code, names=None):
    names = set() if names is None else names
    names.update(code.co_names)
    for c in code.co_consts:
        if isinstance(c, _CodeType):
            _all_names(c, names)
    return names


def _classify(obj):
    np = sys.modules.get("numpy")
    if np is not None and isinstance(obj, (np.ndarray, np.generic)):
        # The value itself, which canonical() hashes (dtype, shape, contents): what the
        # compiler freezes of it, and more than classify() keeps of a NumPy scalar.
        return ("numpy", obj)
    return _classified(obj)


def _classified(obj):
    from ..classify import classify  # after the first call: a dictionary lookup
    try:
        return classify(obj)
    except Exception as e:  # a hostile value: key on its failure (compiling it fails too)
        return ("error", type(e).__name__)


def _value(impl, classified, seen):
    """A classified global/closure value of `impl`'s function with dispatcher handles (per
    process) replaced by the callee's function key."""
    if isinstance(classified, tuple) and classified and classified[0] == "dispatcher":
        callee = impl.callee(classified[1])
        if callee is None:
            return ("dispatcher", classified[2], "missing")
        name = (callee.py_func.__module__ or "") + "." + callee.qualname
        return ("dispatcher", name, function_key(callee, seen))
    return classified


def _globals_and_cells(impl, names):
    """The classified values the compiler sees: every name of `names` found in the
    function's globals (else builtins), and every closure cell. Names that are attributes,
    not globals, may be included too (a superset costs nothing but a rare needless miss).
    When the compiler has already frozen its capture (an earlier compile in this process),
    its frozen values are the ones the machine code will use."""
    fn = impl.py_func
    global_objects = {}
    namespace = fn.__globals__
    for name in names:
        if name in namespace:
            global_objects[name] = namespace[name]
        elif hasattr(builtins, name):
            global_objects[name] = getattr(builtins, name)
    cell_objects = {}
    if fn.__closure__:
        for name, cell in zip(fn.__code__.co_freevars, fn.__closure__):
            try:
                cell_objects[name] = cell.cell_contents
            except ValueError:  # empty cell
                continue
    globals_ = {k: _classify(v) for k, v in global_objects.items()}
    cells = {k: _classify(v) for k, v in cell_objects.items()}
    frozen = getattr(impl, "_captured", None)
    if frozen:
        # A frozen value the current one still classifies to keeps the current one's key
        # text, so that the key does not depend on whether this process compiled first.
        for values, objects, kind in ((globals_, global_objects, "globals"), (cells, cell_objects, "cells")):
            for name, value in frozen.get(kind, {}).items():
                # "$..." are dunnart's own helpers the capture adds (keyed.py, math_helpers.py):
                # part of dunnart's build, which the key holds already.
                if name.startswith("$"):
                    continue
                if name not in objects or canonical(_classified(objects[name])) != canonical(value):
                    values[name] = value
    return globals_, cells


def _attributes(impl, values, names, seen):
    """Classified attributes `names` of the modules among `values`, and of modules among
    those attributes (np.random.rand), as the resolver reads them."""
    attributes = {}
    todo = [v[1] for v in values if isinstance(v, tuple) and len(v) == 2 and v[0] == "module"]
    done = set()
    while todo:
        modname = todo.pop()
        if modname in done:
            continue
        done.add(modname)
        mod = sys.modules.get(modname)
        if mod is None:
            continue
        namespace = getattr(mod, "__dict__", {})
        for n in names:
            try:
                if n not in namespace:
                    continue
                v = _value(impl, _classify(getattr(mod, n)), seen)
            except Exception as e:  # a hostile module attribute: key on its failure
                v = ("error", type(e).__name__)
            attributes[modname + "." + n] = v
            if isinstance(v, tuple) and len(v) == 2 and v[0] == "module":
                todo.append(v[1])
    return attributes


def function_components(impl, seen=None):
    """The signature-independent components of a dispatcher's function."""
    seen = set() if seen is None else seen
    fn = impl.py_func
    code = fn.__code__
    names = sorted(_all_names(code))
    raw_globals, raw_cells = _globals_and_cells(impl, names)
    globals_ = {k: _value(impl, v, seen) for k, v in raw_globals.items()}
    cells = {k: _value(impl, v, seen) for k, v in raw_cells.items()}
    callees = {}
    for v in list(globals_.values()) + list(cells.values()):
        if isinstance(v, tuple) and v and v[0] == "dispatcher":
            callees[v[1]] = v[2]
    attributes = _attributes(impl, list(globals_.values()) + list(cells.values()), names, seen)
    return {
        "function": (fn.__module__ or "") + "." + fn.__qualname__,
        "bytecode": _sha(canonical(code)),
        "positions": _sha(_positions(code)),
        "consts": _sha(canonical(code.co_consts)),
        "names": _sha(canonical(code.co_names)),
        "globals": _sha(canonical(globals_) + canonical(cells)),
        # Calls from compiled code pass them (a caller's code holds its callees' defaults).
        "defaults": _sha(canonical({k: _value(impl, _classify(v), seen) for k, v in defaults(fn).items()})),
        "attributes": _sha(canonical(attributes)),
        "callees": callees,
        "options": {k: canonical(impl.options.get(k)) for k in _CODE_OPTIONS},
    }


def function_key(impl, seen):
    """A hash of function_components (recursion-safe: a function already being hashed
    contributes its name only)."""
    if impl.handle in seen:
        return "recursive:" + impl.qualname
    seen = seen | {impl.handle}
    return _sha(canonical(function_components(impl, seen)))


def signature_text(arg_types, return_type):
    """Exact encoding of a signature for the key, "ret(arg,arg)" in _core.encode_type's
    words ("-" for no declared return type), or None when a type has no encoding."""
    args = [_core.encode_type(t) for t in arg_types]
    ret = _core.encode_type(return_type) if return_type is not None else "-"
    if not all(args) or not ret:
        return None
    return ret + "(" + ",".join(args) + ")"


def compute(impl, arg_types, return_type):
    """(key, components) for one signature of a dispatcher, or (None, None) when the
    signature cannot be cached."""
    sig = signature_text(arg_types, return_type)
    if sig is None:
        return None, None
    components = function_components(impl)
    components["signature"] = sig
    components.update(environment())
    return _sha(canonical(components)), components


def differences(old, new):
    """Human reasons why two component dicts differ ("bytecode changed", ...)."""
    reasons = []
    labels = {"bytecode": "bytecode changed", "positions": "source positions (lines) changed",
              "consts": "constants changed", "names": "names changed",
              "globals": "global or closure values changed",
              "attributes": "module attributes it reads changed", "signature": "signature differs",
              "target": "target triple differs", "cpu": "CPU model or features differ",
              "dunnart": "dunnart version differs", "llvm": "LLVM version differs",
              "python": "Python version differs", "core_build": "dunnart build (_core) differs"}
    for name, label in labels.items():
        if old.get(name) != new.get(name):
            reasons.append(label)
    oo, no = old.get("options", {}), new.get("options", {})
    for k in sorted(set(oo) | set(no)):
        if oo.get(k) != no.get(k):
            reasons.append(f"option {k} changed")
    oc, nc = old.get("callees", {}), new.get("callees", {})
    for k in sorted(set(oc) | set(nc)):
        if oc.get(k) != nc.get(k):
            reasons.append(f"callee {k} changed")
    return reasons
