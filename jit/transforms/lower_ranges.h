// Lowers what range values do besides being iterated (lower_iterators does that): r[k] as
// start + k * step, with Python's IndexError "range object index out of range", and
// `x in r` by arithmetic, without a loop. A range is its {start, stop, step} parts.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Whether `i` is a range operation this pass lowers.
bool is_range_operation(const Instr* i);
// Returns whether it changed the function.
bool lower_ranges(Function& fn);

}  // namespace dn
