// The IR verifier, run after every pass (an analysis of the IR: it needs the dominator
// tree).
#pragma once

#include <string>

#include "jit/ir/ir.h"

namespace dn {

// Checks the IR's invariants (verifier.cpp lists them: structure, dominance of every use,
// operand counts, and after typing, types per opcode); throws InternalError naming `pass`
// and printing the offending instruction and the function on failure.
void verify_function(const Function& f, const std::string& pass, bool typed);

// Loop structure, after loop lowering: every cycle is a natural loop (one entry), and
// every phi marked `independent` is the counter of a counted loop (analysis/loops.h).
void verify_loops(const Function& f, const std::string& pass);

}  // namespace dn
