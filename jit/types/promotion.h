// NumPy's promotion rules for scalars (NumPy 2, NEP 50: Python scalars are weak) and the
// unification of the types a variable takes on different control-flow paths.
#pragma once

#include "jit/types/type.h"

namespace dn {

// The result type of arithmetic between a and b (both scalars), as NumPy 2 computes it.
// Weak (Python) scalars adopt the other operand's precision when their kind is not higher.
const Type* promote(const Type* a, const Type* b);

// The type that can hold a value of either a or b (for phis and returns), or null when
// there is none (an array and a number, tuples of different lengths, ...).
const Type* unify(const Type* a, const Type* b);

// True when a value of type `from` may be passed where `to` is expected without losing the
// ability to represent it in NumPy's "same_kind" sense (used for explicit signatures).
// The kind of a number: bool 0 < int 1 < float 2 < complex 3 (-1: not a number).
int kind_rank(const Type* t);
bool can_convert_implicitly(const Type* from, const Type* to);

// NumPy's casting="same_kind" between dtypes (what a += b needs to store a + b into a):
// any cast to a kind no lower in the order bool < uint < int < float < complex.
bool can_cast_same_kind(const Type* from, const Type* to);

// The weakest type that holds a Python int, float or complex: int64, float64, complex128.
const Type* default_of_kind(TypeKind k);

}  // namespace dn
