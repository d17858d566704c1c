"""The operator/ufunc test matrix of issue 9: every operator and supported ufunc over every
dtype (pair), operand form (C, F, strided, reversed, broadcast, zero-size, special values,
fused into a larger expression, array-scalar, scalar-array, literals), run under @njit and
under NumPy 2, compared strictly. This module holds no tests; test_matrix_ops.py runs it.

A case is named by its id, which is also all that is needed to rebuild it:

    bin:<op>:<dtype a>,<dtype b>:<form>     a <op> b           (op in BINOPS)
    bin:<op>:<dtype a>,<scalar>:AS          array <op> scalar  (scalar kinds: SCALAR_KINDS)
    bin:<op>:<scalar>,<dtype b>:SA          scalar <op> array
    inp:<op>:<dtype a>,<dtype b or scalar>:<form>   a <op>= b; return a
    un:<op>:<dtype>:<form>                  -a  +a  ~a  abs(a)
    uf:<name>:<dtype>:<form>                np.<name>(a)
    uf2:<name>:<dtype a>,<dtype b or scalar>:<form>  np.<name>(a, b)
    where:-:<dtype a>,<dtype b>:<form>      np.where(a > 0 ..., a, b)
    zdiv:<op>:<dtype a>,<dtype b>:<model>   integer division by zero, error_model=<model>

`python tests/python/matrix_cases.py --run ID [ID ...]` runs cases and prints one
`RESULT {json}` line per case (the test runs it as a child process, see matrix_runner.py);
`--list [--ci]` prints the ids; `--stats` prints how much of the full product the CI
subset covers.

What counts as a match (documented in FAILURES.md too):
  * NumPy returns: dunnart returns an ndarray (a scalar for reductions) of the same dtype and
    shape; values exact, NaN equal to NaN, and the sign of a zero must agree. Tolerances:
    transcendental functions (TRANSCENDENTAL, and complex `/`, abs, sqrt, square) may differ
    by TOL_ULPS units in the last place of the result's precision (float32 and float64: NumPy's
    SIMD kernels and glibc's libmvec are not correctly rounded, and disagree by an ulp);
    reductions (np.sum) may reorder (relative 1e-12 of sum(|x|), 1e-5 for float32).
  * Where NumPy itself warns `overflow` for an element of an integer result (INT_MIN // -1),
    the value of that element is not compared ("warning-worthy value": NumPy's own value is
    an artifact of the C operation); dtype, shape and every other element still are.
  * NumPy raises E: dunnart must raise an exception of E's builtin class (TypeError for
    UFuncTypeError and its casting subclasses, ValueError, OverflowError, ...). Because
    dunnart.TypingError is *not* a TypeError subclass (errors.py: DunnartError(Exception)),
    a TypingError/UnsupportedError counts as a match for NumPy's TypeError (a refusal at
    compile time of a type combination), and for nothing else. InternalError never matches.
  * Integer division by zero: on scalars (NumPy scalars included, the "spython" form)
    dunnart's default error_model="python" raises ZeroDivisionError where NumPy gives 0
    (documented in DESIGN.md): // and % must raise; / must raise ZeroDivisionError or give
    NumPy's inf/nan. Array operations are NumPy's ufuncs under either model (as in Numba):
    the "python" form with arrays compares with NumPy, and so does error_model="numpy".
    The "special" form, whose operands hold zeros, compiles with error_model="numpy" when
    the divisor is an integer or bool array and the operator divides.
  * float16: where NumPy 2 computes a float ufunc of bool/int8/uint8 in float16, dunnart
    gives float32 (README: it has no float16 arithmetic); such a result is compared after
    rounding it to float16, so its values must still be NumPy's.
"""
import json
import math
import sys
import warnings
import zlib

import numpy as np

# ------------------------------------------------------------------ the axes of the matrix

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float32", "float64", "complex64", "complex128"]

BINOPS = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>",
          "<", "<=", "==", "!=", ">", ">="]
INPLACE = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>="]
UNARY = ["-", "+", "~", "abs"]
UFUNCS1 = ["exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sqrt", "cbrt", "square",
           "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "abs",
           "sign", "floor", "ceil", "trunc", "rint", "isnan", "isinf", "isfinite"]
UFUNCS2 = ["arctan2", "power", "maximum", "minimum", "fmax", "fmin", "hypot", "logaddexp"]

