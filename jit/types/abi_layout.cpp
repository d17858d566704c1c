#include "jit/types/abi_layout.h"

#include "jit/support/diagnostics.h"
#include "runtime/abi.h"

namespace dn {

AbiLayout abi_layout(const Type* t) {
  AbiLayout l;
  switch (t->kind()) {
    case TypeKind::Bool:
    case TypeKind::None:
    case TypeKind::Dispatcher:   // a jitted function, and
    case TypeKind::NumberClass:  // a dtype: the type says which
      l.size = l.align = 1;
      break;
    case TypeKind::Int:
    case TypeKind::Float: l.size = l.align = size_t(t->bits() / 8); break;
    case TypeKind::Complex:
      l.size = size_t(t->bits() / 8);
      l.align = l.size / 2;
      break;
    case TypeKind::Array:
      l.size = 3 * sizeof(void*) + 2 * 8 * size_t(t->ndim());
      l.align = 8;
      break;
    case TypeKind::String:  // a DnStr
    case TypeKind::Slice:
    case TypeKind::Range: l.size = 24; l.align = 8; break;
    case TypeKind::List:  // a DnList*
    case TypeKind::Dict:  // a DnDict*: sets and a dict's views too
    case TypeKind::Set:
    case TypeKind::DictView:
    case TypeKind::RandomGenerator:  // its bitgen_t*
    case TypeKind::Generator: l.size = l.align = sizeof(void*); break;  // its frame's address
    case TypeKind::EnumMember: return abi_layout(t->dtype());  // its value
    case TypeKind::Optional: return abi_layout(t_tuple({t->dtype(), t_bool()}));  // {value, present}
    case TypeKind::Tuple: {
      size_t off = 0;
      for (auto* e : t->elements()) {
        AbiLayout el = abi_layout(e);
        off = (off + el.align - 1) / el.align * el.align;
        l.offsets.push_back(off);
        off += el.size;
        if (el.align > l.align) l.align = el.align;
      }
      l.size = (off + l.align - 1) / l.align * l.align;
      break;
    }
    default: l.size = 1; break;  // no runtime value: a placeholder byte
  }
  return l;
}

static void add_fields(const Type* t, int64_t offset, std::vector<int64_t>& out) {
  if (t->kind() != TypeKind::Tuple) {
    out.push_back(t->kind() == TypeKind::String ? DN_STR_FIELD : dtype_code(t));
    out.push_back(offset);
    return;
  }
  AbiLayout l = abi_layout(t);
  for (size_t k = 0; k < t->elements().size(); ++k) add_fields(t->elements()[k], offset + int64_t(l.offsets[k]), out);
}

std::vector<int64_t> hash_fields(const Type* t) {
  std::vector<int64_t> f{0, 0};
  if (!t) return f;
  if (!t->is_scalar() && t->kind() != TypeKind::Tuple && t->kind() != TypeKind::String) return {-1, 0};  // lists: not compared
  f[1] = t->kind() == TypeKind::Tuple ? 1 : 0;
  add_fields(t, 0, f);
  f[0] = int64_t(f.size() - 2) / 2;
  return f;
}

size_t scalar_count(const Type* t) {
  if (t->kind() != TypeKind::Tuple) return 1;
  size_t n = 0;
  for (const Type* e : t->elements()) n += scalar_count(e);
  return n;
}

int dtype_code(const Type* t) {
  switch (t->kind()) {
    case TypeKind::Bool: return DN_BOOL;
    case TypeKind::Int: {
      int base = t->bits() == 8 ? DN_INT8 : t->bits() == 16 ? DN_INT16 : t->bits() == 32 ? DN_INT32 : DN_INT64;
      return base + (t->is_signed() ? 0 : 1);
    }
    case TypeKind::Float: return t->bits() == 32 ? DN_FLOAT32 : DN_FLOAT64;
    case TypeKind::Complex: return t->bits() == 64 ? DN_COMPLEX64 : DN_COMPLEX128;
    default: DN_CHECK(false, "dtype_code of non-scalar " + t->str());
  }
  return -1;
}

}  // namespace dn
