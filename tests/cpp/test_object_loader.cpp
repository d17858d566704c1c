// runtime/object_loader: the objects compile_function hands the disk cache load without
// LLVM and compute exactly what the JIT-linked code computes (integer code, libm calls,
// libmvec vector loops, jump tables and constant pools, runtime calls, which from this
// executable are farther than ±2 GiB and go through stubs); every relocation kind the loader
// supports is exercised by small objects made from LLVM IR here; and truncated,
// corrupt, foreign or unresolvable objects fail with a reason instead of crashing.
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <elf.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Target/TargetMachine.h>

#include "jit/driver/compile.h"
#include "jit/engine/engine.h"
#include "runtime/abi.h"
#include "runtime/object_loader.h"
#include "tests/cpp/array_view.h"
#include "tests/cpp/bytecode_builder.h"

using namespace dn;
using namespace dn::test;

namespace {

// import math
// def fmath(x, y):
//     return math.exp(x) + math.log(y) + x ** y + x % y + x // y
FunctionInfo fmath_info() {
  return FunctionInfoBuilder("fmath", {"x", "y"})
      .consts({c_none()})
      .global("math", g_module("math"))
      .line(1).op(0, "RESUME")
      .line(2).op(2, "LOAD_GLOBAL", 1, "math")
      .op(14, "LOAD_ATTR", 1, "exp")
      .op(24, "LOAD_FAST", 0, "x")
      .op(26, "PRECALL", 1).op(30, "CALL", 1)
      .op(40, "LOAD_GLOBAL", 1, "math")
      .op(52, "LOAD_ATTR", 2, "log")
      .op(62, "LOAD_FAST", 1, "y")
      .op(64, "PRECALL", 1).op(68, "CALL", 1)
      .op(78, "BINARY_OP", 0)
      .op(82, "LOAD_FAST", 0, "x").op(84, "LOAD_FAST", 1, "y")
      .op(86, "BINARY_OP", 8)
      .op(90, "BINARY_OP", 0)
      .op(94, "LOAD_FAST", 0, "x").op(96, "LOAD_FAST", 1, "y")
      .op(98, "BINARY_OP", 6)
      .op(102, "BINARY_OP", 0)
      .op(106, "LOAD_FAST", 0, "x").op(108, "LOAD_FAST", 1, "y")
      .op(110, "BINARY_OP", 2)
      .op(114, "BINARY_OP", 0)
      .op(118, "RETURN_VALUE")
      .build();
}

// def pick(n, x):
//     if n == 0:   r = x * 1.5
//     elif n == 1: r = x + 2.25
//     elif n == 2: r = math.exp(x)
//     elif n == 3: r = x - 7.75
//     elif n == 4: r = math.log(x)
//     elif n == 5: r = x * x * 0.3
//     elif n == 6: r = math.sin(x)
//     else:        r = -1.0
//     return r
// (each branch on lines of its own; LLVM turns the chain into a jump table)
FunctionInfo pick_info() {
  return FunctionInfoBuilder("pick", {"n", "x"}, {"r"})
      .consts({c_none(), c_int(0), c_float(1.5), c_int(1), c_float(2.25), c_int(2), c_int(3), c_float(7.75),
               c_int(4), c_int(5), c_float(0.3), c_int(6), c_float(-1.0)})
      .global("math", g_module("math"))
      .line(1).op(0, "RESUME")
      .line(2).op(2, "LOAD_FAST", 0, "n").op(4, "LOAD_CONST", 1)
      .op(6, "COMPARE_OP", 2, "==")
      .jump(12, "POP_JUMP_FORWARD_IF_FALSE", 6, 26)
      .line(3).op(14, "LOAD_FAST", 1, "x").op(16, "LOAD_CONST", 2)
      .op(18, "BINARY_OP", 5)
      .op(22, "STORE_FAST", 2, "r")
      .jump(24, "JUMP_FORWARD", 122, 270)
      .line(4).op(26, "LOAD_FAST", 0, "n").op(28, "LOAD_CONST", 3)
      .op(30, "COMPARE_OP", 2, "==")
      .jump(36, "POP_JUMP_FORWARD_IF_FALSE", 6, 50)
      .line(5).op(38, "LOAD_FAST", 1, "x").op(40, "LOAD_CONST", 4)
      .op(42, "BINARY_OP", 0)
      .op(46, "STORE_FAST", 2, "r")
      .jump(48, "JUMP_FORWARD", 110, 270)
      .line(6).op(50, "LOAD_FAST", 0, "n").op(52, "LOAD_CONST", 5)
      .op(54, "COMPARE_OP", 2, "==")
      .jump(60, "POP_JUMP_FORWARD_IF_FALSE", 21, 104)
      .line(7).op(62, "LOAD_GLOBAL", 1, "math")
      .op(74, "LOAD_ATTR", 1, "exp")
      .op(84, "LOAD_FAST", 1, "x")
      .op(86, "PRECALL", 1).op(90, "CALL", 1)
      .op(100, "STORE_FAST", 2, "r")
      .jump(102, "JUMP_FORWARD", 83, 270)
      .line(8).op(104, "LOAD_FAST", 0, "n").op(106, "LOAD_CONST", 6)
      .op(108, "COMPARE_OP", 2, "==")
      .jump(114, "POP_JUMP_FORWARD_IF_FALSE", 6, 128)
      .line(9).op(116, "LOAD_FAST", 1, "x").op(118, "LOAD_CONST", 7)
      .op(120, "BINARY_OP", 10)
      .op(124, "STORE_FAST", 2, "r")
      .jump(126, "JUMP_FORWARD", 71, 270)
      .line(10).op(128, "LOAD_FAST", 0, "n").op(130, "LOAD_CONST", 8)
      .op(132, "COMPARE_OP", 2, "==")
      .jump(138, "POP_JUMP_FORWARD_IF_FALSE", 21, 182)
      .line(11).op(140, "LOAD_GLOBAL", 1, "math")
      .op(152, "LOAD_ATTR", 2, "log")
      .op(162, "LOAD_FAST", 1, "x")
      .op(164, "PRECALL", 1).op(168, "CALL", 1)
      .op(178, "STORE_FAST", 2, "r")
      .jump(180, "JUMP_FORWARD", 44, 270)
      .line(12).op(182, "LOAD_FAST", 0, "n").op(184, "LOAD_CONST", 9)
      .op(186, "COMPARE_OP", 2, "==")
      .jump(192, "POP_JUMP_FORWARD_IF_FALSE", 9, 212)
      .line(13).op(194, "LOAD_FAST", 1, "x").op(196, "LOAD_FAST", 1, "x")
      .op(198, "BINARY_OP", 5)
      .op(202, "LOAD_CONST", 10)
      .op(204, "BINARY_OP", 5)
      .op(208, "STORE_FAST", 2, "r")
      .jump(210, "JUMP_FORWARD", 29, 270)
      .line(14).op(212, "LOAD_FAST", 0, "n").op(214, "LOAD_CONST", 11)
      .op(216, "COMPARE_OP", 2, "==")
      .jump(222, "POP_JUMP_FORWARD_IF_FALSE", 21, 266)
      .line(15).op(224, "LOAD_GLOBAL", 1, "math")
      .op(236, "LOAD_ATTR", 3, "sin")
      .op(246, "LOAD_FAST", 1, "x")
      .op(248, "PRECALL", 1).op(252, "CALL", 1)
      .op(262, "STORE_FAST", 2, "r")
      .jump(264, "JUMP_FORWARD", 2, 270)
      .line(17).op(266, "LOAD_CONST", 12)
      .op(268, "STORE_FAST", 2, "r")
      .line(18).op(270, "LOAD_FAST", 2, "r")
      .op(272, "RETURN_VALUE")
      .build();
}

// def vfill(a, out):
//     for i in range(a.shape[0]):
//         out[i] = math.exp(a[i]) + math.tanh(a[i])
//     return 0
FunctionInfo vfill_info() {
  return FunctionInfoBuilder("vfill", {"a", "out"}, {"i"})
      .consts({c_none(), c_int(0)})
      .global("math", g_module("math"))
      .global("range", g_function("builtins.range"))
      .line(1).op(0, "RESUME")
      .line(2).op(2, "LOAD_GLOBAL", 1, "range")
      .op(14, "LOAD_FAST", 0, "a")
      .op(16, "LOAD_ATTR", 1, "shape")
      .op(26, "LOAD_CONST", 1)
      .op(28, "BINARY_SUBSCR")
      .op(38, "PRECALL", 1).op(42, "CALL", 1)
      .op(52, "GET_ITER")
      .jump(54, "FOR_ITER", 58, 172)
      .op(56, "STORE_FAST", 2, "i")
      .line(3).op(58, "LOAD_GLOBAL", 5, "math")
      .op(70, "LOAD_ATTR", 3, "exp")
      .op(80, "LOAD_FAST", 0, "a").op(82, "LOAD_FAST", 2, "i")
      .op(84, "BINARY_SUBSCR")
      .op(94, "PRECALL", 1).op(98, "CALL", 1)
      .op(108, "LOAD_GLOBAL", 5, "math")
      .op(120, "LOAD_ATTR", 4, "tanh")
      .op(130, "LOAD_FAST", 0, "a").op(132, "LOAD_FAST", 2, "i")
      .op(134, "BINARY_SUBSCR")
      .op(144, "PRECALL", 1).op(148, "CALL", 1)
      .op(158, "BINARY_OP", 0)
      .op(162, "LOAD_FAST", 1, "out").op(164, "LOAD_FAST", 2, "i")
      .op(166, "STORE_SUBSCR")
      .jump(170, "JUMP_BACKWARD", 59, 54)
      .line(4).op(172, "LOAD_CONST", 1)
      .op(174, "RETURN_VALUE")
      .build();
}

std::shared_ptr<CompiledFunction> compile_with_object(const FunctionInfo& info, std::vector<const Type*> args) {
  auto cf = compile_function(info, args, nullptr, CompileOptions{}, nullptr, /*want_object=*/true);
  EXPECT_FALSE(cf->object_code.empty());
  return cf;
}

std::unique_ptr<LoadedObject> load(const std::string& bytes, std::string* error = nullptr) {
  std::string e;
  auto obj = load_object_file(bytes.data(), bytes.size(), &e);
  EXPECT_TRUE(obj) << e;
  if (error) *error = e;
  return obj;
}

EntryPoint entry_of(const LoadedObject& obj, const std::string& symbol) {
  return reinterpret_cast<EntryPoint>(obj.symbol(symbol));
}

// Calls `entry` with scalar arguments; returns the result and the status.
template <class R, class... A>
R call(EntryPoint entry, int32_t* status, A... a) {
  void* args[] = {&a...};
  R r{};
  *status = entry(args, &r);
  if (*status) dn_take_error(nullptr, 0);
  return r;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Whether the object has a section called `name`.
bool has_section(const std::string& obj, const std::string& name) {
  Elf64_Ehdr eh;
  std::memcpy(&eh, obj.data(), sizeof eh);
  Elf64_Shdr names;
  std::memcpy(&names, obj.data() + eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr), sizeof names);
  for (int i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr s;
    std::memcpy(&s, obj.data() + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof s);
    if (name == obj.data() + names.sh_offset + s.sh_name) return true;
  }
  return false;
}

// The fmath object, shared by the tests that corrupt it (one compile).
const CompiledFunction& fmath_compiled() {
  static FunctionInfo info = fmath_info();
  static auto cf = compile_with_object(info, {t_float64(), t_float64()});
  return *cf;
}

// Object code for LLVM IR text (host CPU, small code model) with the given relocation
// model: objects with relocations our code generator does not emit today.
std::string object_from_ir(const std::string& ir, llvm::Reloc::Model reloc) {
  Engine::get();  // initialises the native target
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic diag;
  std::unique_ptr<llvm::Module> m = llvm::parseIR(llvm::MemoryBufferRef(ir, "test"), diag, ctx);
  EXPECT_TRUE(m) << diag.getMessage().str();
  if (!m) return "";
  const HostTarget& host = Engine::get().host();
  std::string err;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(host.triple, err);
  EXPECT_TRUE(target) << err;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      host.triple, host.cpu, host.features, llvm::TargetOptions(), reloc, llvm::CodeModel::Small));
  m->setDataLayout(tm->createDataLayout());
  m->setTargetTriple(host.triple);
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  EXPECT_FALSE(tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile));
  pm.run(*m);
  return std::string(buffer.str());
}

