#include "jit/types/abi_layout.h"

namespace dn {

AbiLayout abi_layout(const Type* t) {
  AbiLayout l;
  switch (t->kind()) {
    case TypeKind::Bool:
    case TypeKind::None: l.size = l.align = 1; break;
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
    case TypeKind::Slice:
    case TypeKind::Range: l.size = 24; l.align = 8; break;
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

}  // namespace dn
