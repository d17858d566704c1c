"""Benchmark suite for dunnart: side-by-side runs against NumPy, SciPy, Numba, Pythran, CuPy.

Run it with `python -m benchmarks [--quick] [--only GROUP,...] [--out DIR]`.
Importing the package fixes the thread settings first (see env.py), before NumPy loads.
"""
from . import env

env.setup()
