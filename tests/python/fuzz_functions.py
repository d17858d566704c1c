"""Differential fuzzing of whole functions (issue 9, part 2): a generator (fixed seed) writes
small functions of array expressions, ufuncs, reductions (with and without axis=),
slices, boolean masks, masked stores, in-place updates and np.where over random shapes,
dtypes and layouts; each runs under @njit and under plain NumPy and must agree: same
result dtypes, shapes and values (floats within a tolerance, since reductions may reorder
and transcendental functions differ by an ulp), or the same exception class (the rules of
matrix_cases.exception_matches).

A function is named by its id `fz<seed>-<n>`; `generate(id)` rebuilds it from the id alone.

    python tests/python/fuzz_functions.py --minutes 10 --out failures.py   # a longer run
    python -m tests.python.fuzz_functions --minutes 10 --out failures.py   # the same

write every failing function to failures.py as a self-contained reproducer (crashes too:
each batch runs in a child process, see matrix_runner.py). test_fuzz.py runs the CI set.
"""
import json
import os
import random
import re
import sys
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import matrix_cases  # noqa: E402

CI_SEED = 1
CI_COUNT = 300
DTYPES = ["int32", "int64", "uint8", "float32", "float64", "bool", "complex128"]
DTYPE_WEIGHTS = [3, 3, 1, 3, 4, 1, 1]

# Known failures: fuzz ids that fail today, with the root cause (see FAILURES.md);
# xfail(strict=True) in test_fuzz.py.
try:
    from matrix_known import FUZZ_KNOWN  # noqa: E402
except ImportError:  # pragma: no cover
    FUZZ_KNOWN = {}
KNOWN_FAILURES = set().union(*FUZZ_KNOWN.values()) if FUZZ_KNOWN else set()
# The use-after-free reads freed memory: whether the value read is wrong depends on what the
# allocator did since, so these ids fail or pass by chance; they are xfail(strict=False) and
# test_fuzz.py::test_use_after_free_sentinel (deterministic, strict) says when it is fixed.
NONDETERMINISTIC = FUZZ_KNOWN.get("inplace_on_local_array_use_after_free", set())


