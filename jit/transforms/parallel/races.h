// Writes in a parallel loop's body that race, which Numba runs silently.
#pragma once

#include <string>
#include <vector>

#include "jit/analysis/loops.h"
#include "jit/ir/ir.h"

namespace dn::parallel {

// An element the same in every iteration written on every iteration raises TypingError
// (naming the line); written on some iterations, or updated at an index computed from the
// data (hist[k] += 1), a warning in *warnings.
void check_races(const Function& fn, const Loop& loop, std::vector<std::string>* warnings);

}  // namespace dn::parallel
