// NumPy's dtype strings ("f8", "float32", "<i4", "complex"): the scalar type each names,
// so that `np.zeros(n, "f8")` and `a.astype("int32")` compile as `np.float64` and
// `np.int32` do (the frontend turns such a constant into the number class).
#pragma once

#include <optional>
#include <string>

namespace dn {

// The number class's name ("float64", "int32", "bool", "complex128") of a dtype string,
// or nothing when it names no dtype dunnart has (or is not a dtype string).
std::optional<std::string> dtype_string_name(const std::string& text);

}  // namespace dn
