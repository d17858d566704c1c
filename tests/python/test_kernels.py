"""The shared kernel corpus (../shared/kernels/classic.py, tag 'core') through dunnart,
each kernel in its own process, checked against plain Python/NumPy by
../shared/tools/check_kernels.py. Takes about a minute; never skipped."""
import re
import runpy
import subprocess
import sys

import pytest

from jitcheck import REPO_ROOT, SHARED_DIR, subprocess_env


@pytest.mark.slow
def test_core_kernels_all_pass():
    tool = SHARED_DIR / "tools" / "check_kernels.py"
    corpus = SHARED_DIR / "kernels" / "classic.py"
    assert tool.is_file(), f"missing {tool}"
    kernels = runpy.run_path(str(corpus))["KERNELS"]
    n_core = sum(1 for _, tags, _, _ in kernels if "core" in tags)
    assert n_core > 0

    p = subprocess.run([sys.executable, str(tool), "--jit", "dunnart", "--tags", "core"],
                       capture_output=True, text=True, timeout=1200, cwd=str(REPO_ROOT),
                       env=subprocess_env())
    lines = p.stdout.strip().splitlines()
    report = p.stdout + "\n--- stderr ---\n" + p.stderr[-3000:]
    assert lines, report
    m = re.fullmatch(r"(\d+) passed, (\d+) failed", lines[-1].strip())
    assert m, report
    assert int(m.group(2)) == 0, report
    assert int(m.group(1)) == n_core, report
    assert p.returncode == 0, report
