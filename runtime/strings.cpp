// Python strs for compiled code: comparison, search and the operations that make new
// strings (in the call's arena, in the smallest kind that holds their code points, as
// CPython makes them). Length is inline in compiled code.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/text.h"
#include "runtime/memory.h"
#include "runtime/slices.h"

namespace {

inline uint32_t code_point(const DnStr* s, int64_t k) {
  switch (s->kind) {
    case 1: return static_cast<const uint8_t*>(s->data)[k];
    case 2: return static_cast<const uint16_t*>(s->data)[k];
    default: return static_cast<const uint32_t*>(s->data)[k];
  }
}

inline void put_code_point(void* data, int64_t kind, int64_t k, uint32_t c) {
  switch (kind) {
    case 1: static_cast<uint8_t*>(data)[k] = uint8_t(c); break;
    case 2: static_cast<uint16_t*>(data)[k] = uint16_t(c); break;
    default: static_cast<uint32_t*>(data)[k] = c; break;
  }
}

int64_t kind_of(uint32_t c) { return c < 0x100 ? 1 : c < 0x10000 ? 2 : 4; }

// Room for `length` code points of `kind` in the arena, as *out.
int32_t new_str(int64_t length, int64_t kind, DnStr* out) {
  if (length < 0 || length > (int64_t(1) << 60) / kind) {
    dn_set_error(DN_MEMORY_ERROR, "out of memory making a str");
    return DN_MEMORY_ERROR;
  }
  DnMemInfo* m = dn_runtime::arena_alloc(length * kind + 4);
  if (!m) {
    dn_set_error(DN_MEMORY_ERROR, "out of memory making a str");
    return DN_MEMORY_ERROR;
  }
  out->data = m->data;
  out->length = length;
  out->kind = kind;
  return 0;
}

// The smallest kind that holds s's code points (a slice of a wide str may need less).
int64_t needed_kind(const DnStr* s, int64_t start, int64_t step, int64_t count) {
  if (s->kind == 1) return 1;
  int64_t k = 1;
  for (int64_t j = 0; j < count && k < s->kind; ++j) k = std::max(k, kind_of(code_point(s, start + j * step)));
  return k;
}

}  // namespace

extern "C" int32_t dn_str_equal(const DnStr* a, const DnStr* b) {
  if (a->length != b->length) return 0;
  if (a->kind == b->kind) return std::memcmp(a->data, b->data, size_t(a->length * a->kind)) == 0;
  for (int64_t k = 0; k < a->length; ++k)
    if (code_point(a, k) != code_point(b, k)) return 0;
  return 1;
}

extern "C" int32_t dn_str_compare(const DnStr* a, const DnStr* b) {
  int64_t n = std::min(a->length, b->length);
  for (int64_t k = 0; k < n; ++k) {
    uint32_t x = code_point(a, k), y = code_point(b, k);
    if (x != y) return x < y ? -1 : 1;
  }
  return a->length < b->length ? -1 : a->length > b->length ? 1 : 0;
}

extern "C" int64_t dn_str_find(const DnStr* s, const DnStr* sub, int64_t start) {
  if (start < 0) start = 0;
  for (int64_t k = start; k + sub->length <= s->length; ++k) {
    int64_t j = 0;
    while (j < sub->length && code_point(s, k + j) == code_point(sub, j)) ++j;
    if (j == sub->length) return k;
  }
  return -1;
}

extern "C" int32_t dn_str_concat(const DnStr* a, const DnStr* b, DnStr* out) {
  int64_t kind = std::max(a->kind, b->kind);
  DnStr r;
  if (int32_t status = new_str(a->length + b->length, kind, &r)) return status;
  void* data = const_cast<void*>(r.data);
  for (int64_t k = 0; k < a->length; ++k) put_code_point(data, kind, k, code_point(a, k));
  for (int64_t k = 0; k < b->length; ++k) put_code_point(data, kind, a->length + k, code_point(b, k));
  *out = r;
  return 0;
}

extern "C" int32_t dn_str_repeat(const DnStr* s, int64_t n, DnStr* out) {
  if (n < 0) n = 0;
  if (s->length && n > (int64_t(1) << 60) / s->length) {
    dn_set_error(DN_OVERFLOW_ERROR, "repeated string is too long");
    return DN_OVERFLOW_ERROR;
  }
  DnStr r;
  if (int32_t status = new_str(s->length * n, s->kind, &r)) return status;
  size_t bytes = size_t(s->length * s->kind);
  for (int64_t k = 0; k < n; ++k) std::memcpy(static_cast<char*>(const_cast<void*>(r.data)) + size_t(k) * bytes, s->data, bytes);
  *out = r;
  return 0;
}

// Python's str[start:stop:step] of `count` code points from `start`.
static int32_t take(const DnStr* s, int64_t start, int64_t step, int64_t count, DnStr* out) {
  int64_t kind = needed_kind(s, start, step, count);
  DnStr r;
  if (int32_t status = new_str(count, kind, &r)) return status;
  for (int64_t j = 0; j < count; ++j) put_code_point(const_cast<void*>(r.data), kind, j, code_point(s, start + j * step));
  *out = r;
  return 0;
}

extern "C" int32_t dn_str_getitem(const DnStr* s, int64_t index, DnStr* out) {
  if (index < 0) index += s->length;
  if (index < 0 || index >= s->length) {
    dn_set_error(DN_INDEX_ERROR, "string index out of range");
    return DN_INDEX_ERROR;
  }
  return take(s, index, 1, 1, out);
}

extern "C" int32_t dn_str_slice(const DnStr* s, const int64_t* bounds, DnStr* out) {
  int64_t start, step, count;
  if (!dn_runtime::slice_items(bounds, s->length, &start, &step, &count)) return DN_VALUE_ERROR;
  return take(s, start, step, count, out);
}

std::vector<uint32_t> dn_runtime::code_points(const std::string& text) {
  std::vector<uint32_t> points;
  for (size_t k = 0; k < text.size();) {
    auto c = static_cast<unsigned char>(text[k]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t p = n == 1 ? c : c & (0x3F >> (n - 1));
    for (int j = 1; j < n && k + size_t(j) < text.size(); ++j) p = (p << 6) | (static_cast<unsigned char>(text[k + size_t(j)]) & 0x3F);
    points.push_back(p);
    k += size_t(n);
  }
  return points;
}

int32_t dn_runtime::str_from_utf8(const std::string& text, DnStr* out) {
  std::vector<uint32_t> points = code_points(text);
  int64_t kind = 1;
  for (uint32_t p : points) kind = std::max(kind, kind_of(p));
  DnStr r;
  if (int32_t status = new_str(int64_t(points.size()), kind, &r)) return status;
  for (size_t j = 0; j < points.size(); ++j) put_code_point(const_cast<void*>(r.data), kind, int64_t(j), points[j]);
  *out = r;
  return 0;
}
