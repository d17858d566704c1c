// NumPy 2 promotion (NEP 50) for scalar types, and unification for phis.
#include "jit/types/promotion.h"

#include <algorithm>

namespace dn {

int kind_rank(const Type* t) {
  switch (t->kind()) {
    case TypeKind::Bool: return 0;
    case TypeKind::Int: return 1;
    case TypeKind::Float: return 2;
    case TypeKind::Complex: return 3;
    default: return -1;
  }
}

const Type* default_of_kind(TypeKind k) {
  switch (k) {
    case TypeKind::Bool: return t_bool();
    case TypeKind::Int: return t_int64();
    case TypeKind::Float: return t_float64();
    case TypeKind::Complex: return t_complex(128);
    default: return nullptr;
  }
}

// Smallest float that represents every value of integer type `i` well enough (NumPy's
// table: 8- and 16-bit ints fit float32, wider ones need float64).
static int float_bits_for_int(const Type* i) { return i->bits() <= 16 ? 32 : 64; }

static const Type* promote_ints(const Type* a, const Type* b) {
  if (a->is_signed() == b->is_signed()) return t_int(std::max(a->bits(), b->bits()), a->is_signed());
  const Type* s = a->is_signed() ? a : b;
  const Type* u = a->is_signed() ? b : a;
  if (s->bits() > u->bits()) return s;
  if (u->bits() == 64) return t_float64();
  return t_int(u->bits() * 2, true);
}

static const Type* promote_strong(const Type* a, const Type* b) {
  if (a == b) return a;
  int ra = kind_rank(a), rb = kind_rank(b);
  if (ra < rb) std::swap(a, b), std::swap(ra, rb);
  // Now a has the higher (or equal) kind.
  switch (a->kind()) {
    case TypeKind::Bool: return a;
    case TypeKind::Int: return rb == 0 ? a : promote_ints(a, b);
    case TypeKind::Float:
      if (b->is_float()) return t_float(std::max(a->bits(), b->bits()));
      if (b->is_int()) return t_float(std::max(a->bits(), float_bits_for_int(b)));
      return a;
    case TypeKind::Complex: {
      int fbits = a->bits() / 2;
      if (b->is_complex()) fbits = std::max(fbits, b->bits() / 2);
      else if (b->is_float()) fbits = std::max(fbits, b->bits());
      else if (b->is_int()) fbits = std::max(fbits, float_bits_for_int(b));
      return t_complex(fbits * 2);
    }
    default: return nullptr;
  }
}

const Type* promote(const Type* a, const Type* b) {
  if (kind_rank(a) < 0 || kind_rank(b) < 0) return nullptr;
  bool wa = a->is_weak(), wb = b->is_weak();
  if (wa && wb) {
    // Both Python scalars: Python's own arithmetic, the result stays a Python scalar.
    const Type* k = kind_rank(a) >= kind_rank(b) ? a : b;
    return default_of_kind(k->kind())->weakened();
  }
  if (!wa && !wb) return promote_strong(a, b);
  const Type* w = wa ? a : b;
  const Type* s = wa ? b : a;
  if (kind_rank(w) <= kind_rank(s)) return s;
  // The Python scalar is of a higher kind: NumPy uses the default precision of that kind,
  // except that a Python complex keeps a float32 operand's precision.
  if (w->is_complex() && s->is_float()) return t_complex(s->bits() * 2);
  if (w->is_int() && s->is_bool()) return t_int64();
  return default_of_kind(w->kind());
}

const Type* unify(const Type* a, const Type* b) {
  if (a == b) return a;
  if (!a) return b;
  if (!b) return a;
  if (a->kind() == TypeKind::None || b->kind() == TypeKind::None || is_optional(a) || is_optional(b)) {
    // None on one path and a value on another: an optional of what both values unify to.
    const Type* va = is_optional(a) ? a->dtype() : a->kind() == TypeKind::None ? nullptr : a;
    const Type* vb = is_optional(b) ? b->dtype() : b->kind() == TypeKind::None ? nullptr : b;
    const Type* v = unify(va, vb);
    return can_be_optional(v) ? t_optional(v) : nullptr;
  }
  if (kind_rank(a) >= 0 && kind_rank(b) >= 0) {
    // A variable holding a bool on one path and a number on another: the number wins.
    return promote(a, b);
  }
  if (a->kind() == TypeKind::Array && b->kind() == TypeKind::Array) {
    if (a->dtype() != b->dtype() || a->ndim() != b->ndim()) return nullptr;
    Layout l = a->layout() == b->layout() ? a->layout() : Layout::A;
    return t_array(a->dtype(), a->ndim(), l, a->readonly() || b->readonly());
  }
  if (a->kind() == TypeKind::List && b->kind() == TypeKind::List) {
    // A list is shared, never converted: only an empty list's unknown element type yields.
    if (!a->dtype()) return b;
    if (!b->dtype()) return a;
    return nullptr;
  }
  if (a->kind() == TypeKind::Tuple && b->kind() == TypeKind::Tuple) {
    if (a->elements().size() != b->elements().size()) return nullptr;
    // A namedtuple stays one of its own class: it boxes as that class.
    if (a->name() != b->name() || a->class_serial() != b->class_serial()) return nullptr;
    std::vector<const Type*> elems;
    for (size_t i = 0; i < a->elements().size(); ++i) {
      const Type* e = unify(a->elements()[i], b->elements()[i]);
      if (!e) return nullptr;
      elems.push_back(e);
    }
    return a->is_named_tuple() ? t_named_tuple(a->name(), a->class_serial(), a->fields(), elems) : t_tuple(elems);
  }
  return nullptr;
}

bool can_convert_implicitly(const Type* from, const Type* to) {
  if (from == to) return true;
  if (from->is_scalar() && to->is_scalar()) {
    if (from->is_weak()) return kind_rank(from) <= kind_rank(to);
    return kind_rank(from) < kind_rank(to) || (kind_rank(from) == kind_rank(to) &&
                                               promote(from, to) == to);
  }
  if (from->kind() == TypeKind::Array && to->kind() == TypeKind::Array) {
    return from->dtype() == to->dtype() && from->ndim() == to->ndim() &&
           (to->layout() == Layout::A || to->layout() == from->layout()) &&
           (to->readonly() || !from->readonly());
  }
  if (is_optional(to))
    return from->kind() == TypeKind::None || can_convert_implicitly(is_optional(from) ? from->dtype() : from, to->dtype());
  if (from->kind() == TypeKind::Tuple && to->kind() == TypeKind::Tuple) {
    if (from->elements().size() != to->elements().size()) return false;
    for (size_t i = 0; i < from->elements().size(); ++i)
      if (!can_convert_implicitly(from->elements()[i], to->elements()[i])) return false;
    return true;
  }
  return false;
}

bool can_cast_same_kind(const Type* from, const Type* to) {
  auto rank = [](const Type* t) {
    return t->is_bool() ? 0 : t->is_int() ? (t->is_signed() ? 2 : 1) : t->is_float() ? 3 : 4;
  };
  return rank(from) <= rank(to);
}

}  // namespace dn
