"""What a process pays before and at its first call: `import dunnart` loads neither LLVM
(dunnart._compiler) nor NumPy; the compiler is loaded by the first compile (or on a
background thread once a function that must compile is declared), and a process may exit
while that load is still running. Every case is a fresh interpreter."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON_DIR = str(Path(__file__).resolve().parents[2] / "python")


def run(code, **env):
    e = dict(os.environ)
    e["PYTHONPATH"] = PYTHON_DIR + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("DUNNART_DUMP", None)
    e.update(env)
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                       env=e, timeout=120)
    assert p.returncode == 0, p.stderr
    return p


def test_import_loads_neither_llvm_nor_numpy():
    p = run("""
        import sys
        import dunnart
        heavy = [m for m in ("numpy", "dunnart._compiler", "dis", "sqlite3", "ctypes") if m in sys.modules]
        print("HEAVY", heavy)
    """)
    assert "HEAVY []" in p.stdout


def test_first_compile_loads_the_compiler():
    p = run("""
        import sys
        import dunnart

        @dunnart.njit
        def f(x, y):
            return x * y + 1

        assert "dunnart._compiler" not in sys.modules
        print("RESULT", f(6, 7), "dunnart._compiler" in sys.modules)
    """)
    assert "RESULT 43 True" in p.stdout


def test_exit_while_the_compiler_loads_in_the_background():
    # Declaring an uncached function starts loading LLVM on another thread; exiting at
    # once must wait for it cleanly, not crash in LLVM's static constructors.
    for _ in range(3):
        run("""
            import dunnart

            @dunnart.njit
            def f(x):
                return x + 1
        """)


def test_dump_timing_prints_each_stage():
    p = run("""
        import dunnart

        @dunnart.njit
        def f(x):
            return x + 1

        print("RESULT", f(1))
    """, DUNNART_DUMP="typed,timing")
    assert "RESULT 2" in p.stdout
    assert "---- typed: f ----" in p.stderr
    assert "---- timing: f ----" in p.stderr
    for stage in ("frontend", "lower", "optimize", "codegen"):
        assert stage in p.stderr and " ms" in p.stderr


def test_inspect_asm_of_a_compiled_signature():
    p = run("""
        import dunnart

        @dunnart.njit
        def f(x):
            return x * 3

        f(2)
        [asm] = f.inspect_asm().values()
        [ir] = f.inspect_llvm().values()
        print("RESULT", "ret" in asm, "define" in ir)
    """)
    assert "RESULT True True" in p.stdout


def test_first_compile_races_the_background_warm_up():
    # The call comes at once (its compile meets the warm-up on the loading thread) or
    # after a pause (the warm-up has finished): right answers either way, no crash.
    for pause in (0.0, 0.0, 0.0, 0.02, 0.1):
        p = run(f"""
            import math, time
            import numpy as np
            import dunnart

            @dunnart.njit
            def f(a):
                s = 0.0
                for x in a:
                    s += math.exp(x) if x > 0 else x
                return s

            time.sleep({pause})
            a = np.linspace(-1.0, 1.0, 101)
            print("RESULT", f(a) == f.py_func(a) or abs(f(a) - f.py_func(a)) < 1e-9)
        """)
        assert "RESULT True" in p.stdout


def test_fork_right_after_declaring_does_not_hang():
    # The fork happens while the compiler may still be loading on its thread: the child
    # must still be able to load it (and other extension modules) and compile.
    p = run("""
        import os, sys
        import dunnart

        @dunnart.njit
        def f(x):
            return x * 2 + 1

        pid = os.fork()
        if pid == 0:
            import sqlite3  # another dlopen in the child
            os._exit(0 if f(20) == 41 else 3)
        _, status = os.waitpid(pid, 0)
        print("RESULT", os.waitstatus_to_exitcode(status), f(1))
    """)
    assert "RESULT 0 3" in p.stdout