// A writable counter (.bss), a table of function pointers (R_X86_64_64 in .data.rel.ro),
// a self-relative offset (R_X86_64_PC64), the address of libc's `environ` (through the GOT:
// REX_GOTPCRELX), a call through the GOT (nonlazybind: GOTPCRELX), unwind tables
// (.eh_frame, skipped by the loader) and a call to libm (PLT32).
const char* kDataIr = R"(
@counter = internal global i64 0
@table = internal constant [2 x ptr] [ptr @exp, ptr @sqrt]
@rel = internal constant i64 sub (i64 ptrtoint (ptr @bump to i64), i64 ptrtoint (ptr @rel to i64))
@environ = external global ptr
declare double @exp(double)
declare double @sqrt(double)
declare double @cbrt(double) nonlazybind

define i64 @bump() uwtable {
  %v = load i64, ptr @counter
  %n = add i64 %v, 1
  store i64 %n, ptr @counter
  ret i64 %n
}
define double @call_table(i64 %i, double %x) uwtable {
  %p = getelementptr [2 x ptr], ptr @table, i64 0, i64 %i
  %f = load ptr, ptr %p
  %r = call double %f(double %x)
  ret double %r
}
define ptr @environ_address() uwtable {
  ret ptr @environ
}
define double @root(double %x) uwtable {
  %r = call double @sqrt(double %x)
  ret double %r
}
define double @cube_root(double %x) uwtable {
  %r = call double @cbrt(double %x)
  ret double %r
}
define ptr @bump_via_rel() uwtable {
  %d = load i64, ptr @rel
  %base = ptrtoint ptr @rel to i64
  %a = add i64 %base, %d
  %p = inttoptr i64 %a to ptr
  ret ptr %p
}
)";

}  // namespace

