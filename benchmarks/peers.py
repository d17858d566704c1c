"""The tools under test: importing them safely, compiling with a JIT, naming failures.

dunnart is imported in a child process first: a broken native module may crash, and that
must cost its rows, not the run. Every failure becomes Unavailable(status, detail) with a
status word from results.py.
"""
import importlib
import json
import re
import time
import types

from . import subproc
from .env import cores

# Raised by a JIT that cannot compile something (yet), as opposed to one that broke.
NOT_YET = {"TypingError", "UnsupportedError", "NotImplementedError", "AttributeError",
           "UnsupportedFeatureError", "NumbaNotImplementedError"}
CHILD_FIRST = {"dunnart"}   # try in a subprocess before compiling in this process


class Unavailable(Exception):
    def __init__(self, status, detail):
        super().__init__(f"{status}: {detail}")
        self.status, self.detail = status, detail


def classify(exc, tool):
    """(status, detail) for an exception raised while compiling or first calling."""
    return classify_name(type(exc).__name__, str(exc), tool)


def classify_name(name, message, tool):
    detail = f"{name}: {first_words(message)}"[:200]
    if name in NOT_YET or (name == "TypeError" and "unexpected keyword" in message):
        return ("not yet" if tool == "dunnart" else "unsupported"), detail
    return "ERROR", detail


def first_words(message):
    """The telling part of a long compiler message: its first real line (and the one after
    it when it ends with a colon), without ANSI colours or pipeline boilerplate."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", message)
    lines = [l.strip() for l in text.splitlines()
             if l.strip() and not l.strip().startswith(("Failed in", "- Resolution failure"))]
    if len(lines) > 1 and lines[0].endswith(":"):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


_loaded = {}


def load(name):
    """Import a peer package or raise Unavailable("missing" / "unavailable", why)."""
    if name not in _loaded:
        _loaded[name] = _import(name)
    if isinstance(_loaded[name], Unavailable):
        raise _loaded[name]
    return _loaded[name]


def _import(name):
    if name in CHILD_FIRST:
        info = dunnart_info()
        if info["status"] != "ok":
            return Unavailable("unavailable", f"import error: {info['detail']}")
    try:
        return importlib.import_module(name)
    except Exception as e:  # ImportError, or anything a broken package raises
        return Unavailable("unavailable" if name == "dunnart" else "missing",
                           f"import error: {type(e).__name__}: {e}")


_dunnart_info = None


def dunnart_info():
    """Import dunnart in a child: {"status", "detail"} plus version, file and LLVM version."""
    global _dunnart_info
    if _dunnart_info is None:
        _dunnart_info = subproc.run(["-c", "from benchmarks.peers import _describe_dunnart as d; d()"], 120)
    return _dunnart_info


def _describe_dunnart():
    try:
        import dunnart
    except Exception as e:
        return subproc.report(status="unavailable", detail=f"{type(e).__name__}: {e}")
    if getattr(dunnart, "__file__", None) is None:
        return subproc.report(status="unavailable", detail="empty namespace package (not built yet)")
    llvm = next((v for v in (getattr(dunnart, "llvm_version", None),
                             getattr(getattr(dunnart, "_core", None), "llvm_version", None)) if v), None)
    llvm = llvm() if callable(llvm) else llvm
    subproc.report(status="ok", version=str(getattr(dunnart, "__version__", "unknown")),
                   file=getattr(dunnart, "__file__", None), llvm=None if llvm is None else str(llvm))


def with_globals(fn, **names):
    """A copy of fn whose globals have `names` replaced (e.g. prange), so two JITs in one
    process each see their own."""
    g = {**fn.__globals__, **names}
    return types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)


def probe(tool, case, opts, timeout=300):
    """Compile and check `case` with `tool` in a child; raise Unavailable unless it works."""
    r = subproc.run(["-m", "benchmarks.worker", "--jit", tool, "--case", case,
                     "--opts", json.dumps(opts)], timeout)
    if r["status"] != "ok":
        raise Unavailable(r["status"], r.get("detail", ""))


def jit_compile(tool, fn, opts, args, probe_case=None):
    """njit(**opts)(fn) with `tool`, first-called on args -> (compiled, result, first_s).

    A function that uses prange gets the tool's own prange (none: "not yet"). With
    probe_case, a child compiles that case first, for the tools in CHILD_FIRST."""
    jit = load(tool)
    if probe_case and tool in CHILD_FIRST:
        probe(tool, probe_case, opts)
    try:
        own = {"prange": jit.prange} if "prange" in fn.__code__.co_names else {}
        compiled = jit.njit(**opts)(with_globals(fn, **own))
        if opts.get("parallel") and hasattr(jit, "set_num_threads"):
            jit.set_num_threads(cores())
        t = time.perf_counter()
        result = compiled(*args)
        return compiled, result, time.perf_counter() - t
    except Exception as e:
        raise Unavailable(*classify(e, tool)) from e
