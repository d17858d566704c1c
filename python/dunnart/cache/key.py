"""The cache key: a SHA-256 over everything that changes the machine code of one compiled
signature, never over compiler output. Components are kept by name so that the index can
record them and `dunnart cache why` can say which one changed:

- bytecode: co_code of the function and of every code object in its constants;
- capture: what the compiler reads (capture.py's dict: instructions, positions, source
  lines, constants, the classified globals and closure values frozen at first compile);
- consts, names: co_consts (canonical text, code objects expanded) and co_names;
- attributes: for each module the function reads as a global, the classified values of
  the attributes it may read (names in co_names), since typing resolves them;
- callees: the function keys of the jitted functions it calls, recursively, so an edit
  to a callee in another module invalidates its callers;
- signature, options (fastmath, parallel, boundscheck, error_model, nogil);
- target triple, CPU name and features; dunnart, LLVM and Python versions, and the
  build of _core."""
import os
import sys
import types

from .. import _core

_CODE_OPTIONS = ("fastmath", "parallel", "boundscheck", "error_model", "nogil")
_environment = None


def canonical(obj):
    """Deterministic text for constants and classified values (no addresses, no
    hash-seed-dependent set order)."""
    if isinstance(obj, types.CodeType):
        return ("code(" + obj.co_name + "," + obj.co_code.hex() + "," + canonical(obj.co_consts) + ","
                + canonical(obj.co_names) + "," + canonical(obj.co_varnames) + "," + canonical(obj.co_freevars) + ")")
    if isinstance(obj, (tuple, list)):
        inner = ",".join(canonical(x) for x in obj)
        return ("(" + inner + ")") if isinstance(obj, tuple) else ("[" + inner + "]")
    if isinstance(obj, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(x) for x in obj)) + "}"
    if isinstance(obj, dict):
        return "{" + ",".join(sorted(canonical(k) + ":" + canonical(v) for k, v in obj.items())) + "}"
    if isinstance(obj, float):
        return "float(" + obj.hex() + ")" if obj == obj else "float(nan)"
    if isinstance(obj, complex):
        return "complex(" + canonical(obj.real) + "," + canonical(obj.imag) + ")"
    return type(obj).__name__ + ":" + repr(obj)


try:  # the builtin module: importing hashlib (OpenSSL) costs milliseconds on a cache hit
    from _sha2 import sha256 as _sha256
except ImportError:
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:
        from hashlib import sha256 as _sha256


def _sha(text):
    return _sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def environment():
    """The target and version components, the same for every function of a process."""
    global _environment
    if _environment is None:
        from .. import _compiler
        host = _compiler.host()
        try:
            st = os.stat(_core.__file__)
            build = f"{st.st_size}:{st.st_mtime_ns}"
        except (OSError, AttributeError):
            build = "unknown"
        _environment = {
            "target": host["triple"],
            "cpu": host["cpu"],
            "features": _sha(host["features"]),
            "dunnart": _core.version,
            "llvm": _core.llvm_version,
            "python": sys.implementation.cache_tag or sys.version,
            "core_build": build,
        }
    return _environment


def _all_names(code):
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _all_names(c)
    return names


def _value(classified, seen):
    """A classified global/closure value with dispatcher handles (per process) replaced by
    the callee's function key."""
    if isinstance(classified, tuple) and classified and classified[0] == "dispatcher":
        from ..dispatcher import _registry
        impl = _registry.get(classified[1])
        if impl is None:
            return ("dispatcher", classified[2], "missing")
        name = (impl.py_func.__module__ or "") + "." + impl.qualname
        return ("dispatcher", name, function_key(impl, seen))
    return classified


def function_components(impl, seen=None):
    """The signature-independent components of a dispatcher's function."""
    seen = set() if seen is None else seen
    fn = impl.py_func
    code = fn.__code__
    captured = dict(impl.captured)
    captured.pop("handle", None)
    globals_ = {k: _value(v, seen) for k, v in captured.pop("globals", {}).items()}
    cells = {k: _value(v, seen) for k, v in captured.pop("cells", {}).items()}
    callees = {}
    for k, v in list(globals_.items()) + list(cells.items()):
        if isinstance(v, tuple) and v and v[0] == "dispatcher":
            callees[v[1]] = v[2]
    # Attributes of module globals (typing resolves `mod.NAME` through the resolver).
    attributes = {}
    names = sorted(_all_names(code))
    from ..capture import classify
    for gname, v in globals_.items():
        if isinstance(v, tuple) and v and v[0] == "module":
            mod = sys.modules.get(v[1])
            if mod is None:
                continue
            for n in names:
                try:
                    if n in getattr(mod, "__dict__", {}):
                        attributes[v[1] + "." + n] = _value(classify(getattr(mod, n)), seen)
                except Exception as e:  # a hostile module attribute: key on its failure
                    attributes[v[1] + "." + n] = ("error", type(e).__name__)
    return {
        "function": (fn.__module__ or "") + "." + fn.__qualname__,
        "bytecode": _sha(canonical(code)),
        "consts": _sha(canonical(code.co_consts)),
        "names": _sha(canonical(code.co_names)),
        "capture": _sha(canonical(captured)),
        "globals": _sha(canonical(globals_) + canonical(cells)),
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
    """Exact encoding of a signature for the key, or None when a type has no encoding."""
    parts = [_core.encode_type(t) for t in arg_types]
    ret = _core.encode_type(return_type) if return_type is not None else "-"
    if not all(parts) or not ret:
        return None
    return ret + "(" + ",".join(parts) + ")"


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
    labels = {"bytecode": "bytecode changed", "consts": "constants changed", "names": "names changed",
              "capture": "source or positions changed", "globals": "global or closure values changed",
              "attributes": "module attributes it reads changed", "signature": "signature differs",
              "target": "target triple differs", "cpu": "CPU name differs", "features": "CPU features differ",
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
