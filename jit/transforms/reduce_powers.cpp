#include "jit/transforms/reduce_powers.h"

#include "jit/transforms/ir_builder.h"
#include "runtime/abi.h"

namespace dn {

namespace {

// The constant exponent of a power this pass rewrites, if `i` is one.
bool constant_power(const Instr* i, int64_t& n) {
  if (i->op != Opcode::BinOp || i->binop != BinOpKind::Pow || !i->type) return false;
  const Instr* e = i->operands[1];
  if (e->op != Opcode::Const || e->cval.kind != ConstValue::Kind::Int) return false;
  const Type* t = i->type;
  n = e->cval.i;
  if (t->is_complex() || t->is_float()) return true;
  return t->is_int() && n >= 0;  // integers to negative powers raise (the runtime's rule)
}

Instr* number(IRBuilder& b, const Type* t, double v) {
  Instr* c = b.emit(Opcode::Const, {}, t);
  c->cval.kind = ConstValue::Kind::Float;
  c->cval.f = v;
  if (t->is_int()) {
    c->cval.kind = ConstValue::Kind::Int;
    c->cval.i = int64_t(v);
  }
  return c;
}

Instr* power(IRBuilder& b, Instr* pow, int64_t n) {
  const Type* t = pow->type;
  Instr* x = b.cast(pow->operands[0], t);
  if (t->is_float() && (n > 64 || n < -64)) {
    Instr* r = b.binop(BinOpKind::Pow, x, number(b, t, double(n)));
    r->type = t;
    return r;
  }
  // Operations of the power's own type (a Python float stays weak).
  auto op = [&](BinOpKind k, Instr* p, Instr* q) {
    Instr* r = b.binop(k, p, q);
    r->type = t;
    return r;
  };
  bool negative = n < 0;
  uint64_t m = negative ? uint64_t(0) - uint64_t(n) : uint64_t(n);
  Instr* result = nullptr;
  Instr* base = x;
  while (m) {
    if (m & 1) result = result ? op(BinOpKind::Mul, result, base) : base;
    m >>= 1;
    if (m) base = op(BinOpKind::Mul, base, base);
  }
  Instr* one = number(b, t, 1.0);
  if (!result) return one;
  if (!negative) return result;
  if (!t->is_complex() && pow->checked)
    b.raise_if(b.cmp(CmpKind::Eq, x, number(b, t, 0.0)), DN_ZERO_DIVISION_ERROR, "0.0 cannot be raised to a negative power");
  return op(BinOpKind::TrueDiv, one, result);
}

}  // namespace

bool reduce_powers(Function& fn) {
  std::vector<Instr*> todo;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs) {
      int64_t n;
      if (constant_power(i, n)) todo.push_back(i);
    }
  if (todo.empty()) return false;
  for (Instr* pow : todo) {
    int64_t n;
    constant_power(pow, n);
    Block* rest = fn.split_after(pow);
    Block* here = pow->parent;
    fn.erase(pow);
    IRBuilder b(fn, here, pow->loc);
    fn.replace_all_uses(pow, power(b, pow, n));
    b.br(rest);
  }
  fn.recompute_preds();
  fn.sort_blocks_rpo();
  return true;
}

}  // namespace dn
