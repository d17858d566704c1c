// The reductions of a parallel loop: scalars carried from one iteration to the next that
// only accumulate, and arrays made before the loop that the body only accumulates into.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "jit/analysis/loops.h"
#include "jit/ir/ir.h"
#include "jit/transforms/parallel/loop_values.h"

namespace dn::parallel {

// A value carried from one iteration to the next that only accumulates: `s += x`,
// `s -= x`, `s *= x`, `s = min(s, x)`, `s = max(s, x)`, `s |= x`, `s &= x`, `s ^= x` (x
// computed without s), on any path through the body. Each thread accumulates its block
// from the operation's identity; the partial results are combined with the value from
// before the loop in block order, so one thread count gives one answer.
struct Reduction {
  Instr* phi = nullptr;   // the header's phi
  Instr* init = nullptr;  // its value from before the loop
  BinOpKind kind = BinOpKind::Add;  // how partial results combine (Add for + and -)
  const Instr* min_max = nullptr;   // or: a min()/max() call of the body, the form to combine with
  size_t carried_at = 1;            // ... and the operand of that call that carries the value
  // Or `if x > s: s = x` (>=, <, <= too): the comparison, as (new value) `choose` (value so far).
  bool select = false;
  CmpKind choose = CmpKind::Gt;
  std::vector<Instr*> updates;      // the accumulating operations in the loop
};

// The reduction `phi` (a header phi of `loop`) carries, or why it is none.
std::optional<Reduction> reduction_of(const Loop& loop, Instr* phi, const Users& users, std::string* why);

// The value a block's accumulation starts from: x op identity == x (a new Const of f).
Instr* identity(Function& f, const Reduction& r, SourceLoc loc);

// An array made before the loop that the body only accumulates into (acc += a[i, :],
// acc -= x, acc *= x, all of it each time): each block accumulates into a private array
// that starts at the identity, and adds it to the shared one in block order at its end.
struct ArrayReduction {
  Instr* array = nullptr;
  BinOpKind kind = BinOpKind::Add;  // how a block's array combines (Add for + and -)
  std::string name;                 // as the source writes it
};

// The array reductions of the loop's whole-array updates (into *out), or why one is none
// ("" when all are).
std::string array_reductions(const Function& fn, const Loop& loop, std::vector<ArrayReduction>* out);

}  // namespace dn::parallel
