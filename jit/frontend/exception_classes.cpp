#include "jit/frontend/exception_classes.h"

#include <map>

#include "runtime/abi.h"

namespace dn {
namespace {

// Each builtin exception class's base (Python's documented hierarchy), BaseException's
// subclasses that are not Exceptions included so that `except BaseException:` and
// `except KeyboardInterrupt:` compile.
const std::map<std::string, std::string>& bases() {
  static const std::map<std::string, std::string> m = {
      {"BaseException", ""},
      {"Exception", "BaseException"},
      {"KeyboardInterrupt", "BaseException"},
      {"SystemExit", "BaseException"},
      {"GeneratorExit", "BaseException"},
      {"ArithmeticError", "Exception"},
      {"FloatingPointError", "ArithmeticError"},
      {"OverflowError", "ArithmeticError"},
      {"ZeroDivisionError", "ArithmeticError"},
      {"AssertionError", "Exception"},
      {"AttributeError", "Exception"},
      {"BufferError", "Exception"},
      {"EOFError", "Exception"},
      {"ImportError", "Exception"},
      {"ModuleNotFoundError", "ImportError"},
      {"LookupError", "Exception"},
      {"IndexError", "LookupError"},
      {"KeyError", "LookupError"},
      {"MemoryError", "Exception"},
      {"NameError", "Exception"},
      {"UnboundLocalError", "NameError"},
      {"OSError", "Exception"},
      {"ReferenceError", "Exception"},
      {"RuntimeError", "Exception"},
      {"NotImplementedError", "RuntimeError"},
      {"RecursionError", "RuntimeError"},
      {"StopIteration", "Exception"},
      {"SyntaxError", "Exception"},
      {"SystemError", "Exception"},
      {"TypeError", "Exception"},
      {"ValueError", "Exception"},
      {"UnicodeError", "ValueError"},
      {"Warning", "Exception"},
  };
  return m;
}

}  // namespace

std::optional<std::vector<int32_t>> caught_codes(const std::string& name) {
  const auto& b = bases();
  if (!b.count(name)) return std::nullopt;
  std::vector<int32_t> codes;
  auto catches = [&](std::string cls) {
    for (; !cls.empty(); cls = b.at(cls))
      if (cls == name) return true;
    return false;
  };
#define DN_CAUGHT_CODE(code, cls) \
  if (catches(#cls)) codes.push_back(code);
  DN_EXCEPTION_CLASSES(DN_CAUGHT_CODE)
#undef DN_CAUGHT_CODE
  if (catches("ValueError")) codes.push_back(DN_LINALG_ERROR);  // numpy.linalg.LinAlgError's base
  return codes;
}

}  // namespace dn
