// End to end without Python: FunctionInfo -> compile_function -> call the EntryPoint with
// arguments in memory layout; runtime errors come back as a status and a thread-local
// record (runtime/abi.h); the host target and the vector math library are in place.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "jit/driver/compile.h"
#include "jit/engine/engine.h"
#include "runtime/abi.h"
#include "tests/cpp/array_view.h"
#include "tests/cpp/bytecode_builder.h"

using namespace dn;
using namespace dn::test;

namespace {

std::shared_ptr<CompiledFunction> compile(const FunctionInfo& info,
                                          std::vector<const Type*> args,
                                          CompileOptions options = {}) {
  return compile_function(info, args, nullptr, options, nullptr);
}

// Compiled functions shared by several tests (the engine is a process singleton and each
// compile costs tens of milliseconds).
const CompiledFunction& add_int64() {
  static FunctionInfo info = add_info();
  static auto cf = compile(info, {t_int64(), t_int64()});
  return *cf;
}
const CompiledFunction& floordiv_int64() {
  static FunctionInfo info = floordiv_info();
  static auto cf = compile(info, {t_int64(), t_int64()});
  return *cf;
}

int64_t call2(const CompiledFunction& cf, int64_t a, int64_t b, int32_t* status = nullptr) {
  void* args[] = {&a, &b};
  int64_t r = -12345;
  int32_t s = cf.entry(args, &r);
  if (status) *status = s;
  return r;
}

}  // namespace

TEST(Engine, HostTargetIsKnown) {
  const HostTarget& host = Engine::get().host();
  EXPECT_FALSE(host.cpu.empty());
  EXPECT_NE(host.cpu, "generic");
  EXPECT_FALSE(host.triple.empty());
  EXPECT_FALSE(host.features.empty());
}

TEST(Engine, AddInt64) {
  const CompiledFunction& cf = add_int64();
  ASSERT_TRUE(cf.entry);
  EXPECT_EQ(cf.return_type, t_int64());
  EXPECT_EQ(cf.arg_types, (std::vector<const Type*>{t_int64(), t_int64()}));
  EXPECT_NE(cf.typed_ir.find("binop +"), std::string::npos) << cf.typed_ir;
  EXPECT_NE(cf.llvm_ir.find("define"), std::string::npos);
  EXPECT_GT(cf.compile_seconds, 0);
  int32_t status = -1;
  EXPECT_EQ(call2(cf, 2, 3, &status), 5);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(call2(cf, -40, 2), -38);
  // Integers wrap at 64 bits, like Numba.
  EXPECT_EQ(call2(cf, std::numeric_limits<int64_t>::max(), 1), std::numeric_limits<int64_t>::min());
}

TEST(Engine, AddWeakIntAndFloat32) {
  FunctionInfo info = add_info();
  auto cf = compile(info, {t_int64()->weakened(), t_float(32)});
  EXPECT_EQ(cf->return_type, t_float(32));
  int64_t a = 1;
  float b = 2.25f;
  void* args[] = {&a, &b};
  // The result is a float32: exactly 4 bytes are written.
  unsigned char buf[8];
  std::memset(buf, 0xAB, sizeof buf);
  ASSERT_EQ(cf->entry(args, buf), 0);
  float r;
  std::memcpy(&r, buf, sizeof r);
  EXPECT_EQ(r, 3.25f);
  EXPECT_EQ(buf[4], 0xAB);
}

TEST(Engine, RangeLoop) {
  FunctionInfo info = range_loop_info();
  auto cf = compile(info, {t_int64()});
  EXPECT_EQ(cf->return_type->strong(), t_int64());
  auto run = [&](int64_t n) {
    void* args[] = {&n};
    int64_t r = -1;
    EXPECT_EQ(cf->entry(args, &r), 0);
    return r;
  };
  EXPECT_EQ(run(10), 45);
  EXPECT_EQ(run(0), 0);
  EXPECT_EQ(run(-5), 0);
  EXPECT_EQ(run(100000), int64_t(100000) * 99999 / 2);
}

TEST(Engine, WhileLoopAndBranches) {
  FunctionInfo wh = while_loop_info();
  auto loop = compile(wh, {t_int64()});
  int64_t n = 7, r = 0;
  void* args[] = {&n};
  ASSERT_EQ(loop->entry(args, &r), 0);
  EXPECT_EQ(r, 7);
  n = -3;
  ASSERT_EQ(loop->entry(args, &r), 0);
  EXPECT_EQ(r, 0);

  FunctionInfo ad = absdiff_info();
  auto absdiff = compile(ad, {t_int64(), t_float64()});
  EXPECT_EQ(absdiff->return_type, t_float64());
  int64_t a = 2;
  double b = 5.5, d = 0;
  void* args2[] = {&a, &b};
  ASSERT_EQ(absdiff->entry(args2, &d), 0);
  EXPECT_EQ(d, 3.5);
}

