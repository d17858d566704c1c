#include "jit/typing/percent_format.h"

#include <cctype>
#include <cstdio>
#include <cstring>

#include "jit/typing/resolve.h"
#include "jit/typing/string_rules.h"

namespace dn {

namespace {

bool is_integer(const Type* t) { return t->is_int() || t->is_bool(); }
bool is_real(const Type* t) { return is_integer(t) || t->is_float(); }

}  // namespace

PercentFormat percent_format(const std::string& f, const std::vector<const Type*>& values) {
  PercentFormat out;
  size_t used = 0;
  for (size_t k = 0; k < f.size(); ++k) {
    char c = f[k];
    if (c != '%') {
      out.text += c;
      if (c == '{' || c == '}') out.text += c;
      continue;
    }
    if (++k >= f.size()) rules::fail("incomplete format");
    if (f[k] == '%') {
      out.text += '%';
      continue;
    }
    if (f[k] == '(')
      rules::unsupported("%-formatting with a mapping (%(name)s)", "write an f-string: f\"{name}\"");
    bool minus = false, plus = false, space = false, alternate = false, zero = false;
    for (; k < f.size() && std::strchr("-+ #0", f[k]); ++k) {
      minus |= f[k] == '-', plus |= f[k] == '+', space |= f[k] == ' ';
      alternate |= f[k] == '#', zero |= f[k] == '0';
    }
    std::string width, precision;
    bool has_precision = false;
    for (; k < f.size() && std::isdigit(static_cast<unsigned char>(f[k])); ++k) width += f[k];
    if (k < f.size() && f[k] == '.') {
      has_precision = true;
      for (++k; k < f.size() && std::isdigit(static_cast<unsigned char>(f[k])); ++k) precision += f[k];
      if (precision.empty()) precision = "0";
    }
    if (k < f.size() && f[k] == '*') rules::unsupported("a '*' width or precision in %-formatting", "write the number into the format, or use an f-string");
    while (k < f.size() && (f[k] == 'h' || f[k] == 'l' || f[k] == 'L')) ++k;  // ignored, as Python does
    if (k >= f.size()) rules::fail("incomplete format");
    char type = f[k];
    if (!std::strchr("diuoxXeEfFgGcrsa", type)) {
      char code[16];
      std::snprintf(code, sizeof code, "0x%x", unsigned(static_cast<unsigned char>(type)));
      rules::fail(std::string("unsupported format character '") + type + "' (" + code + ") at index " + std::to_string(k));
    }
    if (used >= values.size()) rules::fail("not enough arguments for format string");
    const Type* v = values[used++];
    std::string spec;
    bool truncate = false, character = type == 'c';
    if (type == 's' || type == 'r') {
      // str() or repr() of the value, right-aligned in its width unless '-'.
      bool plain_str = type == 's' && is_str(v);
      if (has_precision && !plain_str)
        rules::unsupported("a precision on %s of a " + v->str(), "format it with str() first: \"%.3s\" % str(x)");
      spec = plain_str ? "" : type == 's' ? "!s" : "!r";
      if (!width.empty()) spec += minus ? "<" : ">";
      spec += width + (has_precision ? "." + precision : "");
    } else if (type == 'a') {
      rules::unsupported("%a in %-formatting", "use %r");
    } else {
      if (type == 'c' && !is_integer(v))
        rules::unsupported("%c of a " + v->str(), "pass the character's code (ord(c)), or use %s");
      bool integral = type == 'd' || type == 'i' || type == 'u';
      if ((type == 'o' || type == 'x' || type == 'X' || type == 'c') && !is_integer(v))
        rules::fail(std::string("%") + type + " format: an integer is required, not " + v->str());
      if (!is_real(v))
        rules::fail(std::string("%") + type + " format: a real number is required, not " + v->str());
      if (integral && has_precision)
        rules::unsupported("a precision on %d", "write the digits with %0Nd, or use an f-string");
      truncate = integral && v->is_float();
      if (character) {  // a str by then: padded as a str, right-aligned unless '-'
        spec = (width.empty() ? "" : minus ? "<" : ">") + width;
        out.text += "{}";
        out.specs.push_back(spec);
        out.truncate.push_back(false);
        out.character.push_back(true);
        continue;
      }
      if (minus) spec += "<";
      spec += plus ? "+" : space ? " " : "";
      if (alternate) spec += "#";
      if (zero && !minus) spec += "0";
      spec += width + (has_precision ? "." + precision : "");
      spec += integral ? 'd' : type;
    }
    out.text += "{}";
    out.specs.push_back(spec);
    out.truncate.push_back(truncate);
    out.character.push_back(false);
  }
  if (used < values.size()) rules::fail("not all arguments converted during string formatting");
  return out;
}

}  // namespace dn
