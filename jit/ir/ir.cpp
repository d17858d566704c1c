// Construction and mutation of IR functions, and the tables generated from opcodes.def.
#include "jit/ir/ir.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace dn {

const char* opcode_name(Opcode op) {
  static const char* names[] = {
#define OP(name, text, ...) text,
#include "jit/ir/opcodes.def"
#undef OP
  };
  return names[int(op)];
}

bool is_terminator(Opcode op) {
  static const bool terms[] = {
#define OP(name, text, term, ...) term,
#include "jit/ir/opcodes.def"
#undef OP
  };
  return terms[int(op)];
}

bool produces_value(Opcode op) {
  return !is_terminator(op) && op != Opcode::SetItem && op != Opcode::DelItem && op != Opcode::Print && op != Opcode::Store && op != Opcode::Release &&
         op != Opcode::Yield;
}

bool produces_value(const Instr* i) {
  if (i->op == Opcode::CallRuntime) return i->type != nullptr && !i->checked;  // void / status
  return produces_value(i->op);
}

OperandCounts operand_counts(Opcode op) {
  static const OperandCounts counts[] = {
#define OP(name, text, term, min, max, targets) {min, max, targets},
#include "jit/ir/opcodes.def"
#undef OP
  };
  return counts[int(op)];
}

const char* intrinsic_name(Intrinsic i) {
  static const char* names[] = {
#define INTRINSIC(name) #name,
#include "jit/ir/intrinsics.def"
#undef INTRINSIC
  };
  return names[int(i)];
}

