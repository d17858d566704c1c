"""Global and closure NumPy arrays, frozen at compile time as read-only constants (as Numba
does): their contents are copied into the compiled code, so later changes to the Python
array are not seen by code already compiled, and writes to them are refused at compile time.

Returning a frozen array (`return G`, or a view of it) gives a read-only array with its
values, as Numba does (Numba returns a read-only view of the constant; dunnart returns a
read-only copy, so that the array never outlives the code that holds the data).
"""
import os
import subprocess
import sys

import numpy as np
import pytest

import dunnart
from dunnart import TypingError, njit

import jitcheck

G1 = np.arange(10.0) * 1.5 - 4.0
G2 = np.arange(12, dtype=np.int32).reshape(3, 4) - 5
GF = np.asfortranarray(np.arange(6.0).reshape(2, 3))   # frozen in C order, same values
GS = (np.arange(20.0) * 2)[::3]                         # a strided view: its values count
GB = np.array([True, False, True, True])
GE = np.zeros((0, 3))
G0 = np.array(5.5)
GBIG_ENDIAN = np.arange(5, dtype=">f8")
GOBJ = np.array([1, "a"], dtype=object)
GSTR = np.array(["ab", "c"])


def test_module_level_array_reads():
    # The original failure: classify() compared the array with int/float (ValueError).
    @njit
    def f(i):
        return G1[i] + G2[1, 2] + G2[-1, -1]
    for i in (0, 3, -1):
        assert f(i) == f.py_func(i)


def test_loop_over_global_array(check):
    @njit
    def f():
        s = 0.0
        for i in range(len(G1)):
            s += G1[i]
        t = 0.0
        for x in G1:
            t += x * x
        return s, t
    check(f)


def test_slices_and_views(check):
    @njit
    def f(k):
        return G1[2:7].sum() + G1[::-2][k] + G2[:, 1].sum() + G2[1][3]
    check(f, 1)


def test_whole_array_expressions(check):
    @njit
    def f(x):
        return np.exp(G1 / 4) + x, G2 * 2 + 1, G1 > 0
    check(f, 0.5)


def test_reductions(check):
    @njit
    def f():
        return G1.sum(), G2.max(), G2.min(), np.mean(G1), G2.sum(axis=0), G2.argmax(), GB.any(), GB.all()
    check(f)


@njit
def _total(a):
    return a.sum()


def test_passed_to_another_jitted_function(check):
    @njit
    def f():
        return _total(G1) + _total(G2[1:]) + _total(G1[::2])
    check(f)


def test_len_shape_ndim_size(check):
    @njit
    def f():
        return len(G1), G2.shape, G2.ndim, G2.size, len(GE), GE.shape, G0.shape, G0.ndim
    check(f)


def test_layout_and_byte_order_are_frozen_as_values(check):
    @njit
    def f():
        return GF[1, 0], GF[0, 2], GF.sum(axis=1), GS[2], GS.sum(), GBIG_ENDIAN[3], GBIG_ENDIAN.sum()
    check(f)


def test_zero_size_and_zero_d(check):
    @njit
    def f():
        return GE.sum(), GE.size, G0.sum(), (GE + 1).shape, G0.max()
    check(f)


def _closure_reader(arr):
    @njit
    def f():
        return arr.sum(), arr.shape, arr * 2, arr.copy()
    return f


@pytest.mark.parametrize("dtype", jitcheck.DTYPES + [np.complex64], ids=lambda d: np.dtype(d).name)
def test_closure_arrays_of_every_dtype(check, dtype):
    arr = jitcheck.make_array(dtype, (2, 3), "C")
    check(_closure_reader(arr))

    @njit
    def element():
        return arr[1, 2], arr[0, 0]
    check(element)


@pytest.mark.parametrize("shape", [(0,), (4,), (2, 0, 3), (2, 3, 4), (1,) * 6, (2, 1, 2, 1, 2)])
def test_closure_arrays_of_every_ndim(check, shape):
    arr = np.asarray(np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) * 0.5)
    check(_closure_reader(arr))


