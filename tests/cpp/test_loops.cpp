// The loop nest: natural loops on hand-made CFGs (self loops, several latches, nesting,
// irreducible cycles), and on the IR of real Python loops (tests/cpp/loop_functions.h):
// range loops with their induction variable, bounds and trip count, `while` with
// `continue` and `break`, early returns, and which loops independent_iterations accepts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "jit/analysis/loops.h"
#include "jit/analysis/verifier.h"
#include "jit/ir/parser.h"
#include "jit/transforms/lower_array_loops.h"
#include "jit/frontend/build_ir.h"
#include "jit/typing/infer.h"
#include "tests/cpp/cfg_builder.h"
#include "tests/cpp/loop_functions.h"

using namespace dn;
using namespace dn::test;

namespace {

// IR of a canned function; `info` must outlive it.
std::unique_ptr<Function> ir(const FunctionInfo& info) {
  return build_ir(info);
}

const Type* f64_1d() {
  return t_array(t_float64(), 1, Layout::C);
}

bool has_phi(const Block* b) {
  return !b->instrs.empty() && b->instrs[0]->op == Opcode::Phi;
}

}  // namespace

TEST(Loops, StraightLineCodeHasNone) {
  auto f = cfg({{1, 2}, {3}, {3}, {}});
  LoopNest nest(*f);
  EXPECT_TRUE(nest.loops().empty());
  EXPECT_TRUE(nest.reducible());
  EXPECT_EQ(nest.loop_of(block(*f, 1)), nullptr);
  EXPECT_EQ(nest.depth(block(*f, 1)), 0);
}

TEST(Loops, SelfLoop) {
  auto f = cfg({{1}, {1, 2}, {}});
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 1u);
  const Loop& l = *nest.loops()[0];
  EXPECT_EQ(l.header, block(*f, 1));
  EXPECT_EQ(l.latches, std::vector<Block*>{block(*f, 1)});
  EXPECT_EQ(l.blocks, std::vector<Block*>{block(*f, 1)});
  EXPECT_EQ(l.preheader, block(*f, 0));
  EXPECT_EQ(l.exits, std::vector<Block*>{block(*f, 2)});
  EXPECT_FALSE(l.range);
}

TEST(Loops, TwoLatchesMakeOneLoop) {
  // bb1 header; bb2 -> bb1 and bb3 -> bb1 (a `continue`); bb2 -> bb4 leaves.
  auto f = cfg({{1}, {2, 3}, {1, 4}, {1}, {}});
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 1u);
  const Loop& l = *nest.loops()[0];
  EXPECT_EQ(l.latches, (std::vector<Block*>{block(*f, 2), block(*f, 3)}));
  EXPECT_EQ(l.blocks, (std::vector<Block*>{block(*f, 1), block(*f, 2), block(*f, 3)}));
  EXPECT_EQ(l.exit_edges, (std::vector<std::pair<Block*, Block*>>{{block(*f, 2), block(*f, 4)}}));
}

TEST(Loops, NestingDepthAndInnermostLoop) {
  // bb1 outer header, bb2 inner header (a self loop), bb3 outer latch, then bb4 a second
  // outermost loop (a self loop): bb0 -> bb1 -> bb2 -> bb2|bb3; bb3 -> bb1|bb4 -> bb4|bb5.
  auto f = cfg({{1}, {2}, {2, 3}, {1, 4}, {4, 5}, {}});
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 3u);
  ASSERT_EQ(nest.top_level().size(), 2u);
  const Loop* outer = nest.top_level()[0];
  const Loop* after = nest.top_level()[1];
  EXPECT_EQ(outer->header, block(*f, 1));
  EXPECT_EQ(after->header, block(*f, 4));
  ASSERT_EQ(outer->children.size(), 1u);
  const Loop* inner = outer->children[0];
  EXPECT_EQ(inner->header, block(*f, 2));
  EXPECT_EQ(inner->parent, outer);
  EXPECT_EQ(inner->depth, 2);
  EXPECT_TRUE(outer->contains(inner));
  EXPECT_FALSE(inner->contains(block(*f, 3)));
  EXPECT_EQ(nest.loop_of(block(*f, 2)), inner);
  EXPECT_EQ(nest.loop_of(block(*f, 3)), outer);
  EXPECT_EQ(nest.depth(block(*f, 2)), 2);
  EXPECT_EQ(nest.depth(block(*f, 5)), 0);
  EXPECT_EQ(inner->preheader, block(*f, 1));  // in the outer loop, jumping only to bb2
  EXPECT_EQ(outer->preheader, block(*f, 0));
  EXPECT_EQ(after->preheader, nullptr);  // bb3 also jumps back to bb1
}

