// np.random's legacy generator for compiled code: NumPy's RandomState (MT19937 and the
// polar method's saved second normal), one per thread, so that np.random.seed(s) followed
// by the same calls draws NumPy's own stream, bit for bit. The distributions are written
// in Python over these draws (python/dunnart/numpy_random.py), with NumPy's algorithms.
// A thread that never seeds starts from the operating system's entropy, and so does every
// thread of a forked child: processes and threads draw independent streams (as Numba's).
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>

#include <pthread.h>

#include "runtime/abi.h"

namespace {

constexpr int kWords = 624;  // MT19937's state

struct LegacyRandom {
  uint32_t key[kWords];
  int pos = kWords;
  bool has_gauss = false;
  double gauss = 0.0;

  void seed(uint32_t s) {
    for (int k = 0; k < kWords; ++k) {
      key[k] = s;
      s = 1812433253u * (s ^ (s >> 30)) + uint32_t(k + 1);
    }
    pos = kWords;
    has_gauss = false;
    gauss = 0.0;
  }

  void regenerate() {
    constexpr uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kMatrix = 0x9908b0dfu;
    auto twist = [&](int k, int next, int far) {
      uint32_t y = (key[k] & kUpper) | (key[next] & kLower);
      key[k] = key[far] ^ (y >> 1) ^ (-(y & 1u) & kMatrix);
    };
    int k = 0;
    for (; k < kWords - 397; ++k) twist(k, k + 1, k + 397);
    for (; k < kWords - 1; ++k) twist(k, k + 1, k + 397 - kWords);
    twist(kWords - 1, 0, 396);
    pos = 0;
  }

  uint32_t next32() {
    if (pos == kWords) regenerate();
    uint32_t y = key[pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  }
  uint64_t next64() {
    uint64_t high = next32();
    return high << 32 | next32();
  }
  // 53 random bits in [0, 1): 27 from one word, 26 from the next.
  double next_double() {
    int32_t a = int32_t(next32() >> 5), b = int32_t(next32() >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
};

// Initial-exec TLS holding a pointer: a load from the thread pointer on every draw (a
// thread_local object in this dlopen'ed library would cost a __tls_get_addr call).
__thread LegacyRandom* t_random __attribute__((tls_model("initial-exec"))) = nullptr;

void seed_from_entropy(LegacyRandom& s) { s.seed(uint32_t(std::random_device{}())); }

LegacyRandom& fresh_state() {
  static thread_local std::unique_ptr<LegacyRandom> owner;  // freed when the thread ends
  if (!owner) owner = std::make_unique<LegacyRandom>();
  t_random = owner.get();
  return *owner;
}

LegacyRandom& state() {
  if (LegacyRandom* s = t_random) [[likely]]
    return *s;
  LegacyRandom& s = fresh_state();
  seed_from_entropy(s);
  return s;
}

// A forked child has one thread, the one that forked: its state is reseeded, and the
// states of the others are gone with them.
void reseed_in_child() {
  if (t_random) seed_from_entropy(*t_random);
}
const int g_fork_handler = pthread_atfork(nullptr, nullptr, reseed_in_child);

// The smallest all-ones mask covering max (> 0).
uint64_t mask_of(uint64_t max) { return ~uint64_t(0) >> __builtin_clzll(max); }

}  // namespace

extern "C" void dn_random_seed(int64_t seed) {
  (void)g_fork_handler;
  LegacyRandom& s = t_random ? *t_random : fresh_state();
  if (seed >= 0) s.seed(uint32_t(seed));
  else seed_from_entropy(s);
}

extern "C" double dn_random_double(void) { return state().next_double(); }

extern "C" double dn_random_gauss(void) {
  LegacyRandom& s = state();
  if (s.has_gauss) {
    s.has_gauss = false;
    return s.gauss;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * s.next_double() - 1.0;
    x2 = 2.0 * s.next_double() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = std::sqrt(-2.0 * std::log(r2) / r2);
  s.gauss = f * x1;
  s.has_gauss = true;
  return f * x2;
}

// A draw in [0, rng], rng read as unsigned, by masked rejection: 32-bit words while rng
// fits in one. RandomState's randint (of int64) and shuffle both draw so.
extern "C" int64_t dn_random_bounded(int64_t range) {
  uint64_t rng = uint64_t(range);
  if (rng == 0) return 0;
  LegacyRandom& s = state();
  uint64_t mask = mask_of(rng), v;
  if (rng <= 0xffffffffu) {
    do v = s.next32() & mask;
    while (v > rng);
  } else {
    do v = s.next64() & mask;
    while (v > rng);
  }
  return int64_t(v);
}