def test_contents_frozen_at_compile_time():
    arr = np.arange(4.0)

    @njit
    def f():
        return arr.sum()
    assert f() == 6.0
    arr[0] = 100.0  # compiled code keeps the value it froze, as Numba does
    assert f() == 6.0


def test_returning_the_frozen_array_gives_a_readonly_array():
    @njit
    def whole():
        return G1

    @njit
    def view():
        return G2[1:, ::2]
    r = whole()
    assert isinstance(r, np.ndarray) and not r.flags.writeable
    np.testing.assert_array_equal(r, G1)
    assert r.dtype == G1.dtype
    v = view()
    assert not v.flags.writeable
    np.testing.assert_array_equal(v, G2[1:, ::2])
    with pytest.raises(ValueError):
        r[0] = 1.0
    # A copy made in compiled code is an ordinary writeable array.

    @njit
    def copied():
        return G1.copy(), G1 + 0
    c, d = copied()
    assert c.flags.writeable and d.flags.writeable
    np.testing.assert_array_equal(c, G1)


def test_global_array_and_argument_together(check):
    @njit
    def f(a):
        return (a * G1).sum(), a + G1[::-1]
    check(f, np.linspace(0, 1, 10))


@pytest.mark.parametrize("body", ["G1[0] = 1.0", "G1[1:3] = 0.0", "v = G1\n    v += 1.0", "G2[0][1] = 5",
                                  "v = G2[1:]\n    v[0, 0] = 1"])
def test_writes_are_refused_at_compile_time(body):
    ns = {"G1": G1, "G2": G2}
    exec(f"def f():\n    {body}\n    return 0\n", ns)
    f = njit(ns["f"])
    with pytest.raises(TypingError) as info:
        f()
    msg = str(info.value)
    assert "frozen global" in msg and "read-only" in msg and "copy" in msg, msg


def test_closure_array_write_refused():
    arr = np.zeros(3)

    @njit
    def f():
        arr[0] = 1.0
    with pytest.raises(TypingError, match="frozen"):
        f()


@pytest.mark.parametrize("name, what", [("GOBJ", "object"), ("GSTR", "<U2")])
def test_unsupported_dtypes_give_a_typing_error(name, what):
    ns = {name: globals()[name]}
    exec(f"def f():\n    return {name}[0]\n", ns)
    f = njit(ns["f"])
    with pytest.raises(TypingError) as info:
        f()
    assert what in str(info.value) and "array" in str(info.value)


NP_SCALAR = np.float64(2.5)  # a subclass of float, unlike np.float32
NP_SCALAR32 = np.float32(1.5)


def test_numpy_scalar_globals(check):
    @njit
    def f(x):
        return x * NP_SCALAR + NP_SCALAR32
    check(f, 2.0)


def test_unused_unsupported_global_array_is_harmless():
    @njit
    def f(x):
        if x > 100:
            return x
        return x + 1
    assert f(1) == 2


def test_cache_true_with_a_global_array(tmp_path):
    # Two fresh processes: the first compiles and stores, the second reads the same answer
    # (from the cache or by compiling again); both see the frozen values.
    code = (
        "import numpy as np, dunnart\n"
        "G = np.arange(6.0).reshape(2, 3)\n"
        "@dunnart.njit(cache=True)\n"
        "def f(x):\n    return (G * x).sum(), G[1, 2]\n"
        "print(f(2.0))\n")
    script = tmp_path / "m.py"
    script.write_text(code)
    env = dict(os.environ, DUNNART_CACHE_DIR=str(tmp_path / "cache"))
    env["PYTHONPATH"] = os.pathsep.join([str(jitcheck.REPO_ROOT / "python"), env.get("PYTHONPATH", "")])
    for _ in range(2):
        p = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                           timeout=120)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == "(30.0, 5.0)", p.stdout


GREETING = "h\u00e9llo"
LABELS = ("low", 1, "high")


def test_module_level_strs_and_tuples_of_strs_are_constants():
    from dunnart import njit as jit
    f = jit(lambda n: (GREETING + "!" * n, len(GREETING), LABELS[0], LABELS[2].upper(), GREETING in "a h\u00e9llo"))
    assert f(2) == ("h\u00e9llo!!", 5, "low", "HIGH", True)
