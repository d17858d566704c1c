"""Issue 9, part 3: no internal exception escapes. Every @njit function defined at module
level in the suite's modules (SUITE_MODULES), and one function per family of the operator
matrix, is called with hostile arguments (None, strings, bytes, huge ints, NaN, empty,
0-d, read-only, non-contiguous, object, structured and float16 arrays, nested tuples,
lists, dicts, the wrong number of arguments). Any outcome is fine (a result or an ordinary
exception) except an exception that comes from dunnart's own code rather than from a
deliberate refusal. The verdict reads the traceback (see `internal_reason`):

  * an InternalError, anywhere: a bug by definition;
  * a RecursionError, KeyError, AttributeError, IndexError, AssertionError, NameError,
    UnboundLocalError, RuntimeError, SystemError, NotImplementedError or ValueError whose
    traceback passes through python/dunnart/ (runtime errors of compiled code, such as the
    ValueError of np.max on an empty array, are raised by the C++ call path and carry no
    dunnart frame);
  * a TypeError or OverflowError raised in dunnart's Python code by an operation rather
    than a `raise` statement (`'NoneType' object is not subscriptable`). TypeErrors that the
    C++ layer raises on purpose (unsupported argument type) and TypingErrors pass.

Run as a child process by test_hostile_matrix.py (through matrix_runner.py: a crash fails
one function): `--run ID ...` prints START/RESULT lines, `--list [--ci]` the function ids
("module:function").
"""
import importlib
import json
import math
import os
import random
import sys
import traceback
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

SUITE_MODULES = ["test_numpy_operators", "test_numpy_ufuncs", "test_numpy_reductions",
                 "test_numpy_indexing", "test_numpy_shapes", "test_numpy_fusion",
                 "test_numpy_astype", "test_numpy_dot", "test_numpy_errors", "test_creation",
                 "test_arrays", "test_scalars", "test_math", "test_control_flow", "test_calls",
                 "test_kernels", "test_vectorize", "jit_helpers"]
CI_FRACTION = 0.15
# Functions that hostile arguments legitimately send into an endless loop (as in CPython):
# native code cannot be interrupted, so they are left out.
ENDLESS = {"test_control_flow:divmod_loop"}  # while n > 0: n = n // d, with d == 1
CI_SEED = 3

# Ids ("module:function") known to let an internal exception escape today, by root cause
# (FAILURES.md); xfail(strict=True) in test_hostile_matrix.py.
try:
    from matrix_known import HOSTILE_KNOWN  # noqa: E402
except ImportError:  # pragma: no cover
    HOSTILE_KNOWN = {}
KNOWN_FAILURES = set().union(*HOSTILE_KNOWN.values()) if HOSTILE_KNOWN else set()

MATRIX_FUNCS = {  # a few generated functions of the operator matrix, as module "matrix"
    "binop_add": "def f(a, b):\n    return a + b\n",
    "binop_pow": "def f(a, b):\n    return a ** b\n",
    "iadd": "def f(a, b):\n    a += b\n    return a\n",
    "ufunc_sqrt": "def f(a):\n    return np.sqrt(a)\n",
    "fused": "def f(a, b):\n    return np.sqrt(a * b + 1)\n",
    "reduce_axis": "def f(a):\n    return a.sum(axis=0)\n",
    "mask_store": "def f(a, b):\n    a[a > b] = 0\n    return a\n",
    "where": "def f(a, b):\n    return np.where(a > 0, a, b)\n",
    "index": "def f(a, i):\n    return a[i]\n",
    "slice": "def f(a, i, j):\n    return a[i:j]\n",
}


