// The IR by hand: construction, the stable text form (golden), the verifier's negatives,
// and the CFG clean-ups remove_unreachable_blocks and sort_blocks_rpo.
#include <gtest/gtest.h>

#include <algorithm>

#include "jit/analysis/verifier.h"
#include "jit/ir/ir.h"
#include "jit/support/diagnostics.h"
#include "tests/cpp/bytecode_builder.h"

using namespace dn;
using dn::test::c_int;
using dn::test::expect_compile_error;

namespace {

Instr* arg(Function& f, int n) {
  Instr* a = f.append(f.entry(), Opcode::Arg);
  a->arg_index = n;
  f.args.push_back(a);
  return a;
}

Instr* constant(Function& f, Block* b, int64_t v) {
  Instr* c = f.append(b, Opcode::Const);
  c->cval = c_int(v);
  return c;
}

Instr* br(Function& f, Block* from, Block* to) {
  Instr* i = f.append(from, Opcode::Br);
  i->blocks = {to};
  return i;
}

Instr* phi(Function& f, Block* b, std::vector<std::pair<Block*, Instr*>> incoming) {
  Instr* p = f.append(b, Opcode::Phi);
  for (auto& [blk, v] : incoming) {
    p->blocks.push_back(blk);
    p->operands.push_back(v);
  }
  return p;
}

// def max2(a, b): return a if a > b else b
//   bb0: args, compare, condbr -> bb1 / bb2; bb1, bb2: br bb3; bb3: phi, return.
struct Max2 {
  Function f{"max2", nullptr};
  Block *b0, *b1, *b2, *b3;
  Instr *a, *b, *cmp, *cond, *merged, *ret;

  Max2() {
    b0 = f.new_block();
    b1 = f.new_block();
    b2 = f.new_block();
    b3 = f.new_block();
    a = arg(f, 0);
    b = arg(f, 1);
    cmp = f.append(b0, Opcode::Compare, {a, b});
    cmp->cmp = CmpKind::Gt;
    cond = f.append(b0, Opcode::CondBr, {cmp});
    cond->blocks = {b1, b2};
    br(f, b1, b3);
    br(f, b2, b3);
    merged = phi(f, b3, {{b1, a}, {b2, b}});
    ret = f.append(b3, Opcode::Return, {merged});
    f.recompute_preds();
  }

  void type_it() {
    for (auto& blk : f.blocks)
      for (Instr* i : blk->instrs)
        if (!i->is_terminator()) i->type = t_int64();
    cmp->type = t_bool();
    f.return_type = t_int64();
  }
};

}  // namespace

TEST(IR, BuildByHand) {
  Max2 m;
  ASSERT_EQ(m.f.blocks.size(), 4u);
  EXPECT_EQ(m.f.entry(), m.b0);
  EXPECT_EQ(m.b0->terminator(), m.cond);
  EXPECT_EQ(m.b0->succs(), (std::vector<Block*>{m.b1, m.b2}));
  EXPECT_EQ(m.b3->preds, (std::vector<Block*>{m.b1, m.b2}));
  EXPECT_EQ(m.merged->parent, m.b3);
  EXPECT_EQ(m.b1->terminator()->blocks, (std::vector<Block*>{m.b3}));
  // Value ids are allocated in creation order, block ids in new_block order.
  EXPECT_EQ(m.a->id, 0);
  EXPECT_EQ(m.b->id, 1);
  EXPECT_EQ(m.cmp->id, 2);
  EXPECT_EQ(m.b3->id, 3);
  EXPECT_TRUE(is_terminator(Opcode::CondBr));
  EXPECT_FALSE(is_terminator(Opcode::Phi));
  EXPECT_STREQ(opcode_name(Opcode::BinOp), "binop");
}

TEST(IR, InsertBeforeTerminatorAndReplaceAllUses) {
  Max2 m;
  Instr* one = m.f.create(Opcode::Const);
  one->cval = c_int(1);
  m.f.insert_before_terminator(m.b1, one);
  ASSERT_EQ(m.b1->instrs.size(), 2u);
  EXPECT_EQ(m.b1->instrs[0], one);
  EXPECT_EQ(one->parent, m.b1);
  m.f.replace_all_uses(m.a, one);
  EXPECT_EQ(m.merged->operand(0), one);
  EXPECT_EQ(m.cmp->operand(0), one);
  // bb1 does not dominate the compare: the verifier says so.
  expect_compile_error([&] { verify_function(m.f, "test", false); }, ErrorKind::Internal, {"operand %8 does not dominate this use"});
}

