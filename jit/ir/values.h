// The compile-time values the IR carries: Python constants (Const instructions) and what
// a global name referred to when the function was compiled (Global instructions). The
// frontend fills them from the bindings' FunctionInfo; nothing here is a PyObject.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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
    // Classes whose instances compiled code knows (name = module.qualname, handle = the
    // class's serial among classes of that name, as the bindings number them):
    NamedTupleClass,  // value = (fields, defaults): a tuple of strs, the last fields' defaults
    EnumClass,        // value = (is_int_enum, ((name, value), ...)): its members, aliases too
    EnumMember,       // value = (is_int_enum, ((name, value), ...), member name): one member
    NamedTupleValue,  // value = (fields, values): an instance of numbers, frozen like a tuple
  };
  Kind kind = Kind::Unsupported;
  ConstValue value;
  std::string name;
  int64_t handle = 0;
  std::vector<int64_t> shape;               // Array
  std::shared_ptr<const std::string> data;  // Array: shared, as every use copies the value
};

}  // namespace dn
