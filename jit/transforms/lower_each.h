// The frame of the passes that lower one kind of value (lists, dicts and sets): each of the
// function's instructions that operate on it is replaced by the explicit code a pass emits
// in its place.
#pragma once

#include <functional>

#include "jit/transforms/ir_builder.h"

namespace dn {

// Replaces each instruction for which is_operation() holds by the code lower() emits in its
// place (its value, or null: none): the block is split after it, the code goes between, and
// its uses take the value (cast to its type: len(l) is a Python int, the weak twin of an
// int64). Iterators (GetIter) go first, since their loops' tests and steps read the state
// they create; replaced(old, value) lets the pass update what it keeps of values lowered.
// Afterwards the compile-time values left unused (bound methods) are removed. Returns
// whether it changed the function.
bool lower_each(Function& fn, const std::function<bool(const Instr*)>& is_operation,
                const std::function<Instr*(IRBuilder&, Instr*)>& lower,
                const std::function<void(Instr*, Instr*)>& replaced);

}  // namespace dn
