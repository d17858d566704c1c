// np.sort / np.argsort of one 1-D (possibly strided) array line, in NumPy's order: NaNs
// last (after every number, -0.0 and 0.0 equal). Long lines go to NumPy's own sort (the
// bindings' hook: the same results, at its SIMD speed); short ones, or without the hook,
// std::sort (introsort, as NumPy's quicksort is) or std::stable_sort for mergesort/stable.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <vector>

#include "runtime/abi.h"

namespace {

// a before b in NumPy's order
template <class T>
bool before(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return a < b || (std::isnan(b) && !std::isnan(a));
  else return a < b;
}

template <class T>
void sort_line(char* data, int64_t n, int64_t stride, bool stable) {
  std::vector<T> v(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) std::memcpy(&v[size_t(k)], data + k * stride, sizeof(T));
  if (stable) std::stable_sort(v.begin(), v.end(), before<T>);
  else std::sort(v.begin(), v.end(), before<T>);
  for (int64_t k = 0; k < n; ++k) std::memcpy(data + k * stride, &v[size_t(k)], sizeof(T));
}

template <class T>
void argsort_line(const char* data, int64_t n, int64_t stride, bool stable, int64_t* out) {
  std::vector<T> v(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) std::memcpy(&v[size_t(k)], data + k * stride, sizeof(T));
  std::iota(out, out + n, int64_t(0));
  auto by_value = [&](int64_t i, int64_t j) { return before(v[size_t(i)], v[size_t(j)]); };
  if (stable) std::stable_sort(out, out + n, by_value);
  else std::sort(out, out + n, by_value);
}

// Calls f.template operator()<T>() for the C type T of dtype; false for complex.
template <class F>
bool by_dtype(int32_t dtype, F&& f) {
  switch (dtype) {
    case DN_BOOL: case DN_UINT8: f(uint8_t()); return true;
    case DN_INT8: f(int8_t()); return true;
    case DN_INT16: f(int16_t()); return true;
    case DN_UINT16: f(uint16_t()); return true;
    case DN_INT32: f(int32_t()); return true;
    case DN_UINT32: f(uint32_t()); return true;
    case DN_INT64: f(int64_t()); return true;
    case DN_UINT64: f(uint64_t()); return true;
    case DN_FLOAT32: f(float()); return true;
    case DN_FLOAT64: f(double()); return true;
    default: return false;
  }
}

DnSortHook g_numpy_sort = nullptr;
constexpr int64_t kHookMinLength = 256;  // below, the call into Python costs more than it saves

int32_t no_complex() {
  dn_set_error(DN_NOT_IMPLEMENTED_ERROR, "sorting complex arrays is not supported yet");
  return DN_NOT_IMPLEMENTED_ERROR;
}

}  // namespace

extern "C" void dn_set_sort_hook(DnSortHook hook) { g_numpy_sort = hook; }

extern "C" int32_t dn_array_sort(void* line, int32_t dtype, int32_t stable) {
  int64_t n = dn_array_shape(line)[0];
  if (g_numpy_sort && n >= kHookMinLength && g_numpy_sort(line, dtype, stable, nullptr) == 0) return DN_OK;
  int64_t stride = dn_array_strides(line, 1)[0];
  char* data = static_cast<DnArrayHeader*>(line)->data;
  bool ok = by_dtype(dtype, [&](auto t) { sort_line<decltype(t)>(data, n, stride, stable != 0); });
  return ok ? DN_OK : no_complex();
}

extern "C" int32_t dn_array_argsort(const void* line, int32_t dtype, int32_t stable, void* out) {
  void* d = const_cast<void*>(line);
  int64_t n = dn_array_shape(d)[0];
  int64_t stride = dn_array_strides(d, 1)[0];
  if (int32_t s = dn_array_new(out, 1, &n, 8, DN_INT64, 0)) return s;
  auto* indices = reinterpret_cast<int64_t*>(static_cast<DnArrayHeader*>(out)->data);
  if (g_numpy_sort && n >= kHookMinLength && g_numpy_sort(d, dtype, stable, indices) == 0) return DN_OK;
  const char* data = static_cast<const DnArrayHeader*>(line)->data;
  bool ok = by_dtype(dtype, [&](auto t) { argsort_line<decltype(t)>(data, n, stride, stable != 0, indices); });
  return ok ? DN_OK : no_complex();
}
