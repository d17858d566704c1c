// Array memory for compiled code: refcounted MemInfo blocks, 64-byte aligned data, and
// the per-thread arena that frees what a call allocated and did not hand out.
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <sys/mman.h>

#include "runtime/abi.h"
#include "runtime/memory.h"

namespace {

// The arena: a stack of the blocks the running call owns. Initial-exec TLS without a
// constructor, as dn_check_stack's floor: every call from Python marks and releases it, and
// a thread_local std::vector in this dlopen'ed library cost a __tls_get_addr for each.
struct ArenaStack {
  DnMemInfo** items;
  int64_t size, capacity;
};
__thread ArenaStack g_arena __attribute__((tls_model("initial-exec"))) = {nullptr, 0, 0};

// Frees the thread's stack when the thread ends; made on the first growth only.
struct ArenaStackOwner {
  ~ArenaStackOwner() {
    std::free(g_arena.items);
    g_arena = {nullptr, 0, 0};
  }
};

}  // namespace

// Room for one more block; false when out of memory (the allocation then fails too).
bool dn_runtime::arena_reserve() {
  if (__builtin_expect(g_arena.size < g_arena.capacity, 1)) return true;
  static thread_local ArenaStackOwner owner;
  (void)owner;
  int64_t capacity = g_arena.capacity ? 2 * g_arena.capacity : 64;
  auto* items = static_cast<DnMemInfo**>(std::realloc(g_arena.items, sizeof(DnMemInfo*) * size_t(capacity)));
  if (!items) return false;
  g_arena.items = items;
  g_arena.capacity = capacity;
  return true;
}

namespace {

// After arena_reserve.
void arena_push(DnMemInfo* m) { g_arena.items[g_arena.size++] = m; }
constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kHugeThreshold = size_t(4) << 20;
constexpr size_t kCacheThreshold = size_t(256) << 10;  // blocks worth keeping for reuse
constexpr size_t kCacheGrain = size_t(64) << 10;
constexpr size_t kCacheBlocks = 16;
constexpr size_t kCacheBytes = size_t(512) << 20;

// Rounds a request to the size actually allocated (the same on allocation and free).
size_t block_size(int64_t bytes) {
  size_t rounded = size_t((bytes + 63) / 64 * 64);
  if (rounded >= kHugeThreshold) return (rounded + kHugePage - 1) / kHugePage * kHugePage;
  if (rounded >= kCacheThreshold) return (rounded + kCacheGrain - 1) / kCacheGrain * kCacheGrain;
  return rounded ? rounded : 64;
}

// Freed large blocks kept for reuse: a fresh mapping costs a page fault and the kernel's
// zeroing per page on first touch, which is most of the time of a loop over a temporary
// that a function allocates on every call. Bounded in count and bytes.
struct BlockCache {
  std::mutex mu;
  std::vector<std::pair<size_t, void*>> blocks;
  size_t bytes = 0;
};
BlockCache& block_cache() {
  static BlockCache* c = new BlockCache();  // never destroyed: used until exit
  return *c;
}

void* data_alloc(int64_t bytes) {
  size_t size = block_size(bytes);
  if (size >= kCacheThreshold) {
    BlockCache& c = block_cache();
    std::lock_guard<std::mutex> lock(c.mu);
    for (size_t k = 0; k < c.blocks.size(); ++k)
      if (c.blocks[k].first == size) {
        void* p = c.blocks[k].second;
        c.bytes -= size;
        c.blocks.erase(c.blocks.begin() + long(k));
        return p;
      }
  }
  if (size >= kHugeThreshold) {
    // Large arrays: 2 MiB-aligned and backed by transparent huge pages where the kernel
    // allows, as NumPy does.
    void* p = std::aligned_alloc(kHugePage, size);
    if (p) madvise(p, size, MADV_HUGEPAGE);
    return p;
  }
  return std::aligned_alloc(64, size);
}

void data_free(void* p, int64_t bytes) {
  if (!p) return;
  size_t size = block_size(bytes);
  if (size >= kCacheThreshold) {
    BlockCache& c = block_cache();
    std::lock_guard<std::mutex> lock(c.mu);
    if (c.blocks.size() < kCacheBlocks && c.bytes + size <= kCacheBytes) {
      c.blocks.push_back({size, p});
      c.bytes += size;
      return;
    }
  }
  std::free(p);
}

DnMemInfo* meminfo_alloc(int64_t bytes) {
  if (!dn_runtime::arena_reserve()) return nullptr;
  auto* m = static_cast<DnMemInfo*>(std::malloc(sizeof(DnMemInfo)));
  if (!m) return nullptr;
  m->data = data_alloc(bytes);
  if (!m->data) {
    std::free(m);
    return nullptr;
  }
  m->refcount = 1;  // held by the arena
  m->size = bytes;
  m->resizable = 0;
  arena_push(m);
  return m;
}

void fill_ones(void* data, int64_t n, int32_t dtype) {
  auto fill = [&](auto one) {
    auto* p = static_cast<decltype(one)*>(data);
    for (int64_t i = 0; i < n; ++i) p[i] = one;
  };
  switch (dtype) {
    case DN_BOOL: case DN_INT8: case DN_UINT8: fill(uint8_t(1)); break;
    case DN_INT16: case DN_UINT16: fill(uint16_t(1)); break;
    case DN_INT32: case DN_UINT32: fill(uint32_t(1)); break;
    case DN_INT64: case DN_UINT64: fill(uint64_t(1)); break;
    case DN_FLOAT32: fill(1.0f); break;
    case DN_FLOAT64: fill(1.0); break;
    case DN_COMPLEX64: {
      auto* p = static_cast<float*>(data);
      for (int64_t i = 0; i < n; ++i) p[2 * i] = 1.0f, p[2 * i + 1] = 0.0f;
      break;
    }
    case DN_COMPLEX128: {
      auto* p = static_cast<double*>(data);
      for (int64_t i = 0; i < n; ++i) p[2 * i] = 1.0, p[2 * i + 1] = 0.0;
      break;
    }
  }
}

}  // namespace

