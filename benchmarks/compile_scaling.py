"""Compile time against the size of the code: many dimensions, long tuples, many locals.

  python -m benchmarks.compile_scaling [--quick] [--only sum_nd,tuple_iter] [--timeout 60]

Each probe is a small function whose compile time should grow about linearly with one
size: the number of dimensions of its array argument (`a.sum()`, `a + 1`, `a[0, ..., 0]`
on an array of shape (1,)*k, `a + 1` on (2,)*k), the length of a global tuple
(`for x in T: s += x`, `T[i]`), or the number of array statements (`b_k = a * k`, then
their sum). Every probe runs in a fresh child process (so one that explodes is stopped at
--timeout and reported as TIMEOUT) and is checked against NumPy/Python; the table gives
the compile seconds of its first call (the dispatcher's compile_seconds).
"""
import argparse
import json
import os
import subprocess
import sys

if __package__ in (None, ""):   # also runnable as `python benchmarks/compile_scaling.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks import env

# name -> (what it compiles, full sizes, quick sizes)
PROBES = {
    "sum_nd": ("a.sum(), a of shape (1,)*k", (8, 16, 32, 64), (16, 64)),
    "add_nd": ("a + 1, a of shape (1,)*k", (8, 16, 32, 64), (16, 64)),
    "add_2s_nd": ("a + 1, a of shape (2,)*k", (4, 8, 12, 16), (8, 16)),
    "index_nd": ("a[0, ..., 0], a of shape (1,)*k", (8, 16, 32, 64), (16, 64)),
    "axis_nd": ("a.sum(axis=0), a.cumsum(axis=1), a of shape (1,)*k", (8, 16, 32, 64), (16, 64)),
    "tuple_iter": ("for x in T: s += x, T a global tuple of k ints", (500, 1000, 5000), (1000, 5000)),
    "tuple_index": ("T[i], T a global tuple of k ints", (2000, 20000), (2000, 20000)),
    "array_locals": ("k statements b_j = a * j, then return b_0 + ... + b_k-1", (50, 100, 300), (100, 300)),
    "array_locals_aug": ("k statements b_j = a * j, then s += b_j for each", (25, 50, 100, 300), (50, 300)),
    "array_locals_sums": ("k statements b_j = a * j, then t += b_j.sum() for each", (50, 100, 300), (100, 300)),
}


def build(name, k):
    """(source of a module defining f, arguments expression, expected value expression)."""
    if name in ("sum_nd", "add_nd", "index_nd", "add_2s_nd", "axis_nd"):
        shape = "(2,) * %d" % k if name == "add_2s_nd" else "(1,) * %d" % k
        body = {"sum_nd": "return a.sum()", "add_nd": "return a + 1", "add_2s_nd": "return a + 1",
                "index_nd": "return a[%s]" % ", ".join(["0"] * k),
                "axis_nd": "return a.sum(axis=0), a.cumsum(axis=1)"}[name]
        src = f"import numpy as np\ndef f(a):\n    {body}\n"
        args = f"(np.arange(np.prod({shape}), dtype=np.float64).reshape({shape}) + 0.5,)"
        return src, args
    if name == "tuple_iter":
        src = (f"T = tuple(range({k}))\n"
               "def f(n):\n    s = n\n    for x in T:\n        s += x\n    return s\n")
        return src, "(3,)"
    if name == "tuple_index":
        src = f"T = tuple(range(0, {3 * k}, 3))\ndef f(i):\n    return T[i]\n"
        return src, f"({k - 7},)"
    if name.startswith("array_locals"):
        lines = [f"    b{j} = a * {j}" for j in range(k)]
        if name == "array_locals":
            lines.append("    return " + " + ".join(f"b{j}" for j in range(k)))
        elif name == "array_locals_aug":
            lines += ["    s = a * 0"] + [f"    s += b{j}" for j in range(k)] + ["    return s"]
        else:
            lines += ["    t = 0.0"] + [f"    t += b{j}.sum()" for j in range(k)] + ["    return t"]
        return "import numpy as np\ndef f(a):\n" + "\n".join(lines) + "\n", "(np.arange(4.0),)"
    raise KeyError(name)


CHILD = r"""
import json, sys, time, types
import numpy as np
import dunnart
src, args = sys.argv[1], sys.argv[2]
mod = types.ModuleType("probe")
exec(compile(src, "<probe>", "exec"), mod.__dict__)
args = eval(args, {"np": np})
expected = mod.f(*args)
jf = dunnart.njit(mod.f)
t = time.perf_counter()
got = jf(*args)
first = time.perf_counter() - t
same = lambda g, e: all(map(same, g, e)) if isinstance(e, tuple) else bool(np.array_equal(g, e))
ok = same(got, expected)
print(json.dumps({"compile_s": jf.stats["compile_seconds"], "first_call_s": first, "ok": ok}))
"""


def run_probe(name, k, timeout):
    src, args = build(name, k)
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, src, args], capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": f"TIMEOUT (> {timeout} s)"}
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["exit status %d" % p.returncode])[-1]
        return {"status": "ERROR: " + last[:120]}
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["status"] = "ok" if r["ok"] else "WRONG"
    return r


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer sizes")
    ap.add_argument("--only", default="", help="comma-separated probe names")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per probe")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    env.setup()
    names = [n for n in a.only.split(",") if n] or list(PROBES)
    rows = []
    if not a.json:
        print("| probe | compiles | k | compile s | check |\n|---|---|---|---|---|", flush=True)
    for name in names:
        what, full, quick = PROBES[name]
        for k in quick if a.quick else full:
            r = run_probe(name, k, a.timeout)
            rows.append({"probe": name, "what": what, "k": k, **r})
            if not a.json:
                t = f"{r['compile_s']:.3f}" if "compile_s" in r else ""
                print(f"| {name} | {what} | {k} | {t} | {r['status']} |", flush=True)
    if a.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
