// Inside the runtime: Python's text of numbers (format.cpp), for the messages that name a
// value, such as the KeyError of a missing dict key (dicts.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace dn_runtime {

// repr() of the scalar of DnDType `dtype` at `value`, as Python shows it: "True", "-5",
// "1.5", "nan", "(1+2j)", "2j"; float32 (complex64) values with their own shortest digits,
// as str(np.float32(x)) shows them ("0.1", "1e+06").
std::string python_repr(int32_t dtype, const void* value);

// `message` with each "{}" replaced by the next value formatted by its spec, as
// dn_set_error_values describes (runtime/abi.h): the text of raise's and print's values.
std::string format_values(const char* message, int64_t count, const int32_t* kinds, const int64_t* bits,
                          const char* specs);

}  // namespace dn_runtime
