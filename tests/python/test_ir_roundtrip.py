"""DUNNART_VERIFY_ROUNDTRIP=1 makes every compile print the IR after each stage, parse it,
verify the result and print it again, raising InternalError when the texts differ. A
representative subset of the suite runs with it here, in a subprocess, so that the whole
suite keeps printing losslessly without running twice."""
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUBSET = ["test_control_flow.py", "test_numpy_fusion.py", "test_globals.py", "test_calls.py",
          "test_numpy_reductions.py", "test_creation.py", "test_numpy_shapes.py", "test_scalars.py",
          "test_namedtuples.py", "test_enums.py"]


def test_subset_round_trips():
    env = dict(os.environ, DUNNART_VERIFY_ROUNDTRIP="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parents[1] / "python"), env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           *[str(HERE / name) for name in SUBSET]],
                          capture_output=True, text=True, env=env, timeout=900, cwd=HERE.parents[1])
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-4000:]
