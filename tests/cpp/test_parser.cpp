// The IR text parser: round trips of every attribute and type, and errors at a line and
// column (never a crash) for malformed input.
#include <gtest/gtest.h>

#include "jit/ir/parser.h"
#include "jit/types/type_text.h"

using namespace dn;

namespace {

std::string round_trip(const std::string& text) { return print_function(*parse_function(text)); }

// The error parse_functions reports for `text`.
IRParseError parse_error(const std::string& text) {
  try {
    parse_functions(text);
  } catch (const IRParseError& e) {
    return e;
  }
  ADD_FAILURE() << "no IRParseError for:\n" << text;
  return IRParseError(0, 0, "", "");
}

const char* kEveryAttribute =
    "function dn_m.f_123(%0 : array(float64, 1d, C), %1 : weak(bool), %2 : Tuple(int, weak(bool))) -> float64 noinline {\n"
    "bb0:\n"
    "  %17 : int = undef var=\"x\"  @5:11-5:12\n"
    "  %0 : array(float64, 1d, C) = arg 0 var=\"a\"\n"
    "  %1 : weak(bool) = arg 1 var=\"b\"\n"
    "  %2 : Tuple(int, weak(bool)) = arg 2 var=\"t\"\n"
    "  %3 = const complex(1.5, -0.0)\n"
    "  %4 = const ('s\\n\\'q\\x01', (1,), (), None, True, 1.0, -inf, nan, bigint(123456789012345678901234567890), "
    "object(\"list\"))\n"
    "  %5 : Module(numpy) = global module \"numpy\" var=\"np\"\n"
    "  %6 = global array \"float64\" var=\"T\" shape=(1,) data=x\"000000000000f03f\"\n"
    "  %7 : Dispatcher(g, 77) = global dispatcher \"g\" var=\"g\" handle=77\n"
    "  %8 = global const \"\" var=\"K\" value=(1, 2.5)\n"
    "  %9 : Function(numpy.exp) = getattr .exp %5  @3:1-3:9\n"
    "  %10 : array(float64, 1d, C) = call MathFunc %9, %0 func=\"exp\" fused_into=%12\n"
    "  %11 : int64 = tuple_get [0] %2 unpack_count=2\n"
    "  %12 : float64 = call Reduce %9, %10, %11 func=\"sum\" has_axis kwnames=(\"axis\",)\n"
    "  %13 : array(float64, 2d, C) = call ArrayAlloc %9, %11, %11 fill=zeros\n"
    "  setitem %13, %0\n"
    "  %15 : array(float64, 1d, C) = call Reshape %9, %13 to_1d always_copy\n"
    "  %16 : float64 = call CallJitted %7, %12 callee_key=\"dn_g_1\"\n"
    "  %18 : int64 = cast explicit %12\n"
    "  %19 : bool = cmp is not %11, %11\n"
    "  %20 : int64 = binop //= %11, %11\n"
    "  %21 : bool = unop not %19\n"
    "  %22 : readonly array(int8, 3d, A) = undef\n"
    "  %23 : BoundMethod(array(float64, 1d, C).sum) = getattr .sum %0\n"
    "  %24 : UniTuple(slice(i:j) x 2) = undef\n"
    "  %25 : iter(UniTuple(int x 3)) = undef\n"
    "  %26 : class(float32) = undef\n"
    "  %27 : Tuple() = tuple\n"
    "  %28 : weak(int32) = undef\n"
    "  release %13\n"
    "  %30 : int64 = array_dim %13 dim=1\n"
    "  %31 : int64 = array_stride %13 dim=0\n"
    "  %32 : ptr(float64) = array_data %13\n"
    "  %33 : ptr(float64) = ptr_offset %32, %31 byte_offset\n"
    "  %34 : float64 = load %33\n"
    "  store %33, %34\n"
    "  %35 : array(float64, 2d, C) = new_array %30, %31 fill=ones\n"
    "  %36 : array(float64, 2d, C) = copy_array %35\n"
    "  %37 : int64 = binop + %30, %31 no_wrap\n"
    "  %38 : int64 = select %19, %37, %30\n"
    "  condbr %21, bb2, bb1\n"
    "bb1 (preds bb0):\n"
    "  raise 2 'shapes {} {}' %30, %31, %37 shape_ranks=(1, 2)\n"
    "bb2 (preds bb0):\n"
    "  %29 : float64 = phi [bb0: %16]\n"
    "  return %29\n"
    "}\n";

}  // namespace

TEST(IRParser, EveryAttributeAndTypeRoundTrips) {
  EXPECT_EQ(round_trip(kEveryAttribute), kEveryAttribute);
  auto f = parse_function(kEveryAttribute);
  Instr* a = f->args[1];
  EXPECT_EQ(a->type, t_bool()->weakened());  // the same interned pointer
  EXPECT_NE(a->type, t_bool());
  EXPECT_EQ(f->args[0]->type, t_array(t_float64(), 1, Layout::C));
  Block* b0 = f->entry();
  Instr* fused = b0->instrs[11];
  ASSERT_TRUE(fused->fused_into);
  EXPECT_EQ(fused->fused_into->id, 12);
  EXPECT_EQ(fused->fused_into->func, "sum");
  EXPECT_TRUE(fused->fused_into->has_axis);
  EXPECT_EQ(fused->fused_into->kwnames, std::vector<std::string>{"axis"});
  Instr* global = b0->instrs[7];
  EXPECT_EQ(global->gval.kind, GlobalValue::Kind::Array);
  ASSERT_TRUE(global->gval.data);
  EXPECT_EQ(global->gval.data->size(), 8u);
  EXPECT_EQ(b0->instrs[5]->cval.items[0].s, "s\n'q\x01");
  EXPECT_EQ(b0->instrs[10]->loc.line, 3);
  EXPECT_EQ(b0->instrs[10]->loc.end_col, 9);
  // Later values are numbered after the text's.
  EXPECT_GE(f->create(Opcode::Const)->id, 30);
}

