// Liveness of SSA values per block, with phi operands live on their incoming edges only,
// and the inputs and outputs of regions (loop bodies) that outlining and lifting need.
#include <gtest/gtest.h>

#include <algorithm>

#include "jit/analysis/liveness.h"
#include "jit/analysis/loops.h"
#include "jit/frontend/build_ir.h"
#include "tests/cpp/loop_functions.h"

using namespace dn;
using namespace dn::test;

namespace {

using Values = std::vector<Instr*>;

// def count(a):
//     p = 0
//     while p < a: p = p + 1
//     return p
//   bb0: a = arg 0; c = const 0; br bb1
//   bb1: p = phi [bb0: c], [bb2: n]; t = p < a; condbr t, bb2, bb3
//   bb2: one = const 1; n = p + one; br bb1
//   bb3: return p
struct Count {
  Function f{"count", nullptr};
  Block *b0 = f.new_block(), *b1 = f.new_block(), *b2 = f.new_block(), *b3 = f.new_block();
  Instr *a, *c, *p, *t, *one, *n;

  Count() {
    a = f.append(b0, Opcode::Arg);
    f.args.push_back(a);
    c = f.append(b0, Opcode::Const);
    f.append(b0, Opcode::Br)->blocks = {b1};
    p = f.append(b1, Opcode::Phi);
    t = f.append(b1, Opcode::Compare, {p, a});
    f.append(b1, Opcode::CondBr, {t})->blocks = {b2, b3};
    one = f.append(b2, Opcode::Const);
    n = f.append(b2, Opcode::BinOp, {p, one});
    f.append(b2, Opcode::Br)->blocks = {b1};
    p->operands = {c, n};
    p->blocks = {b0, b2};
    f.append(b3, Opcode::Return, {p});
    f.recompute_preds();
  }
};

// Every use is covered: a non-phi use of a value from another block is live into the
// user's block; a phi operand is live out of the block it comes from; a phi is never live
// into its own block.
void expect_consistent(const Function& f, const Liveness& live) {
  for (auto& b : f.blocks)
    for (Instr* i : b->instrs) {
      if (i->op == Opcode::Phi) {
        EXPECT_FALSE(live.is_live_in(i, b.get())) << print_instr(*i);
        for (size_t k = 0; k < i->operands.size(); ++k)
          EXPECT_TRUE(live.is_live_out(i->operands[k], i->blocks[k])) << print_instr(*i);
        continue;
      }
      for (Instr* o : i->operands)
        if (o->parent != b.get()) EXPECT_TRUE(live.is_live_in(o, b.get())) << print_instr(*i);
    }
}

}  // namespace

TEST(Liveness, PhiOperandsAreLiveOnTheirEdgesOnly) {
  Count k;
  Liveness live(k.f);
  EXPECT_EQ(live.live_in(k.b0), Values{});
  EXPECT_EQ(live.live_out(k.b0), (Values{k.a, k.c}));
  EXPECT_EQ(live.live_in(k.b1), Values{k.a});  // not p (defined on the edges), not c or n
  EXPECT_EQ(live.live_out(k.b1), (Values{k.a, k.p}));
  EXPECT_EQ(live.live_in(k.b2), (Values{k.a, k.p}));
  EXPECT_EQ(live.live_out(k.b2), (Values{k.a, k.n}));
  EXPECT_EQ(live.live_in(k.b3), Values{k.p});
  EXPECT_EQ(live.live_out(k.b3), Values{});
  EXPECT_TRUE(live.is_live_out(k.c, k.b0));
  EXPECT_FALSE(live.is_live_in(k.c, k.b1));
  expect_consistent(k.f, live);
}

TEST(Liveness, RegionInputsAndOutputs) {
  Count k;
  // The loop {bb1, bb2}: it reads a and the initial c, and leaves p to bb3.
  EXPECT_EQ(region_inputs(k.f, {k.b1, k.b2}), (Values{k.a, k.c}));
  EXPECT_EQ(region_outputs(k.f, {k.b1, k.b2}), Values{k.p});
  // The body alone: p comes in, n goes out (to the header's phi).
  EXPECT_EQ(region_inputs(k.f, {k.b2}), Values{k.p});
  EXPECT_EQ(region_outputs(k.f, {k.b2}), Values{k.n});
}

TEST(Liveness, UnreachableBlocksHaveNoLiveValues) {
  Count k;
  Block* dead = k.f.new_block();
  k.f.append(dead, Opcode::Return, {k.a});
  Liveness live(k.f);
  EXPECT_EQ(live.live_in(dead), Values{});
  EXPECT_FALSE(live.is_live_out(k.a, k.b3));  // the dead block's use does not count
}

TEST(Liveness, RealLoops) {
  for (FunctionInfo (*make)() :
       {nested_info, while_break_info, find_info, total_info, last_value_info}) {
    FunctionInfo info = make();
    auto f = build_ir(info);
    Liveness live(*f);
    SCOPED_TRACE(info.name + "\n" + print_function(*f));
    expect_consistent(*f, live);
    // Nothing is live into the entry: arguments are defined there.
    EXPECT_EQ(live.live_in(f->entry()), Values{});
  }
}

TEST(Liveness, LoopBodyOfAReduction) {
  FunctionInfo info = total_info();
  auto f = build_ir(info);
  LoopNest nest(*f);
  const Loop& l = *nest.loops().at(0);
  Values in = region_inputs(*f, l.blocks), out = region_outputs(*f, l.blocks);
  SCOPED_TRACE(print_function(*f));
  // The loop reads the array, its iterator and s's first value; s leaves it.
  EXPECT_NE(std::find(in.begin(), in.end(), f->args[0]), in.end());
  EXPECT_NE(std::find(in.begin(), in.end(), l.range->iterator), in.end());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->op, Opcode::Phi);
  EXPECT_EQ(out[0]->parent, l.header);
  for (Instr* v : in) EXPECT_FALSE(l.contains(v));
  // What the loop needs is live into its header (the header's own phis aside).
  Liveness live(*f);
  for (Instr* v : in)
    if (v->op != Opcode::Const)
      EXPECT_TRUE(live.is_live_in(v, l.header) || v->parent == l.preheader);
}

TEST(Liveness, EarlyReturnReadsTheInductionVariableAfterTheLoop) {
  FunctionInfo info = find_info();
  auto f = build_ir(info);
  const Loop& l = *LoopNest(*f).loops().at(0);
  Values out = region_outputs(*f, l.blocks);
  EXPECT_EQ(out, Values{l.range->induction}) << print_function(*f);  // return i
}
