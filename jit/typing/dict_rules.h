// Typing rules of dicts and sets: literals, dict() and set(), indexing, methods, views,
// operators and membership. Keys, set elements and values are numbers or tuples of numbers.
// Lowered by jit/transforms/lower_dicts.cpp.
#pragma once

#include <string>
#include <vector>

#include "jit/typing/resolve.h"

namespace dn {

bool is_dict(const Type* t);
bool is_set(const Type* t);
bool is_dict_view(const Type* t);
// A dict, set or dict view whose types are known: iterable like a list.
bool is_hash_iterable(const Type* t);
// What iterating over it yields: a dict's keys, a set's elements, a view's keys, values or
// (key, value) tuples.
const Type* hash_iteration_element(const Type* t);

// Checks that a value of type `v` can be stored as a key (value) of a container whose
// key (value) type is `stored` (null: not known yet).
void check_key(const Type* stored, const Type* v, const std::string& what);
void check_value(const Type* stored, const Type* v, const std::string& what);

// "builtins.dict" and "builtins.set".
bool is_dict_function(const std::string& qualified_name);
CallResolution dict_function(const std::string& qualified_name, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kwnames);
// d.get, s.add, ...: a bound method (null: not a method of dicts or sets).
const Type* dict_attribute_type(const Type* container, const std::string& name);
CallResolution dict_method(const std::string& method, const Type* container, const std::vector<const Type*>& args,
                           const std::vector<std::string>& kwnames);
// d[k]: the value type (checks the key).
const Type* dict_index_type(const Type* dict, const Type* key);
// s | t, s & t, s - t, s ^ t (null when neither operand is a set).
const Type* set_binop_type(BinOpKind k, const Type* a, const Type* b);
// Whether `a k b` is a membership test in a dict, set or view, or a comparison of dicts or
// sets (checks the types); false when no dict or set takes part.
bool hash_comparison(CmpKind k, const Type* a, const Type* b);

}  // namespace dn