TEST(ObjectLoader, AvailableOnThisHost) { EXPECT_TRUE(native_object_loader_available()); }

TEST(ObjectLoader, ScalarIntegerFunction) {
  FunctionInfo info = add_info();
  auto cf = compile_with_object(info, {t_int64(), t_int64()});
  auto obj = load(cf->object_code);
  ASSERT_TRUE(obj);
  EntryPoint e = entry_of(*obj, cf->symbol);
  ASSERT_TRUE(e);
  EXPECT_NE(reinterpret_cast<void*>(e), reinterpret_cast<void*>(cf->entry));
  int32_t s1 = -1, s2 = -1;
  for (int64_t a : {int64_t(0), int64_t(40), int64_t(-7), INT64_MAX})
    for (int64_t b : {int64_t(2), int64_t(-1), int64_t(1) << 40}) {
      EXPECT_EQ(call<int64_t>(e, &s1, a, b), call<int64_t>(cf->entry, &s2, a, b)) << a << " " << b;
      EXPECT_EQ(s1, 0);
      EXPECT_EQ(s2, 0);
    }
  EXPECT_EQ(obj->symbol("no_such_symbol"), nullptr);
}

TEST(ObjectLoader, LoopFunction) {
  FunctionInfo info = range_loop_info();
  auto cf = compile_with_object(info, {t_int64()});
  auto obj = load(cf->object_code);
  ASSERT_TRUE(obj);
  int32_t s = -1;
  for (int64_t n : {0, 1, 10, 1000, 123457})
    EXPECT_EQ(call<int64_t>(entry_of(*obj, cf->symbol), &s, n), n * (n - 1) / 2) << n;
}

