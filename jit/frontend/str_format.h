// str.format of a literal format, `"{} and {:.2f}".format(x, y)`: the format read while
// compiling into the f-string form (a text with "{}" holes, a Python format spec per hole),
// so that str.format, %-formatting and f-strings are one mechanism.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dn {

struct StrFormat {
  // The text around the fields (fields + 1 pieces, as written: braces not doubled), and per
  // field the argument it formats (the positional ones first, then the keywords in their
  // order), its conversion ("", "!s", "!r") and its spec.
  std::vector<std::string> literals{""};
  std::vector<size_t> arguments;
  std::vector<std::string> conversions, specs;
  // What Python raises for this format and these arguments (ValueError for "{", IndexError
  // for a field past the arguments, KeyError for a missing keyword): 0 when it formats.
  int32_t error_code = 0;
  std::string error_message;
  // What dunnart does not compile (a field's attribute or index, a nested field in a
  // spec, !a): empty when it does.
  std::string unsupported;
};

StrFormat parse_str_format(const std::string& format, size_t positional, const std::vector<std::string>& keywords);

}  // namespace dn
