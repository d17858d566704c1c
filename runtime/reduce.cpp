// Whole-array reductions over any layout. Sums of floats are pairwise over blocks of 8
// independent accumulators like NumPy's, so they are as accurate as NumPy's and vectorise.
#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "runtime/abi.h"

namespace {

template <class T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  else return false;
}

// Pairwise sum of a contiguous run (NumPy's algorithm: blocks of 128, 8 accumulators).
template <class Acc, class T>
Acc pairwise_sum(const T* p, int64_t n) {
  if (n < 8) {
    Acc s = Acc(0);
    for (int64_t i = 0; i < n; ++i) s += Acc(p[i]);
    return s;
  }
  if (n <= 128) {
    Acc r[8];
    for (int k = 0; k < 8; ++k) r[k] = Acc(p[k]);
    int64_t i = 8;
    for (; i + 8 <= n; i += 8)
      for (int k = 0; k < 8; ++k) r[k] += Acc(p[i + k]);
    Acc s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) s += Acc(p[i]);
    return s;
  }
  int64_t half = n / 2;
  half -= half % 8;
  return pairwise_sum<Acc>(p, half) + pairwise_sum<Acc>(p + half, n - half);
}

// Calls fn(row_pointer, count, stride) for every innermost row of the array.
template <class F>
void for_each_row(const void* desc, int64_t ndim, F fn) {
  void* d = const_cast<void*>(desc);
  const int64_t* shape = dn_array_shape(d);
  const int64_t* strides = dn_array_strides(d, int(ndim));
  const char* base = static_cast<const DnArrayHeader*>(desc)->data;
  if (ndim == 0) {
    fn(base, 1, 0);
    return;
  }
  for (int64_t k = 0; k < ndim; ++k)
    if (shape[k] == 0) return;
  std::vector<int64_t> idx(size_t(ndim), 0);
  while (true) {
    const char* p = base;
    for (int64_t k = 0; k + 1 < ndim; ++k) p += idx[size_t(k)] * strides[k];
    fn(p, shape[ndim - 1], strides[ndim - 1]);
    int64_t k = ndim - 2;
    for (; k >= 0; --k) {
      if (++idx[size_t(k)] < shape[k]) break;
      idx[size_t(k)] = 0;
    }
    if (k < 0) return;
  }
}

template <class T, class Acc>
int32_t reduce_typed(const void* desc, int64_t ndim, int32_t op, void* out) {
  int64_t total = 1;
  void* d = const_cast<void*>(desc);
  for (int64_t k = 0; k < ndim; ++k) total *= dn_array_shape(d)[k];
  if (op == 0) {
    Acc s = Acc(0);
    std::vector<T> tmp;
    for_each_row(desc, ndim, [&](const char* p, int64_t n, int64_t stride) {
      if (stride == int64_t(sizeof(T))) {
        s += pairwise_sum<Acc>(reinterpret_cast<const T*>(p), n);
      } else {
        tmp.resize(size_t(n));
        for (int64_t i = 0; i < n; ++i) std::memcpy(&tmp[size_t(i)], p + i * stride, sizeof(T));
        s += pairwise_sum<Acc>(tmp.data(), n);
      }
    });
    std::memcpy(out, &s, sizeof(Acc));
    return 0;
  }
  if constexpr (std::is_arithmetic_v<T>) {
    if (total == 0) {
      dn_set_error(DN_VALUE_ERROR, op == 1 ? "zero-size array to reduction operation minimum which has no identity"
                                           : "zero-size array to reduction operation maximum which has no identity");
      return DN_VALUE_ERROR;
    }
    bool first = true, nan = false;
    T best{};
    for_each_row(desc, ndim, [&](const char* p, int64_t n, int64_t stride) {
      for (int64_t i = 0; i < n && !nan; ++i) {
        T v;
        std::memcpy(&v, p + i * stride, sizeof(T));
        if (is_nan(v)) {
          best = v;
          nan = true;  // NumPy propagates NaN
        } else if (first || (op == 1 ? v < best : v > best)) {
          best = v;
        }
        first = false;
      }
    });
    std::memcpy(out, &best, sizeof(T));
    return 0;
  } else {
    dn_set_error(DN_TYPE_ERROR, "min/max of complex arrays is not supported");
    return DN_TYPE_ERROR;
  }
}

}  // namespace

extern "C" int32_t dn_array_reduce(const void* desc, int64_t ndim, int32_t dtype, int32_t op,
                                   void* out) {
  switch (dtype) {
    case DN_BOOL:
      if (op == 0) return reduce_typed<uint8_t, int64_t>(desc, ndim, op, out);
      return reduce_typed<uint8_t, uint8_t>(desc, ndim, op, out);
    case DN_INT8: return op == 0 ? reduce_typed<int8_t, int64_t>(desc, ndim, op, out) : reduce_typed<int8_t, int8_t>(desc, ndim, op, out);
    case DN_UINT8: return op == 0 ? reduce_typed<uint8_t, uint64_t>(desc, ndim, op, out) : reduce_typed<uint8_t, uint8_t>(desc, ndim, op, out);
    case DN_INT16: return op == 0 ? reduce_typed<int16_t, int64_t>(desc, ndim, op, out) : reduce_typed<int16_t, int16_t>(desc, ndim, op, out);
    case DN_UINT16: return op == 0 ? reduce_typed<uint16_t, uint64_t>(desc, ndim, op, out) : reduce_typed<uint16_t, uint16_t>(desc, ndim, op, out);
    case DN_INT32: return op == 0 ? reduce_typed<int32_t, int64_t>(desc, ndim, op, out) : reduce_typed<int32_t, int32_t>(desc, ndim, op, out);
    case DN_UINT32: return op == 0 ? reduce_typed<uint32_t, uint64_t>(desc, ndim, op, out) : reduce_typed<uint32_t, uint32_t>(desc, ndim, op, out);
    case DN_INT64: return reduce_typed<int64_t, int64_t>(desc, ndim, op, out);
    case DN_UINT64: return reduce_typed<uint64_t, uint64_t>(desc, ndim, op, out);
    case DN_FLOAT32: return reduce_typed<float, float>(desc, ndim, op, out);
    case DN_FLOAT64: return reduce_typed<double, double>(desc, ndim, op, out);
    case DN_COMPLEX64: return reduce_typed<std::complex<float>, std::complex<float>>(desc, ndim, op, out);
    case DN_COMPLEX128: return reduce_typed<std::complex<double>, std::complex<double>>(desc, ndim, op, out);
  }
  dn_set_error(DN_TYPE_ERROR, "unknown dtype in reduction");
  return DN_TYPE_ERROR;
}
