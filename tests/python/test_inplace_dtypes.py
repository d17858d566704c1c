"""Issue 9: in-place operators across dtypes. `a op= b` computes `a op b` in NumPy's result
dtype and stores it into `a` with casting="same_kind"; where NumPy refuses that cast
(`uint8 += int8`), dunnart refuses at compile time with a TypingError naming both dtypes.
Before the fix, a right operand of a wider dtype wrote garbage (`f32 += f64` gave zeros)."""
import itertools
import warnings

import numpy as np
import pytest

import dunnart
from dunnart import njit

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]
OPS = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>="]


def _inplace(op):
    ns = {}
    exec(f"def f(a, b):\n    a {op} b\n    return a\n", ns)
    return njit(ns["f"])


JITTED = {op: _inplace(op) for op in OPS}


def _operand(dtype, n=4, seed=0):
    dt = np.dtype(dtype)
    k = np.arange(n)
    if dt.kind == "b":
        return (k + seed) % 2 == 0
    if dt.kind in "ui":
        return ((k * 3 + seed) % 5 + 1).astype(dt)  # 1..5: no division by zero, small powers
    if dt.kind == "f":
        return ((k * 3 + seed) % 5 + 1.5).astype(dt)
    return ((k % 5 + 1.5) + 0.5j * (k % 3 + 1)).astype(dt)


def _numpy(op, a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = a.copy()
        try:
            exec(f"a {op} b", {}, {"a": a, "b": b})
        except (TypeError, ValueError, np.exceptions.DTypePromotionError) as e:
            return e
    return a


def _check(op, a, b):
    expected = _numpy(op, a, b)
    if isinstance(expected, Exception):
        with pytest.raises(dunnart.TypingError):
            JITTED[op](a.copy(), b)
        return
    got = JITTED[op](a.copy(), b)
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("da,db", list(itertools.product(DTYPES, DTYPES)),
                         ids=lambda d: np.dtype(d).name)
def test_iadd_every_dtype_pair(da, db):
    _check("+=", _operand(da), _operand(db, seed=1))


# The pairs the issue names, over every operator.
NAMED = [(np.float32, np.float64), (np.int8, np.int32), (np.int32, np.int64), (np.uint8, np.uint64),
         (np.uint8, np.int8), (np.uint8, np.int64), (np.int16, np.float32), (np.complex64, np.complex128),
         (np.bool_, np.int8), (np.int64, np.uint64), (np.float32, np.int64)]


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("da,db", NAMED, ids=lambda d: np.dtype(d).name)
def test_every_operator_on_named_pairs(op, da, db):
    _check(op, _operand(da), _operand(db, seed=2))


def test_float32_plus_float64_is_not_garbage():
    a = np.ones(4, np.float32)
    np.testing.assert_array_equal(JITTED["+="](a, np.full(4, 0.5)), np.full(4, 1.5, np.float32))
    np.testing.assert_array_equal(a, np.full(4, 1.5, np.float32))  # written in place


@pytest.mark.parametrize("da,db", [(np.float32, np.float64), (np.int8, np.int64)], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["F", "strided", "reversed", "broadcast"])
def test_wider_right_operand_in_every_layout(da, db, layout):
    base = _operand(da, 24).reshape(4, 6)
    a = {"F": np.asfortranarray(base), "strided": base[:, ::2], "reversed": base[::-1],
         "broadcast": base}[layout]
    b = _operand(db, 6, seed=1) if layout != "strided" else _operand(db, 3, seed=1)
    _check("+=", a, b)
    _check("*=", a, b[None, :])


def test_same_kind_refusal_names_both_dtypes():
    with pytest.raises(dunnart.TypingError, match="int16 to uint8"):
        JITTED["+="](np.ones(3, np.uint8), np.ones(3, np.int8))
    with pytest.raises(dunnart.TypingError, match="int64 to uint8"):
        JITTED["-="](np.ones(3, np.uint8), np.ones(3, np.int64))


def test_wider_operand_inside_a_fused_expression():
    @njit
    def f(a, b, c):
        a += np.sqrt(b * c) + 1
        return a

    a = np.ones(5, np.float32)
    b, c = np.arange(5.0), np.full(5, 2.0)
    expected = a.copy()
    expected += np.sqrt(b * c) + 1
    np.testing.assert_allclose(f(a, b, c), expected, rtol=1e-6)


def test_inplace_overlap_with_wider_dtype():
    @njit
    def f(a, b):
        a[1:] += b[:-1]
        return a

    a = np.arange(6, dtype=np.int8)
    expected = a.copy()
    expected[1:] += np.arange(6, dtype=np.int64)[:-1]
    np.testing.assert_array_equal(f(a, np.arange(6, dtype=np.int64)), expected)


@pytest.mark.parametrize("op", ["+=", "*=", "/=", "**="])
def test_readonly_array_is_refused(op):
    a = np.ones(3)
    a.flags.writeable = False
    with pytest.raises(dunnart.TypingError, match="read-only"):
        JITTED[op](a, 1.0)
    b = np.frombuffer(bytes(24))
    with pytest.raises(dunnart.TypingError, match="read-only"):
        JITTED[op](b, 2.0)
    assert (a == 1).all() and (b == 0).all()