TEST(Loops, IrreducibleCycleIsNoLoop) {
  auto f = cfg({{1, 2}, {2}, {1, 3}, {}});
  LoopNest nest(*f);
  EXPECT_FALSE(nest.reducible());
  EXPECT_TRUE(nest.loops().empty());
}

TEST(Loops, UnreachableCycleIsIgnored) {
  auto f = cfg({{}, {2}, {1}});
  LoopNest nest(*f);
  EXPECT_TRUE(nest.loops().empty());
  EXPECT_TRUE(nest.reducible());
}

TEST(Loops, RangeTripCount) {
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(range_trip_count(0, 10, 1), 10u);
  EXPECT_EQ(range_trip_count(0, 10, 3), 4u);
  EXPECT_EQ(range_trip_count(10, 0, -3), 4u);
  EXPECT_EQ(range_trip_count(5, 5, 1), 0u);
  EXPECT_EQ(range_trip_count(5, 0, 1), 0u);
  EXPECT_EQ(range_trip_count(0, 5, -1), 0u);
  EXPECT_EQ(range_trip_count(lo, hi, 1), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(range_trip_count(lo, hi, int64_t(1) << 62), 4u);
  EXPECT_EQ(range_trip_count(hi, lo, lo), 2u);
  EXPECT_EQ(range_trip_count(hi, lo, -1), std::numeric_limits<uint64_t>::max());
}

TEST(Loops, RangeLoopOfAReduction) {
  FunctionInfo info = total_info();
  auto f = ir(info);
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 1u) << print_function(*f);
  const Loop& l = *nest.loops()[0];
  ASSERT_TRUE(l.range) << print_function(*f);
  const RangeLoop& r = *l.range;
  EXPECT_EQ(r.induction->op, Opcode::IterNext);
  EXPECT_EQ(r.induction->parent, r.body);
  EXPECT_EQ(r.iterator->op, Opcode::GetIter);
  EXPECT_EQ(r.start, nullptr);
  EXPECT_EQ(r.step, nullptr);
  EXPECT_EQ(r.stop->op, Opcode::GetItem);  // a.shape[0]
  EXPECT_FALSE(r.prange);
  EXPECT_EQ(r.constant_start, 0);
  EXPECT_EQ(r.constant_step, 1);
  EXPECT_FALSE(r.constant_stop);
  EXPECT_FALSE(r.trip_count);
  EXPECT_NE(l.preheader, nullptr);
  EXPECT_EQ(l.preheader, r.iterator->parent);
  EXPECT_EQ(l.exits, std::vector<Block*>{r.exit});
  EXPECT_TRUE(has_phi(l.header));           // s
  EXPECT_FALSE(independent_iterations(l));  // s += a[i] flows between iterations
}

TEST(Loops, NestedRangeLoops) {
  FunctionInfo info = nested_info();
  auto f = ir(info);
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 2u) << print_function(*f);
  const Loop* outer = nest.loops()[0].get();
  const Loop* inner = nest.loops()[1].get();
  EXPECT_EQ(nest.top_level(), std::vector<Loop*>{nest.loops()[0].get()});
  EXPECT_EQ(inner->parent, outer);
  EXPECT_EQ(inner->depth, 2);
  ASSERT_TRUE(outer->range && inner->range);
  EXPECT_TRUE(outer->contains(inner->range->iterator));  // range(a.shape[1]) is made per i
  EXPECT_FALSE(inner->contains(inner->range->iterator));
  for (Block* b : inner->blocks) EXPECT_TRUE(outer->contains(b));
  // a[i, j] = i + j: row i belongs to iteration i of the outer loop, column j to
  // iteration j of the inner one.
  EXPECT_TRUE(independent_iterations(*outer)) << print_function(*f);
  EXPECT_TRUE(independent_iterations(*inner));
}

