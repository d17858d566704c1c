// Loading dunnart._compiler (and LLVM, ~15 ms of relocations and static constructors) on a
// background thread while the program goes on, once a function that must compile has been
// declared, and compiling once there to warm LLVM up; the import that the first compile
// makes then finds it loaded and the engine ready.
#pragma once

#include <string>

namespace dn {

// Starts loading the shared object at `path` (at most once per process; no Python, no GIL).
void start_compiler_preload(const std::string& path);
// Waits for a preload in progress (at interpreter exit, so that exit never races it).
void wait_compiler_preload();

}  // namespace dn
