#include "jit/transforms/lower_join.h"

#include "jit/frontend/function_info.h"
#include "jit/support/diagnostics.h"
#include "runtime/abi.h"

namespace dn {

bool is_join(const Instr* call) {
  return call->op == Opcode::Call && (call->intrinsic == Intrinsic::Concatenate || call->intrinsic == Intrinsic::Stack);
}

Instr* lower_join(ArrayLoops& loops, const Function& fn, Instr* i) {
  IRBuilder& b = loops.builder();
  bool stack = i->intrinsic == Intrinsic::Stack;
  Instr* seq = i->operands[1];
  const auto& elems = seq->type->elements();
  int in_nd = elems[0]->ndim();
  int out_nd = i->type->ndim();
  int64_t axis = i->operands.size() > 2 ? i->operands[2]->cval.i : 0;
  if (axis < 0) axis += out_nd;
  if (axis < 0 || axis >= out_nd)
    report(ErrorKind::Typing, fn.info, i->loc,
           "Typing error: axis " + std::to_string(axis) + " is out of bounds for the result of " +
               std::to_string(out_nd) + " dimensions");
  std::vector<Instr*> inputs;
  for (size_t k = 0; k < elems.size(); ++k) {
    Instr* e = b.emit(Opcode::TupleGet, {seq}, elems[k]);
    e->tuple_index = int64_t(k);
    inputs.push_back(e);
  }
  // The result's shape; every input must match it off the joined axis.
  std::vector<Instr*> shape;
  for (int d = 0, s = 0; d < out_nd; ++d) {
    if (d == axis) {
      if (stack) {
        shape.push_back(b.int64(int64_t(elems.size())));
        continue;
      }
      Instr* n = b.int64(0);
      for (Instr* v : inputs) n = b.binop(BinOpKind::Add, n, b.dim(v, s));
      shape.push_back(n);
      ++s;
      continue;
    }
    Instr* n = b.dim(inputs[0], s);
    for (Instr* v : inputs)
      b.raise_if(b.cmp(CmpKind::Ne, b.dim(v, s), n), DN_VALUE_ERROR,
                 stack ? "all input arrays must have the same shape"
                       : "all the input array dimensions except for the concatenation axis must match exactly");
    shape.push_back(n);
    ++s;
  }
  Instr* out = b.emit(Opcode::NewArray, shape, i->type);
  Instr* data = b.data(out);
  Instr* offset = b.int64(0);  // along the joined axis
  const Type* slab_t = t_array(i->type->dtype(), in_nd, Layout::A);
  for (Instr* input : inputs) {
    Instr* n = stack ? b.int64(1) : b.dim(input, int(axis));
    std::vector<Instr*> operands{out, b.byte_ptr(data, b.binop(BinOpKind::Mul, offset, b.stride(out, int(axis))))};
    std::vector<Instr*> strides;
    for (int d = 0; d < out_nd; ++d) {
      if (stack && d == axis) continue;
      operands.push_back(d == axis ? n : b.dim(out, d));
      strides.push_back(b.stride(out, d));
    }
    operands.insert(operands.end(), strides.begin(), strides.end());
    loops.evaluate_into(input, b.emit(Opcode::View, operands, slab_t), false);
    offset = b.binop(BinOpKind::Add, offset, n);
  }
  return out;
}

}  // namespace dn
