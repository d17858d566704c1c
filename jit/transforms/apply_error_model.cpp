#include "jit/transforms/apply_error_model.h"

namespace dn {

void apply_error_model(Function& fn, ErrorModel model) {
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs) {
      if (i->op == Opcode::CallRuntime) continue;  // its `checked` is the entry point's status
      bool scalar = i->type && i->type->is_scalar();
      bool may_raise = i->op == Opcode::BinOp || i->op == Opcode::Cast || i->op == Opcode::Call;
      // np.divide(a, b) and its kin divide as NumPy's ufuncs do, scalars too.
      i->checked = model == ErrorModel::Python && scalar && may_raise && !i->ufunc;
    }
}

}  // namespace dn