TEST(IRPrinter, GoldenText) {
  Max2 m;
  EXPECT_EQ(print_function(m.f),
            "function max2(%0, %1) {\n"
            "bb0:\n"
            "  %0 = arg 0\n"
            "  %1 = arg 1\n"
            "  %2 = cmp > %0, %1\n"
            "  condbr %2, bb1, bb2\n"
            "bb1 (preds bb0):\n"
            "  br bb3\n"
            "bb2 (preds bb0):\n"
            "  br bb3\n"
            "bb3 (preds bb1 bb2):\n"
            "  %6 = phi [bb1: %0], [bb2: %1]\n"
            "  return %6\n"
            "}\n");
}

TEST(IRPrinter, GoldenTypedText) {
  Max2 m;
  m.type_it();
  Instr* two = m.f.create(Opcode::Const);
  two->cval = c_int(2);
  two->type = t_int64();
  m.f.insert_before(m.ret, two);
  Instr* sum = m.f.create(Opcode::BinOp, {m.merged, two});
  sum->binop = BinOpKind::Add;
  sum->inplace = true;
  sum->type = t_int64();
  m.f.insert_before(m.ret, sum);
  m.ret->operands[0] = sum;
  EXPECT_EQ(print_function(m.f),
            "function max2(%0 : int64, %1 : int64) -> int64 {\n"
            "bb0:\n"
            "  %0 : int64 = arg 0\n"
            "  %1 : int64 = arg 1\n"
            "  %2 : bool = cmp > %0, %1\n"
            "  condbr %2, bb1, bb2\n"
            "bb1 (preds bb0):\n"
            "  br bb3\n"
            "bb2 (preds bb0):\n"
            "  br bb3\n"
            "bb3 (preds bb1 bb2):\n"
            "  %6 : int64 = phi [bb1: %0], [bb2: %1]\n"
            "  %8 : int64 = const 2\n"
            "  %9 : int64 = binop += %6, %8\n"
            "  return %9\n"
            "}\n");
  EXPECT_NO_THROW(verify_function(m.f, "test", true));
}

TEST(IRPrinter, InstrForms) {
  Function f("forms", nullptr);
  Block* b = f.new_block();
  Instr* a = arg(f, 0);
  Instr* attr = f.append(b, Opcode::GetAttr, {a});
  attr->attr = "shape";
  EXPECT_EQ(print_instr(*attr), "%1 = getattr .shape %0");
  Instr* t = f.append(b, Opcode::TupleGet, {attr});
  t->tuple_index = 0;
  EXPECT_EQ(print_instr(*t), "%2 = tuple_get [0] %1");
  Instr* s = f.append(b, Opcode::SetItem, {a, t, t});
  EXPECT_EQ(print_instr(*s), "setitem %0, %2, %2");
  Instr* r = f.append(b, Opcode::Raise);
  r->error_code = 2;
  r->message = "division by zero";
  EXPECT_EQ(print_instr(*r), "raise 2 'division by zero'");
}

TEST(IRVerifier, AcceptsWellFormedFunction) {
  Max2 m;
  EXPECT_NO_THROW(verify_function(m.f, "test", false));
  m.type_it();
  EXPECT_NO_THROW(verify_function(m.f, "test", true));
}

TEST(IRVerifier, RejectsBlockWithoutTerminator) {
  Max2 m;
  m.b3->instrs.pop_back();  // drop the return
  std::string msg = expect_compile_error([&] { verify_function(m.f, "my_pass", false); },
                                         ErrorKind::Internal, {"bb3 has no terminator", "my_pass"});
}

TEST(IRVerifier, RejectsPhiMissingAPredecessor) {
  Max2 m;
  m.merged->operands.pop_back();
  m.merged->blocks.pop_back();
  expect_compile_error([&] { verify_function(m.f, "my_pass", false); }, ErrorKind::Internal,
                       {"phi does not cover every predecessor", "my_pass"});
}

