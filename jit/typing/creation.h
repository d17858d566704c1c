// Typing rules for NumPy's array creation functions beyond np.empty/zeros/ones: full,
// the *_like family, arange, linspace, eye/identity, array/asarray. They live apart from
// resolve.cpp because each has its own argument binding (keywords, defaults, NumPy's
// dtype rules); resolve_call hands calls of these names to creation_call.
//
// Lowering (jit/codegen/llvm/lower_creation.cpp) binds the call's arguments with
// bind_creation_args too, so which operand is `stop` or `num` is decided in one place.
#pragma once

#include <string>
#include <vector>

#include "jit/typing/resolve.h"

namespace dn {

// True for the qualified names ("numpy.arange") whose calls creation_call types.
bool is_creation_function(const std::string& qualified_name);

// The arguments of a call bound to the parameters of a creation function, by NumPy's
// parameter names ("shape", "fill_value", "dtype", "start", "stop", "step", "num", ...).
struct CreationArgs {
  std::vector<std::string> params;
  std::vector<int> slot;  // per parameter: index into the call's arguments, -1 if absent
  // The argument index bound to `param`, or -1 when the call does not pass it.
  int at(const std::string& param) const;
};

// Binds `nargs` call arguments, the last kwnames.size() of them passed by keyword. Throws
// TypeRuleError for an unknown keyword (unsupported; the message lists the supported
// ones), too many or too few arguments, or a parameter given twice. np.arange(stop)
// binds its only argument to "stop", as NumPy does.
CreationArgs bind_creation_args(const std::string& fname, size_t nargs,
                                const std::vector<std::string>& kwnames);

// The typing of a call of creation function `fname` (qualified) with argument types
// `args`; throws TypeRuleError when the call is not supported or wrong.
CallResolution creation_call(const std::string& fname, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kwnames);

}  // namespace dn
