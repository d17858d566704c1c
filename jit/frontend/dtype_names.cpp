#include "jit/frontend/dtype_names.h"

#include <map>

namespace dn {

std::optional<std::string> dtype_string_name(const std::string& text) {
  // NumPy 2 on a 64-bit Linux: "int" and "l" are int64, "float" and "d" float64.
  static const std::map<std::string, std::string> names = {
      {"bool", "bool"},         {"b1", "bool"},          {"?", "bool"},
      {"int8", "int8"},         {"i1", "int8"},          {"b", "int8"},
      {"int16", "int16"},       {"i2", "int16"},         {"h", "int16"},
      {"int32", "int32"},       {"i4", "int32"},         {"i", "int32"},
      {"int64", "int64"},       {"i8", "int64"},         {"l", "int64"},   {"q", "int64"},
      {"int", "int64"},         {"intp", "int64"},       {"p", "int64"},
      {"uint8", "uint8"},       {"u1", "uint8"},         {"B", "uint8"},
      {"uint16", "uint16"},     {"u2", "uint16"},        {"H", "uint16"},
      {"uint32", "uint32"},     {"u4", "uint32"},        {"I", "uint32"},
      {"uint64", "uint64"},     {"u8", "uint64"},        {"L", "uint64"},  {"Q", "uint64"},
      {"uint", "uint64"},       {"uintp", "uint64"},     {"P", "uint64"},
      {"float32", "float32"},   {"f4", "float32"},       {"f", "float32"}, {"single", "float32"},
      {"float64", "float64"},   {"f8", "float64"},       {"d", "float64"}, {"float", "float64"},
      {"double", "float64"},
      {"complex64", "complex64"}, {"c8", "complex64"},   {"F", "complex64"},
      {"complex128", "complex128"}, {"c16", "complex128"}, {"D", "complex128"},
      {"complex", "complex128"},
  };
  std::string s = text;
  // Byte order: native ("=", "|") or this machine's little-endian ("<"); ">" is not native.
  if (!s.empty() && (s[0] == '=' || s[0] == '|' || s[0] == '<')) s = s.substr(1);
  auto it = names.find(s);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

}  // namespace dn
