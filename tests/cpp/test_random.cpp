// runtime/random.cpp: np.random's legacy MT19937 and its draws, against the generator's
// published reference outputs and the properties the Python helpers rely on.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <thread>

#include "runtime/abi.h"

namespace {

// The 32-bit words behind dn_random_bounded(2**32 - 1), a raw MT19937 output each.
uint32_t next_word() { return uint32_t(dn_random_bounded(0xffffffffLL)); }

TEST(LegacyRandom, SeedingMatchesTheReferenceGenerator) {
  dn_random_seed(5489);  // MT19937's reference seed: its 1st and 10000th outputs are published
  EXPECT_EQ(next_word(), 3499211612u);
  for (int k = 1; k < 9999; ++k) next_word();
  EXPECT_EQ(next_word(), 4123659995u);
}

TEST(LegacyRandom, DoublesUseTwoWords) {
  dn_random_seed(42);
  uint32_t a = next_word() >> 5, b = next_word() >> 6;
  dn_random_seed(42);
  EXPECT_EQ(dn_random_double(), (a * 67108864.0 + b) / 9007199254740992.0);
}

TEST(LegacyRandom, GaussKeepsTheSecondOfEachPair) {
  dn_random_seed(7);
  double first = dn_random_gauss();
  double next_word_double = dn_random_double();
  dn_random_seed(7);
  EXPECT_EQ(dn_random_gauss(), first);
  dn_random_gauss();  // the kept one: no words drawn
  EXPECT_EQ(dn_random_double(), next_word_double);
  dn_random_seed(7);
  dn_random_gauss();
  dn_random_seed(7);  // reseeding forgets the kept normal
  EXPECT_EQ(dn_random_gauss(), first);
}

TEST(LegacyRandom, BoundedDrawsStayInRangeAndCoverIt) {
  dn_random_seed(1);
  std::set<int64_t> seen;
  for (int k = 0; k < 2000; ++k) {
    int64_t v = dn_random_bounded(9);
    ASSERT_GE(v, 0);
    ASSERT_LE(v, 9);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(dn_random_bounded(0), 0);
  for (int k = 0; k < 100; ++k) ASSERT_LE(uint64_t(dn_random_bounded((1LL << 40) + 3)), (1ULL << 40) + 3);
}

TEST(LegacyRandom, EachThreadHasItsOwnState) {
  dn_random_seed(3);
  double main_first = dn_random_double();
  double other_first = 0;
  std::thread t([&] {
    dn_random_seed(3);
    other_first = dn_random_double();
  });
  t.join();
  dn_random_seed(3);
  EXPECT_EQ(other_first, main_first);  // seeded alike, drawn alike: not one shared state
  EXPECT_EQ(dn_random_double(), main_first);
}

}  // namespace
