"""DUNNART_DUMP=<pass>: the IR after any pass of the pipeline, for the entry function and
every jitted function it calls, each under `---- <pass>: <function> ----`, so that a script
can cut a dump into functions. Every case is a fresh interpreter."""
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON_DIR = str(Path(__file__).resolve().parents[2] / "python")

PASSES = ("build_ir", "infer_types", "fuse_array_exprs", "apply_error_model", "free_temporaries",
          "outline_array_statements", "lower_array_loops", "reduce_powers")

PROGRAM = """
    import numpy as np
    import dunnart

    @dunnart.njit
    def g(x):
        return x * 2.0

    @dunnart.njit
    def f(a):
        return g(a[0]) + np.sum(a * 2.0)

    print("RESULT", f(np.ones(4)))
"""


def run(code, dump):
    e = dict(os.environ)
    e["PYTHONPATH"] = PYTHON_DIR + os.pathsep + e.get("PYTHONPATH", "")
    e["DUNNART_DUMP"] = dump
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                       env=e, timeout=120)
    assert p.returncode == 0, p.stderr
    return p


def headers(stderr):
    return re.findall(r"^---- (\S+): (\S+) ----$", stderr, re.M)


def test_every_pass_dumps_every_function():
    p = run(PROGRAM, ",".join(PASSES))
    assert "RESULT 10.0" in p.stdout
    got = headers(p.stderr)
    for name in PASSES:
        assert (name, "f") in got and (name, "g") in got, got
    # Per function, the passes in pipeline order; the callee is typed while f is.
    for fn in ("f", "g"):
        assert [s for s, f in got if f == fn] == list(PASSES)
    assert got.index(("infer_types", "g")) < got.index(("infer_types", "f"))


def test_lowered_dump_holds_the_loops():
    # After lower_array_loops the array code is IR: the sum's loop, its stack slot and the
    # runtime's pairwise combination are instructions of f.
    p = run(PROGRAM, "lower_array_loops")
    f = re.split(r"^---- lower_array_loops: f ----\n", p.stderr, flags=re.M)[1]
    for op in ("phi", "load", "stack_slot", 'call_runtime', "array_data"):
        assert op in f, f


def test_a_dump_cuts_into_functions():
    p = run(PROGRAM, "free_temporaries")
    parts = re.split(r"^---- free_temporaries: \S+ ----\n", p.stderr, flags=re.M)[1:]
    assert len(parts) == 2
    for text in parts:
        assert text.startswith("function dn_") and text.rstrip().endswith("}")


def test_all_dumps_the_passes_and_the_stages():
    p = run(PROGRAM, "all")
    stages = {s for s, _ in headers(p.stderr)}
    assert stages >= set(PASSES) | {"ir", "typed", "lower_to_llvm", "llvm", "asm", "timing"}


def test_the_stage_dumps_are_as_before():
    # ir: the entry function as the frontend built it; typed: every function of the
    # compilation after the passes, under the entry's name.
    p = run(PROGRAM, "ir,typed")
    assert headers(p.stderr) == [("ir", "f"), ("typed", "f")]
    typed = p.stderr.split("---- typed: f ----\n", 1)[1]
    assert typed.count("function dn_") == 2
