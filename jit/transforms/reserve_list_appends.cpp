#include "jit/transforms/reserve_list_appends.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "jit/analysis/dominators.h"
#include "jit/analysis/loops.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/iterables.h"

namespace dn {

namespace {

using Use = std::pair<Instr*, size_t>;  // (user, operand position)
using Uses = std::unordered_map<const Instr*, std::vector<Use>>;

bool is_list(const Type* t) { return t && t->kind() == TypeKind::List; }

// A list this function makes: no other name for it exists until it is handed somewhere.
bool made_here(const Instr* l) {
  if (l->op == Opcode::BuildList) return true;
  if (l->op != Opcode::Call) return false;
  switch (l->intrinsic) {
    case Intrinsic::ListFrom: case Intrinsic::ListCopy: case Intrinsic::ListSorted: return true;
    default: return false;
  }
}

// A use that reads the list, or changes it in place, without handing it anywhere: after
// it the list has no new name (what it returns, if anything, is another value).
bool keeps_to_itself(const Use& u, const Uses& uses) {
  const Instr* i = u.first;
  switch (i->op) {
    case Opcode::Return: return true;
    case Opcode::GetAttr: {  // l.append: a method, called
      auto found = uses.find(i);
      if (found == uses.end()) return true;
      for (const Use& m : found->second)
        if (m.first->op != Opcode::Call || m.second != 0) return false;
      return true;
    }
    case Opcode::GetItem: case Opcode::SetItem: case Opcode::DelItem: case Opcode::GetIter: case Opcode::Truth:
      return u.second == 0;
    case Opcode::Compare: return true;
    case Opcode::BinOp: return !i->inplace && is_list(i->type);  // l + m, l * 3: a new list
    case Opcode::Call:
      switch (i->intrinsic) {
        case Intrinsic::ListAppend: case Intrinsic::ListInsert: case Intrinsic::ListPop: case Intrinsic::ListClear:
        case Intrinsic::ListCopy: case Intrinsic::ListReverse: case Intrinsic::ListIndex: case Intrinsic::ListCount:
        case Intrinsic::ListRemove: case Intrinsic::ListSort: case Intrinsic::ListSorted: case Intrinsic::ListSum:
        case Intrinsic::ListAny: case Intrinsic::ListAll: case Intrinsic::ListFrom: case Intrinsic::ArrayFromList:
        case Intrinsic::Len: case Intrinsic::Min: case Intrinsic::Max:
          return u.second == 1;
        case Intrinsic::ListExtend: return u.second == 1 || u.second == 2;  // the source is only read
        default: return false;
      }
    default: return false;
  }
}

// A use inside the loop that may take capacity (or make room of its own).
bool grows(const Use& u) {
  const Instr* i = u.first;
  if (i->op == Opcode::SetItem) return i->operands[1]->type->kind() == TypeKind::Slice;  // l[a:b] = m
  if (i->op != Opcode::Call) return false;
  return i->intrinsic == Intrinsic::ListAppend || i->intrinsic == Intrinsic::ListInsert ||
         (i->intrinsic == Intrinsic::ListExtend && u.second == 1);
}

bool is_append_to(const Use& u) {
  return u.first->op == Opcode::Call && u.first->intrinsic == Intrinsic::ListAppend && u.second == 1 &&
         u.first->operands.size() == 3;
}

// What the loop iterates, when its length is fixed before the loop: a range or an array
// (its first axis), through an iterator made before the loop and tested by the header.
Instr* iterated(const Loop& loop) {
  for (Instr* i : loop.header->instrs) {
    if (i->op != Opcode::IterValid) continue;
    Instr* it = i->operands[0];
    if (it->op != Opcode::GetIter || loop.contains(it)) return nullptr;
    Instr* seq = it->operands[0];
    TypeKind k = seq->type->kind();
    return k == TypeKind::Range || (k == TypeKind::Array && seq->type->ndim() >= 1) ? seq : nullptr;
  }
  return nullptr;
}

// Left only when what it iterates is exhausted, or by raising: a `break` or `return`
// would leave room reserved for iterations that never run.
bool runs_to_the_end(const Loop& loop) {
  for (const auto& [from, to] : loop.exit_edges) {
    if (from == loop.header) continue;
    Instr* t = to->terminator();
    if (!t || (t->op != Opcode::Raise && t->op != Opcode::Reraise)) return false;
  }
  return true;
}

// Inserts the preheader's request before its branch to the loop: room for `appends`
// elements in each iteration, after the elements there are. The runtime counts the
// iterations from the range's parts (an array's: 0, its length, 1), exactly: a count
// computed in int64 could wrap for ranges that span more than 2^63.
Instr* request_room(Function& fn, const Loop& loop, Instr* seq, Instr* l, int64_t appends) {
  Block* pre = loop.preheader;
  Instr* branch = pre->instrs.back();
  pre->instrs.pop_back();
  IRBuilder b(fn, pre, branch->loc);
  auto [start, stop, step] = seq->type->kind() == TypeKind::Range
                                 ? range_parts(b, seq)
                                 : std::tuple<Instr*, Instr*, Instr*>{b.int64(0), b.dim(seq, 0), b.int64(1)};
  Instr* answer = b.call_runtime("dn_list_try_reserve", {l, b.int64(appends), start, stop, step}, t_int64());
  Instr* room = b.cmp(CmpKind::Ne, answer, b.int64(0));
  pre->instrs.push_back(branch);
  return room;
}

}  // namespace

bool reserve_list_appends(Function& fn) {
  Uses uses;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      for (size_t k = 0; k < i->operands.size(); ++k) uses[i->operands[k]].push_back({i, k});
  LoopNest nest(fn);
  if (!nest.reducible()) return false;
  DominatorTree dom(fn);
  bool changed = false;
  for (const auto& loop : nest.loops()) {
    Instr* seq = iterated(*loop);
    if (!seq || !loop->preheader || (loop->range && loop->range->prange) || !runs_to_the_end(*loop)) continue;
    // The lists made before the loop that it appends to, in the order of their first append.
    std::vector<Instr*> lists;
    for (Block* blk : loop->blocks)
      for (Instr* i : blk->instrs)
        if (i->op == Opcode::Call && i->intrinsic == Intrinsic::ListAppend && i->operands.size() == 3) {
          Instr* l = i->operands[1];
          if (is_list(l->type) && made_here(l) && !loop->contains(l) &&
              std::find(lists.begin(), lists.end(), l) == lists.end())
            lists.push_back(l);
        }
    for (Instr* l : lists) {
      bool ok = true;
      std::vector<Instr*> counted;
      for (const Use& u : uses[l]) {
        if (!keeps_to_itself(u, uses)) ok = false;
        if (!ok || !loop->contains(u.first) || !grows(u)) continue;
        // Counted: an append made once in every iteration; any other growth spoils the count.
        bool every_iteration = is_append_to(u) && nest.loop_of(u.first->parent) == loop.get();
        for (Block* latch : loop->latches) every_iteration = every_iteration && dom.dominates(u.first->parent, latch);
        if (every_iteration) counted.push_back(u.first);
        else ok = false;
      }
      if (!ok || counted.empty()) continue;
      Instr* room = request_room(fn, *loop, seq, l, int64_t(counted.size()));
      for (Instr* append : counted) append->operands.push_back(room);
      changed = true;
    }
  }
  return changed;
}

}  // namespace dn
