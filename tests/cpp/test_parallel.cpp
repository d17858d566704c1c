// runtime/parallel: a loop's iterations split into contiguous blocks, one per thread, every
// iteration run exactly once; the thread count bounded by dn_max_threads; the first
// error a block raises reported once to the thread that started the loop; nested loops
// serial; memory a block allocated released when it ends.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "runtime/abi.h"

namespace {

struct Marks {
  std::vector<std::atomic<int>>* hits;
  std::vector<int64_t>* thread_of;
};

int32_t mark_range(void* context, int64_t lo, int64_t hi, int64_t block) {
  auto* m = static_cast<Marks*>(context);
  for (int64_t i = lo; i < hi; ++i) {
    (*m->hits)[size_t(i)]++;
    // The block's number is its thread's (-2 would show a mismatch).
    (*m->thread_of)[size_t(i)] = block == dn_get_thread_id() ? block : -2;
  }
  return 0;
}

class Parallel : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = dn_get_num_threads(); }
  void TearDown() override { ASSERT_EQ(dn_set_num_threads(saved_), 0); }
  int64_t saved_ = 1;
};

TEST_F(Parallel, EveryIterationOnceInContiguousBlocks) {
  for (int64_t threads : {int64_t(1), dn_max_threads()}) {
    ASSERT_EQ(dn_set_num_threads(threads), 0);
    for (int64_t n : {0, 1, 2, 3, 7, 1000, 100003}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      std::vector<int64_t> thread_of(size_t(n), -1);
      Marks m{&hits, &thread_of};
      int64_t blocks = -1;
      ASSERT_EQ(dn_parallel_for(mark_range, &m, n, &blocks), 0);
      EXPECT_EQ(blocks, std::min(threads, n));
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[size_t(i)].load(), 1) << "n=" << n << " i=" << i;
      // Blocks in thread order: the thread number never decreases along the loop.
      for (int64_t i = 0; i < n; ++i) ASSERT_GE(thread_of[size_t(i)], 0) << "block number is not the thread's";
      for (int64_t i = 1; i < n; ++i) ASSERT_LE(thread_of[size_t(i - 1)], thread_of[size_t(i)]);
      if (n > 0) EXPECT_LT(thread_of.back(), std::min(threads, n));
    }
  }
}

TEST_F(Parallel, ThreadCountIsBounded) {
  EXPECT_GE(dn_max_threads(), 1);
  EXPECT_EQ(dn_set_num_threads(0), DN_VALUE_ERROR);
  char message[256];
  EXPECT_EQ(dn_take_error(message, sizeof message), DN_VALUE_ERROR);
  EXPECT_NE(std::strstr(message, "between 1 and"), nullptr) << message;
  EXPECT_EQ(dn_set_num_threads(dn_max_threads() + 1), DN_VALUE_ERROR);
  dn_take_error(message, sizeof message);
  EXPECT_EQ(dn_set_num_threads(1), 0);
  EXPECT_EQ(dn_get_num_threads(), 1);
}

int32_t fail_from_7(void* context, int64_t lo, int64_t hi, int64_t) {
  auto* raised = static_cast<std::atomic<int>*>(context);
  for (int64_t i = lo; i < hi; ++i)
    if (i >= 7) {
      raised->fetch_add(1);
      dn_set_error(DN_INDEX_ERROR, ("index " + std::to_string(i)).c_str());
      return DN_INDEX_ERROR;
    }
  return 0;
}

TEST_F(Parallel, FirstErrorReachesTheCaller) {
  ASSERT_EQ(dn_set_num_threads(dn_max_threads()), 0);
  std::atomic<int> raised{0};
  int64_t blocks = 0;
  EXPECT_EQ(dn_parallel_for(fail_from_7, &raised, 1000, &blocks), DN_INDEX_ERROR);
  EXPECT_GE(raised.load(), 1);
  char message[64];
  EXPECT_EQ(dn_take_error(message, sizeof message), DN_INDEX_ERROR);
  EXPECT_EQ(std::strncmp(message, "index ", 6), 0) << message;
  EXPECT_EQ(dn_take_error(message, sizeof message), DN_OK);  // reported once
}

int32_t inner_loop(void* context, int64_t lo, int64_t hi, int64_t) {
  auto* count = static_cast<std::atomic<int64_t>*>(context);
  for (int64_t i = lo; i < hi; ++i) count->fetch_add(1);
  return 0;
}

