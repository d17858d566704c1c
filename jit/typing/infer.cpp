// Type inference to a fixpoint, then the rewrite that makes typed IR explicit.
#include "jit/typing/infer.h"

#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "jit/typing/big_ints.h"
#include "jit/typing/bind_call_arguments.h"
#include "jit/typing/class_rules.h"
#include "jit/typing/iteration_rules.h"
#include "jit/typing/percent_format.h"
#include "jit/typing/dict_rules.h"
#include "jit/typing/list_rules.h"
#include "jit/typing/string_rules.h"
#include "jit/typing/narrow_optionals.h"
#include "jit/typing/optional_rules.h"
#include "jit/typing/print_call.h"
#include "jit/typing/resolve.h"
#include "jit/types/promotion.h"

namespace dn {

std::string function_symbol(const FunctionInfo& info, const std::vector<const Type*>& args) {
  std::string sig;
  for (auto* a : args) sig += a->str() + ";";
  std::string base = info.module + "." + info.qualname;
  for (char& c : base)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return "dn_" + base + "_" + std::to_string(std::hash<std::string>()(sig + std::to_string(info.handle)));
}

namespace {

// NumPy's "same_kind" casting: within a kind or towards a higher one (bool < int < float < complex).
// Whether the integer dtype `t` holds the value v.
bool int_fits(int64_t v, const Type* t) {
  if (t->bits() == 64) return t->is_signed() || v >= 0;
  int64_t lo = t->is_signed() ? -(int64_t(1) << (t->bits() - 1)) : 0;
  int64_t hi = t->is_signed() ? (int64_t(1) << (t->bits() - 1)) - 1 : (int64_t(1) << t->bits()) - 1;
  return v >= lo && v <= hi;
}

// NumPy computes `bool_array ** 2` as np.square, whose bool input runs the int8 loop (other
// exponents promote with the Python int to int64).
bool is_bool_array_squared(const Instr* i) {
  const Instr* e = i->operands[1];
  const Type* a = i->operands[0]->type;
  return i->binop == BinOpKind::Pow && a->kind() == TypeKind::Array && a->dtype()->is_bool() &&
         e->op == Opcode::Const && e->cval.kind == ConstValue::Kind::Int && e->cval.i == 2;
}

class Inferencer {
 public:
  Inferencer(const TypingContext& context, Function& fn) : context_(context), fn_(fn) {}

  void run(const std::vector<const Type*>& arg_types, const Type* declared_return);
  // Types every live instruction until nothing changes.
  void fixpoint();
  // Whether a call of a jitted function is still untyped (a recursive call, until the
  // function has a return type to answer it with).
  bool calls_itself_untyped() const;
  // A generator function (not a generator expression its consumer takes whole), and what
  // calling it makes.
  bool makes_generator() const;
  const Type* generator_type() const;
  const Type* unify_results(const std::vector<const Instr*>& sources, const std::string& what, const char* hint,
                            const std::function<std::string(const Instr*)>& place) const;

 private:
  [[noreturn]] void raise(const Instr* i, const TypeRuleError& e) {
    report(e.unsupported ? ErrorKind::Unsupported : ErrorKind::Typing, fn_.info, i->loc,
           (e.unsupported ? "Unsupported: " : "Typing error: ") + e.message, e.hint);
  }
  // Computes the type of `i` from its operands' current types (null: not known yet).
  const Type* compute(Instr* i);
  // IntEnum members used as numbers become their values (a Cast before i), once.
  void demote_int_enums(Instr* i);
  // Optionals used where a value is needed become their values (an Unwrap before i that
  // raises Python's error when one holds None), once.
  void unwrap_optionals(Instr* i);
  // A new instruction of type t before `pos`.
  Instr* emit_before(Instr* pos, Opcode op, std::vector<Instr*> operands, const Type* t);
  Instr* list_as_index(Instr* at, Instr* list);
  Instr* bool_before(Instr* pos, bool v);
  // `x is None`, `x == None`, `x == 3` with an optional x or a None: run-time tests of
  // optional_has (or constants when the types decide). False: not such a comparison.
  bool rewrite_none_comparison(Instr* i);
  // The truth of an optional: it holds a value and that value is true.
  void rewrite_optional_truth(Instr* i);
  const Type* item_type(Instr* obj, Instr* idx);
  PercentFormat percent_format_of(const Instr* binop) const;
  void rewrite(Instr* i);
  // P(a, b) and p._replace(x=a): a tuple of the elements, cast to the namedtuple's type.
  bool rewrite_class_call(Instr* i);
  Instr* make_cast(Instr* v, const Type* to, SourceLoc loc);  // null when no cast is needed
  Instr* cast(Instr* v, const Type* to, Instr* before);
  Instr* cast_at_end(Instr* v, const Type* to, Block* b);
  static std::vector<const Type*> operand_types(const Instr* i, size_t from = 0) {
    std::vector<const Type*> t;
    for (size_t k = from; k < i->operands.size(); ++k) t.push_back(i->operands[k]->type);
    return t;
  }
  static bool operands_known(const Instr* i) {
    for (Instr* o : i->operands)
      if (!o->type) return false;
    return true;
  }

  // Compile-time branches: the value of a branch condition known while typing (`x is None`
  // with x None or not, `a.ndim == 2`, constants), and the blocks and edges that can run.
  std::optional<bool> known_condition(const Instr* c) const;
  std::optional<std::vector<std::pair<int, int64_t>>> tuple_arithmetic(const Instr* i) const;
  std::optional<int64_t> known_int(const Instr* v) const;
  // `==`/`!=` of two scalar types as values (a.dtype == np.float32).
  static bool dtype_comparison(const Instr* c) {
    const Type* a = c->operands[0]->type;
    const Type* b = c->operands[1]->type;
    return (c->cmp == CmpKind::Eq || c->cmp == CmpKind::Ne) && a && b && a->kind() == TypeKind::NumberClass &&
           b->kind() == TypeKind::NumberClass;
  }
  // `x is None`, `x == None`, and `x == v` with an optional x: a bool decided at run time
  // (or by the types when neither side is optional). Not an array compared with None
  // (NumPy compares it elementwise).
  static bool none_comparison(const Instr* c) {
    CmpKind k = c->cmp;
    if (k != CmpKind::Is && k != CmpKind::IsNot && k != CmpKind::Eq && k != CmpKind::Ne) return false;
    const Type* a = c->operands[0]->type;
    const Type* b = c->operands[1]->type;
    if (!a || !b) return false;
    bool none = a->kind() == TypeKind::None || b->kind() == TypeKind::None;
    bool equality = k == CmpKind::Eq || k == CmpKind::Ne;
    if (none && equality && (a->kind() == TypeKind::Array || b->kind() == TypeKind::Array)) return false;
    if (none) return true;
    return equality && (is_optional(a) || is_optional(b));
  }
  // bool(x) of an optional x.
  static bool optional_truth_call(const Instr* c) {
    const Type* f = c->operands[0]->type;
    bool is_bool = f == t_function("builtins.bool") || (f->kind() == TypeKind::NumberClass && f->dtype()->is_bool());
    return is_bool && c->operands.size() == 2 && c->kwnames.empty() && is_optional(c->operands[1]->type);
  }
  void mark_successors(Block* b, bool& changed);
  bool edge_live(const Block* from, const Block* to) const { return live_edges_.count({from, to}) != 0; }
  // Drops what cannot run: branches on known conditions become jumps (rewrite turns the
  // `is None` comparisons themselves into constants).
  void prune_dead_code();

  // Empty containers (`[]`, `list()`, `{}`, `dict()`, `set()`) take their element (key and
  // value) types from what is stored into them: refine records them for the instructions
  // that create them. A container's parts: {element} of a list or set, {key, value} of a dict.
  using Parts = std::vector<const Type*>;
  static bool creates_empty_container(const Instr* i) {
    if ((i->op == Opcode::BuildList || i->op == Opcode::BuildDict || i->op == Opcode::BuildSet) && i->operands.empty())
      return true;
    if (i->op != Opcode::Call || i->operands.size() != 1 || !i->operands[0]->type) return false;
    const Type* f = i->operands[0]->type;
    return f == t_function("builtins.list") || f == t_function("builtins.dict") || f == t_function("builtins.set") ||
           f == t_function("dunnart.typed.List") || f == t_function("dunnart.typed.Dict");
  }
  const Type* empty_container_type(const Instr* creator) const {
    auto it = container_parts_.find(creator);
    bool known = it != container_parts_.end();
    bool dict = creator->op == Opcode::BuildDict ||
                (creator->op == Opcode::Call && (creator->operands[0]->type == t_function("builtins.dict") ||
                                                 creator->operands[0]->type == t_function("dunnart.typed.Dict")));
    bool set = creator->op == Opcode::BuildSet || (creator->op == Opcode::Call && creator->operands[0]->type == t_function("builtins.set"));
    if (dict) return known ? t_dict(it->second[0], it->second[1]) : t_dict(nullptr, nullptr);
    if (set) return t_set(known ? it->second[0] : nullptr);
    return t_list(known ? it->second[0] : nullptr);
  }
  void refine(const Instr* container, const Parts& parts);
  void refine_stored_list(const Instr* container, const Instr* stored);
  // What a method call stores into its receiver, when it is one that may type an empty
  // container (empty: none).
  static Parts stored_parts(const Instr* call);

