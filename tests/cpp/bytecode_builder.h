// Builds FunctionInfos by hand, the way the bindings would from `dis.get_instructions`, so
// the frontend, typing and engine tests run from C++ alone. Offsets, args, names and jump
// targets are transcribed from CPython 3.11's `dis` (see each canned function below);
// `line()`/`cols()` give the source positions diagnostics need.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "jit/frontend/function_info.h"
#include "jit/support/diagnostics.h"

namespace dn::test {

inline ConstValue c_none() { return ConstValue{}; }
inline ConstValue c_int(int64_t v) {
  ConstValue c;
  c.kind = ConstValue::Kind::Int;
  c.i = v;
  return c;
}
inline ConstValue c_float(double v) {
  ConstValue c;
  c.kind = ConstValue::Kind::Float;
  c.f = v;
  return c;
}
inline ConstValue c_str(const std::string& s) {
  ConstValue c;
  c.kind = ConstValue::Kind::Str;
  c.s = s;
  return c;
}

inline GlobalValue g_function(const std::string& qualified) {
  GlobalValue g;
  g.kind = GlobalValue::Kind::Function;
  g.name = qualified;
  return g;
}
inline GlobalValue g_module(const std::string& name) {
  GlobalValue g;
  g.kind = GlobalValue::Kind::Module;
  g.name = name;
  return g;
}

// Chained construction of one FunctionInfo:
//   FunctionInfoBuilder("add", {"a", "b"}).consts({c_none()}).line(3)
//       .op(0, "RESUME").op(2, "LOAD_FAST", 0, "a").cols(11, 12) ... .build()
class FunctionInfoBuilder {
 public:
  FunctionInfoBuilder(const std::string& name, const std::vector<std::string>& args,
                      const std::vector<std::string>& other_locals = {}) {
    info_.name = info_.qualname = name;
    info_.module = "test_module";
    info_.filename = "test_module.py";
    info_.argcount = int(args.size());
    info_.varnames = args;
    info_.varnames.insert(info_.varnames.end(), other_locals.begin(), other_locals.end());
  }

  FunctionInfoBuilder& consts(std::vector<ConstValue> c) {
    info_.consts = std::move(c);
    return *this;
  }
  FunctionInfoBuilder& global(const std::string& name, GlobalValue g) {
    info_.globals[name] = std::move(g);
    return *this;
  }
  FunctionInfoBuilder& source(int line, const std::string& text) {
    info_.source_lines[line] = text;
    if (!info_.first_line || line < info_.first_line) info_.first_line = line;
    return *this;
  }
  // Source line of the instructions that follow.
  FunctionInfoBuilder& line(int l) {
    line_ = l;
    return *this;
  }
  // One instruction. `name` is dis's argval when it is a name (or COMPARE_OP's argrepr).
  FunctionInfoBuilder& op(int offset, const std::string& opname, int arg = 0,
                          const std::string& name = "") {
    BytecodeInstr bi;
    bi.offset = offset;
    bi.opname = opname;
    bi.arg = arg;
    bi.name = name;
    bi.loc.line = bi.loc.end_line = line_;
    info_.code.push_back(bi);
    return *this;
  }
  // A jump: `target` is dis's argval (the absolute target offset).
  FunctionInfoBuilder& jump(int offset, const std::string& opname, int arg, int target) {
    op(offset, opname, arg);
    info_.code.back().target = target;
    return *this;
  }
  // Column range of the last instruction (dis's positions.col_offset/end_col_offset).
  FunctionInfoBuilder& cols(int col, int end_col) {
    info_.code.back().loc.col = col;
    info_.code.back().loc.end_col = end_col;
    return *this;
  }

  FunctionInfo build() const { return info_; }

