// Inside the runtime: Python's slice of a sequence of n items (PySlice_AdjustIndices), for
// the slices lists and strs make.
#pragma once

#include <cstdint>

#include "runtime/abi.h"

namespace dn_runtime {

// The first index, step and count of items[bounds[0]:bounds[1]:bounds[2]] (INT64_MIN: a
// missing bound, the end the step walks from or to); false (ValueError recorded) for a
// zero step.
inline bool slice_items(const int64_t* bounds, int64_t n, int64_t* start_out, int64_t* step_out, int64_t* count_out) {
  int64_t start = bounds[0], stop = bounds[1], step = bounds[2];
  if (step == 0) {
    dn_set_error(DN_VALUE_ERROR, "slice step cannot be zero");
    return false;
  }
  auto adjust = [&](int64_t v, int64_t missing) {
    if (v == INT64_MIN) return missing;
    if (v < 0) {
      v += n;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= n) {
      v = step < 0 ? n - 1 : n;
    }
    return v;
  };
  start = adjust(start, step < 0 ? n - 1 : 0);
  stop = adjust(stop, step < 0 ? -1 : n);
  int64_t count = 0;
  if (step > 0 && start < stop) count = (stop - start - 1) / step + 1;
  if (step < 0 && stop < start) count = (start - stop - 1) / (-step) + 1;
  *start_out = start;
  *step_out = step;
  *count_out = count;
  return true;
}

}  // namespace dn_runtime
