// The per-thread error record that compiled code fills before returning a non-zero status.
#include <cstring>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/errors.h"
#include "runtime/text.h"

namespace {

// Exceptions caught by compiled try/except, kept for a later re-raise (RERAISE, a bare
// `raise`, `finally`): the most recent kCaughtKept of this thread.
constexpr uint64_t kCaughtKept = 64;
struct CaughtError {
  uint64_t serial = 0;
  int32_t code = DN_OK;
  std::string message;
  const char* static_message = nullptr;
  bool repr = false;
};

// One thread_local for all of it: in a library opened by dlopen each thread_local costs a
// lookup (__tls_get_addr), and a raise that a try catches should cost a few stores.
struct ErrorRecord {
  int32_t code = DN_OK;
  std::string message;
  // The message when it is a constant of compiled code (dn_set_error_static): not copied.
  const char* static_message = nullptr;
  bool repr = false;
  std::vector<CaughtError> caught;  // on the heap: dlopen leaves little static TLS room
  uint64_t caught_serial = 0;

  const char* text() const { return static_message ? static_message : message.c_str(); }
  void clear() {
    code = DN_OK;
    message.clear();
    static_message = nullptr;
    repr = false;
  }
};
thread_local ErrorRecord g;

}  // namespace

dn_runtime::PendingError dn_runtime::take_error() {
  PendingError e{g.code, g.text(), g.repr};
  g.clear();
  return e;
}

void dn_runtime::restore_error(const PendingError& e) {
  if (e.code == DN_OK || g.code != DN_OK) return;
  g.code = e.code;
  g.message = e.message;
  g.static_message = nullptr;
  g.repr = e.repr;
}

extern "C" void dn_set_error(int32_t code, const char* message) {
  // The first error wins: callers unwinding after it must not overwrite the cause.
  if (g.code != DN_OK) return;
  g.code = code;
  g.message = message ? message : "";
  g.static_message = nullptr;
}

extern "C" void dn_set_error_static(int32_t code, const char* message) {
  if (g.code != DN_OK) return;
  g.code = code;
  g.static_message = message ? message : "";
}

extern "C" void dn_set_error_repr(int32_t code, const char* repr) {
  if (g.code != DN_OK) return;
  dn_set_error(code, repr);
  g.repr = true;
}

extern "C" int32_t dn_error_is_repr(void) { return g.repr ? 1 : 0; }

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
  int32_t code = g.code;
  if (message_out && capacity > 0) {
    const char* m = g.text();
    size_t n = std::min<size_t>(std::strlen(m), size_t(capacity - 1));
    std::memcpy(message_out, m, n);
    message_out[n] = 0;
  }
  g.clear();
  return code;
}

extern "C" int64_t dn_catch_error(int32_t status) {
  uint64_t serial = ++g.caught_serial;
  if (g.caught.empty()) g.caught.resize(kCaughtKept);
  CaughtError& c = g.caught[serial % kCaughtKept];
  c.serial = serial;
  c.code = g.code != DN_OK ? g.code : status;
  c.static_message = g.static_message;
  if (!g.static_message) c.message = std::move(g.message);
  c.repr = g.repr;
  g.clear();
  return int64_t(serial << 8) | int64_t(c.code & 0xff);
}

extern "C" int32_t dn_reraise_error(int64_t caught) {
  if (caught == 0) {
    dn_set_error_static(DN_RUNTIME_ERROR, "No active exception to reraise");
    return DN_RUNTIME_ERROR;
  }
  uint64_t serial = uint64_t(caught) >> 8;
  int32_t code = int32_t(caught & 0xff);
  g.code = DN_OK;
  if (!g.caught.empty() && g.caught[serial % kCaughtKept].serial == serial) {
    const CaughtError& c = g.caught[serial % kCaughtKept];
    if (c.static_message) dn_set_error_static(code, c.static_message);
    else dn_set_error(code, c.message.c_str());
    g.repr = c.repr;
  } else {
    dn_set_error(code, "(its message was lost: more than 64 exceptions were caught after it)");
  }
  return code;
}

namespace {

const char* exception_class_name(int32_t code) {
  switch (code) {
#define DN_CLASS_NAME(c, name) \
  case c: return #name;
    DN_EXCEPTION_CLASSES(DN_CLASS_NAME)
#undef DN_CLASS_NAME
    case DN_LINALG_ERROR: return "LinAlgError";
    default: return "RuntimeError";
  }
}

}  // namespace

extern "C" int32_t dn_exception_text(int64_t caught, int64_t as_repr, DnStr* out) {
  uint64_t serial = uint64_t(caught) >> 8;
  int32_t code = int32_t(caught & 0xff);
  std::string message;
  bool is_repr = false;
  if (serial && !g.caught.empty() && g.caught[serial % kCaughtKept].serial == serial) {
    const CaughtError& c = g.caught[serial % kCaughtKept];
    message = c.static_message ? c.static_message : c.message;
    is_repr = c.repr;
  }
  // The exception's one argument as Python writes it in repr(e) (and KeyError in str(e)).
  std::string argument = is_repr ? message : dn_runtime::str_repr(message);
  std::string text;
  if (as_repr) text = std::string(exception_class_name(code)) + "(" + (message.empty() && !is_repr ? "" : argument) + ")";
  else if (code == DN_KEY_ERROR && !message.empty()) text = argument;
  else text = message;
  return dn_runtime::str_from_utf8(text, out);
}
