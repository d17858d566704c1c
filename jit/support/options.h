// Options of one compilation: those that change the generated code (all of them part of
// the cache key), and which stage dumps to print. Here, below typing and codegen, so that
// every layer that reads them includes downwards; the driver fills them in.
#pragma once

#include <string>

namespace dn {

enum class ErrorModel {
  Python,  // scalar division by zero raises ZeroDivisionError (Numba's default)
  NumPy,   // float division by zero gives inf/nan; integer division by zero gives 0
};

struct CompileOptions {
  bool fastmath = false;    // reassociate float math (reductions vectorise freely)
  bool boundscheck = false; // out-of-range indices raise IndexError
  bool nogil = false;
  bool parallel = false;
  ErrorModel error_model = ErrorModel::Python;
  std::string dump;         // comma-separated stages to print (DUNNART_DUMP): ir, typed,
                            // llvm, asm, timing, any pass name, or all

  bool dumps(const std::string& stage) const {
    if (dump.empty()) return false;
    return dump == "all" || ("," + dump + ",").find("," + stage + ",") != std::string::npos;
  }
};

}  // namespace dn
