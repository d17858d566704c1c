// Python's str() and format() of numbers, for the messages of exceptions that compiled
// code raises with values in them (raise ValueError(f"got {x:.3f}")): repr's shortest
// float digits and its choice of notation, and the format-spec mini-language
// ([[fill]align][sign][z][#][0][width][grouping][.precision][type]).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "runtime/abi.h"
#include "runtime/format.h"
#include "runtime/text.h"

namespace {

struct Spec {
  char fill = ' ', align = 0, sign = '-', type = 0, grouping = 0;
  bool alt = false, zero = false, z = false;
  int width = 0, precision = -1;
  bool ok = true;
};

Spec parse_spec(const std::string& s) {
  Spec p;
  size_t k = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (s.size() >= 2 && is_align(s[1])) {
    p.fill = s[0];
    p.align = s[1];
    k = 2;
  } else if (!s.empty() && is_align(s[0])) {
    p.align = s[0];
    k = 1;
  }
  if (k < s.size() && (s[k] == '+' || s[k] == '-' || s[k] == ' ')) p.sign = s[k++];
  if (k < s.size() && s[k] == 'z') p.z = true, ++k;
  if (k < s.size() && s[k] == '#') p.alt = true, ++k;
  if (k < s.size() && s[k] == '0') {
    p.zero = true;
    ++k;
  }
  while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) p.width = p.width * 10 + (s[k++] - '0');
  if (k < s.size() && (s[k] == ',' || s[k] == '_')) p.grouping = s[k++];
  if (k < s.size() && s[k] == '.') {
    ++k;
    p.precision = 0;
    if (k >= s.size() || !std::isdigit(static_cast<unsigned char>(s[k]))) p.ok = false;
    while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) p.precision = p.precision * 10 + (s[k++] - '0');
  }
  if (k < s.size()) p.type = s[k++];
  if (k != s.size()) p.ok = false;
  return p;
}

// Digit groups of the integer part of `digits` (which may have a fraction or exponent).
std::string group(const std::string& digits, char sep, int every) {
  if (!sep) return digits;
  size_t end = digits.find_first_not_of("0123456789abcdefABCDEF");
  if (end == std::string::npos) end = digits.size();
  std::string head = digits.substr(0, end), out;
  for (size_t k = 0; k < head.size(); ++k) {
    if (k && (head.size() - k) % size_t(every) == 0) out += sep;
    out += head[k];
  }
  return out + digits.substr(end);
}

// Sign, padding and alignment of a formatted number (`body` without its sign).
std::string pad_number(bool negative, const std::string& prefix, const std::string& body, const Spec& p) {
  std::string sign = negative ? "-" : p.sign == '+' ? "+" : p.sign == ' ' ? " " : "";
  char align = p.align ? p.align : p.zero ? '=' : '>';
  char fill = p.align ? p.fill : p.zero ? '0' : ' ';
  std::string all = sign + prefix + body;
  int room = p.width - int(all.size());
  if (room <= 0) return all;
  std::string f(size_t(room), fill);
  switch (align) {
    case '<': return all + f;
    case '^': return std::string(size_t(room / 2), fill) + all + std::string(size_t(room - room / 2), fill);
    case '=': return sign + prefix + f + body;
    default: return f + all;
  }
}

std::string pad_text(const std::string& text, const Spec& p) {
  std::string t = p.precision >= 0 && size_t(p.precision) < text.size() ? text.substr(0, size_t(p.precision)) : text;
  int room = p.width - int(t.size());
  if (room <= 0) return t;
  std::string f(size_t(room), p.fill);
  if (p.align == '>') return f + t;
  if (p.align == '^') return std::string(size_t(room / 2), p.fill) + t + std::string(size_t(room - room / 2), p.fill);
  return t + f;
}

// repr(x): the shortest digits that read back as x, fixed notation for exponents in
// [-4, 16), scientific otherwise, ".0" on integral values.
template <typename F>
std::string float_repr(F x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  bool negative = s[0] == '-';
  if (negative) s = s.substr(1);
  size_t e = s.find('e');
  int exponent = std::atoi(s.c_str() + e + 1);
  std::string digits = s.substr(0, 1) + (e > 2 ? s.substr(2, e - 2) : "");
  std::string out;
  if (exponent < -4 || exponent >= 16) {
    out = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "") + "e" + (exponent < 0 ? "-" : "+") +
          (std::abs(exponent) < 10 ? "0" : "") + std::to_string(std::abs(exponent));
  } else if (exponent < 0) {
    out = "0." + std::string(size_t(-exponent - 1), '0') + digits;
  } else {
    if (digits.size() <= size_t(exponent) + 1) digits += std::string(size_t(exponent) + 1 - digits.size(), '0');
    std::string frac = digits.substr(size_t(exponent) + 1);
    out = digits.substr(0, size_t(exponent) + 1) + "." + (frac.empty() ? "0" : frac);
  }
  return (negative ? "-" : "") + out;
}

