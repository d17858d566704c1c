#include "jit/typing/dict_rules.h"

#include "jit/types/abi_layout.h"
#include "jit/types/promotion.h"
#include "jit/typing/iteration_rules.h"
#include "jit/typing/list_rules.h"
#include "runtime/abi.h"

namespace dn {

using rules::fail;
using rules::unsupported;

bool is_dict(const Type* t) { return t && t->kind() == TypeKind::Dict; }
bool is_set(const Type* t) { return t && t->kind() == TypeKind::Set; }
bool is_dict_view(const Type* t) { return t && t->kind() == TypeKind::DictView; }

namespace {

const char* const kDictMethods[] = {"get", "setdefault", "pop", "popitem", "update", "keys",
                                    "values", "items", "clear", "copy"};
const char* const kSetMethods[] = {"add", "discard", "remove", "pop", "clear", "copy", "update", "union",
                                   "intersection", "difference", "symmetric_difference", "issubset",
                                   "issuperset", "isdisjoint"};

// Numbers and tuples of numbers: what a key, element or value may be for now.
bool storable(const Type* t) {
  if (t->is_scalar() || t->kind() == TypeKind::String) return true;
  if (t->kind() != TypeKind::Tuple || t->elements().empty()) return false;
  for (const Type* e : t->elements())
    if (!storable(e)) return false;
  return true;
}

// What a value may also be: a list of numbers or tuples (its element type maybe not known
// yet: `d[k] = []`, typed by what is appended to it).
bool storable_value(const Type* t) {
  return storable(t) || (t->kind() == TypeKind::List && (!t->dtype() || storable(t->dtype())));
}

bool fits(const Type* stored, const Type* v) {
  if (stored->kind() == TypeKind::List || v->kind() == TypeKind::List)
    return stored->kind() == v->kind() && (!stored->dtype() || !v->dtype() || stored == v);
  if (v->kind() == TypeKind::Tuple) {
    if (stored->kind() != TypeKind::Tuple || stored->elements().size() != v->elements().size()) return false;
    for (size_t k = 0; k < v->elements().size(); ++k)
      if (!fits(stored->elements()[k], v->elements()[k])) return false;
    return true;
  }
  if (stored->kind() == TypeKind::String || v->kind() == TypeKind::String) return stored->kind() == v->kind();
  if (!stored->is_scalar() || !v->is_scalar()) return false;
  return kind_rank(v) <= kind_rank(stored);  // converted only upward: 1.5 never finds 1
}

void check_stored(const char* role, const Type* stored, const Type* v, const std::string& what) {
  bool value = std::string(role) == "value";
  if (!(value ? storable_value(v) : storable(v))) {
    if (v->kind() == TypeKind::String)
      unsupported(std::string("strings as dict ") + role + "s are not supported yet", "use numbers or tuples of numbers");
    if (v->kind() == TypeKind::Array || v->kind() == TypeKind::List || is_dict(v) || is_set(v))
      unsupported(std::string("a ") + v->str() + " as a dict or set " + role + " is not supported yet",
                  "store numbers or tuples of numbers");
    fail(std::string("a dict or set cannot hold a ") + role + " of type " + v->str());
  }
  if (v->kind() != TypeKind::List && scalar_count(v) > DN_DICT_MAX_FIELDS)
    unsupported(std::string("a dict or set ") + role + " of more than " + std::to_string(DN_DICT_MAX_FIELDS) + " numbers");
  if (stored && !fits(stored, v))
    fail(what + ": cannot use a " + v->str() + " as a " + role + " where the " + role + "s are " + stored->str(),
         "a dict (set) holds one key type and one value type: start it with values of the widest type (e.g. 0.0 for "
         "floats), or convert the value first");
}

void expect_args(const std::string& what, const std::vector<const Type*>& args, size_t lo, size_t hi) {
  if (args.size() < lo || args.size() > hi)
    fail(what + " takes " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
         " argument" + (hi == 1 ? "" : "s") + ", got " + std::to_string(args.size()));
}

// The key (element) type of a dict or set, which `what` needs known.
const Type* known_key(const Type* c, const std::string& what) {
  if (!c->dtype())
    fail(std::string("the ") + (is_set(c) ? "element type of this empty set" : "key and value types of this empty dict") +
             " are not known where " + what + " uses it",
         is_set(c) ? "add to the set before this, or start it with an element ({0.0})"
                   : "store into the dict before this (d[k] = v), or start it with an item ({0: 0.0})");
  return c->dtype();
}

CallResolution result(const Type* t, Intrinsic i, const std::string& func = "") {
  CallResolution r;
  r.result = t;
  r.intrinsic = i;
  r.func = func;
  return r;
}

// The other operand of a set operation: a set of the same elements (or one not yet typed).
void check_other_set(const Type* s, const Type* other, const std::string& what) {
  if (!is_set(other)) fail(what + " of a set and a " + other->str() + " is not supported", "convert it with set(...) first");
  if (s->dtype() && other->dtype() && s->dtype() != other->dtype() &&
      !(s->dtype()->is_scalar() && other->dtype()->is_scalar()))
    fail(what + ": the sets hold " + s->dtype()->str() + " and " + other->dtype()->str());
  if (s->dtype() && other->dtype() && s->dtype() != other->dtype())
    unsupported(what + " of sets of different element types (" + s->dtype()->str() + " and " + other->dtype()->str() + ")",
                "build both sets of the same type");
}

}  // namespace

bool is_hash_iterable(const Type* t) {
  if (is_dict(t) || is_set(t)) return t->dtype() != nullptr;
  return is_dict_view(t) && t->dtype()->dtype();
}

const Type* hash_iteration_element(const Type* t) {
  if (is_set(t) || is_dict(t)) return t->dtype();
  const Type* d = t->dtype();
  if (t->name() == "keys") return d->dtype();
  if (t->name() == "values") return d->elements()[0];
  return t_tuple({d->dtype(), d->elements()[0]});
}

void check_key(const Type* stored, const Type* v, const std::string& what) { check_stored("key", stored, v, what); }
void check_value(const Type* stored, const Type* v, const std::string& what) { check_stored("value", stored, v, what); }

namespace {

// dict(x) of an iterable of (key, value) pairs: zip(a, b), enumerate(x), a list of tuples,
// d.items(), ... (lower_dicts walks it with for_each_element).
const Type* dict_of_pairs(const Type* a) {
  bool builtin_iter = a->kind() == TypeKind::BuiltinIter;
  if (!builtin_iter && !is_list_iterable(a))
    unsupported("dict() of " + a->str(), "build dicts from another dict, zip(keys, values), enumerate(x) or a list of (key, value) tuples");
  const Type* e = builtin_iter ? next_type(a) : iterable_element(a);
  if (!e)  // of a list typed by later appends: known once they are (typing asks again)
    fail("the element type of this empty list is not known where dict() uses it",
         "append to it before this, or start it with an element");
  // Python's messages, raised here at compile time: every element has this type.
  if (e->kind() != TypeKind::Tuple)
    fail("cannot convert dictionary update sequence element #0 to a sequence",
         "dict() takes (key, value) pairs: dict(zip(keys, values))");
  if (e->elements().size() != 2)
    fail("dictionary update sequence element #0 has length " + std::to_string(e->elements().size()) + "; 2 is required");
  check_key(nullptr, e->elements()[0], "dict()");
  check_value(nullptr, e->elements()[1], "dict()");
  return t_dict(storage_type(e->elements()[0]), storage_type(e->elements()[1]));
}

}  // namespace

bool is_dict_function(const std::string& q) { return q == "builtins.dict" || q == "builtins.set"; }

CallResolution dict_function(const std::string& q, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kw) {
  bool set = q == "builtins.set";
  std::string what = set ? "set()" : "dict()";
  if (!kw.empty()) unsupported(what + " with keyword arguments", "write a dict literal {k: v}");
  expect_args(what, args, 0, 1);
  if (args.empty()) return result(set ? t_set(nullptr) : t_dict(nullptr, nullptr), set ? Intrinsic::SetFrom : Intrinsic::DictFrom);
  const Type* a = args[0];
  if (!set) {
    if (is_dict(a)) return result(a, Intrinsic::DictFrom);
    return result(dict_of_pairs(a), Intrinsic::DictFrom);
  }
  if (!is_list_iterable(a)) fail("set() of " + a->str() + " is not supported", "build sets from lists, ranges, 1-D arrays, tuples, dicts or sets");
  const Type* e = iterable_element(a);
  if (!e)  // of a list typed by later appends: known once they are (typing asks again)
    fail("the element type of this empty list is not known where set() uses it",
         "append to it before this, or start it with an element");
  check_key(nullptr, e, "set()");
  return result(t_set(e), Intrinsic::SetFrom);
}

const Type* dict_attribute_type(const Type* c, const std::string& name) {
  if (is_dict(c)) {
    for (const char* m : kDictMethods)
      if (name == m) return t_bound_method(c, name);
  } else if (is_set(c)) {
    for (const char* m : kSetMethods)
      if (name == m) return t_bound_method(c, name);
  }
  return nullptr;
}

CallResolution dict_method(const std::string& m, const Type* c, const std::vector<const Type*>& args,
                           const std::vector<std::string>& kw) {
  std::string what = std::string(is_set(c) ? "set." : "dict.") + m + "()";
  if (!kw.empty()) fail(what + " takes no keyword arguments");
  if (is_dict(c)) {
    const Type* value = c->dtype() ? c->elements()[0] : nullptr;
    if (m == "get") {
      expect_args(what, args, 1, 2);
      if (args.size() == 1) {  // None for a missing key
        known_key(c, what);
        check_key(c->dtype(), args[0], what);
        return result(t_optional(value), Intrinsic::DictGet);
      }
      // d[k] = d.get(k, 0) + x types an empty dict: until a store does, the default's type.
      if (!c->dtype() && storable(args[1])) return result(storage_type(args[1]), Intrinsic::DictGet);
      known_key(c, what);
      check_key(c->dtype(), args[0], what);
      check_value(value, args[1], what);
      return result(value, Intrinsic::DictGet);
    }
    if (m == "setdefault") {
      expect_args(what, args, 2, 2);
      known_key(c, what);
      check_key(c->dtype(), args[0], what);
      check_value(value, args[1], what);
      return result(value, Intrinsic::DictSetDefault);
    }
    if (m == "pop") {
      expect_args(what, args, 1, 2);
      known_key(c, what);
      check_key(c->dtype(), args[0], what);
      if (args.size() == 2) check_value(value, args[1], what);
      return result(value, Intrinsic::DictPop);
    }
    if (m == "popitem") {
      expect_args(what, args, 0, 0);
      known_key(c, what);
      return result(t_tuple({c->dtype(), value}), Intrinsic::DictPopItem);
    }
    if (m == "update") {
      expect_args(what, args, 1, 1);
      if (!is_dict(args[0])) unsupported("dict.update() of " + args[0]->str(), "update from another dict");
      if (c->dtype() && args[0]->dtype() && c != args[0])
        fail(what + ": cannot update a " + c->str() + " from a " + args[0]->str(), "a dict holds one key and one value type");
      return result(t_none(), Intrinsic::DictUpdate);
    }
    if (m == "keys" || m == "values" || m == "items") {
      expect_args(what, args, 0, 0);
      return result(t_dict_view(c, m), Intrinsic::DictView);
    }
  } else {
    const Type* e = c->dtype();
    if (m == "add" || m == "discard" || m == "remove") {
      expect_args(what, args, 1, 1);
      if (m != "add") known_key(c, what);
      check_key(e, args[0], what);
      return result(t_none(), m == "add" ? Intrinsic::SetAdd : m == "discard" ? Intrinsic::SetDiscard : Intrinsic::SetRemove);
    }
    if (m == "pop") {
      expect_args(what, args, 0, 0);
      return result(known_key(c, what), Intrinsic::SetPop);
    }
    if (m == "update") {
      expect_args(what, args, 1, 1);
      if (!is_list_iterable(args[0])) fail(what + " of " + args[0]->str() + " is not supported");
      check_key(e, iterable_element(args[0]), what);
      return result(t_none(), Intrinsic::SetUpdate);
    }
    if (m == "union" || m == "intersection" || m == "difference" || m == "symmetric_difference") {
      expect_args(what, args, 1, 1);
      check_other_set(c, args[0], what);
      return result(c->dtype() ? c : args[0], Intrinsic::SetCombine, m);
    }
    if (m == "issubset" || m == "issuperset" || m == "isdisjoint") {
      expect_args(what, args, 1, 1);
      check_other_set(c, args[0], what);
      return result(t_bool(), Intrinsic::SetRelation, m);
    }
  }
  if (m == "clear" || m == "copy") {
    expect_args(what, args, 0, 0);
    return result(m == "clear" ? t_none() : c, m == "clear" ? Intrinsic::HashClear : Intrinsic::HashCopy);
  }
  fail("'" + std::string(is_set(c) ? "set" : "dict") + "' has no method '" + m + "'");
}

const Type* dict_index_type(const Type* d, const Type* key) {
  check_key(known_key(d, "d[k]"), key, "d[k]");
  return d->elements()[0];
}

const Type* set_binop_type(BinOpKind k, const Type* a, const Type* b) {
  if (!is_set(a) && !is_set(b)) return nullptr;
  const char* names[] = {"|", "&", "-", "^"};
  int op = k == BinOpKind::Or ? 0 : k == BinOpKind::And ? 1 : k == BinOpKind::Sub ? 2 : k == BinOpKind::Xor ? 3 : -1;
  if (op < 0 || !is_set(a) || !is_set(b))
    fail(std::string("unsupported operand types for ") + binop_symbol(k) + ": " + a->str() + " and " + b->str());
  check_other_set(a, b, std::string("set ") + names[op]);
  return a->dtype() ? a : b;
}

bool hash_comparison(CmpKind k, const Type* a, const Type* b) {
  if (k == CmpKind::In || k == CmpKind::NotIn) {
    if (!is_dict(b) && !is_set(b) && !is_dict_view(b)) return false;
    const Type* c = is_dict_view(b) ? b->dtype() : b;
    // `if k not in d: d[k] = []` before any store: a bool, whatever the dict turns out to hold.
    if (!c->dtype()) return true;
    if (is_dict_view(b) && b->name() != "keys") {
      if (is_list(c->elements()[0]))
        unsupported("'in' over the values of a dict of lists", "loop over the values and compare them yourself");
      const Type* e = hash_iteration_element(b);
      if (!fits(e, a) && !(a->is_scalar() && e->is_scalar())) fail("cannot look for a " + a->str() + " in a " + b->str());
      return true;
    }
    // A key of another type is simply not there (1.5 in a set of ints is False).
    if (!storable(a)) fail("cannot look for a " + a->str() + " in a " + b->str());
    return true;
  }
  bool sa = is_set(a) || is_dict(a), sb = is_set(b) || is_dict(b);
  if (!sa && !sb) return false;
  if (a->kind() != b->kind()) fail(std::string("cannot compare ") + a->str() + " " + cmp_symbol(k) + " " + b->str());
  if (is_dict(a) && k != CmpKind::Eq && k != CmpKind::Ne)
    fail(std::string("'") + cmp_symbol(k) + "' is not supported between dicts");
  if (is_dict(a) && a->dtype() && is_list(a->elements()[0]))
    unsupported("comparing dicts of lists", "compare their keys and each value yourself");
  if (a->dtype() && b->dtype() && a != b)
    unsupported(std::string("comparing a ") + a->str() + " with a " + b->str(), "compare containers of one type");
  return true;
}

}  // namespace dn
