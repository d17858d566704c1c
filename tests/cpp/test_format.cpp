// runtime/format and the complex functions: the text print and f-strings write of complex
// numbers (CPython's repr) and of arrays (through the bindings' hook, "<array>" without
// one), and cmath.rect's values where r or phi is not finite (CPython's table).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "runtime/abi.h"
#include "runtime/format.h"

namespace {

std::string format_complex(double re, double im) {
  double parts[2] = {re, im};
  int32_t kind = DN_FORMAT_COMPLEX128;
  int64_t bits = int64_t(reinterpret_cast<intptr_t>(parts));
  return dn_runtime::format_values("{}", 1, &kind, &bits, "!s\x1f");
}

TEST(Format, ComplexIsCpythonsRepr) {
  EXPECT_EQ(format_complex(1, 2), "(1+2j)");
  EXPECT_EQ(format_complex(0, 1), "1j");
  EXPECT_EQ(format_complex(-0.0, -1), "(-0-1j)");
  EXPECT_EQ(format_complex(0, -0.0), "-0j");
  EXPECT_EQ(format_complex(NAN, INFINITY), "(nan+infj)");
  EXPECT_EQ(format_complex(1e20, 1e-7), "(1e+20+1e-07j)");
  float single[2] = {1.1f, 2.2f};
  int32_t kind = DN_FORMAT_COMPLEX64;
  int64_t bits = int64_t(reinterpret_cast<intptr_t>(single));
  EXPECT_EQ(dn_runtime::format_values("z={}", 1, &kind, &bits, "\x1f"), "z=(1.1+2.2j)");
}

int32_t g_seen_dtype = -1, g_seen_ndim = -1, g_seen_repr = -1;

int32_t fake_array_text(const void*, int32_t dtype, int32_t ndim, int32_t repr, DnStr* out) {
  g_seen_dtype = dtype;
  g_seen_ndim = ndim;
  g_seen_repr = repr;
  static const char kText[] = "[1. 2.]";
  out->data = kText;
  out->length = int64_t(std::strlen(kText));
  out->kind = 1;
  return 0;
}

TEST(Format, ArraysGoThroughTheHook) {
  int64_t desc[5] = {0, 0, 0, 2, 8};
  int32_t kind = DN_FORMAT_ARRAY | DN_FLOAT64 << 8 | 1 << 16;
  int64_t bits = int64_t(reinterpret_cast<intptr_t>(desc));
  EXPECT_EQ(dn_runtime::format_values("a={}", 1, &kind, &bits, "\x1f"), "a=<array>");  // no hook
  dn_set_array_text_hook(fake_array_text);
  EXPECT_EQ(dn_runtime::format_values("a={}", 1, &kind, &bits, "!r\x1f"), "a=[1. 2.]");
  EXPECT_EQ(g_seen_dtype, DN_FLOAT64);
  EXPECT_EQ(g_seen_ndim, 1);
  EXPECT_EQ(g_seen_repr, 1);
  dn_set_array_text_hook(nullptr);
}

void rect(double r, double phi, double* out) {
  double z[2] = {r, phi};
  dn_complex_func(DN_C_rect, z, out);
}

TEST(ComplexFunctions, RectOfSpecialValues) {
  double out[2];
  rect(INFINITY, -0.0, out);  // CPython: (inf-0j)
  EXPECT_EQ(out[0], INFINITY);
  EXPECT_TRUE(out[1] == 0 && std::signbit(out[1]));
  rect(-INFINITY, 2.0, out);  // -inf * (cos 2 + i sin 2): (inf-infj)
  EXPECT_EQ(out[0], INFINITY);
  EXPECT_EQ(out[1], -INFINITY);
  rect(NAN, 0.0, out);  // (nan+0j)
  EXPECT_TRUE(std::isnan(out[0]) && out[1] == 0 && !std::signbit(out[1]));
  rect(-0.0, INFINITY, out);  // 0j
  EXPECT_TRUE(out[0] == 0 && !std::signbit(out[0]) && out[1] == 0 && !std::signbit(out[1]));
  rect(-2.0, -0.0, out);  // exact: (-2+0j)
  EXPECT_EQ(out[0], -2.0);
  EXPECT_TRUE(out[1] == 0 && !std::signbit(out[1]));
}

}  // namespace
