// Pairwise combination of block sums for the blocked float reductions that codegen emits
// (jit/codegen/llvm/lower_reduce.cpp): a binary counter of partial sums, level k holding
// the sum of 2^k blocks, so n blocks are combined with O(log n) error growth like
// NumPy's pairwise summation.
#include "runtime/abi.h"

extern "C" void dn_pairwise_push(double* levels, int64_t* count, double block_sum) {
  int64_t c = *count;
  int k = 0;
  while (c & 1) {
    block_sum = levels[k] + block_sum;
    c >>= 1;
    ++k;
  }
  levels[k] = block_sum;
  *count += 1;
}

extern "C" double dn_pairwise_total(const double* levels, int64_t count) {
  double s = 0.0;
  for (int k = 0; k < 64; ++k)
    if ((count >> k) & 1) s += levels[k];
  return s;
}
