// printf-style formatting, `"%5.2f and %s" % (x, name)`: the constant format str read
// while compiling into the f-string form the runtime formats (a text with "{}" holes and a
// Python format spec per hole), so that `%` and f-strings are one mechanism.
#pragma once

#include <string>
#include <vector>

#include "jit/types/type.h"

namespace dn {

struct PercentFormat {
  std::string text;                // literal braces doubled, a "{}" per value
  std::vector<std::string> specs;  // per value: "!s", "!r" first for a conversion
  std::vector<bool> truncate;      // per value: %d of a float takes int(x) first
  std::vector<bool> character;     // per value: %c of an int, the str of that code point
};

// `format % values` where `values` are the types of the right operand's elements (one
// value if it is not a tuple). Python's TypeErrors (a count that does not match, %x of a
// float) are TypeRuleErrors; what is not compiled (%(key)s, `*` widths) is refused.
PercentFormat percent_format(const std::string& format, const std::vector<const Type*>& values);

}  // namespace dn
