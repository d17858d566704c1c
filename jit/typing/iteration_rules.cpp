#include "jit/typing/iteration_rules.h"

#include "jit/typing/dict_rules.h"
#include "jit/typing/list_rules.h"
#include "jit/types/promotion.h"

namespace dn {

using rules::fail;
using rules::unsupported;

const Type* iterator_type(const Type* t) {
  if (t->kind() == TypeKind::Range) return t_range_iter();
  if (t->kind() == TypeKind::Array && t->ndim() >= 1) return t_array_iter(t);  // N-d: its rows (lower_iterators)
  if (is_list(t) && t->dtype()) return t_array_iter(t);
  if (t->kind() == TypeKind::String) return t_array_iter(t);  // its one-code-point strs (lower_strings)
  if (t->kind() == TypeKind::Tuple && (t->is_unituple() || t->elements().empty())) return t_array_iter(t);
  if (t->kind() == TypeKind::BuiltinIter) return t;  // iter(enumerate(x)) is itself
  if (is_generator(t)) return t;                      // and iter(gen()) too
  if (is_hash_iterable(t)) return t_array_iter(t);
  if (is_dict(t) || is_set(t) || is_dict_view(t))
    throw TypeRuleError{std::string("cannot infer the ") + (is_set(t) ? "element type of this empty set" : "types of this empty dict"),
                        "", false};
  if (is_list(t))
    throw TypeRuleError{"cannot infer the element type of this empty list", "", false};
  if (t->kind() == TypeKind::Tuple)
    throw TypeRuleError{"iterating over a tuple of mixed types " + t->str() + " is not supported",
                        "make its elements one type (pass 1.0 rather than 1), or unpack it: a, b = t", true};
  if (t->kind() == TypeKind::Array)
    throw TypeRuleError{"iteration over a 0-d array", "index it with a[()] for its one element", false};
  throw TypeRuleError{"cannot iterate over " + t->str(), "", false};
}

const Type* array_row_type(const Type* a) {
  return t_array(a->dtype(), a->ndim() - 1, a->layout() == Layout::C ? Layout::C : Layout::A, a->readonly());
}

const Type* next_type(const Type* it) {
  if (is_generator(it)) return it->dtype();
  if (it->kind() == TypeKind::RangeIter) return t_int64()->weakened();
  if (it->kind() == TypeKind::BuiltinIter) {
    std::vector<const Type*> items;
    for (const Type* x : it->elements()) items.push_back(next_type(iterator_type(x)));
    if (it->name() == "enumerate") return t_tuple({t_int64()->weakened(), items[0]});
    if (it->name() == "zip") return t_tuple(items);
    return items[0];  // reversed
  }
  const Type* seq = it->dtype();
  if (is_hash_iterable(seq)) return hash_iteration_element(seq);
  if (seq->kind() == TypeKind::String) return seq;
  if (seq->kind() == TypeKind::Array && seq->ndim() > 1) return array_row_type(seq);
  return seq->kind() == TypeKind::Tuple ? seq->elements()[0] : seq->dtype();
}

bool is_builtin_iterator_function(const std::string& q) {
  return q == "builtins.enumerate" || q == "builtins.zip" || q == "builtins.reversed";
}

CallResolution builtin_iterator_call(const std::string& q, const std::vector<const Type*>& args,
                                     const std::vector<std::string>& kwnames) {
  std::string name = q.substr(q.find('.') + 1);
  size_t iterables = args.size();
  if (name == "enumerate") {
    for (const std::string& k : kwnames)
      if (k != "start") fail("enumerate() got an unexpected keyword argument '" + k + "'");
    if (args.empty() || args.size() > 2) fail("enumerate() takes an iterable and an optional start");
    if (args.size() == 2 && !args[1]->is_int() && !args[1]->is_bool())
      fail("enumerate()'s start must be an integer, not " + args[1]->str());
    iterables = 1;
  } else {
    if (!kwnames.empty()) fail(name + "() takes no keyword arguments");
    if (args.empty()) unsupported(name + "() of nothing");
    if (name == "reversed" && args.size() != 1) fail("reversed() takes exactly one argument");
  }
  std::vector<const Type*> over(args.begin(), args.begin() + long(iterables));
  for (const Type* x : over) {
    iterator_type(x);  // throws for what cannot be iterated
    if (name == "reversed" && x->kind() == TypeKind::BuiltinIter)
      fail("reversed() of a " + x->name() + " object: it is not a sequence", "reverse the sequences it iterates");
  }
  CallResolution r;
  r.result = t_builtin_iter(name, over);
  r.intrinsic = Intrinsic::IterObject;
  r.params.assign(args.size(), nullptr);
  if (args.size() == 2 && name == "enumerate") r.params[1] = t_int64();
  return r;
}


CallResolution next_call(const std::vector<const Type*>& args, const std::vector<std::string>& kwnames) {
  if (!kwnames.empty()) fail("next() takes no keyword arguments");
  if (args.empty() || args.size() > 2)
    fail("next expected at least 1 argument, got " + std::to_string(args.size()));
  if (!is_generator(args[0]))
    unsupported("next() of " + args[0]->str() + " is not supported", "call next() on a generator, or iterate with a for loop");
  CallResolution r;
  r.intrinsic = Intrinsic::GeneratorNext;
  r.params = {nullptr};
  const Type* y = args[0]->dtype();
  r.result = y;
  if (args.size() == 2) {
    const Type* d = args[1];
    if (d->kind() == TypeKind::None && can_be_optional(y)) r.result = t_optional(y);  // next(g, None)
    else if (d->is_number() && y->is_number()) r.result = promote(y, d);
    else if (d->strong() != y->strong())
      fail("next()'s default is " + d->str() + ", the generator yields " + y->str(),
           "give a default of the type it yields, or None");
    r.params.push_back(r.result);
  }
  return r;
}

}  // namespace dn
