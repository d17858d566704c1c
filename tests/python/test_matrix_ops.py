"""Issue 9, part 1: the operator/ufunc matrix (matrix_cases.py) under @njit against NumPy 2.

Every case of the CI subset (a fixed, hashed sample of the full product, plus every known
failure) is one test. The cases run in child processes (matrix_runner.py: a crash fails
one case, not pytest), started once for the module; each test then looks its outcome up.
Known failures (matrix_cases.KNOWN_FAILURES, one group per root cause) are
xfail(strict=True): when a fix makes one pass, remove its id from matrix_known.py.

DUNNART_MATRIX=full runs the whole product (about 66,000 cases; half an hour) instead.
"""
import os
from pathlib import Path

import pytest

import matrix_cases
from matrix_runner import run_ids

SCRIPT = Path(__file__).resolve().parent / "matrix_cases.py"
CASES = matrix_cases.all_cases() if os.environ.get("DUNNART_MATRIX") == "full" else matrix_cases.ci_cases()

_outcomes = {}


@pytest.fixture(scope="module")
def outcomes():
    if not _outcomes:
        _outcomes.update(run_ids(SCRIPT, CASES))
    return _outcomes


def _param(cid):
    if cid in matrix_cases.KNOWN_FAILURES:
        return pytest.param(cid, id=cid, marks=pytest.mark.xfail(strict=True, reason="known: see matrix_known.py"))
    return pytest.param(cid, id=cid)


@pytest.mark.parametrize("case_id", [_param(c) for c in CASES])
def test_matrix(case_id, outcomes):
    status, detail = outcomes.get(case_id, ("crash", "no result from the child process"))
    assert status == "pass", f"{case_id}: {status}: {detail}\n\nreproducer:\n{matrix_cases.reproducer(case_id)}"


@pytest.mark.xfail("inplace_wide_store" in matrix_cases.KNOWN_FAILURES_BY_CAUSE, strict=False,
                   reason="the out-of-bounds stores of in-place operators corrupt the heap; the canaries "
                          "catch them, but a later case of the same child may still die of it")
def test_no_crash_blamed_on_an_innocent_case(outcomes):
    # a child that died at a case that is fine alone: an earlier case corrupted memory
    assert "__unattributed__" not in outcomes, outcomes.get("__unattributed__")


def test_matrix_covers_every_dtype_pair():
    _, ci, _, pairs = matrix_cases.stats()
    assert len(pairs) == len(matrix_cases.DTYPES) ** 2
