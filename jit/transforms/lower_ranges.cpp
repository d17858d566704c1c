#include "jit/transforms/lower_ranges.h"

#include "jit/transforms/ir_builder.h"
#include "jit/transforms/lower_each.h"
#include "runtime/abi.h"

namespace dn {

namespace {

bool is_range(const Type* t) { return t && t->kind() == TypeKind::Range; }

Instr* lower_range(IRBuilder& b, Instr* i) {
  if (i->op == Opcode::GetItem) {
    Instr* r = i->operands[0];
    Instr* start = b.range_part(r, 0), *step = b.range_part(r, 2);
    Instr* n = b.range_length(start, b.range_part(r, 1), step);
    Instr* k = b.cast(i->operands[1], t_int64());
    k = b.select(b.cmp(CmpKind::Lt, k, b.int64(0)), b.binop(BinOpKind::Add, k, n), k);
    Instr* outside = b.binop(BinOpKind::Or, b.cmp(CmpKind::Lt, k, b.int64(0)), b.cmp(CmpKind::Ge, k, n));
    b.raise_if(outside, DN_INDEX_ERROR, "range object index out of range");
    return b.cast(b.binop(BinOpKind::Add, start, b.binop(BinOpKind::Mul, k, step)), i->type);
  }
  // x in range(start, stop, step): between the bounds, and a whole number of steps from start.
  Instr* r = i->operands[1];
  Instr* x = b.cast(i->operands[0], t_int64());
  Instr* start = b.range_part(r, 0), *stop = b.range_part(r, 1), *step = b.range_part(r, 2);
  Instr* up = b.cmp(CmpKind::Gt, step, b.int64(0));
  Instr* inside = b.select(up, b.binop(BinOpKind::And, b.cmp(CmpKind::Ge, x, start), b.cmp(CmpKind::Lt, x, stop)),
                           b.binop(BinOpKind::And, b.cmp(CmpKind::Le, x, start), b.cmp(CmpKind::Gt, x, stop)));
  Instr* on_step = b.cmp(CmpKind::Eq, b.binop(BinOpKind::Mod, b.binop(BinOpKind::Sub, x, start), step), b.int64(0));
  Instr* in = b.binop(BinOpKind::And, inside, on_step);
  return i->cmp == CmpKind::In ? in : b.logical_not(in);
}

}  // namespace

bool is_range_operation(const Instr* i) {
  if (i->op == Opcode::GetItem) return is_range(i->operands[0]->type);
  return i->op == Opcode::Compare && (i->cmp == CmpKind::In || i->cmp == CmpKind::NotIn) &&
         is_range(i->operands[1]->type);
}

bool lower_ranges(Function& fn) {
  return lower_each(fn, is_range_operation, lower_range, [](Instr*, Instr*) {});
}

}  // namespace dn
