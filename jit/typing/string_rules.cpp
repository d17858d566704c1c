#include "jit/typing/string_rules.h"

#include <set>
#include <string>

namespace dn {

using rules::fail;

bool is_str(const Type* t) { return t && t->kind() == TypeKind::String; }

const Type* string_binop_type(BinOpKind k, const Type* a, const Type* b) {
  if (!is_str(a) && !is_str(b)) return nullptr;
  if (k == BinOpKind::Add && is_str(a) && is_str(b)) return t_string();
  if (k == BinOpKind::Mul) {
    const Type* n = is_str(a) ? b : a;
    if (n->is_int() || n->is_bool()) return t_string();
  }
  std::string what = std::string("unsupported operand types for ") + binop_symbol(k) + ": " + a->str() + " and " + b->str();
  if (k == BinOpKind::Mod && is_str(a)) fail(what + " (%-formatting is not compiled yet)", "write an f-string: f\"...{x}...\"");
  fail(what, is_str(a) && is_str(b) ? "" : "convert the other value with str()");
}

bool string_comparison(CmpKind k, const Type* a, const Type* b) {
  if (!is_str(a) && !is_str(b)) return false;
  if (k == CmpKind::In || k == CmpKind::NotIn) {
    if (!is_str(b)) return false;  // 'a' in (...) and friends: the container's rules
    if (!is_str(a)) fail("'in <string>' requires a str as left operand, not " + a->str());
    return true;
  }
  if (k == CmpKind::Eq || k == CmpKind::Ne) return true;
  if (!is_str(a) || !is_str(b))
    fail(std::string("'") + (k == CmpKind::Lt ? "<" : k == CmpKind::Le ? "<=" : k == CmpKind::Gt ? ">" : ">=") +
         "' is not supported between " + a->str() + " and " + b->str());
  return true;
}

namespace {

// Methods by what they give: bool, int, str, list of str.
const std::set<std::string> kBoolMethods = {"startswith", "endswith", "isdigit", "isalpha", "isspace", "isalnum",
                                            "isupper", "islower", "isdecimal", "isnumeric"};
const std::set<std::string> kIntMethods = {"find", "rfind", "index", "count"};
const std::set<std::string> kStrMethods = {"upper", "lower", "strip", "lstrip", "rstrip", "replace", "join",
                                           "title", "capitalize", "swapcase", "casefold"};

}  // namespace

const Type* string_attribute_type(const Type* s, const std::string& name) {
  if (kBoolMethods.count(name) || kIntMethods.count(name) || kStrMethods.count(name) || name == "split")
    return t_bound_method(s, name);
  return nullptr;
}

CallResolution string_method(const std::string& m, const Type*, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kw) {
  std::string what = "str." + m + "()";
  if (!kw.empty()) fail(what + " takes no keyword arguments in jitted code", "pass the arguments by position");
  size_t takes_min = 0, takes_max = 0;
  if (m == "startswith" || m == "endswith" || kIntMethods.count(m)) takes_min = 1, takes_max = 3;  // sub, start, end
  else if (m == "join") takes_min = takes_max = 1;
  else if (m == "replace") takes_min = takes_max = 2;
  else if (m == "strip" || m == "lstrip" || m == "rstrip") takes_max = 1;
  else if (m == "split") takes_max = 2;  // sep, maxsplit
  if (args.size() < takes_min || args.size() > takes_max)
    fail(what + " takes " + (takes_min == takes_max ? std::to_string(takes_min) : "at most " + std::to_string(takes_max)) +
             " argument" + (takes_max == 1 ? "" : "s") + " here (" + std::to_string(args.size()) + " given)",
         "");
  for (size_t k = 0; k < args.size(); ++k) {
    const Type* a = args[k];
    if (k > 0 && (takes_max == 3 || m == "split")) {  // start, end, maxsplit: ints (or None)
      if (m == "split" && !a->is_int() && !a->is_bool())
        fail("'" + a->str() + "' object cannot be interpreted as an integer");
      if (!a->is_int() && !a->is_bool() && a->kind() != TypeKind::None)
        fail("slice indices must be integers or None, not " + a->str());
      continue;
    }
    bool ok = is_str(a) || (a->kind() == TypeKind::None && (m == "split" || m == "strip" || m == "lstrip" || m == "rstrip"));
    if (m == "join") ok = (a->kind() == TypeKind::List && (!a->dtype() || is_str(a->dtype()))) ||
                          (is_generator(a) && is_str(a->dtype()));
    if (!ok) fail(what + (m == "join" ? " takes a list (or generator) of strs" : " takes strs") + ", not " + a->str());
  }
  CallResolution r;
  r.intrinsic = Intrinsic::StrMethod;
  r.func = m;
  r.params = std::vector<const Type*>(args.size() + 1, nullptr);
  r.result = kBoolMethods.count(m) ? t_bool() : kIntMethods.count(m) ? t_int64()->weakened()
             : m == "split"        ? t_list(t_string())
                                   : t_string();
  return r;
}

CallResolution string_builtin(const std::string& name, const std::vector<const Type*>& args,
                              const std::vector<std::string>& kw) {
  if (!kw.empty() || args.size() != 1) fail(name + "() takes exactly one argument");
  bool ord = name == "ord";
  if (ord && !is_str(args[0])) fail("ord() expected a str, not " + args[0]->str());
  if (!ord && !args[0]->is_int() && !args[0]->is_bool()) fail("chr() takes an int, not " + args[0]->str());
  CallResolution r;
  r.intrinsic = Intrinsic::StrMethod;
  r.func = name;
  r.params = {nullptr};
  r.result = ord ? t_int64()->weakened() : t_string();
  return r;
}

CallResolution string_to_number(const Type* to) {
  if (to->is_int() && to->strong() != t_int64())
    rules::unsupported(to->str() + "() of a str", "parse it first: np." + to->str() + "(int(s))");
  CallResolution r;
  r.intrinsic = Intrinsic::StrMethod;
  r.func = to->is_int() ? "int" : "float";
  r.params = {nullptr};
  r.result = to;
  return r;
}

const Type* string_index_type(const Type*, const Type* index) {
  if (index->kind() == TypeKind::Slice) return t_string();
  if (!index->is_int() && !index->is_bool()) fail("string indices must be integers, not " + index->str());
  return t_string();
}

}  // namespace dn
