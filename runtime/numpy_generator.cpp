// Draws of a np.random.Generator passed in from Python: NumPy's own distribution functions
// (random_normal, random_bounded_uint64, ...: the C functions that numpy.random._generator
// exports, registered here by the bindings before the first call that takes a Generator),
// called on the Generator's bitgen_t. The same functions on the same state give the numbers
// the Generator draws in Python, and leave its state where Python continues from. Which
// function draws, and in what order per element, is decided by the Python helpers
// (python/dunnart/numpy_generator.py), whose op numbers index the tables below.
#include <cstdint>
#include <cstring>

#include "runtime/abi.h"

namespace {

// Functions of bitgen_t* and 0 to 3 doubles returning a double ("_f": float32 ones, taking
// and returning float); the order is numpy_generator.py's _DOUBLE_DRAWS.
struct DoubleDraw {
  const char* name;
  int params;
  bool single;  // float instead of double
  void* fn = nullptr;
};

DoubleDraw double_draws[] = {
    {"random_standard_uniform", 0, false},    {"random_standard_normal", 0, false},
    {"random_standard_exponential", 0, false}, {"random_standard_cauchy", 0, false},
    {"random_normal", 2, false},              {"random_uniform", 2, false},
    {"random_exponential", 1, false},         {"random_standard_gamma", 1, false},
    {"random_gamma", 2, false},               {"random_beta", 2, false},
    {"random_chisquare", 1, false},           {"random_f", 2, false},
    {"random_standard_t", 1, false},          {"random_lognormal", 2, false},
    {"random_laplace", 2, false},             {"random_logistic", 2, false},
    {"random_gumbel", 2, false},              {"random_pareto", 1, false},
    {"random_weibull", 1, false},             {"random_power", 1, false},
    {"random_rayleigh", 1, false},            {"random_triangular", 3, false},
    {"random_wald", 2, false},                {"random_vonmises", 2, false},
    {"random_noncentral_chisquare", 2, false}, {"random_noncentral_f", 3, false},
    {"random_standard_uniform_f", 0, true},   {"random_standard_normal_f", 0, true},
    {"random_standard_exponential_f", 0, true}, {"random_standard_gamma_f", 1, true},
};

// The integer draws, each with its own parameters (numpy_generator.py's _INT_DRAWS).
enum IntDraw {
  kPoisson,           // (lam)
  kNegativeBinomial,  // (n, p): doubles
  kBinomial,          // (p; n)
  kGeometric,         // (p)
  kLogseries,         // (p)
  kZipf,              // (a)
  kHypergeometric,    // (; good, bad, sample)
  kInterval,          // (; max): uniform on [0, max] (shuffles)
  kBounded,           // (; off, rng): off + uniform on [0, rng] read unsigned (integers)
  kIntDraws
};
const char* const int_draw_names[kIntDraws] = {
    "random_poisson", "random_negative_binomial", "random_binomial", "random_geometric", "random_logseries",
    "random_zipf",    "random_hypergeometric",    "random_interval", "random_bounded_uint64"};
void* int_draws[kIntDraws] = {};

// The fills of a whole array, for the draws NumPy makes with them (numpy_generator.py's
// _FILLS): doubles of standard distributions, and integers (off + [0, rng], Lemire's).
const char* const fill_names[] = {"random_standard_uniform_fill", "random_standard_normal_fill",
                                  "random_standard_exponential_fill", "random_bounded_uint64_fill"};
constexpr int kFills = sizeof fill_names / sizeof fill_names[0];
void* fills[kFills] = {};

// random_binomial's cache of its setup for (n, p), distributions.h's binomial_t (as the
// Generator's own): one per thread, which random_binomial sets up again when its n or p
// differ; which cache holds the setup changes how often it runs, never a draw.
struct BinomialCache {
  int has_binomial;
  double psave;
  int64_t nsave;
  double r, q, fm;
  int64_t m;
  double p1, xm, xl, xr, c, laml, lamr, p2, p3, p4;
  double spare[8];  // room, should a NumPy grow the struct
};

template <class F>
F as(void* fn) {
  F f;
  std::memcpy(&f, &fn, sizeof f);
  return f;
}

}  // namespace

extern "C" const char* dn_generator_register(void* (*lookup)(const char* name, void* context), void* context) {
  for (auto& d : double_draws)
    if (!(d.fn = lookup(d.name, context))) return d.name;
  for (int k = 0; k < kIntDraws; ++k)
    if (!(int_draws[k] = lookup(int_draw_names[k], context))) return int_draw_names[k];
  for (int k = 0; k < kFills; ++k)
    if (!(fills[k] = lookup(fill_names[k], context))) return fill_names[k];
  return nullptr;
}

extern "C" double dn_generator_double(void* bitgen, int64_t op, double a, double b, double c) {
  const DoubleDraw& d = double_draws[op];
  if (d.single) {
    if (d.params == 0) return as<float (*)(void*)>(d.fn)(bitgen);
    return as<float (*)(void*, float)>(d.fn)(bitgen, float(a));
  }
  switch (d.params) {
    case 0: return as<double (*)(void*)>(d.fn)(bitgen);
    case 1: return as<double (*)(void*, double)>(d.fn)(bitgen, a);
    case 2: return as<double (*)(void*, double, double)>(d.fn)(bitgen, a, b);
    default: return as<double (*)(void*, double, double, double)>(d.fn)(bitgen, a, b, c);
  }
}

extern "C" int64_t dn_generator_int(void* bitgen, int64_t op, double x, double y, int64_t i, int64_t j, int64_t k) {
  void* fn = int_draws[op];
  switch (op) {
    case kNegativeBinomial: return as<int64_t (*)(void*, double, double)>(fn)(bitgen, x, y);
    case kBinomial: {
      static thread_local BinomialCache cache{};  // its setup, redone when (n, p) changes
      return as<int64_t (*)(void*, double, int64_t, BinomialCache*)>(fn)(bitgen, x, i, &cache);
    }
    case kHypergeometric: return as<int64_t (*)(void*, int64_t, int64_t, int64_t)>(fn)(bitgen, i, j, k);
    case kInterval: return int64_t(as<uint64_t (*)(void*, uint64_t)>(fn)(bitgen, uint64_t(i)));
    case kBounded:
      return int64_t(as<uint64_t (*)(void*, uint64_t, uint64_t, uint64_t, bool)>(fn)(bitgen, uint64_t(i),
                                                                                      uint64_t(j), 0, false));
    default: return as<int64_t (*)(void*, double)>(fn)(bitgen, x);  // poisson, geometric, logseries, zipf
  }
}

extern "C" void dn_generator_fill(void* bitgen, int64_t op, void* out, int64_t off, int64_t rng) {
  auto* header = static_cast<DnArrayHeader*>(out);
  int64_t count = dn_array_shape(out)[0];
  if (op == kFills - 1) {
    as<void (*)(void*, uint64_t, uint64_t, int64_t, bool, uint64_t*)>(fills[op])(
        bitgen, uint64_t(off), uint64_t(rng), count, false, reinterpret_cast<uint64_t*>(header->data));
    return;
  }
  as<void (*)(void*, int64_t, double*)>(fills[op])(bitgen, count, reinterpret_cast<double*>(header->data));
}
