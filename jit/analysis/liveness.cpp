// Backward dataflow to a fixpoint over bit sets, blocks visited in postorder so that most
// facts settle in one pass (loops need one more):
//   live_out(B) = U over successors S: live_in(S) U {phi operands of S coming from B}
//   live_in(B)  = upward-exposed uses of B U (live_out(B) - values defined in B)
// where B's phis count as defined in B and their operands as uses on the edges.
#include "jit/analysis/liveness.h"

#include <algorithm>
#include <unordered_set>

#include "jit/analysis/cfg.h"

namespace dn {
namespace {

using Bits = std::vector<uint64_t>;

void set_bit(Bits& b, size_t k) {
  b[k / 64] |= uint64_t(1) << (k % 64);
}
bool test_bit(const Bits& b, size_t k) {
  return b[k / 64] >> (k % 64) & 1;
}

// Values in order of definition: block order, then instruction order.
std::vector<Instr*> definition_order(const Function& f) {
  std::vector<Instr*> out;
  for (auto& b : f.blocks)
    for (Instr* i : b->instrs) out.push_back(i);
  return out;
}

std::vector<Instr*> in_order(const std::unordered_set<const Instr*>& set, const Function& f) {
  std::vector<Instr*> out;
  for (Instr* i : definition_order(f))
    if (set.count(i)) out.push_back(i);
  return out;
}

}  // namespace

Liveness::Liveness(const Function& f) {
  std::vector<Instr*> values = definition_order(f);
  for (size_t k = 0; k < values.size(); ++k) index_[values[k]] = k;
  const size_t words = (values.size() + 63) / 64;

  std::vector<Block*> rpo = reverse_postorder(f);
  struct Local {
    Bits uses, defs;
    std::unordered_map<const Block*, Bits> phi_uses;  // successor -> its phis' operands from here
  };
  std::unordered_map<const Block*, Local> local;
  for (Block* b : rpo) {
    Local& l = local[b];
    l.uses.assign(words, 0);
    l.defs.assign(words, 0);
    for (Instr* i : b->instrs) set_bit(l.defs, index_.at(i));
    for (Instr* i : b->instrs) {
      if (i->op == Opcode::Phi) continue;
      for (Instr* o : i->operands)
        if (o->parent != b) set_bit(l.uses, index_.at(o));  // SSA: defined in b means earlier
    }
    for (Block* s : b->succs()) {
      Bits& pu = l.phi_uses.try_emplace(s, words, 0).first->second;
      for (Instr* phi : s->instrs) {
        if (phi->op != Opcode::Phi) continue;
        for (size_t k = 0; k < phi->operands.size(); ++k)
          if (phi->blocks[k] == b) set_bit(pu, index_.at(phi->operands[k]));
      }
    }
  }

  for (Block* b : rpo) {
    Sets& s = sets_[b];
    s.in_bits.assign(words, 0);
    s.out_bits.assign(words, 0);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = rpo.rbegin(); it != rpo.rend(); ++it) {
      Block* b = *it;
      Local& l = local.at(b);
      Sets& s = sets_.at(b);
      Bits out(words, 0);
      for (auto& [succ, pu] : l.phi_uses) {
        const Bits& in = sets_.at(succ).in_bits;
        for (size_t w = 0; w < words; ++w) out[w] |= in[w] | pu[w];
      }
      Bits in(words);
      for (size_t w = 0; w < words; ++w) in[w] = l.uses[w] | (out[w] & ~l.defs[w]);
      if (out != s.out_bits || in != s.in_bits) {
        s.out_bits = std::move(out);
        s.in_bits = std::move(in);
        changed = true;
      }
    }
  }
  for (auto& [b, s] : sets_)
    for (size_t k = 0; k < values.size(); ++k) {
      if (test_bit(s.in_bits, k)) s.in.push_back(values[k]);
      if (test_bit(s.out_bits, k)) s.out.push_back(values[k]);
    }
}

const std::vector<Instr*>& Liveness::live_in(const Block* b) const {
  static const std::vector<Instr*> none;
  auto it = sets_.find(b);
  return it == sets_.end() ? none : it->second.in;
}

const std::vector<Instr*>& Liveness::live_out(const Block* b) const {
  static const std::vector<Instr*> none;
  auto it = sets_.find(b);
  return it == sets_.end() ? none : it->second.out;
}

bool Liveness::is_live_in(const Instr* v, const Block* b) const {
  auto it = sets_.find(b);
  auto k = index_.find(v);
  return it != sets_.end() && k != index_.end() && test_bit(it->second.in_bits, k->second);
}

bool Liveness::is_live_out(const Instr* v, const Block* b) const {
  auto it = sets_.find(b);
  auto k = index_.find(v);
  return it != sets_.end() && k != index_.end() && test_bit(it->second.out_bits, k->second);
}

std::vector<Instr*> region_inputs(const Function& f, const std::vector<Block*>& region) {
  std::unordered_set<const Block*> inside(region.begin(), region.end());
  std::unordered_set<const Instr*> inputs;
  for (Block* b : region)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands)
        if (!inside.count(o->parent)) inputs.insert(o);
  return in_order(inputs, f);
}

std::vector<Instr*> region_outputs(const Function& f, const std::vector<Block*>& region) {
  std::unordered_set<const Block*> inside(region.begin(), region.end());
  std::unordered_set<const Instr*> outputs;
  for (auto& b : f.blocks) {
    if (inside.count(b.get())) continue;
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands)
        if (inside.count(o->parent)) outputs.insert(o);
  }
  return in_order(outputs, f);
}

}  // namespace dn
