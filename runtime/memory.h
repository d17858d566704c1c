// Inside the runtime: the arena's allocator, for containers other than arrays (lists).
#pragma once

#include <cstdint>

#include "runtime/abi.h"

namespace dn_runtime {

// A MemInfo of `bytes` (64-byte aligned data) held by the thread's arena until the
// outermost call ends; null when out of memory.
DnMemInfo* arena_alloc(int64_t bytes);
// Room in the thread's arena for one more MemInfo; false when out of memory.
bool arena_reserve();
// Gives a MemInfo (refcount 1) to the thread's arena, after arena_reserve.
void arena_hold(DnMemInfo* m);

// Memory that grows (a list's elements; resizable_memory.cpp), held by the arena: at least
// `bytes`; m->size says how many it has room for.
DnMemInfo* arena_alloc_resizable(int64_t bytes);
// Room for at least `bytes` (the data may move; m->size grows to the room there is); false
// when out of memory.
bool resize(DnMemInfo* m, int64_t bytes);
// Frees the data of a resizable MemInfo (keeping large blocks for reuse).
void free_resizable(DnMemInfo* m);

}  // namespace dn_runtime
