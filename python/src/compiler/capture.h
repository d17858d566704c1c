// FunctionInfo from the dict that dunnart/capture.py builds, and the FunctionProvider that
// answers the compiler's questions (callee FunctionInfo, module attributes) through Python.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "jit/frontend/function_info.h"

namespace dn {

std::shared_ptr<FunctionInfo> function_info_from_python(const pybind11::dict& d);
GlobalValue global_from_python(const pybind11::handle& classified);
ConstValue const_from_python(const pybind11::handle& obj);

class PythonProvider : public FunctionProvider {
 public:
  // `resolver` has methods function_info(handle) -> FunctionInfo and
  // module_attribute(module, attr) -> classified value.
  explicit PythonProvider(pybind11::object resolver) : resolver_(std::move(resolver)) {}
  std::shared_ptr<const FunctionInfo> function_info(int64_t handle) override;
  GlobalValue module_attribute(const std::string& module, const std::string& attr) override;

 private:
  pybind11::object resolver_;
};

}  // namespace dn
