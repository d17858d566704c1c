// Type inference on IR built from bytecode: result types follow NumPy 2 promotion (NEP 50:
// Python scalars are weak), phis unify, the rewrite makes casts explicit, and failures are
// TypingErrors that show the source line with a caret.
#include <gtest/gtest.h>

#include "jit/analysis/verifier.h"
#include "jit/frontend/build_ir.h"
#include "jit/ir/ir.h"
#include "jit/typing/infer.h"
#include "tests/cpp/bytecode_builder.h"

using namespace dn;
using namespace dn::test;

namespace {

// Builds and types `info` (which must outlive the result) for `args`.
std::unique_ptr<Function> typed(const FunctionInfo& info, std::vector<const Type*> args,
                                const Type* declared_return = nullptr) {
  std::unique_ptr<Function> f = build_ir(info);
  infer_types(*f, args, declared_return);
  f->recompute_preds();
  return f;
}

std::vector<Instr*> find_all(const Function& f, Opcode op) {
  std::vector<Instr*> out;
  for (auto& b : f.blocks)
    for (Instr* i : b->instrs)
      if (i->op == op) out.push_back(i);
  return out;
}

Instr* only(const Function& f, Opcode op) {
  auto all = find_all(f, op);
  EXPECT_EQ(all.size(), 1u) << print_function(f);
  return all.empty() ? nullptr : all[0];
}

const Type* weak_int() { return t_int64()->weakened(); }
const Type* weak_float() { return t_float64()->weakened(); }

// def bad(a):
//     return a + "x"
FunctionInfo add_str_info(bool with_source) {
  FunctionInfoBuilder b("bad", {"a"});
  b.consts({c_none(), c_str("x")});
  if (with_source) b.source(63, "def bad(a):").source(64, "    return a + \"x\"");
  return b.line(63).op(0, "RESUME")
      .line(64).op(2, "LOAD_FAST", 0, "a").cols(11, 12)
      .op(4, "LOAD_CONST", 1).cols(15, 18)
      .op(6, "BINARY_OP", 0).cols(11, 18)
      .op(10, "RETURN_VALUE").cols(4, 18)
      .build();
}

// def ternary(c, a, b):
//     x = a if c else b
//     return x
FunctionInfo ternary_info() {
  return FunctionInfoBuilder("ternary", {"c", "a", "b"}, {"x"})
      .consts({c_none()})
      .source(4, "def ternary(c, a, b):")
      .source(5, "    x = a if c else b")
      .source(6, "    return x")
      .line(4).op(0, "RESUME")
      .line(5).op(2, "LOAD_FAST", 0, "c").cols(13, 14)
      .jump(4, "POP_JUMP_FORWARD_IF_FALSE", 2, 10).cols(8, 21)
      .op(6, "LOAD_FAST", 1, "a").cols(8, 9)
      .jump(8, "JUMP_FORWARD", 1, 12).cols(8, 9)
      .op(10, "LOAD_FAST", 2, "b").cols(20, 21)
      .op(12, "STORE_FAST", 3, "x").cols(4, 5)
      .line(6).op(14, "LOAD_FAST", 3, "x").cols(11, 12)
      .op(16, "RETURN_VALUE").cols(4, 12)
      .build();
}

}  // namespace

TEST(Typing, AddInt64) {
  FunctionInfo info = add_info();
  auto f = typed(info, {t_int64(), t_int64()});
  EXPECT_EQ(f->return_type, t_int64());
  Instr* add = only(*f, Opcode::BinOp);
  ASSERT_TRUE(add);
  EXPECT_EQ(add->type, t_int64());
  EXPECT_TRUE(find_all(*f, Opcode::Cast).empty()) << print_function(*f);
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
  std::string text = print_function(*f);
  EXPECT_NE(text.find("-> int64 {"), std::string::npos) << text;
  EXPECT_NE(text.find(" : int64 = binop + %0, %1"), std::string::npos) << text;
}