# Python scalars (passed as arguments: weak, NEP 50), literals written into the source
# (weak too), and NumPy scalars of every dtype (strong).
PY_SCALARS = {"pyint": 3, "pyneg": -3, "pyfloat": 0.1, "pycomplex": 1.5 - 0.5j, "pybool": True}
LIT_SCALARS = {"litint": "3", "litfloat": "0.1", "litcomplex": "(1.5-0.5j)"}
NP_SCALARS = {"np_" + d: d for d in DTYPES}
SCALAR_KINDS = list(PY_SCALARS) + list(LIT_SCALARS) + list(NP_SCALARS)

ARRAY_FORMS = ["C", "F", "CF", "strided", "rev", "bcast", "empty", "special", "fused", "fsum"]
INPLACE_FORMS = ["C", "F", "strided", "rev", "bcast", "special"]
UNARY_FORMS = ["C", "F", "strided", "rev", "empty", "special", "fused", "fsum"]
UF2_FORMS = ["C", "bcast", "strided", "special", "fused", "AS:pyfloat", "AS:pyint"]

DIVIDING = {"/", "//", "%", "/=", "//=", "%="}
SHIFTS = {"<<", ">>", "<<=", ">>="}
POWERS = {"**", "**=", "power"}
TRANSCENDENTAL = {"exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "cbrt", "sin",
                  "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
                  "arctan2", "hypot", "logaddexp", "power", "**", "**="}
# complex operands: tolerance too (NumPy's own complex `*` differs by an ulp between its
# contiguous SIMD loop and its strided loop, so no exact answer exists)
COMPLEX_INEXACT = {"/", "/=", "*", "*=", "abs", "sqrt", "square"}
# equal zeros of opposite sign: NumPy's SIMD max/min return either one, so the sign of a
# zero result is not compared
SIGNLESS_ZERO = {"maximum", "minimum", "fmax", "fmin"}
TOL_ULPS = 8

# ------------------------------------------------------------------ known failures
# Case ids that fail today, one group per root cause (see FAILURES.md for reproducers).
# test_matrix_ops.py runs them as xfail(strict=True): when a fix lands the test says
# XPASS(strict) and the id must be removed here. Only ids of the CI subset matter to CI,
# but the full-product failures are listed too so that `--full` runs are green.
KNOWN_FAILURES_BY_CAUSE = {}
KNOWN_FAILURES = set()


def _known(cause, ids):
    KNOWN_FAILURES_BY_CAUSE[cause] = set(ids)
    KNOWN_FAILURES.update(ids)


try:  # the lists are long; they live in a data module next to this one
    from matrix_known import KNOWN as _KNOWN_DATA  # noqa: E402
except ImportError:  # pragma: no cover - first run, before the list exists
    _KNOWN_DATA = {}
for _cause, _ids in _KNOWN_DATA.items():
    _known(_cause, _ids)


# ------------------------------------------------------------------ enumeration

def all_cases():
    """Every case id of the full product, in a fixed order."""
    ids = []
    for op in BINOPS:
        for da in DTYPES:
            for db in DTYPES:
                for form in ARRAY_FORMS:
                    ids.append(f"bin:{op}:{da},{db}:{form}")
            for k in SCALAR_KINDS:
                ids.append(f"bin:{op}:{da},{k}:AS")
                if not k.startswith("lit"):
                    ids.append(f"bin:{op}:{k},{da}:SA")
    for op in INPLACE:
        for da in DTYPES:
            for db in DTYPES:
                for form in INPLACE_FORMS:
                    ids.append(f"inp:{op}:{da},{db}:{form}")
            for k in SCALAR_KINDS:
                ids.append(f"inp:{op}:{da},{k}:AS")
    for op in UNARY:
        for d in DTYPES:
            for form in UNARY_FORMS:
                ids.append(f"un:{op}:{d}:{form}")
    for name in UFUNCS1:
        for d in DTYPES:
            for form in UNARY_FORMS:
                ids.append(f"uf:{name}:{d}:{form}")
    for name in UFUNCS2:
        for da in DTYPES:
            for db in DTYPES:
                for form in UF2_FORMS:
                    if form.startswith("AS:"):
                        if db == da:  # one scalar case per array dtype
                            ids.append(f"uf2:{name}:{da},{form[3:]}:AS")
                    else:
                        ids.append(f"uf2:{name}:{da},{db}:{form}")
    for da in DTYPES:
        for db in DTYPES:
            ids.append(f"where:-:{da},{db}:C")
    ints = [d for d in DTYPES if d[0] in "biu"]
    for op in ["/", "//", "%", "//=", "%="]:
        for da in ints:
            for db in ints:
                for model in ("numpy", "python", "snumpy", "spython"):
                    if model[0] == "s" and op.endswith("="):
                        continue  # in-place needs an array
                    ids.append(f"zdiv:{op}:{da},{db}:{model}")
    return ids