TEST(Loops, WhileWithContinueAndBreak) {
  FunctionInfo info = while_break_info();
  auto f = ir(info);
  LoopNest nest(*f);
  EXPECT_TRUE(nest.reducible());
  // CPython 3.11 rotates the loop: `while k < n` is tested before the first iteration
  // (the outer header, which `continue` jumps back to) and again at the bottom of the body
  // (the latch of the inner loop). Two natural loops, nested.
  ASSERT_EQ(nest.loops().size(), 2u) << print_function(*f);
  for (auto& l : nest.loops()) {
    EXPECT_FALSE(l->range);
    EXPECT_FALSE(independent_iterations(*l));
    // The header dominates the loop: no block of the loop is entered from outside except
    // the header.
    for (Block* b : l->blocks)
      if (b != l->header)
        for (Block* p : b->preds)
          EXPECT_TRUE(l->contains(p)) << "bb" << b->id << "\n" << print_function(*f);
  }
  const Loop* outer = nest.top_level().at(0);
  ASSERT_EQ(outer->children.size(), 1u);
  const Loop* inner = outer->children[0];
  EXPECT_EQ(outer->header->succs()[0], inner->header);
  EXPECT_EQ(outer->latches.size(), 1u);  // the `continue`
  EXPECT_EQ(inner->latches.size(), 1u);  // the test at the bottom
  EXPECT_NE(outer->preheader, nullptr);
  EXPECT_EQ(inner->preheader, nullptr);  // the outer header also leaves the loop
  // Out of the outer loop: the first test, the `break`, the bottom test.
  EXPECT_EQ(outer->exit_edges.size(), 3u);
  // Out of the inner one: the `continue`, the `break`, the bottom test.
  EXPECT_EQ(inner->exit_edges.size(), 3u);
  // `break` and both tests lead to the block that returns s.
  Block* ret = nullptr;
  for (auto& b : f->blocks)
    if (b->terminator() && b->terminator()->op == Opcode::Return) ret = b.get();
  ASSERT_NE(ret, nullptr);
  EXPECT_FALSE(outer->contains(ret));
  EXPECT_NE(std::find(outer->exits.begin(), outer->exits.end(), ret), outer->exits.end());
}

TEST(Loops, EarlyReturnIsAnExit) {
  FunctionInfo info = find_info();
  auto f = ir(info);
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 1u);
  const Loop& l = *nest.loops()[0];
  ASSERT_TRUE(l.range);
  EXPECT_EQ(l.exit_edges.size(), 2u) << print_function(*f);
  EXPECT_EQ(l.exits.size(), 2u);
  for (Block* e : l.exits) EXPECT_FALSE(l.contains(e));
  EXPECT_FALSE(independent_iterations(l));
}

TEST(Loops, IndependentIterations) {
  struct Case {
    FunctionInfo (*info)();
    bool independent;
  } cases[] = {
      {scale_info, true},        // out[i] = a[i] * 2.0
      {shift_info, false},       // a[i] = a[i - 1] + 1.0
      {countdown_info, true},    // range(10, 0, -3): i >= 1
      {wraps_info, false},       // range(-2, 2): a[-1] may be a[1]
      {last_value_info, false},  // x = i * 2, read after the loop
  };
  for (auto& c : cases) {
    FunctionInfo info = c.info();
    auto f = ir(info);
    LoopNest nest(*f);
    ASSERT_EQ(nest.loops().size(), 1u) << info.name;
    EXPECT_EQ(independent_iterations(*nest.loops()[0]), c.independent) << info.name << "\n"
                                                                       << print_function(*f);
  }
}

TEST(Loops, ConstantBoundsAndPrange) {
  FunctionInfo info = countdown_info();
  auto f = ir(info);
  LoopNest nest(*f);
  const RangeLoop& r = *nest.loops().at(0)->range;
  EXPECT_EQ(r.constant_start, 10);
  EXPECT_EQ(r.constant_stop, 0);
  EXPECT_EQ(r.constant_step, -3);
  EXPECT_EQ(r.trip_count, 4u);

  FunctionInfo pinfo = scale_info();
  auto p = ir(pinfo);
  EXPECT_TRUE(LoopNest(*p).loops().at(0)->range->prange);
}