// libm's exp/log/pow/fmod (% inline around fmod), and the runtime's Python-semantics //.
TEST(ObjectLoader, FloatMathCallsLibmAndRuntime) {
  const CompiledFunction& cf = fmath_compiled();
  for (const char* callee : {"exp", "log", "pow", "fmod", "dn_py_floordiv_f64"})
    EXPECT_NE(cf.object_code.find(std::string(callee) + '\0'), std::string::npos) << callee;
  auto obj = load(cf.object_code);
  ASSERT_TRUE(obj);
  EntryPoint e = entry_of(*obj, cf.symbol);
  ASSERT_TRUE(e);
  const double xs[] = {0.0, 1.5, -2.25, 7.0, 1e-3, 30.0};
  const double ys[] = {1.0, 2.5, 0.75, 3.0, -4.0, 0.0};
  for (double x : xs)
    for (double y : ys) {
      int32_t s1 = -1, s2 = -1;
      double loaded = call<double>(e, &s1, x, y), jitted = call<double>(cf.entry, &s2, x, y);
      EXPECT_EQ(s1, s2) << x << " " << y;
      if (s1 == 0) EXPECT_TRUE(same_bits(loaded, jitted)) << x << " " << y << ": " << loaded << " vs " << jitted;
    }
  int32_t s = -1;
  EXPECT_DOUBLE_EQ(call<double>(e, &s, 2.0, 3.0), std::exp(2.0) + std::log(3.0) + 8.0 + 2.0 + 0.0);
  EXPECT_DOUBLE_EQ(call<double>(e, &s, -7.0, 2.0), std::exp(-7.0) + std::log(2.0) + 49.0 + 1.0 - 4.0);
  call<double>(e, &s, 1.0, 0.0);
  EXPECT_EQ(s, DN_ZERO_DIVISION_ERROR);  // 1.0 % 0.0, raised through the runtime
}

