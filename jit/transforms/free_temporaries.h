// Frees the memory of array temporaries at their last use instead of when the call ends:
// an array allocated by compiled code whose every use is in its own block and only reads
// or writes it (never keeps a reference: no return, phi, tuple, view, call of a jitted
// function) gets a Release right after its last use, which gives its data back. Arrays inside loops then cost one array of memory, not one per iteration.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

void free_temporaries(Function& fn);

}  // namespace dn
