// Object code for the disk cache: compile_function can hand back the relocatable object it
// linked, and load_object links it again without compiling (each object in its own
// JITDylib, so the same entry symbol loaded twice does not collide); the type codec
// round-trips every runtime-value type exactly.
#include <gtest/gtest.h>

#include <cstdint>

#include "jit/driver/compile.h"
#include "jit/engine/engine.h"
#include "jit/types/type_codec.h"
#include "tests/cpp/bytecode_builder.h"

using namespace dn;
using namespace dn::test;

namespace {

FunctionInfo add_function() { return add_info(); }

int64_t call2(const CompiledFunction& cf, int64_t a, int64_t b) {
  void* args[] = {&a, &b};
  int64_t r = -1;
  EXPECT_EQ(cf.entry(args, &r), 0);
  return r;
}

}  // namespace

TEST(ObjectCache, CompileThenLoadObjectTwice) {
  FunctionInfo info = add_function();
  auto cf = compile_function(info, {t_int64(), t_int64()}, nullptr, CompileOptions{}, nullptr, true);
  ASSERT_FALSE(cf->object_code.empty());
  EXPECT_EQ(cf->object_code.substr(0, 4), "\x7f" "ELF");
  EXPECT_FALSE(cf->symbol.empty());
  auto a = load_object(cf->object_code, cf->symbol, cf->arg_types, cf->return_type);
  auto b = load_object(cf->object_code, cf->symbol, cf->arg_types, cf->return_type);
  EXPECT_NE(a->entry, cf->entry);
  EXPECT_NE(a->entry, b->entry);
  EXPECT_EQ(call2(*a, 40, 2), 42);
  EXPECT_EQ(call2(*b, -1, 1), 0);
  EXPECT_EQ(a->return_type, t_int64());
}

TEST(ObjectCache, NoObjectUnlessAsked) {
  FunctionInfo info = add_function();
  auto cf = compile_function(info, {t_int64(), t_int64()}, nullptr, CompileOptions{}, nullptr);
  EXPECT_TRUE(cf->object_code.empty());
}

TEST(ObjectCache, GarbageObjectThrows) {
  EXPECT_THROW(load_object("not an object file", "dn_entry_0", {}, t_int64()), CompileError);
}

TEST(TypeCodec, RoundTrips) {
  const Type* types[] = {t_bool(), t_int(8), t_int(32, false), t_int64()->weakened(), t_float(32),
                         t_float64()->weakened(), t_complex(128), t_complex(128)->weakened(), t_none(),
                         t_array(t_float64(), 2, Layout::F, true), t_array(t_int(16), 1, Layout::A),
                         t_tuple({t_int64(), t_array(t_float(32), 3, Layout::C)}), t_tuple({}),
                         t_named_tuple("m.P", 0, {"x1", "y"}, {t_float64()->weakened(), t_int(8)}),
                         t_tuple({t_named_tuple("m.<locals>.Q", 12, {"a"}, {t_enum_member("m.C", 0, false)}), t_int64()}),
                         t_enum_member("m.S", 2, true), t_list(t_array(t_float64(), 2, Layout::A)),
                         t_list(t_list(t_int64())), t_string(), t_range(), t_list(t_tuple({t_string(), t_float64()})),
                         t_dict(t_string(), t_list(t_string())), t_set(t_string()), t_random_generator(),
                         t_tuple({t_random_generator(), t_int64()})};
  for (const Type* t : types) {
    std::string s = encode_type(t);
    ASSERT_FALSE(s.empty()) << t->str();
    EXPECT_EQ(decode_type(s), t) << s;
  }
  EXPECT_EQ(encode_type(t_dispatcher(1, "f")), "");  // known only in this process
  for (const char* bad : {"", "x", "i7", "a1Cwq", "t2.i64", "i64i64", "a1Xwf64", "N3:m.P0.1.", "e9:m.C0"}) EXPECT_EQ(decode_type(bad), nullptr) << bad;
}
