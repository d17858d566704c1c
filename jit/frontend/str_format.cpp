#include "jit/frontend/str_format.h"

#include <cctype>

#include "runtime/abi.h"

namespace dn {

namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

// Python's MarkupIterator (Objects/stringlib/unicode_format.h), for the fields dunnart
// formats: auto-numbered, numbered and keyword fields, with a conversion and a spec.
StrFormat parse_str_format(const std::string& f, size_t positional, const std::vector<std::string>& keywords) {
  StrFormat out;
  auto fail = [&](int32_t code, const std::string& message) {
    out.error_code = code;
    out.error_message = message;
    return out;
  };
  enum { kNone, kAuto, kManual } numbering = kNone;
  size_t next_auto = 0;
  for (size_t i = 0; i < f.size();) {
    char c = f[i];
    if (c == '}') {
      if (i + 1 < f.size() && f[i + 1] == '}') {
        out.literals.back() += '}';
        i += 2;
        continue;
      }
      return fail(DN_VALUE_ERROR, "Single '}' encountered in format string");
    }
    if (c != '{') {
      out.literals.back() += c;
      ++i;
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '{') {
      out.literals.back() += '{';
      i += 2;
      continue;
    }
    // The field runs to its matching '}' (a spec may nest fields: refused below).
    size_t j = i + 1;
    int depth = 1;
    while (j < f.size() && depth > 0) {
      if (f[j] == '{') ++depth;
      else if (f[j] == '}') --depth;
      ++j;
    }
    if (depth > 0) return fail(DN_VALUE_ERROR, i + 1 == f.size() ? "Single '{' encountered in format string"
                                                                  : "expected '}' before end of string");
    std::string field = f.substr(i + 1, j - 1 - (i + 1));
    i = j;
    size_t name_end = field.find_first_of("!:");
    std::string name = field.substr(0, name_end);
    std::string conversion, spec;
    if (name_end != std::string::npos && field[name_end] == '!') {
      if (name_end + 1 >= field.size())
        return fail(DN_VALUE_ERROR, "end of string while looking for conversion specifier");
      char k = field[name_end + 1];
      if (name_end + 2 < field.size() && field[name_end + 2] != ':')
        return fail(DN_VALUE_ERROR, "expected ':' after conversion specifier");
      if (k == 'a') {
        out.unsupported = "the !a conversion in str.format";
        return out;
      }
      if (k != 's' && k != 'r')
        return fail(DN_VALUE_ERROR, std::string("Unknown conversion specifier ") + k);
      conversion = std::string("!") + k;
      if (name_end + 2 < field.size()) spec = field.substr(name_end + 3);
    } else if (name_end != std::string::npos) {
      spec = field.substr(name_end + 1);
    }
    if (spec.find('{') != std::string::npos) {
      out.unsupported = "a replacement field inside a format spec in str.format";
      return out;
    }
    if (name.find_first_of(".[") != std::string::npos) {
      out.unsupported = "an attribute or index in a str.format field ('" + name + "')";
      return out;
    }
    size_t argument;
    if (name.empty() || all_digits(name)) {
      if (name.empty()) {
        if (numbering == kManual)
          return fail(DN_VALUE_ERROR, "cannot switch from manual field specification to automatic field numbering");
        numbering = kAuto;
        argument = next_auto++;
      } else {
        if (numbering == kAuto)
          return fail(DN_VALUE_ERROR, "cannot switch from automatic field numbering to manual field specification");
        numbering = kManual;
        argument = std::stoul(name);
      }
      if (argument >= positional)
        return fail(DN_INDEX_ERROR, "Replacement index " + std::to_string(argument) +
                                        " out of range for positional args tuple");
    } else {
      size_t k = 0;
      while (k < keywords.size() && keywords[k] != name) ++k;
      if (k == keywords.size()) return fail(DN_KEY_ERROR, name);  // KeyError('name')
      argument = positional + k;
    }
    out.arguments.push_back(argument);
    out.conversions.push_back(conversion);
    out.specs.push_back(spec);
    out.literals.emplace_back();
  }
  return out;
}

}  // namespace dn
