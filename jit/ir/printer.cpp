// The stable text form of the IR (DUNNART_DUMP=ir,typed and golden tests):
//   bb1 (preds bb0 bb3):
//     %4 : int64 = binop + %2, %3
#include <sstream>

#include "jit/ir/ir.h"

namespace dn {

static std::string const_text(const ConstValue& c) {
  switch (c.kind) {
    case ConstValue::Kind::None: return "None";
    case ConstValue::Kind::Bool: return c.i ? "True" : "False";
    case ConstValue::Kind::Int: return std::to_string(c.i);
    case ConstValue::Kind::Float: {
      std::ostringstream s;
      s.precision(17);
      s << c.f;
      return s.str();
    }
    case ConstValue::Kind::Complex: {
      std::ostringstream s;
      s.precision(17);
      s << "(" << c.f << "+" << c.imag << "j)";
      return s.str();
    }
    case ConstValue::Kind::Str: return "'" + c.s + "'";
    case ConstValue::Kind::Tuple: {
      std::string s = "(";
      for (size_t k = 0; k < c.items.size(); ++k) s += (k ? ", " : "") + const_text(c.items[k]);
      return s + (c.items.size() == 1 ? ",)" : ")");
    }
    case ConstValue::Kind::Other: return "<" + c.s + ">";
    case ConstValue::Kind::BigInt: return c.s;
  }
  return "?";
}

std::string print_instr(const Instr& i) {
  std::ostringstream o;
  bool has_value = !i.is_terminator() && i.op != Opcode::SetItem;
  if (has_value) {
    o << "%" << i.id;
    if (i.type) o << " : " << i.type->str();
    o << " = ";
  }
  o << opcode_name(i.op);
  switch (i.op) {
    case Opcode::Arg: o << " " << i.imm; break;
    case Opcode::Const: o << " " << const_text(i.cval); break;
    case Opcode::Global: o << " " << i.name; break;
    case Opcode::GetAttr: o << " ." << i.name; break;
    case Opcode::BinOp: o << " " << binop_symbol(BinOpKind(i.imm)) << (i.flag ? "=" : ""); break;
    case Opcode::UnaryOp: o << " " << unary_symbol(UnaryKind(i.imm)); break;
    case Opcode::Compare: o << " " << cmp_symbol(CmpKind(i.imm)); break;
    case Opcode::TupleGet: o << " [" << i.imm << "]"; break;
    case Opcode::Cast: o << (i.flag ? " explicit" : ""); break;
    case Opcode::Raise: o << " " << i.imm << " '" << i.name << "'"; break;
    case Opcode::Call:
      if (i.intrinsic != Intrinsic::None) {
        o << " " << intrinsic_name(i.intrinsic);
        if (!i.name.empty()) o << ":" << i.name;
        if (i.intrinsic == Intrinsic::ArrayAlloc || i.intrinsic == Intrinsic::ArrayLike) o << ":" << i.imm;
        if (!i.callee_key.empty()) o << ":" << i.callee_key;
      }
      break;
    default: break;
  }
  for (size_t k = 0; k < i.operands.size(); ++k) {
    o << (k ? ", " : " ");
    if (i.op == Opcode::Phi) o << "[bb" << i.blocks[k]->id << ": ";
    o << "%" << i.operands[k]->id;
    if (i.op == Opcode::Phi) o << "]";
  }
  if (!i.kwnames.empty()) {
    o << " kw(";
    for (size_t k = 0; k < i.kwnames.size(); ++k) o << (k ? ", " : "") << i.kwnames[k];
    o << ")";
  }
  if (i.fused_into) o << "  ; fused into %" << i.fused_into->id;
  if (i.release_after) o << "  ; freed after %" << i.release_after->id;
  if (i.op != Opcode::Phi)
    for (size_t k = 0; k < i.blocks.size(); ++k) o << (k || !i.operands.empty() ? ", " : " ") << "bb" << i.blocks[k]->id;
  return o.str();
}

std::string print_function(const Function& f) {
  std::ostringstream o;
  o << "function " << f.name << "(";
  for (size_t k = 0; k < f.args.size(); ++k) {
    o << (k ? ", " : "") << "%" << f.args[k]->id;
    if (f.args[k]->type) o << " : " << f.args[k]->type->str();
  }
  o << ")";
  if (f.return_type) o << " -> " << f.return_type->str();
  o << " {\n";
  for (auto& b : f.blocks) {
    o << "bb" << b->id;
    if (!b->preds.empty()) {
      o << " (preds";
      for (Block* p : b->preds) o << " bb" << p->id;
      o << ")";
    }
    o << ":\n";
    for (Instr* i : b->instrs) o << "  " << print_instr(*i) << "\n";
  }
  o << "}\n";
  return o.str();
}

}  // namespace dn