TEST(Typing, AddWeakIntAndFloat32IsFloat32) {
  // NEP 50: a Python int adopts the NumPy scalar's type.
  FunctionInfo info = add_info();
  auto f = typed(info, {weak_int(), t_float(32)});
  EXPECT_EQ(f->return_type, t_float(32));
  Instr* add = only(*f, Opcode::BinOp);
  ASSERT_TRUE(add);
  EXPECT_EQ(add->type, t_float(32));
  // The int operand is converted explicitly before the add.
  Instr* lhs = add->operand(0);
  EXPECT_EQ(lhs->op, Opcode::Cast);
  EXPECT_EQ(lhs->type, t_float(32));
  EXPECT_EQ(lhs->operand(0), f->args[0]);
  EXPECT_EQ(add->operand(1), f->args[1]);
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
}

TEST(Typing, AddFollowsNumPyPromotion) {
  struct Case {
    const Type *a, *b, *result;
  };
  for (Case c : {Case{t_int(32), t_int64(), t_int64()},
                 Case{t_int(8), weak_int(), t_int(8)},
                 Case{t_int(8), weak_float(), t_float64()},
                 Case{t_float(32), t_int(32), t_float64()},
                 Case{t_int(64, false), t_int64(), t_float64()},
                 Case{t_complex(64), t_float64(), t_complex(128)},
                 Case{weak_int(), weak_float(), weak_float()},
                 Case{weak_int(), weak_int(), weak_int()}}) {
    SCOPED_TRACE(c.a->str() + " + " + c.b->str());
    FunctionInfo info = add_info();
    auto f = typed(info, {c.a, c.b});
    EXPECT_EQ(f->return_type, c.result) << f->return_type->str();
    EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
  }
}

TEST(Typing, DeclaredReturnTypeCastsTheResult) {
  FunctionInfo info = add_info();
  auto f = typed(info, {t_int64(), t_int64()}, t_float64());
  EXPECT_EQ(f->return_type, t_float64());
  Instr* ret = only(*f, Opcode::Return);
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->operand(0)->op, Opcode::Cast);
  EXPECT_EQ(ret->operand(0)->type, t_float64());
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));

  expect_compile_error([&] { typed(info, {t_int64(), t_int64()}, t_tuple({t_int64()})); },
                       ErrorKind::Typing, {"declares a UniTuple(int64 x 1) result", "int64"});
}

TEST(Typing, RangeLoopAccumulatorIsInt64) {
  FunctionInfo info = range_loop_info();
  for (const Type* n : {t_int64(), weak_int(), t_int(32)}) {
    SCOPED_TRACE(n->str());
    auto f = typed(info, {n});
    EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
    Instr* s = only(*f, Opcode::Phi);
    ASSERT_TRUE(s);
    // s = 0 and i from range() are Python ints: the accumulator is a (weak) 64-bit int.
    EXPECT_EQ(s->type->strong(), t_int64()) << s->type->str();
    EXPECT_EQ(f->return_type, s->type);
    Instr* i = only(*f, Opcode::IterNext);
    ASSERT_TRUE(i);
    EXPECT_EQ(i->type->strong(), t_int64());
    Instr* add = only(*f, Opcode::BinOp);
    ASSERT_TRUE(add);
    EXPECT_EQ(add->type, s->type);
    // range's argument is converted to int64.
    Instr* call = only(*f, Opcode::Call);
    ASSERT_TRUE(call);
    EXPECT_EQ(call->intrinsic, Intrinsic::Range);
    EXPECT_EQ(call->operand(1)->type->strong(), t_int64());
  }
}

TEST(Typing, RangeOfFloatIsATypingError) {
  FunctionInfo info = range_loop_info();
  expect_compile_error([&] { typed(info, {t_float64()}); }, ErrorKind::Typing,
                       {"range() arguments must be integers", "float64", "line 6",
                        "for i in range(n):"});
}

TEST(Typing, PhiUnifiesBranches) {
  FunctionInfo info = absdiff_info();
  {
    auto f = typed(info, {t_int(32), t_int(32)});
    Instr* r = only(*f, Opcode::Phi);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->type, t_int(32));
    EXPECT_EQ(f->return_type, t_int(32));
  }
  {
    auto f = typed(info, {t_int64(), t_float(32)});
    Instr* r = only(*f, Opcode::Phi);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->type, t_float64());
    EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
  }
}