// A loop the vectoriser turns into calls to libmvec (_ZGV...exp, ...tanh) plus a scalar tail.
TEST(ObjectLoader, VectorLoopCallsLibmvec) {
  FunctionInfo info = vfill_info();
  const Type* arr = t_array(t_float64(), 1, Layout::C);
  auto cf = compile_with_object(info, {arr, arr});
  EXPECT_NE(cf->object_code.find("_ZGV"), std::string::npos) << "no libmvec call in the object";
  auto obj = load(cf->object_code);
  ASSERT_TRUE(obj);
  EntryPoint e = entry_of(*obj, cf->symbol);
  ASSERT_TRUE(e);
  std::vector<double> a(1003), loaded(a.size(), -1.0), jitted(a.size(), -2.0);
  for (size_t k = 0; k < a.size(); ++k) a[k] = -10.0 + 0.02 * double(k);
  for (auto [fn, out] : {std::pair{e, &loaded}, std::pair{cf->entry, &jitted}}) {
    Array1d da = view(a), dout = view(*out);
    void* args[] = {&da, &dout};
    int64_t r = -1;
    ASSERT_EQ(fn(args, &r), 0);
    EXPECT_EQ(r, 0);
  }
  for (size_t k = 0; k < a.size(); ++k) {
    ASSERT_TRUE(same_bits(loaded[k], jitted[k])) << "k=" << k;
    ASSERT_NEAR(loaded[k], std::exp(a[k]) + std::tanh(a[k]), 1e-13 * (std::exp(a[k]) + 1)) << "k=" << k;
  }
}