std::string printf_float(const char* conversion, int precision, double v) {
  char fmt[16];
  std::snprintf(fmt, sizeof fmt, "%%.%d%s", precision, conversion);
  int n = std::snprintf(nullptr, 0, fmt, v);
  std::string s(size_t(n) + 1, '\0');
  std::snprintf(s.data(), s.size(), fmt, v);
  s.resize(size_t(n));
  return s;
}

std::string format_float(double v, bool single, const Spec& p) {
  if (!p.type && p.precision < 0 && !p.width && p.sign == '-' && !p.grouping)
    return single ? float_repr(float(v)) : float_repr(v);
  bool negative = std::signbit(v) && !(p.z && v == 0.0);
  double a = std::fabs(v);
  std::string body;
  if (std::isnan(a) || std::isinf(a)) {
    body = std::isnan(a) ? "nan" : "inf";
    if (p.type && std::isupper(static_cast<unsigned char>(p.type))) body = std::isnan(a) ? "NAN" : "INF";
    if (p.type == '%') body += "%";
    return pad_number(negative, "", body, p);
  }
  switch (p.type) {
    case 'f': case 'F': body = printf_float("f", p.precision < 0 ? 6 : p.precision, a); break;
    case 'e': case 'E': body = printf_float(p.type == 'e' ? "e" : "E", p.precision < 0 ? 6 : p.precision, a); break;
    case '%': body = printf_float("f", p.precision < 0 ? 6 : p.precision, a * 100) + "%"; break;
    case 'g': case 'G': body = printf_float(p.type == 'g' ? "g" : "G", p.precision < 0 ? 6 : std::max(p.precision, 1), a); break;
    case 0:
      if (p.precision < 0) {
        body = single ? float_repr(float(a)) : float_repr(a);
      } else {
        // Like 'g', with a digit after the point when the notation is fixed.
        body = printf_float("g", std::max(p.precision, 1), a);
        if (body.find_first_of(".e") == std::string::npos) body += ".0";
      }
      break;
    default: return "";
  }
  if (p.alt && body.find('.') == std::string::npos && p.type != 'g' && p.type != 'G') {
    size_t e = body.find_first_of("eE%");
    body.insert(e == std::string::npos ? body.size() : e, ".");
  }
  return pad_number(negative, "", group(body, p.grouping, 3), p);
}

// The first n code points of UTF-8 text.
std::string first_code_points(const std::string& text, int n) {
  size_t at = 0;
  for (int k = 0; at < text.size() && k < n; ++k)
    do ++at; while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80);
  return text.substr(0, at);
}

std::string format_int(int64_t v, bool is_unsigned, const Spec& p) {
  bool negative = !is_unsigned && v < 0;
  uint64_t m = is_unsigned ? uint64_t(v) : negative ? uint64_t(0) - uint64_t(v) : uint64_t(v);
  if (p.type && std::strchr("eEfFgG%", p.type)) return format_float(is_unsigned ? double(uint64_t(v)) : double(v), false, p);
  int base = 10;
  std::string prefix;
  switch (p.type) {
    case 'x': case 'X': base = 16; prefix = p.alt ? (p.type == 'x' ? "0x" : "0X") : ""; break;
    case 'o': base = 8; prefix = p.alt ? "0o" : ""; break;
    case 'b': base = 2; prefix = p.alt ? "0b" : ""; break;
    case 0: case 'd': case 'n': break;
    case 'c': {  // the character of that code point (an empty result reports a bad spec)
      if (negative || m > 0x10FFFF || p.sign == '+' || p.sign == ' ') return "";
      uint32_t c = uint32_t(m);
      std::string ch;
      if (c < 0x80) ch += char(c);
      else if (c < 0x800) ch += char(0xC0 | (c >> 6)), ch += char(0x80 | (c & 0x3F));
      else if (c < 0x10000) ch += char(0xE0 | (c >> 12)), ch += char(0x80 | ((c >> 6) & 0x3F)), ch += char(0x80 | (c & 0x3F));
      else
        ch += char(0xF0 | (c >> 18)), ch += char(0x80 | ((c >> 12) & 0x3F)), ch += char(0x80 | ((c >> 6) & 0x3F)),
            ch += char(0x80 | (c & 0x3F));
      return pad_number(false, "", ch, p);
    }
    default: return "";
  }
  char buf[80];
  auto r = std::to_chars(buf, buf + sizeof buf, m, base);
  std::string body(buf, r.ptr);
  if (p.type == 'X')
    for (char& c : body) c = char(std::toupper(static_cast<unsigned char>(c)));
  return pad_number(negative, prefix, group(body, p.grouping, base == 10 ? 3 : 4), p);
}

}  // namespace

