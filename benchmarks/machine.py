"""What the numbers were measured on: CPU, cores, memory, GPU and every peer's version."""
import functools
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys

from . import gpu, peers
from .env import cores

PACKAGES = ("numpy", "scipy", "numba", "llvmlite", "pythran", "matplotlib", "cupy")


@functools.cache
def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown-cpu"


def slug(text):
    text = re.sub(r"\((r|tm)\)|\bcpu\b|@.*|\bprocessor\b", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unknown-cpu"


def version(module):
    """Installed version of the distribution that provides `module`, or None."""
    dists = importlib.metadata.packages_distributions().get(module) or [module]
    try:
        return importlib.metadata.version(dists[0])
    except importlib.metadata.PackageNotFoundError:
        return None


def _first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        return out.splitlines()[0] if out else None
    except (OSError, subprocess.SubprocessError):
        return None


def describe():
    versions = {name: version(name) for name in PACKAGES}
    if versions["llvmlite"]:
        import llvmlite.binding
        versions["llvm (numba)"] = ".".join(map(str, llvmlite.binding.llvm_version_info))
    d = peers.dunnart_info()
    versions["dunnart"] = d.get("version") if d["status"] == "ok" else f"{d['status']}: {d['detail']}"
    versions["llvm (dunnart)"] = d.get("llvm")
    cxx = os.environ.get("CXX") or next(filter(shutil.which, ("g++", "clang++")), None)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "usable_cores": cores(),
            "memory_gib": round(mem, 1), "os": platform.platform(), "python": sys.version.split()[0],
            "compiler": cxx and _first_line([cxx, "--version"]), "gpu": gpu.gpu_name(),
            "dunnart_file": d.get("file"), "load_start": load(), "versions": versions}


def load():
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
