"""The shared kernel corpus (../shared/kernels/classic.py, tags 'core' and 'parallel')
through dunnart, each kernel in its own process, checked against plain Python/NumPy by
../shared/tools/check_kernels.py (the 'parallel' ones compiled with parallel=True). Takes
about a minute; never skipped. And every kernel of the corpus compiled with parallel=True
gives the serial build's answer."""
import re
import runpy
import subprocess
import sys

import numpy as np
import pytest

from jitcheck import REPO_ROOT, SHARED_DIR, subprocess_env


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["core", "parallel"])
def test_corpus_kernels_all_pass(tag):
    tool = SHARED_DIR / "tools" / "check_kernels.py"
    corpus = SHARED_DIR / "kernels" / "classic.py"
    assert tool.is_file(), f"missing {tool}"
    kernels = runpy.run_path(str(corpus))["KERNELS"]
    n_core = sum(1 for _, tags, _, _ in kernels if tag in tags)
    assert n_core > 0

    p = subprocess.run([sys.executable, str(tool), "--jit", "dunnart", "--tags", tag],
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


def same(a, b):
    """Equal results: exactly for integers, to rounding for floats (a parallel sum adds in
    another order)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(map(same, a, b))
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "iub":
        return bool(np.array_equal(a, b))
    return bool(np.allclose(a, b, rtol=1e-12, atol=1e-12, equal_nan=True))


@pytest.mark.slow
def test_parallel_builds_give_the_serial_answers():
    """Every kernel of the corpus (prange as dunnart.prange), parallel=True against the
    serial build, in one process."""
    import dunnart
    corpus = runpy.run_path(str(SHARED_DIR / "kernels" / "classic.py"), init_globals={"prange": dunnart.prange})
    corpus["prange"] = dunnart.prange
    bad = []
    for name, _, fn, make_args in corpus["KERNELS"]:
        fn.__globals__["prange"] = dunnart.prange
        serial = dunnart.njit(fn)(*make_args())
        parallel = dunnart.njit(parallel=True)(fn)(*make_args())
        if not same(serial, parallel):
            bad.append(f"{name}: {serial!r} != {parallel!r}")
    assert not bad, "\n".join(bad)
