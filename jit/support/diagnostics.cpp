#include "jit/support/diagnostics.h"


namespace dn {

std::string render_diagnostic(const SourceText* info, const SourceLoc& loc,
                              const std::string& message, const std::string& hint) {
  std::string out = message;
  if (info) {
    out += "\n  File \"" + info->filename + "\", line " + std::to_string(loc.line) + ", in " +
           info->qualname;
    auto it = info->source_lines.find(loc.line);
    if (it != info->source_lines.end()) {
      const std::string& src = it->second;
      out += "\n    " + src;
      if (loc.col >= 0 && loc.col < int(src.size())) {
        int end = (loc.end_line == loc.line && loc.end_col > loc.col) ? loc.end_col
                                                                      : int(src.size());
        out += "\n    " + std::string(loc.col, ' ') + std::string(end - loc.col, '^');
      }
    }
  } else if (loc.line > 0) {
    // IR from text (dunnart-opt) has locations but no source.
    out += "\n  at line " + std::to_string(loc.line) + (loc.col >= 0 ? ", column " + std::to_string(loc.col + 1) : "");
  }
  if (!hint.empty()) out += "\nhint: " + hint;
  return out;
}

void report(ErrorKind kind, const SourceText* info, const SourceLoc& loc,
            const std::string& message, const std::string& hint) {
  throw CompileError(kind, render_diagnostic(info, loc, message, hint));
}

void internal_error(const char* file, int line, const std::string& message) {
  throw CompileError(ErrorKind::Internal, std::string("internal compiler error at ") + file +
                                              ":" + std::to_string(line) + ": " + message +
                                              "\nPlease report this with the function that "
                                              "triggered it.");
}

}  // namespace dn
