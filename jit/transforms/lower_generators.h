// Generators as functions that resume. A generator function becomes the function that runs
// the generator on to its next yield: called with its frame (the Generator value, memory
// its caller keeps, zero when made) and its arguments, it returns (true, the value) at a
// yield and (false, zero) once it has returned. The frame holds where it stopped and every
// value that lives across a yield (moved into stack slots, which codegen places in the
// frame: Function::resumes_generator). Where a generator is iterated, iter_valid calls that
// function and iter_next takes the value it handed out. Runs after the passes that lower
// lists, dicts, strings and ranges, so that all the state a generator keeps is explicit.
#pragma once

#include "jit/ir/ir.h"

namespace dn {

// Returns whether it changed the function.
bool lower_generators(Function& fn);

// Whether the frame of a generator lowered so may refer to memory its steps allocate
// (arrays, lists, dicts, strs, generators it makes): called from Python, what each step
// allocates is then kept until the generator is gone.
bool frame_keeps_memory(const Function& resume);

}  // namespace dn
