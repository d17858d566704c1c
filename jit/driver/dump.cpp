#include "jit/driver/dump.h"

#include <cstdio>

#include "jit/frontend/function_info.h"

namespace dn {

void StageDumps::text(const char* stage, const std::string& function,
                      const std::string& text) const {
  if (!wants(stage)) return;
  std::fprintf(stderr, "---- %s: %s ----\n%s\n", stage, function.c_str(), text.c_str());
}

void StageDumps::ir(const char* stage, const Function& f) const {
  if (!wants(stage)) return;  // printing costs more than the pass itself
  text(stage, f.info ? f.info->qualname : f.name, print_function(f));
}

void StageTimer::lap(const char* stage) {
  auto now = std::chrono::steady_clock::now();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-10s %7.2f ms\n", stage,
                std::chrono::duration<double, std::milli>(now - last_).count());
  text_ += buf;
  last_ = now;
}

double StageTimer::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace dn
