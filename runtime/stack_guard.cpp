// The stack check of compiled recursive functions: where the thread's stack ends, found
// once per thread, and a margin above it that a frame and the runtime calls it makes fit in.
#include <pthread.h>

#include <cstdint>

#include "runtime/abi.h"

namespace {

constexpr uintptr_t kMargin = uintptr_t(256) << 10;  // room for the frames that raise

// The lowest usable address of this thread's stack (stacks grow down) plus the margin;
// 1 when unknown. Found on the first check of each thread. Initial-exec TLS without a
// constructor: a load from the thread pointer, where a thread_local with an initialiser in a
// shared library costs a call of __tls_get_addr on every check of every recursive call.
__thread uintptr_t g_floor __attribute__((tls_model("initial-exec"))) = 0;

uintptr_t find_floor() {
  pthread_attr_t attr;
  void* base = nullptr;
  size_t size = 0;
  uintptr_t f = 1;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    if (pthread_attr_getstack(&attr, &base, &size) == 0) f = reinterpret_cast<uintptr_t>(base) + kMargin;
    pthread_attr_destroy(&attr);
  }
  return f;
}

}  // namespace

extern "C" int32_t dn_check_stack(const void* frame) {
  uintptr_t floor = g_floor;
  if (__builtin_expect(floor == 0, 0)) floor = g_floor = find_floor();
  if (reinterpret_cast<uintptr_t>(frame) < floor) {
    dn_set_error(DN_RECURSION_ERROR, "maximum recursion depth exceeded");
    return DN_RECURSION_ERROR;
  }
  return 0;
}
