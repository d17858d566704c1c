// Whole-array reductions of parallel=True functions on several threads. A reduction
// (sum, prod, min, max, all, any without axis) of 1-d arrays, or of a fused expression of
// them (np.exp(a - m).sum()), becomes, when its arrays have kParallelMinElements elements
// or more (and one length: no broadcasting), a parallel_for whose blocks each reduce their
// contiguous slice a[lo:hi] as the serial code does (pairwise sums, NumPy's NaN rules),
// the partial results combined in block order; below that, or when lengths differ, the
// statement runs as before. Runs after fuse_array_exprs (which decides what a statement
// is) and before lower_array_loops, which lowers the blocks' reductions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

// Below this many elements a reduction stays serial: starting the threads and joining
// them costs about what the serial code takes for that many elements of the cheapest
// reduction, a float64 sum (benchmarks/issue12.py's threshold table, 2 cores: 2^15
// elements 2.3 us serially, 2.4 us on 2 threads; 2^16, 4.5 us and 3.5 us).
constexpr int64_t kParallelMinElements = 1 << 16;

// Returns the new functions (the blocks' bodies), to be compiled with fn; `notes` (if
// given) gets a line for each reduction split.
std::vector<std::unique_ptr<Function>> parallelize_array_statements(Function& fn,
                                                                    std::vector<std::string>* notes = nullptr);

}  // namespace dn