// An if-chain on an int that LLVM compiles to a jump table (PC-relative entries in .rodata,
// relocated against .text), float constants in a constant pool, and libm calls.
TEST(ObjectLoader, JumpTableAndConstantPool) {
  FunctionInfo info = pick_info();
  auto cf = compile_with_object(info, {t_int64(), t_float64()});
  EXPECT_TRUE(has_section(cf->object_code, ".rela.rodata"))
      << "pick() no longer compiles to a jump table; change it so this test still covers one";
  auto obj = load(cf->object_code);
  ASSERT_TRUE(obj);
  EntryPoint e = entry_of(*obj, cf->symbol);
  ASSERT_TRUE(e);
  for (int64_t n = -2; n <= 9; ++n)
    for (double x : {0.5, 2.0, 3.75}) {
      int32_t s1 = -1, s2 = -1;
      double loaded = call<double>(e, &s1, n, x), jitted = call<double>(cf->entry, &s2, n, x);
      EXPECT_EQ(s1, 0);
      EXPECT_EQ(s2, 0);
      EXPECT_TRUE(same_bits(loaded, jitted)) << n << " " << x << ": " << loaded << " vs " << jitted;
    }
  int32_t s = -1;
  EXPECT_EQ(call<double>(e, &s, int64_t(3), 10.0), 10.0 - 7.75);
  EXPECT_EQ(call<double>(e, &s, int64_t(42), 10.0), -1.0);
}

// Calls to functions farther than ±2 GiB go through the loader's stubs. Which ones are far
// depends on where mmap places the code, so the test sends every call through a stub.
TEST(ObjectLoader, CallsThroughStubs) {
  const CompiledFunction& cf = fmath_compiled();
  std::string error;
  auto obj = load_object_file(cf.object_code.data(), cf.object_code.size(), &error, true);
  ASSERT_TRUE(obj) << error;
  EntryPoint e = entry_of(*obj, cf.symbol);
  int32_t s = -1;
  EXPECT_DOUBLE_EQ(call<double>(e, &s, -7.0, 2.0), std::exp(-7.0) + std::log(2.0) + 49.0 + 1.0 - 4.0);
  EXPECT_EQ(s, 0);
}

TEST(ObjectLoader, TwoLoadsAreIndependentCopies) {
  const CompiledFunction& cf = fmath_compiled();
  auto a = load(cf.object_code);
  auto b = load(cf.object_code);
  ASSERT_TRUE(a && b);
  EntryPoint ea = entry_of(*a, cf.symbol), eb = entry_of(*b, cf.symbol);
  EXPECT_NE(ea, eb);
  int32_t s = -1;
  double expect = call<double>(cf.entry, &s, 1.25, 4.5);
  EXPECT_TRUE(same_bits(call<double>(ea, &s, 1.25, 4.5), expect));
  a.reset();  // unmapping one copy leaves the other working
  EXPECT_TRUE(same_bits(call<double>(eb, &s, 1.25, 4.5), expect));
}

// Data sections, R_X86_64_64 and PC64, GOT slots and skipped unwind tables, from LLVM IR.
TEST(ObjectLoader, DataGotAndAbsoluteRelocations) {
  std::string bytes = object_from_ir(kDataIr, llvm::Reloc::PIC_);
  ASSERT_FALSE(bytes.empty());
  EXPECT_TRUE(has_section(bytes, ".eh_frame"));
  auto a = load(bytes), b = load(bytes);
  ASSERT_TRUE(a && b);
  auto bump_a = reinterpret_cast<int64_t (*)()>(a->symbol("bump"));
  auto bump_b = reinterpret_cast<int64_t (*)()>(b->symbol("bump"));
  ASSERT_TRUE(bump_a && bump_b);
  EXPECT_EQ(bump_a(), 1);
  EXPECT_EQ(bump_a(), 2);
  EXPECT_EQ(bump_b(), 1);  // each load has its own .bss
  auto call_table = reinterpret_cast<double (*)(int64_t, double)>(a->symbol("call_table"));
  ASSERT_TRUE(call_table);
  EXPECT_EQ(call_table(0, 1.0), std::exp(1.0));
  EXPECT_EQ(call_table(1, 2.0), std::sqrt(2.0));
  auto environ_address = reinterpret_cast<void* (*)()>(a->symbol("environ_address"));
  ASSERT_TRUE(environ_address);
  EXPECT_EQ(environ_address(), dlsym(RTLD_DEFAULT, "environ"));
  auto root = reinterpret_cast<double (*)(double)>(a->symbol("root"));
  auto cube_root = reinterpret_cast<double (*)(double)>(a->symbol("cube_root"));
  auto bump_via_rel = reinterpret_cast<void* (*)()>(a->symbol("bump_via_rel"));
  ASSERT_TRUE(root && cube_root && bump_via_rel);
  EXPECT_EQ(root(2.25), 1.5);
  auto libm_cbrt = reinterpret_cast<double (*)(double)>(dlsym(RTLD_DEFAULT, "cbrt"));
  ASSERT_TRUE(libm_cbrt);
  EXPECT_EQ(cube_root(27.0), libm_cbrt(27.0));
  EXPECT_EQ(bump_via_rel(), reinterpret_cast<void*>(bump_a));
  EXPECT_EQ(a->symbol("counter"), nullptr);  // local symbols are not exported
}