# The CI subset: a stable sample (by a hash of the id, so adding cases does not reshuffle
# it) at a rate per family, plus every known failure (so a fix is noticed).
CI_RATE = {"bin": 0.035, "inp": 0.04, "un": 0.5, "uf": 0.12, "uf2": 0.04, "where": 0.25,
           "zdiv": 0.2}
SEED = 9


def _hash01(case_id):
    return (zlib.crc32(f"{SEED}:{case_id}".encode()) & 0xFFFFFFFF) / 2**32


def ci_cases():
    out = []
    for cid in all_cases():
        fam = cid.split(":", 1)[0]
        if cid in KNOWN_FAILURES or _hash01(cid) < CI_RATE[fam]:
            out.append(cid)
    return out


# Every operator over every dtype pair in every form is too slow for CI (a compile costs
# 20-50 ms); the sample still holds each of the 169 dtype pairs for some array-array binary
# operator (test_matrix_covers_every_dtype_pair checks it).


# ------------------------------------------------------------------ building one case

def parse(case_id):
    fam, op, types, form = case_id.split(":")
    return fam, op, types.split(","), form


def _rng(case_id):
    return np.random.default_rng(zlib.crc32(case_id.encode()))


def _special_values(dt):
    dt = np.dtype(dt)
    if dt.kind == "b":
        return [False, True]
    if dt.kind == "i":
        info = np.iinfo(dt)
        return [0, 1, -1, 2, -3, 7, info.min, info.max]
    if dt.kind == "u":
        info = np.iinfo(dt)
        return [0, 1, 2, 7, info.max - 1, info.max]
    if dt.kind == "f":
        big = 3e38 if dt == np.float32 else 1e300
        tiny = float(np.finfo(dt).smallest_subnormal)
        return [0.0, -0.0, 1.0, -1.0, 0.1, 2.5, -7.0, big, tiny, math.inf, -math.inf, math.nan]
    re = [0.0, -1.0, 0.1, math.inf, math.nan]
    return [complex(r, i) for r in re for i in (0.0, 2.5, -math.inf)][:14]


def _draw(dt, shape, rng, role, op):
    """Ordinary random values; divisors of integer kind are non-zero, integer exponents are
    0..7 and shift counts 0..7 (special values live in the "special" form)."""
    dt = np.dtype(dt)
    n = int(np.prod(shape)) if shape else 1
    if dt.kind == "b":
        v = rng.random(n) < 0.5
        if role == "rhs" and op in DIVIDING:
            v[:] = True
    elif dt.kind in "iu":
        if role == "rhs" and (op in POWERS or op in SHIFTS):
            v = rng.integers(0, 8, n)
        else:
            lo = 0 if dt.kind == "u" else -20
            v = rng.integers(lo, 21, n)
            if role == "rhs" and op in DIVIDING:
                v[v == 0] = 3
        v = v.astype(dt)
    elif dt.kind == "f":
        v = rng.uniform(-3, 3, n).astype(dt)
    else:
        v = (rng.uniform(-3, 3, n) + 1j * rng.uniform(-3, 3, n)).astype(dt)
    return v.reshape(shape)


def _layout(v, layout):
    if layout == "C":
        return np.ascontiguousarray(v)
    if layout == "F":
        return np.asfortranarray(v)
    if layout == "strided":  # every other element of a twice-as-long base
        base = np.empty((v.shape[0] * 2,) + v.shape[1:], v.dtype)
        base[::2] = v
        base[1::2] = v
        return base[::2]
    if layout == "rev":
        return np.ascontiguousarray(v)[::-1]
    raise ValueError(layout)


def _array(dt, shape, layout, rng, role, op):
    return _layout(_draw(dt, shape, rng, role, op), layout)


