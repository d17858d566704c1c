#include "jit/typing/list_rules.h"

#include <algorithm>

#include "jit/types/promotion.h"
#include "jit/typing/dict_rules.h"
#include "jit/typing/iteration_rules.h"
#include "jit/typing/string_rules.h"

namespace dn {

using rules::fail;
using rules::unsupported;

bool is_list(const Type* t) { return t && t->kind() == TypeKind::List; }

namespace {

const char* const kMethods[] = {"append", "pop",   "insert", "extend", "clear", "copy",
                                "reverse", "index", "count",  "remove", "sort"};

// Numbers, strs and tuples of them: what a list holds by value.
bool holds_by_value(const Type* t) {
  if (t->is_scalar() || t->kind() == TypeKind::String) return true;
  if (t->kind() != TypeKind::Tuple) return false;
  for (const Type* e : t->elements())
    if (!holds_by_value(e)) return false;
  return true;
}

// Also arrays and lists, by reference: a list holds an array's descriptor or an inner list's
// pointer, shared as Python shares them (the thread's arena keeps both alive for the call).
bool storable(const Type* t) {
  if (t->kind() == TypeKind::Array) return true;
  if (t->kind() == TypeKind::List) return !t->dtype() || storable(t->dtype());
  return holds_by_value(t);
}

void expect_args(const std::string& what, const std::vector<const Type*>& args, size_t lo, size_t hi) {
  if (args.size() < lo || args.size() > hi)
    fail(what + " takes " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
         " argument" + (hi == 1 ? "" : "s") + ", got " + std::to_string(args.size()));
}

void expect_index(const std::string& what, const Type* t) {
  if (!t->is_int() && !t->is_bool()) fail(what + ": list indices must be integers, not " + t->str());
}

const Type* known_element(const Type* list, const std::string& what) {
  if (!list->dtype())
    fail("the element type of this empty list is not known where " + what + " uses it",
         "append to the list before this, or start it with an element ([0.0]) so its type is known");
  return list->dtype();
}

}  // namespace

const Type* more_known(const Type* a, const Type* b) {
  if (a == b) return a;
  if (!is_list(a) || !is_list(b)) return nullptr;
  if (!a->dtype()) return b;
  if (!b->dtype()) return a;
  const Type* e = more_known(a->dtype(), b->dtype());
  return e ? t_list(e) : nullptr;
}

// What list.sort() orders: numbers that have an order, strs, and tuples of them
// (lexicographically, as Python compares tuples).
static bool sortable(const Type* e) {
  if (e->kind() == TypeKind::Tuple) {
    for (const Type* x : e->elements())
      if (!sortable(x)) return false;
    return !e->elements().empty();
  }
  return (e->is_scalar() && !e->is_complex()) || is_str(e);
}

bool holds_references(const Type* list) {
  const Type* e = list->dtype();
  return e && (e->kind() == TypeKind::Array || e->kind() == TypeKind::List);
}

void refuse_element_comparison(const Type* list, const std::string& what) {
  if (holds_references(list))
    unsupported(what + " on a " + list->str() + " is not supported: its elements have no single truth value to compare by",
                "loop over the list and compare the elements yourself (np.array_equal for arrays)");
}

void check_list_element(const Type* list, const Type* v, const std::string& what) {
  if (!storable(v)) {
    if (v->kind() == TypeKind::List)
      unsupported("lists of " + v->str() + " are not supported",
                  "nest lists of numbers, strs, tuples or arrays, or use a 2-D array");
    fail("a list cannot hold a value of type " + v->str());
  }
  const Type* e = list->dtype();
  if (!e || can_convert_implicitly(v, e) || storage_type(v) == e) return;
  if (more_known(v, e)) return;  // lists whose inner lists are typed by later appends
  if (holds_references(list) || v->kind() == TypeKind::Array || v->kind() == TypeKind::List)
    fail(what + ": cannot store " + v->str() + " in a " + list->str(),
         "a list holds one type: give its arrays (lists) one dtype and dimension count (element type)");
  fail(what + ": cannot store " + v->str() + " in a " + list->str(),
       "a list holds one type: start it with values of the widest type (e.g. 0.0 for floats), or convert "
       "the value first");
}

bool is_list_iterable(const Type* t) {
  if (is_list(t) || t->kind() == TypeKind::Range || is_hash_iterable(t) || t->kind() == TypeKind::String ||
      is_generator(t) || t->kind() == TypeKind::BuiltinIter)
    return true;
  if (t->kind() == TypeKind::Array) return t->ndim() >= 1;  // N-d: its rows
  return t->kind() == TypeKind::Tuple && !t->elements().empty() && t->is_unituple();
}

const Type* iterable_element(const Type* t) {
  if (t->kind() == TypeKind::Range) return t_int64();
  if (t->kind() == TypeKind::Tuple) return storage_type(t->elements()[0]);
  if (is_hash_iterable(t)) return hash_iteration_element(t);
  if (t->kind() == TypeKind::String) return t;  // its one-code-point strs
  if (is_generator(t)) return storage_type(t->dtype());
  if (t->kind() == TypeKind::BuiltinIter) return storage_type(next_type(t));  // enumerate, zip, reversed
  if (t->kind() == TypeKind::Array && t->ndim() > 1) return array_row_type(t);
  return t->dtype();
}

// A range, a str (its one-character strs), a generator, an enumerate/zip/reversed object,
// or a tuple of one element type:
// min/max/any/all and sorted take their elements in a list.
bool is_sequence_of_one_type(const Type* t) {
  return t->kind() == TypeKind::Range || t->kind() == TypeKind::String || is_generator(t) ||
         t->kind() == TypeKind::BuiltinIter ||
         (t->kind() == TypeKind::Tuple && !t->elements().empty() && t->is_unituple());
}

bool is_list_function(const std::string& q, const std::vector<const Type*>& args) {
  if (q == "builtins.list" || q == "builtins.sum" || q == "builtins.sorted") return true;
  bool one = args.size() == 1 && (is_list(args[0]) || is_hash_iterable(args[0]) || is_set(args[0]) || is_dict(args[0]) ||
                                  is_sequence_of_one_type(args[0]));
  return (q == "builtins.any" || q == "builtins.all" || q == "builtins.min" || q == "builtins.max") && one;
}

CallResolution list_function(const std::string& q, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kw) {
  std::string name = q.substr(q.find('.') + 1);
  CallResolution r;
  if (q == "builtins.sorted") {
    for (const std::string& k : kw)
      if (k != "reverse")
        unsupported("sorted() with " + k + "=",
                    k == "key" ? "sort (key, value) tuples: [v for _, v in sorted([(len(w), w) for w in words])]"
                               : "sort numbers, or use np.argsort for keys");
  } else if ((q == "builtins.min" || q == "builtins.max") && kw.size() == 1 && kw[0] == "default") {
    // min(x, default=d): d when x is empty (lower_lists).
  } else if (!kw.empty()) {
    if ((q == "builtins.min" || q == "builtins.max") && std::count(kw.begin(), kw.end(), "key"))
      unsupported(name + "() with key= is not supported yet",
                  "compare (key, value) tuples: " + name + "([(len(w), w) for w in words])[1]");
    fail(name + "() takes no keyword arguments here");
  }
  if (q == "builtins.list") {
    expect_args("list()", args, 0, 1);
    r.intrinsic = Intrinsic::ListFrom;
    if (args.empty()) {
      r.result = t_list(nullptr);  // typed by what is appended (infer.cpp)
      return r;
    }
    if (!is_list_iterable(args[0]))
      fail("list() of " + args[0]->str() + " is not supported", "build lists from lists, ranges, 1-D arrays or tuples");
    // Of a list typed by later appends: known once they are (typing asks again).
    const Type* e = is_list(args[0]) ? known_element(args[0], "list()") : iterable_element(args[0]);
    if (!e) fail("the element type of this empty container is not known where list() uses it",
                 "store into it before this, or start it with an element");
    check_list_element(t_list(nullptr), e, "list()");
    r.result = t_list(e);
    r.params = {nullptr};
    return r;
  }
  if (q == "builtins.sum") {
    expect_args("sum()", args, 1, 2);
    if (args[0]->kind() == TypeKind::String) fail("unsupported operand type(s) for +: 'int' and 'str'");
    bool vector = args[0]->kind() == TypeKind::Array && args[0]->ndim() == 1;  // its elements, in order
    if (!is_list(args[0]) && args[0]->kind() != TypeKind::Range && !is_hash_iterable(args[0]) && !is_generator(args[0]) &&
        !vector)
      fail("sum() of " + args[0]->str() + " is not supported",
           args[0]->kind() == TypeKind::Array ? "sum() adds the rows: use a.sum(axis=0), or a.sum() for every element" : "");
    const Type* e = iterable_element(args[0]);
    if (!e) fail("sum() of an empty list whose element type is not known");
    if (!e->is_scalar() || (args.size() == 2 && !args[1]->is_scalar()))
      fail("sum() adds numbers, not " + e->str());
    // Python's sum is start + x0 + x1 + ...: the start (0 by default) joins the promotion.
    const Type* start = args.size() == 2 ? args[1] : t_int64()->weakened();
    const Type* t = promote(start->is_bool() ? t_int64()->weakened() : start, e->is_bool() ? t_int64() : e);
    r.result = t;
    r.intrinsic = Intrinsic::ListSum;
    r.params = {nullptr};
    if (args.size() == 2) r.params.push_back(t);
    return r;
  }
  bool vector = args[0]->kind() == TypeKind::Array && args[0]->ndim() == 1 && q == "builtins.sorted";
  if (!is_list(args[0]) && !is_hash_iterable(args[0]) && !is_sequence_of_one_type(args[0]) && !vector) {
    if (args[0]->kind() == TypeKind::Array) fail(name + "() of " + args[0]->str() + " is not supported");
    fail(std::string("the ") + (is_set(args[0]) ? "element type of this empty set" : "types of this empty dict") +
         " are not known where " + name + "() uses it");
  }
  const Type* e = is_list(args[0]) ? known_element(args[0], name + "()") : iterable_element(args[0]);
  if (q == "builtins.any" || q == "builtins.all") {
    if (is_list(args[0]) && e->kind() == TypeKind::Array)
      unsupported(name + "() of a list of arrays: an array has no single truth value",
                  "use any(a.any() for a in l) or all(a.all() for a in l)");
    r.result = t_bool();
    r.intrinsic = q == "builtins.any" ? Intrinsic::ListAny : Intrinsic::ListAll;
    r.params = {nullptr};
    return r;
  }
  if (q == "builtins.sorted") {
    if (!is_list(args[0]) && !is_hash_iterable(args[0]) && !is_sequence_of_one_type(args[0]) && !vector)
      fail("sorted() of " + args[0]->str() + " is not supported", "sort a list");
    if (!sortable(e))
      unsupported("sorted() of a list of " + e->str(), "sort numbers, strs, or tuples of them");
    r.result = t_list(e);
    if (args.size() != 1 + kw.size()) fail("sorted() takes one positional argument");
    r.intrinsic = Intrinsic::ListSorted;
    r.params = {nullptr};
    if (!kw.empty()) r.params.push_back(t_bool());
    return r;
  }
  // min(l) / max(l), and with default=
  if (!sortable(e)) fail(name + "() of a list of " + e->str());
  r.result = e;
  r.intrinsic = q == "builtins.min" ? Intrinsic::Min : Intrinsic::Max;
  r.params = {nullptr};
  if (!kw.empty()) {
    const Type* d = args[1];
    if (d->kind() == TypeKind::None && can_be_optional(e)) r.result = t_optional(e);
    else if (d->is_number() && e->is_number()) r.result = promote(e, d);
    else if (d->strong() != e->strong() && storage_type(d) != e)
      fail(name + "()'s default is " + d->str() + ", the values are " + e->str(),
           "give a default of their type, or None");
    r.params.push_back(r.result);
  }
  return r;
}

const Type* list_attribute_type(const Type* list, const std::string& name) {
  for (const char* m : kMethods)
    if (name == m) return t_bound_method(list, name);
  return nullptr;
}

CallResolution list_method(const std::string& m, const Type* list, const std::vector<const Type*>& args,
                           const std::vector<std::string>& kw) {
  CallResolution r;
  std::string what = "list." + m + "()";
  if (!kw.empty() && m != "sort") fail(what + " takes no keyword arguments");
  const Type* e = list->dtype();
  r.result = t_none();
  if (m == "append") {
    expect_args(what, args, 1, 1);
    check_list_element(list, args[0], what);
    r.intrinsic = Intrinsic::ListAppend;
    r.params = {e};
  } else if (m == "insert") {
    expect_args(what, args, 2, 2);
    expect_index(what, args[0]);
    check_list_element(list, args[1], what);
    r.intrinsic = Intrinsic::ListInsert;
    r.params = {t_int64(), e};
  } else if (m == "extend") {
    expect_args(what, args, 1, 1);
    if (!is_list_iterable(args[0]))
      fail(what + " of " + args[0]->str() + " is not supported", "extend with a list, range, 1-D array or tuple");
    check_list_element(list, iterable_element(args[0]), what);
    r.intrinsic = Intrinsic::ListExtend;
    r.params = {nullptr};
  } else if (m == "pop") {
    expect_args(what, args, 0, 1);
    if (!args.empty()) expect_index(what, args[0]);
    r.result = known_element(list, what);
    r.intrinsic = Intrinsic::ListPop;
    if (!args.empty()) r.params = {t_int64()};
  } else if (m == "clear" || m == "copy" || m == "reverse") {
    expect_args(what, args, 0, 0);
    if (m == "copy") r.result = list;
    r.intrinsic = m == "clear" ? Intrinsic::ListClear : m == "copy" ? Intrinsic::ListCopy : Intrinsic::ListReverse;
  } else if (m == "index" || m == "count" || m == "remove") {
    expect_args(what, args, 1, 1);
    known_element(list, what);
    refuse_element_comparison(list, what);
    if (!(args[0]->is_scalar() && e->is_scalar()) && storage_type(args[0]) != e)
      fail(what + ": cannot compare " + args[0]->str() + " with the elements of a " + list->str());
    r.result = m == "remove" ? t_none() : t_int64()->weakened();
    r.intrinsic = m == "index" ? Intrinsic::ListIndex : m == "count" ? Intrinsic::ListCount : Intrinsic::ListRemove;
    r.params = {nullptr};
  } else if (m == "sort") {
    expect_args(what, args, kw.size(), kw.size());  // only reverse=, by keyword
    for (const std::string& k : kw)
      if (k != "reverse") unsupported("list.sort() with " + k + "=", "sort numbers, or use np.argsort for keys");
    if (!sortable(known_element(list, what)))
      unsupported("sorting a list of " + e->str(), "sort numbers, strs, or tuples of them");
    r.intrinsic = Intrinsic::ListSort;
    if (!kw.empty()) r.params = {t_bool()};
  } else {
    fail("'list' has no method '" + m + "'");
  }
  return r;
}

const Type* list_index_type(const Type* list, const Type* index) {
  if (index->kind() == TypeKind::Slice) return list;
  expect_index("list[...]", index);
  return known_element(list, "indexing");
}

const Type* list_binop_type(BinOpKind k, const Type* a, const Type* b) {
  if (!is_list(a) && !is_list(b)) return nullptr;
  if (k == BinOpKind::Add && is_list(a) && is_list(b)) {
    if (!a->dtype()) return b;
    if (!b->dtype() || a == b) return a;
    fail("cannot concatenate a " + a->str() + " and a " + b->str(), "a list holds one type");
  }
  if (k == BinOpKind::Mul) {
    const Type* n = is_list(a) ? b : a;
    if (n->is_int() || n->is_bool()) return is_list(a) ? a : b;
    fail("can't multiply a list by " + n->str());
  }
  fail(std::string("unsupported operand types for ") + binop_symbol(k) + ": " + a->str() + " and " + b->str());
}

}  // namespace dn
