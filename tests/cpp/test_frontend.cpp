// The frontend: CPython 3.11 bytecode (transcribed from `dis`) -> SSA IR. Checks the shape
// of the IR (stack simulated away, phis only where values merge), that the verifier
// accepts it, and that unsupported constructs are named in an UnsupportedError.
#include <gtest/gtest.h>

#include <algorithm>

#include "jit/analysis/verifier.h"
#include "jit/frontend/build_ir.h"
#include "runtime/abi.h"
#include "jit/ir/ir.h"
#include "tests/cpp/bytecode_builder.h"

using namespace dn;
using namespace dn::test;

namespace {

std::vector<Instr*> find_all(const Function& f, Opcode op) {
  std::vector<Instr*> out;
  for (auto& b : f.blocks)
    for (Instr* i : b->instrs)
      if (i->op == op) out.push_back(i);
  return out;
}

Instr* find_one(const Function& f, Opcode op) {
  auto all = find_all(f, op);
  EXPECT_EQ(all.size(), 1u) << "expected one " << opcode_name(op) << " in\n" << print_function(f);
  return all.empty() ? nullptr : all[0];
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace

TEST(Frontend, AddHasNoStackLeftovers) {
  FunctionInfo info = add_info();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  EXPECT_EQ(f->name, "add");
  EXPECT_EQ(f->info, &info);
  ASSERT_EQ(f->args.size(), 2u);
  EXPECT_EQ(f->args[0]->var, "a");
  EXPECT_EQ(f->args[1]->arg_index, 1);
  Instr* add = find_one(*f, Opcode::BinOp);
  ASSERT_TRUE(add);
  EXPECT_EQ(add->binop, BinOpKind::Add);
  EXPECT_FALSE(add->inplace);
  EXPECT_EQ(add->operands, (std::vector<Instr*>{f->args[0], f->args[1]}));
  EXPECT_EQ(add->loc.line, 3);
  EXPECT_EQ(add->loc.col, 11);
  Instr* ret = find_one(*f, Opcode::Return);
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->operands, (std::vector<Instr*>{add}));
  EXPECT_TRUE(find_all(*f, Opcode::Phi).empty());
  EXPECT_TRUE(find_all(*f, Opcode::Const).empty());  // co_consts[0] None is never loaded
  std::string text = print_function(*f);
  EXPECT_TRUE(contains(text, "binop + %0, %1")) << text;
  EXPECT_TRUE(contains(text, "return %")) << text;
}

TEST(Frontend, RangeLoopHasPhiAtHeader) {
  FunctionInfo info = range_loop_info();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  std::string text = print_function(*f);

  // The loop header: the block holding IterValid, ending in a CondBr on it.
  Instr* valid = find_one(*f, Opcode::IterValid);
  ASSERT_TRUE(valid) << text;
  Block* header = valid->parent;
  ASSERT_EQ(header->terminator()->op, Opcode::CondBr);
  EXPECT_EQ(header->terminator()->operand(0), valid);
  ASSERT_EQ(header->preds.size(), 2u) << text;

  // Exactly one phi, for `s`, at the header: 0 from before the loop, s+i from the body.
  std::vector<Instr*> phis = find_all(*f, Opcode::Phi);
  ASSERT_EQ(phis.size(), 1u) << text;
  Instr* s = phis[0];
  EXPECT_EQ(s->parent, header);
  EXPECT_EQ(s->var, "s");
  ASSERT_EQ(s->operands.size(), 2u);
  Instr* from_entry = nullptr;
  Instr* from_body = nullptr;
  for (size_t k = 0; k < 2; ++k) {
    if (s->operands[k]->op == Opcode::Const) from_entry = s->operands[k];
    if (s->operands[k]->op == Opcode::BinOp) from_body = s->operands[k];
  }
  ASSERT_TRUE(from_entry && from_body) << text;
  EXPECT_EQ(from_entry->cval.i, 0);
  EXPECT_EQ(from_body->binop, BinOpKind::Add);
  EXPECT_TRUE(from_body->inplace);  // BINARY_OP 13 is +=
  EXPECT_EQ(from_body->operand(0), s);

  // The iterator lived on the stack across the loop; its trivial phi is gone.
  Instr* iter = find_one(*f, Opcode::GetIter);
  ASSERT_TRUE(iter);
  EXPECT_EQ(valid->operand(0), iter);
  Instr* next = find_one(*f, Opcode::IterNext);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->operand(0), iter);
  EXPECT_EQ(from_body->operand(1), next);

