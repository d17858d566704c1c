// What the parallel passes ask of a loop's values: which are the same in every
// iteration, which come from before it, how the source names them.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "jit/analysis/loops.h"
#include "jit/ir/ir.h"

namespace dn::parallel {

// Whether an instruction other than v itself reads v.
bool used_by_others(const Function& fn, const Instr* v);
// What a header phi has from before the loop (the preheader's value).
Instr* entry_value(const Loop& loop, const Instr* phi);
// A header phi whose value is the same in every iteration: what it has from before the
// loop, which every path through the body keeps or sets again (a variable the body does
// not assign; the frontend's "is it bound" flag of one bound before the loop), or null.
Instr* invariant_value(const Loop& loop, const Instr* phi);
// A header phi that has one value on the first iteration and another, from before the loop
// too, on every later one (the frontend's "is s bound yet" flags): that later value, or
// null. In a block, it is the first one at iteration 0 of the whole loop only.
Instr* later_value(const Loop& loop, const Instr* phi);
// Whether v is a value from before the loop: defined there, or a header phi that keeps it.
bool made_before(const Loop& loop, const Instr* v);
// 'x' for a variable x, else "a value": for messages.
std::string name_of(const Instr* v);
// How the source names the array an element store writes: `out` of `out[i] = x`.
std::string target_name(const Function& fn, const Instr* store);
// Types a body may not share with the other threads: containers whose updates are not
// atomic, generators whose state is one frame.
bool shareable(const Type* t);

// The instructions that read each value.
using Users = std::unordered_map<const Instr*, std::vector<Instr*>>;
Users users_of(const Function& fn);

}  // namespace dn::parallel