class Gen:
    def __init__(self, rng, dtype, ndim):
        self.r = rng
        self.dtype = dtype
        self.kind = np.dtype(dtype).kind
        self.ndim = ndim
        self.lines = []
        self.n = 0

    def fresh(self):
        self.n += 1
        return f"t{self.n}"

    def leaf(self, arrays):
        r = self.r.random()
        if r < 0.75:
            return self.r.choice(arrays)
        if self.kind == "b":
            return self.r.choice(["True", "False"])
        if self.kind in "iu":
            return str(self.r.randint(1, 5))
        if self.kind == "c":
            return self.r.choice(["2.0", "0.5", "(1-1j)"])
        return self.r.choice(["2.0", "0.5", "1.5", "3"])

    def expr(self, arrays, depth=0):
        """An elementwise expression of the arrays (all of one broadcast shape); at the
        top it always involves one of them, so that its value is an array."""
        e = self._expr(arrays, depth)
        if depth == 0 and not any(re.search(rf"\b{n}\b", e) for n in arrays):
            e = f"({e} + {arrays[0]})"
        return e

    def _expr(self, arrays, depth=0):
        r = self.r
        if depth > 2 or r.random() < 0.3:
            return self.leaf(arrays)
        x = self._expr(arrays, depth + 1)
        y = self._expr(arrays, depth + 1)
        k = self.kind
        choices = ["bin", "bin", "bin", "un", "where", "maxmin"]
        c = r.choice(choices)
        if c == "bin":
            if k == "b":
                op = r.choice(["&", "|", "^"])
            elif k in "iu":
                op = r.choice(["+", "-", "*", "&", "|", "//", "%"])
                if op in ("//", "%"):
                    return f"({x} {op} (np.abs({y}) + 1))" if k == "i" else f"({x} {op} ({y} | 1))"
            else:
                op = r.choice(["+", "-", "*", "/"])
            return f"({x} {op} {y})"
        if c == "un":
            if k == "b":
                # ~True is the Python int -2: it would turn the bool arrays into int ones
                return x if x in ("True", "False") else f"(~{x})"
            if k in "iu":
                return r.choice([f"(-{x})", f"np.abs({x})", f"np.square({x})", f"(~{x})"])
            if k == "c":
                return r.choice([f"(-{x})", f"np.square({x})", f"np.conj({x})" if False else f"(2 * {x})"])
            return r.choice([f"np.sqrt(np.abs({x}))", f"np.sin({x})", f"np.exp(-np.abs({x}))",
                             f"np.floor({x})", f"(-{x})", f"np.abs({x})", f"np.tanh({x})",
                             f"np.log1p(np.abs({x}))"])
        if c == "where":
            if k == "c":
                return f"np.where({x} == {y}, {x}, {y})"
            cond = f"({x} > {y})" if k != "b" else f"{x}"
            return f"np.where({cond}, {x}, {y})"
        if k == "c":
            return f"({x} + {y})"
        if k == "b":
            return f"({x} | {y})"
        return f"np.{r.choice(['maximum', 'minimum'])}({x}, {y})"

    def slice_of(self):
        r = self.r
        one = lambda: r.choice([":", "1:", ":-1", "::2", "::-1", "1::2", "-3:"])  # noqa: E731
        if self.ndim == 1:
            return one()
        return f"{one()}, {one()}"

    def reduction(self, x, nonempty):
        r = self.r
        k = self.kind
        names = ["sum", "sum", "prod", "mean"] if k != "b" else ["sum", "any", "all"]
        if nonempty and k != "c":
            names += ["min", "max"]
        name = r.choice(names)
        ax = ""
        if self.ndim > 1 and r.random() < 0.5:
            ax = f", axis={r.randint(0, self.ndim - 1)}"
        if name in ("any", "all") or r.random() < 0.5:
            return f"np.{name}({x}{ax})"
        return f"({x}).{name}({ax[2:]})"


def _shape(rng, ndim):
    if ndim == 1:
        return (rng.choice([1, 2, 5, 8, 13]),)
    return (rng.choice([1, 3, 4]), rng.choice([2, 5, 6]))


REBIND = re.compile(r"^(\s+)(t\d+) (\S+=) ", re.M)


def rebinds_in_place(src):
    """Whether the function updates a local array with an augmented assignment that
    rebinds the name (`t1 += b`): the pattern of the use-after-free in FAILURES.md."""
    return REBIND.search(src) is not None