FORM_SHAPES = {  # (shape of a, layout of a, shape of b, layout of b)
    "C": ((3, 4), "C", (3, 4), "C"),
    "F": ((3, 4), "F", (3, 4), "F"),
    "CF": ((3, 4), "C", (3, 4), "F"),
    "strided": ((7,), "strided", (7,), "strided"),
    "rev": ((7,), "rev", (7,), "C"),
    "bcast": ((3, 1), "C", (4,), "C"),
    "empty": ((0, 4), "C", (4,), "C"),
    "fused": ((3, 4), "C", (4,), "C"),
    "fsum": ((3, 4), "C", (3, 4), "C"),
}
INPLACE_SHAPES = {
    "C": ((3, 4), "C", (3, 4), "C"),
    "F": ((3, 4), "F", (3, 4), "F"),
    "strided": ((7,), "strided", (7,), "strided"),
    "rev": ((7,), "rev", (7,), "C"),
    "bcast": ((3, 4), "C", (4,), "C"),
    "AS": ((3, 4), "C", None, None),
}


def _scalar(kind):
    if kind in PY_SCALARS:
        return PY_SCALARS[kind]
    d = NP_SCALARS[kind]
    v = {"b": True, "i": 3, "u": 3, "f": 0.1, "c": 1.5 - 0.5j}[np.dtype(d).kind]
    return np.dtype(d).type(v)


class Built:
    """Source text of the function, its arguments and how to compile it."""

    def __init__(self, src, args, options=None, reduction=False):
        self.src, self.args, self.options, self.reduction = src, args, options or {}, reduction


def _pair_special(da, db):
    va, vb = _special_values(da), _special_values(db)
    a = np.array([x for x in va for _ in vb], dtype=da)
    b = np.array([y for _ in va for y in vb], dtype=db)
    return a, b


def _binary_expr(fam, op, x, y):
    if fam in ("bin",):
        return f"{x} {op} {y}"
    return f"np.{op}({x}, {y})"


def build(case_id):
    fam, op, types, form = parse(case_id)
    rng = _rng(case_id)
    opts = {}
    if fam in ("bin", "uf2"):
        da, db = types
        if form in ("AS", "SA"):
            kind, dt = (db, da) if form == "AS" else (da, db)
            arr = _array(dt, (3, 4), "C", rng, "lhs" if form == "AS" else "rhs", op)
            if kind in LIT_SCALARS:
                e = _binary_expr(fam, op, "a", LIT_SCALARS[kind])
                return Built(f"def f(a):\n    return {e}\n", (arr,))
            s = _scalar(kind)
            e = _binary_expr(fam, op, "a", "s") if form == "AS" else _binary_expr(fam, op, "s", "a")
            return Built(f"def f(a, s):\n    return {e}\n", (arr, s))
        if form == "special":
            a, b = _pair_special(da, db)
            if op in DIVIDING and np.dtype(db).kind in "biu":
                opts["error_model"] = "numpy"
            return Built(f"def f(a, b):\n    return {_binary_expr(fam, op, 'a', 'b')}\n", (a, b), opts)
        sa, la, sb, lb = FORM_SHAPES[form]
        a = _array(da, sa, la, rng, "lhs", op)
        b = _array(db, sb, lb, rng, "rhs", op)
        e = _binary_expr(fam, op, "a", "b")
        if form == "fused":
            e = f"({e}) + a"
        if form == "fsum":
            return Built(f"def f(a, b):\n    return np.sum({e})\n", (a, b), reduction=True)
        return Built(f"def f(a, b):\n    return {e}\n", (a, b))
    if fam == "inp":
        da, db = types
        if form == "special":
            a, b = _pair_special(da, db)
            if op in DIVIDING and np.dtype(db).kind in "biu":
                opts["error_model"] = "numpy"
            return Built(f"def f(a, b):\n    a {op} b\n    return a\n", (a, b), opts)
        sa, la, sb, lb = INPLACE_SHAPES[form]
        a = _array(da, sa, la, rng, "lhs", op)
        if form == "AS":
            if db in LIT_SCALARS:
                return Built(f"def f(a):\n    a {op} {LIT_SCALARS[db]}\n    return a\n", (a,))
            return Built(f"def f(a, s):\n    a {op} s\n    return a\n", (a, _scalar(db)))
        b = _array(db, sb, lb, rng, "rhs", op)
        return Built(f"def f(a, b):\n    a {op} b\n    return a\n", (a, b))
    if fam in ("un", "uf"):
        (d,) = types
        e = {"-": "-a", "+": "+a", "~": "~a", "abs": "abs(a)"}[op] if fam == "un" else f"np.{op}(a)"
        if form == "special":
            a = np.array(_special_values(d), dtype=d)
            return Built(f"def f(a):\n    return {e}\n", (a,))
        if form == "fused":  # the operation inside a larger elementwise expression
            a = _array(d, (3, 4), "C", rng, "lhs", op)
            inner = f"np.{op}(a * a + 1)" if fam == "uf" else e
            return Built(f"def f(a):\n    return {inner} + a\n", (a,))
        if form == "fsum":
            a = _array(d, (3, 4), "C", rng, "lhs", op)
            return Built(f"def f(a):\n    return np.sum({e})\n", (a,), reduction=True)
        shape, layout = {"C": ((3, 4), "C"), "F": ((3, 4), "F"), "strided": ((7,), "strided"),
                         "rev": ((7,), "rev"), "empty": ((0, 3), "C")}[form]
        a = _array(d, shape, layout, rng, "lhs", op)
        return Built(f"def f(a):\n    return {e}\n", (a,))
    if fam == "where":
        da, db = types
        a = _array(da, (3, 4), "C", rng, "lhs", op)
        b = _array(db, (4,), "C", rng, "rhs", op)
        c = rng.random((3, 4)) < 0.5
        return Built("def f(c, a, b):\n    return np.where(c, a, b)\n", (c, a, b))
    if fam == "zdiv":
        da, db = types
        a = np.array([7, -7, 0, 1, 5, 3], dtype=np.int64).astype(da) if da != "bool" else \
            np.array([True, False, True, True, False, True])
        b = np.array([0, 0, 0, 1, 2, 0]).astype(db)
        opts["error_model"] = form.lstrip("s")
        if form[0] == "s":  # NumPy scalars: 7 <op> 0
            return Built(f"def f(a, b):\n    return a {op} b\n",
                         (np.dtype(da).type(7 if da != "bool" else True), np.dtype(db).type(0)), opts,
                         reduction=True)
        if op.endswith("="):
            return Built(f"def f(a, b):\n    a {op} b\n    return a\n", (a, b), opts)
        return Built(f"def f(a, b):\n    return a {op} b\n", (a, b), opts)
    raise ValueError(case_id)


