// The text form of the IR (DUNNART_DUMP=ir,typed, dunnart-opt, golden tests). It carries
// every attribute, so that parser.cpp reads it back: print(parse(print(f))) == print(f).
//   function f(%0 : float64) -> float64 {
//   bb1 (preds bb0 bb3):
//     %4 : int64 = binop + %2, %3 var="x"  @3:8-3:13
// An instruction is `[%id [: type] =] opcode head operands attributes [@loc]`: the head is
// what the opcode always has (arg's position, const's value, binop's operator, ...), the
// attributes are `key=value` (or a bare `key` for a true flag) and appear only when they
// differ from their defaults. Value-less instructions (terminators, setitem) print their
// id only when another instruction names them (fused_into=).
#include "jit/ir/printer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <unordered_set>

#include "jit/ir/ir.h"
#include "jit/types/type_text.h"

namespace dn {

std::string quote_text(const std::string& s, char quote) {
  std::string out(1, quote);
  for (unsigned char c : s) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += char(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + quote;
}

// The shortest text that reads back as the same double, always with a '.', an exponent,
// inf or nan so that it never reads as an int.
std::string float_text(double v) {
  if (std::isnan(v)) return std::signbit(v) ? "-nan" : "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string const_text(const ConstValue& c) {
  switch (c.kind) {
    case ConstValue::Kind::None: return "None";
    case ConstValue::Kind::Bool: return c.i ? "True" : "False";
    case ConstValue::Kind::Int: return std::to_string(c.i);
    case ConstValue::Kind::Float: return float_text(c.f);
    case ConstValue::Kind::Complex: return "complex(" + float_text(c.f) + ", " + float_text(c.imag) + ")";
    case ConstValue::Kind::Str: return quote_text(c.s, '\'');
    case ConstValue::Kind::Tuple: {
      std::string s = "(";
      for (size_t k = 0; k < c.items.size(); ++k) s += (k ? ", " : "") + const_text(c.items[k]);
      return s + (c.items.size() == 1 ? ",)" : ")");
    }
    case ConstValue::Kind::Other: return "object(" + quote_text(c.s, '"') + ")";
    case ConstValue::Kind::BigInt: return "bigint(" + c.s + ")";
  }
  return "?";
}

const char* global_kind_name(GlobalValue::Kind k) {
  switch (k) {
    case GlobalValue::Kind::Const: return "const";
    case GlobalValue::Kind::Module: return "module";
    case GlobalValue::Kind::Function: return "function";
    case GlobalValue::Kind::NumberClass: return "class";
    case GlobalValue::Kind::Dispatcher: return "dispatcher";
    case GlobalValue::Kind::Array: return "array";
    case GlobalValue::Kind::Unsupported: return "unsupported";
    case GlobalValue::Kind::NamedTupleClass: return "namedtuple_class";
    case GlobalValue::Kind::EnumClass: return "enum_class";
    case GlobalValue::Kind::EnumMember: return "enum_member";
    case GlobalValue::Kind::NamedTupleValue: return "namedtuple_value";
  }
  return "?";
}

const char* fill_name(ArrayFill f) {
  switch (f) {
    case ArrayFill::Empty: return "empty";
    case ArrayFill::Zeros: return "zeros";
    case ArrayFill::Ones: return "ones";
  }
  return "?";
}

static bool has_value(const Instr& i) { return produces_value(&i); }

static std::string hex_bytes(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

static std::string instr_text(const Instr& i, bool named) {
  std::ostringstream o;
  if (has_value(i) || named) {
    o << "%" << i.id;
    if (i.type) o << " : " << type_text(i.type);
    o << " = ";
  }
  o << opcode_name(i.op);
  // The head.
  switch (i.op) {
    case Opcode::Arg: o << " " << i.arg_index; break;
    case Opcode::Const: o << " " << const_text(i.cval); break;
    case Opcode::Global: o << " " << global_kind_name(i.gval.kind) << " " << quote_text(i.gval.name, '"'); break;
    case Opcode::GetAttr: o << " ." << i.attr; break;
    case Opcode::BinOp: o << " " << binop_symbol(i.binop) << (i.inplace ? "=" : ""); break;
    case Opcode::UnaryOp: o << " " << unary_symbol(i.unop); break;
    case Opcode::Compare: o << " " << cmp_symbol(i.cmp); break;
    case Opcode::TupleGet: o << " [" << i.tuple_index << "]"; break;
    case Opcode::Cast: o << (i.explicit_cast ? " explicit" : ""); break;
    case Opcode::Raise:
    case Opcode::Unwrap: o << " " << i.error_code << " " << quote_text(i.message, '\''); break;
    case Opcode::Print:
    case Opcode::Format: o << " " << quote_text(i.message, '\''); break;
    case Opcode::Call:
      if (i.intrinsic != Intrinsic::None) o << " " << intrinsic_name(i.intrinsic);
      break;
    default: break;
  }
  // Operands and block targets.
  bool first = true;
  auto sep = [&]() -> std::ostringstream& {
    o << (first ? " " : ", ");
    first = false;
    return o;
  };
  for (size_t k = 0; k < i.operands.size(); ++k) {
    sep();
    if (i.op == Opcode::Phi) o << "[bb" << (k < i.blocks.size() && i.blocks[k] ? i.blocks[k]->id : -1) << ": ";
    o << "%" << (i.operands[k] ? i.operands[k]->id : -1);
    if (i.op == Opcode::Phi) o << "]";
  }
  if (i.op != Opcode::Phi)
    for (Block* b : i.blocks) sep() << "bb" << (b ? b->id : -1);
  // Attributes.
  if (!i.var.empty()) o << " var=" << quote_text(i.var, '"');
  if (i.op == Opcode::Global) {
    const GlobalValue& g = i.gval;
    if (g.kind == GlobalValue::Kind::Const || g.value.kind != ConstValue::Kind::None)
      o << " value=" << const_text(g.value);
    if (g.handle) o << " handle=" << g.handle;
    if (g.kind == GlobalValue::Kind::Array || !g.shape.empty()) {
      o << " shape=(";
      for (size_t k = 0; k < g.shape.size(); ++k) o << (k ? ", " : "") << g.shape[k];
      o << (g.shape.size() == 1 ? ",)" : ")");
    }
    if (g.data) o << " data=x\"" << hex_bytes(*g.data) << "\"";
  }
  if (i.unpack_count >= 0) o << " unpack_count=" << i.unpack_count;
  if (!i.func.empty()) o << " func=" << quote_text(i.func, '"');
  if (i.fill != ArrayFill::Empty) o << " fill=" << fill_name(i.fill);
  if (i.has_axis) o << " has_axis";
  if (i.to_1d) o << " to_1d";
  if (i.always_copy) o << " always_copy";
  if (!i.callee_key.empty()) o << " callee_key=" << quote_text(i.callee_key, '"');
  if (!i.kwnames.empty()) {
    o << " kwnames=(";
    for (size_t k = 0; k < i.kwnames.size(); ++k) o << (k ? ", " : "") << quote_text(i.kwnames[k], '"');
    o << (i.kwnames.size() == 1 ? ",)" : ")");
  }
  if (i.fused_into) o << " fused_into=%" << i.fused_into->id;
  if (!i.shape_ranks.empty()) {
    o << " shape_ranks=(";
    for (size_t k = 0; k < i.shape_ranks.size(); ++k) o << (k ? ", " : "") << i.shape_ranks[k];
    o << (i.shape_ranks.size() == 1 ? ",)" : ")");
  }
  if (!i.value_formats.empty()) {
    o << " value_formats=(";
    for (size_t k = 0; k < i.value_formats.size(); ++k) o << (k ? ", " : "") << quote_text(i.value_formats[k], '"');
    o << (i.value_formats.size() == 1 ? ",)" : ")");
  }
  if ((i.op == Opcode::ArrayDim || i.op == Opcode::ArrayStride) && i.operands.size() == 1) o << " dim=" << i.dim;
  if (i.op == Opcode::Part) o << " dim=" << i.dim;
  if (i.slots != 1) o << " slots=" << i.slots;
  if (i.reassoc) o << " reassoc";
  if (i.ufunc) o << " ufunc";
  if (i.independent) o << " independent";
  if (i.byte_offset) o << " byte_offset";
  if (i.no_wrap) o << " no_wrap";
  if (i.checked) o << " checked";
  const SourceLoc& l = i.loc;
  if (l.line || l.end_line || l.col != -1 || l.end_col != -1)
    o << "  @" << l.line << ":" << l.col << "-" << l.end_line << ":" << l.end_col;
  return o.str();
}

std::string print_instr(const Instr& i) { return instr_text(i, false); }

std::string print_function(const Function& f) {
  // Value-less instructions that others point at need their ids in the text.
  std::unordered_set<const Instr*> named;
  for (auto& b : f.blocks)
    for (Instr* i : b->instrs) {
      if (i->fused_into) named.insert(i->fused_into);
    }
  std::ostringstream o;
  o << "function " << f.name << "(";
  for (size_t k = 0; k < f.args.size(); ++k) {
    o << (k ? ", " : "") << "%" << f.args[k]->id;
    if (f.args[k]->type) o << " : " << type_text(f.args[k]->type);
  }
  o << ")";
  if (f.return_type) o << " -> " << type_text(f.return_type);
  if (f.noinline) o << " noinline";
  if (f.recursive) o << " recursive";
  if (f.resumes_generator) o << " resumes_generator";
  o << " {\n";
  for (auto& b : f.blocks) {
    o << "bb" << b->id;
    if (!b->preds.empty()) {
      o << " (preds";
      for (Block* p : b->preds) o << " bb" << p->id;
      o << ")";
    }
    if (b->unwind) o << " unwind bb" << b->unwind->id;
    o << ":\n";
    for (Instr* i : b->instrs) o << "  " << instr_text(*i, named.count(i) > 0) << "\n";
  }
  o << "}\n";
  return o.str();
}

}  // namespace dn
