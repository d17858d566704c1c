#include "jit/typing/optional_rules.h"

#include "jit/typing/resolve.h"
#include "runtime/abi.h"

namespace dn {

std::string python_type_name(const Type* t) {
  switch (t->kind()) {
    // NumPy scalars are named as the Python numbers they subclass or convert to.
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Float: return "float";
    case TypeKind::Complex: return "complex";
    case TypeKind::None: return "NoneType";
    case TypeKind::String: return "str";
    case TypeKind::Array: return "numpy.ndarray";
    case TypeKind::Tuple: {
      if (!t->is_named_tuple()) return "tuple";
      size_t dot = t->name().rfind('.');
      return dot == std::string::npos ? t->name() : t->name().substr(dot + 1);
    }
    case TypeKind::List: return "list";
    case TypeKind::Dict: return "dict";
    case TypeKind::Set: return "set";
    case TypeKind::Range: return "range";
    case TypeKind::Slice: return "slice";
    case TypeKind::Optional: return python_type_name(t->dtype());
    default: return t->str();
  }
}

namespace {

const std::string kNone = "'NoneType'";

std::string optional_text(const Type* t) { return "an optional value (" + t->str() + ": None or a value)"; }

[[noreturn]] void refuse(const std::string& what, const std::string& hint) {
  throw TypeRuleError{what + " is not supported", hint, true};
}

// Under the test, x is a plain value (narrow_optionals).
const char* const kTestFirst = "test it first: under `if x is not None:` x is a plain value";

// Who `o` is in an error: the variable it was read from, when there is one.
std::string describe(const Instr* o) {
  bool named = (o->op == Opcode::Phi || o->op == Opcode::Arg) && !o->var.empty() && o->var[0] != '$';
  return named ? "'" + o->var + "'" : "a value";
}

OptionalUse unwrap(std::string message, int code = DN_TYPE_ERROR) { return OptionalUse{false, code, std::move(message)}; }
OptionalUse as_is() { return OptionalUse{true, 0, ""}; }

// What Python says when None is converted into an element of an array of `dtype`.
std::string element_message(const Type* dtype) {
  if (dtype->is_int()) return "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'";
  return "float() argument must be a string or a real number, not 'NoneType'";
}

std::string index_message(const Type* obj) {
  if (obj->kind() == TypeKind::List) return "list indices must be integers or slices, not NoneType";
  if (obj->kind() == TypeKind::Tuple) return "tuple indices must be integers or slices, not NoneType";
  if (obj->kind() == TypeKind::String) return "string indices must be integers, not 'NoneType'";
  return "an optional index holds None (a[None] would add an axis in NumPy; dunnart indexes with its value)";
}

bool is_container(const Type* t) {
  return t->kind() == TypeKind::List || t->kind() == TypeKind::Dict || t->kind() == TypeKind::Set;
}

// `if x:`, `not x`, bool(x): x is not None and its value is true, read without a branch,
// so not of containers (their value is a null pointer when x is None).
OptionalUse truth_use(const Type* t) {
  if (is_container(t->dtype()))
    refuse("the truth of " + optional_text(t) + " (a list, dict or set)", "write `x is not None and len(x) > 0`");
  return as_is();
}

OptionalUse call_use(const Instr* i, size_t k) {
  const Type* callee = i->operands[0]->type;
  const Instr* o = i->operands[k];
  switch (callee->kind()) {
    case TypeKind::Dispatcher:  // compiled for the optional: `x is None` works in there
    case TypeKind::Class: return as_is();  // a namedtuple's field may be optional
    case TypeKind::BoundMethod:
      if (callee->name() == "_replace") return as_is();
      if (is_container(callee->dtype())) refuse("storing or finding " + optional_text(o->type) + " in a list, dict or set", kTestFirst);
      break;
    default: break;
  }
  if (callee->kind() == TypeKind::NumberClass) {  // bool(x), int(x), np.float32(x)
    if (callee->dtype()->is_bool()) return truth_use(o->type);
    return unwrap(element_message(callee->dtype()));
  }
  const std::string& f = callee->name();
  if (f == "builtins.bool") return truth_use(o->type);
  if (f == "builtins.print" || f == "builtins.str" || f == "builtins.repr" || f == "builtins.isinstance" ||
      f == "builtins.hash")
    refuse(f.substr(9) + "() of " + optional_text(o->type), kTestFirst);
  if (f == "builtins.len") return unwrap("object of type 'NoneType' has no len()");
  if (f == "builtins.abs") return unwrap("bad operand type for abs(): 'NoneType'");
  if (f == "builtins.int") return unwrap(element_message(t_int64()));
  if (f == "builtins.float") return unwrap(element_message(t_float64()));
  if (f == "builtins.range") return unwrap("'NoneType' object cannot be interpreted as an integer");
  if (f == "builtins.reversed") return unwrap("'NoneType' object is not reversible");
  bool one_iterable = i->operands.size() == 2 && (f == "builtins.min" || f == "builtins.max");
  if (one_iterable || f == "builtins.list" || f == "builtins.tuple" || f == "builtins.set" || f == "builtins.sorted" ||
      f == "builtins.sum" || f == "builtins.any" || f == "builtins.all" || f == "builtins.enumerate" ||
      f == "builtins.zip" || f == "builtins.dict")
    return unwrap("'NoneType' object is not iterable");
  if (f.rfind("math.", 0) == 0) return unwrap("must be real number, not NoneType");
  std::string what = callee->kind() == TypeKind::BoundMethod ? callee->name() : f;
  if (what.rfind("builtins.", 0) == 0) what = what.substr(9);
  if (what.rfind("numpy.", 0) == 0) what = "np." + what.substr(6);
  return unwrap(describe(o) + " is None, but " + what + "() needs a value of type " + o->type->dtype()->str());
}

}  // namespace

OptionalUse optional_use(const Instr* i, size_t k) {
  const Instr* o = i->operands[k];
  const Type* t = o->type;
  const Type* other = i->operands.size() == 2 ? i->operands[1 - k]->type : nullptr;
  switch (i->op) {
    case Opcode::Truth:
    case Opcode::CondBr: return truth_use(t);
    case Opcode::Phi:
    case Opcode::Return:
    case Opcode::BuildTuple:
    case Opcode::Cast:
    case Opcode::OptionalHas:
    case Opcode::OptionalValue:
    case Opcode::Unwrap: return as_is();
    case Opcode::UnaryOp:
      if (i->unop == UnaryKind::Not) return truth_use(t);
      return unwrap(std::string("bad operand type for unary ") + unary_symbol(i->unop) + ": 'NoneType'");
    case Opcode::BinOp: {
      std::string op = i->binop == BinOpKind::Pow ? "** or pow()" : binop_symbol(i->binop);
      if (i->inplace) op = i->binop == BinOpKind::Pow ? "**=" : op + "=";
      std::string o_name = "'" + python_type_name(other) + "'";
      return unwrap("unsupported operand type(s) for " + op + ": " + (k == 0 ? kNone + " and " + o_name : o_name + " and " + kNone));
    }
    case Opcode::Compare: {
      CmpKind c = i->cmp;
      bool with_none = other->kind() == TypeKind::None;
      if (c == CmpKind::Is || c == CmpKind::IsNot) {
        if (with_none) return as_is();
        throw TypeRuleError{"'is' is only supported for comparisons with None", "use ==", false};
      }
      if (c == CmpKind::Eq || c == CmpKind::Ne) {
        // x == 3 is False when x is None: a run-time test of both (infer.cpp's rewrite).
        const Type* v = t->dtype();
        if (with_none || ((v->is_scalar() || v->kind() == TypeKind::String) && !is_optional(other) &&
                          (other->is_scalar() || other->kind() == TypeKind::String)))
          return as_is();
        refuse("comparing " + optional_text(t) + " with " + other->str() + " by == or !=", kTestFirst);
      }
      if (c == CmpKind::In || c == CmpKind::NotIn) {
        if (k == 0) refuse("`in` with " + optional_text(t) + " as the element", kTestFirst);
        return unwrap("argument of type 'NoneType' is not iterable");
      }
      std::string o_name = "'" + python_type_name(other) + "'";
      return unwrap(std::string("'") + cmp_symbol(c) + "' not supported between instances of " +
                    (k == 0 ? kNone + " and " + o_name : o_name + " and " + kNone));
    }
    case Opcode::GetAttr: return unwrap("'NoneType' object has no attribute '" + i->attr + "'", DN_ATTRIBUTE_ERROR);
    case Opcode::GetIter: return unwrap("'NoneType' object is not iterable");
    case Opcode::TupleGet: return unwrap("cannot unpack non-iterable NoneType object");
    case Opcode::GetItem:
    case Opcode::SetItem:
    case Opcode::DelItem: {
      const Type* obj = i->operands[0]->type;
      if (k == 0) {
        if (i->op == Opcode::GetItem) return unwrap("'NoneType' object is not subscriptable");
        if (i->op == Opcode::SetItem) return unwrap("'NoneType' object does not support item assignment");
        return unwrap("'NoneType' object does not support item deletion");
      }
      if (is_optional(obj)) obj = obj->dtype();
      bool value = i->op == Opcode::SetItem && k + 1 == i->operands.size();
      if (is_container(obj))
        refuse(value ? "storing " + optional_text(t) + " into " + obj->str() : "indexing " + obj->str() + " with " + optional_text(t),
               kTestFirst);
      if (!value) return unwrap(index_message(obj));
      if (obj->kind() == TypeKind::Array && obj->dtype()->is_int()) return unwrap(element_message(obj->dtype()));
      if (obj->kind() == TypeKind::Array && obj->dtype()->is_float()) return as_is();  // None stores NaN (infer.cpp)
      refuse("storing " + optional_text(t) + " into " + obj->str(), kTestFirst);
    }
    case Opcode::Call: return call_use(i, k);
    case Opcode::BuildList:
    case Opcode::BuildSet:
    case Opcode::BuildDict:
      refuse(optional_text(t) + " as an element of a list, set or dict", kTestFirst + std::string(", or use a sentinel such as -1"));
    case Opcode::Format:
    case Opcode::Print:
    case Opcode::Raise: refuse("formatting " + optional_text(t) + " (print, str, f-strings)", kTestFirst);
    default: return unwrap(describe(o) + " is None where a value of type " + t->dtype()->str() + " is needed");
  }
}

}  // namespace dn
