#include "jit/typing/class_rules.h"

#include <algorithm>

namespace dn {

using rules::fail;
using rules::unsupported;

namespace {

// The short name users wrote (Color for tests.test_enums.Color).
std::string short_name(const Type* t) {
  const std::string& n = t->name();
  size_t dot = n.rfind('.');
  return dot == std::string::npos ? n : n.substr(dot + 1);
}

// An enum global's members ((name, value), ...), aliases included.
const std::vector<ConstValue>* enum_members(const GlobalValue& g) {
  if ((g.kind != GlobalValue::Kind::EnumClass && g.kind != GlobalValue::Kind::EnumMember) ||
      g.value.items.size() < 2)
    return nullptr;
  return &g.value.items[1].items;
}

// The canonical name of the member of value `v` (the first: aliases come after it).
std::string member_name(const std::vector<ConstValue>& members, int64_t v) {
  for (const ConstValue& m : members)
    if (m.items.size() == 2 && m.items[1].i == v) return m.items[0].s;
  return "";
}

// The member `v` is when it is known while compiling: a Global of one, Color.RED, or a
// constant that was one of those. Sets its value and name.
bool known_member(const Instr* v, int64_t& value, std::string& name) {
  if (v->op == Opcode::Global && v->gval.kind == GlobalValue::Kind::EnumMember) {
    const auto* members = enum_members(v->gval);
    for (const ConstValue& m : *members)
      if (m.items[0].s == v->gval.value.items[2].s) {
        value = m.items[1].i;
        name = member_name(*members, value);
        return true;
      }
    return false;
  }
  if (v->op == Opcode::GetAttr && v->operands[0]->op == Opcode::Global) {
    const auto* members = enum_members(v->operands[0]->gval);
    if (!members) return false;
    for (const ConstValue& m : *members)
      if (m.items[0].s == v->attr) {
        value = m.items[1].i;
        name = member_name(*members, value);
        return true;
      }
    return false;
  }
  if (v->op == Opcode::Const && v->type && v->type->kind() == TypeKind::EnumMember && !v->cval.s.empty()) {
    value = v->cval.i;
    name = v->cval.s;
    return true;
  }
  return false;
}

void set_int(ConstValue* out, int64_t v, const std::string& name = "") {
  if (!out) return;
  out->kind = ConstValue::Kind::Int;
  out->i = v;
  out->s = name;  // a member's name, kept for c.name after the member became a constant
}

}  // namespace

const Type* class_global_type(const GlobalValue& g, ConstValue* constant_out) {
  const auto& items = g.value.items;
  switch (g.kind) {
    case GlobalValue::Kind::NamedTupleClass: {
      std::vector<std::string> fields;
      for (const ConstValue& f : items.at(0).items) fields.push_back(f.s);
      return t_class(g.name, g.handle, fields, nullptr);
    }
    case GlobalValue::Kind::NamedTupleValue: {
      std::vector<std::string> fields;
      std::vector<const Type*> elems;
      for (const ConstValue& f : items.at(0).items) fields.push_back(f.s);
      for (const ConstValue& v : items.at(1).items) elems.push_back(const_type(v));
      if (constant_out) *constant_out = items[1];
      return t_named_tuple(g.name, g.handle, fields, elems);
    }
    case GlobalValue::Kind::EnumClass:
      return t_class(g.name, g.handle, {}, t_enum_member(g.name, g.handle, items.at(0).i != 0));
    case GlobalValue::Kind::EnumMember: {
      const Type* t = t_enum_member(g.name, g.handle, items.at(0).i != 0);
      for (const ConstValue& m : items.at(1).items)
        if (m.items[0].s == items.at(2).s) set_int(constant_out, m.items[1].i, member_name(items[1].items, m.items[1].i));
      return t;
    }
    default: return nullptr;
  }
}

std::shared_ptr<const FunctionInfo> namedtuple_constructor(const GlobalValue& g) {
  auto info = std::make_shared<FunctionInfo>();
  size_t dot = g.name.rfind('.');
  info->name = dot == std::string::npos ? g.name : g.name.substr(dot + 1);
  const auto& fields = g.value.items.at(0).items;
  const auto& defaults = g.value.items.at(1).items;
  info->argcount = int(fields.size());
  for (size_t k = 0; k < fields.size(); ++k) {
    info->varnames.push_back(fields[k].s);
    if (k + defaults.size() >= fields.size()) {
      GlobalValue d;
      d.kind = GlobalValue::Kind::Const;
      d.value = defaults[k + defaults.size() - fields.size()];
      info->defaults[fields[k].s] = d;
    }
  }
  return info;
}

const Type* class_attribute_type(const Instr* obj, const std::string& attr, ConstValue* constant_out,
                                 int* field_out) {
  const Type* t = obj->type;
  if ((t->is_named_tuple() || (t->kind() == TypeKind::Class && !t->dtype())) && attr == "_fields") {
    ConstValue c;  // P._fields, p._fields: a tuple of strs known while compiling
    c.kind = ConstValue::Kind::Tuple;
    for (const std::string& f : t->fields()) {
      ConstValue s;
      s.kind = ConstValue::Kind::Str;
      s.s = f;
      c.items.push_back(s);
    }
    if (constant_out) *constant_out = c;
    return t_tuple(std::vector<const Type*>(t->fields().size(), t_string()));
  }
  if (t->is_named_tuple() && (attr == "_asdict" || attr == "_make"))
    unsupported("namedtuple method " + attr + "() is not supported in jitted code",
                attr == "_asdict" ? "build the dict from the fields: {'x': p.x, ...}"
                                  : "call the class with the values: " + short_name(t) + "(a, b)");
  if (t->is_named_tuple()) {
    for (size_t k = 0; k < t->fields().size(); ++k)
      if (t->fields()[k] == attr) {
        if (field_out) *field_out = int(k);
        return t->elements()[k];
      }
    if (attr == "_replace") return t_bound_method(t, attr);
    fail("'" + short_name(t) + "' object has no attribute '" + attr + "'",
         t->fields().empty() ? "" : "its fields are " + [&] {
           std::string s;
           for (auto& f : t->fields()) s += (s.empty() ? "" : ", ") + f;
           return s;
         }());
  }
  if (t->kind() == TypeKind::Class && !t->dtype()) {
    unsupported("the attribute '" + attr + "' of the namedtuple class " + short_name(t) + " is not supported",
                "call the class to make one: " + short_name(t) + "(...)");
  }
  if (t->kind() == TypeKind::Class) {
    const auto* members = obj->op == Opcode::Global ? enum_members(obj->gval) : nullptr;
    if (!members)
      unsupported("an enum class that is not read from a global or closure variable",
                  "name the class itself: " + short_name(t->dtype()) + "." + attr);
    for (const ConstValue& m : *members)
      if (m.items[0].s == attr) {
        set_int(constant_out, m.items[1].i, member_name(*members, m.items[1].i));
        return t->dtype();
      }
    fail("type object '" + short_name(t->dtype()) + "' has no attribute '" + attr + "'",
         "its members are " + [&] {
           std::string s;
           for (const ConstValue& m : *members) s += (s.empty() ? "" : ", ") + m.items[0].s;
           return s;
         }());
  }
  if (t->kind() != TypeKind::EnumMember) return nullptr;
  int64_t value = 0;
  std::string name;
  bool known = known_member(obj, value, name);
  if (attr == "value") {
    if (known) set_int(constant_out, value);
    return t->dtype();
  }
  if (attr == "name") {
    if (!known)
      unsupported("the name of an enum member known only at run time",
                  "compare the member with each one (c == " + short_name(t) + ".RED), or pass c.name as an argument");
    if (constant_out) {
      constant_out->kind = ConstValue::Kind::Str;
      constant_out->s = name;
    }
    return t_string();
  }
  fail("'" + short_name(t) + "' member has no attribute '" + attr + "' that dunnart supports", "supported: value, name");
}

const Type* class_call_type(const Type* callee, const std::vector<const Type*>& args,
                            const std::vector<std::string>& kwnames) {
  if (callee->kind() == TypeKind::Class) {
    if (callee->dtype())
      unsupported("calling the enum class " + short_name(callee->dtype()) + " (looking a member up by value)",
                  "name the member: " + short_name(callee->dtype()) + ".NAME");
    if (!kwnames.empty() || args.size() != callee->fields().size())
      fail(short_name(callee) + "() takes " + std::to_string(callee->fields().size()) + " arguments, got " +
           std::to_string(args.size()));
    for (const Type* a : args)
      if (!a->has_runtime_value()) fail("a namedtuple cannot hold a " + a->str());
    return t_named_tuple(callee->name(), callee->class_serial(), callee->fields(), args);
  }
  if (callee->kind() != TypeKind::BoundMethod || callee->name() != "_replace" || !callee->dtype()->is_named_tuple())
    return nullptr;
  const Type* p = callee->dtype();
  if (kwnames.size() != args.size())
    fail("_replace() takes keyword arguments only", "write p._replace(" + p->fields()[0] + "=value)");
  std::vector<const Type*> elems = p->elements();
  for (size_t k = 0; k < kwnames.size(); ++k) {
    auto at = std::find(p->fields().begin(), p->fields().end(), kwnames[k]);
    if (at == p->fields().end()) fail("got unexpected field name '" + kwnames[k] + "' in _replace()");
    elems[size_t(at - p->fields().begin())] = args[k];
  }
  return t_named_tuple(p->name(), p->class_serial(), p->fields(), elems);
}

EnumCompare enum_comparison(CmpKind k, const Type* a, const Type* b) {
  bool ea = a->kind() == TypeKind::EnumMember, eb = b->kind() == TypeKind::EnumMember;
  if (!ea && !eb) return EnumCompare::None;
  bool equality = k == CmpKind::Eq || k == CmpKind::Ne || k == CmpKind::Is || k == CmpKind::IsNot;
  bool positive = k == CmpKind::Eq || k == CmpKind::Is;
  if (k == CmpKind::In || k == CmpKind::NotIn) return EnumCompare::None;
  if (a == b && equality) return EnumCompare::Values;
  // An IntEnum member is an int: with numbers (and other IntEnums) it compares as one.
  const Type* na = demote_int_enum(a) ? demote_int_enum(a) : a;
  const Type* nb = demote_int_enum(b) ? demote_int_enum(b) : b;
  if (k != CmpKind::Is && k != CmpKind::IsNot && na->is_scalar() && nb->is_scalar() && !na->is_complex() &&
      !nb->is_complex())
    return EnumCompare::Values;
  if (equality) return positive ? EnumCompare::AlwaysFalse : EnumCompare::AlwaysTrue;
  fail(std::string("'") + cmp_symbol(k) + "' is not supported between instances of '" +
           (ea ? short_name(a) : a->str()) + "' and '" + (eb ? short_name(b) : b->str()) + "'",
       "compare the members' values: a.value < b.value");
}

bool known_enum_value(const Instr* v, int64_t& value) {
  std::string name;
  return v->type && v->type->kind() == TypeKind::EnumMember && known_member(v, value, name);
}

const Type* demote_int_enum(const Type* t) { return t && t->is_int_enum() ? t->dtype() : nullptr; }

}  // namespace dn
