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
    # NEW: < <= > >= on complex arrays are refused with a TypingError ('complex numbers cannot be
    # ordered'); NumPy orders complex arrays lexicographically.
    "complex_ordering_refused": {
        "bin:<:bool,complex128:special",
        "bin:<:bool,complex64:strided",
        "bin:<:complex128,int32:CF",
        "bin:<:complex128,int32:fsum",
        "bin:<:complex128,int64:special",
        "bin:<:complex128,int8:fsum",
        "bin:<:complex128,np_uint32:AS",
        "bin:<:complex128,uint16:special",
        "bin:<:complex128,uint32:empty",
        "bin:<:complex128,uint64:CF",
        "bin:<:complex64,complex128:rev",
        "bin:<:complex64,float32:rev",
        "bin:<:complex64,float64:special",
        "bin:<:complex64,int16:empty",
        "bin:<:complex64,int8:C",
        "bin:<:complex64,uint8:C",
        "bin:<:float32,complex64:empty",
        "bin:<:float64,complex128:empty",
        "bin:<:float64,np_complex128:AS",
        "bin:<:int16,complex128:CF",
        "bin:<:int16,complex128:special",
        "bin:<:int16,complex64:fused",
        "bin:<:int8,litcomplex:AS",
        "bin:<:np_complex128,int32:SA",
        "bin:<:np_float32,complex128:SA",
        "bin:<:np_int16,complex128:SA",
        "bin:<:np_int32,complex128:SA",
        "bin:<:np_uint64,complex128:SA",
        "bin:<:uint32,np_complex64:AS",
        "bin:<:uint8,complex128:fused",
        "bin:<=:bool,complex128:F",
        "bin:<=:bool,complex64:rev",
        "bin:<=:complex128,complex64:CF",
        "bin:<=:complex128,float32:fsum",
        "bin:<=:complex128,int16:CF",
        "bin:<=:complex128,uint16:strided",
        "bin:<=:complex128,uint32:empty",
        "bin:<=:complex128,uint8:fused",
        "bin:<=:complex64,float64:rev",
        "bin:<=:complex64,int32:special",
        "bin:<=:complex64,int8:F",
        "bin:<=:complex64,uint64:strided",
        "bin:<=:float64,complex128:bcast",
        "bin:<=:float64,complex128:fsum",
        "bin:<=:int16,litcomplex:AS",
        "bin:<=:int32,complex128:fsum",
        "bin:<=:int32,pycomplex:AS",
        "bin:<=:int64,complex64:rev",
        "bin:<=:np_uint16,complex64:SA",
        "bin:<=:pyint,complex128:SA",
        "bin:<=:uint16,complex128:F",
        "bin:>:bool,complex64:bcast",
        "bin:>:complex128,complex64:fsum",
        "bin:>:complex128,float64:empty",
        "bin:>:complex128,int16:fused",
        "bin:>:complex128,int64:F",
        "bin:>:complex128,int64:bcast",
        "bin:>:complex128,litcomplex:AS",
        "bin:>:complex64,float32:F",
        "bin:>:complex64,float32:strided",
        "bin:>:complex64,int8:C",
        "bin:>:complex64,np_uint64:AS",
        "bin:>:complex64,uint16:F",
        "bin:>:complex64,uint32:fused",
        "bin:>:complex64,uint8:F",
        "bin:>:float32,complex64:fsum",
        "bin:>:int32,complex64:bcast",
        "bin:>:pybool,complex64:SA",
        "bin:>:pycomplex,float32:SA",
        "bin:>:uint16,complex128:rev",
        "bin:>:uint32,complex128:rev",
        "bin:>:uint32,litcomplex:AS",
        "bin:>:uint64,complex64:CF",
        "bin:>:uint64,complex64:special",
        "bin:>:uint8,complex128:C",
        "bin:>:uint8,complex64:fused",
        "bin:>=:bool,complex64:strided",
        "bin:>=:complex128,float32:F",
        "bin:>=:complex128,int32:fsum",
        "bin:>=:complex128,uint16:strided",
        "bin:>=:complex128,uint64:F",
        "bin:>=:complex64,float32:rev",
        "bin:>=:complex64,int16:empty",
        "bin:>=:complex64,int8:C",
        "bin:>=:float64,complex128:C",
        "bin:>=:int16,complex64:fused",
        "bin:>=:int32,complex128:special",
        "bin:>=:int8,complex128:C",
        "bin:>=:np_complex128,float64:SA",
        "bin:>=:np_complex128,int32:SA",
        "bin:>=:np_int16,complex128:SA",
        "bin:>=:np_int32,complex128:SA",
        "bin:>=:pyneg,complex128:SA",
        "bin:>=:uint32,complex64:F",
        "bin:>=:uint32,np_complex64:AS",
        "bin:>=:uint8,complex128:fused",
        "bin:>=:uint8,complex128:strided",
    },
    # Known (longer list than reported): complex exp/log/log2/log10/log1p/expm1/exp2/sin/cos/tan/a
    # rc*/sinh/cosh/tanh/sqrt/rint/isnan/isinf/isfinite... unsupported.
    "complex_ufunc_unsupported": {
        "uf2:power:complex128,int32:special",
        "uf2:power:complex64,float64:special",
        "uf2:power:uint16,complex128:fused",
        "uf:expm1:complex128:rev",
        "uf:expm1:complex64:F",
        "uf:expm1:complex64:special",
        "uf:isfinite:complex128:rev",
        "uf:isfinite:complex128:special",
        "uf:isfinite:complex64:F",
        "uf:isinf:complex128:strided",
        "uf:isinf:complex64:rev",
        "uf:isnan:complex128:F",
        "uf:isnan:complex64:C",
        "uf:log1p:complex64:fsum",
        "uf:log2:complex128:F",
        "uf:log2:complex128:fsum",
        "uf:log2:complex64:rev",
        "uf:rint:complex128:rev",
        "uf:rint:complex64:special",
    },
    # Known: complex ** (any operand with a complex: int ** complex, complex **
    # int/float/complex), np.square/np.sign of complex raise InternalError.
    "complex_internal_error": {
        "bin:**:complex64,int32:special",
        "bin:**:complex64,int8:special",
        "bin:**:uint64,complex64:C",
    },
    # NEW: a Python int argument out of the array dtype's range (uint8_arr + (-3), uint32 <<= -3)
    # wraps; NumPy 2 raises OverflowError, and compares (-3 <= uint32_arr) by value (all True)
    # where dunnart wraps -3.
    "pyint_out_of_range": {
        "bin:+:uint16,pyneg:AS",
        "bin:-:pyneg,uint8:SA",
        "bin://:pyneg,uint32:SA",
        "bin:<=:pyneg,uint32:SA",
        "bin:>=:pyneg,uint32:SA",
        "inp:*=:uint64,pyneg:AS",
        "inp://=:uint8,pyneg:AS",
        "inp:<<=:uint16,pyneg:AS",
    },
    # NEW: array << and >> with a negative count raise ValueError('negative shift count'); NumPy
    # gives 0 (or -1 for >> of negatives), as it does for counts >= the width.
    "shift_count_out_of_range_raises": {
        "bin:<<:int8,pyneg:AS",
        "bin:<<:uint8,int64:special",
        "bin:>>:int8,int16:special",
        "bin:>>:uint8,int16:special",
        "inp:<<=:int8,int32:special",
    },
    # NEW: complex division by inf/0 (0j / -infj, 2.5j / 0.0) gives nan+nanj; NumPy gives 0 / inf
    # (its division handles infinite and zero divisors).
    "complex_division_special": {
        "inp:/=:complex128,complex128:special",
        "inp:/=:complex64,float32:special",
    },
    # NEW: np.sign of unsigned values >= 2**(bits-1) gives the all-ones value (treated as
    # negative); np.sign(-0.0) gives -0.0 where NumPy gives 0.0.
    "sign_unsigned": {
        "uf:sign:float32:special",
        "uf:sign:uint32:special",
    },
    # NEW: +a on a bool array is accepted; NumPy 2 raises UFuncTypeError (np.positive has no bool
    # loop).
    "unary_plus_bool_accepted": {
        "un:+:bool:empty",
        "un:+:bool:fsum",
    },
}