  // range(n): CALL of the global with the NULL marker dropped.
  Instr* call = find_one(*f, Opcode::Call);
  ASSERT_TRUE(call);
  ASSERT_EQ(call->operands.size(), 2u);
  EXPECT_EQ(call->operand(0)->op, Opcode::Global);
  EXPECT_EQ(call->operand(0)->gval.name, "builtins.range");
  EXPECT_EQ(call->operand(1), f->args[0]);
  EXPECT_EQ(iter->operand(0), call);

  // The exit returns the phi.
  Instr* ret = find_one(*f, Opcode::Return);
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->operand(0), s);
  EXPECT_EQ(header->terminator()->blocks[1], ret->parent);

  for (const char* op : {"global function \"builtins.range\" var=\"range\"", "call %", "getiter %", "iter_valid %", "iter_next %",
                         "binop += %", "phi [bb", "condbr %"})
    EXPECT_TRUE(contains(text, op)) << op << " missing from\n" << text;

  // Blocks are in reverse postorder: the entry first, and the header before the body.
  EXPECT_EQ(f->blocks[0].get(), f->entry());
  auto pos = [&](Block* b) {
    for (size_t k = 0; k < f->blocks.size(); ++k)
      if (f->blocks[k].get() == b) return k;
    return f->blocks.size();
  };
  EXPECT_LT(pos(call->parent), pos(header));
  EXPECT_LT(pos(header), pos(from_body->parent));
}

TEST(Frontend, IfElseMergesWithPhi) {
  FunctionInfo info = absdiff_info();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  Instr* cmp = find_one(*f, Opcode::Compare);
  ASSERT_TRUE(cmp);
  EXPECT_EQ(cmp->cmp, CmpKind::Gt);
  Instr* br = cmp->parent->terminator();
  ASSERT_EQ(br->op, Opcode::CondBr);
  EXPECT_EQ(br->operand(0), cmp);  // a comparison feeds the branch directly, no Truth
  EXPECT_TRUE(find_all(*f, Opcode::Truth).empty());
  std::vector<Instr*> subs = find_all(*f, Opcode::BinOp);
  ASSERT_EQ(subs.size(), 2u);
  // True branch (fall through) computes a - b; false branch (jump target) b - a.
  Block* on_true = br->blocks[0];
  Block* on_false = br->blocks[1];
  Instr* a_minus_b = subs[0]->operand(0) == f->args[0] ? subs[0] : subs[1];
  Instr* b_minus_a = a_minus_b == subs[0] ? subs[1] : subs[0];
  EXPECT_EQ(a_minus_b->parent, on_true);
  EXPECT_EQ(b_minus_a->parent, on_false);
  Instr* r = find_one(*f, Opcode::Phi);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->var, "r");
  for (size_t k = 0; k < 2; ++k)
    EXPECT_EQ(r->operands[k], r->blocks[k] == on_true ? a_minus_b : b_minus_a);
  EXPECT_EQ(find_one(*f, Opcode::Return)->operand(0), r);
}

TEST(Frontend, WhileLoopWithBackwardConditionalJump) {
  FunctionInfo info = while_loop_info();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  // Two comparisons (the loop's entry test and its rotated test at the bottom), two
  // conditional branches, and `i` merged where the paths meet.
  EXPECT_EQ(find_all(*f, Opcode::Compare).size(), 2u);
  EXPECT_EQ(find_all(*f, Opcode::CondBr).size(), 2u);
  std::vector<Instr*> phis = find_all(*f, Opcode::Phi);
  ASSERT_FALSE(phis.empty()) << print_function(*f);
  for (Instr* p : phis) EXPECT_EQ(p->var, "i");
  // The body block (i += 1) is its own successor's predecessor: a back edge exists.
  Instr* inc = find_one(*f, Opcode::BinOp);
  ASSERT_TRUE(inc);
  bool back_edge = false;
  for (Instr* p : phis)
    for (Instr* o : p->operands) back_edge |= o == inc;
  EXPECT_TRUE(back_edge) << print_function(*f);
}