// A str's text in UTF-8, and its repr as Python writes it.
std::string dn_runtime::utf8_of(const DnStr* s) {
  std::string out;
  for (int64_t k = 0; k < s->length; ++k) {
    uint32_t c = s->kind == 1 ? static_cast<const uint8_t*>(s->data)[k]
                 : s->kind == 2 ? static_cast<const uint16_t*>(s->data)[k]
                                : static_cast<const uint32_t*>(s->data)[k];
    if (c < 0x80) {
      out += char(c);
    } else if (c < 0x800) {
      out += char(0xC0 | (c >> 6)), out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += char(0xE0 | (c >> 12)), out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
    } else {
      out += char(0xF0 | (c >> 18)), out += char(0x80 | ((c >> 12) & 0x3F));
      out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string dn_runtime::str_repr(const std::string& s) {
  char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == q || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
      out += hex;
    } else out += c;
  }
  return out + q;
}

namespace {
DnArrayTextHook g_array_text = nullptr;

std::string array_text(const void* desc, int32_t dtype, int32_t ndim, bool repr) {
  DnStr text{};
  if (!g_array_text || g_array_text(desc, dtype, ndim, repr, &text) != 0) return "<array>";
  return dn_runtime::utf8_of(&text);
}
}  // namespace

extern "C" void dn_set_array_text_hook(DnArrayTextHook hook) { g_array_text = hook; }

std::string dn_runtime::format_values(const char* message, int64_t count, const int32_t* kinds, const int64_t* bits,
                                      const char* specs) {
  // specs: one per value, each ended by '\x1f'; "!r" etc. first for a conversion.
  std::string msg = message ? message : "", text, all = specs ? specs : "";
  size_t pos = 0, spec_at = 0;
  int64_t k = 0;
  while (pos < msg.size()) {
    if (msg.compare(pos, 2, "{{") == 0 || msg.compare(pos, 2, "}}") == 0) {
      text += msg[pos];
      pos += 2;
      continue;
    }
    if (msg.compare(pos, 2, "{}") != 0 || k >= count) {
      text += msg[pos++];
      continue;
    }
    size_t end = all.find('\x1f', spec_at);
    std::string spec = all.substr(spec_at, end - spec_at);
    spec_at = end == std::string::npos ? all.size() : end + 1;
    bool converted = spec.size() >= 2 && spec[0] == '!';
    std::string format = converted ? spec.substr(2) : spec;
    Spec p = parse_spec(format);
    double f;
    std::memcpy(&f, &bits[k], sizeof f);
    std::string value;
    Spec plain;
    switch (kinds[k] & 0xff) {
      case DN_FORMAT_INT: value = format_int(bits[k], false, converted ? plain : p); break;
      case DN_FORMAT_UINT: value = format_int(bits[k], true, converted ? plain : p); break;
      case DN_FORMAT_FLOAT64: value = format_float(f, false, converted ? plain : p); break;
      // str() of a float32 is its own shortest digits; format() widens it to a float first.
      case DN_FORMAT_FLOAT32: value = format_float(f, converted, converted ? plain : p); break;
      case DN_FORMAT_BOOL:
        if (!converted && p.type) value = format_int(bits[k], false, p);
        else value = bits[k] ? "True" : "False", converted = true;
        break;
      case DN_FORMAT_STR: {
        std::string text = dn_runtime::utf8_of(reinterpret_cast<const DnStr*>(bits[k]));
        if (converted && spec[1] == 'r') text = dn_runtime::str_repr(text);
        if (!converted && p.type && p.type != 's') p.ok = false;
        if (p.precision >= 0) text = first_code_points(text, p.precision);  // "{:.3}", "{!r:.3}"
        // Padding counts code points, not bytes.
        int points = 0;
        for (char c : text) points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        int room = p.width - points;
        char align = p.align ? p.align : '<';
        std::string fill_left, fill_right;
        if (room > 0) {
          std::string fill(size_t(room), p.align ? p.fill : ' ');
          if (align == '>') fill_left = fill;
          else if (align == '^') fill_left = fill.substr(0, size_t(room / 2)), fill_right = fill.substr(size_t(room / 2));
          else fill_right = fill;
        }
        value = fill_left + text + fill_right;
        converted = false;
        if (value.empty()) {  // an empty str formats as nothing, which is a value
          pos += 2;
          ++k;
          continue;
        }
        break;
      }
      // Complexes and arrays: their str (which for a complex is its repr), typing allows
      // no format spec on them.
      case DN_FORMAT_COMPLEX64:
      case DN_FORMAT_COMPLEX128:
        value = dn_runtime::python_repr(kinds[k] == DN_FORMAT_COMPLEX64 ? DN_COMPLEX64 : DN_COMPLEX128,
                                        reinterpret_cast<const void*>(bits[k]));
        converted = true;
        break;
      case DN_FORMAT_ARRAY:
        value = array_text(reinterpret_cast<const void*>(bits[k]), (kinds[k] >> 8) & 0xff, kinds[k] >> 16,
                           converted && spec[1] == 'r');
        converted = true;
        break;
      default: value = "?";
    }
    if (converted) {  // format(str(x), spec)
      Spec s = p;
      if (!s.align) s.align = '<';
      if (s.precision >= 0) value = first_code_points(value, s.precision);
      value = pad_text(value, s);
    }
    if (!p.ok || (value.empty() && kinds[k] != DN_FORMAT_STR)) value = "<bad format spec '" + format + "'>";
    text += value;
    pos += 2;
    ++k;
  }
  return text;
}

extern "C" void dn_set_error_values(int32_t code, const char* message, int64_t count, const int32_t* kinds,
                                    const int64_t* bits, const char* specs) {
  dn_set_error(code, dn_runtime::format_values(message, count, kinds, bits, specs).c_str());
}

namespace {
DnPrintWriter g_writer = nullptr;
}  // namespace

extern "C" void dn_set_print_writer(DnPrintWriter writer) { g_writer = writer; }

extern "C" int32_t dn_print_values(const char* message, int64_t count, const int32_t* kinds, const int64_t* bits,
                                   const char* specs) {
  std::string text = dn_runtime::format_values(message, count, kinds, bits, specs);
  if (g_writer) return g_writer(text.data(), int64_t(text.size()));
  std::fwrite(text.data(), 1, text.size(), stdout);  // no Python around (the C++ tests)
  return 0;
}

namespace {

// str(np.float32(x)): its own shortest digits, scientific from 1e6 on (NumPy's cutoff for
// float32, where Python's float switches at 1e16).
std::string float32_str(float x) {
  std::string s = float_repr(x);
  if (std::isfinite(x) && std::fabs(x) >= 1e6f) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    s.assign(buf, r.ptr);
  }
  return s;
}

// A part of complex's repr: repr of the float without the ".0" of integral values.
std::string complex_part(std::string s) {
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

template <typename F>
std::string complex_repr(F re, F im, bool single) {
  auto text = [single](F x) { return complex_part(single ? float32_str(float(x)) : float_repr(double(x))); };
  std::string imag = text(im);
  // CPython's complex_repr: a real part of +0.0 is left out, and so are the parentheses.
  if (re == 0 && !std::signbit(re)) return imag + "j";
  if (imag[0] != '-') imag = "+" + imag;
  return "(" + text(re) + imag + "j)";
}

}  // namespace

std::string dn_runtime::python_repr(int32_t dtype, const void* value) {
  auto load = [value](auto zero) {
    std::memcpy(&zero, value, sizeof zero);
    return zero;
  };
  switch (dtype) {
    case DN_STR_FIELD: return str_repr(utf8_of(static_cast<const DnStr*>(value)));
    case DN_BOOL: return load(uint8_t(0)) ? "True" : "False";
    case DN_INT8: return std::to_string(load(int8_t(0)));
    case DN_UINT8: return std::to_string(load(uint8_t(0)));
    case DN_INT16: return std::to_string(load(int16_t(0)));
    case DN_UINT16: return std::to_string(load(uint16_t(0)));
    case DN_INT32: return std::to_string(load(int32_t(0)));
    case DN_UINT32: return std::to_string(load(uint32_t(0)));
    case DN_INT64: return std::to_string(load(int64_t(0)));
    case DN_UINT64: return std::to_string(load(uint64_t(0)));
    case DN_FLOAT32: return float32_str(load(0.0f));
    case DN_FLOAT64: return float_repr(load(0.0));
    case DN_COMPLEX64: {
      float p[2];
      std::memcpy(p, value, sizeof p);
      return complex_repr(p[0], p[1], true);
    }
    case DN_COMPLEX128: {
      double p[2];
      std::memcpy(p, value, sizeof p);
      return complex_repr(p[0], p[1], false);
    }
    default: return "?";
  }
}

extern "C" int32_t dn_format_str(DnStr* out, const char* message, int64_t count, const int32_t* kinds,
                                 const int64_t* bits, const char* specs) {
  return dn_runtime::str_from_utf8(dn_runtime::format_values(message, count, kinds, bits, specs), out);
}
