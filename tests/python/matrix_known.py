"""Known failures of the issue-9 matrix, fuzzer and hostile-argument tests, one group per
root cause (FAILURES.md has a reproducer for each). The tests run these ids as
xfail(strict=True): when a fix makes one pass, pytest reports XPASS(strict) and the id is
to be removed from here. Generated from a CI run, then pruned by hand."""

KNOWN = {
    # Known: small ints (bool, int8/16, uint8/16) into float ufuncs give float64 where NumPy gives
    # float16/float32 (also via np.sum of the result).
    "small_int_float_ufunc_dtype": {
        "uf:cosh:int8:F",
        "uf:cosh:int8:fsum",
        "uf:cosh:int8:strided",
        "uf:exp2:int8:special",
        "uf:exp2:uint8:rev",
        "uf:exp:uint8:fsum",
        "uf:expm1:int8:C",
        "uf:expm1:int8:rev",
        "uf:expm1:uint8:fused",
    },
    # Known: complex ** (any operand with a complex: int ** complex, complex **
    # int/float/complex), np.square/np.sign of complex raise InternalError.
    "complex_internal_error": {
        "bin:**:complex64,int8:special",
    },
}

FUZZ_KNOWN = {
}

HOSTILE_KNOWN = {
}
