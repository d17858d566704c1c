// The stack check of compiled recursive functions: where the thread's stack ends, found
// once per thread, and a margin above it that a frame and the runtime calls it makes fit in.
#include <pthread.h>

#include <cstdint>

#include "runtime/abi.h"

namespace {

constexpr uintptr_t kMargin = uintptr_t(256) << 10;  // room for the frames that raise

// The lowest usable address of this thread's stack (stacks grow down), or 0 if unknown.
uintptr_t stack_floor() {
  thread_local uintptr_t floor = [] {
    pthread_attr_t attr;
    void* base = nullptr;
    size_t size = 0;
    uintptr_t f = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      if (pthread_attr_getstack(&attr, &base, &size) == 0) f = reinterpret_cast<uintptr_t>(base);
      pthread_attr_destroy(&attr);
    }
    return f;
  }();
  return floor;
}

}  // namespace

extern "C" int32_t dn_check_stack(const void* frame) {
  uintptr_t floor = stack_floor();
  if (floor && reinterpret_cast<uintptr_t>(frame) < floor + kMargin) {
    dn_set_error(DN_RECURSION_ERROR, "maximum recursion depth exceeded");
    return DN_RECURSION_ERROR;
  }
  return 0;
}