TEST(IRVerifier, RejectsPhiNamingANonPredecessor) {
  Max2 m;
  m.merged->blocks[1] = m.b0;  // bb0 does not branch to bb3
  expect_compile_error([&] { verify_function(m.f, "my_pass", false); }, ErrorKind::Internal,
                       {"not a predecessor"});
}

TEST(IRVerifier, RejectsOperandFromAnotherFunction) {
  Max2 m;
  Function other("other", nullptr);
  Block* ob = other.new_block();
  Instr* foreign = constant(other, ob, 7);
  m.cmp->operands[1] = foreign;
  expect_compile_error([&] { verify_function(m.f, "my_pass", false); }, ErrorKind::Internal,
                       {"operand not defined in this function"});
}

TEST(IRVerifier, RejectsOperandNotInAnyBlock) {
  Max2 m;
  Instr* detached = m.f.create(Opcode::Const);  // created, never inserted
  detached->cval = c_int(1);
  m.ret->operands[0] = detached;
  expect_compile_error([&] { verify_function(m.f, "my_pass", false); }, ErrorKind::Internal,
                       {"operand not defined in this function"});
}

TEST(IRVerifier, RejectsTerminatorInMidBlock) {
  Max2 m;
  // bb1: br bb3; return %0 -- the block ends in a terminator, but has one before it too.
  m.f.append(m.b1, Opcode::Return, {m.a});
  expect_compile_error([&] { verify_function(m.f, "my_pass", false); }, ErrorKind::Internal,
                       {"terminator in mid-block"});
}

TEST(IRVerifier, RejectsMissingTypeWhenTyped) {
  Max2 m;
  m.type_it();
  m.merged->type = nullptr;
  EXPECT_NO_THROW(verify_function(m.f, "my_pass", false));
  std::string msg = expect_compile_error([&] { verify_function(m.f, "my_pass", true); },
                                         ErrorKind::Internal, {"has no type"});
  // The message points at the offending instruction.
  EXPECT_NE(msg.find("at: %6 = phi"), std::string::npos) << msg;
}

TEST(IRVerifier, RejectsPhiAfterNonPhi) {
  Max2 m;
  // bb3: const; phi; return -- a phi after a non-phi instruction.
  Instr* c = m.f.create(Opcode::Const);
  c->cval = c_int(0);
  m.f.insert_before(m.merged, c);
  ASSERT_EQ(m.b3->instrs.front(), c);
  expect_compile_error([&] { verify_function(m.f, "my_pass", false); }, ErrorKind::Internal,
                       {"phi after a non-phi"});
}

TEST(IRFunction, RemoveUnreachableBlocks) {
  Max2 m;
  // bb4 is unreachable but branches into bb3, whose phi gets an incoming from it.
  Block* dead = m.f.new_block();
  Instr* seven = constant(m.f, dead, 7);
  br(m.f, dead, m.b3);
  m.merged->blocks.push_back(dead);
  m.merged->operands.push_back(seven);
  m.f.recompute_preds();
  ASSERT_EQ(m.b3->preds.size(), 3u);
  EXPECT_NO_THROW(verify_function(m.f, "before", false));

  m.f.remove_unreachable_blocks();
  ASSERT_EQ(m.f.blocks.size(), 4u);
  for (auto& b : m.f.blocks) EXPECT_NE(b->id, 4);
  EXPECT_EQ(m.b3->preds, (std::vector<Block*>{m.b1, m.b2}));
  EXPECT_EQ(m.merged->blocks, (std::vector<Block*>{m.b1, m.b2}));
  EXPECT_EQ(m.merged->operands, (std::vector<Instr*>{m.a, m.b}));
  EXPECT_NO_THROW(verify_function(m.f, "after", false));
}

TEST(IRFunction, RemoveUnreachableKeepsReachableOnes) {
  Max2 m;
  m.f.remove_unreachable_blocks();
  EXPECT_EQ(m.f.blocks.size(), 4u);
  // Make bb2 unreachable: the condbr becomes br bb1.
  m.b0->instrs.back() = m.f.create(Opcode::Br);
  m.b0->instrs.back()->parent = m.b0;
  m.b0->instrs.back()->blocks = {m.b1};
  m.f.remove_unreachable_blocks();
  ASSERT_EQ(m.f.blocks.size(), 3u);
  EXPECT_EQ(m.merged->blocks, (std::vector<Block*>{m.b1}));
  EXPECT_EQ(m.b3->preds, (std::vector<Block*>{m.b1}));
  EXPECT_NO_THROW(verify_function(m.f, "after", false));
}

