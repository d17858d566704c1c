// Python strs for compiled code: comparison, search and the operations that make new
// strings (in the call's arena, in the smallest kind that holds their code points, as
// CPython makes them). Length is inline in compiled code.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/text.h"
#include "runtime/memory.h"
#include "runtime/slices.h"

namespace {

inline uint32_t code_point(const DnStr* s, int64_t k) {
  switch (s->kind) {
    case 1: return static_cast<const uint8_t*>(s->data)[k];
    case 2: return static_cast<const uint16_t*>(s->data)[k];
    default: return static_cast<const uint32_t*>(s->data)[k];
  }
}

inline void put_code_point(void* data, int64_t kind, int64_t k, uint32_t c) {
  switch (kind) {
    case 1: static_cast<uint8_t*>(data)[k] = uint8_t(c); break;
    case 2: static_cast<uint16_t*>(data)[k] = uint16_t(c); break;
    default: static_cast<uint32_t*>(data)[k] = c; break;
  }
}

int64_t kind_of(uint32_t c) { return c < 0x100 ? 1 : c < 0x10000 ? 2 : 4; }

// Room for `length` code points of `kind` in the arena, as *out.
int32_t new_str(int64_t length, int64_t kind, DnStr* out) {
  if (length < 0 || length > (int64_t(1) << 60) / kind) {
    dn_set_error(DN_MEMORY_ERROR, "out of memory making a str");
    return DN_MEMORY_ERROR;
  }
  DnMemInfo* m = dn_runtime::arena_alloc(length * kind + 4);
  if (!m) {
    dn_set_error(DN_MEMORY_ERROR, "out of memory making a str");
    return DN_MEMORY_ERROR;
  }
  out->data = m->data;
  out->length = length;
  out->kind = kind;
  return 0;
}

// The smallest kind that holds s's code points (a slice of a wide str may need less).
int64_t needed_kind(const DnStr* s, int64_t start, int64_t step, int64_t count) {
  if (s->kind == 1) return 1;
  int64_t k = 1;
  for (int64_t j = 0; j < count && k < s->kind; ++j) k = std::max(k, kind_of(code_point(s, start + j * step)));
  return k;
}

// A new str of these code points, in the smallest kind that holds them.
int32_t str_of_points(const std::vector<uint32_t>& points, DnStr* out) {
  int64_t kind = 1;
  for (uint32_t p : points) kind = std::max(kind, kind_of(p));
  DnStr r;
  if (int32_t status = new_str(int64_t(points.size()), kind, &r)) return status;
  for (size_t j = 0; j < points.size(); ++j) put_code_point(const_cast<void*>(r.data), kind, int64_t(j), points[j]);
  *out = r;
  return 0;
}

}  // namespace

bool dn_runtime::str_equal(const DnStr* a, const DnStr* b) {
  if (a->length != b->length) return 0;
  if (a->kind == b->kind) return std::memcmp(a->data, b->data, size_t(a->length * a->kind)) == 0;
  for (int64_t k = 0; k < a->length; ++k)
    if (code_point(a, k) != code_point(b, k)) return 0;
  return 1;
}

static int32_t str_compare(const DnStr* a, const DnStr* b) {
  int64_t n = std::min(a->length, b->length);
  for (int64_t k = 0; k < n; ++k) {
    uint32_t x = code_point(a, k), y = code_point(b, k);
    if (x != y) return x < y ? -1 : 1;
  }
  return a->length < b->length ? -1 : a->length > b->length ? 1 : 0;
}

extern "C" int32_t dn_str_equal(const void* a, int64_t an, int64_t ak, const void* b, int64_t bn, int64_t bk) {
  DnStr x{a, an, ak}, y{b, bn, bk};
  return dn_runtime::str_equal(&x, &y);
}