TEST(Engine, FloorDivFollowsPython) {
  const CompiledFunction& cf = floordiv_int64();
  EXPECT_EQ(call2(cf, 7, 2), 3);
  EXPECT_EQ(call2(cf, -7, 2), -4);
  EXPECT_EQ(call2(cf, 7, -2), -4);
  EXPECT_EQ(call2(cf, std::numeric_limits<int64_t>::min(), -1),
            std::numeric_limits<int64_t>::min());  // wraps, does not trap
}

TEST(Engine, DivisionByZeroSetsTheErrorRecord) {
  const CompiledFunction& cf = floordiv_int64();
  EXPECT_EQ(dn_take_error(nullptr, 0), DN_OK);  // nothing pending
  int32_t status = 0;
  call2(cf, 7, 0, &status);
  EXPECT_NE(status, 0);
  char msg[256] = {0};
  EXPECT_EQ(dn_take_error(msg, sizeof msg), DN_ZERO_DIVISION_ERROR);
  EXPECT_NE(std::string(msg).find("division"), std::string::npos) << msg;
  // Taking the error clears it, and the function works again afterwards.
  EXPECT_EQ(dn_take_error(msg, sizeof msg), DN_OK);
  EXPECT_EQ(call2(cf, 9, 3, &status), 3);
  EXPECT_EQ(status, 0);
}

// compile.h: "Returns 0, or a DnErrorCode after recording the error".
TEST(Engine, EntryStatusIsTheErrorCode) {
  const CompiledFunction& cf = floordiv_int64();
  int32_t status = 0;
  call2(cf, 7, 0, &status);
  int32_t code = dn_take_error(nullptr, 0);
  EXPECT_EQ(code, DN_ZERO_DIVISION_ERROR);
  EXPECT_EQ(status, code);
}

TEST(Engine, NumPyErrorModelDoesNotRaise) {
  FunctionInfo info = floordiv_info();
  CompileOptions o;
  o.error_model = ErrorModel::NumPy;
  auto cf = compile(info, {t_int64(), t_int64()}, o);
  int32_t status = -1;
  EXPECT_EQ(call2(*cf, 7, 0, &status), 0);  // integer division by zero gives 0
  EXPECT_EQ(status, 0);
  EXPECT_EQ(dn_take_error(nullptr, 0), DN_OK);
}

TEST(Engine, ExpLoopUsesVectorMathLibrary) {
  FunctionInfo info = exp_fill_info();
  const Type* arr = t_array(t_float64(), 1, Layout::C);
  auto cf = compile(info, {arr, arr});
  // libmvec's vector exp (e.g. _ZGVdN4v_exp for AVX2, _ZGVeN8v_exp for AVX-512).
  EXPECT_NE(cf->llvm_ir.find("_ZGV"), std::string::npos)
      << "no vector exp call in the optimised IR for " << Engine::get().host().cpu;

  // And the results are right, including the scalar tail (1003 is not a multiple of 8).
  std::vector<double> a(1003), out(1003, -1.0);
  for (size_t k = 0; k < a.size(); ++k) a[k] = -10.0 + 0.02 * double(k);
  Array1d da = view(a), dout = view(out);
  void* args[] = {&da, &dout};
  int64_t r = -1;
  ASSERT_EQ(cf->entry(args, &r), 0);
  EXPECT_EQ(r, 0);
  for (size_t k = 0; k < a.size(); ++k)
    ASSERT_NEAR(out[k], std::exp(a[k]), 4e-15 * std::exp(a[k])) << "k=" << k;
}

TEST(Engine, StridedArrayArgument) {
  FunctionInfo info = exp_fill_info();
  const Type* any = t_array(t_float64(), 1, Layout::A);
  auto cf = compile(info, {any, any});
  // Every other element of a 10-element buffer.
  std::vector<double> a(10), out(10, -1.0);
  for (size_t k = 0; k < a.size(); ++k) a[k] = double(k);
  Array1d da = view(a), dout = view(out);
  da.shape[0] = dout.shape[0] = 5;
  da.strides[0] = dout.strides[0] = 2 * sizeof(double);
  void* args[] = {&da, &dout};
  int64_t r = -1;
  ASSERT_EQ(cf->entry(args, &r), 0);
  for (size_t k = 0; k < 10; ++k) {
    if (k % 2 == 0)
      EXPECT_NEAR(out[k], std::exp(double(k)), 1e-12 * std::exp(double(k))) << k;
    else
      EXPECT_EQ(out[k], -1.0) << k;  // untouched
  }
}