# ------------------------------------------------------------------ comparing

def _clone(x):
    if isinstance(x, np.ndarray):
        return x.copy(order="K")
    return x


def numpy_reference(built):
    """(result or None, exception or None, warnings seen) of NumPy on copies of the args."""
    ns = {"np": np}
    exec(built.src, ns)
    args = tuple(_clone(a) for a in built.args)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            return ns["f"](*args), None, [str(w.message) for w in seen]
        except Exception as e:  # noqa: BLE001 - the class is what we compare
            return None, e, [str(w.message) for w in seen]


def _as_float_view(x):
    x = np.asarray(x)
    if x.dtype.kind == "c":
        return np.concatenate([x.real.ravel(), x.imag.ravel()])
    return x.ravel()


def _ulp_close(got, exp, ulps):
    """Elementwise |got-exp| <= ulps * spacing(|exp|) (complex: of |exp|), NaN==NaN,
    infinities equal. Returns the mask of bad elements."""
    g = np.asarray(got)
    e = np.asarray(exp)
    if e.dtype.kind == "c":
        fdt = np.float32 if e.dtype == np.complex64 else np.float64
        mag = np.abs(e).astype(fdt)
        scale = np.spacing(np.where(np.isfinite(mag), mag, 0).astype(fdt)) * ulps
        with np.errstate(all="ignore"):
            diff = np.abs(g.astype(np.complex128) - e.astype(np.complex128))
        bad = ~(diff <= scale)
        both_special = ~np.isfinite(e) | ~np.isfinite(g)
        same_special = _exact_mask(g.real, e.real) & _exact_mask(g.imag, e.imag)
        bad = np.where(both_special, ~same_special, bad)
        return bad
    with np.errstate(all="ignore"):
        scale = np.spacing(np.abs(e).astype(e.dtype)) * ulps
        diff = np.abs(g.astype(np.float64) - e.astype(np.float64))
    ok = (diff <= scale) | _exact_mask(g, e)
    return ~ok


def _exact_mask(g, e):
    """Elementwise equality with NaN == NaN and the sign of zero compared."""
    g = np.asarray(g)
    e = np.asarray(e)
    if e.dtype.kind == "c":
        return _exact_mask(g.real, e.real) & _exact_mask(g.imag, e.imag)
    if e.dtype.kind == "f":
        return ((g == e) & (np.signbit(g) == np.signbit(e))) | (np.isnan(g) & np.isnan(e))
    return g == e