TEST(Typing, WhileLoopComparesAfterPromotion) {
  FunctionInfo info = while_loop_info();
  auto f = typed(info, {t_float(32)});
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
  ASSERT_EQ(find_all(*f, Opcode::Compare).size(), 2u);
  for (Instr* c : find_all(*f, Opcode::Compare)) {
    EXPECT_EQ(c->type, t_bool());
    // int < float32: both sides compared as float32 (weak int adopts float32).
    EXPECT_EQ(c->operand(0)->type, t_float(32)) << print_function(*f);
    EXPECT_EQ(c->operand(1)->type, t_float(32));
  }
  EXPECT_EQ(f->return_type->strong(), t_int64());
}

TEST(Typing, MathExpOfFloat32) {
  // def e(x): return math.exp(x)
  FunctionInfo info = math_exp_info();
  auto f = typed(info, {t_float(32)});
  Instr* call = only(*f, Opcode::Call);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->intrinsic, Intrinsic::MathFunc);
  EXPECT_EQ(call->func, "exp");
  // math.exp computes in double and returns a Python float.
  EXPECT_EQ(call->type->strong(), t_float64());
  EXPECT_EQ(call->operand(1)->type, t_float64());
  EXPECT_NE(print_function(*f).find("call MathFunc %"), std::string::npos);
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));

  expect_compile_error([&] { typed(info, {t_array(t_float64(), 1, Layout::C)}); },
                       ErrorKind::Typing, {"exp()", "array(float64, 1d, C)"});
}

TEST(Typing, ArrayLoopTypesElements) {
  FunctionInfo info = exp_fill_info();
  const Type* arr = t_array(t_float64(), 1, Layout::C);
  auto f = typed(info, {arr, arr});
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
  Instr* get = only(*f, Opcode::GetItem);
  ASSERT_TRUE(get);
  EXPECT_EQ(get->type, t_float64());
  EXPECT_EQ(get->operand(1)->type->strong(), t_int64());  // the index is a 64-bit int
  Instr* set = only(*f, Opcode::SetItem);
  ASSERT_TRUE(set);
  // math.exp gives a Python float: already the dtype, so no conversion.
  EXPECT_EQ(set->operand(2)->type->strong(), t_float64());
  EXPECT_NE(set->operand(2)->op, Opcode::Cast);
  EXPECT_EQ(f->return_type->strong(), t_int64());

  // Into a float32 array the value is converted to float32 first.
  auto g = typed(info, {arr, t_array(t_float(32), 1, Layout::C)});
  Instr* set32 = only(*g, Opcode::SetItem);
  ASSERT_TRUE(set32);
  EXPECT_EQ(set32->operand(2)->op, Opcode::Cast);
  EXPECT_EQ(set32->operand(2)->type, t_float(32));

  expect_compile_error([&] { typed(info, {arr, t_array(t_float64(), 1, Layout::C, true)}); },
                       ErrorKind::Typing, {"read-only array"});
}

// --- Errors: TypingError with the source line and a caret under the expression.

