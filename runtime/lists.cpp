// Lists for compiled code: allocation and the moves that growing, inserting and removing
// need. Element access, length and the append fast path are inline in compiled code.
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "runtime/abi.h"
#include "runtime/memory.h"
#include "runtime/slices.h"

namespace {

int32_t out_of_memory() {
  dn_set_error(DN_MEMORY_ERROR, "out of memory growing a list");
  return DN_MEMORY_ERROR;
}

}  // namespace

extern "C" int32_t dn_list_new(DnList** out, int64_t itemsize, int64_t size) {
  if (size < 0) size = 0;  // [x] * -1 is []
  DnMemInfo* m = dn_runtime::arena_alloc(sizeof(DnList));
  if (!m) return out_of_memory();
  auto* l = static_cast<DnList*>(m->data);
  l->size = 0;
  l->capacity = 0;
  l->data = nullptr;
  l->buffer = nullptr;
  l->itemsize = itemsize;
  if (int32_t status = dn_list_reserve(l, size < 4 ? 4 : size)) return status;
  l->size = size;
  *out = l;
  return 0;
}

namespace {

// Capacity for at least `capacity` elements; false when memory cannot be had (nothing
// changed then, and no error is set).
bool grow(DnList* l, int64_t capacity) {
  if (capacity <= l->capacity) return true;
  // Doubling: appends cost amortised O(1) and a loop of 10^6 appends moves 2x10^6
  // elements at most.
  int64_t grown = l->capacity * 2;
  if (grown < capacity) grown = capacity;
  if (grown > (int64_t(1) << 62) / (l->itemsize ? l->itemsize : 1)) return false;
  if (!l->buffer) {
    l->buffer = dn_runtime::arena_alloc_resizable(grown * l->itemsize);
    if (!l->buffer) return false;
  } else if (!dn_runtime::resize(l->buffer, grown * l->itemsize)) {
    return false;
  }
  l->data = static_cast<char*>(l->buffer->data);
  l->capacity = l->buffer->size / (l->itemsize ? l->itemsize : 1);  // all the room there is
  return true;
}

}  // namespace

extern "C" int32_t dn_list_reserve(DnList* l, int64_t capacity) { return grow(l, capacity) ? 0 : out_of_memory(); }

extern "C" int64_t dn_list_try_reserve(DnList* l, int64_t appends, int64_t start, int64_t stop, int64_t step) {
  if (step == 0 || appends <= 0) return 0;
  // len(range(start, stop, step)) without overflow: the span fits in 65 bits.
  __int128 span = step > 0 ? __int128(stop) - start : __int128(start) - stop;
  __int128 stride = step > 0 ? __int128(step) : -__int128(step);
  __int128 iterations = span > 0 ? (span + stride - 1) / stride : 0;
  __int128 need = l->size + iterations * appends;
  if (need > INT64_MAX) return 0;
  return grow(l, int64_t(need)) ? 1 : 0;
}

extern "C" int32_t dn_list_shift(DnList* l, int64_t at, int64_t count) {
  if (count > 0)
    if (int32_t status = dn_list_reserve(l, l->size + count)) return status;
  int64_t from = count > 0 ? at : at - count;  // the first element that moves
  char* src = l->data + from * l->itemsize;
  if (l->size > from) std::memmove(src + count * l->itemsize, src, size_t((l->size - from) * l->itemsize));
  l->size += count;
  return 0;
}

extern "C" int32_t dn_list_slice(DnList** out, const DnList* l, const int64_t* bounds) {
  int64_t start, step, count;
  if (!dn_runtime::slice_items(bounds, l->size, &start, &step, &count)) return DN_VALUE_ERROR;
  if (int32_t status = dn_list_new(out, l->itemsize, count)) return status;
  char* dst = (*out)->data;
  for (int64_t k = 0; k < count; ++k)
    std::memcpy(dst + k * l->itemsize, l->data + (start + k * step) * l->itemsize, size_t(l->itemsize));
  return 0;
}

namespace {

// A stable merge sort that stays in bounds whatever the comparisons say (NaN compares
// false both ways): the result is then a permutation, as Python's sort guarantees.
template <class T, class Less = std::less<T>>
void merge_sort(T* v, int64_t n, bool reverse, Less less = Less()) {
  auto before = [reverse, &less](const T& a, const T& b) { return reverse ? less(b, a) : less(a, b); };
  std::vector<T> tmp(static_cast<size_t>(n));
  for (int64_t width = 1; width < n; width *= 2) {
    for (int64_t lo = 0; lo < n; lo += 2 * width) {
      int64_t mid = lo + width < n ? lo + width : n;
      int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int64_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[size_t(k++)] = before(v[j], v[i]) ? v[j++] : v[i++];
      while (i < mid) tmp[size_t(k++)] = v[i++];
      while (j < hi) tmp[size_t(k++)] = v[j++];
    }
    std::memcpy(v, tmp.data(), size_t(n) * sizeof(T));
  }
}

}  // namespace

