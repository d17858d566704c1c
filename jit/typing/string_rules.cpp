#include "jit/typing/string_rules.h"

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

const Type* string_index_type(const Type*, const Type* index) {
  if (index->kind() == TypeKind::Slice) return t_string();
  if (!index->is_int() && !index->is_bool()) fail("string indices must be integers, not " + index->str());
  return t_string();
}

}  // namespace dn
