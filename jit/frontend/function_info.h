// FunctionInfo: everything the compiler needs to know about a Python function, captured
// by the bindings (bytecode as decoded by `dis`, constants, the values of the globals and
// closure cells it reads, source lines for diagnostics). The compiler never sees a
// PyObject: values it may freeze into code arrive here as ConstValue/GlobalValue.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jit/ir/values.h"
#include "jit/support/diagnostics.h"

namespace dn {

// One bytecode instruction as `dis.get_instructions` reports it.
struct BytecodeInstr {
  std::string opname;
  int arg = 0;          // the raw argument (0 when none)
  int target = -1;      // jump target offset, -1 if not a jump
  std::string name;     // argval when it is a name (LOAD_FAST, LOAD_ATTR, COMPARE_OP's op)
  int offset = 0;
  SourceLoc loc;
};

struct FunctionInfo : SourceText {  // filename, qualname, source_lines
  std::string name, module;
  int python_version = 311;  // major*100 + minor
  int first_line = 0;
  int argcount = 0;       // parameters: positional, then keyword-only (no *args/**kwargs)
  int kwonlyargcount = 0; // the keyword-only ones among them (the last argcount)
  std::vector<std::string> varnames;        // co_varnames: arguments first
  std::vector<BytecodeInstr> code;
  std::vector<ConstValue> consts;
  std::map<std::string, GlobalValue> globals;  // every name read through LOAD_GLOBAL
  std::map<std::string, GlobalValue> cells;    // closure variable name -> frozen value
  int64_t handle = 0;                          // the dispatcher's handle
};

// Answers questions that need the Python side while compiling: the FunctionInfo of
// another jitted function this one calls, and attributes of user modules.
class FunctionProvider {
 public:
  virtual ~FunctionProvider() = default;
  virtual std::shared_ptr<const FunctionInfo> function_info(int64_t handle) = 0;
  virtual GlobalValue module_attribute(const std::string& module, const std::string& attr) = 0;
};

}  // namespace dn