TEST(Frontend, ReadBeforeAssignmentBecomesUndef) {
  // def maybe(a):
  //     if a:
  //         x = 1
  //     return x
  FunctionInfo info = FunctionInfoBuilder("maybe", {"a"}, {"x"})
                          .consts({c_none(), c_int(1)})
                          .line(8).op(0, "RESUME")
                          .line(9).op(2, "LOAD_FAST", 0, "a")
                          .jump(4, "POP_JUMP_FORWARD_IF_FALSE", 2, 10)
                          .line(10).op(6, "LOAD_CONST", 1).op(8, "STORE_FAST", 1, "x")
                          .line(11).op(10, "LOAD_FAST", 1, "x").op(12, "RETURN_VALUE")
                          .build();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  Instr* undef = find_one(*f, Opcode::Undef);
  ASSERT_TRUE(undef);
  EXPECT_EQ(undef->parent, f->entry());
  EXPECT_EQ(undef->var, "x");
  Instr* x = nullptr;
  Instr* bound = nullptr;
  for (auto& b : f->blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Phi) (i->var == "x" ? x : bound) = i;
  ASSERT_TRUE(x);
  EXPECT_NE(std::find(x->operands.begin(), x->operands.end(), undef), x->operands.end());
  // The read of x is guarded: UnboundLocalError at run time where x was never assigned.
  Instr* check = find_one(*f, Opcode::CheckBound);
  ASSERT_TRUE(check);
  EXPECT_EQ(check->var, "x");
  ASSERT_TRUE(bound);
  EXPECT_EQ(bound->var, "$bound:x");
  EXPECT_EQ(check->operand(0), bound);
  // `if a:` tests the truth of a non-comparison.
  Instr* truth = find_one(*f, Opcode::Truth);
  ASSERT_TRUE(truth);
  EXPECT_EQ(truth->operand(0), f->args[0]);
}

TEST(Frontend, TupleSwapThroughStack) {
  // def tup(a, b):
  //     x, y = b, a
  //     return (x, y)
  FunctionInfo info = FunctionInfoBuilder("tup", {"a", "b"}, {"x", "y"})
                          .consts({c_none()})
                          .line(19).op(0, "RESUME")
                          .line(20).op(2, "LOAD_FAST", 1, "b").op(4, "LOAD_FAST", 0, "a")
                          .op(6, "STORE_FAST", 3, "y").op(8, "STORE_FAST", 2, "x")
                          .line(21).op(10, "LOAD_FAST", 2, "x").op(12, "LOAD_FAST", 3, "y")
                          .op(14, "BUILD_TUPLE", 2).op(16, "RETURN_VALUE")
                          .build();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  Instr* t = find_one(*f, Opcode::BuildTuple);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->operands, (std::vector<Instr*>{f->args[1], f->args[0]}));
}

TEST(Frontend, DeadCodeAfterReturnIsDropped) {
  // return a; return b  (the second return is unreachable)
  FunctionInfo info = FunctionInfoBuilder("dead", {"a", "b"})
                          .consts({c_none()})
                          .line(1).op(0, "RESUME")
                          .line(2).op(2, "LOAD_FAST", 0, "a").op(4, "RETURN_VALUE")
                          .line(3).op(6, "LOAD_FAST", 1, "b").op(8, "RETURN_VALUE")
                          .build();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  Instr* ret = find_one(*f, Opcode::Return);
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->operand(0), f->args[0]);
}

TEST(Frontend, MethodStyleGlobalCallKeepsCallee) {
  // math.exp(a): LOAD_GLOBAL math with NULL, LOAD_ATTR exp, CALL 1
  FunctionInfo info = math_exp_info();
  std::unique_ptr<Function> f = build_ir(info);
  EXPECT_NO_THROW(verify_function(*f, "build_ir", false));
  Instr* call = find_one(*f, Opcode::Call);
  ASSERT_TRUE(call);
  ASSERT_EQ(call->operands.size(), 2u);
  EXPECT_EQ(call->operand(0)->op, Opcode::GetAttr);
  EXPECT_EQ(call->operand(0)->attr, "exp");
  EXPECT_EQ(call->operand(0)->operand(0)->op, Opcode::Global);
  EXPECT_EQ(call->operand(1), f->args[0]);
}

// --- Unsupported constructs: CompileError(Unsupported) naming the construct.

