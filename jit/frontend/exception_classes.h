// Python's builtin exception classes as `except` sees them: which of the errors compiled
// code raises (DnErrorCode, runtime/abi.h) an `except Name:` clause catches. Compiled code
// raises only builtin exceptions, so a handler matches by the class's place in Python's
// hierarchy (ZeroDivisionError is an ArithmeticError, KeyError a LookupError).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dn {

// The codes `except <name>:` catches (none for a builtin class compiled code never raises,
// such as OSError); nullopt when `name` is not a builtin exception class.
std::optional<std::vector<int32_t>> caught_codes(const std::string& name);

}  // namespace dn
