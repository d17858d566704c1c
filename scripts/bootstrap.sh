#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test dunnart: LLVM 19,
# GoogleTest, OpenMP, a C++ toolchain (apt) and the Python packages (pip). Idempotent and
# quiet when everything is already there.
set -euo pipefail

need_apt=()
for pkg in llvm-19-dev libzstd-dev zlib1g-dev libgtest-dev g++ cmake ninja-build libgomp1; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if ! "$PY" -c "import numpy, pybind11, pytest, scikit_build_core" 2>/dev/null; then
  echo "bootstrap: pip install numpy pybind11 pytest scikit-build-core"
  "$PY" -m pip install -q --disable-pip-version-check numpy pybind11 pytest scikit-build-core
fi
