// The IR text's form of a type: Type::str() (Numba-style names) wherever that names one type
// only, and exact where str() is ambiguous, so that parse_type_text(type_text(t)) == t for
// every interned type:
//   weak scalars other than int, float, complex (Python's int64, float64, complex128) print
//   as weak(T): weak(bool) is a Python bool, bool is numpy.bool_
//   Dispatcher(name, handle): the handle tells two jitted functions of one name apart
// Type::str() stays what error messages show.
#pragma once

#include <cstddef>
#include <string>

#include "jit/types/type.h"

namespace dn {

std::string type_text(const Type* t);

// Reads one type from text[pos...] and advances pos past it. On failure returns null, sets
// `error` and leaves pos where the problem is.
const Type* parse_type_text(const std::string& text, size_t& pos, std::string& error);

}  // namespace dn
