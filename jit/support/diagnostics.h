// Diagnostics: the errors the compiler reports to users (TypingError, UnsupportedError)
// and to developers (InternalError), with a source location rendered rustc-style, a caret
// under the offending expression, and a hint saying what to do instead.
#pragma once

#include <stdexcept>
#include <map>
#include <string>

namespace dn {

// The source of a function, for diagnostics: where it is, and its lines (FunctionInfo,
// jit/frontend, extends it).
struct SourceText {
  std::string filename, qualname;
  std::map<int, std::string> source_lines;  // line number -> text
};

// A position in the user's Python source (1-based lines, 0-based columns; -1 = unknown).
struct SourceLoc {
  int line = 0, end_line = 0;
  int col = -1, end_col = -1;
};

enum class ErrorKind {
  Typing,       // the code is Python dunnart supports, but its types do not work out
  Unsupported,  // a Python construct or function dunnart does not compile
  ArgumentType, // a call passed an argument of a type dunnart cannot take (TypeError)
  Internal,     // a broken invariant inside the compiler: a bug
};

class CompileError : public std::runtime_error {
 public:
  CompileError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// Formats "message\n  File "f.py", line N, in func\n    source\n    ^^^^\nhint: ..."
std::string render_diagnostic(const SourceText* info, const SourceLoc& loc,
                              const std::string& message, const std::string& hint = "");

// Throws a user-facing diagnostic.
[[noreturn]] void report(ErrorKind kind, const SourceText* info, const SourceLoc& loc,
                         const std::string& message, const std::string& hint = "");

[[noreturn]] void internal_error(const char* file, int line, const std::string& message);

}  // namespace dn

// Internal invariants: a failure is a compiler bug, reported as InternalError.
#define DN_CHECK(cond, msg)                                                     \
  do {                                                                          \
    if (!(cond)) ::dn::internal_error(__FILE__, __LINE__, std::string(msg));    \
  } while (0)
