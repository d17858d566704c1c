// Growable memory for lists: small blocks from malloc/realloc, large ones as their own
// mappings that mremap grows without copying. Freed large mappings are kept (a few, up to a
// bound) and handed to the next list that outgrows malloc: a loop that appends 10^6
// elements on every call then writes into pages already faulted in, instead of paying a
// page fault and the kernel's zeroing per 4 KiB, which is most of an append's cost.
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <sys/mman.h>

#include "runtime/memory.h"

namespace {

constexpr size_t kMapThreshold = size_t(1) << 20;  // from here on a mapping of its own
constexpr size_t kMapGrain = size_t(64) << 10;
constexpr size_t kKeptMappings = 4;
constexpr size_t kKeptBytes = size_t(512) << 20;

enum Kind : int64_t { kMalloc = 1, kMapped = 2 };

size_t map_length(size_t bytes) { return (bytes + kMapGrain - 1) / kMapGrain * kMapGrain; }

struct KeptMappings {
  std::mutex mu;
  std::vector<std::pair<size_t, void*>> maps;  // (length, address)
  size_t bytes = 0;
};
KeptMappings& kept() {
  static KeptMappings* k = new KeptMappings();  // never destroyed: used until exit
  return *k;
}

// A kept mapping of at least `length` bytes (the smallest), or null.
std::pair<size_t, void*> take_kept(size_t length) {
  KeptMappings& k = kept();
  std::lock_guard<std::mutex> lock(k.mu);
  size_t best = k.maps.size();
  for (size_t i = 0; i < k.maps.size(); ++i)
    if (k.maps[i].first >= length && (best == k.maps.size() || k.maps[i].first < k.maps[best].first)) best = i;
  if (best == k.maps.size()) return {0, nullptr};
  auto m = k.maps[best];
  k.maps.erase(k.maps.begin() + long(best));
  k.bytes -= m.first;
  return m;
}

void release_mapping(void* p, size_t length) {
  {
    KeptMappings& k = kept();
    std::lock_guard<std::mutex> lock(k.mu);
    if (k.maps.size() < kKeptMappings && k.bytes + length <= kKeptBytes) {
      k.maps.push_back({length, p});
      k.bytes += length;
      return;
    }
  }
  munmap(p, length);
}

std::pair<size_t, void*> new_mapping(size_t bytes) {
  auto kept_map = take_kept(bytes);
  if (kept_map.second) return kept_map;
  size_t length = map_length(bytes);
  void* p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return {0, nullptr};
  return {length, p};
}

}  // namespace

DnMemInfo* dn_runtime::arena_alloc_resizable(int64_t bytes) {
  if (!arena_reserve()) return nullptr;
  auto* m = static_cast<DnMemInfo*>(std::malloc(sizeof(DnMemInfo)));
  if (!m) return nullptr;
  m->refcount = 1;
  if (size_t(bytes) >= kMapThreshold) {  // a mapping at once (room asked for a whole loop)
    auto [length, p] = new_mapping(size_t(bytes));
    m->data = p;
    m->size = int64_t(length);
    m->resizable = kMapped;
  } else {
    m->data = std::malloc(size_t(bytes ? bytes : 1));
    m->size = bytes;
    m->resizable = kMalloc;
  }
  if (!m->data) {
    std::free(m);
    return nullptr;
  }
  arena_hold(m);
  return m;
}

bool dn_runtime::resize(DnMemInfo* m, int64_t bytes) {
  size_t want = size_t(bytes ? bytes : 1);
  if (m->resizable == kMapped) {
    if (want <= size_t(m->size)) return true;  // the mapping has room
    auto kept_map = take_kept(want);
    if (kept_map.second) {
      std::memcpy(kept_map.second, m->data, size_t(m->size));
      release_mapping(m->data, size_t(m->size));
      m->data = kept_map.second;
      m->size = int64_t(kept_map.first);
      return true;
    }
    size_t length = map_length(want);
    void* p = mremap(m->data, size_t(m->size), length, MREMAP_MAYMOVE);  // moves pages, copies none
    if (p == MAP_FAILED) return false;
    m->data = p;
    m->size = int64_t(length);
    return true;
  }
  if (want < kMapThreshold) {
    void* p = std::realloc(m->data, want);
    if (!p) return false;
    m->data = p;
    m->size = int64_t(want);
    return true;
  }
  auto [length, p] = new_mapping(want);
  if (!p) return false;
  std::memcpy(p, m->data, size_t(m->size));
  std::free(m->data);
  m->data = p;
  m->size = int64_t(length);
  m->resizable = kMapped;
  return true;
}

void dn_runtime::free_resizable(DnMemInfo* m) {
  if (m->resizable == kMapped) release_mapping(m->data, size_t(m->size));
  else std::free(m->data);
}