def hostile_values():
    ro = np.arange(6.0)
    ro.setflags(write=False)
    base = np.arange(24.0).reshape(4, 6)

    class Sub(np.ndarray):
        pass

    return [
        None, "abc", b"xy", 0, 1, -1, 2**63, -(2**63) - 1, 2**70, 1.5, math.nan, math.inf,
        -math.inf, 1e308, 1j, complex(math.nan, 1), True, False,
        np.float32(1.5), np.int8(-3), np.uint64(2**64 - 1), np.float16(2.0), np.bool_(True),
        np.datetime64("2020-01-01"), (), (1,), (1, (2, 3)), ((1.0, 2.0), 3), (None,), ("a", 1),
        [1, 2], [], {}, {1}, object(), print, np, slice(1, 2), range(3), Ellipsis,
        np.array(5.0), np.array(3), np.zeros(0), np.zeros((0, 3)), ro, base[:, ::2], base[::-1],
        base.T, np.array([1, "a"], dtype=object), np.array(["ab", "c"]),
        np.arange(6, dtype=np.float16), np.arange(4.0).astype(">f8"),
        np.zeros(3, dtype=[("x", "f8"), ("y", "i4")]), np.full(4, np.nan), np.arange(5),
        np.ones((2, 2, 2, 2)), np.array([True, False, True]), np.zeros(3, np.complex64),
        np.broadcast_to(np.float64(2.5), (3, 4)), np.arange(6, dtype=np.uint8),
        np.arange(6.0).view(Sub), np.array([np.inf, -np.inf, np.nan]),
        np.arange(10**6 // 8, dtype=np.int8)[::7],
    ]


def all_ids():
    ids = []
    from dunnart._core import Dispatcher
    for modname in SUITE_MODULES:
        mod = importlib.import_module(modname)
        for name, obj in sorted(vars(mod).items()):
            if isinstance(obj, Dispatcher) and getattr(obj, "py_func", None) is not None \
                    and obj.py_func.__module__ == modname:
                if f"{modname}:{name}" not in ENDLESS:
                    ids.append(f"{modname}:{name}")
    ids += [f"matrix:{k}" for k in MATRIX_FUNCS]
    return ids


def ci_ids():
    out = []
    for i in all_ids():
        h = (zlib.crc32(f"{CI_SEED}:{i}".encode()) & 0xFFFFFFFF) / 2**32
        if i.startswith("matrix:") or i in KNOWN_FAILURES or h < CI_FRACTION:
            out.append(i)
    return out


def resolve(fid):
    modname, name = fid.split(":")
    if modname == "matrix":
        from dunnart import njit
        ns = {"np": np}
        exec(compile(MATRIX_FUNCS[name], f"<matrix:{name}>", "exec"), ns)
        return njit(ns["f"])
    return getattr(importlib.import_module(modname), name)


DUNNART_DIR = None
_ALWAYS_BUGS = (RecursionError, KeyError, AttributeError, IndexError, AssertionError, NameError,
                UnboundLocalError, RuntimeError, SystemError, NotImplementedError, ValueError)


def _is_raise_line(line):
    return (line or "").lstrip().startswith("raise")


def _calls_native(line):
    line = line or ""
    return "_core." in line or "compiler()" in line or "_compiler." in line


def internal_reason(exc):
    """None when exc is an ordinary, deliberate exception; else why it is internal."""
    from dunnart import DunnartError, InternalError
    global DUNNART_DIR
    if DUNNART_DIR is None:
        import dunnart
        DUNNART_DIR = os.path.dirname(os.path.abspath(dunnart.__file__)) + os.sep
    if isinstance(exc, InternalError):
        return "InternalError"
    if isinstance(exc, DunnartError):
        return None
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [i for i, fr in enumerate(frames) if os.path.abspath(fr.filename).startswith(DUNNART_DIR)]
    if not ours:
        return None  # raised by the compiled code, the C++ call path or the caller
    inner = frames[ours[-1]]
    where = f"{os.path.basename(inner.filename)}:{inner.lineno} `{(inner.line or '').strip()[:90]}`"
    if isinstance(exc, _ALWAYS_BUGS):
        return f"{type(exc).__name__} from dunnart ({where})"
    deeper = ours[-1] < len(frames) - 1
    if deeper:
        return None  # a TypeError of the standard library (e.g. inspect's binding of arguments)
    if _is_raise_line(inner.line) or _calls_native(inner.line):
        return None
    return f"{type(exc).__name__} raised by an operation in dunnart ({where})"


def calls_for(f, rng):
    values = hostile_values()
    try:
        n = f.py_func.__code__.co_argcount
    except AttributeError:
        n = 1
    calls = [(v,) * n for v in values]
    for _ in range(10):
        calls.append(tuple(rng.choice(values) for _ in range(n)))
    calls.append(tuple([1] * (n + 1)))
    if n:
        calls.append(tuple([np.arange(3.0)] * (n - 1)))
    return calls


def run_one(fid):
    import warnings
    f = resolve(fid)
    rng = random.Random(fid)
    bad = []
    for args in calls_for(f, rng):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f(*args)
        except BaseException as e:  # noqa: BLE001
            if not isinstance(e, Exception):
                bad.append(f"{type(e).__name__} escaped")
                continue
            why = internal_reason(e)
            if why:
                msg = str(e).splitlines()[0][:200] if str(e) else ""
                bad.append(f"{why}: {msg} -- args {_short(args)}")
    if bad:
        uniq = list(dict.fromkeys(bad))
        return "fail", f"{len(bad)} calls: " + " | ".join(uniq[:6])
    return "pass", ""


def _short(args):
    s = ", ".join(f"{type(a).__name__}{getattr(a, 'shape', '')}{'' if not hasattr(a, 'dtype') else ' ' + str(a.dtype)}"
                  if not isinstance(a, (int, float, str, type(None))) else repr(a)[:20] for a in args)
    return f"({s})"


def main(argv):
    if "--list" in argv:
        for i in (ci_ids() if "--ci" in argv else all_ids()):
            print(i)
        return 0
    if "--run" in argv:
        ids = argv[argv.index("--run") + 1:]
        if ids == ["-"]:
            ids = [line.strip() for line in sys.stdin if line.strip()]
        for fid in ids:
            print("START " + fid, flush=True)
            try:
                st, detail = run_one(fid)
            except Exception as e:  # noqa: BLE001
                st, detail = "fail", "harness: " + "".join(traceback.format_exception_only(type(e), e)).strip()[:400]
            print("RESULT " + json.dumps({"id": fid, "status": st, "detail": detail}), flush=True)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