int32_t outer_loop(void* context, int64_t lo, int64_t hi, int64_t) {
  for (int64_t i = lo; i < hi; ++i) {
    int64_t blocks = 0;
    if (int32_t s = dn_parallel_for(inner_loop, context, 10, &blocks)) return s;
    if (blocks != 1) return DN_VALUE_ERROR;  // one block: serial
  }
  return 0;
}

TEST_F(Parallel, NestedLoopsRunSerially) {
  ASSERT_EQ(dn_set_num_threads(dn_max_threads()), 0);
  std::atomic<int64_t> count{0};
  int64_t blocks = 0;
  EXPECT_EQ(dn_parallel_for(outer_loop, &count, 50, &blocks), 0);
  EXPECT_EQ(count.load(), 500);
}

int32_t allocate(void*, int64_t lo, int64_t hi, int64_t) {
  for (int64_t i = lo; i < hi; ++i) {
    int64_t shape[1] = {1000};
    char desc[sizeof(DnArrayHeader) + 2 * sizeof(int64_t)];
    if (int32_t s = dn_array_new(desc, 1, shape, 8, 0, 1)) return s;
  }
  return 0;
}

TEST_F(Parallel, BlocksReleaseWhatTheyAllocate) {
  int64_t before = dn_arena_mark();
  int64_t blocks = 0;
  EXPECT_EQ(dn_parallel_for(allocate, nullptr, 100, &blocks), 0);
  EXPECT_EQ(dn_arena_mark(), before);
}

// GNU OpenMP's team does not survive fork: a child of a process that used it runs its
// loops on threads of its own, and still splits them among several.
TEST_F(Parallel, ChildOfAForkRunsParallelLoops) {
  ASSERT_EQ(dn_set_num_threads(dn_max_threads()), 0);
  std::atomic<int64_t> count{0};
  int64_t blocks = 0;
  ASSERT_EQ(dn_parallel_for(inner_loop, &count, 100, &blocks), 0);  // the team exists now
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    alarm(20);  // a hang fails the test instead of stalling it
    std::vector<std::atomic<int>> hits(1000);
    std::vector<int64_t> thread_of(1000, -1);
    Marks m{&hits, &thread_of};
    int ok = dn_parallel_for(mark_range, &m, 1000, &blocks) == 0;
    for (auto& h : hits) ok &= h.load() == 1;
    ok &= thread_of.back() == std::min<int64_t>(dn_max_threads(), 1000) - 1;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child hung or crashed";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// Blocks that combine into shared memory take turns in block order; a block that raised
// before its turn releases the others (they see the loop fail) instead of leaving them
// waiting.
struct Turns {
  std::vector<int64_t> order;
  int64_t fail_block = -1;
  std::atomic<int> gave_up{0};
};

int32_t take_turn(void* context, int64_t, int64_t, int64_t block) {
  auto* t = static_cast<Turns*>(context);
  if (block == t->fail_block) {
    dn_set_error(DN_VALUE_ERROR, "block failed");
    return DN_VALUE_ERROR;
  }
  if (dn_parallel_wait_turn(block) != 0) {
    t->gave_up++;
    return 0;
  }
  t->order.push_back(block);  // safe: one block at a time
  dn_parallel_end_turn(block);
  return 0;
}

TEST_F(Parallel, BlocksTakeTurnsInOrder) {
  ASSERT_EQ(dn_set_num_threads(dn_max_threads()), 0);
  for (int rep = 0; rep < 20; ++rep) {
    Turns t;
    int64_t blocks = 0;
    ASSERT_EQ(dn_parallel_for(take_turn, &t, 1000, &blocks), 0);
    ASSERT_EQ(int64_t(t.order.size()), blocks);
    for (int64_t b = 0; b < blocks; ++b) EXPECT_EQ(t.order[size_t(b)], b);
  }
  EXPECT_EQ(dn_parallel_wait_turn(5), 0);  // outside a loop: at once
}

TEST_F(Parallel, AFailedBlockEndsTheWaiting) {
  ASSERT_EQ(dn_set_num_threads(dn_max_threads()), 0);
  if (dn_max_threads() < 2) GTEST_SKIP() << "one thread: no block waits for another";
  Turns t;
  t.fail_block = 0;
  int64_t blocks = 0;
  EXPECT_EQ(dn_parallel_for(take_turn, &t, 1000, &blocks), DN_VALUE_ERROR);
  EXPECT_EQ(t.gave_up.load(), blocks - 1);
  char message[64];
  EXPECT_EQ(dn_take_error(message, sizeof message), DN_VALUE_ERROR);
}

}  // namespace