// Code that assumes addresses fit in 32 bits (non-PIC, R_X86_64_32/32S) cannot be placed by
// mmap; the loader says so rather than truncating the address.
TEST(ObjectLoader, AbsoluteAddressThatDoesNotFitFails) {
  const char* unsigned32 = R"(
@counter = internal global i64 0
define ptr @counter_address() { ret ptr @counter }
)";
  const char* signed32 = R"(
@arr = internal global [4 x i64] zeroinitializer
define i64 @element(i64 %i) {
  %p = getelementptr [4 x i64], ptr @arr, i64 0, i64 %i
  %v = load i64, ptr %p
  ret i64 %v
}
)";
  for (auto [ir, relocation] : {std::pair{unsigned32, "R_X86_64_32 "}, std::pair{signed32, "R_X86_64_32S "}}) {
    std::string bytes = object_from_ir(ir, llvm::Reloc::Static);
    ASSERT_FALSE(bytes.empty());
    std::string error;
    EXPECT_EQ(load_object_file(bytes.data(), bytes.size(), &error), nullptr);
    EXPECT_NE(error.find(relocation), std::string::npos) << error;
    EXPECT_NE(error.find("does not fit"), std::string::npos) << error;
  }
}

TEST(ObjectLoader, UnresolvableSymbolIsNamed) {
  std::string bytes = object_from_ir(R"(
declare void @dn_no_such_function()
define void @f() { call void @dn_no_such_function() ret void }
)", llvm::Reloc::PIC_);
  std::string error;
  EXPECT_EQ(load_object_file(bytes.data(), bytes.size(), &error), nullptr);
  EXPECT_NE(error.find("'dn_no_such_function'"), std::string::npos) << error;
}

TEST(ObjectLoader, CommonSymbolFails) {
  std::string bytes = object_from_ir(R"(
@c = common global i64 0
define ptr @f() { ret ptr @c }
)", llvm::Reloc::PIC_);
  std::string error;
  EXPECT_EQ(load_object_file(bytes.data(), bytes.size(), &error), nullptr);
  EXPECT_NE(error.find("COMMON"), std::string::npos) << error;
}

TEST(ObjectLoader, GarbageFails) {
  std::string error;
  EXPECT_EQ(load_object_file(nullptr, 0, &error), nullptr);
  EXPECT_FALSE(error.empty());
  for (std::string junk : {std::string(), std::string("not an object file"), std::string(4096, '\0'),
                           std::string("\x7f" "ELF"), std::string("\x7f" "ELF\x02\x01\x01") + std::string(200, '\xff')}) {
    error.clear();
    EXPECT_EQ(load_object_file(junk.data(), junk.size(), &error), nullptr) << junk.size();
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
  std::mt19937 rng(7);
  for (int k = 0; k < 200; ++k) {
    std::string random(size_t(rng() % 4096), '\0');
    for (char& c : random) c = char(rng());
    if (k % 2) std::memcpy(random.data(), "\x7f" "ELF\x02\x01\x01", std::min<size_t>(7, random.size()));
    EXPECT_EQ(load_object_file(random.data(), random.size(), &error), nullptr);
  }
}

TEST(ObjectLoader, EveryTruncationFails) {
  const std::string& bytes = fmath_compiled().object_code;
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string prefix = bytes.substr(0, n);  // its own allocation, so overreads show in ASan
    std::string error;
    ASSERT_EQ(load_object_file(prefix.data(), prefix.size(), &error), nullptr) << "prefix of " << n << " bytes";
    ASSERT_FALSE(error.empty()) << n;
  }
}

