"""Issue 9, part 3: the suite's jitted functions called with hostile arguments; no internal
exception may escape (hostile_matrix.py says precisely what counts, from the traceback).
Each function runs in a child process (matrix_runner.py), so a crash fails one test.
Known failures (hostile_matrix.KNOWN_FAILURES, from matrix_known.HOSTILE_KNOWN) are
xfail(strict=True)."""
import os
from pathlib import Path

import pytest

import hostile_matrix
from matrix_runner import run_ids

SCRIPT = Path(__file__).resolve().parent / "hostile_matrix.py"
IDS = hostile_matrix.all_ids() if os.environ.get("DUNNART_MATRIX") == "full" else hostile_matrix.ci_ids()
_outcomes = {}


@pytest.fixture(scope="module")
def outcomes():
    if not _outcomes:
        _outcomes.update(run_ids(SCRIPT, IDS, per_case_timeout=300))
    return _outcomes


def _param(fid):
    if fid in hostile_matrix.KNOWN_FAILURES:
        return pytest.param(fid, id=fid, marks=pytest.mark.xfail(strict=True, reason="known: see matrix_known.py"))
    return pytest.param(fid, id=fid)


@pytest.mark.parametrize("fid", [_param(i) for i in IDS])
def test_no_internal_exception_escapes(fid, outcomes):
    status, detail = outcomes.get(fid, ("crash", "no result from the child process"))
    assert status == "pass", f"{fid}: {status}: {detail}"


def test_the_verdict_reads_tracebacks():
    import numpy as np
    from dunnart import InternalError, TypingError, njit

    @njit
    def amax(a):
        return a.max()

    def outcome(*args):
        try:
            amax(*args)
        except Exception as e:  # noqa: BLE001
            return hostile_matrix.internal_reason(e)
    assert outcome(np.zeros(0)) is None          # ValueError of the compiled code
    assert outcome("abc") is None                # deliberate TypeError: unsupported argument
    assert outcome(None) is None                 # TypingError
    assert hostile_matrix.internal_reason(InternalError("x")) == "InternalError"
    assert hostile_matrix.internal_reason(TypingError("x")) is None