extern "C" int32_t dn_str_compare(const void* a, int64_t an, int64_t ak, const void* b, int64_t bn, int64_t bk) {
  DnStr x{a, an, ak}, y{b, bn, bk};
  return str_compare(&x, &y);
}

extern "C" int64_t dn_str_find(const DnStr* s, const DnStr* sub, int64_t start) {
  if (start < 0) start = 0;
  for (int64_t k = start; k + sub->length <= s->length; ++k) {
    int64_t j = 0;
    while (j < sub->length && code_point(s, k + j) == code_point(sub, j)) ++j;
    if (j == sub->length) return k;
  }
  return -1;
}

extern "C" int32_t dn_str_concat(const DnStr* a, const DnStr* b, DnStr* out) {
  int64_t kind = std::max(a->kind, b->kind);
  DnStr r;
  if (int32_t status = new_str(a->length + b->length, kind, &r)) return status;
  void* data = const_cast<void*>(r.data);
  for (int64_t k = 0; k < a->length; ++k) put_code_point(data, kind, k, code_point(a, k));
  for (int64_t k = 0; k < b->length; ++k) put_code_point(data, kind, a->length + k, code_point(b, k));
  *out = r;
  return 0;
}

extern "C" int32_t dn_str_repeat(const DnStr* s, int64_t n, DnStr* out) {
  if (n < 0) n = 0;
  if (s->length && n > (int64_t(1) << 60) / s->length) {
    dn_set_error(DN_OVERFLOW_ERROR, "repeated string is too long");
    return DN_OVERFLOW_ERROR;
  }
  DnStr r;
  if (int32_t status = new_str(s->length * n, s->kind, &r)) return status;
  size_t bytes = size_t(s->length * s->kind);
  for (int64_t k = 0; k < n; ++k) std::memcpy(static_cast<char*>(const_cast<void*>(r.data)) + size_t(k) * bytes, s->data, bytes);
  *out = r;
  return 0;
}

// Python's str[start:stop:step] of `count` code points from `start`.
static int32_t take(const DnStr* s, int64_t start, int64_t step, int64_t count, DnStr* out) {
  int64_t kind = needed_kind(s, start, step, count);
  DnStr r;
  if (int32_t status = new_str(count, kind, &r)) return status;
  for (int64_t j = 0; j < count; ++j) put_code_point(const_cast<void*>(r.data), kind, j, code_point(s, start + j * step));
  *out = r;
  return 0;
}

extern "C" int32_t dn_str_getitem(const DnStr* s, int64_t index, DnStr* out) {
  if (index < 0) index += s->length;
  if (index < 0 || index >= s->length) {
    dn_set_error(DN_INDEX_ERROR, "string index out of range");
    return DN_INDEX_ERROR;
  }
  return take(s, index, 1, 1, out);
}

extern "C" int32_t dn_str_slice(const DnStr* s, const int64_t* bounds, DnStr* out) {
  int64_t start, step, count;
  if (!dn_runtime::slice_items(bounds, s->length, &start, &step, &count)) return DN_VALUE_ERROR;
  return take(s, start, step, count, out);
}

