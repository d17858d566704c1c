// The per-thread error record that compiled code fills before returning a non-zero status.
#include <cstring>
#include <string>

#include "runtime/abi.h"

namespace {
thread_local int32_t g_code = DN_OK;
thread_local std::string g_message;
}  // namespace

extern "C" void dn_set_error(int32_t code, const char* message) {
  // The first error wins: callers unwinding after it must not overwrite the cause.
  if (g_code != DN_OK) return;
  g_code = code;
  g_message = message ? message : "";
}

extern "C" int32_t dn_take_error(char* message_out, int64_t capacity) {
  int32_t code = g_code;
  if (message_out && capacity > 0) {
    size_t n = std::min<size_t>(g_message.size(), size_t(capacity - 1));
    std::memcpy(message_out, g_message.data(), n);
    message_out[n] = 0;
  }
  g_code = DN_OK;
  g_message.clear();
  return code;
}
