// The loop nest of a function: natural loops found from back edges (an edge whose target
// dominates its source), nested into a forest, and `for v in range(...)` loops recognised
// with their induction variable, bounds and trip count. What the prange outliner, the CUDA
// grid mapping and loop lifting start from.
//
// A natural loop is its header plus every block that reaches a latch without passing the
// header. Back edges to one header make one loop (a `continue` adds a latch). Blocks that
// leave the iteration for good (a `break` target, a `return` or `raise` inside the body)
// are outside the loop; the edges into them are exit edges. Python's 3.11 bytecode
// rotates `while` loops (test at the top, again at the bottom), so a `while` with
// `continue` is two nested natural loops. Cycles with more than one entry (irreducible:
// never built from Python source) are not loops here; reducible() says whether any exist.
//
// A snapshot of the CFG: rebuild it after changing blocks or edges.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

// A loop the frontend built from `for v in range(...)` (or prange):
//   preheader:  r = call range, start?, stop, step?;  it = getiter r;  ...
//   header:     ok = iter_valid it;  condbr ok, body, exit
//   body:       v = iter_next it;  ...
// The range is evaluated once, before the loop, so its bounds are loop-invariant.
struct RangeLoop {
  Instr* range = nullptr;      // the range(...) call
  Instr* iterator = nullptr;   // getiter of it
  Instr* induction = nullptr;  // iter_next: the loop variable's value in one iteration
  Block* body = nullptr;       // the header's successor while the range is not exhausted
  Block* exit = nullptr;       // ... and once it is
  Instr* start = nullptr;      // null: 0
  Instr* stop = nullptr;
  Instr* step = nullptr;  // null: 1
  bool prange = false;    // dunnart.prange / numba.prange
  // When start, stop and step are integer constants (or absent); none when step is 0
  // (range raises ValueError).
  std::optional<int64_t> constant_start, constant_stop, constant_step;
  std::optional<uint64_t> trip_count;
};

// A loop lowered array code is made of (jit/transforms/ir_builder.h, counted_loop):
//   preheader:  condbr n > 0, header, exit
//   header:     i = phi [preheader: 0], [latch: next];  ...
//   latch:      next = i + 1 (no_wrap);  condbr next < n, header, exit
// It runs n times (n defined before the loop); `independent` is the lowering's word that
// its iterations touch disjoint elements (elementwise stores, creation fills).
struct CountedLoop {
  Instr* induction = nullptr;   // the header's phi
  Instr* trip_count = nullptr;  // n
  Block* latch = nullptr;
  bool independent = false;
};

class Loop {
 public:
  Block* header = nullptr;
  std::vector<Block*> latches;                        // in-loop predecessors of the header
  std::vector<Block*> blocks;                         // header first, then in function order
  std::vector<std::pair<Block*, Block*>> exit_edges;  // (inside, outside)
  std::vector<Block*> exits;                          // their distinct targets, in order
  Block* preheader = nullptr;  // the header's only outside predecessor, if it jumps only there
  Loop* parent = nullptr;
  std::vector<Loop*> children;  // in function order of their headers
  int depth = 1;                // 1 for an outermost loop
  std::optional<RangeLoop> range;
  std::optional<CountedLoop> counted;

  // Blocks of nested loops are blocks of this one too.
  bool contains(const Block* b) const { return members_.count(b) != 0; }
  bool contains(const Instr* i) const { return contains(i->parent); }
  bool contains(const Loop* l) const { return contains(l->header); }

 private:
  friend class LoopNest;
  std::unordered_set<const Block*> members_;
};

class LoopNest {
 public:
  explicit LoopNest(const Function& f);

  // Every loop, outer loops before the loops they contain.
  const std::vector<std::unique_ptr<Loop>>& loops() const { return loops_; }
  // The outermost loops, in function order of their headers.
  const std::vector<Loop*>& top_level() const { return top_; }
  // The innermost loop containing `b`, or null.
  const Loop* loop_of(const Block* b) const;
  // Loop depth of `b`: 0 outside every loop.
  int depth(const Block* b) const;
  // False when some cycle has more than one entry (it is then in no loop).
  bool reducible() const { return reducible_; }

 private:
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<Loop*> top_;
  std::unordered_map<const Block*, Loop*> innermost_;
  bool reducible_ = true;
};

// The number of values range(start, stop, step) yields, without overflow; step != 0.
uint64_t range_trip_count(int64_t start, int64_t stop, int64_t step);

// Whether the iterations of `loop` may run in any order, or at once: conservative, true
// only when
//   - it is a range loop, left only when the range is exhausted (or by `raise`: no
//     `break`, no `return` in the body);
//   - nothing flows from one iteration to the next: every header phi that is used takes,
//     from the latches, the induction variable, itself or a value from before the loop
//     (a reduction `s += x[i]` is such a flow: the prange pass recognises reductions);
//   - every array it writes (an argument or a value from before the loop; distinct array
//     values are assumed not to overlap, as Numba's prange assumes) is read and written in
//     the loop only at the induction variable, in one index position (a[i], a[i, j] or
//     a[j, i] with j anything), the induction variable is never negative, and the array is
//     not otherwise used there except for its shape, ndim and size;
//   - it calls no jitted function and updates no array in place (a += b).
// The prange pass refines it (reductions, private temporaries, disjoint slices).
// A counted loop of lowered array code is independent when the lowering said so.
bool independent_iterations(const Loop& loop);

}  // namespace dn
