#include "jit/analysis/loops.h"

#include <algorithm>

#include "jit/analysis/cfg.h"
#include "jit/analysis/dominators.h"

namespace dn {
namespace {

bool is_range_call(const Instr* r, bool* prange) {
  if (r->op != Opcode::Call || r->operands.empty() || !r->kwnames.empty()) return false;
  size_t nargs = r->operands.size() - 1;
  if (nargs < 1 || nargs > 3) return false;
  const Instr* callee = r->operands[0];
  if (callee->op != Opcode::Global || callee->gval.kind != GlobalValue::Kind::Function)
    return false;
  const std::string& n = callee->gval.name;
  *prange = n == "dunnart.prange" || n == "numba.prange";
  return n == "builtins.range" || *prange;
}

std::optional<int64_t> int_constant(const Instr* v) {
  if (!v) return std::nullopt;
  if (v->op == Opcode::Cast && v->type && v->type->is_int())
    v = v->operands[0];  // typing's int64 casts
  if (v->op != Opcode::Const) return std::nullopt;
  if (v->cval.kind != ConstValue::Kind::Int && v->cval.kind != ConstValue::Kind::Bool)
    return std::nullopt;
  return v->cval.i;
}

// The shape of the loop the frontend makes of `for v in range(...)` (see RangeLoop).
std::optional<RangeLoop> match_range_loop(const Loop& loop) {
  Instr* t = loop.header->terminator();
  if (!t || t->op != Opcode::CondBr || t->operands[0]->op != Opcode::IterValid) return std::nullopt;
  RangeLoop r;
  r.iterator = t->operands[0]->operands[0];
  r.body = t->blocks[0];
  r.exit = t->blocks[1];
  if (r.iterator->op != Opcode::GetIter || loop.contains(r.iterator)) return std::nullopt;
  if (!loop.contains(r.body) || loop.contains(r.exit) || r.body == loop.header) return std::nullopt;
  r.range = r.iterator->operands[0];
  if (!is_range_call(r.range, &r.prange)) return std::nullopt;
  for (Instr* i : r.body->instrs) {
    if (i->op == Opcode::Phi) continue;
    if (i->op == Opcode::IterNext && i->operands[0] == r.iterator) r.induction = i;
    break;
  }
  if (!r.induction) return std::nullopt;
  const std::vector<Instr*>& a = r.range->operands;
  if (a.size() == 2) {
    r.stop = a[1];
  } else {
    r.start = a[1];
    r.stop = a[2];
    if (a.size() == 4) r.step = a[3];
  }
  r.constant_start = r.start ? int_constant(r.start) : std::optional<int64_t>(0);
  r.constant_stop = int_constant(r.stop);
  r.constant_step = r.step ? int_constant(r.step) : std::optional<int64_t>(1);
  if (r.constant_start && r.constant_stop && r.constant_step && *r.constant_step != 0)
    r.trip_count = range_trip_count(*r.constant_start, *r.constant_stop, *r.constant_step);
  return r;
}

// The shape of a counted loop of lowered array code (see CountedLoop).
std::optional<CountedLoop> match_counted_loop(const Loop& loop) {
  if (loop.latches.size() != 1 || loop.header->instrs.empty()) return std::nullopt;
  Instr* phi = loop.header->instrs[0];
  Block* latch = loop.latches[0];
  if (phi->op != Opcode::Phi || phi->operands.size() != 2 || !phi->type || phi->type != t_int64()) return std::nullopt;
  size_t in = phi->blocks[0] == latch ? 1 : 0;
  Instr* init = phi->operands[in];
  Instr* next = phi->operands[1 - in];
  if (int_constant(init) != std::optional<int64_t>(0) || next->op != Opcode::BinOp || next->binop != BinOpKind::Add ||
      !next->no_wrap || next->operands[0] != phi || int_constant(next->operands[1]) != std::optional<int64_t>(1))
    return std::nullopt;
  Instr* t = latch->terminator();
  if (!t || t->op != Opcode::CondBr || t->blocks[0] != loop.header) return std::nullopt;
  Instr* c = t->operands[0];
  if (c->op != Opcode::Compare || c->cmp != CmpKind::Lt || c->operands[0] != next || loop.contains(c->operands[1]))
    return std::nullopt;
  CountedLoop r;
  r.induction = phi;
  r.trip_count = c->operands[1];
  r.latch = latch;
  r.independent = phi->independent;
  return r;
}

}  // namespace

uint64_t range_trip_count(int64_t start, int64_t stop, int64_t step) {
  // In unsigned arithmetic the distance between two int64s always fits.
  if (step > 0)
    return start < stop ? (uint64_t(stop) - uint64_t(start) - 1) / uint64_t(step) + 1 : 0;
  uint64_t magnitude = uint64_t(-(step + 1)) + 1;  // |step|, also for INT64_MIN
  return start > stop ? (uint64_t(start) - uint64_t(stop) - 1) / magnitude + 1 : 0;
}

LoopNest::LoopNest(const Function& f) {
  std::vector<Block*> rpo = reverse_postorder(f);
  auto preds = reachable_preds(rpo);
  DominatorTree dom(f);
  std::unordered_map<const Block*, size_t> rpo_index;
  for (size_t k = 0; k < rpo.size(); ++k) rpo_index[rpo[k]] = k;
  std::unordered_map<const Block*, size_t> position;  // order of blocks in the function
  for (size_t k = 0; k < f.blocks.size(); ++k) position[f.blocks[k].get()] = k;
  auto by_position = [&](const Block* a, const Block* b) {
    return position.at(a) < position.at(b);
  };

  // Back edges, grouped by header in RPO (outer loops' headers come first). A retreating
  // edge (to a block no later in RPO) whose target does not dominate its source enters a
  // cycle from the side: irreducible.
  std::vector<Block*> headers;
  std::unordered_map<const Block*, std::vector<Block*>> latches;
  for (Block* b : rpo)
    for (Block* s : b->succs()) {
      if (rpo_index.at(s) > rpo_index.at(b)) continue;
      if (!dom.dominates(s, b)) {
        reducible_ = false;
        continue;
      }
      auto& l = latches[s];
      if (l.empty()) headers.push_back(s);
      if (std::find(l.begin(), l.end(), b) == l.end()) l.push_back(b);
    }
  std::sort(headers.begin(), headers.end(),
            [&](const Block* a, const Block* b) { return rpo_index.at(a) < rpo_index.at(b); });

  for (Block* h : headers) {
    auto loop = std::make_unique<Loop>();
    loop->header = h;
    loop->latches = latches[h];
    std::sort(loop->latches.begin(), loop->latches.end(), by_position);
    // Walk backwards from the latches; the header stops the walk.
    loop->members_.insert(h);
    std::vector<Block*> work;
    for (Block* l : loop->latches)
      if (loop->members_.insert(l).second) work.push_back(l);
    while (!work.empty()) {
      Block* b = work.back();
      work.pop_back();
      for (Block* p : preds.at(b))
        if (loop->members_.insert(p).second) work.push_back(p);
    }
    for (auto& b : f.blocks)
      if (b.get() != h && loop->members_.count(b.get())) loop->blocks.push_back(b.get());
    loop->blocks.insert(loop->blocks.begin(), h);
    for (Block* b : loop->blocks)
      for (Block* s : b->succs())
        if (!loop->contains(s)) {
          std::pair<Block*, Block*> e{b, s};
          if (std::find(loop->exit_edges.begin(), loop->exit_edges.end(), e) ==
              loop->exit_edges.end())
            loop->exit_edges.push_back(e);
          if (std::find(loop->exits.begin(), loop->exits.end(), s) == loop->exits.end())
            loop->exits.push_back(s);
        }
    std::vector<Block*> outside;
    for (Block* p : preds.at(h))
      if (!loop->contains(p)) outside.push_back(p);
    if (outside.size() == 1 && outside[0]->succs().size() == 1) loop->preheader = outside[0];
    loop->range = match_range_loop(*loop);
    if (!loop->range) loop->counted = match_counted_loop(*loop);
    loops_.push_back(std::move(loop));
  }

  // Nesting: natural loops with distinct headers are disjoint or nested, and a loop's
  // header comes after its parent's in RPO, so the parent is the last earlier loop that
  // contains it.
  for (size_t k = 0; k < loops_.size(); ++k) {
    Loop* l = loops_[k].get();
    for (size_t j = k; j-- > 0;)
      if (loops_[j]->contains(l->header)) {
        l->parent = loops_[j].get();
        break;
      }
    if (l->parent) {
      l->depth = l->parent->depth + 1;
      l->parent->children.push_back(l);
    } else {
      top_.push_back(l);
    }
    for (Block* b : l->blocks) innermost_[b] = l;  // inner loops come later and overwrite
  }
  auto by_header = [&](const Loop* a, const Loop* b) { return by_position(a->header, b->header); };
  std::sort(top_.begin(), top_.end(), by_header);
  for (auto& l : loops_) std::sort(l->children.begin(), l->children.end(), by_header);
}

const Loop* LoopNest::loop_of(const Block* b) const {
  auto it = innermost_.find(b);
  return it == innermost_.end() ? nullptr : it->second;
}

int LoopNest::depth(const Block* b) const {
  const Loop* l = loop_of(b);
  return l ? l->depth : 0;
}

}  // namespace dn

