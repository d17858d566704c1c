#include "jit/transforms/parallel/loop_values.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "jit/frontend/function_info.h"

namespace dn::parallel {

bool used_by_others(const Function& fn, const Instr* v) {
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (i != v && std::find(i->operands.begin(), i->operands.end(), v) != i->operands.end()) return true;
  return false;
}

Instr* entry_value(const Loop& loop, const Instr* phi) {
  for (size_t k = 0; k < phi->operands.size(); ++k)
    if (!loop.contains(phi->blocks[k])) return phi->operands[k];
  return nullptr;
}

namespace {

// Constants of one value: the same wherever they are made.
bool same_constant(const Instr* x, const Instr* y) {
  if (x == y) return true;
  if (x->op != Opcode::Const || y->op != Opcode::Const || x->type != y->type) return false;
  const ConstValue &a = x->cval, &b = y->cval;
  return a.kind == b.kind && a.i == b.i && a.f == b.f && a.imag == b.imag && a.s == b.s && a.items.empty() &&
         b.items.empty();
}

}  // namespace

Instr* invariant_value(const Loop& loop, const Instr* phi) {
  Instr* before = nullptr;
  for (size_t k = 0; k < phi->operands.size(); ++k)
    if (!loop.contains(phi->blocks[k])) {
      if (before && before != phi->operands[k]) return nullptr;
      before = phi->operands[k];
    }
  if (!before) return nullptr;
  // What reaches it from the latches, through the body's phis.
  std::vector<const Instr*> phis{phi};
  std::unordered_set<const Instr*> seen{phi};
  for (size_t n = 0; n < phis.size(); ++n)
    for (size_t k = 0; k < phis[n]->operands.size(); ++k) {
      const Instr* v = phis[n]->operands[k];
      if (phis[n] == phi && !loop.contains(phi->blocks[k])) continue;  // `before` itself
      if (v->op == Opcode::Phi && loop.contains(v)) {
        if (seen.insert(v).second) phis.push_back(v);
      } else if (v != before && !same_constant(v, before)) {
        return nullptr;
      }
    }
  return before;
}

std::string name_of(const Instr* v) { return v->var.empty() ? std::string("a value") : "'" + v->var + "'"; }

Instr* later_value(const Loop& loop, const Instr* phi) {
  Instr* later = nullptr;
  for (size_t k = 0; k < phi->operands.size(); ++k) {
    Instr* v = phi->operands[k];
    if (!loop.contains(phi->blocks[k]) || v == phi) continue;
    if (loop.contains(v) || (later && later != v)) return nullptr;
    later = v;
  }
  return later;
}

bool made_before(const Loop& loop, const Instr* v) {
  return !loop.contains(v) || (v->op == Opcode::Phi && v->parent == loop.header && invariant_value(loop, v));
}

std::string target_name(const Function& fn, const Instr* store) {
  const SourceLoc& at = store->loc;
  if (fn.info && at.line == at.end_line && at.col >= 0) {
    auto line = fn.info->source_lines.find(at.line);
    if (line != fn.info->source_lines.end() && size_t(at.col) < line->second.size()) {
      std::string text = line->second.substr(size_t(at.col));
      size_t n = 0;
      while (n < text.size() && (std::isalnum(static_cast<unsigned char>(text[n])) || text[n] == '_' || text[n] == '.')) ++n;
      if (n > 0 && n < text.size() && text[n] == '[') return "'" + text.substr(0, n) + "'";
    }
  }
  return name_of(store->operands[0]);
}

bool shareable(const Type* t) {
  switch (t->kind()) {
    case TypeKind::List:
    case TypeKind::Dict:
    case TypeKind::Set:
    case TypeKind::Generator: return false;
    default: return true;
  }
}

using Users = std::unordered_map<const Instr*, std::vector<Instr*>>;

Users users_of(const Function& fn) {
  Users users;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands) users[o].push_back(i);
  return users;
}


}  // namespace dn::parallel
