// Typing rules of lists: their methods, indexing, operators, and the builtins that take
// them (list(), len, sum, min/max, sorted). Lowered by jit/transforms/lower_lists.cpp.
#pragma once

#include <string>
#include <vector>

#include "jit/typing/resolve.h"

namespace dn {

bool is_list(const Type* t);
// Of two list types alike but where one's (inner) element type is not known yet (an empty
// list typed by later appends), the one that knows more; null when they differ otherwise.
const Type* more_known(const Type* a, const Type* b);
// "builtins.list", "builtins.sum", "builtins.sorted", and min/max of one iterable.
bool is_list_function(const std::string& qualified_name, const std::vector<const Type*>& args);
CallResolution list_function(const std::string& qualified_name, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kwnames);
// l.append, l.pop, ...: a bound method (null: not a list method).
const Type* list_attribute_type(const Type* list, const std::string& name);
CallResolution list_method(const std::string& method, const Type* list, const std::vector<const Type*>& args,
                           const std::vector<std::string>& kwnames);
// The element a value of type `v` is stored as in a list of `element`s (checks it fits).
void check_list_element(const Type* list, const Type* v, const std::string& what);
// Whether a list's elements are arrays or lists (held by reference, compared by nothing).
bool holds_references(const Type* list);
// UnsupportedError for `what` (l.index(x), x in l, l == m) on such a list.
void refuse_element_comparison(const Type* list, const std::string& what);
// l[i] (an element) and l[i:j] (a new list).
const Type* list_index_type(const Type* list, const Type* index);
// l + m, l * n, n * l (null when neither operand is a list).
const Type* list_binop_type(BinOpKind k, const Type* a, const Type* b);
// Whether `t` can be iterated by the loops lists are built from (list(x), extend, sum).
bool is_list_iterable(const Type* t);
// The element type iterating over `t` yields.
const Type* iterable_element(const Type* t);
// A range, a str, or a tuple of one element type (what min/max/any/all/sorted take as a list).
bool is_sequence_of_one_type(const Type* t);

}  // namespace dn
