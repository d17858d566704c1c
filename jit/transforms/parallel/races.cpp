#include "jit/transforms/parallel/races.h"

#include <algorithm>
#include <unordered_map>

#include "jit/analysis/dominators.h"
#include "jit/frontend/function_info.h"
#include "jit/support/diagnostics.h"
#include "jit/transforms/parallel/loop_values.h"

namespace dn::parallel {

namespace {

class RaceCheck {
 public:
  RaceCheck(const Function& fn, const Loop& loop) : fn_(fn), loop_(loop), dom_(fn) {}

  void run(std::vector<std::string>* warnings) {
    for (Block* b : loop_.blocks)
      for (Instr* i : b->instrs) {
        if (i->op != Opcode::SetItem || i->operands.size() < 3 || !made_before(loop_, i->operands[0])) continue;
        std::vector<Instr*> index(i->operands.begin() + 1, i->operands.end() - 1);
        std::string target = target_name(fn_, i);
        std::string where = "line " + std::to_string(i->loc.line) + ": ";
        std::string loop_line = std::to_string(loop_.range->induction->loc.line);
        if (std::all_of(index.begin(), index.end(), [&](Instr* x) { return invariant(x); })) {
          if (every_iteration(b))
            report(ErrorKind::Typing, fn_.info, i->loc,
                   "Every iteration of the prange loop at line " + loop_line + " writes the same element of " +
                       target + ", so its threads race to write it",
                   "index it by the loop variable, or accumulate into a scalar (x += ...), which prange reduces");
          warnings->push_back(where + "some iterations of the prange loop at line " + loop_line +
                              " write the same element of " + target +
                              ": threads may race to write it (index it by the loop variable, or use a reduction)");
          continue;
        }
        bool data_index = std::any_of(index.begin(), index.end(), [&](Instr* x) { return reads_memory(x); });
        if (data_index && reads_same_element(i->operands.back(), i->operands[0], index))
          warnings->push_back(where + "the prange loop at line " + loop_line + " updates " + target +
                              " at an index computed from the data: two threads may update one element at once "
                              "(a race); give each thread its own row (" + target.substr(1, target.size() - 2) +
                              "[dunnart.get_thread_id(), k] += ...) and sum the rows after the loop");
      }
  }

 private:
  // Whether v is the same in every iteration: made before the loop, or computed in it
  // from such values by operations without effects.
  bool invariant(const Instr* v) {
    if (!loop_.contains(v)) return true;
    auto c = invariant_.find(v);
    if (c != invariant_.end()) return c->second;
    invariant_[v] = false;  // phis: not
    bool pure = false;
    switch (v->op) {
      case Opcode::Const: case Opcode::Global: case Opcode::BinOp: case Opcode::UnaryOp: case Opcode::Compare:
      case Opcode::Cast: case Opcode::BuildTuple: case Opcode::TupleGet: case Opcode::GetAttr: pure = true; break;
      case Opcode::Call: pure = v->intrinsic == Intrinsic::Slice; break;
      default: break;
    }
    bool r = pure && std::all_of(v->operands.begin(), v->operands.end(), [&](Instr* o) { return invariant(o); });
    return invariant_[v] = r;
  }
  // Whether v depends (in the loop) on a value read from memory.
  bool reads_memory(const Instr* v, int depth = 0) {
    if (!loop_.contains(v) || depth > 32) return false;
    if (v->op == Opcode::GetItem || v->op == Opcode::Load || (v->op == Opcode::Call && v->intrinsic == Intrinsic::CallJitted))
      return true;
    if (v->op == Opcode::Phi || v->op == Opcode::IterNext) return false;
    return std::any_of(v->operands.begin(), v->operands.end(), [&](Instr* o) { return reads_memory(o, depth + 1); });
  }
  // Whether the stored value v is computed from array[index] (a read-modify-write).
  bool reads_same_element(const Instr* v, const Instr* array, const std::vector<Instr*>& index, int depth = 0) {
    if (!loop_.contains(v) || depth > 32 || v->op == Opcode::Phi) return false;
    if (v->op == Opcode::GetItem && v->operands[0] == array &&
        std::vector<Instr*>(v->operands.begin() + 1, v->operands.end()) == index)
      return true;
    return std::any_of(v->operands.begin(), v->operands.end(),
                       [&](Instr* o) { return reads_same_element(o, array, index, depth + 1); });
  }
  bool every_iteration(const Block* b) const {
    return std::all_of(loop_.latches.begin(), loop_.latches.end(), [&](Block* l) { return dom_.dominates(b, l); });
  }

  const Function& fn_;
  const Loop& loop_;
  DominatorTree dom_;
  std::unordered_map<const Instr*, bool> invariant_;
};

}  // namespace

void check_races(const Function& fn, const Loop& loop, std::vector<std::string>* warnings) {
  RaceCheck(fn, loop).run(warnings);
}

}  // namespace dn::parallel