TEST(Loops, TypedIrKeepsItsLoops) {
  FunctionInfo info = scale_info();
  auto f = ir(info);
  infer_types(*f, {f64_1d(), f64_1d()}, nullptr);
  LoopNest nest(*f);
  ASSERT_EQ(nest.loops().size(), 1u);
  const Loop& l = *nest.loops()[0];
  ASSERT_TRUE(l.range) << print_function(*f);
  EXPECT_TRUE(l.range->induction->type->is_int());
  EXPECT_TRUE(independent_iterations(l)) << print_function(*f);

  FunctionInfo tinfo = total_info();
  auto t = ir(tinfo);
  infer_types(*t, {f64_1d()}, nullptr);
  EXPECT_FALSE(independent_iterations(*LoopNest(*t).loops().at(0)));
}

// The counted loops lowered array code is made of: recognised with their counter and trip
// count, and independent exactly when the lowering marked them so.
TEST(Loops, CountedLoopOfLoweredArrayCode) {
  for (bool independent : {true, false}) {
    std::string text =
        "function f(%0 : array(float64, 1d, C)) -> none {\n"
        "bb0:\n"
        "  %0 : array(float64, 1d, C) = arg 0\n"
        "  %1 : int64 = array_dim %0 dim=0\n"
        "  %2 : ptr(float64) = array_data %0\n"
        "  %3 : int64 = const 0\n"
        "  %4 : bool = cmp > %1, %3\n"
        "  %5 : int64 = const 0\n"
        "  condbr %4, bb1, bb2\n"
        "bb1 (preds bb0 bb1):\n"
        "  %6 : int64 = phi [bb0: %5], [bb1: %10]" +
        std::string(independent ? " independent" : "") +
        "\n"
        "  %7 : ptr(float64) = ptr_offset %2, %6\n"
        "  %8 : float64 = load %7\n"
        "  store %7, %8\n"
        "  %9 : int64 = const 1\n"
        "  %10 : int64 = binop + %6, %9 no_wrap\n"
        "  %11 : bool = cmp < %10, %1\n"
        "  condbr %11, bb1, bb2\n"
        "bb2 (preds bb0 bb1):\n"
        "  %12 : none = const None\n"
        "  return %12\n"
        "}\n";
    auto f = parse_function(text);
    LoopNest nest(*f);
    ASSERT_EQ(nest.loops().size(), 1u);
    const Loop& l = *nest.loops()[0];
    ASSERT_TRUE(l.counted.has_value());
    EXPECT_EQ(l.counted->induction->id, 6);
    EXPECT_EQ(l.counted->trip_count->id, 1);
    EXPECT_EQ(l.counted->independent, independent);
    EXPECT_EQ(independent_iterations(l), independent);
  }
}

// lower_array_loops marks elementwise loops independent and reductions not.
TEST(Loops, LoweredElementwiseLoopsAreIndependentReductionsNot) {
  auto f = parse_function(
      "function g(%0 : array(float64, 1d, C)) -> Tuple(array(float64, 1d, C), float64) {\n"
      "bb0:\n"
      "  %0 : array(float64, 1d, C) = arg 0\n"
      "  %1 : float = const 2.0\n"
      "  %2 : array(float64, 1d, C) = binop * %0, %1\n"
      "  %3 : Module(numpy) = global module \"numpy\"\n"
      "  %4 : Function(numpy.sum) = getattr .sum %3\n"
      "  %5 : float64 = call Reduce %4, %0 func=\"sum\"\n"
      "  %6 : Tuple(array(float64, 1d, C), float64) = tuple %2, %5\n"
      "  return %6\n"
      "}\n");
  lower_array_loops(*f);
  verify_function(*f, "lower_array_loops", true);
  LoopNest nest(*f);
  int independent = 0, dependent = 0;
  for (auto& l : nest.loops()) {
    ASSERT_TRUE(l->counted.has_value()) << print_function(*f);
    (independent_iterations(*l) ? independent : dependent)++;
  }
  EXPECT_EQ(independent, 2);  // a * 2.0: the flat loop and the strided one
  EXPECT_GT(dependent, 0);    // the sum's blocks
}
