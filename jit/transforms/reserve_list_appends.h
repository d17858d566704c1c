// Room for a loop's appends, made once before the loop: `for i in range(n): out.append(x)`
// asks the runtime, in the loop's preheader, for capacity for every append the loop will
// make (dn_list_try_reserve: never raises; it answers whether the room is there) and hands
// the answer to each of those appends as an extra operand. lower_lists then tests the
// capacity only when the answer was no, so LLVM unswitches the loop into a copy without
// the runtime call, which it can vectorise, and keeps the length in a register.
//
// Only where nothing else can take that room: the list is made in this function and never
// leaves it (no alias can append to it), it is loop-invariant, and inside the loop it is
// otherwise only read or shrunk. Each counted append runs at most once per iteration (in
// no inner loop), so the loop cannot append more than it asked room for. The room is asked
// for only where it will be used: the loop iterates a range or an array (its length known
// before the loop), is left only when that is exhausted or by an exception (after which
// room reserved in vain is not observable), and each counted append runs in every
// iteration (its block dominates the latches): a conditional append or a `break` would
// reserve room for nothing.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Returns whether it changed the function.
bool reserve_list_appends(Function& fn);

}  // namespace dn