FUZZ_KNOWN = {
    # NEW (matrix group pyint_out_of_range): a negative Python int compared with a uint8 array
    # wraps (-2 > uint8_arr is True).
    "pyint_out_of_range": {
        "fz1-203",
    },
}

HOSTILE_KNOWN = {
    # NEW: a chained comparison (a < b < c) of arrays (0-d or n-d) raises InternalError 'truth of
    # array(bool, ...)' instead of a TypingError (NumPy: ValueError, truth value of an array is
    # ambiguous; a 0-d array works).
    "chained_compare_arrays_internal_error": {
        "test_scalars:chain_lt",
        "test_scalars:chain_mixed",
    },
    # NEW: a.astype(np.float64) of a complex64 array raises InternalError 'cast from complex64 to
    # float64' (NumPy discards the imaginary part with a ComplexWarning).
    "astype_complex_to_real_internal_error": {
        "test_numpy_astype:astype_no_copy",
    },
    # NEW, crash: a reduction with axis= (a.sum(axis=0), cumsum, all) of a 0-d array segfaults
    # (NumPy raises AxisError).
    "reduce_axis_0d_segfault": {
        "matrix:reduce_axis",
        "test_numpy_reductions:ax_3d",
        "test_numpy_reductions:ax_all",
        "test_numpy_reductions:ax_cumsum",
    },
}
