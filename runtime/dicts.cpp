// Dicts and sets for compiled code: a hash table over entries kept in insertion order, as
// CPython's compact dict, of fixed-size keys and values (runtime/abi.h has the layout and
// the contract). Compiled code calls one of these per Python operation, so the common keys
// (one int64, one float64) take paths of their own without a loop over key fields.
//
// The index is open addressing with linear probing over a power-of-two number of slots,
// at least 1.5 per entry there is room for, so it is at most 2/3 full. A slot holds
// `tag << 40 | entry number` (-1 empty): the tag is 23 bits of the mixed hash below the
// bits that chose the slot, so a probe that passes other keys reads only the index, not
// their entries. Each entry keeps Python's hash of its key, so growing never hashes a key
// again. Deleting shifts the following slots of the run back (no tombstones: the index
// never fills with deleted slots), and entries deleted at the end are given back (`used`
// shrinks), so popitem stays O(1) and a loop of pops never scans. Deleted entries inside
// are dropped when the entries grow: the table is compacted then and the index rebuilt.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "runtime/abi.h"
#include "runtime/text.h"
#include "runtime/format.h"
#include "runtime/memory.h"

namespace {

constexpr uint64_t kModulus = (uint64_t(1) << 61) - 1;  // _PyHASH_MODULUS
constexpr int64_t kHashInf = 314159;                     // _PyHASH_INF
constexpr uint64_t kHashImag = 1000003;                  // _PyHASH_IMAG
constexpr uint64_t kXXPrime1 = 11400714785074694791ull;  // tuplehash's primes (3.8+)
constexpr uint64_t kXXPrime2 = 14029467366897019727ull;
constexpr uint64_t kXXPrime5 = 2870177450012600261ull;
constexpr uint64_t kFibonacci = 0x9E3779B97F4A7C15ull;
constexpr int kEntryBits = 40;
constexpr int64_t kEntryMask = (int64_t(1) << kEntryBits) - 1;
constexpr int kTagBits = 23;  // 40 + 23 bits: an occupied slot is never negative
constexpr int64_t kEmpty = -1;
constexpr int64_t kMinCapacity = 8;
constexpr int64_t kQuadrupleBelow = int64_t(1) << 16;

template <typename T>
T load(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

int32_t out_of_memory() {
  dn_set_error(DN_MEMORY_ERROR, "out of memory growing a dict");
  return DN_MEMORY_ERROR;
}

// ---- Python's hash() ------------------------------------------------------------------

// |v| mod 2^61-1 with v's sign, -1 taken to -2 (long_hash).
inline int64_t hash_unsigned(uint64_t a) {
  uint64_t r = (a & kModulus) + (a >> 61);  // 2^61 == 1 (mod 2^61-1)
  if (r >= kModulus) r -= kModulus;
  return int64_t(r);
}

inline int64_t hash_signed(int64_t v) {
  if (v >= 0) return hash_unsigned(uint64_t(v));
  int64_t h = -hash_unsigned(uint64_t(0) - uint64_t(v));
  return h == -1 ? -2 : h;
}

// _Py_HashDouble: |v| = mant * 2^exp is mant * 2^(exp mod 61) (mod 2^61-1), which is mant
// (below 2^53) rotated by exp mod 61 within 61 bits. NaN hashes to 0 (CPython 3.10+ hashes
// the object's identity, which compiled values do not have).
inline int64_t hash_double(double v) {
  uint64_t bits = load<uint64_t>(&v);
  int biased = int(bits >> 52) & 0x7ff;
  uint64_t mant = bits & ((uint64_t(1) << 52) - 1);
  bool negative = bits >> 63;
  if (biased == 0x7ff) return mant ? 0 : negative ? -kHashInf : kHashInf;
  int exp = biased ? biased - 1075 : -1074;
  if (biased) mant |= uint64_t(1) << 52;
  if (!mant) return 0;
  int e = exp % 61;
  if (e < 0) e += 61;
  uint64_t x = ((mant << e) & kModulus) | (mant >> (61 - e));
  int64_t h = negative ? -int64_t(x) : int64_t(x);
  return h == -1 ? -2 : h;
}

inline int64_t hash_complex(double re, double im) {
  uint64_t h = uint64_t(hash_double(re)) + kHashImag * uint64_t(hash_double(im));
  return h == ~uint64_t(0) ? -2 : int64_t(h);
}

// A str's hash: over its code points (whatever its kind), never -1. Not CPython's, which
// is salted per process: only dicts and sets of compiled code see it.
int64_t hash_str(const DnStr* s) {
  uint64_t h = kXXPrime5 + uint64_t(s->length);
  for (int64_t k = 0; k < s->length; ++k) {
    uint32_t c = s->kind == 1   ? static_cast<const uint8_t*>(s->data)[k]
                 : s->kind == 2 ? static_cast<const uint16_t*>(s->data)[k]
                                : static_cast<const uint32_t*>(s->data)[k];
    h = (h ^ c) * kXXPrime1;
    h = (h << 31) | (h >> 33);
  }
  return h == ~uint64_t(0) ? -2 : int64_t(h);
}

int64_t hash_scalar(int64_t dtype, const char* p) {
  switch (dtype) {
    case DN_STR_FIELD: return hash_str(reinterpret_cast<const DnStr*>(p));
    case DN_BOOL: return load<uint8_t>(p) != 0;
    case DN_INT8: return hash_signed(load<int8_t>(p));
    case DN_UINT8: return load<uint8_t>(p);
    case DN_INT16: return hash_signed(load<int16_t>(p));
    case DN_UINT16: return load<uint16_t>(p);
    case DN_INT32: return hash_signed(load<int32_t>(p));
    case DN_UINT32: return load<uint32_t>(p);
    case DN_INT64: return hash_signed(load<int64_t>(p));
    case DN_UINT64: return hash_unsigned(load<uint64_t>(p));
    case DN_FLOAT32: return hash_double(load<float>(p));
    case DN_FLOAT64: return hash_double(load<double>(p));
    case DN_COMPLEX64: return hash_complex(load<float>(p), load<float>(p + 4));
    case DN_COMPLEX128: return hash_complex(load<double>(p), load<double>(p + 8));
    default: return 0;
  }
}

int64_t py_hash(const char* key, const int64_t* fields) {
  int64_t count = fields[0];
  if (count == 1 && !fields[1]) return hash_scalar(fields[2], key + fields[3]);
  // tuplehash of CPython 3.8+ (xxHash-based, 64-bit).
  uint64_t acc = kXXPrime5;
  for (int64_t k = 0; k < count; ++k) {
    uint64_t lane = uint64_t(hash_scalar(fields[2 + 2 * k], key + fields[3 + 2 * k]));
    acc += lane * kXXPrime2;
    acc = (acc << 31) | (acc >> 33);
    acc *= kXXPrime1;
  }
  acc += uint64_t(count) ^ (kXXPrime5 ^ 3527539ull);
  if (acc == ~uint64_t(0)) return 1546275796;
  return int64_t(acc);
}

// ---- Equality by value ------------------------------------------------------------------

// Python's ==, where a NaN equals a NaN of the same bits (the same object).
template <typename F>
inline bool same_float(F a, F b) {
  return a == b || std::memcmp(&a, &b, sizeof a) == 0;
}

bool equal_scalar(int64_t dtype, const char* a, const char* b) {
  switch (dtype) {
    case DN_STR_FIELD: return dn_runtime::str_equal(reinterpret_cast<const DnStr*>(a), reinterpret_cast<const DnStr*>(b));
    case DN_BOOL: return (load<uint8_t>(a) != 0) == (load<uint8_t>(b) != 0);
    case DN_INT8: case DN_UINT8: return load<uint8_t>(a) == load<uint8_t>(b);
    case DN_INT16: case DN_UINT16: return load<uint16_t>(a) == load<uint16_t>(b);
    case DN_INT32: case DN_UINT32: return load<uint32_t>(a) == load<uint32_t>(b);
    case DN_INT64: case DN_UINT64: return load<uint64_t>(a) == load<uint64_t>(b);
    case DN_FLOAT32: return same_float(load<float>(a), load<float>(b));
    case DN_FLOAT64: return same_float(load<double>(a), load<double>(b));
    case DN_COMPLEX64:
      return same_float(load<float>(a), load<float>(b)) && same_float(load<float>(a + 4), load<float>(b + 4));
    case DN_COMPLEX128:
      return same_float(load<double>(a), load<double>(b)) && same_float(load<double>(a + 8), load<double>(b + 8));
    default: return false;
  }
}

// Field by field, never the padding between them; count -1: values that are not compared.
bool equal_fields(const int64_t* fields, const char* a, const char* b) {
  int64_t count = fields[0];
  for (int64_t k = 0; k < count; ++k) {
    int64_t at = fields[3 + 2 * k];
    if (!equal_scalar(fields[2 + 2 * k], a + at, b + at)) return false;
  }
  return true;
}

// ---- Key kinds -----------------------------------------------------------------------------

// Each gives the hash an entry stores and the equality of a stored key with a probe key.
struct Int64Keys {
  static int64_t hash(const DnDict*, const void* key) { return hash_signed(load<int64_t>(key)); }
  static bool equal(const DnDict*, const char* stored, const void* key) {
    return load<int64_t>(stored) == load<int64_t>(key);
  }
};

struct Float64Keys {
  static int64_t hash(const DnDict*, const void* key) { return hash_double(load<double>(key)); }
  static bool equal(const DnDict*, const char* stored, const void* key) {
    return same_float(load<double>(stored), load<double>(key));
  }
};

struct GenericKeys {
  static int64_t hash(const DnDict* d, const void* key) {
    int64_t h = py_hash(static_cast<const char*>(key), d->key_fields);
    return h == DN_DICT_DELETED ? DN_DICT_DELETED + 1 : h;  // a tuple's hash may be any value
  }
  static bool equal(const DnDict* d, const char* stored, const void* key) {
    return equal_fields(d->key_fields, stored, static_cast<const char*>(key));
  }
};

enum class Kind { kInt64, kFloat64, kGeneric };

inline Kind kind_of(const DnDict* d) {
  const int64_t* f = d->key_fields;
  if (f[0] == 1 && f[1] == 0 && f[3] == 0) {
    if (f[2] == DN_INT64) return Kind::kInt64;
    if (f[2] == DN_FLOAT64) return Kind::kFloat64;
  }
  return Kind::kGeneric;
}

// ---- Memory -----------------------------------------------------------------------------

// Blocks past 64 KiB are asked for as 1 MiB at least, the size from which
// resizable_memory.cpp maps them and keeps freed mappings for the next call: a function that
// fills a dict on every call then writes into pages already faulted in. malloc's blocks of
// that size come and go as fresh pages (mmap, or a heap trimmed on free), whose faults cost
// as much as the inserts themselves. Pages never written cost nothing.
constexpr int64_t kSmallBlock = int64_t(64) << 10;
constexpr int64_t kMappedBlock = int64_t(1) << 20;

int64_t block_bytes(int64_t bytes) { return bytes > kSmallBlock && bytes < kMappedBlock ? kMappedBlock : bytes; }

// Room for `bytes` in a block of resizable memory (its data may move).
bool reserve(DnMemInfo* m, int64_t bytes) { return m->size >= bytes || dn_runtime::resize(m, block_bytes(bytes)); }

// ---- The index -----------------------------------------------------------------------------

inline char* entry_at(const DnDict* d, int64_t e) { return d->entries + e * d->entry_size; }
inline int64_t entry_hash(const DnDict* d, int64_t e) { return load<int64_t>(entry_at(d, e)); }
inline char* value_of(const DnDict* d, char* key) { return key + dn_dict_value_offset(d->key_size); }

// Where a hash's probe starts, and its tag. A hash smaller than the number of slots (the
// int keys 0, 1, 2, ... of the common case, whose hash is themselves) is its own slot:
// such keys never collide with each other, and filling or reading them in order walks the
// index instead of jumping around it (a cache miss per operation otherwise). Larger hashes
// are Fibonacci-hashed (folded, multiplied, the slot from the high bits), so multiples of
// 2^k and hashes that differ only in high bits spread evenly over the slots.
struct Home {
  uint64_t slot;
  int64_t tag;
};

inline int shift_of(const DnDict* d) { return __builtin_clzll(uint64_t(d->mask)); }

inline uint64_t slot_of(uint64_t x, int shift, uint64_t mask) {
  if (x <= mask) return x;
  return ((x ^ (x >> 32)) * kFibonacci) >> shift;
}

inline Home home_of(const DnDict* d, int64_t h) {
  uint64_t x = uint64_t(h);
  int shift = shift_of(d);
  // The tag from another multiplier: bits of the slot's own product would repeat in
  // neighbouring slots, where tags must tell keys apart.
  return {slot_of(x, shift, uint64_t(d->mask)), int64_t((x * kXXPrime2) >> (64 - kTagBits))};
}

// The entry number of `key` (hash h), with its slot in *slot; or -1 with *slot the empty
// slot where it would go.
template <class K>
inline int64_t find(const DnDict* d, const void* key, int64_t h, uint64_t* slot) {
  Home home = home_of(d, h);
  uint64_t s = home.slot, mask = uint64_t(d->mask);
  const int64_t* index = d->index;
  for (;; s = (s + 1) & mask) {
    int64_t v = index[s];
    if (v == kEmpty) break;
    if ((v >> kEntryBits) != home.tag) continue;
    int64_t e = v & kEntryMask;
    const char* entry = entry_at(d, e);
    if (load<int64_t>(entry) == h && K::equal(d, entry + 8, key)) {
      *slot = s;
      return e;
    }
  }
  *slot = s;
  return -1;
}

int64_t find_any(const DnDict* d, const void* key, int64_t h, uint64_t* slot) {
  switch (kind_of(d)) {
    case Kind::kInt64: return find<Int64Keys>(d, key, h, slot);
    case Kind::kFloat64: return find<Float64Keys>(d, key, h, slot);
    default: return find<GenericKeys>(d, key, h, slot);
  }
}

// The slot that holds entry e.
uint64_t slot_of_entry(const DnDict* d, int64_t e) {
  uint64_t s = home_of(d, entry_hash(d, e)).slot, mask = uint64_t(d->mask);
  while (d->index[s] == kEmpty || (d->index[s] & kEntryMask) != e) s = (s + 1) & mask;
  return s;
}

void place(DnDict* d, int64_t e, int64_t h) {
  Home home = home_of(d, h);
  uint64_t s = home.slot, mask = uint64_t(d->mask);
  while (d->index[s] != kEmpty) s = (s + 1) & mask;
  d->index[s] = (home.tag << kEntryBits) | e;
}

void rebuild_index(DnDict* d) {
  std::memset(d->index, 0xff, size_t(d->mask + 1) * sizeof(int64_t));
  for (int64_t e = 0; e < d->used; ++e) {
    int64_t h = entry_hash(d, e);
    if (h != DN_DICT_DELETED) place(d, e, h);
  }
}

// Linear probing's deletion: the slots after the hole move back into it while their probe
// passes it, so every run stays unbroken without tombstones.
void delete_slot(DnDict* d, uint64_t hole) {
  uint64_t mask = uint64_t(d->mask);
  int shift = shift_of(d);
  int64_t* index = d->index;
  for (uint64_t j = (hole + 1) & mask;; j = (j + 1) & mask) {
    int64_t v = index[j];
    if (v == kEmpty) break;
    uint64_t x = uint64_t(entry_hash(d, v & kEntryMask));
    uint64_t home = slot_of(x, shift, mask);
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      index[hole] = v;
      hole = j;
    }
  }
  index[hole] = kEmpty;
}

void delete_entry(DnDict* d, int64_t e, uint64_t slot) {
  int64_t deleted = DN_DICT_DELETED;
  std::memcpy(entry_at(d, e), &deleted, sizeof deleted);
  delete_slot(d, slot);
  --d->size;
  ++d->version;
  // Deleted entries at the end are given back: the last entry written is then always live.
  if (e == d->used - 1)
    while (d->used > 0 && entry_hash(d, d->used - 1) == DN_DICT_DELETED) --d->used;
}

// Room for `capacity` entries (never less than there is), the live ones moved to the front
// in their order, and the index sized for the room and rebuilt.
int32_t reshape(DnDict* d, int64_t capacity) {
  if (capacity < d->capacity) capacity = d->capacity;
  if (capacity < kMinCapacity) capacity = kMinCapacity;
  if (capacity >= kEntryMask || capacity > (int64_t(1) << 60) / d->entry_size) return out_of_memory();
  int64_t slots = 8;
  while (slots < capacity + (capacity + 1) / 2) slots *= 2;
  if (capacity > d->capacity) {
    if (!reserve(d->entries_memory, capacity * d->entry_size)) return out_of_memory();
    d->entries = static_cast<char*>(d->entries_memory->data);
    d->capacity = capacity;
  }
  if (d->index_memory->size < slots * int64_t(sizeof(int64_t))) {
    if (!reserve(d->index_memory, slots * int64_t(sizeof(int64_t)))) return out_of_memory();
    d->index = static_cast<int64_t*>(d->index_memory->data);
  }
  if (d->used != d->size) {
    int64_t live = 0;
    for (int64_t e = 0; e < d->used; ++e) {
      if (entry_hash(d, e) == DN_DICT_DELETED) continue;
      if (live != e) std::memcpy(entry_at(d, live), entry_at(d, e), size_t(d->entry_size));
      ++live;
    }
    d->used = live;
  }
  d->mask = slots - 1;
  rebuild_index(d);
  return 0;
}

// Appends a new entry of `key` (known absent, hash h, probe ended at `slot`) with its value
// zeroed; its key address in *key_out.
int32_t append(DnDict* d, const void* key, int64_t h, uint64_t slot, int64_t* index_out) {
  if (d->used == d->capacity) {
    // Room for 4x the live entries while small (fewer rebuilds: CPython grows to 3x), 2x
    // past kQuadrupleBelow; only compacted when that is no more than there is.
    int64_t factor = d->size < kQuadrupleBelow ? 4 : 2;
    if (int32_t status = reshape(d, factor * d->size)) return status;
    find_any(d, key, h, &slot);
  }
  int64_t e = d->used++;
  char* entry = entry_at(d, e);
  std::memcpy(entry, &h, sizeof h);
  if (d->key_size == 8) {
    std::memcpy(entry + 8, key, 8);  // inline: a call of memcpy costs more than the copy
  } else {
    std::memcpy(entry + 8, key, size_t(d->key_size));
  }
  // The value zeroed, and the key's padding: entries are whole words (abi.h's layout).
  for (int64_t at = 8 + dn_dict_value_offset(d->key_size); at < d->entry_size; at += 8) std::memset(entry + at, 0, 8);
  if (d->key_size % 8) std::memset(entry + 8 + d->key_size, 0, size_t(8 - d->key_size % 8));
  d->index[slot] = (home_of(d, h).tag << kEntryBits) | e;
  ++d->size;
  ++d->version;
  if (index_out) *index_out = e;
  return 0;
}

template <class K>
inline int64_t lookup(DnDict* d, const void* key) {
  uint64_t slot;
  int64_t e = find<K>(d, key, K::hash(d, key), &slot);
  return e < 0 ? -1 : e;
}

template <class K>
inline int32_t insert(DnDict* d, const void* key, int64_t* index_out, int64_t* added) {
  int64_t h = K::hash(d, key);
  uint64_t slot;
  int64_t e = find<K>(d, key, h, &slot);
  if (e >= 0) {
    ++d->version;  // the caller stores a value
    if (index_out) *index_out = e;
    if (added) *added = 0;
    return 0;
  }
  if (added) *added = 1;
  return append(d, key, h, slot, index_out);
}

template <class K>
inline int64_t remove(DnDict* d, const void* key, void* value_out) {
  uint64_t slot;
  int64_t e = find<K>(d, key, K::hash(d, key), &slot);
  if (e < 0) return 0;
  if (value_out) std::memcpy(value_out, value_of(d, entry_at(d, e) + 8), size_t(d->value_size));
  delete_entry(d, e, slot);
  return 1;
}

bool is_set(const DnDict* d) { return d->value_size == 0 && d->value_fields[0] == 0; }

// Appends every live key of `from` that `to` lacks (or, with `present`, has) to `to`.
int32_t append_keys(DnDict* to, const DnDict* from, const DnDict* probe, bool present) {
  for (int64_t e = 0; e < from->used; ++e) {
    int64_t h = entry_hash(from, e);
    if (h == DN_DICT_DELETED) continue;
    const char* key = entry_at(from, e) + 8;
    uint64_t slot;
    if ((find_any(probe, key, h, &slot) >= 0) != present) continue;
    if (probe != to && find_any(to, key, h, &slot) >= 0) continue;
    if (int32_t status = append(to, key, h, slot, nullptr)) return status;
  }
  return 0;
}

// Whether every live key of a is in b.
bool keys_within(const DnDict* a, const DnDict* b) {
  if (a->size > b->size) return false;
  for (int64_t e = 0; e < a->used; ++e) {
    int64_t h = entry_hash(a, e);
    uint64_t slot;
    if (h != DN_DICT_DELETED && find_any(b, entry_at(a, e) + 8, h, &slot) < 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int32_t dn_dict_new(DnDict** out, int64_t key_size, int64_t value_size, const int64_t* key_fields,
                               const int64_t* value_fields, int64_t capacity) {
  int64_t key_count = key_fields ? key_fields[0] : 0;
  int64_t value_count = value_fields ? value_fields[0] : 0;
  if (key_size < 0 || value_size < 0 || key_count < 0 || key_count > DN_DICT_MAX_FIELDS ||
      value_count < -1 || value_count > DN_DICT_MAX_FIELDS) {
    dn_set_error(DN_RUNTIME_ERROR, "invalid dict key or value description");
    return DN_RUNTIME_ERROR;
  }
  DnMemInfo* m = dn_runtime::arena_alloc(sizeof(DnDict));
  if (!m) return out_of_memory();
  auto* d = static_cast<DnDict*>(m->data);
  std::memset(d, 0, sizeof *d);
  d->key_size = key_size;
  d->value_size = value_size;
  d->entry_size = 8 + dn_dict_value_offset(key_size) + dn_dict_value_offset(value_size);
  // A key without a description is the empty tuple; values without one are not compared.
  if (key_fields) std::memcpy(d->key_fields, key_fields, size_t(2 + 2 * key_count) * sizeof(int64_t));
  else d->key_fields[1] = 1;
  if (value_fields)
    std::memcpy(d->value_fields, value_fields, size_t(2 + 2 * std::max<int64_t>(value_count, 0)) * sizeof(int64_t));
  if (capacity < kMinCapacity) capacity = kMinCapacity;
  if (capacity >= kEntryMask || capacity > (int64_t(1) << 60) / d->entry_size) return out_of_memory();
  int64_t slots = 8;
  while (slots < capacity + (capacity + 1) / 2) slots *= 2;
  d->entries_memory = dn_runtime::arena_alloc_resizable(block_bytes(capacity * d->entry_size));
  if (!d->entries_memory) return out_of_memory();
  d->index_memory = dn_runtime::arena_alloc_resizable(block_bytes(slots * int64_t(sizeof(int64_t))));
  if (!d->index_memory) return out_of_memory();
  d->entries = static_cast<char*>(d->entries_memory->data);
  d->index = static_cast<int64_t*>(d->index_memory->data);
  d->capacity = capacity;
  d->mask = slots - 1;
  std::memset(d->index, 0xff, size_t(slots) * sizeof(int64_t));
  *out = d;
  return 0;
}

extern "C" int64_t dn_dict_lookup(DnDict* d, const void* key) {
  switch (kind_of(d)) {
    case Kind::kInt64: return lookup<Int64Keys>(d, key);
    case Kind::kFloat64: return lookup<Float64Keys>(d, key);
    default: return lookup<GenericKeys>(d, key);
  }
}

extern "C" int32_t dn_dict_insert(DnDict* d, const void* key, int64_t* index_out, int64_t* added) {
  switch (kind_of(d)) {
    case Kind::kInt64: return insert<Int64Keys>(d, key, index_out, added);
    case Kind::kFloat64: return insert<Float64Keys>(d, key, index_out, added);
    default: return insert<GenericKeys>(d, key, index_out, added);
  }
}

extern "C" int64_t dn_dict_lookup_int64(DnDict* d, int64_t key) { return lookup<Int64Keys>(d, &key); }

extern "C" int32_t dn_dict_insert_int64(DnDict* d, int64_t key, int64_t* index_out) {
  int64_t added;
  return insert<Int64Keys>(d, &key, index_out, &added);
}

extern "C" int64_t dn_dict_remove(DnDict* d, const void* key, void* value_out) {
  switch (kind_of(d)) {
    case Kind::kInt64: return remove<Int64Keys>(d, key, value_out);
    case Kind::kFloat64: return remove<Float64Keys>(d, key, value_out);
    default: return remove<GenericKeys>(d, key, value_out);
  }
}

extern "C" int32_t dn_dict_key_error(const DnDict* d, const void* key) {
  const int64_t* f = d->key_fields;
  const char* k = static_cast<const char*>(key);
  std::string text;
  if (f[0] == 1 && !f[1]) {
    text = dn_runtime::python_repr(int32_t(f[2]), k + f[3]);
  } else {
    text = "(";
    for (int64_t i = 0; i < f[0]; ++i)
      text += (i ? ", " : "") + dn_runtime::python_repr(int32_t(f[2 + 2 * i]), k + f[3 + 2 * i]);
    text += f[0] == 1 ? ",)" : ")";
  }
  dn_set_error_repr(DN_KEY_ERROR, text.c_str());
  return DN_KEY_ERROR;
}

extern "C" int32_t dn_dict_popitem(DnDict* d, void* key_out, void* value_out) {
  if (d->size == 0) {
    dn_set_error_repr(DN_KEY_ERROR, is_set(d) ? "'pop from an empty set'" : "'popitem(): dictionary is empty'");
    return DN_KEY_ERROR;
  }
  int64_t e = d->used - 1;  // live: deleted entries at the end are given back
  char* key = entry_at(d, e) + 8;
  if (key_out) std::memcpy(key_out, key, size_t(d->key_size));
  if (value_out) std::memcpy(value_out, value_of(d, key), size_t(d->value_size));
  delete_entry(d, e, slot_of_entry(d, e));
  return 0;
}

extern "C" void dn_dict_clear(DnDict* d) {
  d->size = 0;
  d->used = 0;
  std::memset(d->index, 0xff, size_t(d->mask + 1) * sizeof(int64_t));
  ++d->version;
}

extern "C" int32_t dn_dict_copy(DnDict** out, const DnDict* d) {
  DnDict* c;
  if (int32_t status = dn_dict_new(&c, d->key_size, d->value_size, d->key_fields, d->value_fields, d->size))
    return status;
  for (int64_t e = 0; e < d->used; ++e)
    if (entry_hash(d, e) != DN_DICT_DELETED)
      std::memcpy(entry_at(c, c->used++), entry_at(d, e), size_t(d->entry_size));
  c->size = c->used;
  rebuild_index(c);
  *out = c;
  return 0;
}

extern "C" char* dn_dict_next(const DnDict* d, int64_t* position) {
  for (int64_t e = *position < 0 ? 0 : *position; e < d->used; ++e) {
    if (entry_hash(d, e) == DN_DICT_DELETED) continue;
    *position = e + 1;
    return entry_at(d, e) + 8;
  }
  *position = d->used;
  return nullptr;
}

extern "C" int64_t dn_dict_equal(const DnDict* a, const DnDict* b) {
  if (a == b) return 1;
  if (a->size != b->size) return 0;
  bool values = a->value_fields[0] > 0;
  for (int64_t e = 0; e < a->used; ++e) {
    int64_t h = entry_hash(a, e);
    if (h == DN_DICT_DELETED) continue;
    char* key = entry_at(a, e) + 8;
    uint64_t slot;
    int64_t f = find_any(b, key, h, &slot);
    if (f < 0) return 0;
    if (values && !equal_fields(a->value_fields, value_of(a, key), value_of(b, entry_at(b, f) + 8))) return 0;
  }
  return 1;
}

extern "C" int64_t dn_py_hash(const void* key, const int64_t* fields) {
  return py_hash(static_cast<const char*>(key), fields);
}

extern "C" int32_t dn_set_combine(DnDict** out, DnDict* a, const DnDict* b, int64_t op, int64_t in_place) {
  if (!in_place) {
    DnDict* r;
    int64_t room = op == 0 || op == 3 ? a->size + b->size : a->size;
    if (int32_t status = dn_dict_new(&r, a->key_size, 0, a->key_fields, nullptr, room)) return status;
    int32_t status = 0;
    switch (op) {
      case 0: status = append_keys(r, a, r, false); if (!status) status = append_keys(r, b, r, false); break;
      case 1: status = append_keys(r, a, b, true); break;
      case 2: status = append_keys(r, a, b, false); break;
      case 3: status = append_keys(r, a, b, false); if (!status) status = append_keys(r, b, a, false); break;
    }
    if (status) return status;
    *out = r;
    return 0;
  }
  *out = a;
  if (a == b) {
    if (op >= 2) dn_dict_clear(a);  // s -= s, s ^= s
    ++a->version;
    return 0;
  }
  uint64_t slot;
  switch (op) {
    case 0:
      if (int32_t status = append_keys(a, b, a, false)) return status;
      break;
    case 1:
      for (int64_t e = 0; e < a->used; ++e) {
        int64_t h = entry_hash(a, e);
        if (h != DN_DICT_DELETED && find_any(b, entry_at(a, e) + 8, h, &slot) < 0)
          delete_entry(a, e, slot_of_entry(a, e));
      }
      break;
    case 2: case 3:
      // Through b's keys in its order: those of a go, and (^=) the others come in.
      for (int64_t e = 0; e < b->used; ++e) {
        int64_t h = entry_hash(b, e);
        if (h == DN_DICT_DELETED) continue;
        const char* key = entry_at(b, e) + 8;
        int64_t found = find_any(a, key, h, &slot);
        if (found >= 0) delete_entry(a, found, slot);
        else if (op == 3)
          if (int32_t status = append(a, key, h, slot, nullptr)) return status;
      }
      break;
  }
  ++a->version;
  return 0;
}

extern "C" int64_t dn_set_relation(const DnDict* a, const DnDict* b) {
  return (keys_within(a, b) ? 1 : 0) | (keys_within(b, a) ? 2 : 0);
}
