// Typing rules for NumPy's shape functions: reshape/ravel/flatten, transpose/.T,
// concatenate and stack. Views where NumPy gives views (reshape of a C-contiguous array,
// transpose), copies otherwise. Lowered in jit/codegen/llvm/lower_shape.cpp.
#pragma once

#include <string>
#include <vector>

#include "jit/typing/resolve.h"

namespace dn {

// "numpy.reshape", "numpy.concatenate", ...: handled by shape_call.
bool is_shape_function(const std::string& qualified_name);
// Array methods handled by shape_method: reshape, ravel, flatten, transpose.
bool is_shape_method(const std::string& method);

CallResolution shape_call(const std::string& qualified_name, const std::vector<const Type*>& args,
                          const std::vector<std::string>& kwnames);
CallResolution shape_method(const std::string& method, const Type* array,
                            const std::vector<const Type*>& args,
                            const std::vector<std::string>& kwnames);
// The type of a.T.
const Type* transpose_type(const Type* array);

}  // namespace dn