namespace {

// a < b (-1), a == b (0), a > b (1) of one field, or 2 when neither (NaN): Python's tuple
// order takes the first field that is not equal and asks it <.
template <class T>
int order_of(const char* a, const char* b) {
  T x, y;
  std::memcpy(&x, a, sizeof x);
  std::memcpy(&y, b, sizeof y);
  return x == y ? 0 : x < y ? -1 : y < x ? 1 : 2;
}

int field_order(int64_t dtype, const char* a, const char* b) {
  switch (dtype) {
    case DN_BOOL: case DN_UINT8: return order_of<uint8_t>(a, b);
    case DN_INT8: return order_of<int8_t>(a, b);
    case DN_INT16: return order_of<int16_t>(a, b);
    case DN_UINT16: return order_of<uint16_t>(a, b);
    case DN_INT32: return order_of<int32_t>(a, b);
    case DN_UINT32: return order_of<uint32_t>(a, b);
    case DN_INT64: return order_of<int64_t>(a, b);
    case DN_UINT64: return order_of<uint64_t>(a, b);
    case DN_FLOAT32: return order_of<float>(a, b);
    case DN_FLOAT64: return order_of<double>(a, b);
    case DN_STR_FIELD: {
      DnStr x, y;
      std::memcpy(&x, a, sizeof x);
      std::memcpy(&y, b, sizeof y);
      return dn_str_compare(x.data, x.length, x.kind, y.data, y.length, y.kind);
    }
    default: return 0;  // typing refuses the rest
  }
}

// An element of a list of tuples, for merge_sort: its address.
struct TupleRef {
  const char* at;
};

}  // namespace

extern "C" void dn_list_sort_fields(DnList* l, const int64_t* fields, int64_t reverse) {
  const int64_t count = fields[0];
  std::vector<TupleRef> refs(static_cast<size_t>(l->size));
  for (int64_t k = 0; k < l->size; ++k) refs[size_t(k)].at = l->data + k * l->itemsize;
  merge_sort(refs.data(), l->size, reverse != 0, [&](const TupleRef& a, const TupleRef& b) {
    for (int64_t f = 0; f < count; ++f) {
      int o = field_order(fields[2 + 2 * f], a.at + fields[3 + 2 * f], b.at + fields[3 + 2 * f]);
      if (o != 0) return o == -1;
    }
    return false;
  });
  std::vector<char> sorted(static_cast<size_t>(l->size * l->itemsize));
  for (int64_t k = 0; k < l->size; ++k)
    std::memcpy(sorted.data() + k * l->itemsize, refs[size_t(k)].at, size_t(l->itemsize));
  std::memcpy(l->data, sorted.data(), sorted.size());
}

extern "C" void dn_list_sort(DnList* l, int64_t dtype, int64_t reverse) {
  int64_t n = l->size;
  bool r = reverse != 0;
  switch (dtype) {
    case DN_BOOL: case DN_UINT8: merge_sort(reinterpret_cast<uint8_t*>(l->data), n, r); break;
    case DN_INT8: merge_sort(reinterpret_cast<int8_t*>(l->data), n, r); break;
    case DN_INT16: merge_sort(reinterpret_cast<int16_t*>(l->data), n, r); break;
    case DN_UINT16: merge_sort(reinterpret_cast<uint16_t*>(l->data), n, r); break;
    case DN_INT32: merge_sort(reinterpret_cast<int32_t*>(l->data), n, r); break;
    case DN_UINT32: merge_sort(reinterpret_cast<uint32_t*>(l->data), n, r); break;
    case DN_INT64: merge_sort(reinterpret_cast<int64_t*>(l->data), n, r); break;
    case DN_UINT64: merge_sort(reinterpret_cast<uint64_t*>(l->data), n, r); break;
    case DN_FLOAT32: merge_sort(reinterpret_cast<float*>(l->data), n, r); break;
    case DN_FLOAT64: merge_sort(reinterpret_cast<double*>(l->data), n, r); break;
    case DN_STR_FIELD:  // strs, by code points
      merge_sort(reinterpret_cast<DnStr*>(l->data), n, r, [](const DnStr& a, const DnStr& b) {
        return dn_str_compare(a.data, a.length, a.kind, b.data, b.length, b.kind) < 0;
      });
      break;
    default: break;  // typing refuses the rest
  }
}
