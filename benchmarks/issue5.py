"""The issue-5 speed claims for the disk cache, measured in one run.

  python -m benchmarks.issue5 [--quick] [--json]

  1. start-up: wall time of a fresh process that imports the tool and makes the first call
     of a small cached function (warm cache), minus the wall time of the same interpreter
     running an empty script. dunnart's target: at most 10 ms (Numba for scale).
  2. hit / compile: in fresh processes, the first call of the same function when the cache
     serves it, over its first call when it compiles (cache=False), both timed inside the
     process after the import. Target: at most 1/20. Measured for a small scalar function
     (the claim) and for a 10-line loop over NumPy arrays (NumPy imported before timing).

Each figure is the median over fresh processes, tools alternating (start-up: the median of
the differences between each run and an empty-script run next to it, in alternating order). Bytecode caching
is on in the children, as for users. Prints Markdown (or JSON).
"""
import argparse
import inspect
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

if __package__ in (None, ""):   # also runnable as `python benchmarks/issue5.py`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "benchmarks"

from benchmarks.env import REPO
from benchmarks.first_call import loop10


def small(n, x):
    s = 0.0
    for i in range(n):
        y = x * i
        if y > 1.0:
            s += math.sqrt(y)
        else:
            s -= 0.5 * y
    return s / max(n, 1)


# The children: nothing but the import, the function and the call, so that their wall time
# is the interpreter's start plus what the tool costs. The array case is the 10-line loop of
# benchmarks/first_call.py, with NumPy imported before the clock starts.
SETUP = {"scalar": "", "array": "import numpy as np\na, b = np.linspace(-1.0, 1.0, 1000), np.linspace(2.0, -2.0, 1000)\n"}
CALL = {"scalar": "small(1000, 0.01)", "array": "loop10(a, b)"}
FUNCTION = {"scalar": small, "array": loop10}


def child_source(kind, tool, cache):
    fn = FUNCTION[kind]
    return (f"import time\nimport math\n{SETUP[kind]}t0 = time.perf_counter()\nimport {tool}\n"
            f"t1 = time.perf_counter()\n\n@{tool}.njit(cache={cache})\n{inspect.getsource(fn)}\n"
            f"t2 = time.perf_counter()\nr = {CALL[kind]}\nt3 = time.perf_counter()\n")


REPORT = '''
import sys
if "--report" in sys.argv:
    stats = (small if "small" in globals() else loop10).stats
    hits = getattr(stats, "cache_hits", None)
    from_disk = sum(hits.values()) > 0 if hits is not None else stats["compiles"] == 0
    print("RESULT", repr({"import": t1 - t0, "first_call": t3 - t2, "from_disk": from_disk, "value": r}))
'''


def write_script(directory, name, kind, tool, cache):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(child_source(kind, tool, cache) + REPORT)
    return path


def run(path, env, report):
    """Wall seconds of one fresh process, and its RESULT dict when `report`."""
    t = time.perf_counter()
    p = subprocess.run([sys.executable, path, *(["--report"] if report else [])], capture_output=True,
                       text=True, env=env, cwd=os.path.dirname(path))
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{path} failed: {p.stderr.strip().splitlines()[-1:]}")
    result = None
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            import ast
            result = ast.literal_eval(line[7:])
    return wall, result


def available(tool):
    return subprocess.run([sys.executable, "-c", f"import {tool}"], capture_output=True).returncode == 0


def measure(procs):
    tools = [t for t in ("dunnart", "numba") if available(t)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO, "python") + os.pathsep + env.get("PYTHONPATH", "")
    # Users' interpreters keep compiled bytecode (__pycache__); without it every import of a
    # Python module recompiles its source, which would dominate a 10 ms budget.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = {"tools": tools, "procs": procs}
    with tempfile.TemporaryDirectory(prefix="issue5-") as tmp:
        env["DUNNART_CACHE_DIR"] = os.path.join(tmp, "dunnart-cache")
        env["NUMBA_CACHE_DIR"] = os.path.join(tmp, "numba-cache")
        empty = os.path.join(tmp, "empty.py")
        open(empty, "w").close()
        scripts = {}
        for tool in tools:
            for kind in ("scalar", "array"):
                for cache in (True, False):
                    name = f"{tool}_{kind}_{'cached' if cache else 'compiled'}.py"
                    scripts[tool, kind, cache] = write_script(tmp, name, kind, tool, cache)
            for kind in ("scalar", "array"):   # fill the caches
                run(scripts[tool, kind, True], env, True)
        # Start-up: each cached run paired with an empty-script run, in alternating order
        # (ABBA), so that drift and the effects of the previous process cancel.
        startup = {tool: [] for tool in tools}
        empties = []
        for tool in tools:
            for i in range(procs):
                pair = [run(empty, env, False)[0], run(scripts[tool, "scalar", True], env, False)[0]] if i % 2 == 0 \
                    else [run(scripts[tool, "scalar", True], env, False)[0], run(empty, env, False)[0]][::-1]
                empties.append(pair[0])
                startup[tool].append(pair[1] - pair[0])
        inner = {key: [] for key in scripts}
        for _ in range(procs):
            for key, path in scripts.items():
                _, r = run(path, env, True)
                if key[2] and not r["from_disk"]:
                    raise RuntimeError(f"{os.path.basename(path)}: the warm run compiled instead of loading")
                inner[key].append(r["first_call"])
    med = statistics.median
    out["interpreter_ms"] = med(empties) * 1e3
    for tool in tools:
        out[tool] = {
            "startup_over_interpreter_ms": med(startup[tool]) * 1e3,
            **{f"{kind}_{what}_ms": med(inner[tool, kind, cache]) * 1e3
               for kind in ("scalar", "array") for what, cache in (("hit", True), ("compile", False))},
        }
        for kind in ("scalar", "array"):
            out[tool][f"{kind}_hit_over_compile"] = out[tool][f"{kind}_hit_ms"] / out[tool][f"{kind}_compile_ms"]
    return out


def markdown(m):
    tools = m["tools"]
    names = {"dunnart": "dunnart", "numba": "Numba"}
    lines = [f"Median of {m['procs']} fresh processes per cell; interpreter start "
             f"(empty script) {m['interpreter_ms']:.1f} ms.", "",
             "| claim | target | " + " | ".join(names[t] for t in tools) + " |",
             "|---|---|" + "---|" * len(tools)]

    def row(label, target, fmt):
        lines.append(f"| {label} | {target} | " + " | ".join(fmt(m[t]) for t in tools) + " |")
    row("import + first call of a cached small function, over interpreter start", "≤ 10 ms",
        lambda r: f"{r['startup_over_interpreter_ms']:.1f} ms")
    for kind, label in (("scalar", "small scalar function"), ("array", "10-line loop over arrays")):
        row(f"cache hit / compile, {label}", "≤ 0.05" if kind == "scalar" else "—",
            lambda r, k=kind: f"{r[k + '_hit_ms']:.2f} / {r[k + '_compile_ms']:.1f} ms = {r[k + '_hit_over_compile']:.3f}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.issue5", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="7 processes per cell instead of 21")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    a = ap.parse_args(argv)
    m = measure(7 if a.quick else 21)
    print(json.dumps(m, indent=1) if a.json else markdown(m))
    return 0


if __name__ == "__main__":
    sys.exit(main())