TEST(IRFunction, SortBlocksReversePostorder) {
  // Created out of order: entry(bb0) -> header(bb3) -> body(bb2) -> header; header -> exit(bb1).
  Function f("loop", nullptr);
  Block* entry = f.new_block();
  Block* exit = f.new_block();
  Block* body = f.new_block();
  Block* header = f.new_block();
  Instr* n = arg(f, 0);
  Instr* zero = constant(f, entry, 0);
  br(f, entry, header);
  Instr* i = f.append(header, Opcode::Phi);
  Instr* lt = f.append(header, Opcode::Compare, {i, n});
  lt->cmp = CmpKind::Lt;
  Instr* cb = f.append(header, Opcode::CondBr, {lt});
  cb->blocks = {body, exit};
  Instr* one = constant(f, body, 1);
  Instr* next = f.append(body, Opcode::BinOp, {i, one});
  next->binop = BinOpKind::Add;
  br(f, body, header);
  i->blocks = {entry, body};
  i->operands = {zero, next};
  f.append(exit, Opcode::Return, {i});
  f.recompute_preds();
  EXPECT_NO_THROW(verify_function(f, "before", false));

  f.sort_blocks_rpo();
  std::vector<int> order;
  for (auto& b : f.blocks) order.push_back(b->id);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0], 0);  // entry stays first
  EXPECT_EQ(order[1], 3);  // then the header
  // body and exit both follow the header; every block after its forward predecessors.
  auto pos = [&](Block* b) {
    return std::find(order.begin(), order.end(), b->id) - order.begin();
  };
  EXPECT_LT(pos(header), pos(body));
  EXPECT_LT(pos(header), pos(exit));
  EXPECT_NO_THROW(verify_function(f, "after", false));
  // The printed text follows the new order.
  std::string text = print_function(f);
  EXPECT_LT(text.find("bb3 (preds"), text.find("bb2 (preds"));
  EXPECT_LT(text.find("bb3 (preds"), text.find("bb1 (preds"));
}

TEST(IRFunction, SortBlocksRpoPutsDefinitionsBeforeUses) {
  // A chain created backwards: bb0 -> bb3 -> bb2 -> bb1.
  Function f("chain", nullptr);
  Block* b0 = f.new_block();
  Block* b1 = f.new_block();
  Block* b2 = f.new_block();
  Block* b3 = f.new_block();
  Instr* c = constant(f, b0, 1);
  br(f, b0, b3);
  br(f, b3, b2);
  br(f, b2, b1);
  f.append(b1, Opcode::Return, {c});
  f.recompute_preds();
  f.sort_blocks_rpo();
  std::vector<Block*> order;
  for (auto& b : f.blocks) order.push_back(b.get());
  EXPECT_EQ(order, (std::vector<Block*>{b0, b3, b2, b1}));
}

// A block no path reaches (a pass made it dead and has not cleaned up yet) must not escape
// as std::out_of_range: either it is ordered last, or the precondition is an InternalError.
TEST(IRFunction, SortBlocksRpoWithUnreachableBlock) {
  Function f("dead", nullptr);
  Block* b0 = f.new_block();
  Block* dead = f.new_block();
  Block* b2 = f.new_block();
  br(f, b0, b2);
  br(f, dead, b2);
  f.append(b2, Opcode::Return, {constant(f, b2, 1)});
  f.recompute_preds();
  try {
    f.sort_blocks_rpo();
    ASSERT_EQ(f.blocks.size(), 3u);
    EXPECT_EQ(f.blocks[0].get(), b0);
    EXPECT_EQ(f.blocks[1].get(), b2);
    EXPECT_EQ(f.blocks[2].get(), dead);
  } catch (const CompileError& e) {
    EXPECT_EQ(int(e.kind()), int(ErrorKind::Internal)) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "sort_blocks_rpo threw " << typeid(e).name() << ": " << e.what();
  }
}
