// runtime/linalg.cpp without LAPACK registered (the C++ tests never register it): what
// needs no factorisation works, the rest says what is missing; shapes are checked first.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "runtime/abi.h"

namespace {

// A C-ordered float64 matrix's descriptor (dn_array_new's layout), its data filled by `fill`.
struct Matrix {
  alignas(16) char desc[sizeof(DnArrayHeader) + 4 * sizeof(int64_t)];
  Matrix(int64_t rows, int64_t cols, double fill) {
    int64_t shape[2] = {rows, cols};
    EXPECT_EQ(dn_array_new(desc, 2, shape, 8, DN_FLOAT64, 0), 0);
    auto* p = reinterpret_cast<double*>(reinterpret_cast<DnArrayHeader*>(desc)->data);
    for (int64_t k = 0; k < rows * cols; ++k) p[k] = fill;
  }
};

std::string error_text() {
  char message[256];
  dn_take_error(message, sizeof(message));
  return message;
}

TEST(Linalg, DeterminantOfAnEmptyMatrixIsOneWithoutLapack) {
  Matrix a(0, 0, 0.0);
  double det = 0.0;
  void* outs[] = {&det};
  ASSERT_EQ(dn_linalg(DN_LINALG_DET, a.desc, nullptr, 0, outs, DN_FLOAT64), 0);
  EXPECT_EQ(det, 1.0);
}

TEST(Linalg, NonSquareIsALinAlgError) {
  Matrix a(2, 3, 1.0);
  double det = 0.0;
  void* outs[] = {&det};
  ASSERT_EQ(dn_linalg(DN_LINALG_DET, a.desc, nullptr, 0, outs, DN_FLOAT64), DN_LINALG_ERROR);
  EXPECT_EQ(error_text(), "Last 2 dimensions of the array must be square");
}

TEST(Linalg, WithoutLapackTheErrorSaysWhatIsMissing) {
  Matrix a(2, 2, 1.0);
  alignas(16) char out[sizeof(DnArrayHeader) + 4 * sizeof(int64_t)];
  void* outs[] = {out};
  ASSERT_EQ(dn_linalg(DN_LINALG_INV, a.desc, nullptr, 0, outs, DN_FLOAT64), DN_NOT_IMPLEMENTED_ERROR);
  EXPECT_NE(error_text().find("np.linalg.inv needs LAPACK"), std::string::npos);
  Matrix s(3, 3, 1.0);
  char w[sizeof(DnArrayHeader) + 2 * sizeof(int64_t)], v[sizeof out];
  void* eig_outs[] = {w, v};
  ASSERT_EQ(dn_linalg(DN_LINALG_EIGH, s.desc, nullptr, 0, eig_outs, DN_FLOAT64), DN_NOT_IMPLEMENTED_ERROR);
  EXPECT_NE(error_text().find("np.linalg.eigh needs LAPACK"), std::string::npos);
}

}  // namespace