std::vector<uint32_t> dn_runtime::code_points(const std::string& text) {
  std::vector<uint32_t> points;
  for (size_t k = 0; k < text.size();) {
    auto c = static_cast<unsigned char>(text[k]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t p = n == 1 ? c : c & (0x3F >> (n - 1));
    for (int j = 1; j < n && k + size_t(j) < text.size(); ++j) p = (p << 6) | (static_cast<unsigned char>(text[k + size_t(j)]) & 0x3F);
    points.push_back(p);
    k += size_t(n);
  }
  return points;
}

int32_t dn_runtime::str_from_utf8(const std::string& text, DnStr* out) {
  return str_of_points(code_points(text), out);
}

// ---- Methods.

namespace {

// Python's str.isspace() code points (Unicode White_Space and the separators it counts).
bool is_space(uint32_t c) {
  return (c >= 9 && c <= 13) || (c >= 28 && c <= 32) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_ascii(const DnStr* s) {
  if (s->kind != 1) return false;
  const auto* p = static_cast<const uint8_t*>(s->data);
  for (int64_t k = 0; k < s->length; ++k)
    if (p[k] >= 0x80) return false;
  return true;
}

bool matches_at(const DnStr* s, int64_t at, const DnStr* x) {
  if (at < 0 || at + x->length > s->length) return false;
  for (int64_t j = 0; j < x->length; ++j)
    if (code_point(s, at + j) != code_point(x, j)) return false;
  return true;
}

DnStrMethodHook g_str_hook = nullptr;

}  // namespace

extern "C" void dn_set_str_method_hook(DnStrMethodHook hook) { g_str_hook = hook; }

extern "C" int32_t dn_str_from_utf8(const char* text, int64_t size, DnStr* out) {
  return dn_runtime::str_from_utf8(std::string(text, size_t(size)), out);
}

namespace {

// The part [start, end) of s that find, count and startswith look at, its bounds adjusted
// as CPython's ADJUST_INDICES does (negative from the end, end clipped to the length).
// False when it is shorter than what is looked for (start may be past the end).
bool window(const DnStr* s, int64_t start, int64_t end, int64_t needed, DnStr* w, int64_t* offset) {
  const int64_t n = s->length;
  if (end > n) end = n;
  else if (end < 0) end = std::max<int64_t>(end + n, 0);
  if (start < 0) start = std::max<int64_t>(start + n, 0);
  if (end - start < needed) return false;
  *w = {static_cast<const char*>(s->data) + start * s->kind, end - start, s->kind};
  *offset = start;
  return true;
}

}  // namespace

extern "C" int32_t dn_str_affix(const DnStr* s, const DnStr* x, int32_t at_end, int64_t start, int64_t end) {
  DnStr w;
  int64_t offset;
  if (!window(s, start, end, x->length, &w, &offset)) return 0;
  return matches_at(&w, at_end ? w.length - x->length : 0, x);
}

extern "C" int64_t dn_str_search(const DnStr* s, const DnStr* sub, int32_t op, int64_t start, int64_t end) {
  DnStr w;
  int64_t offset;
  if (!window(s, start, end, sub->length, &w, &offset)) return op == 2 ? 0 : -1;
  if (op == 1) {  // rfind
    for (int64_t k = w.length - sub->length; k >= 0; --k)
      if (matches_at(&w, k, sub)) return k + offset;
    return -1;
  }
  if (op == 2) {  // count: non-overlapping; an empty str is found between every two code points
    if (sub->length == 0) return w.length + 1;
    int64_t n = 0;
    for (int64_t k = 0; k + sub->length <= w.length;)
      if (matches_at(&w, k, sub)) ++n, k += sub->length;
      else ++k;
    return n;
  }
  int64_t at = dn_str_find(&w, sub, 0);
  return at < 0 ? -1 : at + offset;
}

extern "C" int32_t dn_str_strip(const DnStr* s, const DnStr* chars, int32_t has_chars, int32_t sides, DnStr* out) {
  auto stripped = [&](uint32_t c) {
    if (!has_chars) return is_space(c);
    for (int64_t j = 0; j < chars->length; ++j)
      if (code_point(chars, j) == c) return true;
    return false;
  };
  int64_t begin = 0, end = s->length;
  if (sides & 1)
    while (begin < end && stripped(code_point(s, begin))) ++begin;
  if (sides & 2)
    while (end > begin && stripped(code_point(s, end - 1))) --end;
  return take(s, begin, 1, end - begin, out);
}

extern "C" int32_t dn_str_replace(const DnStr* s, const DnStr* old, const DnStr* by, DnStr* out) {
  std::vector<uint32_t> points;
  for (int64_t k = 0; k <= s->length;) {
    if (old->length == 0 || matches_at(s, k, old)) {
      for (int64_t j = 0; j < by->length; ++j) points.push_back(code_point(by, j));
      if (old->length == 0) {  // "ab".replace("", "-") is "-a-b-"
        if (k < s->length) points.push_back(code_point(s, k));
        ++k;
      } else {
        k += old->length;
      }
      continue;
    }
    if (k < s->length) points.push_back(code_point(s, k));
    ++k;
  }
  return str_of_points(points, out);
}

extern "C" int32_t dn_str_split(const DnStr* s, const DnStr* sep, int32_t has_sep, int64_t maxsplit, DnList** out) {
  if (has_sep && sep->length == 0) {
    dn_set_error(DN_VALUE_ERROR, "empty separator");
    return DN_VALUE_ERROR;
  }
  std::vector<std::pair<int64_t, int64_t>> parts;  // [begin, end)
  if (has_sep) {
    int64_t begin = 0;
    for (int64_t k = 0; k + sep->length <= s->length && (maxsplit < 0 || int64_t(parts.size()) < maxsplit);)
      if (matches_at(s, k, sep)) parts.push_back({begin, k}), k += sep->length, begin = k;
      else ++k;
    parts.push_back({begin, s->length});
  } else {  // runs of whitespace separate; no empty parts
    for (int64_t k = 0; k < s->length;) {
      while (k < s->length && is_space(code_point(s, k))) ++k;
      if (k < s->length && maxsplit >= 0 && int64_t(parts.size()) == maxsplit) {
        parts.push_back({k, s->length});  // the rest, its trailing whitespace kept
        break;
      }
      int64_t begin = k;
      while (k < s->length && !is_space(code_point(s, k))) ++k;
      if (k > begin) parts.push_back({begin, k});
    }
  }
  if (int32_t status = dn_list_new(out, int64_t(sizeof(DnStr)), int64_t(parts.size()))) return status;
  auto* items = reinterpret_cast<DnStr*>((*out)->data);
  for (size_t j = 0; j < parts.size(); ++j)
    if (int32_t status = take(s, parts[j].first, 1, parts[j].second - parts[j].first, &items[j])) return status;
  return 0;
}

extern "C" int32_t dn_str_join(const DnStr* sep, const DnList* parts, DnStr* out) {
  const auto* items = reinterpret_cast<const DnStr*>(parts->data);
  int64_t n = parts->size, length = 0, kind = sep->kind;
  for (int64_t j = 0; j < n; ++j) length += items[j].length, kind = std::max(kind, items[j].kind);
  if (n > 1) length += sep->length * (n - 1);
  DnStr r;
  if (int32_t status = new_str(length, kind, &r)) return status;
  int64_t at = 0;
  void* data = const_cast<void*>(r.data);
  for (int64_t j = 0; j < n; ++j) {
    if (j)
      for (int64_t k = 0; k < sep->length; ++k) put_code_point(data, kind, at++, code_point(sep, k));
    for (int64_t k = 0; k < items[j].length; ++k) put_code_point(data, kind, at++, code_point(&items[j], k));
  }
  *out = r;
  return 0;
}

// The case and character-class methods: in the runtime for ASCII text, through Python's own
// str methods (the hook the bindings set) for the rest, whose Unicode tables CPython has.
extern "C" int32_t dn_str_unicode(const DnStr* s, int32_t number, DnStr* out, int64_t* result) {
  static const char* const names[] = {
#define DN_UNICODE_METHOD_NAME(method) #method,
      DN_STR_UNICODE_METHODS(DN_UNICODE_METHOD_NAME)
#undef DN_UNICODE_METHOD_NAME
  };
  const char* method = names[number];
  std::string m = method;
  if (!is_ascii(s)) {
    if (!g_str_hook) {
      dn_set_error(DN_NOT_IMPLEMENTED_ERROR, "str methods of non-ASCII text need Python");
      return DN_NOT_IMPLEMENTED_ERROR;
    }
    return g_str_hook(method, s, out, result);
  }
  const auto* p = static_cast<const uint8_t*>(s->data);
  auto upper = [](uint8_t c) { return c >= 'a' && c <= 'z' ? uint8_t(c - 32) : c; };
  auto lower = [](uint8_t c) { return c >= 'A' && c <= 'Z' ? uint8_t(c + 32) : c; };
  auto is_upper = [](uint8_t c) { return c >= 'A' && c <= 'Z'; };
  auto is_lower = [](uint8_t c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](uint8_t c) { return c >= '0' && c <= '9'; };
  auto is_alpha = [&](uint8_t c) { return is_upper(c) || is_lower(c); };
  int64_t n = s->length;
  auto all = [&](auto pred) {
    if (n == 0) return int64_t(0);
    for (int64_t k = 0; k < n; ++k)
      if (!pred(p[k])) return int64_t(0);
    return int64_t(1);
  };
  if (m == "isdigit" || m == "isdecimal" || m == "isnumeric") return *result = all(is_digit), 0;
  if (m == "isalpha") return *result = all(is_alpha), 0;
  if (m == "isalnum") return *result = all([&](uint8_t c) { return is_alpha(c) || is_digit(c); }), 0;
  if (m == "isspace") return *result = all([](uint8_t c) { return is_space(c); }), 0;
  if (m == "isupper" || m == "islower") {
    bool cased = false, ok = true;
    for (int64_t k = 0; k < n; ++k) {
      cased |= is_alpha(p[k]);
      ok &= m == "isupper" ? !is_lower(p[k]) : !is_upper(p[k]);
    }
    return *result = cased && ok, 0;
  }
  DnStr r;
  if (int32_t status = new_str(n, 1, &r)) return status;
  auto* q = static_cast<uint8_t*>(const_cast<void*>(r.data));
  bool previous_cased = false;
  for (int64_t k = 0; k < n; ++k) {
    uint8_t c = p[k];
    if (m == "upper") c = upper(c);
    else if (m == "lower" || m == "casefold") c = lower(c);
    else if (m == "swapcase") c = is_upper(c) ? lower(c) : upper(c);
    else if (m == "capitalize") c = k == 0 ? upper(c) : lower(c);
    else if (m == "title") c = previous_cased ? lower(c) : upper(c), previous_cased = is_alpha(p[k]);
    q[k] = c;
  }
  *out = r;
  return 0;
}

extern "C" int32_t dn_str_ord(const DnStr* s, int64_t* out) {
  if (s->length != 1) {
    std::string m = "ord() expected a character, but string of length " + std::to_string(s->length) + " found";
    dn_set_error(DN_TYPE_ERROR, m.c_str());
    return DN_TYPE_ERROR;
  }
  *out = code_point(s, 0);
  return 0;
}

extern "C" int32_t dn_str_chr(int64_t code, int32_t for_percent_c, DnStr* out) {
  if (code < 0 || code > 0x10FFFF) {
    if (for_percent_c) {  // "%c" % code: Python's words differ
      dn_set_error(DN_OVERFLOW_ERROR, "%c arg not in range(0x110000)");
      return DN_OVERFLOW_ERROR;
    }
    dn_set_error(DN_VALUE_ERROR, "chr() arg not in range(0x110000)");
    return DN_VALUE_ERROR;
  }
  return str_of_points({uint32_t(code)}, out);
}

namespace {

// The ASCII text of a number as Python's int() and float() read it: whitespace around
// dropped, underscores (each between two digits) dropped; false for anything else.
bool number_text(const DnStr* s, std::string* text) {
  int64_t lo = 0, hi = s->length;
  while (lo < hi && is_space(code_point(s, lo))) ++lo;
  while (hi > lo && is_space(code_point(s, hi - 1))) --hi;
  auto digit = [&](int64_t k) { return k >= lo && k < hi && code_point(s, k) >= '0' && code_point(s, k) <= '9'; };
  for (int64_t k = lo; k < hi; ++k) {
    uint32_t c = code_point(s, k);
    if (c >= 0x80) return false;
    if (c == '_') {
      if (!digit(k - 1) || !digit(k + 1)) return false;
      continue;
    }
    text->push_back(char(c));
  }
  return !text->empty();
}

int32_t invalid(const DnStr* s, const char* what) {
  std::string m = std::string(what) + dn_runtime::str_repr(dn_runtime::utf8_of(s));
  dn_set_error(DN_VALUE_ERROR, m.c_str());
  return DN_VALUE_ERROR;
}

}  // namespace

// Text beyond ASCII (Unicode digits and spaces) is read by Python's own int() and float().
static int32_t number_in_python(const char* what, const DnStr* s, int64_t* bits) {
  if (!g_str_hook) {
    dn_set_error(DN_NOT_IMPLEMENTED_ERROR, "this str operation needs Python");
    return DN_NOT_IMPLEMENTED_ERROR;
  }
  return g_str_hook(what, s, nullptr, bits);
}

extern "C" int32_t dn_str_hash(const DnStr* s, int64_t* out) {
  return number_in_python("hash", s, out);  // CPython salts a str's hash per process
}

extern "C" int32_t dn_str_to_int(const DnStr* s, int64_t* out) {
  if (!is_ascii(s)) return number_in_python("int", s, out);
  std::string t;
  const char* what = "invalid literal for int() with base 10: ";
  if (!number_text(s, &t)) return invalid(s, what);
  size_t k = t[0] == '+' || t[0] == '-' ? 1 : 0;
  if (k == t.size()) return invalid(s, what);
  unsigned __int128 v = 0;
  for (size_t j = k; j < t.size(); ++j) {
    if (t[j] < '0' || t[j] > '9') return invalid(s, what);
    v = v * 10 + unsigned(t[j] - '0');
    if (v > (unsigned __int128)(1) << 64) break;
  }
  bool negative = t[0] == '-';
  if (v > (unsigned __int128)INT64_MAX + negative) {
    dn_set_error(DN_OVERFLOW_ERROR, "int() of this str does not fit in int64");
    return DN_OVERFLOW_ERROR;
  }
  *out = negative ? int64_t(-(__int128)v) : int64_t(v);
  return 0;
}

extern "C" int32_t dn_str_to_float(const DnStr* s, double* out) {
  if (!is_ascii(s)) {
    int64_t bits = 0;
    int32_t status = number_in_python("float", s, &bits);
    std::memcpy(out, &bits, sizeof bits);
    return status;
  }
  std::string t;
  const char* what = "could not convert string to float: ";
  if (!number_text(s, &t)) return invalid(s, what);
  // Python's grammar, narrower than strtod's: no hexadecimal, no "nan(...)".
  size_t k = t[0] == '+' || t[0] == '-' ? 1 : 0;
  std::string word;
  for (size_t j = k; j < t.size(); ++j) word.push_back(char(std::tolower(static_cast<unsigned char>(t[j]))));
  if (word == "inf" || word == "infinity" || word == "nan") {
    double v = word == "nan" ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
    *out = t[0] == '-' ? -v : v;
    return 0;
  }
  size_t j = k, digits = 0;
  while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j, ++digits;
  if (j < t.size() && t[j] == '.')
    for (++j; j < t.size() && std::isdigit(static_cast<unsigned char>(t[j])); ++j) ++digits;
  if (!digits) return invalid(s, what);
  if (j < t.size() && (t[j] == 'e' || t[j] == 'E')) {
    ++j;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
    size_t e = j;
    while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
    if (j == e) return invalid(s, what);
  }
  if (j != t.size()) return invalid(s, what);
  *out = std::strtod(t.c_str(), nullptr);
  return 0;
}