TEST(IRParser, TypeTextParsesToTheInternedType) {
  for (const Type* t : {t_bool(), t_bool()->weakened(), t_int64()->weakened(), t_int(32)->weakened(), t_int(8, false),
                        t_float(32), t_float64()->weakened(), t_complex(64), t_complex(128)->weakened(), t_none(),
                        t_array(t_complex(64), 0, Layout::C, true), t_array(t_int(16), 4, Layout::F),
                        t_tuple({}), t_tuple({t_int64(), t_bool()->weakened()}), t_tuple({t_float(32), t_float(32)}),
                        t_range(), t_range_iter(), t_array_iter(t_array(t_float64(), 1, Layout::A)), t_random_generator(),
                        t_module("numpy"), t_function("math.exp"), t_number_class(t_int64()->weakened()),
                        t_bound_method(t_array(t_float64(), 2, Layout::C), "sum"), t_dispatcher(-5, "pkg.f"),
                        t_string(), t_slice(kSliceFull), t_slice(kSliceUnitStep), t_slice(kSliceGeneral),
                        t_named_tuple("m.<locals>.P", 2, {"x", "y"}, {t_int64()->weakened(), t_tuple({t_bool()->weakened()})}),
                        t_named_tuple("m.E", 0, {}, {}), t_enum_member("m.Color", 0, false), t_enum_member("m.S", 3, true),
                        t_class("m.P", 0, {"x", "y"}, nullptr), t_class("m.C", 1, {}, t_enum_member("m.C", 1, true))}) {
    std::string text = type_text(t), error;
    size_t pos = 0;
    EXPECT_EQ(parse_type_text(text, pos, error), t) << text << ": " << error;
    EXPECT_EQ(pos, text.size()) << text;
  }
  EXPECT_EQ(type_text(t_bool()->weakened()), "weak(bool)");
  EXPECT_EQ(type_text(t_int64()->weakened()), "int");
}

TEST(IRParser, DumpHeadersCommentsAndSeveralFunctions) {
  std::string text =
      "---- typed: f ----\n"
      "; a comment\n"
      "function f() -> none {\n"
      "bb0:  ; the entry\n"
      "  %0 : none = const None\n"
      "  return %0\n"
      "}\n\n"
      "function g() {\n"
      "bb0:\n"
      "  raise 1 'out of range'\n"
      "}\n";
  auto fns = parse_functions(text);
  ASSERT_EQ(fns.size(), 2u);
  EXPECT_EQ(fns[1]->name, "g");
  EXPECT_EQ(print_function(*fns[0]), "function f() -> none {\nbb0:\n  %0 : none = const None\n  return %0\n}\n");
}

TEST(IRParser, ErrorsNameLineAndColumn) {
  struct Case {
    const char* text;
    int line, col;
    const char* message;
  } cases[] = {
      {"function f() {\nbb0:\n  %1 = frobnicate %0\n}\n", 3, 8, "unknown opcode 'frobnicate'"},
      {"function f() {\nbb0:\n  return %7\n}\n", 3, 10, "use of undefined value %7"},
      {"function f() {\nbb0:\n  br bb9\n}\n", 3, 6, "use of undefined block bb9"},
      {"function f(%0 : array(float64, 1d, Q)) {\n", 1, 36, "expected a layout"},
      {"function f(%0 : flaot64) {\n", 1, 17, "unknown type 'flaot64'"},
      {"function f() {\nbb0:\n  %0 = const 'abc\n}\n", 3, 18, "unterminated string"},
      {"function f() {\nbb0:\n  %0 = const 1\n  %0 = const 2\n}\n", 4, 3, "value %0 is defined twice"},
      {"function f() {\nbb0:\n  %0 = binop ? %1, %1\n}\n", 3, 14, "expected a binary operator"},
      {"function f() {\nbb0:\n  %0 = const 1 colour=\"red\"\n}\n", 3, 16, "unknown attribute 'colour'"},
      {"function f() {\nbb0:\n  %0 = const 99999999999999999999\n}\n", 3, 14, "an integer out of range"},
      {"function f() {\nbb0:\n", 1, 1, "function is not closed by '}'"},
      {"  %0 = const 1\n", 1, 3, "expected 'function'"},
      {"function f() {\n  %0 = const 1\n}\n", 2, 3, "an instruction before the first block label"},
  };
  for (const Case& c : cases) {
    IRParseError e = parse_error(c.text);
    EXPECT_EQ(e.line(), c.line) << c.text << "\n" << e.what();
    EXPECT_EQ(e.column(), c.col) << c.text << "\n" << e.what();
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind(std::to_string(c.line) + ":" + std::to_string(c.col) + ": ", 0), 0u)
        << e.what();
  }
}

TEST(IRParser, TruncatedInputNeverCrashes) {
  // Every prefix of a valid function is either valid or an IRParseError.
  std::string text = kEveryAttribute;
  for (size_t n = 0; n < text.size(); n += 7) {
    try {
      parse_functions(text.substr(0, n));
    } catch (const IRParseError&) {
    }
  }
}