def _overflow_elements(built, expected):
    """Mask of elements whose NumPy evaluation alone warns 'overflow' (integer results)."""
    ns = {"np": np}
    exec(built.src, ns)
    bshape = np.broadcast_shapes(*[np.shape(a) for a in built.args if isinstance(a, np.ndarray)])
    bargs = [np.broadcast_to(a, bshape) if isinstance(a, np.ndarray) else a for a in built.args]
    mask = np.zeros(bshape, bool)
    for idx in np.ndindex(bshape):
        one = [np.array([a[idx]]) if isinstance(a, np.ndarray) else a for a in bargs]
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                ns["f"](*one)
            except Exception:  # noqa: BLE001
                pass
        mask[idx] = any("overflow" in str(w.message) for w in seen)
    return mask


def exception_matches(got, expected):
    from dunnart import InternalError, TypingError
    if isinstance(got, InternalError):
        return False
    if isinstance(expected, TypeError) and isinstance(got, TypingError):
        return True
    for base in (TypeError, ValueError, OverflowError, ZeroDivisionError, IndexError):
        if isinstance(expected, base):
            return isinstance(got, base) and not isinstance(got, TypingError)
    return type(got) is type(expected)


def _describe(x):
    if isinstance(x, np.ndarray):
        r = np.array2string(x.ravel()[:24], precision=17, separator=", ", threshold=40)
        return f"array(dtype={x.dtype}, shape={x.shape}) {r}"
    return f"{type(x).__name__} {x!r}"


def compare(case_id, built, got, got_exc, exp, exp_exc, exp_warn):
    """None when dunnart's outcome matches NumPy's, else a one-paragraph description."""
    fam, op, types, form = parse(case_id)
    if fam == "zdiv" and form == "spython" and exp_exc is None:
        want = ZeroDivisionError
        if op in ("//", "%", "//=", "%="):
            if isinstance(got_exc, want):
                return None
            return f"error_model='python': expected ZeroDivisionError, got " + (
                f"{type(got_exc).__name__}: {got_exc}" if got_exc else _describe(got))
        if isinstance(got_exc, want):
            return None  # `/` raising like Python is fine; else compare with NumPy below
    if exp_exc is not None:
        if got_exc is not None:
            if exception_matches(got_exc, exp_exc):
                return None
            return (f"NumPy raises {type(exp_exc).__name__}: {str(exp_exc)[:160]}; dunnart raises "
                    f"{type(got_exc).__name__}: {str(got_exc).splitlines()[0][:200]}")
        return f"NumPy raises {type(exp_exc).__name__}: {str(exp_exc)[:160]}; dunnart returns {_describe(got)}"
    if got_exc is not None:
        first = str(got_exc).splitlines()[0][:240] if str(got_exc) else ""
        return f"NumPy returns {_describe(exp)}; dunnart raises {type(got_exc).__name__}: {first}"
    if built.reduction:
        return _compare_scalar(got, exp)
    if type(got) is not np.ndarray:
        return f"expected ndarray {_describe(exp)}, got {_describe(got)}"
    if exp.dtype == np.float16 and got.dtype == np.float32:
        # The documented float16 difference (module docstring): NumPy rounds every
        # intermediate to float16, dunnart only the result here, so a few float16 ulps apart.
        with np.errstate(all="ignore"):
            close = np.isclose(got.astype(np.float64), exp.astype(np.float64), rtol=4e-3, atol=1e-3,
                               equal_nan=True)
        return None if close.all() else f"{int(np.sum(~close))}/{exp.size} values differ beyond float16 rounding"
    if got.dtype != exp.dtype:
        return f"dtype {got.dtype}, NumPy gives {exp.dtype} (got {_describe(got)})"
    if got.shape != exp.shape:
        return f"shape {got.shape}, NumPy gives {exp.shape}"
    if exp.size == 0:
        return None
    cplx_in = any(np.asarray(a).dtype.kind == "c" for a in built.args)
    tol = op in TRANSCENDENTAL or ((exp.dtype.kind == "c" or cplx_in) and op in COMPLEX_INEXACT)
    if tol and exp.dtype.kind in "fc":
        if form == "fused":
            # f(x) + a cancels: the ulp of f(x) is measured against the largest value seen
            big = max(float(np.max(np.abs(exp[np.isfinite(exp)]), initial=0)),
                      float(np.max(np.abs(built.args[0]), initial=0)))
            with np.errstate(all="ignore"):
                diff = np.abs(got.astype(np.complex128) - exp.astype(np.complex128))
            bad = ~(_exact_mask(got, exp) | (diff <= TOL_ULPS * np.spacing(exp.real.dtype.type(big))))
        else:
            bad = _ulp_close(got, exp, TOL_ULPS)
    elif op in SIGNLESS_ZERO and exp.dtype.kind == "f":
        bad = ~(_exact_mask(got, exp) | ((got == 0) & (exp == 0)))
    else:
        bad = ~_exact_mask(got, exp)
    if bad.any() and exp.dtype.kind in "iu" and any("overflow" in w for w in exp_warn):
        bad &= ~_overflow_elements(built, exp).reshape(bad.shape)
    if not bad.any():
        return None
    idx = np.argwhere(np.asarray(bad).reshape(exp.shape))[:4]
    parts = []
    bargs = [np.broadcast_to(a, exp.shape) if isinstance(a, np.ndarray) else a for a in built.args]
    for i in idx:
        i = tuple(i)
        ins = ", ".join(repr(a[i].item()) if isinstance(a, np.ndarray) else repr(a) for a in bargs)
        parts.append(f"at {i} inputs ({ins}): got {got[i]!r}, NumPy {exp[i]!r}")
    return f"{int(np.sum(bad))}/{exp.size} values differ; " + "; ".join(parts)


