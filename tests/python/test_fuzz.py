"""Issue 9, part 2: differential fuzzing of whole functions (fuzz_functions.py). The CI set
is CI_COUNT functions of a fixed seed; each runs under @njit and under NumPy in a child
process (matrix_runner.py) and is one test. Known failures (fuzz_functions.KNOWN_FAILURES,
from matrix_known.FUZZ_KNOWN) are xfail(strict=True).

A longer run: `python tests/python/fuzz_functions.py --minutes 10 --out failures.py`."""
from pathlib import Path

import pytest

import fuzz_functions
from matrix_runner import run_ids

SCRIPT = Path(__file__).resolve().parent / "fuzz_functions.py"
IDS = fuzz_functions.ci_ids()
_outcomes = {}


@pytest.fixture(scope="module")
def outcomes():
    if not _outcomes:
        _outcomes.update(run_ids(SCRIPT, IDS))
    return _outcomes


def _param(fid):
    if fid in fuzz_functions.NONDETERMINISTIC:
        return pytest.param(fid, id=fid, marks=pytest.mark.xfail(
            strict=False, reason="use-after-free: fails or passes by chance (matrix_known.py)"))
    if fid in fuzz_functions.KNOWN_FAILURES:
        return pytest.param(fid, id=fid, marks=pytest.mark.xfail(strict=True, reason="known: see matrix_known.py"))
    return pytest.param(fid, id=fid)


@pytest.mark.parametrize("fid", [_param(i) for i in IDS])
def test_fuzz(fid, outcomes):
    status, detail = outcomes.get(fid, ("crash", "no result from the child process"))
    assert status == "pass", f"{fid}: {status}: {detail}\n\n{fuzz_functions.reproducer(fid)}"


@pytest.mark.xfail("inplace_on_local_array_use_after_free" in fuzz_functions.FUZZ_KNOWN, strict=False,
                   reason="the use-after-free of in-place updates corrupts the heap; a later function "
                          "of the same child may die of it (which one depends on the order)")
def test_no_crash_blamed_on_an_innocent_function(outcomes):
    # a child that died after a function that is fine alone: an earlier function corrupted
    # memory without touching its arguments' canaries
    assert "__unattributed__" not in outcomes, outcomes.get("__unattributed__")


USE_AFTER_FREE = """
import numpy as np
from dunnart import njit

@njit
def f(a):
    t = a * 2.0
    t += 3
    return t

for _ in range(3):
    r = f(np.arange(6.0))
    assert r.tolist() == [3.0, 5.0, 7.0, 9.0, 11.0, 13.0], r
print("OK")
"""


@pytest.mark.xfail("inplace_on_local_array_use_after_free" in fuzz_functions.FUZZ_KNOWN, strict=True,
                   reason="known: in-place update of a local array frees it (matrix_known.py)")
def test_use_after_free_sentinel():
    import subprocess
    import sys
    from jitcheck import subprocess_env
    p = subprocess.run([sys.executable, "-c", USE_AFTER_FREE], capture_output=True, text=True,
                       timeout=120, env=subprocess_env())
    assert p.returncode == 0 and "OK" in p.stdout, p.stdout + p.stderr[-2000:]
