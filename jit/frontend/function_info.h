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

// A row of the code object's exception table (3.11+): an exception raised by an
// instruction at offsets [start, end) goes to the handler at `target`, with the stack cut
// to `depth` values (and the offset of the raising instruction pushed first when `lasti`).
struct ExceptionEntry {
  int start = 0, end = 0, target = 0, depth = 0;
  bool lasti = false;
};

// A captured variable of a nested function that holds another nested function: `handle`
// is that function's (local_functions.h) and `params` are the parameters, after the
// nested function's own, that carry what it captures in turn.
struct BoundFunction {
  int64_t handle = 0;
  std::vector<std::string> params;
};

struct FunctionInfo : SourceText {  // filename, qualname, source_lines
  std::string name, module;
  int python_version = 311;  // major*100 + minor
  int first_line = 0;
  int argcount = 0;       // parameters: positional, keyword-only, then *args (no **kwargs)
  int kwonlyargcount = 0; // the keyword-only ones among them
  bool varargs = false;   // the last parameter is *args: the extra positional arguments' tuple
  std::vector<std::string> varnames;        // co_varnames: arguments first
  std::vector<BytecodeInstr> code;
  std::vector<ExceptionEntry> exception_table;  // try/except, finally: in offset order
  std::vector<ConstValue> consts;
  std::map<std::string, GlobalValue> globals;  // every name read through LOAD_GLOBAL
  std::map<std::string, GlobalValue> cells;    // closure variable name -> frozen value
  std::map<std::string, GlobalValue> defaults; // parameter -> default value, frozen
  int64_t handle = 0;                          // the dispatcher's handle
  // Locals that inner functions capture (co_cellvars): plain variables here, read where an
  // inner function is called (Python reads a cell when the inner function runs).
  std::vector<std::string> cellvars;
  // Inner functions, lambdas and comprehensions, by the index of their code constant. A
  // nested function's free variables that are locals here are its last parameters.
  std::map<int, std::shared_ptr<const FunctionInfo>> nested;
  // In a nested function: its free variables that are locals of the enclosing function,
  // its last parameters (the enclosing function passes their values where it calls it).
  std::vector<std::string> captured;
  std::map<std::string, BoundFunction> bound;  // captured names that hold inner functions
  // A 3.11 comprehension passed an enumerate/zip/reversed call's arguments (".0", ".0.1",
  // ...): its iterator is that builtin's (local_functions.h).
  std::string iterable_call;
  int iterable_args = 0;
  // A generator expression (<genexpr>), and the builtin that consumes it where it is
  // compiled ("builtins.sum", "builtins.any", ...): its yields feed that builtin's loop,
  // and it returns what the builtin would (local_functions.h).
  bool generator = false;
  std::string consumer;
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