def _compare_scalar(got, exp):
    if isinstance(got, np.ndarray):
        return f"expected a scalar {exp!r}, got {_describe(got)}"
    edt = np.asarray(exp).dtype
    if edt == np.float16 and isinstance(got, (float, np.float32)):
        # The documented float16 difference; NumPy also sums in float16.
        ok = math.isclose(float(got), float(exp), rel_tol=1e-2, abs_tol=1e-3) or (math.isnan(float(got)) and
                                                                           math.isnan(float(exp)))
        return None if ok else f"got {got!r}, NumPy gives {exp!r} (beyond float16 rounding)"
    if isinstance(got, np.generic):
        if got.dtype != edt:
            return f"scalar dtype {got.dtype}, NumPy gives {edt} ({got!r} vs {exp!r})"
    elif isinstance(got, bool):
        if edt.kind != "b":
            return f"got bool {got!r}, NumPy gives {edt} {exp!r}"
    elif isinstance(got, int):
        if edt.kind not in "iu":
            return f"got int {got!r}, NumPy gives {edt} {exp!r}"
    elif isinstance(got, float):
        if edt != np.float64:
            return f"got float {got!r}, NumPy gives {edt} {exp!r}"
    elif isinstance(got, complex):
        if edt != np.complex128:
            return f"got complex {got!r}, NumPy gives {edt} {exp!r}"
    else:
        return f"got {type(got).__name__} {got!r}, NumPy gives {edt} {exp!r}"
    if edt.kind in "biu":
        return None if int(got) == int(exp) else f"got {got!r}, NumPy gives {exp!r}"
    g, e = complex(got), complex(exp)
    if (math.isnan(e.real) or math.isnan(e.imag)) and (math.isnan(g.real) or math.isnan(g.imag)):
        return None
    if g == e:
        return None
    rel = 1e-5 if edt in (np.float32, np.complex64) else 1e-12
    if abs(g - e) <= rel * max(abs(e), 1.0):
        return None
    return f"got {got!r}, NumPy gives {exp!r}"


# ------------------------------------------------------------------ running

_JITTED = {}  # (source, options) -> dispatcher, reused across dtype signatures


def jitted(src, options):
    from dunnart import njit
    key = (src, tuple(sorted(options.items())))
    f = _JITTED.get(key)
    if f is None:
        ns = {"np": np}
        exec(compile(src, "<matrix>", "exec"), ns)
        f = njit(**options)(ns["f"])
        _JITTED[key] = f
    return f


CANARY = 0xA5


def guarded(x):
    """A copy of the array x (same shape, dtype, strides: same layout) whose memory sits in
    the middle of a bigger buffer filled with CANARY bytes, so that a write outside the
    array (a store of 8-byte elements into a 4-byte array) is seen instead of corrupting
    the heap. Returns (copy, buffer, pad)."""
    if not isinstance(x, np.ndarray):
        return x, None, 0
    from numpy.lib.array_utils import byte_bounds
    lo, hi = byte_bounds(x)
    extent = max(hi - lo, 0)
    pad = 8 * extent + 256
    buf = np.full(extent + 2 * pad, CANARY, np.uint8)
    start = x.__array_interface__["data"][0] - lo  # offset of element 0 from the lowest byte
    y = np.ndarray(x.shape, x.dtype, buffer=buf, offset=pad + start, strides=x.strides)
    y[...] = x
    return y, buf, pad


