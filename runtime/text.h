// Inside the runtime, and for the compiler's constants: Python's text of strs. A str is
// code points (DnStr); text that crosses to C++ or Python is UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/abi.h"

namespace dn_runtime {

// The code points of UTF-8 text (as the frontend and Python hand it over: well formed).
std::vector<uint32_t> code_points(const std::string& utf8);
// The UTF-8 text of a str, and a new str (in the call's arena) of UTF-8 text.
std::string utf8_of(const DnStr* s);
int32_t str_from_utf8(const std::string& text, DnStr* out);
// == of two strs, by code points.
bool str_equal(const DnStr* a, const DnStr* b);
// repr() of a str's UTF-8 text, as Python writes it (single quotes unless it holds one and
// no double).
std::string str_repr(const std::string& utf8);

}  // namespace dn_runtime