const char* binop_symbol(BinOpKind k) {
  static const char* s[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"};
  return s[int(k)];
}
const char* unary_symbol(UnaryKind k) {
  static const char* s[] = {"-", "+", "~", "not"};
  return s[int(k)];
}
const char* cmp_symbol(CmpKind k) {
  static const char* s[] = {"<", "<=", "==", "!=", ">", ">=", "is", "is not", "in", "not in"};
  return s[int(k)];
}

ConstValue extreme_value(const Type* t, bool highest) {
  ConstValue c;
  if (t->is_float()) {
    c.kind = ConstValue::Kind::Float;
    c.f = highest ? HUGE_VAL : -HUGE_VAL;
  } else if (t->is_bool()) {
    c.kind = ConstValue::Kind::Bool;
    c.i = highest;
  } else {
    c.kind = ConstValue::Kind::Int;
    int bits = t->bits();
    if (t->is_signed()) c.i = highest ? int64_t((uint64_t(1) << (bits - 1)) - 1) : -int64_t(uint64_t(1) << (bits - 1));
    else c.i = highest ? int64_t(bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1) : 0;
  }
  return c;
}

bool is_elementwise(const Instr* i) {
  if (!i->type || i->type->kind() != TypeKind::Array) return false;
  switch (i->op) {
    case Opcode::BinOp: return i->binop != BinOpKind::MatMul;
    case Opcode::UnaryOp:
    case Opcode::Compare: return true;
    case Opcode::Cast:
      return i->operands[0]->type->kind() == TypeKind::Array &&
             i->operands[0]->type->dtype() != i->type->dtype();
    case Opcode::Call:
      switch (i->intrinsic) {
        case Intrinsic::Abs:
        case Intrinsic::MathFunc:
        case Intrinsic::IsNan:
        case Intrinsic::IsInf:
        case Intrinsic::IsFinite:
        case Intrinsic::Where: return true;
        default: return false;
      }
    default: return false;
  }
}

std::vector<Block*> Block::succs() const {
  Instr* t = terminator();
  return t ? t->blocks : std::vector<Block*>{};
}

Block* Function::new_block() {
  blocks.push_back(std::make_unique<Block>());
  blocks.back()->id = next_block_++;
  blocks.back()->parent = this;
  return blocks.back().get();
}

Instr* Function::create(Opcode op, std::vector<Instr*> operands, SourceLoc loc) {
  arena_.push_back(std::make_unique<Instr>());
  Instr* i = arena_.back().get();
  i->op = op;
  i->id = next_value_++;
  i->operands = std::move(operands);
  i->loc = loc;
  return i;
}

Instr* Function::clone(const Instr* i) {
  arena_.push_back(std::make_unique<Instr>(*i));
  Instr* c = arena_.back().get();
  c->id = next_value_++;
  c->parent = nullptr;
  return c;
}

Instr* Function::append(Block* b, Opcode op, std::vector<Instr*> operands, SourceLoc loc) {
  Instr* i = create(op, std::move(operands), loc);
  i->parent = b;
  b->instrs.push_back(i);
  return i;
}

Instr* Function::insert_before_terminator(Block* b, Instr* i) {
  i->parent = b;
  auto pos = b->terminator() ? b->instrs.end() - 1 : b->instrs.end();
  b->instrs.insert(pos, i);
  return i;
}

Instr* Function::insert_before(Instr* pos, Instr* i) {
  Block* b = pos->parent;
  i->parent = b;
  b->instrs.insert(std::find(b->instrs.begin(), b->instrs.end(), pos), i);
  return i;
}

Instr* Function::insert_after(Instr* pos, Instr* i) {
  Block* b = pos->parent;
  i->parent = b;
  b->instrs.insert(std::find(b->instrs.begin(), b->instrs.end(), pos) + 1, i);
  return i;
}

void Function::erase(Instr* i) {
  Block* b = i->parent;
  b->instrs.erase(std::find(b->instrs.begin(), b->instrs.end(), i));
  i->parent = nullptr;
}

Block* Function::split_after(Instr* pos) {
  Block* b = pos->parent;
  Block* rest = new_block();
  rest->unwind = b->unwind;
  auto at = std::find(b->instrs.begin(), b->instrs.end(), pos) + 1;
  rest->instrs.assign(at, b->instrs.end());
  b->instrs.erase(at, b->instrs.end());
  for (Instr* i : rest->instrs) i->parent = rest;
  for (Block* s : rest->succs())
    for (Instr* i : s->instrs)
      if (i->op == Opcode::Phi)
        for (Block*& from : i->blocks)
          if (from == b) from = rest;
  return rest;
}

void Function::recompute_preds() {
  for (auto& b : blocks) b->preds.clear();
  for (auto& b : blocks)
    for (Block* s : b->succs()) s->preds.push_back(b.get());
}

void Function::replace_all_uses(Instr* from, Instr* to) {
  for (auto& b : blocks)
    for (Instr* i : b->instrs)
      for (Instr*& o : i->operands)
        if (o == from) o = to;
}

void Function::remove_unreachable_blocks() {
  std::unordered_set<Block*> seen;
  std::vector<Block*> work{entry()};
  while (!work.empty()) {
    Block* b = work.back();
    work.pop_back();
    if (!seen.insert(b).second) continue;
    for (Block* s : b->succs()) work.push_back(s);
  }
  // Phis lose the incoming edges of removed blocks.
  for (auto& b : blocks) {
    if (!seen.count(b.get())) continue;
    for (Instr* i : b->instrs) {
      if (i->op != Opcode::Phi) continue;
      for (size_t k = 0; k < i->blocks.size();) {
        if (!seen.count(i->blocks[k])) {
          i->blocks.erase(i->blocks.begin() + k);
          i->operands.erase(i->operands.begin() + k);
        } else {
          ++k;
        }
      }
    }
  }
  blocks.erase(std::remove_if(blocks.begin(), blocks.end(),
                              [&](const std::unique_ptr<Block>& b) { return !seen.count(b.get()); }),
               blocks.end());
  recompute_preds();
}

void Function::sort_blocks_rpo() {
  std::vector<Block*> post;
  std::unordered_set<Block*> seen;
  // Iterative DFS: (block, next successor index).
  std::vector<std::pair<Block*, size_t>> stack{{entry(), 0}};
  seen.insert(entry());
  while (!stack.empty()) {
    auto& [b, k] = stack.back();
    std::vector<Block*> succ = b->succs();
    if (k < succ.size()) {
      Block* s = succ[k++];
      if (seen.insert(s).second) stack.push_back({s, 0});
    } else {
      post.push_back(b);
      stack.pop_back();
    }
  }
  std::unordered_map<Block*, size_t> rank;
  for (size_t i = 0; i < post.size(); ++i) rank[post[i]] = post.size() - 1 - i;
  // Unreachable blocks keep their relative order after all reachable ones.
  auto rank_of = [&](Block* b) {
    auto it = rank.find(b);
    return it == rank.end() ? post.size() : it->second;
  };
  std::stable_sort(blocks.begin(), blocks.end(), [&](const auto& x, const auto& y) {
    return rank_of(x.get()) < rank_of(y.get());
  });
}

std::string escape_braces(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '{' || c == '}') out += c;
  }
  return out;
}

}  // namespace dn