namespace dn {
namespace {

// The index position at which `idx` is the induction variable `iv` (0 for a[iv]), or -1.
int induction_position(const Instr* idx, const Instr* iv) {
  if (idx == iv) return 0;
  if (idx->op == Opcode::BuildTuple)
    for (size_t k = 0; k < idx->operands.size(); ++k)
      if (idx->operands[k] == iv) return int(k);
  return -1;
}

bool is_jitted_call(const Instr* i) {
  if (i->op != Opcode::Call) return false;
  if (i->intrinsic == Intrinsic::CallJitted) return true;
  const Instr* callee = i->operands[0];
  return callee->op == Opcode::Global && callee->gval.kind == GlobalValue::Kind::Dispatcher;
}

}  // namespace

bool independent_iterations(const Loop& loop) {
  if (loop.counted) return loop.counted->independent;
  if (!loop.range) return false;
  const RangeLoop& r = *loop.range;
  const Function& f = *loop.header->parent;

  for (auto& [from, to] : loop.exit_edges) {
    bool exhausted = from == loop.header && to == r.exit;
    Instr* t = to->terminator();
    if (!exhausted && !(t && t->op == Opcode::Raise)) return false;
  }

  // Values carried from one iteration to the next all pass through the header's phis.
  for (Instr* phi : loop.header->instrs) {
    if (phi->op != Opcode::Phi) continue;
    bool carries = false;
    for (size_t k = 0; k < phi->operands.size(); ++k) {
      Instr* v = phi->operands[k];
      if (loop.contains(phi->blocks[k]) && v != phi && v != r.induction && loop.contains(v))
        carries = true;
    }
    if (!carries) continue;
    for (auto& b : f.blocks)
      for (Instr* i : b->instrs)
        if (i != phi && std::find(i->operands.begin(), i->operands.end(), phi) != i->operands.end())
          return false;
  }

  // Arrays written in the loop, and the index position of the induction variable there.
  std::unordered_map<const Instr*, int> written;
  for (Block* b : loop.blocks)
    for (Instr* i : b->instrs) {
      if (is_jitted_call(i)) return false;
      if (i->op == Opcode::BinOp && i->inplace &&
          (!i->operands[0]->type || i->operands[0]->type->kind() == TypeKind::Array))
        return false;  // a += b writes all of a (untyped: it may be an array)
      if (i->op != Opcode::SetItem) continue;
      if (i->operands.size() == 2) return false;  // a[...] = v (typed a += b): all of a
      const Instr* a = i->operands[0];
      int pos = induction_position(i->operands[1], r.induction);
      if (pos < 0 || loop.contains(a)) return false;
      auto [it, fresh] = written.emplace(a, pos);
      if (!fresh && it->second != pos) return false;
    }
  if (written.empty()) return true;

  // Negative indices count from the end: range(-2, 2) writes a[-1] and a[1], which may
  // be one element. The induction variable stays >= 0 when it starts there and rises, or
  // falls no further than 0.
  if (!r.constant_step) return false;
  bool rising = *r.constant_step > 0;
  if (rising ? !(r.constant_start && *r.constant_start >= 0)
             : !(r.constant_stop && *r.constant_stop >= -1))
    return false;

  for (Block* b : loop.blocks)
    for (Instr* i : b->instrs)
      for (size_t k = 0; k < i->operands.size(); ++k) {
        auto w = written.find(i->operands[k]);
        if (w == written.end()) continue;
        bool element = (i->op == Opcode::GetItem || i->op == Opcode::SetItem) && k == 0 &&
                       induction_position(i->operands[1], r.induction) == w->second;
        bool metadata = i->op == Opcode::GetAttr &&
                        (i->attr == "shape" || i->attr == "ndim" || i->attr == "size");
        if (!element && !metadata) return false;
      }
  return true;
}

}  // namespace dn
