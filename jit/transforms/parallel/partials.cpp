#include "jit/transforms/parallel/partials.h"

#include "runtime/abi.h"

namespace dn {

Instr* partial_results(Function& fn, const Type* t, SourceLoc loc) {
  Instr* slot = fn.create(Opcode::StackSlot, {}, loc);
  slot->type = t_pointer(t);
  slot->slots = DN_MAX_THREADS;
  return slot;
}

Instr* combine_partials(IRBuilder& b, Instr* partials, Instr* blocks, Instr* init, const Type* t,
                        const std::function<Instr*(Instr*, Instr*)>& op) {
  // (A slot holds the strong type: a weak int loads back as int64.)
  auto at = [&](Instr* k) { return b.cast(b.load(b.element_ptr(partials, k)), t); };
  Instr* acc = b.emit(Opcode::StackSlot, {}, t_pointer(t));
  b.store(acc, init ? init : at(b.int64(0)));
  Instr* first = init ? b.int64(0) : b.int64(1);
  b.counted_loop(b.binop(BinOpKind::Sub, blocks, first), [&](Instr* k) {
    Instr* part = at(b.binop(BinOpKind::Add, k, first, true));
    b.store(acc, b.cast(op(b.cast(b.load(acc), t), part), t));
  });
  return b.cast(b.load(acc), t);
}

}  // namespace dn
