#include "jit/analysis/verifier.h"
#include "jit/driver/round_trip.h"

#include <cstdlib>
#include <string>

#include "jit/ir/parser.h"
#include "jit/support/diagnostics.h"

namespace dn {

bool verify_round_trip_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("DUNNART_VERIFY_ROUNDTRIP");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

void check_round_trip(const Function& f, const char* stage, bool typed) {
  std::string text = print_function(f);
  std::string again;
  try {
    auto parsed = parse_function(text);
    verify_function(*parsed, std::string(stage) + " (parsed back)", typed);
    again = print_function(*parsed);
  } catch (const IRParseError& e) {
    internal_error(__FILE__, __LINE__,
                   "IR text after " + std::string(stage) + " does not parse: " + e.what() + "\n" + text);
  }
  if (again == text) return;
  size_t line = 1, k = 0;
  for (; k < text.size() && k < again.size() && text[k] == again[k]; ++k) line += text[k] == '\n';
  internal_error(__FILE__, __LINE__,
                 "IR text after " + std::string(stage) + " does not round-trip (first difference on line " +
                     std::to_string(line) + ")\n---- printed ----\n" + text + "---- parsed and printed again ----\n" +
                     again);
}

}  // namespace dn
