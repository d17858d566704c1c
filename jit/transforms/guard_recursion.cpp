#include "jit/transforms/guard_recursion.h"

#include "jit/transforms/ir_builder.h"
#include "runtime/abi.h"

namespace dn {

namespace {

// The stack is asked about once per 64 KiB it grows, not on every call: the runtime is
// called only when the frame lies in the lowest 8 KiB of a 64 KiB block, which some frame
// of each block does as long as frames are smaller than 8 KiB (a frame holds scalars and
// descriptors: array data is on the heap). The runtime's margin (256 KiB) covers the
// blocks between checks.
constexpr int64_t kBlock = int64_t(64) << 10;
constexpr int64_t kWindow = int64_t(8) << 10;

}  // namespace

bool guard_recursion(Function& fn) {
  bool recursive = fn.recursive;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Call && i->intrinsic == Intrinsic::CallJitted && i->callee_key == fn.name) recursive = true;
  if (!recursive) return false;
  // After the arguments (and the undefined values, which open the entry block too): where
  // this frame is, and the checked call that raises.
  Block* entry = fn.entry();
  size_t args = 0;
  while (args < entry->instrs.size() &&
         (entry->instrs[args]->op == Opcode::Arg || entry->instrs[args]->op == Opcode::Undef))
    ++args;
  Instr* first = entry->instrs[args];
  Block* rest = args ? fn.split_after(entry->instrs[args - 1]) : nullptr;
  if (!rest) {
    // No arguments: the guard goes in a block of its own before the old entry's code.
    rest = fn.split_after(first);
    entry->instrs.erase(entry->instrs.begin());
    rest->instrs.insert(rest->instrs.begin(), first);
    first->parent = rest;
  }
  IRBuilder b(fn, entry, first->loc);
  Instr* slot = b.emit(Opcode::StackTop, {}, t_pointer(t_int64()));
  Instr* low = b.binop(BinOpKind::And, b.emit(Opcode::AddressOf, {slot}, t_int64()), b.int64(kBlock - 1));
  b.if_then(b.cmp(CmpKind::Lt, low, b.int64(kWindow)), [&] {
    Instr* check = b.emit(Opcode::CallRuntime, {slot}, nullptr);
    check->func = "dn_check_stack";
    check->checked = true;
  });
  b.br(rest);
  fn.recompute_preds();
  fn.sort_blocks_rpo();
  return true;
}

}  // namespace dn
