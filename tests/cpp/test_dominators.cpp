// The dominator tree (Cooper-Harvey-Kennedy) on small CFGs: diamonds, loops, unreachable
// blocks, and the CFG of a real `while` loop with `continue` and `break`.
#include <gtest/gtest.h>

#include "jit/analysis/dominators.h"
#include "jit/frontend/build_ir.h"
#include "tests/cpp/cfg_builder.h"
#include "tests/cpp/loop_functions.h"

using namespace dn;
using namespace dn::test;

TEST(Dominators, Diamond) {
  auto f = cfg({{1, 2}, {3}, {3}, {}});
  DominatorTree d(*f);
  EXPECT_EQ(d.idom(block(*f, 0)), nullptr);
  EXPECT_EQ(d.idom(block(*f, 1)), block(*f, 0));
  EXPECT_EQ(d.idom(block(*f, 2)), block(*f, 0));
  EXPECT_EQ(d.idom(block(*f, 3)), block(*f, 0));
  EXPECT_TRUE(d.dominates(block(*f, 0), block(*f, 3)));
  EXPECT_TRUE(d.dominates(block(*f, 3), block(*f, 3)));
  EXPECT_FALSE(d.dominates(block(*f, 1), block(*f, 3)));
  EXPECT_FALSE(d.dominates(block(*f, 3), block(*f, 0)));
}

TEST(Dominators, LoopAndUnreachableBlock) {
  // bb0 -> bb1 <-> bb2, bb1 -> bb3; bb4 -> bb3 is unreachable.
  auto f = cfg({{1}, {2, 3}, {1}, {}, {3}});
  DominatorTree d(*f);
  EXPECT_EQ(d.idom(block(*f, 2)), block(*f, 1));
  EXPECT_EQ(d.idom(block(*f, 3)), block(*f, 1));
  EXPECT_TRUE(d.dominates(block(*f, 1), block(*f, 2)));
  EXPECT_FALSE(d.dominates(block(*f, 2), block(*f, 1)));
  EXPECT_EQ(d.idom(block(*f, 4)), nullptr);
  EXPECT_FALSE(d.dominates(block(*f, 0), block(*f, 4)));
  EXPECT_FALSE(d.dominates(block(*f, 4), block(*f, 3)));
}

TEST(Dominators, IrreducibleCycle) {
  // bb0 enters the cycle bb1 <-> bb2 at both blocks: neither dominates the other.
  auto f = cfg({{1, 2}, {2}, {1, 3}, {}});
  DominatorTree d(*f);
  EXPECT_EQ(d.idom(block(*f, 1)), block(*f, 0));
  EXPECT_EQ(d.idom(block(*f, 2)), block(*f, 0));
  EXPECT_EQ(d.idom(block(*f, 3)), block(*f, 2));
  EXPECT_FALSE(d.dominates(block(*f, 1), block(*f, 2)));
}

TEST(Dominators, EveryBlockOfARealLoopIsDominatedByTheEntry) {
  FunctionInfo info = while_break_info();
  auto f = build_ir(info);
  DominatorTree d(*f);
  for (auto& b : f->blocks) {
    EXPECT_TRUE(d.dominates(f->entry(), b.get())) << "bb" << b->id << "\n" << print_function(*f);
    // The idom chain reaches the entry, and every block on it dominates b.
    for (const Block* x = b.get(); x; x = d.idom(x)) EXPECT_TRUE(d.dominates(x, b.get()));
  }
}
