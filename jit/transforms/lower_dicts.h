// Lowers dicts and sets to explicit IR over their runtime DnDict (runtime/abi.h): lookups,
// inserts and removals through the runtime's hash table, values read and written in place
// at the entry it names, loops over the entries inline. Python's semantics are decided
// here: KeyError with the key, "changed size during iteration", what `in` finds for a key
// of another type (1.0 in {1} is True, 1.5 is not), the value a repeated literal key keeps.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Whether `i` is a dict or set operation this pass lowers.
bool is_dict_operation(const Instr* i);
// Returns whether it changed the function.
bool lower_dicts(Function& fn);

}  // namespace dn
