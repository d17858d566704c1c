// Reads the IR's text form (printer.cpp) back into Functions, so that passes can be run and
// tested on text (dunnart-opt, tests/ir/) and dumps can be checked for lossless printing.
// Besides what the printer writes, the text may hold `;` comments, blank lines and the
// `---- stage: name ----` lines of DUNNART_DUMP. Parsed functions have no FunctionInfo.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

// A malformed input: what() is "line:col: message" followed by the line and a caret.
class IRParseError : public std::runtime_error {
 public:
  IRParseError(int line, int col, const std::string& message, const std::string& rendered)
      : std::runtime_error(rendered), line_(line), col_(col), message_(message) {}
  int line() const { return line_; }      // 1-based
  int column() const { return col_; }     // 1-based
  const std::string& message() const { return message_; }

 private:
  int line_, col_;
  std::string message_;
};

// Every function in `text`, in order. Throws IRParseError.
std::vector<std::unique_ptr<Function>> parse_functions(const std::string& text);
// The one function in `text`. Throws IRParseError (also when there are none or several).
std::unique_ptr<Function> parse_function(const std::string& text);

}  // namespace dn
