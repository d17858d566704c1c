// The type lattice: interning, printed names, NumPy 2 promotion (NEP 50), unification,
// signature parsing and the ABI layout the bindings rely on.
#include <gtest/gtest.h>

#include "jit/support/diagnostics.h"
#include "jit/types/abi_layout.h"
#include "jit/types/promotion.h"
#include "jit/types/signature.h"
#include "jit/types/type_codec.h"

using namespace dn;

TEST(Types, InternedAndNamedLikeNumba) {
  EXPECT_EQ(t_int64(), t_int(64, true));
  EXPECT_NE(t_int(64, true), t_int(64, false));
  EXPECT_EQ(t_float(32)->str(), "float32");
  EXPECT_EQ(t_int(8, false)->str(), "uint8");
  EXPECT_EQ(t_array(t_float64(), 2, Layout::C)->str(), "array(float64, 2d, C)");
  EXPECT_EQ(t_array(t_float64(), 1, Layout::F), t_array(t_float64(), 1, Layout::C));
  EXPECT_EQ(t_tuple({t_int64(), t_int64()})->str(), "UniTuple(int64 x 2)");
  EXPECT_EQ(t_tuple({t_int64(), t_float64()})->str(), "Tuple(int64, float64)");
  EXPECT_EQ(t_int64()->weakened()->str(), "int");
  EXPECT_EQ(t_int64()->weakened()->strong(), t_int64());
  EXPECT_EQ(t_array(t_float64()->weakened(), 1, Layout::C)->dtype(), t_float64());
}

TEST(Promotion, StrongScalarsFollowNumPy) {
  EXPECT_EQ(promote(t_int(32), t_int(64)), t_int64());
  EXPECT_EQ(promote(t_int(8, false), t_int(8, true)), t_int(16));
  EXPECT_EQ(promote(t_int(64, false), t_int(64, true)), t_float64());
  EXPECT_EQ(promote(t_float(32), t_int(16)), t_float(32));
  EXPECT_EQ(promote(t_float(32), t_int(32)), t_float64());
  EXPECT_EQ(promote(t_complex(64), t_float64()), t_complex(128));
  EXPECT_EQ(promote(t_bool(), t_int(8)), t_int(8));
}

TEST(Promotion, PythonScalarsAreWeak) {
  const Type* py_int = t_int64()->weakened();
  const Type* py_float = t_float64()->weakened();
  EXPECT_EQ(promote(t_float(32), py_float), t_float(32));
  EXPECT_EQ(promote(t_int(8), py_int), t_int(8));
  EXPECT_EQ(promote(t_int(8), py_float), t_float64());
  EXPECT_EQ(promote(t_float(32), t_complex(128)->weakened()), t_complex(64));
  EXPECT_EQ(promote(py_int, py_float), py_float);
  EXPECT_TRUE(promote(py_int, py_int)->is_weak());
}

TEST(Promotion, UnifyForPhis) {
  EXPECT_EQ(unify(t_int64()->weakened(), t_float(32)), t_float(32));
  EXPECT_EQ(unify(t_array(t_float64(), 2, Layout::C), t_array(t_float64(), 2, Layout::F)),
            t_array(t_float64(), 2, Layout::A));
  EXPECT_EQ(unify(t_array(t_float64(), 1, Layout::C), t_float64()), nullptr);
  EXPECT_EQ(unify(t_tuple({t_int64()}), t_tuple({t_int64(), t_int64()})), nullptr);
}

TEST(Promotion, NoneAndAValueUnifyToAnOptional) {
  const Type* py_int = t_int64()->weakened();
  EXPECT_EQ(unify(t_none(), py_int), t_optional(py_int));
  EXPECT_EQ(unify(t_optional(py_int), t_none()), t_optional(py_int));
  EXPECT_EQ(unify(t_optional(py_int), t_float(32)), t_optional(t_float(32)));
  EXPECT_EQ(unify(t_optional(t_string()), t_optional(t_string())), t_optional(t_string()));
  EXPECT_EQ(unify(t_none(), t_module("math")), nullptr);  // no run-time value to hold
  EXPECT_EQ(unify(t_optional(t_float64()), t_array(t_float64(), 1, Layout::C)), nullptr);
  EXPECT_EQ(t_optional(py_int)->strong(), t_optional(t_int64()));
  EXPECT_EQ(t_optional(t_int64())->str(), "OptionalType(int64)");
  AbiLayout l = abi_layout(t_optional(t_float64()));
  EXPECT_EQ(l.size, 16u);
  EXPECT_EQ(l.offsets, (std::vector<size_t>{0, 8}));
  EXPECT_EQ(decode_type(encode_type(t_optional(t_tuple({t_int64(), t_bool()})))), t_optional(t_tuple({t_int64(), t_bool()})));
}

TEST(Signature, ParsesNumbaSyntax) {
  Signature s = parse_signature("float64(float64[:], int64)");
  EXPECT_EQ(s.return_type, t_float64());
  ASSERT_EQ(s.args.size(), 2u);
  EXPECT_EQ(s.args[0], t_array(t_float64(), 1, Layout::A));
  EXPECT_EQ(parse_type("float32[:, ::1]"), t_array(t_float(32), 2, Layout::C));
  EXPECT_EQ(parse_type("int8[::1, :]"), t_array(t_int(8), 2, Layout::F));
  EXPECT_EQ(parse_signature("(int64, int64)").return_type, nullptr);
  EXPECT_EQ(parse_signature("void(int32)").return_type, t_none());
  EXPECT_THROW(parse_signature("float64(floaty)"), CompileError);
  EXPECT_THROW(parse_signature("float64(float64"), CompileError);
}

TEST(AbiLayout, MatchesCStructs) {
  EXPECT_EQ(abi_layout(t_array(t_float64(), 2, Layout::C)).size, 24u + 32u);
  AbiLayout l = abi_layout(t_tuple({t_bool(), t_float64(), t_int(32)}));
  EXPECT_EQ(l.offsets, (std::vector<size_t>{0, 8, 16}));
  EXPECT_EQ(l.size, 24u);
}
