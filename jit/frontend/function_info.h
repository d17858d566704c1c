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

#include "jit/support/diagnostics.h"

namespace dn {

// A Python constant (co_consts entry, or the value of a global that is a number).
struct ConstValue {
  enum class Kind { None, Bool, Int, Float, Complex, Str, Tuple, Other, BigInt };
  Kind kind = Kind::None;
  int64_t i = 0;          // Bool, Int
  double f = 0, imag = 0; // Float, Complex
  std::string s;          // Str: the text; Other: the Python type name; BigInt: its digits
  std::vector<ConstValue> items;  // Tuple
};

// What a global (or closure cell, or module attribute) refers to, classified in Python.
struct GlobalValue {
  enum class Kind {
    Const,        // a number, bool, None or tuple of them: frozen into the code
    Module,       // name = module name ("math", "numpy")
    Function,     // name = qualified name of a known function ("math.exp", "numpy.zeros")
    NumberClass,  // name = scalar type name ("float32", "int64"): numpy.float32, int, ...
    Dispatcher,   // another jitted function: handle identifies it, name is its qualname
    Array,        // a NumPy array, frozen: name = dtype name, shape, data = C-order bytes
    Unsupported,  // anything else: name = Python type name (reported if the code uses it)
  };
  Kind kind = Kind::Unsupported;
  ConstValue value;
  std::string name;
  int64_t handle = 0;
  std::vector<int64_t> shape;               // Array
  std::shared_ptr<const std::string> data;  // Array: shared, as every use copies the value
};

// One bytecode instruction as `dis.get_instructions` reports it.
struct BytecodeInstr {
  std::string opname;
  int arg = 0;          // the raw argument (0 when none)
  int target = -1;      // jump target offset, -1 if not a jump
  std::string name;     // argval when it is a name (LOAD_FAST, LOAD_ATTR, COMPARE_OP's op)
  int offset = 0;
  SourceLoc loc;
};

struct FunctionInfo {
  std::string name, qualname, module, filename;
  int python_version = 311;  // major*100 + minor
  int first_line = 0;
  std::map<int, std::string> source_lines;  // line number -> text, for diagnostics
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
