// Lowers the loops over enumerate, zip and reversed objects to loops over what they iterate:
// `for i, x in enumerate(seq, start)` steps seq's own iterator and a counter, `zip(a, b)`
// steps both iterators and stops when either is done, `reversed(seq)` counts an index
// down from len(seq) and reads seq[i], and `for row in a` over an N-d array (N > 1) counts
// its rows and reads the views a[i]. The counters live in stack slots (registers, once
// LLVM promotes them). Afterwards no enumerate/zip/reversed value remains; an object of
// theirs used other than by a `for` is refused here, naming the line.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Returns whether it changed the function.
bool lower_iterators(Function& fn);

}  // namespace dn
