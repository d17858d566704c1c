// An exact, compact text form of runtime-value types (scalars with their NEP 50 weakness,
// None, arrays, tuples) for the disk cache's index: decode_type(encode_type(t)) == t.
// Printed names (Type::str) are for people and do not round-trip.
#pragma once

#include <string>

#include "jit/types/type.h"

namespace dn {

// Empty for types that have no encoding (compile-time-only types, iterators, ...).
std::string encode_type(const Type* t);
// Null when `text` is not an encoding that encode_type makes.
const Type* decode_type(const std::string& text);

}  // namespace dn
