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
    if fid in fuzz_functions.KNOWN_FAILURES:
        return pytest.param(fid, id=fid, marks=pytest.mark.xfail(strict=True, reason="known: see matrix_known.py"))
    return pytest.param(fid, id=fid)


@pytest.mark.parametrize("fid", [_param(i) for i in IDS])
def test_fuzz(fid, outcomes):
    status, detail = outcomes.get(fid, ("crash", "no result from the child process"))
    assert status == "pass", f"{fid}: {status}: {detail}\n\n{fuzz_functions.reproducer(fid)}"


def test_no_crash_blamed_on_an_innocent_function(outcomes):
    # a child that died after a function that is fine alone: an earlier function corrupted
    # memory without touching its arguments' canaries
    assert "__unattributed__" not in outcomes, outcomes.get("__unattributed__")