TEST(FrontendTry, TryBodyRaisesIntoALandingThatReachesTheHandler) {
  // def tryf(a):
  //     try:
  //         return 1 // a
  //     except ZeroDivisionError:
  //         return 0
  GlobalValue zde;
  zde.kind = GlobalValue::Kind::Function;
  zde.name = "builtins.ZeroDivisionError";
  FunctionInfo info = FunctionInfoBuilder("tryf", {"a"})
                          .consts({c_none(), c_int(1), c_int(0)})
                          .global("ZeroDivisionError", zde)
                          .source(20, "def tryf(a):")
                          .source(21, "    try:")
                          .line(20).op(0, "RESUME")
                          .line(21).op(2, "NOP")
                          .line(22).op(4, "LOAD_CONST", 1).op(6, "LOAD_FAST", 0, "a").op(8, "BINARY_OP", 2)
                          .op(12, "RETURN_VALUE")
                          .line(0).op(14, "PUSH_EXC_INFO")
                          .line(23).op(16, "LOAD_GLOBAL", 0, "ZeroDivisionError")
                          .op(28, "CHECK_EXC_MATCH")
                          .jump(30, "POP_JUMP_FORWARD_IF_FALSE", 4, 40)
                          .op(32, "POP_TOP")
                          .line(24).op(34, "POP_EXCEPT").op(36, "LOAD_CONST", 2)
                          .op(38, "RETURN_VALUE")
                          .line(23).op(40, "RERAISE", 0)
                          .line(0).op(42, "COPY", 3).op(44, "POP_EXCEPT").op(46, "RERAISE", 1)
                          .build();
  info.exception_table = {{4, 14, 14, 0, false}, {14, 34, 42, 1, true}, {40, 42, 42, 1, true}};
  auto f = build_ir(info);
  // The division's block unwinds to the landing the enter_try before it names.
  Instr* div = nullptr;
  for (Instr* b : find_all(*f, Opcode::BinOp))
    if (b->binop == BinOpKind::FloorDiv) div = b;
  ASSERT_TRUE(div && div->parent->unwind) << print_function(*f);
  bool entered = false;
  for (Block* p : div->parent->preds) {
    Instr* t = p->terminator();
    if (t && t->op == Opcode::EnterTry && t->blocks[1] == div->parent->unwind) entered = true;
  }
  EXPECT_TRUE(entered) << print_function(*f);
  // The landing takes the exception; the handler compares its code with ZeroDivisionError's.
  Instr* caught = nullptr;
  for (Instr* i : div->parent->unwind->instrs)
    if (i->op == Opcode::Caught) caught = i;
  EXPECT_TRUE(caught) << print_function(*f);
  bool compared = false;
  for (Instr* c : find_all(*f, Opcode::Compare))
    if (c->operands[1]->op == Opcode::Const && c->operands[1]->cval.i == DN_ZERO_DIVISION_ERROR) compared = true;
  EXPECT_TRUE(compared) << print_function(*f);
  EXPECT_FALSE(find_all(*f, Opcode::Reraise).empty()) << print_function(*f);
}

TEST(FrontendUnsupported, ExceptOfSomethingElse) {
  // try: return a  except len: return 0
  GlobalValue len;
  len.kind = GlobalValue::Kind::Function;
  len.name = "builtins.len";
  FunctionInfo info = FunctionInfoBuilder("tryf", {"a"})
                          .consts({c_none(), c_int(0)})
                          .global("len", len)
                          .source(20, "def tryf(a):")
                          .line(20).op(0, "RESUME")
                          .line(21).op(2, "NOP")
                          .line(22).op(4, "LOAD_FAST", 0, "a").op(6, "RETURN_VALUE")
                          .line(0).op(8, "PUSH_EXC_INFO")
                          .line(23).op(10, "LOAD_GLOBAL", 0, "len")
                          .op(22, "CHECK_EXC_MATCH")
                          .jump(24, "POP_JUMP_FORWARD_IF_FALSE", 4, 34)
                          .op(26, "POP_TOP")
                          .line(24).op(28, "POP_EXCEPT").op(30, "LOAD_CONST", 1)
                          .op(32, "RETURN_VALUE")
                          .line(23).op(34, "RERAISE", 0)
                          .line(0).op(36, "COPY", 3).op(38, "POP_EXCEPT").op(40, "RERAISE", 1)
                          .build();
  info.exception_table = {{4, 8, 8, 0, false}, {8, 28, 36, 1, true}, {34, 36, 36, 1, true}};
  expect_compile_error([&] { build_ir(info); }, ErrorKind::Unsupported, {"except of something other than an exception class"});
}

