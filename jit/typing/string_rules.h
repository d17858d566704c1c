// Typing rules of Python strs: ==, ordering, `in`, +, *, indexing and slicing, len and
// truth. Lowered by jit/transforms/lower_strings.cpp to runtime/strings.cpp.
#pragma once

#include <string>
#include <vector>

#include "jit/typing/resolve.h"

namespace dn {

bool is_str(const Type* t);
// s + t, s * n, n * s (null when neither operand is a str).
const Type* string_binop_type(BinOpKind k, const Type* a, const Type* b);
// Whether a comparison involves a str (its type is then bool): s == t, s < t, sub in s,
// and s == x for an x of another type (always False, as in Python).
bool string_comparison(CmpKind k, const Type* a, const Type* b);
// s.upper and the other str methods dunnart compiles: a bound method (null: none).
const Type* string_attribute_type(const Type* s, const std::string& name);
CallResolution string_method(const std::string& method, const Type* s, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kwnames);
// s[i] and s[i:j:k]: strs.
// ord(s) and chr(i).
CallResolution string_builtin(const std::string& name, const std::vector<const Type*>& args,
                              const std::vector<std::string>& kw);
// int(s), float(s), np.int32(s), ...: parsed as Python does, then cast to `to`.
CallResolution string_to_number(const Type* to);
const Type* string_index_type(const Type* s, const Type* index);

}  // namespace dn