  const TypingContext& context_;
  Function& fn_;
  std::unordered_map<const Instr*, Parts> container_parts_;
  // Tuples sliced with constant bounds: the slice -> the elements it takes (rewrite makes
  // the new tuple of them, once the slice's operands are no longer constants).
  std::unordered_map<const Instr*, std::vector<int64_t>> tuple_slices_;
  bool refined_ = false;
  std::unordered_set<const Block*> live_;
  std::set<std::pair<const Block*, const Block*>> live_edges_;
  const Type* return_type_ = nullptr;
  const Type* declared_return_ = nullptr;
};

// `if c:` of an Enum member (an IntEnum's is its int): Python calls it true unless its class
// says otherwise; dunnart asks for the comparison meant.
TypeRuleError enum_truth(const Type* t) {
  return TypeRuleError{"the truth value of an enum member (" + t->str() + ") is not supported",
                       "compare it with a member: if c == Color.RED", true};
}

// The frozen global array (a Global of kind Array) that `v` is, or a view of; else null.
const Instr* frozen_array_source(const Instr* v) {
  for (int depth = 0; v && depth < 100; ++depth) {
    if (v->op == Opcode::Global) return v->gval.kind == GlobalValue::Kind::Array ? v : nullptr;
    if (v->op == Opcode::GetItem || v->op == Opcode::Cast || v->op == Opcode::GetAttr) {
      v = v->operands.empty() ? nullptr : v->operands[0];
    } else if (v->op == Opcode::Call && v->operands.size() > 1) {
      // a.reshape(...), np.transpose(a): the receiver or first argument.
      const Instr* callee = v->operands[0];
      v = callee->op == Opcode::GetAttr && !callee->operands.empty() ? callee->operands[0] : v->operands[1];
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

// Writing into a read-only array: refused, saying why when it is a frozen global.
[[noreturn]] void refuse_write(const Instr* target) {
  const Type* t = target->type;
  if (const Instr* g = frozen_array_source(target))
    throw TypeRuleError{"cannot write to '" + g->var + "': it is a frozen global array (read-only, " + t->str() +
                            "; its contents were copied into the compiled code)",
                        "write to a copy made in the function (" + g->var + ".copy() or np.copy(" + g->var +
                            ")), or pass the array as an argument",
                        false};
  if (target->op == Opcode::Call && target->operands.size() >= 1 && target->operands[0]->op == Opcode::GetAttr &&
      target->operands[0]->attr == "flat" && !target->operands[0]->operands.empty())
    throw TypeRuleError{"writing through a.flat of a " + target->operands[0]->operands[0]->type->str() +
                            " is not supported: it is a copy unless the array is C-contiguous by its type",
                        "write a[i, j] = v, or a.ravel() of a C-contiguous array", false};
  throw TypeRuleError{"cannot write to a read-only array (" + t->str() + ")", "pass a writeable array, e.g. a.copy()",
                      false};
}

// a[:, idx], a[rows, cols], a[i, :, idx]: integer arrays among the index's parts (NumPy's
// advanced indexing, the integers among them advanced too): a new C array of the basic
// parts' axes and the index arrays' broadcast shape (lower_fancy_index); null without one.
const Type* advanced_index_type(const Type* obj, const std::vector<const Type*>& parts) {
  int arrays = 0, rank = 0, basic = 0;
  for (auto* p : parts) {
    if (p->kind() == TypeKind::Array) {
      if (!p->dtype()->is_int())
        throw TypeRuleError{p->dtype()->is_bool() ? "a boolean array among other indices is not supported yet"
                                                  : "arrays used as indices must be of integer or boolean type",
                            "index with integer arrays, integers and slices", p->dtype()->is_bool()};
      ++arrays;
      rank = std::max(rank, p->ndim());
    } else if (p->kind() == TypeKind::Slice) {
      ++basic;
    } else if (p->kind() == TypeKind::None) {
      if (std::any_of(parts.begin(), parts.end(), [](const Type* q) { return q->kind() == TypeKind::Array; }))
        throw TypeRuleError{"None (np.newaxis) together with an integer array index is not supported yet",
                            "index first, then add the axis (np.expand_dims)", true};
      return nullptr;
    } else if (!p->is_int()) {
      return nullptr;
    }
  }
  if (arrays == 0) return nullptr;
  if (int(parts.size()) > obj->ndim())
    throw TypeRuleError{"too many indices for a " + std::to_string(obj->ndim()) + "-d array: " +
                            std::to_string(parts.size()),
                        "", false};
  return t_array(obj->dtype(), basic + (obj->ndim() - int(parts.size())) + rank, Layout::C);
}

// a[i, j] with one integer per dimension is an element; with slices or fewer integers it
// is a view sharing a's memory (C layout when it is provably contiguous).
// a[[0, 2]]: a list of ints (or bools) indexes as the array np.array makes of it.
const Type* index_list_as_array(const Type* t) {
  bool numbers = t->kind() == TypeKind::List && t->dtype() && (t->dtype()->is_int() || t->dtype()->is_bool());
  return numbers ? t_array(t->dtype()->strong(), 1, Layout::C) : t;
}

const Type* array_index_type(const Type* obj, const Type* idx) {
  idx = index_list_as_array(idx);
  if (idx->kind() == TypeKind::Tuple) {
    std::vector<const Type*> parts;
    for (auto* e : idx->elements()) parts.push_back(index_list_as_array(e));
    idx = t_tuple(parts);
  }
  if (idx->kind() == TypeKind::Array) {
    // a[mask]: the selected elements in C order; a[indices]: gathered along a's only axis.
    if (idx->dtype()->is_bool()) {
      if (idx->ndim() == 1 && obj->ndim() > 1) return t_array(obj->dtype(), obj->ndim(), Layout::C);  // X[y == k]: rows
      if (idx->ndim() != obj->ndim())
        throw TypeRuleError{"a boolean index must have the array's shape, or select rows (1-D): " + idx->str() +
                                " for " + obj->str(),
                            "", false};
      return t_array(obj->dtype(), 1, Layout::C);
    }
    if (!idx->dtype()->is_int()) throw TypeRuleError{"arrays used as indices must be of integer or boolean type", "", false};
    if (obj->ndim() != 1 && idx->ndim() != 1)
      throw TypeRuleError{"indexing a " + std::to_string(obj->ndim()) + "-d array with a " +
                              std::to_string(idx->ndim()) + "-d integer array is not supported yet",
                          "index its rows with a 1-D integer array", true};
    return t_array(obj->dtype(), obj->ndim() == 1 ? idx->ndim() : obj->ndim(), Layout::C);
  }
  std::vector<const Type*> parts =
      idx->kind() == TypeKind::Tuple ? idx->elements() : std::vector<const Type*>{idx};
  if (const Type* t = advanced_index_type(obj, parts)) return t;
  int ints = 0, new_axes = 0;  // None (np.newaxis): a new axis of length 1
  for (auto* p : parts) {
    if (p->is_int()) {
      ++ints;
    } else if (p->kind() == TypeKind::None) {
      ++new_axes;
    } else if (p->kind() != TypeKind::Slice) {
      throw TypeRuleError{"array index of type " + p->str() + " is not supported yet",
                          "index with integers, slices and None (np.newaxis)", true};
    }
  }
  if (int(parts.size()) - new_axes > obj->ndim())
    throw TypeRuleError{"too many indices for a " + std::to_string(obj->ndim()) + "-d array: " +
                            std::to_string(parts.size() - size_t(new_axes)),
                        "", false};
  if (ints == obj->ndim() && new_axes == 0) return obj->dtype();
  return t_array(obj->dtype(), obj->ndim() - ints + new_axes, view_layout(obj, parts), obj->readonly());
}

// The elements t[i:j:k] takes of a tuple of n, for constant bounds (as slice.indices()
// computes them); nothing when a bound is not known while typing (known: a constant, an
// array's ndim, a tuple's len()).
template <class KnownInt>
static std::optional<std::vector<int64_t>> constant_slice(const Instr* slice, int64_t n, KnownInt known) {
  if (slice->op != Opcode::Call) return std::nullopt;
  std::vector<std::optional<int64_t>> v;
  for (size_t k = 1; k < slice->operands.size(); ++k) {
    const Instr* o = slice->operands[k];
    if (o->op == Opcode::Const && o->cval.kind == ConstValue::Kind::None) {
      v.push_back(std::nullopt);
      continue;
    }
    std::optional<int64_t> b = known(o);
    if (!b) return std::nullopt;
    v.push_back(*b);
  }
  if (v.size() == 1) v.insert(v.begin(), std::nullopt);  // slice(stop)
  v.resize(3);
  int64_t step = v[2].value_or(1);
  if (step == 0) throw TypeRuleError{"slice step cannot be zero", "", false};
  int64_t lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
  auto bound = [&](std::optional<int64_t> b, int64_t missing) {
    if (!b) return missing;
    return *b < 0 ? std::max(*b + n, lower) : std::min(*b, upper);
  };
  int64_t start = bound(v[0], step > 0 ? lower : upper), stop = bound(v[1], step > 0 ? upper : lower);
  std::vector<int64_t> out;
  for (int64_t k = start; step > 0 ? k < stop : k > stop; k += step) out.push_back(k);
  return out;
}

// " at line N" of a value (for messages that name two places), " (an argument)", or "".
static std::string where(const Instr* v) {
  if (!v) return "";
  if (v->loc.line > 0) return " at line " + std::to_string(v->loc.line);
  return v->op == Opcode::Arg ? " (an argument)" : "";
}

PercentFormat Inferencer::percent_format_of(const Instr* i) const {
  const Instr* f = i->operands[0];
  if (f->op != Opcode::Const || f->cval.kind != ConstValue::Kind::Str)
    throw TypeRuleError{"%-formatting with a format computed at run time is not supported",
                        "write the format as a literal, or use an f-string", true};
  const Type* r = i->operands[1]->type;
  return percent_format(f->cval.s, r->kind() == TypeKind::Tuple ? r->elements() : std::vector<const Type*>{r});
}

const Type* Inferencer::item_type(Instr* obj_i, Instr* idx_i) {
  const Type* obj = obj_i->type;
  const Type* idx = idx_i->type;
  {
      if (obj->kind() == TypeKind::Tuple) {
        if (idx->kind() == TypeKind::Slice) {
          auto taken = constant_slice(idx_i, int64_t(obj->elements().size()),
                                      [this](const Instr* o) { return known_int(o); });
          if (!taken)
            throw TypeRuleError{"slicing a tuple needs constant bounds (its elements' types are fixed while compiling)",
                                "write t[1:] or t[:2] with numbers, or index it in a loop", true};
          std::vector<const Type*> elements;
          for (int64_t k : *taken) elements.push_back(obj->elements()[size_t(k)]);
          tuple_slices_[idx_i] = *taken;
          return t_tuple(elements);
        }
        if (!idx->is_int()) throw TypeRuleError{"tuple indices must be integers or slices", "", false};
        if (obj->is_unituple() && !obj->elements().empty() && idx_i->op != Opcode::Const)
          return obj->elements()[0];
        if (idx_i->op != Opcode::Const)
          throw TypeRuleError{"indexing a heterogeneous tuple " + obj->str() + " needs a constant index", "", false};
        int64_t k = idx_i->cval.i;
        int64_t n = int64_t(obj->elements().size());
        if (k < 0) k += n;
        if (k < 0 || k >= n) throw TypeRuleError{"tuple index out of range", "", false};
        return obj->elements()[k];
      }
      if (obj->kind() == TypeKind::Range) {  // r[k]: lower_ranges
        if (idx->kind() == TypeKind::Slice) throw TypeRuleError{"slicing a range is not supported yet", "index it, or slice range(start, stop, step) yourself", true};
        if (!idx->is_int() && !idx->is_bool()) throw TypeRuleError{"range indices must be integers, not " + idx->str(), "", false};
        return t_int64()->weakened();
      }
      if (obj->kind() == TypeKind::Array) return array_index_type(obj, idx);
      if (is_list(obj)) return list_index_type(obj, idx);
      if (is_dict(obj)) return dict_index_type(obj, idx);
      if (is_str(obj)) return string_index_type(obj, idx);
      throw TypeRuleError{"'" + obj->str() + "' is not subscriptable in jitted code", "", false};
    }
}

const Type* Inferencer::compute(Instr* i) {
  switch (i->op) {
    case Opcode::Arg:
    case Opcode::Cast: return i->type;
    case Opcode::Undef: return nullptr;
    case Opcode::Const: return const_type(i->cval);
    case Opcode::Global: return global_type(context_, i->gval, nullptr);
    case Opcode::Phi: {
      const Type* t = nullptr;
      const Instr* first = nullptr;  // where t came from
      for (size_t k = 0; k < i->operands.size(); ++k) {
        const Type* o = i->operands[k]->type;
        if (!o || !edge_live(i->blocks[k], i->parent)) continue;  // a branch that cannot run
        const Type* u = unify(t, o);
        if (!u) {
          bool named = !i->var.empty() && i->var[0] != '$';
          std::string var = named ? "variable '" + i->var + "'" : "a value";
          throw TypeRuleError{var + " is " + t->str() + where(first) + " and " + o->str() + where(i->operands[k]),
                              named ? "give '" + i->var + "' values of one type on every path" : "give it the same kind of value on every path",
                              false};
        }
        if (!t) first = i->operands[k];
        t = u;
      }
      return t;
    }
    default: break;
  }
  if (!operands_known(i)) return nullptr;
  demote_int_enums(i);
  unwrap_optionals(i);
  switch (i->op) {
    case Opcode::OptionalHas: return t_bool();
    case Opcode::OptionalValue:
    case Opcode::Unwrap: return is_optional(i->operands[0]->type) ? i->operands[0]->type->dtype() : nullptr;
    case Opcode::GetAttr: {
      ConstValue c;
      if (const Type* t = class_attribute_type(i->operands[0], i->attr, &c)) return t;
      return attribute_type(context_, i->operands[0]->type, i->attr, &c);
    }
    case Opcode::BinOp: {
      const Type* a = i->operands[0]->type;
      if (i->binop == BinOpKind::Mod && is_str(a)) {
        percent_format_of(i);  // checks it
        return t_string();
      }
      if (is_bool_array_squared(i)) return t_array(t_int(8), a->ndim(), Layout::C);
      if (auto parts = tuple_arithmetic(i)) {  // t + u, t * n: the tuple of the elements taken
        std::vector<const Type*> elements;
        for (auto [from, k] : *parts) elements.push_back(i->operands[size_t(from)]->type->elements()[size_t(k)]);
        return t_tuple(elements);
      }
      const Type* t = binop_type(i->binop, a, i->operands[1]->type);
      if (i->inplace && a->kind() == TypeKind::Array && t->kind() == TypeKind::Array) {
        // a += b computes into a: the result must fit a's shape and dtype (same_kind).
        if (a->readonly()) refuse_write(i->operands[0]);
        if (t->ndim() > a->ndim())
          throw TypeRuleError{"non-broadcastable output operand: " + a->str() + " cannot hold the result " + t->str(), "", false};
        if (!can_cast_same_kind(t->dtype(), a->dtype()))
          throw TypeRuleError{std::string("Cannot cast ufunc '") + binop_symbol(i->binop) + "' output from " +
                                  t->dtype()->str() + " to " + a->dtype()->str() + " with casting rule 'same_kind'",
                              "write a = a " + std::string(binop_symbol(i->binop)) + " b to get a new array", false};
        return a;
      }
      return t;
    }
    case Opcode::UnaryOp: return unary_type(i->unop, i->operands[0]->type);
    case Opcode::Compare:
      if (none_comparison(i)) return t_bool();
      if (dtype_comparison(i)) return t_bool();  // a.dtype == np.float32: known while compiling
      if (enum_comparison(i->cmp, i->operands[0]->type, i->operands[1]->type) != EnumCompare::None) return t_bool();
      return compare_type(i->cmp, i->operands[0]->type, i->operands[1]->type);
    case Opcode::Truth: {
      const Type* t = i->operands[0]->type;
      if (is_optional(t)) t = t->dtype();
      if (t->kind() == TypeKind::Array)
        throw TypeRuleError{"the truth value of an array is ambiguous",
                            "use a.any(), a.all() or compare a.size with 0", false};
      if (t->kind() == TypeKind::EnumMember) throw enum_truth(t);
      return t_bool();
    }
    case Opcode::Call: {
      if (Parts p = stored_parts(i); !p.empty()) refine(i->operands[0]->operands[0], p);
      if (const Type* m = i->operands[0]->type; m && m->kind() == TypeKind::BoundMethod && i->operands.size() >= 2) {
        // d.setdefault(k, []), rows.append([]), rows.insert(k, []): the stored list.
        bool dict_default = m->name() == "setdefault" && is_dict(m->dtype()) && i->operands.size() == 3;
        bool list_store = is_list(m->dtype()) && (m->name() == "append" || m->name() == "insert");
        if (dict_default || list_store) refine_stored_list(i->operands[0]->operands[0], i->operands.back());
      }
      if (creates_empty_container(i)) return empty_container_type(i);
      if (optional_truth_call(i)) return t_bool();
      std::vector<const Type*> args = operand_types(i, 1);
      if (const Type* t = class_call_type(i->operands[0]->type, args, i->kwnames)) return t;
      CallResolution r = resolve_call(context_, i->operands[0]->type, args, i->kwnames);
      return r.converted ? r.converted : r.result;
    }
    case Opcode::BuildList: {
      if (i->operands.empty()) return empty_container_type(i);
      const Type* e = nullptr;
      for (const Instr* o : i->operands) {
        check_list_element(t_list(nullptr), o->type, "a list");
        const Type* u = unify(e, storage_type(o->type));
        if (!u)
          throw TypeRuleError{"a list holds one type, and this one mixes " + e->str() + " and " + o->type->str(),
                              "give every element the same type", false};
        e = u;
      }
      // [[], [1]]: the empty inner lists hold what their siblings hold.
      if (is_list(e) && e->dtype())
        for (const Instr* o : i->operands)
          if (creates_empty_container(o)) refine(o, {e->dtype()});
      return t_list(e);
    }
    case Opcode::BuildSet:
    case Opcode::BuildDict: {
      if (i->operands.empty()) return empty_container_type(i);
      bool dict = i->op == Opcode::BuildDict;
      const Type *k = nullptr, *v = nullptr;
      for (size_t n = 0; n < i->operands.size(); ++n) {
        const Type* o = i->operands[n]->type;
        bool is_value = dict && n % 2 == 1;
        if (is_value) check_value(nullptr, o, "a dict literal");
        else check_key(nullptr, o, dict ? "a dict literal" : "a set literal");
        const Type*& part = is_value ? v : k;
        const Type* u = unify(part, storage_type(o));
        if (!u)
          throw TypeRuleError{std::string(dict ? "a dict holds one key type and one value type" : "a set holds one type") +
                                  ", and this one mixes " + part->str() + " and " + o->str(),
                              "give every " + std::string(is_value ? "value" : dict ? "key" : "element") + " the same type", false};
        part = u;
      }
      return dict ? t_dict(k, v) : t_set(k);
    }
    case Opcode::DelItem: {
      const Type* obj = i->operands[0]->type;
      const Type* idx = i->operands[1]->type;
      if (is_dict(obj)) {
        dict_index_type(obj, idx);
      } else if (is_list(obj)) {
        if (idx->kind() == TypeKind::Slice)
          throw TypeRuleError{"del of a slice of a list is not supported yet", "delete element by element, or rebuild the list", true};
        list_index_type(obj, idx);
      } else {
        throw TypeRuleError{"'" + obj->str() + "' does not support item deletion", "", false};
      }
      return nullptr;
    }
    case Opcode::GetItem: return item_type(i->operands[0], i->operands[1]);
    case Opcode::SetItem: {
      const Type* obj = i->operands[0]->type;
      if (is_dict(obj)) {
        if (i->operands.size() != 3) throw TypeRuleError{"d[k] = v takes one key", "", false};
        const Type* k = i->operands[1]->type;
        const Type* v = i->operands[2]->type;
        check_key(obj->dtype(), k, "d[k] = v");
        check_value(obj->dtype() ? obj->elements()[0] : nullptr, v, "d[k] = v");
        if (!obj->dtype()) refine(i->operands[0], {storage_type(k), storage_type(v)});
        refine_stored_list(i->operands[0], i->operands[2]);
        return nullptr;
      }
      if (is_list(obj)) {
        if (i->operands.size() != 3 || list_index_type(obj, i->operands[1]->type) != obj->dtype())
          throw TypeRuleError{"assigning to a slice of a list is not supported yet", "assign element by element", true};
        check_list_element(obj, i->operands[2]->type, "list[i] = value");
        refine_stored_list(i->operands[0], i->operands[2]);
        return nullptr;
      }
      if (obj->kind() != TypeKind::Array)
        throw TypeRuleError{"'" + obj->str() + "' does not support item assignment", "", false};
      if (obj->readonly()) refuse_write(i->operands[0]);
      const Type* target = item_type(i->operands[0], i->operands[1]);
      const Type* v = i->operands[2]->type;
      if (is_optional(v)) v = v->dtype();  // None stores NaN (rewrite)
      const Type* idx_t = i->operands[1]->type;
      bool rows = idx_t->kind() == TypeKind::Array && (idx_t->dtype()->is_int() || idx_t->ndim() == 1);
      if (rows && obj->ndim() > 1 && v->kind() == TypeKind::Array &&
          v->ndim() != obj->ndim() && v->ndim() != obj->ndim() - 1)  // rows (lower_fancy_set)
        throw TypeRuleError{"assigning a " + std::to_string(v->ndim()) + "-d array to rows of a " +
                                std::to_string(obj->ndim()) + "-d array is not supported",
                            "assign one row's shape, or one row per index", true};
      bool into_view = target->kind() == TypeKind::Array;
      if (!v->is_scalar() && !(into_view && v->kind() == TypeKind::Array))
        throw TypeRuleError{"cannot store " + v->str() + " into " +
                                (into_view ? target->str() : "an element of " + obj->str()),
                            "", false};
      if (element_type(v)->is_complex() && !obj->dtype()->is_complex())
        throw TypeRuleError{"cannot store a complex number into " + obj->str(), "", false};
      if (v->kind() == TypeKind::Array && v->ndim() > target->ndim())
        throw TypeRuleError{"cannot assign " + v->str() + " to " + target->str() + " (more dimensions)", "", false};
      return nullptr;
    }
    case Opcode::BuildTuple: return t_tuple(operand_types(i));
    case Opcode::TupleGet: {
      const Type* t = i->operands[0]->type;
      if (t->kind() != TypeKind::Tuple)
        throw TypeRuleError{"cannot unpack " + t->str() + " (only tuples unpack)", "", false};
      if (i->unpack_count >= 0 && int64_t(t->elements().size()) != i->unpack_count)
        throw TypeRuleError{"cannot unpack " + t->str() + " into " + std::to_string(i->unpack_count) +
                                " values",
                            "", false};
      return t->elements().at(size_t(i->tuple_index));
    }
    case Opcode::GetIter: return iterator_type(i->operands[0]->type);
    case Opcode::IterValid: return t_bool();
    case Opcode::CheckBound: return t_none();
    case Opcode::Format: return t_string();
    case Opcode::IterNext: return next_type(i->operands[0]->type);
    case Opcode::Caught: return t_int64();
    default: return nullptr;
  }
}

Instr* Inferencer::make_cast(Instr* v, const Type* to, SourceLoc loc) {
  if (to && v->type->kind() == TypeKind::Array && to->is_scalar()) {
    // Converting an array to a scalar type converts its elements (NumPy's astype).
    if (v->type->dtype() == to->strong()) return nullptr;
    to = t_array(to->strong(), v->type->ndim(), Layout::C);
  }
  if (to && to->kind() == TypeKind::Array && v->type->kind() == TypeKind::Array &&
      to->dtype() == v->type->dtype())
    return nullptr;  // a layout change only: the same descriptor
  // Weak and strong twins share a representation: no conversion between them.
  if (!to || v->type == to || v->type->strong() == to->strong()) return nullptr;
  Instr* c = fn_.create(Opcode::Cast, {v}, loc);
  c->type = to;
  return c;
}

Instr* Inferencer::cast(Instr* v, const Type* to, Instr* before) {
  Instr* c = make_cast(v, to, before->loc);
  return c ? fn_.insert_before(before, c) : v;
}

Instr* Inferencer::cast_at_end(Instr* v, const Type* to, Block* b) {
  Instr* c = make_cast(v, to, v->loc);
  return c ? fn_.insert_before_terminator(b, c) : v;
}

void Inferencer::rewrite(Instr* i) {
  switch (i->op) {
    case Opcode::Format:
    case Opcode::Raise:
      // Values formatted into the message: numbers, bools and strs (runtime/format.cpp);
      // complexes and arrays as their str or repr, without a format spec.
      for (size_t k = i->operands.size() - i->value_formats.size(); k < i->operands.size(); ++k) {
        const Type* t = i->operands[k]->type;
        const std::string& spec = i->value_formats[k - (i->operands.size() - i->value_formats.size())];
        bool as_text = t && (t->is_complex() || t->kind() == TypeKind::Array);
        if (as_text && !(spec.empty() || spec[0] == '!'))
          throw TypeRuleError{"a format spec ('" + spec + "') on a value of type " + t->str() + " is not supported yet",
                              t->is_complex() ? "format z.real and z.imag" : "format the elements", true};
        if (!t || !(as_text || t->is_int() || t->is_float() || t->is_bool() || t->kind() == TypeKind::String))
          throw TypeRuleError{"formatting a value of type " + (t ? t->str() : std::string("unknown")) +
                                  " into a message is not supported yet",
                              "format numbers, strs, complexes and arrays into it", true};
      }
      break;
    case Opcode::Phi:
      for (size_t k = 0; k < i->operands.size(); ++k)
        if (i->operands[k]->type) i->operands[k] = cast_at_end(i->operands[k], i->type, i->blocks[k]);
      break;
    case Opcode::Undef: break;
    case Opcode::Global:
    case Opcode::GetAttr: {
      ConstValue c;
      c.kind = ConstValue::Kind::Other;
      int field = -1;
      if (i->op == Opcode::GetAttr && class_attribute_type(i->operands[0], i->attr, &c, &field)) {
        if (c.kind != ConstValue::Kind::Other) {
          i->op = Opcode::Const;
          i->cval = c;
          i->operands.clear();
        } else if (field >= 0) {  // p.x: the namedtuple's element
          i->op = Opcode::TupleGet;
          i->tuple_index = field;
          i->unpack_count = -1;
        } else if (i->attr == "value") {  // an enum member is its value
          i->op = Opcode::Cast;
        }
        break;
      }
      if (i->op == Opcode::Global) global_type(context_, i->gval, &c);
      else attribute_type(context_, i->operands[0]->type, i->attr, &c);
      if (c.kind != ConstValue::Kind::Other) {
        i->op = Opcode::Const;
        i->cval = c;
        i->operands.clear();
      }
      break;
    }
    case Opcode::BuildList:
      for (Instr*& o : i->operands) o = cast(o, i->type->dtype(), i);
      break;
    case Opcode::DelItem:
      if (is_list(i->operands[0]->type)) i->operands[1] = cast(i->operands[1], t_int64(), i);
      break;
    case Opcode::BinOp: {
      auto k = i->binop;
      if (k == BinOpKind::Mod && is_str(i->operands[0]->type)) {
        // "%d: %s" % (n, name): the f-string it spells.
        PercentFormat p = percent_format_of(i);
        Instr* r = i->operands[1];
        std::vector<Instr*> values;
        if (r->type->kind() == TypeKind::Tuple) {
          for (size_t e = 0; e < r->type->elements().size(); ++e) {
            Instr* g = fn_.create(Opcode::TupleGet, {r}, i->loc);
            g->tuple_index = int64_t(e);
            g->type = r->type->elements()[e];
            values.push_back(fn_.insert_before(i, g));
          }
        } else {
          values.push_back(r);
        }
        for (size_t e = 0; e < values.size(); ++e)
          if (p.truncate[e]) {  // %d of a float: int(x), which raises for NaN and inf
            Instr* c = fn_.create(Opcode::Cast, {values[e]}, i->loc);
            c->type = t_int64();
            c->explicit_cast = true;
            values[e] = fn_.insert_before(i, c);
          } else if (p.character[e]) {  // %c of an int: chr(x), with %c's OverflowError
            Instr* f = fn_.create(Opcode::Global, {}, i->loc);
            f->gval.kind = GlobalValue::Kind::Function;
            f->gval.name = "builtins.chr";
            f->type = t_function("builtins.chr");
            Instr* c = fn_.create(Opcode::Call, {fn_.insert_before(i, f), values[e]}, i->loc);
            c->intrinsic = Intrinsic::StrMethod;
            c->func = "percent_c";
            c->type = t_string();
            values[e] = fn_.insert_before(i, c);
          }
        i->op = Opcode::Format;
        i->operands = values;
        i->value_formats = p.specs;
        i->message = p.text;
        break;
      }
      if (auto parts = tuple_arithmetic(i)) {
        std::vector<Instr*> elements;
        for (auto [from, k] : *parts) {
          Instr* g = fn_.create(Opcode::TupleGet, {i->operands[size_t(from)]}, i->loc);
          g->tuple_index = k;
          g->type = i->operands[size_t(from)]->type->elements()[size_t(k)];
          elements.push_back(fn_.insert_before(i, g));
        }
        i->op = Opcode::BuildTuple;
        i->operands = elements;
        break;
      }
      if (is_list(i->type) || is_set(i->type) || is_str(i->type)) break;  // concatenation, repetition, set algebra: lower_lists, lower_dicts, lower_strings
      if (i->inplace && i->operands[0]->type->kind() == TypeKind::Array) {
        // a += b on an array is a[...] = a + b: computed in the dtype of a + b, then
        // converted to a's dtype as it is stored (NumPy's ufunc with out=a). Later uses of
        // the result are uses of a itself.
        Instr* dest = i->operands[0];
        Instr* value = fn_.create(Opcode::BinOp, {dest, i->operands[1]}, i->loc);
        value->binop = i->binop;
        value->type = binop_type(k, dest->type, i->operands[1]->type);
        fn_.insert_before(i, value);
        rewrite(value);
        i->op = Opcode::SetItem;
        i->inplace = false;  // a SetItem without an index: the whole array
        i->type = nullptr;
        i->operands = {dest, value};
        fn_.replace_all_uses(i, dest);
        break;
      }
      const Type* ot = binop_operand_type(k, i->operands[0]->type, i->operands[1]->type);
      if (k == BinOpKind::TrueDiv || is_bool_array_squared(i)) ot = element_type(i->type);
      if (i->type == t_int64()->weakened() && i->operands[0]->op == Opcode::Const &&
          i->operands[1]->op == Opcode::Const && i->operands[0]->cval.kind == ConstValue::Kind::Int &&
          i->operands[1]->cval.kind == ConstValue::Kind::Int) {
        std::string shown;
        int64_t r = 0;
        IntFold fold = fold_constant_ints(k, i->operands[0]->cval.i, i->operands[1]->cval.i, &r, &shown);
        if (fold == IntFold::Overflow)
          raise(i, TypeRuleError{"the integer constant expression " + shown + " does not fit in 64 bits", big_int_hint, false});
        if (fold == IntFold::Folded) {
          i->op = Opcode::Const;
          i->operands.clear();
          i->cval = ConstValue{};
          i->cval.kind = ConstValue::Kind::Int;
          i->cval.i = r;
          break;
        }
      }
      if (k == BinOpKind::MatMul) {
        // a @ b: both operands in the result's dtype, then the same path as np.dot.
        const Type* d = element_type(i->type);
        i->operands[0] = cast(i->operands[0], d, i);
        i->operands[1] = cast(i->operands[1], d, i);
        break;
      }
      // x ** n with a constant integer n stays an integer exponent (multiplications).
      bool const_exp = k == BinOpKind::Pow && i->operands[1]->op == Opcode::Const &&
                       i->operands[1]->cval.kind == ConstValue::Kind::Int;
      for (int s = 0; s < (const_exp ? 1 : 2); ++s) {
        Instr* o = i->operands[size_t(s)];
        i->operands[size_t(s)] = cast(o, ot, i);
        // NumPy 2: a Python int joins a narrower integer dtype only if that dtype holds it
        // (uint8_arr + (-3) raises OverflowError); the conversion checks it at run time.
        Instr* c = i->operands[size_t(s)];
        if (c != o && c->op == Opcode::Cast && o->type->is_int() && o->type->is_weak() && ot->is_int() &&
            !ot->is_weak() && !(o->op == Opcode::Const && int_fits(o->cval.i, ot)))
          c->explicit_cast = true;
      }
      if (const_exp && i->type->is_int() && i->operands[1]->cval.i < 0)
        raise(i, TypeRuleError{"integers to negative integer powers are not allowed",
                               "use a float base, e.g. 2.0 ** -1", false});
      break;
    }
    case Opcode::UnaryOp:
      if (i->unop == UnaryKind::Not) {
        if (!i->operands[0]->type->is_bool()) {
          Instr* t = fn_.create(Opcode::Truth, {i->operands[0]}, i->loc);
          t->type = t_bool();
          fn_.insert_before(i, t);
          i->operands[0] = t;
          if (is_optional(t->operands[0]->type)) rewrite_optional_truth(t);
        }
      } else {
        i->operands[0] = cast(i->operands[0], element_type(i->type), i);
      }
      break;
    case Opcode::Compare: {
      auto k = i->cmp;
      if (rewrite_none_comparison(i)) break;
      if (dtype_comparison(i)) {
        bool same = i->operands[0]->type == i->operands[1]->type;
        i->op = Opcode::Const;
        i->cval.kind = ConstValue::Kind::Bool;
        i->cval.i = (k == CmpKind::Eq) == same;
        i->operands.clear();
        break;
      }
      if (EnumCompare e = enum_comparison(k, i->operands[0]->type, i->operands[1]->type); e != EnumCompare::None) {
        if (e != EnumCompare::Values) {
          i->op = Opcode::Const;
          i->cval.kind = ConstValue::Kind::Bool;
          i->cval.i = e == EnumCompare::AlwaysTrue;
          i->operands.clear();
          break;
        }
        // Members of one class are the same member when their values are equal.
        for (Instr*& o : i->operands)
          if (o->type->kind() == TypeKind::EnumMember) o = cast(o, o->type->dtype(), i);
        if (k == CmpKind::Is || k == CmpKind::IsNot) i->cmp = k = k == CmpKind::Is ? CmpKind::Eq : CmpKind::Ne;
      }
      if (is_list(i->operands[0]->type) || is_list(i->operands[1]->type)) break;  // lower_lists
      if ((k == CmpKind::In || k == CmpKind::NotIn) && i->operands[1]->type->kind() == TypeKind::Tuple) {
        // c in (Color.RED, Color.GREEN): the members' values (lower_lists compares numbers).
        const Type* tuple = i->operands[1]->type;
        std::vector<const Type*> values;
        for (const Type* e : tuple->elements()) values.push_back(e->kind() == TypeKind::EnumMember ? e->dtype() : e);
        if (i->operands[0]->type->kind() == TypeKind::EnumMember)
          i->operands[0] = cast(i->operands[0], i->operands[0]->type->dtype(), i);
        if (t_tuple(values) != tuple) i->operands[1] = cast(i->operands[1], t_tuple(values), i);
        break;
      }
      if (hash_comparison(k, i->operands[0]->type, i->operands[1]->type)) break;  // lower_dicts
      if (string_comparison(k, i->operands[0]->type, i->operands[1]->type)) break;  // lower_strings
      if ((k == CmpKind::In || k == CmpKind::NotIn) && i->operands[1]->type->kind() == TypeKind::Range) {
        compare_operand_type(k, i->operands[0]->type, i->operands[1]->type);  // checks it
        break;  // lower_ranges
      }
      if (k == CmpKind::Is || k == CmpKind::IsNot) {
        // Decided by the types: only None is compared by identity in compiled code.
        const Type* a = i->operands[0]->type;
        const Type* b = i->operands[1]->type;
        bool same = a == t_none() && b == t_none();
        if (!(a == t_none() || b == t_none()))
          raise(i, TypeRuleError{"'is' is only supported for comparisons with None", "use ==", false});
        i->op = Opcode::Const;
        i->cval.kind = ConstValue::Kind::Bool;
        i->cval.i = (k == CmpKind::Is) == same;
        i->operands.clear();
        break;
      }
      const Type* ot = compare_operand_type(k, i->operands[0]->type, i->operands[1]->type);
      // NumPy 2 compares a Python int with an integer array by value (-3 <= uint32_arr is
      // True, int8_arr < 300 too): in int64 unless the int is a constant the dtype holds.
      for (int s = 0; s < 2; ++s) {
        const Instr* w = i->operands[size_t(s)];
        const Type* other = element_type(i->operands[size_t(1 - s)]->type);
        if (!(w->type->is_int() && w->type->is_weak() && ot->is_int() && !other->is_weak() && other->is_int()))
          continue;
        bool holds = w->op == Opcode::Const && w->cval.kind == ConstValue::Kind::Int && int_fits(w->cval.i, ot);
        if (!holds && (ot->is_signed() || ot->bits() <= 32)) ot = t_int64();
      }
      i->operands[0] = cast(i->operands[0], ot, i);
      i->operands[1] = cast(i->operands[1], ot, i);
      break;
    }
    case Opcode::Call: {
      if (rewrite_class_call(i)) break;
      if (optional_truth_call(i)) {
        i->op = Opcode::Truth;
        i->operands = {i->operands[1]};
        rewrite_optional_truth(i);
        break;
      }
      CallResolution r = resolve_call(context_, i->operands[0]->type, operand_types(i, 1), i->kwnames);
      if (i->operands[0]->type == t_function("builtins.print")) {
        rewrite_print(fn_, i);
        break;
      }
      if (r.cast_to) {
        // int(x), np.float32(x), a.astype(t): a conversion of the argument or receiver.
        Instr* callee = i->operands[0];
        Instr* what = callee->type->kind() == TypeKind::BoundMethod ? callee->operands[0] : i->operands[1];
        i->op = Opcode::Cast;
        i->operands = {what};
        // int(nan) and np.int8(300) raise; np.int8(np.int32(300)) wraps, as NumPy's C cast.
        bool numpy_int = what->type->is_int() && !what->type->is_weak() && i->type && i->type->is_int();
        i->explicit_cast = !numpy_int;
        break;
      }
      if (r.truth) {
        i->op = Opcode::Truth;
        i->operands = {i->operands[1]};
        i->kwnames.clear();
        break;
      }
      if (r.intrinsic == Intrinsic::MathFunc && r.func == "dn_int_pow_mod") {
        // pow(a, b, m): the runtime computes it into a slot, raising Python's ValueErrors.
        Instr* slot = emit_before(i, Opcode::StackSlot, {}, t_pointer(t_int64()));
        std::vector<Instr*> operands;
        for (size_t k = 1; k < i->operands.size(); ++k) operands.push_back(cast(i->operands[k], t_int64(), i));
        operands.push_back(slot);
        Instr* c = emit_before(i, Opcode::CallRuntime, operands, nullptr);
        c->func = r.func;
        c->checked = true;
        i->op = Opcode::Cast;  // to the Python int the call gives
        i->operands = {emit_before(i, Opcode::Load, {slot}, t_int64())};
        i->kwnames.clear();
        i->intrinsic = Intrinsic::None;
        break;
      }
      if (r.drop_arguments) {
        i->intrinsic = r.intrinsic;
        i->operands.resize(1);
        i->kwnames.clear();
        break;
      }
      if (r.known_bool >= 0) {
        i->op = Opcode::Const;
        i->operands.clear();
        i->kwnames.clear();
        i->cval.kind = ConstValue::Kind::Bool;
        i->cval.i = r.known_bool;
        break;
      }
      if (r.intrinsic == Intrinsic::ArrayCopy && r.func == "astype" && !i->kwnames.empty() &&
          i->operands.back()->op == Opcode::Const && i->operands.back()->cval.i == 0) {
        // a.astype(a.dtype, copy=False) is a itself.
        i->op = Opcode::Cast;
        i->operands = {i->operands[0]->operands[0]};
        i->kwnames.clear();
        break;
      }
      i->intrinsic = r.intrinsic;
      i->fill = r.fill;
      i->has_axis = r.has_axis;
      i->to_1d = r.to_1d;
      i->always_copy = r.always_copy;
      Instr* callee = i->operands[0];
      if (callee->type->kind() == TypeKind::BoundMethod) {
        // a.sum() becomes sum(a): the receiver is the first argument.
        i->operands.insert(i->operands.begin() + 1, callee->operands[0]);
        if (r.params.size() + 1 == i->operands.size() - 1) r.params.insert(r.params.begin(), nullptr);
      }
      i->func = r.func;
      i->callee_key = r.callee_key;
      for (size_t k = 0; k < r.params.size() && k + 1 < i->operands.size(); ++k)
        i->operands[k + 1] = cast(i->operands[k + 1], r.params[k], i);
      if (r.converted) {
        // math.floor(x): the float result, then int()'s checked conversion.
        Instr* c = fn_.create(Opcode::Cast, {}, i->loc);
        fn_.replace_all_uses(i, c);
        c->operands = {i};
        c->type = i->type;
        c->explicit_cast = true;
        i->type = r.result;
        auto& v = i->parent->instrs;
        c->parent = i->parent;
        v.insert(std::find(v.begin(), v.end(), i) + 1, c);
      }
      if ((r.intrinsic == Intrinsic::Concatenate || r.intrinsic == Intrinsic::Stack) &&
          i->operands.size() > 2 && i->operands[2]->op != Opcode::Const)
        raise(i, TypeRuleError{"the axis of np.concatenate/np.stack must be a constant", "", true});
      if ((r.intrinsic == Intrinsic::Concatenate || r.intrinsic == Intrinsic::Stack) && is_list(i->operands[1]->type) &&
          i->operands.size() > 2 && i->operands[2]->cval.i != 0)
        raise(i, TypeRuleError{"np.concatenate/np.stack of a list of arrays along an axis other than 0 is not supported yet",
                               "join a tuple of arrays, or move the axis afterwards (np.moveaxis)", true});
      break;
    }
    case Opcode::GetItem:
    case Opcode::SetItem: {
      const Type* obj = i->operands[0]->type;
      if (is_dict(obj)) break;  // keys and values convert as lower_dicts stores them
      if (is_list(obj)) {
        if (i->operands[1]->type->kind() != TypeKind::Slice) i->operands[1] = cast(i->operands[1], t_int64(), i);
        if (i->op == Opcode::SetItem) i->operands[2] = cast(i->operands[2], obj->dtype(), i);
        break;
      }
      if (i->op == Opcode::SetItem && is_optional(i->operands[2]->type)) {
        // NumPy stores None into a float array as NaN.
        Instr* v = i->operands[2];
        Instr* has = emit_before(i, Opcode::OptionalHas, {v}, t_bool());
        Instr* value = cast(emit_before(i, Opcode::OptionalValue, {v}, v->type->dtype()), obj->dtype(), i);
        Instr* nan = emit_before(i, Opcode::Const, {}, obj->dtype());
        nan->cval.kind = ConstValue::Kind::Float;
        nan->cval.f = std::numeric_limits<double>::quiet_NaN();
        i->operands[2] = emit_before(i, Opcode::Select, {has, value, nan}, obj->dtype());
      }
      // Scalars convert to the dtype here; arrays convert element by element when stored.
      if (i->op == Opcode::SetItem && i->operands[2]->type->is_scalar())
        i->operands[2] = cast(i->operands[2], obj->dtype(), i);
      if (obj->kind() == TypeKind::Array) {
        Instr* idx = i->operands[1];
        if (idx->type->kind() == TypeKind::Tuple) {
          // Unpack the index tuple so codegen sees one int64 per dimension.
          std::vector<Instr*> parts;
          for (size_t k = 0; k < idx->type->elements().size(); ++k) {
            Instr* g;
            if (idx->op == Opcode::BuildTuple) {
              g = idx->operands[k];
            } else {
              g = fn_.create(Opcode::TupleGet, {idx}, i->loc);
              g->tuple_index = int64_t(k);
              g->type = idx->type->elements()[k];
              fn_.insert_before(i, g);
            }
            if (index_list_as_array(g->type) != g->type) g = list_as_index(i, g);
            bool keep = g->type->kind() == TypeKind::Slice || g->type->kind() == TypeKind::None ||
                        g->type->kind() == TypeKind::Array;
            parts.push_back(keep ? g : cast(g, t_int64(), i));
          }
          if (i->op == Opcode::SetItem)
            for (Instr* p : parts)
              if (p->type->kind() == TypeKind::None)
                raise(i, TypeRuleError{"assigning through an index with None (np.newaxis) is not supported yet",
                                       "assign to the array indexed without the new axes", true});
          Instr* value = i->op == Opcode::SetItem ? i->operands[2] : nullptr;
          i->operands = {i->operands[0]};
          for (Instr* p : parts) i->operands.push_back(p);
          if (value) i->operands.push_back(value);
        } else {
          if (idx->type->kind() == TypeKind::None && i->op == Opcode::SetItem)
            raise(i, TypeRuleError{"assigning through an index with None (np.newaxis) is not supported yet",
                                   "assign to the array indexed without the new axes", true});
          if (index_list_as_array(idx->type) != idx->type) i->operands[1] = idx = list_as_index(i, idx);
          if (idx->type->kind() != TypeKind::Slice && idx->type->kind() != TypeKind::Array &&
              idx->type->kind() != TypeKind::None)
            i->operands[1] = cast(idx, t_int64(), i);
        }
      } else if (obj->kind() == TypeKind::Tuple && i->operands[1]->type->kind() == TypeKind::Slice) {
        // t[1:]: a new tuple of the elements it takes.
        std::vector<Instr*> parts;
        for (int64_t k : tuple_slices_.at(i->operands[1])) {
          Instr* g = fn_.create(Opcode::TupleGet, {i->operands[0]}, i->loc);
          g->tuple_index = k;
          g->type = obj->elements()[size_t(k)];
          fn_.insert_before(i, g);
          parts.push_back(g);
        }
        i->op = Opcode::BuildTuple;
        i->operands = parts;
      } else if (obj->kind() == TypeKind::Tuple && i->operands[1]->op == Opcode::Const) {
        int64_t k = i->operands[1]->cval.i;
        if (k < 0) k += int64_t(obj->elements().size());
        i->op = Opcode::TupleGet;
        i->tuple_index = k;
        i->unpack_count = -1;
        i->operands = {i->operands[0]};
      } else if (obj->kind() == TypeKind::Tuple) {
        i->operands[1] = cast(i->operands[1], t_int64(), i);
      }
      break;
    }
    case Opcode::Truth:
      if (is_optional(i->operands[0]->type)) rewrite_optional_truth(i);
      else if (i->operands[0]->type->is_bool()) fn_.replace_all_uses(i, i->operands[0]);
      break;
    case Opcode::Reraise: i->operands[0] = cast(i->operands[0], t_int64(), i); break;
    case Opcode::Yield: i->operands[0] = cast(i->operands[0], fn_.return_type->dtype(), i); break;
    case Opcode::Return:
      if (makes_generator()) break;  // what a generator returns is not seen by a for loop
      if (i->operands[0]->type != fn_.return_type && i->operands[0]->type->strong() == fn_.return_type->strong()) {
        // `return 0.0` where another path returns a float64: the same representation, but
        // the function's one return type is the strong one.
        Instr* c = fn_.create(Opcode::Cast, {i->operands[0]}, i->loc);
        c->type = fn_.return_type;
        fn_.insert_before(i, c);
        i->operands[0] = c;
        break;
      }
      i->operands[0] = cast(i->operands[0], fn_.return_type, i);
      break;
    case Opcode::CondBr:
      // `if a:`, `a < b < c` and `x and y` on arrays (the Truth rule, for branches the
      // frontend made without one).
      if (i->operands[0]->type->kind() == TypeKind::EnumMember) raise(i, enum_truth(i->operands[0]->type));
      if (i->operands[0]->type->kind() == TypeKind::Array)
        raise(i, TypeRuleError{"the truth value of an array is ambiguous (in a condition, a chained "
                                   "comparison or and/or)",
                               "use a.any() or a.all(), or compare elementwise with & and |", false});
      if (!i->operands[0]->type->is_bool()) {
        Instr* t = fn_.create(Opcode::Truth, {i->operands[0]}, i->loc);
        t->type = t_bool();
        fn_.insert_before(i, t);
        i->operands[0] = t;
        if (is_optional(t->operands[0]->type)) rewrite_optional_truth(t);
      }
      break;
    default: break;
  }
}

void Inferencer::fixpoint() {
  bool changed = true;
  int rounds = 0;
  while (changed) {
    changed = false;
    DN_CHECK(++rounds < 1000, "type inference does not converge");
    for (auto& b : fn_.blocks) {
      if (!live_.count(b.get())) continue;
      for (size_t n = 0; n < b->instrs.size(); ++n) {  // by index: demote_int_enums inserts
        Instr* i = b->instrs[n];
        if (i->op == Opcode::Arg) continue;
        const Type* t = nullptr;
        try {
          t = compute(i);
        } catch (const TypeRuleError&) {
          t = nullptr;  // may resolve once other types are known; rechecked below
        }
        if (t && t != i->type) {
          i->type = t;
          changed = true;
        }
      }
      mark_successors(b.get(), changed);
    }
    if (refined_) changed = true, refined_ = false;
  }
}

bool Inferencer::makes_generator() const { return fn_.info && fn_.info->generator && fn_.info->consumer.empty(); }

// The unification of what `sources` (returns, yields) hand out, in their order; a
// conflict names both places ("this function returns int at line 4 and str at line 7").
const Type* Inferencer::unify_results(const std::vector<const Instr*>& sources, const std::string& what,
                                      const char* hint, const std::function<std::string(const Instr*)>& place) const {
  const Type* so_far = nullptr;
  const Instr* first = nullptr;  // the one that said it first
  for (const Instr* i : sources) {
    const Type* u = unify(so_far, i->operands[0]->type);
    if (!u)
      report(ErrorKind::Typing, fn_.info, i->loc,
             "Typing error: " + what + " " + so_far->str() + place(first) + " and " + i->operands[0]->type->str() +
                 place(i),
             hint);
    if (!so_far) first = i;
    so_far = u;
  }
  return so_far;
}

// A generator function's result: the unification of the values its yields hand out.
const Type* Inferencer::generator_type() const {
  std::vector<const Instr*> in_source_order;
  for (auto& b : fn_.blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Yield && live_.count(b.get())) in_source_order.push_back(i);
  std::stable_sort(in_source_order.begin(), in_source_order.end(),
                   [](const Instr* x, const Instr* y) { return x->loc.line < y->loc.line; });
  const Type* yields = unify_results(in_source_order, "this generator yields",
                                     "yield the same kind of value from every yield", where);
  std::vector<const Type*> params;
  for (const Instr* a : fn_.args) params.push_back(a->type);
  return t_generator(yields ? yields : t_none(), fn_.name, params);
}

bool Inferencer::calls_itself_untyped() const {
  for (auto& b : fn_.blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Call && !i->type && i->operands[0]->type &&
          i->operands[0]->type->kind() == TypeKind::Dispatcher && live_.count(b.get()))
        return true;
  return false;
}

void Inferencer::run(const std::vector<const Type*>& arg_types, const Type* declared_return) {
  if (arg_types.size() != fn_.args.size())
    report(ErrorKind::ArgumentType, fn_.info, {},
           fn_.name + "() takes " + std::to_string(fn_.args.size()) + " arguments but " +
               std::to_string(arg_types.size()) + " were given");
  for (size_t k = 0; k < arg_types.size(); ++k) fn_.args[k]->type = arg_types[k];

  // Fixpoint: types only widen (phis unify) and live blocks only grow, so this
  // terminates. Blocks no live edge reaches are not typed.
  live_.insert(fn_.entry());
  fixpoint();
  // A recursive function: its calls of itself have no type until it says what it returns.
  // The returns typed so far (the base case) say it; the fixpoint then types the calls, which
  // may widen the return type: again until it holds (types only widen, so it does).
  const Type* published = nullptr;
  bool recursive = context_.callees && calls_itself_untyped();
  if (recursive && makes_generator())
    report(ErrorKind::Unsupported, fn_.info, {},
           "Unsupported Python construct: a generator function that calls itself (" + fn_.info->qualname + ")",
           "collect the values of the recursion in a list and iterate that");
  for (int round = 0; round < 50 && recursive; ++round) {
    const Type* so_far = declared_return;
    bool bare = false;  // `return` without a value (quicksort's recursion returns None)
    for (auto& b : fn_.blocks) {
      Instr* t = b->terminator();
      if (declared_return || !t || t->op != Opcode::Return || !live_.count(b.get())) continue;
      if (t->operands.empty()) bare = true;
      else if (t->operands[0]->type)
        if (const Type* u = unify(so_far, t->operands[0]->type)) so_far = u;
    }
    if (!so_far && bare) so_far = t_none();
    if (!so_far || so_far == published) break;
    published = so_far;
    context_.callees->set_tentative_return(fn_.name, published);
    fixpoint();
  }
  // Optionals tested for None hold values where the test guards them.
  for (int round = 0; round < 50 && narrow_optionals(fn_); ++round) fixpoint();
  prune_dead_code();
  // Final check with errors enabled, in program order so the first error is reported.
  for (auto& b : fn_.blocks) {
    for (size_t n = 0; n < b->instrs.size(); ++n) {
      Instr* i = b->instrs[n];
      if (i->op == Opcode::Arg || i->op == Opcode::Undef) continue;
      try {
        const Type* t = compute(i);
        if (t && is_list(t) && !t->dtype())
          raise(i, TypeRuleError{"cannot infer the element type of this empty list",
                                 fn_.info && fn_.info->name == "<listcomp>"
                                     // 3.11: the comprehension is a function of its own, typed before its caller
                                     ? "Python 3.11 compiles a comprehension apart from the code that appends to its "
                                       "lists: build them with a loop (rows = []; for _ in range(n): rows.append([]))"
                                     : "append a value to it in this function, or start it with an element ([0.0])",
                                 false});
        if (t && is_set(t) && !t->dtype())
          raise(i, TypeRuleError{"cannot infer the element type of this empty set",
                                 "add a value to it in this function, or start it with an element ({0.0})", false});
        if (t && is_dict(t) && !t->dtype())
          raise(i, TypeRuleError{"cannot infer the key and value types of this empty dict",
                                 "store into it in this function (d[k] = v), or start it with an item ({0: 0.0})", false});
        if (!t && !i->is_terminator() && i->op != Opcode::SetItem && i->op != Opcode::DelItem &&
            i->op != Opcode::Yield && !i->type) {
          for (Instr* o : i->operands)
            if (!o->type && o->op == Opcode::Undef)
              raise(i, TypeRuleError{"variable '" + o->var + "' may be used before it is assigned", "", false});
          raise(i, TypeRuleError{"cannot infer the type of this expression", "", false});
        }
      } catch (const TypeRuleError& e) {
        raise(i, e);
      }
    }
  }
  // Undefined variables read on some path take the type of their uses' other inputs;
  // they hold zero (Python would raise UnboundLocalError on that path).
  for (auto& b : fn_.blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Phi)
        for (Instr* o : i->operands)
          if (o->op == Opcode::Undef && !o->type) o->type = i->type;

  // Return type: the declared one, else the unification of every returned value.
  return_type_ = declared_return;
  if (!return_type_) {
    // Where a returned value comes from: 3.12 copies `return y` into each branch, so the
    // value's own line tells the returns apart.
    auto from = [](const Instr* ret) { return where(ret->operands[0]->loc.line > 0 || ret->operands[0]->op == Opcode::Arg ? ret->operands[0] : ret); };
    std::vector<const Instr*> returns;
    for (auto& b : fn_.blocks)
      if (Instr* t = b->terminator(); t && t->op == Opcode::Return && !t->operands.empty()) returns.push_back(t);
    return_type_ = unify_results(returns, "this function returns", "return the same kind of value from every return statement",
                                 from);
  }
  if (!return_type_) return_type_ = t_none();
  if (makes_generator()) return_type_ = generator_type();
  // The recursive calls were typed with the last return type published: it must be this one.
  if (published && published != return_type_ && !declared_return)
    report(ErrorKind::Typing, fn_.info, {},
           "Typing error: the return type of the recursive function " + fn_.info->qualname + "() does not settle (" +
               published->str() + " for its recursive calls, " + return_type_->str() + " in the end)",
           "give it an explicit signature");
  bool iterator = return_type_->kind() == TypeKind::RangeIter || return_type_->kind() == TypeKind::ArrayIter;
  if (!return_type_->has_runtime_value() || iterator || (is_generator(return_type_) && !makes_generator()))
    for (auto& b : fn_.blocks)
      if (Instr* t = b->terminator(); t && t->op == Opcode::Return)
        report(ErrorKind::Typing, fn_.info, t->loc,
               "Typing error: cannot return a value of type " + return_type_->str() + " from a jitted function",
               is_generator(return_type_) ? "iterate the generator where it is made (for x in gen(...)), or return "
                                            "a list of its values (list(gen(...)))"
                                          : "return numbers, tuples or arrays");
  fn_.return_type = return_type_;
  if (declared_return) {
    for (auto& b : fn_.blocks) {
      Instr* t = b->terminator();
      if (t && t->op == Opcode::Return && !t->operands.empty() &&
          t->operands[0]->type != declared_return &&
          !(t->operands[0]->type->is_scalar() && declared_return->is_scalar()) &&
          !can_convert_implicitly(t->operands[0]->type, declared_return))
        report(ErrorKind::Typing, fn_.info, t->loc,
               "Typing error: the signature declares a " + declared_return->str() +
                   " result but this returns " + t->operands[0]->type->str());
    }
  }

  // Rewrite: make casts, intrinsics and constants explicit. Iterate over a snapshot since
  // rewriting inserts instructions.
  for (auto& b : fn_.blocks) {
    std::vector<Instr*> snapshot = b->instrs;
    for (Instr* i : snapshot) {
      try {
        rewrite(i);
      } catch (const TypeRuleError& e) {
        raise(i, e);
      }
    }
  }
  // Truth of a bool was replaced by its operand; drop the dead Truth instructions.
  for (auto& b : fn_.blocks) {
    auto& v = b->instrs;
    for (size_t k = 0; k < v.size(); ++k) {
      Instr* i = v[k];
      if (i->op == Opcode::Truth && i->operands[0]->type->is_bool()) {
        v.erase(v.begin() + k--);
      }
    }
  }
}

Inferencer::Parts Inferencer::stored_parts(const Instr* call) {
  const Instr* callee = call->operands[0];
  const Type* m = callee->type;
  if (!m || m->kind() != TypeKind::BoundMethod) return {};
  const Type* c = m->dtype();
  const std::string& name = m->name();
  auto arg = [&](size_t k) -> const Type* { return call->operands.size() > k ? call->operands[k]->type : nullptr; };
  auto element_of = [](const Type* t) -> const Type* { return t && is_list_iterable(t) ? iterable_element(t) : nullptr; };
  auto known = [](Parts p) -> Parts {
    for (const Type* t : p)
      if (!t) return {};
    return p;
  };
  if (is_list(c)) {
    if (call->operands.size() != (name == "insert" ? 3u : 2u)) return {};
    if (name == "append") return known({arg(1) ? storage_type(arg(1)) : nullptr});
    if (name == "insert") return known({arg(2) ? storage_type(arg(2)) : nullptr});
    if (name == "extend") return known({element_of(arg(1))});
    return {};
  }
  if (is_set(c)) {
    if (call->operands.size() != 2) return {};
    if (name == "add") return known({arg(1) ? storage_type(arg(1)) : nullptr});
    if (name == "update") return known({element_of(arg(1))});
    return {};
  }
  if (is_dict(c)) {
    if (name == "setdefault" && call->operands.size() == 3 && arg(1) && arg(2))
      return {storage_type(arg(1)), storage_type(arg(2))};
    if (name == "update" && call->operands.size() == 2 && is_dict(arg(1)) && arg(1)->dtype())
      return {arg(1)->dtype(), arg(1)->elements()[0]};
  }
  return {};
}

void Inferencer::refine(const Instr* list, const Parts& parts) {
  for (const Type* p : parts)
    if (!p) return;
  std::vector<const Instr*> todo{list};
  std::unordered_set<const Instr*> seen;
  while (!todo.empty()) {
    const Instr* v = todo.back();
    todo.pop_back();
    if (!seen.insert(v).second) continue;
    if (v->op == Opcode::Phi) {
      todo.insert(todo.end(), v->operands.begin(), v->operands.end());
    } else if (creates_empty_container(v)) {
      Parts& known = container_parts_[v];
      if (known.empty()) known.assign(parts.size(), nullptr);
      if (known.size() != parts.size()) continue;
      for (size_t k = 0; k < parts.size(); ++k) {
        const Type* u = !known[k] ? parts[k] : unify(known[k], parts[k]);
        if (!u && known[k]) u = more_known(known[k], parts[k]);
        if (u && u->is_scalar() == parts[k]->is_scalar() && u != known[k]) {
          known[k] = storage_type(u);
          refined_ = true;
        }
      }
    } else if (parts.size() == 1 && v->type && is_list(v->type)) {
      // d[k].append(x), d.setdefault(k, []).append(x), rows[i].append(x): the list is one a
      // dict or an outer list holds, whose value (element) type says what its lists hold.
      const Instr* dict = nullptr;
      const Instr* outer = nullptr;
      if (v->op == Opcode::GetItem && v->operands[0]->type && is_dict(v->operands[0]->type)) {
        dict = v->operands[0];
      } else if (v->op == Opcode::GetItem && v->operands[0]->type && is_list(v->operands[0]->type)) {
        bool slice = v->operands[1]->type && v->operands[1]->type->kind() == TypeKind::Slice;
        if (slice) todo.push_back(v->operands[0]);  // rows[1:] is a list of rows' own type
        else outer = v->operands[0];
      } else if (v->op == Opcode::Call && v->operands[0]->type && v->operands[0]->type->kind() == TypeKind::BoundMethod &&
                 v->operands[0]->type->name() == "setdefault" && is_dict(v->operands[0]->type->dtype())) {
        dict = v->operands[0]->operands[0];
      }
      if (dict && dict->type->dtype()) refine(dict, {dict->type->dtype(), t_list(parts[0])});
      if (outer) refine(outer, {t_list(parts[0])});
    }
  }
}

void Inferencer::refine_stored_list(const Instr* container, const Instr* stored) {
  // `d[k] = []`, `rows.append([])`: once the dict's (outer list's) lists are known to hold
  // something, so is this one.
  const Type* c = container->type;
  const Type* held = !c ? nullptr : is_dict(c) && c->dtype() ? c->elements()[0] : is_list(c) ? c->dtype() : nullptr;
  if (held && is_list(held) && held->dtype() && creates_empty_container(stored)) refine(stored, {held->dtype()});
}

// The array np.array makes of a list used as an index (index_list_as_array), before `at`.
Instr* Inferencer::list_as_index(Instr* at, Instr* list) {
  Instr* f = emit_before(at, Opcode::Global, {}, t_function("numpy.array"));
  f->gval.kind = GlobalValue::Kind::Function;
  f->gval.name = "numpy.array";
  Instr* c = emit_before(at, Opcode::Call, {f, list}, index_list_as_array(list->type));
  c->intrinsic = Intrinsic::ArrayFromList;
  return c;
}

Instr* Inferencer::emit_before(Instr* pos, Opcode op, std::vector<Instr*> operands, const Type* t) {
  Instr* n = fn_.create(op, std::move(operands), pos->loc);
  n->type = t;
  return fn_.insert_before(pos, n);
}

Instr* Inferencer::bool_before(Instr* pos, bool v) {
  Instr* c = emit_before(pos, Opcode::Const, {}, t_bool());
  c->cval.kind = ConstValue::Kind::Bool;
  c->cval.i = v;
  return c;
}

void Inferencer::unwrap_optionals(Instr* i) {
  for (size_t k = 0; k < i->operands.size(); ++k) {
    Instr* o = i->operands[k];
    if (!is_optional(o->type)) continue;
    OptionalUse use = optional_use(i, k);
    if (use.takes_optional) continue;
    Instr* u = emit_before(i, Opcode::Unwrap, {o}, o->type->dtype());
    u->error_code = use.error_code;
    u->message = use.message;
    i->operands[k] = u;
  }
}

bool Inferencer::rewrite_none_comparison(Instr* i) {
  if (!none_comparison(i)) return false;
  Instr* a = i->operands[0];
  Instr* b = i->operands[1];
  bool positive = i->cmp == CmpKind::Is || i->cmp == CmpKind::Eq;  // true when equal
  if (a->type->kind() == TypeKind::None || b->type->kind() == TypeKind::None) {
    Instr* x = a->type->kind() == TypeKind::None ? b : a;
    if (is_optional(x->type)) {
      if (positive) {
        i->op = Opcode::UnaryOp;  // not has
        i->unop = UnaryKind::Not;
        i->operands = {emit_before(i, Opcode::OptionalHas, {x}, t_bool())};
      } else {
        i->op = Opcode::OptionalHas;
        i->operands = {x};
      }
      return true;
    }
    i->op = Opcode::Const;  // None is None; a value of any other type is not None
    i->cval.kind = ConstValue::Kind::Bool;
    i->cval.i = positive == (a->type == b->type);
    i->operands.clear();
    return true;
  }
  // x == v with an optional x: False when x is None, else the values' comparison.
  Instr* x = is_optional(a->type) ? a : b;
  Instr* has = emit_before(i, Opcode::OptionalHas, {x}, t_bool());
  Instr* value = emit_before(i, Opcode::OptionalValue, {x}, x->type->dtype());
  Instr* c = fn_.create(Opcode::Compare, {x == a ? value : a, x == b ? value : b}, i->loc);
  c->cmp = i->cmp;
  c->type = t_bool();
  fn_.insert_before(i, c);
  rewrite(c);
  i->op = Opcode::Select;
  i->operands = {has, c, bool_before(i, !positive)};
  return true;
}

void Inferencer::rewrite_optional_truth(Instr* i) {
  Instr* x = i->operands[0];
  Instr* has = emit_before(i, Opcode::OptionalHas, {x}, t_bool());
  Instr* value = emit_before(i, Opcode::OptionalValue, {x}, x->type->dtype());
  // The value's truth may be read when x is None: a zero value, which is false (and safe:
  // no optional container reaches here, optional_rules refuses their truth).
  Instr* truth = value;
  if (!value->type->is_bool()) truth = emit_before(i, Opcode::Truth, {value}, t_bool());
  i->op = Opcode::Select;
  i->operands = {has, truth, bool_before(i, false)};
}

void Inferencer::demote_int_enums(Instr* i) {
  size_t from = 0;
  switch (i->op) {
    case Opcode::BinOp:
    case Opcode::UnaryOp:
    case Opcode::Truth:
    case Opcode::CondBr: break;
    case Opcode::GetItem:
    case Opcode::SetItem: from = 1; break;
    case Opcode::Call: {
      // Jitted functions and namedtuples take the member itself.
      TypeKind k = i->operands[0]->type->kind();
      if (k == TypeKind::Dispatcher || k == TypeKind::Class || (k == TypeKind::BoundMethod && i->operands[0]->type->name() == "_replace"))
        return;
      from = 1;
      break;
    }
    default: return;
  }
  for (size_t k = from; k < i->operands.size(); ++k) {
    Instr* o = i->operands[k];
    const Type* value = demote_int_enum(o->type);
    if (!value) continue;
    Instr* c = fn_.create(Opcode::Cast, {o}, i->loc);
    c->type = value;
    fn_.insert_before(i, c);
    i->operands[k] = c;
  }
}

bool Inferencer::rewrite_class_call(Instr* i) {
  const Type* callee = i->operands[0]->type;
  bool replace = callee->kind() == TypeKind::BoundMethod && callee->name() == "_replace";
  if (callee->kind() != TypeKind::Class && !replace) return false;
  std::vector<Instr*> elems(i->operands.begin() + 1, i->operands.end());
  if (replace) {
    Instr* p = i->operands[0]->operands[0];
    const Type* pt = p->type;
    elems.assign(pt->elements().size(), nullptr);
    size_t first_kw = i->operands.size() - i->kwnames.size();
    for (size_t k = 0; k < i->kwnames.size(); ++k)
      elems[size_t(std::find(pt->fields().begin(), pt->fields().end(), i->kwnames[k]) - pt->fields().begin())] =
          i->operands[first_kw + k];
    for (size_t k = 0; k < elems.size(); ++k) {
      if (elems[k]) continue;
      Instr* g = fn_.create(Opcode::TupleGet, {p}, i->loc);
      g->tuple_index = int64_t(k);
      g->type = pt->elements()[k];
      elems[k] = fn_.insert_before(i, g);
    }
  }
  Instr* tuple = fn_.create(Opcode::BuildTuple, elems, i->loc);
  std::vector<const Type*> types;
  for (Instr* e : elems) types.push_back(e->type);
  tuple->type = t_tuple(types);
  fn_.insert_before(i, tuple);
  i->op = Opcode::Cast;  // the same layout: the namedtuple's class is in its type only
  i->operands = {tuple};
  i->kwnames.clear();
  return true;
}

// t + u of two tuples, t * n (n * t) of a tuple and an int known while typing: the
// result's elements as (operand, element index) pairs; nothing for other operations.
std::optional<std::vector<std::pair<int, int64_t>>> Inferencer::tuple_arithmetic(const Instr* i) const {
  const Type* a = i->operands[0]->type;
  const Type* b = i->operands[1]->type;
  bool ta = a && a->kind() == TypeKind::Tuple, tb = b && b->kind() == TypeKind::Tuple;
  std::vector<std::pair<int, int64_t>> parts;
  if (i->binop == BinOpKind::Add && ta && tb) {
    for (size_t k = 0; k < a->elements().size(); ++k) parts.push_back({0, int64_t(k)});
    for (size_t k = 0; k < b->elements().size(); ++k) parts.push_back({1, int64_t(k)});
    return parts;
  }
  if (i->binop != BinOpKind::Mul || ta == tb) return std::nullopt;
  int t = ta ? 0 : 1;
  std::optional<int64_t> n = known_int(i->operands[size_t(1 - t)]);
  if (!n || !i->operands[size_t(1 - t)]->type->is_int()) return std::nullopt;
  for (int64_t r = 0; r < *n; ++r)
    for (size_t k = 0; k < i->operands[size_t(t)]->type->elements().size(); ++k) parts.push_back({t, int64_t(k)});
  return parts;
}

std::optional<int64_t> Inferencer::known_int(const Instr* v) const {
  if (v->op == Opcode::Const && (v->cval.kind == ConstValue::Kind::Int || v->cval.kind == ConstValue::Kind::Bool))
    return v->cval.i;
  if (v->op == Opcode::GetAttr && v->attr == "ndim" && v->operands[0]->type &&
      v->operands[0]->type->kind() == TypeKind::Array)
    return v->operands[0]->type->ndim();
  // a.ndim - 1, len(t) + 1: arithmetic of known ints (tuple slices' bounds).
  if (v->op == Opcode::BinOp && v->operands.size() == 2 &&
      (v->binop == BinOpKind::Add || v->binop == BinOpKind::Sub || v->binop == BinOpKind::Mul)) {
    auto x = known_int(v->operands[0]), y = known_int(v->operands[1]);
    if (!x || !y) return std::nullopt;
    return v->binop == BinOpKind::Add ? *x + *y : v->binop == BinOpKind::Sub ? *x - *y : *x * *y;
  }
  // len() of a tuple: its type's length (a function's *args: `if len(dims) == 0`).
  if (v->op == Opcode::Call && v->operands.size() == 2 && v->operands[0]->type &&
      v->operands[0]->type->kind() == TypeKind::Function && v->operands[0]->type->name() == "builtins.len" &&
      v->operands[1]->type && v->operands[1]->type->kind() == TypeKind::Tuple)
    return int64_t(v->operands[1]->type->elements().size());
  return std::nullopt;
}

std::optional<bool> Inferencer::known_condition(const Instr* c) const {
  if (c->op == Opcode::Truth) return known_condition(c->operands[0]);
  if (c->op == Opcode::Const && c->cval.kind == ConstValue::Kind::Bool) return c->cval.i != 0;
  if (c->op == Opcode::UnaryOp && c->unop == UnaryKind::Not) {
    auto v = known_condition(c->operands[0]);
    return v ? std::optional<bool>(!*v) : std::nullopt;
  }
  if (c->op == Opcode::Call && operands_known(c)) {
    try {
      CallResolution r = resolve_call(context_, c->operands[0]->type, operand_types(c, 1), c->kwnames);
      if (r.known_bool >= 0) return r.known_bool != 0;
    } catch (const TypeRuleError&) {
    }
    return std::nullopt;
  }
  // `for x in ()` (a function's *args when none are given): the loop never runs, and its
  // body is not typed.
  if (c->op == Opcode::IterValid && c->operands[0]->op == Opcode::GetIter) {
    const Type* t = c->operands[0]->operands[0]->type;
    if (t && t->kind() == TypeKind::Tuple && t->elements().empty()) return false;
  }
  if (c->op != Opcode::Compare) return std::nullopt;
  const Type* a = c->operands[0]->type;
  const Type* b = c->operands[1]->type;
  if (none_comparison(c)) {
    if (is_optional(a) || is_optional(b)) return std::nullopt;  // decided at run time
    bool same = a == b;  // None is None; a value of any other type is not None
    return c->cmp == CmpKind::Is || c->cmp == CmpKind::Eq ? same : !same;
  }
  if (dtype_comparison(c)) return (c->cmp == CmpKind::Eq) == (a == b);
  if (a && b && (a->kind() == TypeKind::EnumMember || b->kind() == TypeKind::EnumMember)) {
    // MODE == Mode.FAST with a global MODE: known, and the other branch is not typed.
    EnumCompare e = EnumCompare::None;
    try {
      e = enum_comparison(c->cmp, a, b);
    } catch (const TypeRuleError&) {
    }
    if (e == EnumCompare::AlwaysTrue || e == EnumCompare::AlwaysFalse) return e == EnumCompare::AlwaysTrue;
    int64_t x = 0, y = 0;
    bool equality = c->cmp == CmpKind::Eq || c->cmp == CmpKind::Ne || c->cmp == CmpKind::Is || c->cmp == CmpKind::IsNot;
    if (e != EnumCompare::Values || a != b || !equality || !known_enum_value(c->operands[0], x) || !known_enum_value(c->operands[1], y))
      return std::nullopt;
    bool equal = x == y;
    return c->cmp == CmpKind::Eq || c->cmp == CmpKind::Is ? equal : !equal;
  }
  auto x = known_int(c->operands[0]), y = known_int(c->operands[1]);
  if (!x || !y) return std::nullopt;
  switch (c->cmp) {
    case CmpKind::Eq: return *x == *y;
    case CmpKind::Ne: return *x != *y;
    case CmpKind::Lt: return *x < *y;
    case CmpKind::Le: return *x <= *y;
    case CmpKind::Gt: return *x > *y;
    case CmpKind::Ge: return *x >= *y;
    default: return std::nullopt;
  }
}

void Inferencer::mark_successors(Block* b, bool& changed) {
  Instr* t = b->terminator();
  if (!t) return;
  std::vector<Block*> targets = t->blocks;
  if (t->op == Opcode::CondBr) {
    if (!t->operands[0]->type) return;  // not typed yet: known or not is decided later
    if (auto v = known_condition(t->operands[0])) targets = {t->blocks[*v ? 0 : 1]};
  }
  for (Block* s : targets) {
    if (live_edges_.insert({b, s}).second) changed = true;
    if (live_.insert(s).second) changed = true;
  }
}

void Inferencer::prune_dead_code() {
  bool pruned = false;
  for (auto& b : fn_.blocks) {
    if (!live_.count(b.get())) continue;
    Instr* t = b->terminator();
    if (!t || t->op != Opcode::CondBr) continue;
    auto v = known_condition(t->operands[0]);
    if (!v) continue;
    Block* keep = t->blocks[*v ? 0 : 1];
    Block* drop = t->blocks[*v ? 1 : 0];
    if (drop != keep)
      for (Instr* phi : drop->instrs) {
        if (phi->op != Opcode::Phi) break;
        for (size_t k = 0; k < phi->blocks.size(); ++k)
          if (phi->blocks[k] == b.get()) {
            phi->blocks.erase(phi->blocks.begin() + long(k));
            phi->operands.erase(phi->operands.begin() + long(k));
            break;
          }
      }
    t->op = Opcode::Br;
    t->operands.clear();
    t->blocks = {keep};
    pruned = true;
  }
  if (pruned) fn_.remove_unreachable_blocks();
}

}  // namespace

void infer_types(Function& fn, const std::vector<const Type*>& arg_types, const Type* declared_return,
                 const TypingContext& context) {
  bind_call_arguments(fn, context);
  Inferencer(context, fn).run(arg_types, declared_return);
  fn.recompute_preds();
}

}  // namespace dn
