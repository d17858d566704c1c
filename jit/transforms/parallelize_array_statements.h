// Array statements of parallel=True functions on several threads, each thread a
// contiguous block of rows (the first axis; of elements for 1-d arrays): a reduction (sum,
// prod, min, max, all, any without axis) of arrays or of a fused expression of them
// (np.exp(a - m).sum()), whose blocks reduce their rows as the serial code does (pairwise
// sums, NumPy's NaN rules) and whose partial results combine in block order; a new array
// (b = a * 2 + c) or a store into all of one (out[:] = ...), whose blocks fill their rows;
// a reduction along another axis (X.sum(axis=1)), each row its own. The arrays with the
// most dimensions are split by rows; the others (a row vector mu of X - mu) broadcast
// along them and are read whole. A statement splits at run time when it has
// kParallelMinElements elements or more and broadcasts along the rows only as described;
// otherwise it runs as before. Runs after fuse_array_exprs (which decides what a
// statement is) and before lower_array_loops, which lowers the blocks' statements.
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