def generate(fid):
    """(source, args) of function `fid` ('fz<seed>-<n>'). The variant 'fz<seed>-<n>/s'
    writes each `t op= x` as `t[:] op= x` (the same result in NumPy): it checks everything
    else the function does while the use-after-free of rebinding in-place updates stands."""
    if fid.endswith("/s"):
        src, args = generate(fid[:-2])
        return REBIND.sub(r"\1\2[:] \3 ", src), args
    seed, n = fid[2:].split("-")
    r = random.Random(f"{seed}:{n}")
    dtype = r.choices(DTYPES, DTYPE_WEIGHTS)[0]
    ndim = r.choice([1, 1, 2, 2])
    g = Gen(r, dtype, ndim)
    shape = _shape(r, ndim)
    bshape = shape if r.random() < 0.6 else shape[1:] or shape
    layouts = ["C", "F", "strided", "rev"] if ndim == 2 else ["C", "strided", "rev"]
    npr = np.random.default_rng(r.randint(0, 2**31))
    def arr(shp):
        lay = r.choice(layouts)
        if lay == "F" and len(shp) < 2:
            lay = "C"
        return matrix_cases._array(dtype, shp, lay, npr, "lhs", "+")
    a = arr(shape)
    b = arr(bshape)
    body = []
    outs = []
    nonempty = True
    t = g.fresh()
    body.append(f"{t} = {g.expr(['a', 'b'])}")
    body.append(f"{t} = {t} + np.zeros_like(a)" if r.random() < 0.3 else f"{t} = {t} * np.ones_like(a)")
    cur = t
    for _ in range(r.randint(1, 4)):
        c = r.choice(["expr", "slice", "mask", "inplace", "reduce", "where", "setslice"])
        if c == "expr":
            t = g.fresh()
            body.append(f"{t} = {g.expr([cur, 'a'])}")
            cur = t
        elif c == "slice":
            t = g.fresh()
            body.append(f"{t} = {cur}[{g.slice_of()}]")
            outs.append(t)
        elif c == "mask" and g.kind != "c":
            t = g.fresh()
            cond = f"{cur} > a" if g.kind != "b" else f"{cur}"
            body.append(f"{t} = {cur}[{cond}]")
            outs.append(t)
            if g.kind != "b":
                outs.append(f"np.sum({t})")
        elif c == "inplace":
            op = r.choice(["+=", "-=", "*="]) if g.kind != "b" else r.choice(["&=", "|=", "^="])
            if r.random() < 0.5:
                body.append(f"{cur} {op} {g.leaf(['a', 'b'])}")
            else:
                body.append(f"{cur}[{g.slice_of()}] {op} 1" if g.kind != "b" else f"{cur} {op} a")
        elif c == "reduce":
            t = g.fresh()
            body.append(f"{t} = {g.reduction(cur, nonempty)}")
            outs.append(t)
        elif c == "where" and g.kind not in "bc":
            t = g.fresh()
            body.append(f"{t} = np.where({cur} > 0, {cur}, 0)")
            cur = t
        elif c == "setslice":
            if g.kind == "b":
                body.append(f"{cur}[{cur}] = False")
            elif g.kind == "c":
                body.append(f"{cur}[{g.slice_of()}] = 0")
            else:
                body.append(f"{cur}[{cur} < 0] = 0" if r.random() < 0.5 else f"{cur}[{g.slice_of()}] = 1")
    outs.append(cur)
    src = "def f(a, b):\n" + "".join(f"    {line}\n" for line in body)
    src += f"    return {', '.join(outs)}" + ("," if len(outs) == 1 else "") + "\n"
    return src, (a, b)


def _close(got, exp, where):
    """None or a description of the difference."""
    if isinstance(exp, tuple):
        if not isinstance(got, tuple) or len(got) != len(exp):
            return f"{where}: expected a {len(exp)}-tuple, got {type(got).__name__}"
        for i, (g, e) in enumerate(zip(got, exp)):
            m = _close(g, e, f"{where}[{i}]")
            if m:
                return m
        return None
    if isinstance(exp, np.ndarray):
        if type(got) is not np.ndarray:
            return f"{where}: expected ndarray {exp.dtype}{exp.shape}, got {type(got).__name__} {got!r}"
        if got.dtype != exp.dtype or got.shape != exp.shape:
            return f"{where}: got {got.dtype}{got.shape}, NumPy gives {exp.dtype}{exp.shape}"
        if exp.dtype.kind in "fc":
            rtol = 1e-5 if exp.dtype in (np.float32, np.complex64) else 1e-10
            with np.errstate(all="ignore"):
                finite = np.isfinite(exp)
                scale = float(np.max(np.abs(exp[finite]))) if finite.any() else 0.0
            try:
                np.testing.assert_allclose(got, exp, rtol=rtol, atol=rtol * scale, equal_nan=True)
            except AssertionError as e:
                return f"{where}: values differ: {str(e).strip()[:600]}"
            return None
        if not np.array_equal(got, exp):
            return f"{where}: got {got.tolist()!r}, NumPy gives {exp.tolist()!r}"
        return None
    return matrix_cases._compare_scalar(got, exp) and f"{where}: " + matrix_cases._compare_scalar(got, exp)


