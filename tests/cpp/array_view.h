// A 1-d array descriptor over a std::vector, laid out as runtime/abi.h says, for calling
// compiled entry points from C++ tests.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/abi.h"

namespace dn::test {

struct Array1d {
  DnMemInfo* meminfo = nullptr;
  void* parent = nullptr;
  char* data = nullptr;
  int64_t shape[1] = {0};
  int64_t strides[1] = {0};
};

template <class T>
Array1d view(std::vector<T>& v) {
  Array1d a;
  a.data = reinterpret_cast<char*>(v.data());
  a.shape[0] = int64_t(v.size());
  a.strides[0] = sizeof(T);
  return a;
}

}  // namespace dn::test
