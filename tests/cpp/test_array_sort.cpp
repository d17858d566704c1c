// runtime/array_sort.cpp's own sorts (no NumPy hook in the C++ tests): NumPy's order, NaNs
// last; a stable argsort keeps ties in index order.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "runtime/abi.h"

namespace {

struct Line {  // a 1-D float64 array of the given values
  alignas(16) char desc[sizeof(DnArrayHeader) + 2 * sizeof(int64_t)];
  explicit Line(const std::vector<double>& v) {
    int64_t n = int64_t(v.size());
    EXPECT_EQ(dn_array_new(desc, 1, &n, 8, DN_FLOAT64, 0), 0);
    for (size_t k = 0; k < v.size(); ++k) data()[k] = v[k];
  }
  double* data() { return reinterpret_cast<double*>(reinterpret_cast<DnArrayHeader*>(desc)->data); }
};

TEST(ArraySort, NansGoLast) {
  Line line({3.0, NAN, -1.0, INFINITY, NAN, -INFINITY, 0.5});
  ASSERT_EQ(dn_array_sort(line.desc, DN_FLOAT64, 0), 0);
  const double want[] = {-INFINITY, -1.0, 0.5, 3.0, INFINITY};
  for (int k = 0; k < 5; ++k) EXPECT_EQ(line.data()[k], want[k]);
  EXPECT_TRUE(std::isnan(line.data()[5]) && std::isnan(line.data()[6]));
}

TEST(ArraySort, StableArgsortKeepsTiesInOrder) {
  Line line({2.0, 1.0, 2.0, 1.0, NAN, 1.0});
  alignas(16) char out[sizeof(DnArrayHeader) + 2 * sizeof(int64_t)];
  ASSERT_EQ(dn_array_argsort(line.desc, DN_FLOAT64, 1, out), 0);
  auto* got = reinterpret_cast<int64_t*>(reinterpret_cast<DnArrayHeader*>(out)->data);
  const int64_t want[] = {1, 3, 5, 0, 2, 4};
  for (int k = 0; k < 6; ++k) EXPECT_EQ(got[k], want[k]);
}

}  // namespace
