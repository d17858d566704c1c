"""Compile a Pythran module at benchmark time, cached by a hash of what shapes the binary.

`pythran -O3 -march=native` (plus -DUSE_XSIMD for the SIMD variant) builds into a temporary
directory; the .so is then moved under benchmarks/.cache/pythran/, so later runs load it.
"""
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

from .env import CACHE_DIR
from .peers import Unavailable

FLAGS = ("-O3", "-march=native")


def _command():
    if shutil.which("pythran"):
        return ["pythran"]
    if importlib.util.find_spec("pythran"):
        return [sys.executable, "-m", "pythran.run"]
    raise Unavailable("missing", "pythran is not installed (pip install pythran)")


def _compiler():
    cxx = os.environ.get("CXX") or next(filter(shutil.which, ("g++", "clang++", "c++")), None)
    if not cxx or not shutil.which(cxx.split()[0]):
        raise Unavailable("missing", "no C++ compiler for pythran (set CXX or install g++)")
    return cxx


def build(source, name, extra_flags=(), cpu=""):
    """Load (building if needed) the module `name` from `source` -> module."""
    cmd, cxx = _command(), _compiler()
    flags = [*FLAGS, *extra_flags]
    key = hashlib.sha256("\0".join([source, *flags, cxx, cpu, sys.version,
                                    importlib.metadata.version("pythran")]).encode()).hexdigest()[:16]
    modname = f"{name}_{key}"
    target = CACHE_DIR / "pythran" / f"{modname}.so"
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, f"{modname}.py")
            with open(src, "w") as f:
                f.write(source)
            p = subprocess.run([*cmd, *flags, src, "-o", os.path.join(tmp, f"{modname}.so")],
                               capture_output=True, text=True, env={**os.environ, "CXX": cxx})
            if p.returncode != 0:
                err = [l for l in p.stderr.splitlines() if "error" in l.lower()] or p.stderr.splitlines() or ["?"]
                raise Unavailable("ERROR", f"pythran failed: {err[0][:160]}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(os.path.join(tmp, f"{modname}.so"), target)
    spec = importlib.util.spec_from_file_location(modname, target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