def run_one(fid):
    from dunnart import njit
    src, args = generate(fid)
    ns = {"np": np}
    exec(compile(src, f"<{fid}>", "exec"), ns)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            exp, exp_exc = ns["f"](*[matrix_cases._clone(x) for x in args]), None
        except Exception as e:  # noqa: BLE001
            exp, exp_exc = None, e
        guards = [matrix_cases.guarded(x) for x in args]
        try:
            got, got_exc = njit(ns["f"])(*[g[0] for g in guards]), None
        except Exception as e:  # noqa: BLE001
            got, got_exc = None, e
    for i, (x, buf, pad) in enumerate(guards):
        if not matrix_cases.canaries_intact(buf, pad):
            return "fail", f"HEAP CORRUPTION: wrote outside argument {i}'s memory"
    if exp_exc is not None or got_exc is not None:
        if exp_exc is not None and got_exc is not None and matrix_cases.exception_matches(got_exc, exp_exc):
            return "pass", ""
        e1 = f"raises {type(exp_exc).__name__}: {str(exp_exc)[:200]}" if exp_exc else "returns"
        e2 = f"raises {type(got_exc).__name__}: {str(got_exc).splitlines()[0][:300] if str(got_exc) else ''}" \
            if got_exc else "returns a value"
        return "fail", f"NumPy {e1}; dunnart {e2}"
    m = _close(got, exp, "result")
    return ("pass", "") if m is None else ("fail", m)


def reproducer(fid, detail=""):
    src, args = generate(fid)
    lines = [f"# {fid}: {detail}".replace("\n", " ")[:400], "import numpy as np", "from dunnart import njit", ""]
    lines += ["@njit"] + src.rstrip().splitlines()
    for n, x in zip("ab", args):
        lines.append(f"{n} = np.array({x.tolist()!r}, dtype=np.{x.dtype})")
    lines.append("print('numpy  ', f.py_func(a.copy(), b.copy()))")
    lines.append("print('dunnart', f(a.copy(), b.copy()))")
    return "\n".join(lines) + "\n"


# Functions of other seeds, found by longer runs, that the CI set runs too.
EXTRA_CI_IDS = ["fz2-81"]  # np.square of a complex constant in an array expression: abort


def ci_ids():
    ids = list(EXTRA_CI_IDS)
    for i in range(CI_COUNT):
        fid = f"fz{CI_SEED}-{i}"
        ids.append(fid)
        if rebinds_in_place(generate(fid)[0]):
            ids.append(fid + "/s")
    return ids


def main(argv):
    if "--run" in argv:
        ids = argv[argv.index("--run") + 1:]
        if ids == ["-"]:
            ids = [line.strip() for line in sys.stdin if line.strip()]
        for fid in ids:
            print("START " + fid, flush=True)
            try:
                st, detail = run_one(fid)
            except Exception as e:  # noqa: BLE001
                st, detail = "fail", f"harness: {type(e).__name__}: {e}"[:400]
            print("RESULT " + json.dumps({"id": fid, "status": st, "detail": detail}), flush=True)
        return 0
    if "--show" in argv:
        for fid in argv[argv.index("--show") + 1:]:
            print(reproducer(fid))
        return 0
    minutes = float(argv[argv.index("--minutes") + 1]) if "--minutes" in argv else 10.0
    out = argv[argv.index("--out") + 1] if "--out" in argv else "failures.py"
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else int(time.time()) % 100000 + 100
    from matrix_runner import run_ids
    deadline = time.monotonic() + minutes * 60
    batch, n, failures = 100, 0, 0
    with open(out, "w") as fh:
        fh.write(f"# dunnart fuzz failures (seed {seed}); each block is a self-contained reproducer\n")
        while time.monotonic() < deadline:
            ids = [f"fz{seed}-{i}" for i in range(n, n + batch)]
            n += batch
            res = run_ids(os.path.join(HERE, "fuzz_functions.py"), ids)
            for fid in ids:
                st, detail = res.get(fid, ("crash", "no result"))
                if st != "pass":
                    failures += 1
                    fh.write(f"\n# ---- {st}\n" + reproducer(fid, detail))
            fh.flush()
            print(f"{n} functions, {failures} failing", flush=True)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