DnMemInfo* dn_runtime::arena_alloc(int64_t bytes) { return meminfo_alloc(bytes); }

void dn_runtime::arena_hold(DnMemInfo* m) { arena_push(m); }

extern "C" int32_t dn_array_new(void* out_desc, int64_t ndim, const int64_t* shape,
                                int64_t itemsize, int32_t dtype, int32_t fill) {
  int64_t n = 1;
  for (int64_t k = 0; k < ndim; ++k) {
    if (shape[k] < 0) {
      dn_set_error(DN_VALUE_ERROR, "negative dimensions are not allowed");
      return DN_VALUE_ERROR;
    }
    if (shape[k] && n > INT64_MAX / shape[k] / itemsize) {
      dn_set_error(DN_VALUE_ERROR, "array is too big");
      return DN_VALUE_ERROR;
    }
    n *= shape[k];
  }
  DnMemInfo* m = meminfo_alloc(n * itemsize);
  if (!m) {
    dn_set_error(DN_MEMORY_ERROR, "out of memory allocating an array");
    return DN_MEMORY_ERROR;
  }
  if (fill == 1) std::memset(m->data, 0, size_t(n * itemsize));
  if (fill == 2) fill_ones(m->data, n, dtype);
  auto* h = static_cast<DnArrayHeader*>(out_desc);
  h->meminfo = m;
  h->parent = nullptr;
  h->data = static_cast<char*>(m->data);
  int64_t* sh = dn_array_shape(out_desc);
  int64_t* st = dn_array_strides(out_desc, int(ndim));
  int64_t stride = itemsize;
  for (int64_t k = ndim - 1; k >= 0; --k) {
    sh[k] = shape[k];
    st[k] = stride;
    stride *= shape[k] ? shape[k] : 1;
  }
  return 0;
}

extern "C" int32_t dn_array_copy(void* out_desc, const void* src_desc, int64_t ndim,
                                 int64_t itemsize) {
  void* src = const_cast<void*>(src_desc);
  const int64_t* shape = dn_array_shape(src);
  const int64_t* strides = dn_array_strides(src, int(ndim));
  if (int32_t status = dn_array_new(out_desc, ndim, shape, itemsize, 0, 0)) return status;
  char* dst = static_cast<DnArrayHeader*>(out_desc)->data;
  const char* base = static_cast<const DnArrayHeader*>(src_desc)->data;
  int64_t total = 1;
  for (int64_t k = 0; k < ndim; ++k) total *= shape[k];
  if (total == 0) return 0;
  // Walk the source in C order with an index counter; contiguous rows copy at once.
  std::vector<int64_t> idx(size_t(ndim), 0);
  int64_t inner = ndim ? shape[ndim - 1] : 1;
  bool inner_contig = ndim == 0 || strides[ndim - 1] == itemsize;
  for (int64_t done = 0; done < total; done += inner) {
    const char* p = base;
    for (int64_t k = 0; k + 1 < ndim; ++k) p += idx[size_t(k)] * strides[k];
    if (inner_contig) {
      std::memcpy(dst, p, size_t(inner * itemsize));
      dst += inner * itemsize;
    } else {
      for (int64_t j = 0; j < inner; ++j, dst += itemsize)
        std::memcpy(dst, p + j * strides[ndim - 1], size_t(itemsize));
    }
    for (int64_t k = ndim - 2; k >= 0; --k) {
      if (++idx[size_t(k)] < shape[k]) break;
      idx[size_t(k)] = 0;
    }
  }
  return 0;
}

extern "C" void dn_meminfo_incref(DnMemInfo* m) {
  if (m) __atomic_add_fetch(&m->refcount, 1, __ATOMIC_RELAXED);
}

static void free_data(DnMemInfo* m) {
  if (m->resizable) dn_runtime::free_resizable(m);
  else data_free(m->data, m->size);
}

extern "C" void dn_meminfo_decref(DnMemInfo* m) {
  if (m && __atomic_sub_fetch(&m->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
    free_data(m);
    std::free(m);
  }
}

extern "C" void dn_meminfo_release_data(DnMemInfo* m) {
  // Only memory nobody else references: the arena's own reference is the only one.
  if (m && m->data && __atomic_load_n(&m->refcount, __ATOMIC_ACQUIRE) == 1) {
    free_data(m);
    m->data = nullptr;
    m->size = 0;
  }
}

extern "C" int64_t dn_arena_mark(void) { return g_arena.size; }

extern "C" void dn_arena_release(int64_t mark) {
  while (g_arena.size > mark) dn_meminfo_decref(g_arena.items[--g_arena.size]);
}

extern "C" DnMemInfo* dn_arena_take_last(int64_t mark) {
  if (g_arena.size <= mark) return nullptr;
  return g_arena.items[--g_arena.size];
}