def canaries_intact(buf, pad):
    return buf is None or (np.all(buf[:pad] == CANARY) and np.all(buf[len(buf) - pad:] == CANARY))


def run_case(case_id):
    """(status, detail) with status 'pass' or 'fail'."""
    built = build(case_id)
    exp, exp_exc, exp_warn = numpy_reference(built)
    f = jitted(built.src, built.options)
    guards = [guarded(a) for a in built.args]
    args = tuple(g[0] for g in guards)
    got = got_exc = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = f(*args)
    except Exception as e:  # noqa: BLE001
        got_exc = e
    msg = compare(case_id, built, got, got_exc, exp, exp_exc, exp_warn)
    for i, (_, buf, pad) in enumerate(guards):
        if not canaries_intact(buf, pad):
            n = int(np.sum(buf[:pad] != CANARY) + np.sum(buf[len(buf) - pad:] != CANARY))
            return "fail", (f"HEAP CORRUPTION: wrote outside argument {i}'s memory ({n} bytes around "
                            f"it changed); " + (msg or "the values are otherwise NumPy's"))
    return ("pass", "") if msg is None else ("fail", msg)


def reproducer(case_id):
    """A self-contained script that shows one case's mismatch."""
    b = build(case_id)
    lines = ["import numpy as np", "from dunnart import njit", ""]
    opts = ", ".join(f"{k}={v!r}" for k, v in b.options.items())
    lines.append(f"@njit({opts})" if opts else "@njit")
    lines.extend(b.src.rstrip().splitlines())
    names = []
    for i, a in enumerate(b.args):
        n = "abcs"[i] if i < 4 else f"x{i}"
        names.append(n)
        if isinstance(a, np.ndarray):
            lines.append(f"{n} = np.array({a.tolist()!r}, dtype=np.{a.dtype})")
        elif isinstance(a, np.generic):
            lines.append(f"{n} = np.{a.dtype}({a.item()!r})")
        else:
            lines.append(f"{n} = {a!r}")
    call = ", ".join(names)
    lines.append(f"print(f.py_func({call}))")
    lines.append(f"print(f({call}))")
    return "\n".join(lines) + "\n"


def stats():
    full = all_cases()
    ci = ci_cases()
    fams = {}
    for cid in full:
        fams.setdefault(cid.split(":")[0], [0, 0])[0] += 1
    for cid in ci:
        fams[cid.split(":")[0]][1] += 1
    pairs_bin = {tuple(parse(c)[2]) for c in ci if c.startswith("bin:") and parse(c)[3] not in ("AS", "SA")}
    return full, ci, fams, pairs_bin


def main(argv):
    if "--stats" in argv:
        full, ci, fams, pairs = stats()
        print(f"full product {len(full)} cases, CI subset {len(ci)} ({100 * len(ci) / len(full):.1f}%)")
        for fam, (n, k) in fams.items():
            print(f"  {fam:6s} {k:5d} of {n:6d} ({100 * k / n:.1f}%)")
        print(f"  array-array dtype pairs of binary operators in CI: {len(pairs)} of {len(DTYPES) ** 2}")
        return 0
    if "--list" in argv:
        for cid in (ci_cases() if "--ci" in argv else all_cases()):
            print(cid)
        return 0
    if "--repro" in argv:
        for cid in argv[argv.index("--repro") + 1:]:
            print(f"# {cid}\n" + reproducer(cid))
        return 0
    if "--run" in argv:
        ids = argv[argv.index("--run") + 1:]
        if ids == ["-"]:
            ids = [line.strip() for line in sys.stdin if line.strip()]
        for cid in ids:
            print("START " + cid, flush=True)
            try:
                status, detail = run_case(cid)
            except Exception as e:  # noqa: BLE001 - a harness bug or a dunnart bug: report it
                import traceback
                status, detail = "fail", "harness: " + "".join(
                    traceback.format_exception_only(type(e), e)).strip()[:400]
            print("RESULT " + json.dumps({"id": cid, "status": status, "detail": detail}), flush=True)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
