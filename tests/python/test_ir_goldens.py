"""Golden IR (tests/ir/README.md): the frontend's IR for each tests/ir/frontend/*.py equals
its .dnir's section for this Python version, and dunnart-opt reads it back unchanged.
The passes' goldens run through ctest (dunnart-opt --check)."""
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ir"))
import goldens  # noqa: E402

SOURCES = sorted(goldens.FRONTEND_DIR.glob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_frontend_golden(source):
    expected = goldens.expected_frontend_ir(source.with_suffix(".dnir"), goldens.python_version())
    if expected is None:
        pytest.skip("no section for Python %s in %s: run scripts/update_ir_goldens.py %s"
                    % (goldens.python_version(), source.with_suffix(".dnir").name, source.name))
    actual = goldens.frontend_ir(source)
    assert actual == expected, ("the frontend's IR changed; if that is intended, run "
                                "scripts/update_ir_goldens.py %s\n%s" % (source.name, actual))
    if goldens.DUNNART_OPT.exists():
        out = subprocess.run([str(goldens.DUNNART_OPT), "--passes=verify"], input=actual,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout == actual
