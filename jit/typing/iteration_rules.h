// Typing rules of iteration: what `iter(x)` and `next(it)` give for every iterable a `for`
// loop takes (ranges, 1-D arrays, lists, uniform tuples), and the builtins that make
// iterators of iterables: enumerate, zip, reversed (their loops: lower_iterators.cpp).
#pragma once

#include <string>
#include <vector>

#include "jit/typing/resolve.h"

namespace dn {

// The iterator GetIter makes of `iterable`; throws TypeRuleError when it cannot be iterated.
const Type* iterator_type(const Type* iterable);
// a[i] of an N-d array (N > 1): a view of one row, what iterating `a` gives.
const Type* array_row_type(const Type* a);
// The value IterNext of an iterator of type `iterator` gives.
const Type* next_type(const Type* iterator);

bool is_builtin_iterator_function(const std::string& qualified_name);
// enumerate(x[, start]), zip(a, ...), reversed(x).
CallResolution builtin_iterator_call(const std::string& qualified_name, const std::vector<const Type*>& args,
                                     const std::vector<std::string>& kwnames);
// next(g[, default]) of a generator: what it yields (or the default: None makes it optional).
CallResolution next_call(const std::vector<const Type*>& args, const std::vector<std::string>& kwnames);

}  // namespace dn
