// The per-thread error record that compiled code fills before returning a non-zero status.
#include <cstring>
#include <string>
#include <vector>

#include "runtime/abi.h"

namespace {
thread_local int32_t g_code = DN_OK;
thread_local std::string g_message;
thread_local bool g_repr = false;

// Exceptions caught by compiled try/except, kept for a later re-raise (RERAISE, a bare
// `raise`, `finally`): the most recent kCaughtKept of this thread.
constexpr uint64_t kCaughtKept = 64;
struct CaughtError {
  uint64_t serial = 0;
  int32_t code = DN_OK;
  std::string message;
  bool repr = false;
};
// On the heap: a library opened by dlopen has little static TLS room.
thread_local std::vector<CaughtError> g_caught;
thread_local uint64_t g_caught_serial = 0;
}  // namespace

extern "C" void dn_set_error(int32_t code, const char* message) {
  // The first error wins: callers unwinding after it must not overwrite the cause.
  if (g_code != DN_OK) return;
  g_code = code;
  g_message = message ? message : "";
}

extern "C" void dn_set_error_repr(int32_t code, const char* repr) {
  if (g_code != DN_OK) return;
  dn_set_error(code, repr);
  g_repr = true;
}

extern "C" int32_t dn_error_is_repr(void) { return g_repr ? 1 : 0; }

extern "C" void dn_set_error_shapes(int32_t code, const char* message, const int64_t* shapes) {
  std::string text, msg = message ? message : "";
  int64_t count = shapes ? shapes[0] : 0;
  const int64_t* p = shapes ? shapes + 1 : nullptr;
  size_t pos = 0;
  for (int64_t k = 0; k < count; ++k) {
    std::string shape = "(";
    int64_t nd = *p++;
    for (int64_t d = 0; d < nd; ++d) shape += std::to_string(*p++) + (d + 1 < nd ? "," : "");
    shape += nd == 1 ? ",)" : ")";
    size_t hole = msg.find("{}", pos);
    if (hole == std::string::npos) break;
    text += msg.substr(pos, hole - pos) + shape;
    pos = hole + 2;
  }
  text += msg.substr(pos);
  dn_set_error(code, text.c_str());
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
  g_repr = false;
  return code;
}

extern "C" int64_t dn_catch_error(int32_t status) {
  uint64_t serial = ++g_caught_serial;
  if (g_caught.empty()) g_caught.resize(kCaughtKept);
  CaughtError& c = g_caught[serial % kCaughtKept];
  c.serial = serial;
  c.code = g_code != DN_OK ? g_code : status;
  c.message = std::move(g_message);
  c.repr = g_repr;
  g_code = DN_OK;
  g_message.clear();
  g_repr = false;
  return int64_t(serial << 8) | int64_t(c.code & 0xff);
}

extern "C" int32_t dn_reraise_error(int64_t caught) {
  uint64_t serial = uint64_t(caught) >> 8;
  int32_t code = int32_t(caught & 0xff);
  g_code = DN_OK;
  if (!g_caught.empty() && g_caught[serial % kCaughtKept].serial == serial) {
    const CaughtError& c = g_caught[serial % kCaughtKept];
    dn_set_error(code, c.message.c_str());
    g_repr = c.repr;
  } else {
    dn_set_error(code, "(its message was lost: more than 64 exceptions were caught after it)");
  }
  return code;
}