TEST(FrontendUnsupported, Generators) {
  // def gen(a):
  //     yield a
  FunctionInfo info = FunctionInfoBuilder("gen", {"a"})
                          .consts({c_none()})
                          .line(25).op(0, "RETURN_GENERATOR").op(2, "POP_TOP").op(4, "RESUME")
                          .line(26).op(6, "LOAD_FAST", 0, "a").op(8, "YIELD_VALUE")
                          .op(10, "RESUME", 1).op(12, "POP_TOP").op(14, "LOAD_CONST", 0)
                          .op(16, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { build_ir(info); }, ErrorKind::Unsupported, {"generators"});

  // YIELD_VALUE on its own (a generator whose prologue was not captured) says the same.
  FunctionInfo bare = FunctionInfoBuilder("gen2", {"a"})
                          .consts({c_none()})
                          .line(1).op(0, "RESUME")
                          .line(2).op(2, "LOAD_FAST", 0, "a").op(4, "YIELD_VALUE")
                          .op(6, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { build_ir(bare); }, ErrorKind::Unsupported,
                       {"generators (yield)"});
}

TEST(FrontendUnsupported, ConstructsNameTheLineAndCaret) {
  // def lst(a):
  //     return {a}   (a construct still unsupported in place of the set display)
  FunctionInfo info = FunctionInfoBuilder("lst", {"a"})
                          .consts({c_none()})
                          .source(27, "def lst(a):")
                          .source(28, "    return {a}")
                          .line(27).op(0, "RESUME")
                          .line(28).op(2, "LOAD_FAST", 0, "a").cols(12, 13)
                          .op(4, "MATCH_SEQUENCE", 1).cols(11, 14)
                          .op(6, "RETURN_VALUE").cols(4, 14)
                          .build();
  std::string msg = expect_compile_error([&] { build_ir(info); }, ErrorKind::Unsupported,
                                         {"Unsupported Python construct: match statements", "line 28",
                                          "in lst", "    return {a}"});
  EXPECT_TRUE(contains(msg, "\n               ^^^\n")) << msg;  // 4 + 11 spaces, 3 carets
  EXPECT_TRUE(contains(msg, "hint: ")) << msg;
}

TEST(FrontendUnsupported, OtherConstructsAreNamed) {
  struct Case {
    const char* opname;
    const char* construct;
  };
  for (Case c : {Case{"MATCH_MAPPING", "match statements"}, Case{"GET_AWAITABLE", "async functions"},
                 Case{"MAKE_FUNCTION", "inner function"},
                 Case{"BEFORE_WITH", "with statements"}, Case{"IMPORT_NAME", "import"}}) {
    FunctionInfo info = FunctionInfoBuilder("f", {"a"})
                            .consts({c_none()})
                            .line(1).op(0, "RESUME")
                            .line(2).op(2, "LOAD_FAST", 0, "a").op(4, c.opname, 1)
                            .op(6, "RETURN_VALUE")
                            .build();
    SCOPED_TRACE(c.opname);
    expect_compile_error([&] { build_ir(info); }, ErrorKind::Unsupported, {c.construct});
  }
}

TEST(FrontendUnsupported, UnknownBytecodeNamesOpcodeAndVersion) {
  FunctionInfo info = FunctionInfoBuilder("f", {"a"})
                          .consts({c_none()})
                          .line(1).op(0, "RESUME")
                          .line(2).op(2, "LOAD_FAST", 0, "a").op(4, "FROBNICATE")
                          .op(6, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { build_ir(info); }, ErrorKind::Unsupported,
                       {"FROBNICATE", "Python 3.11"});
}

TEST(FrontendErrors, UndefinedGlobalIsATypingError) {
  // def undefined_name(a):
  //     return foo(a)
  FunctionInfo info = FunctionInfoBuilder("undefined_name", {"a"})
                          .consts({c_none()})
                          .source(18, "    return foo(a)")
                          .line(17).op(0, "RESUME")
                          .line(18).op(2, "LOAD_GLOBAL", 1, "foo").cols(11, 14)
                          .op(14, "LOAD_FAST", 0, "a").op(16, "PRECALL", 1).op(20, "CALL", 1)
                          .op(30, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { build_ir(info); }, ErrorKind::Typing,
                       {"name 'foo' is not defined", "line 18", "return foo(a)"});
}

TEST(FrontendErrors, StackUnderflowIsReportedNotCrashed) {
  FunctionInfo info = FunctionInfoBuilder("f", {"a"})
                          .consts({c_none()})
                          .line(1).op(0, "RESUME").op(2, "BINARY_OP", 0).op(6, "RETURN_VALUE")
                          .build();
  expect_compile_error([&] { build_ir(info); }, ErrorKind::Unsupported, {"underflows"});
}