TEST(TypingErrors, IntPlusStrShowsSourceAndCaret) {
  FunctionInfo info = add_str_info(true);
  std::string msg = expect_compile_error([&] { typed(info, {t_int64()}); }, ErrorKind::Typing,
                                         {"Typing error", "int64", "str", "line 64", "in bad"});
  // "    " + the source line, then a caret line under `a + "x"` (columns 11..18).
  EXPECT_NE(msg.find("\n        return a + \"x\"\n"), std::string::npos) << msg;
  EXPECT_NE(msg.find("\n" + std::string(4 + 11, ' ') + "^^^^^^^"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("^^^^^^^^"), std::string::npos) << "caret too long:\n" << msg;
}

TEST(TypingErrors, WithoutSourceLinesStillNamesTheLine) {
  FunctionInfo info = add_str_info(false);
  std::string msg = expect_compile_error([&] { typed(info, {t_int64()}); }, ErrorKind::Typing,
                                         {"line 64", "test_module.py"});
  EXPECT_EQ(msg.find('^'), std::string::npos) << msg;
}

// array + str can never type, whatever array arithmetic supports: NumPy raises a TypeError
// (UFuncTypeError). It should be a TypingError, not "not supported yet".
TEST(TypingErrors, ArrayPlusStrIsATypingError) {
  FunctionInfo info = add_str_info(true);
  std::string msg =
      expect_compile_error([&] { typed(info, {t_array(t_float64(), 1, Layout::C)}); },
                           ErrorKind::Typing, {"array(float64, 1d, C)", "str", "line 64"});
  EXPECT_NE(msg.find("\n        return a + \"x\"\n"), std::string::npos) << msg;
  EXPECT_NE(msg.find("^^^^^^^"), std::string::npos) << msg;
}

TEST(TypingErrors, TruthOfArray) {
  // def f(a):
  //     if a:
  //         return 1
  //     return 0
  FunctionInfo info = FunctionInfoBuilder("f", {"a"})
                          .consts({c_none(), c_int(1), c_int(0)})
                          .source(2, "    if a:")
                          .line(1).op(0, "RESUME")
                          .line(2).op(2, "LOAD_FAST", 0, "a").cols(7, 8)
                          .jump(4, "POP_JUMP_FORWARD_IF_FALSE", 2, 10).cols(4, 9)
                          .line(3).op(6, "LOAD_CONST", 1).op(8, "RETURN_VALUE")
                          .line(4).op(10, "LOAD_CONST", 2).op(12, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { typed(info, {t_array(t_float64(), 1, Layout::C)}); },
                       ErrorKind::Typing, {"truth value of an array is ambiguous", "a.any()"});
  auto f = typed(info, {t_int64()});
  EXPECT_NO_THROW(verify_function(*f, "infer_types", true));
  EXPECT_EQ(only(*f, Opcode::Truth)->operand(0), f->args[0]);
}

// A value merged on the stack (a conditional expression) whose branches disagree: the error
// must point at the expression like every other TypingError.
TEST(TypingErrors, ConflictingConditionalExpressionNamesTheLine) {
  FunctionInfo info = ternary_info();
  expect_compile_error([&] { typed(info, {t_bool(), t_int64(), t_tuple({t_int64(), t_int64()})}); },
                       ErrorKind::Typing,
                       {"int64 (an argument) and UniTuple(int64 x 2) (an argument)", "line 5",
                        "x = a if c else b"});
}

TEST(TypingErrors, ConflictingVariableNamesIt) {
  // def f(c, a):
  //     if c:
  //         r = a
  //     else:
  //         r = (a,)
  //     return r
  FunctionInfo info = FunctionInfoBuilder("f", {"c", "a"}, {"r"})
                          .consts({c_none()})
                          .line(1).op(0, "RESUME")
                          .line(2).op(2, "LOAD_FAST", 0, "c")
                          .jump(4, "POP_JUMP_FORWARD_IF_FALSE", 3, 12)
                          .line(3).op(6, "LOAD_FAST", 1, "a").op(8, "STORE_FAST", 2, "r")
                          .jump(10, "JUMP_FORWARD", 3, 18)
                          .line(5).op(12, "LOAD_FAST", 1, "a").op(14, "BUILD_TUPLE", 1)
                          .op(16, "STORE_FAST", 2, "r")
                          .line(6).op(18, "LOAD_FAST", 2, "r").op(20, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { typed(info, {t_bool(), t_int64()}); }, ErrorKind::Typing,
                       {"variable 'r' is int64 (an argument) and UniTuple(int64 x 1) at line 5",
                        "give 'r' values of one type on every path"});
}

TEST(TypingErrors, WrongArgumentCount) {
  FunctionInfo info = add_info();
  expect_compile_error([&] { typed(info, {t_int64()}); }, ErrorKind::ArgumentType,
                       {"add()", "2", "1"});
}
