// prange loops of parallel=True functions into functions of their own, run on several
// threads. As in Numba, prange is the user's word that iterations are independent; what
// flows from one to the next must be a reduction (s += x, min, max, ...). A loop `for i
// in prange(start, stop, step)`, left only when its range is exhausted or by raise, that
// touches no list, dict or set made outside it, becomes a function body(lo, hi, block,
// inputs...) that runs iterations lo .. hi-1 (i = start + k * step) with the values it
// reads from before the loop as inputs, and in its place a parallel_for of the trip
// count, which the runtime splits among its threads (runtime/parallel.cpp). Raises inside
// the body go with it (their error reaches the caller). A prange that does not qualify
// runs as range, serially; so does a prange inside another's body.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

// Returns the new functions, to be compiled with fn; `notes` (if given) gets a line for
// each prange loop: whether it runs in parallel (and its reductions), or why not;
// `warnings` one for each write in a parallel loop that may race. A write that races on
// every iteration (out[0] = ... in the body) raises TypingError.
struct ParallelLoopOptions {
  // Also range loops that give one answer in any order of their iterations (reductions
  // over arrays they do not write: order_free), from kParallelMinIterations iterations
  // on (from 1/64 of it for loops with loops inside).
  bool range_loops = true;
  bool boundscheck = false;  // a[i] may raise IndexError: range loops that index stay serial
};

// Below this many iterations a range loop the pass may reorder stays serial (the threshold
// of parallelize_array_statements: a loop that reads one element per iteration).
constexpr int64_t kParallelMinIterations = int64_t(1) << 16;

std::vector<std::unique_ptr<Function>> outline_parallel_loops(Function& fn, const ParallelLoopOptions& options = {},
                                                              std::vector<std::string>* notes = nullptr,
                                                              std::vector<std::string>* warnings = nullptr);

}  // namespace dn