 private:
  FunctionInfo info_;
  int line_ = 0;
};

// def add(a, b):
//     return a + b
inline FunctionInfo add_info() {
  return FunctionInfoBuilder("add", {"a", "b"})
      .consts({c_none()})
      .source(2, "def add(a, b):")
      .source(3, "    return a + b")
      .line(2).op(0, "RESUME")
      .line(3).op(2, "LOAD_FAST", 0, "a").cols(11, 12)
      .op(4, "LOAD_FAST", 1, "b").cols(15, 16)
      .op(6, "BINARY_OP", 0).cols(11, 16)
      .op(10, "RETURN_VALUE").cols(4, 16)
      .build();
}

// def div(a, b):
//     return a // b
inline FunctionInfo floordiv_info() {
  return FunctionInfoBuilder("div", {"a", "b"})
      .consts({c_none()})
      .source(9, "def div(a, b):")
      .source(10, "    return a // b")
      .line(9).op(0, "RESUME")
      .line(10).op(2, "LOAD_FAST", 0, "a").cols(11, 12)
      .op(4, "LOAD_FAST", 1, "b").cols(16, 17)
      .op(6, "BINARY_OP", 2).cols(11, 17)
      .op(10, "RETURN_VALUE").cols(4, 17)
      .build();
}

// def loop(n):
//     s = 0
//     for i in range(n):
//         s += i
//     return s
inline FunctionInfo range_loop_info() {
  return FunctionInfoBuilder("loop", {"n"}, {"s", "i"})
      .consts({c_none(), c_int(0)})
      .global("range", g_function("builtins.range"))
      .source(4, "def loop(n):")
      .source(5, "    s = 0")
      .source(6, "    for i in range(n):")
      .source(7, "        s += i")
      .source(8, "    return s")
      .line(4).op(0, "RESUME")
      .line(5).op(2, "LOAD_CONST", 1).op(4, "STORE_FAST", 1, "s")
      .line(6).op(6, "LOAD_GLOBAL", 1, "range")
      .op(18, "LOAD_FAST", 0, "n")
      .op(20, "PRECALL", 1)
      .op(24, "CALL", 1)
      .op(34, "GET_ITER")
      .jump(36, "FOR_ITER", 7, 52)
      .op(38, "STORE_FAST", 2, "i")
      .line(7).op(40, "LOAD_FAST", 1, "s")
      .op(42, "LOAD_FAST", 2, "i")
      .op(44, "BINARY_OP", 13)
      .op(48, "STORE_FAST", 1, "s")
      .jump(50, "JUMP_BACKWARD", 8, 36)
      .line(8).op(52, "LOAD_FAST", 1, "s")
      .op(54, "RETURN_VALUE")
      .build();
}

// import math
// def expfill(a, out):
//     for i in range(a.shape[0]):
//         out[i] = math.exp(a[i])
//     return 0
inline FunctionInfo exp_fill_info() {
  return FunctionInfoBuilder("expfill", {"a", "out"}, {"i"})
      .consts({c_none(), c_int(0)})
      .global("range", g_function("builtins.range"))
      .global("math", g_module("math"))
      .line(16).op(0, "RESUME")
      .line(17).op(2, "LOAD_GLOBAL", 1, "range")
      .op(14, "LOAD_FAST", 0, "a")
      .op(16, "LOAD_ATTR", 1, "shape")
      .op(26, "LOAD_CONST", 1)
      .op(28, "BINARY_SUBSCR")
      .op(38, "PRECALL", 1)
      .op(42, "CALL", 1)
      .op(52, "GET_ITER")
      .jump(54, "FOR_ITER", 31, 118)
      .op(56, "STORE_FAST", 2, "i")
      .line(18).op(58, "LOAD_GLOBAL", 5, "math")
      .op(70, "LOAD_ATTR", 3, "exp")
      .op(80, "LOAD_FAST", 0, "a")
      .op(82, "LOAD_FAST", 2, "i")
      .op(84, "BINARY_SUBSCR")
      .op(94, "PRECALL", 1)
      .op(98, "CALL", 1)
      .op(108, "LOAD_FAST", 1, "out")
      .op(110, "LOAD_FAST", 2, "i")
      .op(112, "STORE_SUBSCR")
      .jump(116, "JUMP_BACKWARD", 32, 54)
      .line(19).op(118, "LOAD_CONST", 1)
      .op(120, "RETURN_VALUE")
      .build();
}

// def absdiff(a, b):
//     if a > b:
//         r = a - b
//     else:
//         r = b - a
//     return r
// def e(x): return math.exp(x)   (LOAD_GLOBAL math with NULL, LOAD_ATTR exp, CALL 1)
inline FunctionInfo math_exp_info() {
  return FunctionInfoBuilder("e", {"x"})
      .consts({c_none()})
      .global("math", g_module("math"))
      .line(1).op(0, "RESUME")
      .line(2).op(2, "LOAD_GLOBAL", 1, "math")
      .op(14, "LOAD_ATTR", 0, "exp")
      .op(24, "LOAD_FAST", 0, "x")
      .op(26, "PRECALL", 1).op(30, "CALL", 1)
      .op(40, "RETURN_VALUE")
      .build();
}

inline FunctionInfo absdiff_info() {
  return FunctionInfoBuilder("absdiff", {"a", "b"}, {"r"})
      .consts({c_none()})
      .line(2).op(0, "RESUME")
      .line(3).op(2, "LOAD_FAST", 0, "a").op(4, "LOAD_FAST", 1, "b")
      .op(6, "COMPARE_OP", 4, ">")
      .jump(12, "POP_JUMP_FORWARD_IF_FALSE", 6, 26)
      .line(4).op(14, "LOAD_FAST", 0, "a").op(16, "LOAD_FAST", 1, "b")
      .op(18, "BINARY_OP", 10)
      .op(22, "STORE_FAST", 2, "r")
      .jump(24, "JUMP_FORWARD", 5, 36)
      .line(6).op(26, "LOAD_FAST", 1, "b").op(28, "LOAD_FAST", 0, "a")
      .op(30, "BINARY_OP", 10)
      .op(34, "STORE_FAST", 2, "r")
      .line(7).op(36, "LOAD_FAST", 2, "r")
      .op(38, "RETURN_VALUE")
      .build();
}

// def wh(n):
//     i = 0
//     while i < n:
//         i += 1
//     return i
inline FunctionInfo while_loop_info() {
  return FunctionInfoBuilder("wh", {"n"}, {"i"})
      .consts({c_none(), c_int(0), c_int(1)})
      .line(12).op(0, "RESUME")
      .line(13).op(2, "LOAD_CONST", 1).op(4, "STORE_FAST", 1, "i")
      .line(14).op(6, "LOAD_FAST", 1, "i").op(8, "LOAD_FAST", 0, "n")
      .op(10, "COMPARE_OP", 0, "<")
      .jump(16, "POP_JUMP_FORWARD_IF_FALSE", 11, 40)
      .line(15).op(18, "LOAD_FAST", 1, "i").op(20, "LOAD_CONST", 2)
      .op(22, "BINARY_OP", 13)
      .op(26, "STORE_FAST", 1, "i")
      .line(14).op(28, "LOAD_FAST", 1, "i").op(30, "LOAD_FAST", 0, "n")
      .op(32, "COMPARE_OP", 0, "<")
      .jump(38, "POP_JUMP_BACKWARD_IF_TRUE", 11, 18)
      .line(16).op(40, "LOAD_FAST", 1, "i")
      .op(42, "RETURN_VALUE")
      .build();
}

// Runs `f`, expecting a CompileError of `kind` whose message contains every one of
// `needles`; returns the message (empty when nothing or something else was thrown).
inline std::string expect_compile_error(const std::function<void()>& f, ErrorKind kind,
                                        const std::vector<std::string>& needles = {}) {
  try {
    f();
  } catch (const CompileError& e) {
    EXPECT_EQ(int(e.kind()), int(kind)) << e.what();
    for (const std::string& n : needles)
      EXPECT_NE(std::string(e.what()).find(n), std::string::npos)
          << "message lacks \"" << n << "\":\n" << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no CompileError was thrown";
  return "";
}

}  // namespace dn::test
