#include "runtime/host_id.h"

#include <cstdint>
#include <cstdio>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__linux__)
#include <sys/auxv.h>
#endif

namespace dn {

namespace {

// FNV-1a, 64 bit, twice with different offsets: an identifier, not a security boundary.
std::string hex_digest(const std::vector<uint32_t>& words) {
  uint64_t h1 = 1469598103934665603ull, h2 = 0x84222325cbf29ce4ull;
  for (uint32_t w : words) {
    for (int b = 0; b < 4; ++b) {
      uint8_t byte = uint8_t(w >> (8 * b));
      h1 = (h1 ^ byte) * 1099511628211ull;
      h2 = (h2 ^ byte) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
    }
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
  return buf;
}

}  // namespace

std::string host_cpu_id() {
  std::vector<uint32_t> words;
#if defined(__x86_64__) || defined(__i386__)
  unsigned a, b, c, d;
  auto leaf = [&](unsigned l, unsigned sub) {
    __cpuid_count(l, sub, a, b, c, d);
    words.insert(words.end(), {l, sub, a, b, c, d});
  };
  unsigned max_leaf = __get_cpuid_max(0, nullptr);
  leaf(0, 0);  // vendor
  if (max_leaf >= 1) {
    __cpuid_count(1, 0, a, b, c, d);
    // eax: family/model/stepping; ebx bits 24-31 are the APIC id of the running core.
    words.insert(words.end(), {1u, 0u, a, b & 0x00ffffffu, c & ~(1u << 27), d});
  }
  if (max_leaf >= 7) {
    leaf(7, 0);
    leaf(7, 1);
  }
  if (max_leaf >= 0xd) leaf(0xd, 1);
  unsigned max_ext = __get_cpuid_max(0x80000000u, nullptr);
  if (max_ext >= 0x80000001u) leaf(0x80000001u, 0);
  // Register state the OS saves (AVX, AVX-512 usable?), as LLVM's host detection reads it.
  __cpuid_count(1, 0, a, b, c, d);
  if (c & (1u << 27)) {  // OSXSAVE
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    words.insert(words.end(), {lo, hi});
  }
#elif defined(__linux__)
  unsigned long hw = getauxval(AT_HWCAP);
  words.insert(words.end(), {uint32_t(hw), uint32_t(hw >> 32)});
#ifdef AT_HWCAP2
  unsigned long hw2 = getauxval(AT_HWCAP2);
  words.insert(words.end(), {uint32_t(hw2), uint32_t(hw2 >> 32)});
#endif
#endif
  return hex_digest(words);
}

}  // namespace dn
