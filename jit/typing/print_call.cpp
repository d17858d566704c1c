#include "jit/typing/print_call.h"

#include <string>
#include <vector>

#include "runtime/text.h"

namespace dn {

namespace {

struct PrintMessage {
  Function& fn;
  Instr* at;
  std::string text;
  std::vector<Instr*> values;
  std::vector<std::string> formats;

  void add(Instr* v, bool inside_tuple) {
    const Type* t = v->type;
    if (v->op == Opcode::Const && v->cval.kind == ConstValue::Kind::Str) {
      text += escape_braces(inside_tuple ? dn_runtime::str_repr(v->cval.s) : v->cval.s);  // ('a', 1)
    } else if (t->kind() == TypeKind::None) {
      text += "None";
    } else if (t->kind() == TypeKind::Tuple) {
      // A namedtuple prints as its repr does: P(x=1, y=2).
      bool named = t->is_named_tuple();
      if (named) text += escape_braces(t->name().substr(t->name().rfind('.') + 1));
      text += "(";
      for (size_t k = 0; k < t->elements().size(); ++k) {
        Instr* g = fn.create(Opcode::TupleGet, {v}, at->loc);
        g->tuple_index = int64_t(k);
        g->type = t->elements()[k];
        fn.insert_before(at, g);
        if (k) text += ", ";
        if (named) text += escape_braces(t->fields()[k]) + "=";
        add(g, true);
      }
      text += t->elements().size() == 1 && !named ? ",)" : ")";
    } else {
      text += "{}";
      values.push_back(v);
      formats.push_back(inside_tuple ? "!r" : "!s");
    }
  }
};

}  // namespace

void rewrite_print(Function& fn, Instr* call) {
  size_t positional = call->operands.size() - 1 - call->kwnames.size();
  // sep= and end=: a constant's text, a str computed at run time (a value), or None (the default).
  Instr* sep = nullptr;
  Instr* end = nullptr;
  for (size_t k = 0; k < call->kwnames.size(); ++k) {
    Instr* v = call->operands[1 + positional + k];
    if (v->type->kind() == TypeKind::None) continue;
    if (call->kwnames[k] == "sep") sep = v;
    if (call->kwnames[k] == "end") end = v;
  }
  PrintMessage m{fn, call, "", {}, {}};
  auto separator = [&](Instr* v, const char* plain) {
    if (!v) m.text += plain;
    else m.add(v, false);
  };
  for (size_t k = 0; k < positional; ++k) {
    if (k) separator(sep, " ");
    m.add(call->operands[1 + k], false);
  }
  separator(end, "\n");
  call->op = Opcode::Print;
  call->operands = m.values;
  call->kwnames.clear();
  call->message = m.text;
  call->value_formats = m.formats;
  call->type = nullptr;
}

}  // namespace dn