TEST(ObjectLoader, WrongMachineOrKindFails) {
  std::string bytes = fmath_compiled().object_code;
  std::string error;
  std::string arm = bytes;
  uint16_t machine = EM_AARCH64;
  std::memcpy(&arm[offsetof(Elf64_Ehdr, e_machine)], &machine, 2);
  EXPECT_EQ(load_object_file(arm.data(), arm.size(), &error), nullptr);
  EXPECT_NE(error.find("x86-64"), std::string::npos) << error;
  std::string shared = bytes;
  uint16_t type = ET_DYN;
  std::memcpy(&shared[offsetof(Elf64_Ehdr, e_type)], &type, 2);
  EXPECT_EQ(load_object_file(shared.data(), shared.size(), &error), nullptr);
  EXPECT_NE(error.find("relocatable"), std::string::npos) << error;
  std::string elf32 = bytes;
  elf32[EI_CLASS] = ELFCLASS32;
  EXPECT_EQ(load_object_file(elf32.data(), elf32.size(), &error), nullptr);
  EXPECT_NE(error.find("ELF64"), std::string::npos) << error;
}

// An unsupported relocation type (a TLS one) in an otherwise valid object.
TEST(ObjectLoader, UnsupportedRelocationFails) {
  std::string bytes = fmath_compiled().object_code;
  Elf64_Ehdr eh;
  std::memcpy(&eh, bytes.data(), sizeof eh);
  bool patched = false;
  for (int i = 0; i < eh.e_shnum && !patched; ++i) {
    Elf64_Shdr s;
    std::memcpy(&s, bytes.data() + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof s);
    if (s.sh_type != SHT_RELA || s.sh_size == 0) continue;
    Elf64_Rela r;
    std::memcpy(&r, bytes.data() + s.sh_offset, sizeof r);
    r.r_info = ELF64_R_INFO(ELF64_R_SYM(r.r_info), R_X86_64_TPOFF32);
    std::memcpy(&bytes[s.sh_offset], &r, sizeof r);
    patched = true;
  }
  ASSERT_TRUE(patched);
  std::string error;
  EXPECT_EQ(load_object_file(bytes.data(), bytes.size(), &error), nullptr);
  EXPECT_NE(error.find("unsupported relocation type 23"), std::string::npos) << error;
}

// Every single-bit flip of a real object either loads or fails with a reason; none crashes.
// (Loaded copies are not run: a flipped instruction is not the loader's business.)
TEST(ObjectLoader, BitFlipsNeverCrash) {
  const std::string& original = fmath_compiled().object_code;
  int failed = 0;
  for (size_t bit = 0; bit < original.size() * 8; ++bit) {
    std::string bytes = original;
    bytes[bit / 8] = char(bytes[bit / 8] ^ (1 << (bit % 8)));
    std::string error;
    auto obj = load_object_file(bytes.data(), bytes.size(), &error);
    if (!obj) {
      ++failed;
      ASSERT_FALSE(error.empty()) << "bit " << bit;
    }
  }
  EXPECT_GT(failed, 0);
  // Runs of random bytes written over the headers and tables.
  std::mt19937 rng(11);
  for (int k = 0; k < 5000; ++k) {
    std::string bytes = original;
    size_t at = rng() % bytes.size(), n = 1 + rng() % 8;
    for (size_t j = at; j < std::min(bytes.size(), at + n); ++j) bytes[j] = char(rng());
    std::string error;
    auto obj = load_object_file(bytes.data(), bytes.size(), &error);
    if (!obj) ASSERT_FALSE(error.empty());
  }
}
