// Typing rules of NumPy's creation functions (jit/typing/creation.cpp): argument binding
// by NumPy's parameter names, result dtypes as NumPy 2 picks them, and the errors.
#include <gtest/gtest.h>

#include "jit/typing/creation.h"

using namespace dn;

namespace {

const Type* weak_int() { return t_int64()->weakened(); }
const Type* weak_float() { return t_float64()->weakened(); }
const Type* cls(const Type* t) { return t_number_class(t); }

CallResolution call(const std::string& f, std::vector<const Type*> args,
                    std::vector<std::string> kw = {}) {
  return creation_call(f, args, kw);
}

std::string error_of(const std::string& f, std::vector<const Type*> args,
                     std::vector<std::string> kw = {}, bool* unsupported = nullptr) {
  try {
    call(f, args, kw);
  } catch (const TypeRuleError& e) {
    if (unsupported) *unsupported = e.unsupported;
    return e.message + " | " + e.hint;
  }
  return "no error";
}

TEST(Creation, KnowsItsFunctions) {
  for (auto* f : {"numpy.full", "numpy.empty_like", "numpy.zeros_like", "numpy.ones_like",
                  "numpy.full_like", "numpy.arange", "numpy.linspace", "numpy.eye",
                  "numpy.identity", "numpy.array", "numpy.asarray"})
    EXPECT_TRUE(is_creation_function(f)) << f;
  EXPECT_FALSE(is_creation_function("numpy.zeros"));  // resolve.cpp's own
  EXPECT_FALSE(is_creation_function("numpy.astype"));
}

TEST(Creation, BindsPositionalAndKeywordArguments) {
  CreationArgs b = bind_creation_args("numpy.linspace", 4, {"endpoint", "num"});
  EXPECT_EQ(b.at("start"), 0);
  EXPECT_EQ(b.at("stop"), 1);
  EXPECT_EQ(b.at("endpoint"), 2);
  EXPECT_EQ(b.at("num"), 3);
  EXPECT_EQ(b.at("dtype"), -1);
  // np.arange(stop) and np.arange(stop, step=s): a lone positional argument is the stop.
  b = bind_creation_args("numpy.arange", 1, {});
  EXPECT_EQ(b.at("start"), -1);
  EXPECT_EQ(b.at("stop"), 0);
  b = bind_creation_args("numpy.arange", 2, {"step"});
  EXPECT_EQ(b.at("stop"), 0);
  EXPECT_EQ(b.at("step"), 1);
  b = bind_creation_args("numpy.arange", 2, {"stop"});
  EXPECT_EQ(b.at("start"), 0);
  EXPECT_EQ(b.at("stop"), 1);
}

TEST(Creation, BindingErrors) {
  bool unsup = false;
  std::string e = error_of("numpy.full", {weak_int(), weak_int(), t_string()}, {"order"}, &unsup);
  EXPECT_TRUE(unsup);
  EXPECT_NE(e.find("unsupported keyword argument 'order'"), std::string::npos) << e;
  EXPECT_NE(e.find("supported keyword arguments: shape, fill_value, dtype"), std::string::npos)
      << e;
  // The prototype of *_like and the object of np.array are positional only.
  e = error_of("numpy.zeros_like", {t_array(t_float64(), 1, Layout::C)}, {"a"}, &unsup);
  EXPECT_TRUE(unsup);
  EXPECT_NE(e.find("supported keyword arguments: dtype"), std::string::npos) << e;
  e = error_of("numpy.arange", {weak_int(), weak_int()}, {"start"});
  EXPECT_NE(e.find("multiple values for argument 'start'"), std::string::npos) << e;
  e = error_of("numpy.eye", {weak_int(), weak_int(), weak_int(), cls(t_float64()), weak_int()});
  EXPECT_NE(e.find("takes at most 4 positional arguments, got 5"), std::string::npos) << e;
  e = error_of("numpy.full", {weak_int()});
  EXPECT_NE(e.find("missing required argument 'fill_value'"), std::string::npos) << e;
}

TEST(Creation, FullTakesItsDtypeFromTheValue) {
  EXPECT_EQ(call("numpy.full", {weak_int(), weak_int()}).result, t_array(t_int64(), 1, Layout::C));
  EXPECT_EQ(call("numpy.full", {weak_int(), weak_float()}).result->dtype(), t_float64());
  EXPECT_EQ(call("numpy.full", {weak_int(), t_bool()}).result->dtype(), t_bool());
  EXPECT_EQ(call("numpy.full", {weak_int(), t_float(32)}).result->dtype(), t_float(32));
  auto r = call("numpy.full", {t_tuple({weak_int(), weak_int()}), weak_float(), cls(t_int(8))});
  EXPECT_EQ(r.result, t_array(t_int(8), 2, Layout::C));
  EXPECT_EQ(r.intrinsic, Intrinsic::ArrayFull);
  ASSERT_EQ(r.params.size(), 3u);
  EXPECT_EQ(r.params[1], t_int(8));  // the fill value is converted to the dtype
}

TEST(Creation, LikeKeepsDtypeAndNdimButNotLayout) {
  const Type* f = t_array(t_int(16), 3, Layout::F, true);
  auto r = call("numpy.zeros_like", {f});
  EXPECT_EQ(r.result, t_array(t_int(16), 3, Layout::C));
  EXPECT_EQ(r.intrinsic, Intrinsic::ArrayLike);
  EXPECT_EQ(r.fill, ArrayFill::Zeros);
  EXPECT_EQ(call("numpy.empty_like", {f, cls(t_float(32))}).result->dtype(), t_float(32));
  EXPECT_EQ(call("numpy.full_like", {f, weak_float()}).intrinsic, Intrinsic::ArrayFull);
}

TEST(Creation, ArangeDtypeIsAtLeastInt64) {
  EXPECT_EQ(call("numpy.arange", {weak_int()}).result->dtype(), t_int64());
  EXPECT_EQ(call("numpy.arange", {t_int(8)}).result->dtype(), t_int64());
  EXPECT_EQ(call("numpy.arange", {t_int(32), weak_int()}).result->dtype(), t_int64());
  EXPECT_EQ(call("numpy.arange", {t_float(32)}).result->dtype(), t_float64());
  EXPECT_EQ(call("numpy.arange", {t_int(64, false)}).result->dtype(), t_float64());
  EXPECT_EQ(call("numpy.arange", {weak_int(), weak_float()}).result->dtype(), t_float64());
  auto r = call("numpy.arange", {weak_int(), weak_int(), weak_float(), cls(t_int(32))});
  EXPECT_EQ(r.result->dtype(), t_int(32));
  for (size_t k = 0; k < 3; ++k) EXPECT_EQ(r.params[k], t_float64());  // computed in float64
}

TEST(Creation, LinspaceIsInexact) {
  EXPECT_EQ(call("numpy.linspace", {weak_int(), weak_int()}).result->dtype(), t_float64());
  EXPECT_EQ(call("numpy.linspace", {t_float(32), weak_float()}).result->dtype(), t_float(32));
  EXPECT_EQ(call("numpy.linspace", {t_int(32), weak_int()}).result->dtype(), t_float64());
  auto r = call("numpy.linspace", {weak_int(), weak_int(), weak_int(), cls(t_int(16))}, {"dtype"});
  EXPECT_EQ(r.result->dtype(), t_int(16));
  EXPECT_EQ(r.params[0], t_float64());
  EXPECT_NE(error_of("numpy.linspace", {weak_int(), weak_int(), weak_float()})
                .find("num must be an integer"),
            std::string::npos);
}

TEST(Creation, EyeAndIdentity) {
  EXPECT_EQ(call("numpy.eye", {weak_int()}).result, t_array(t_float64(), 2, Layout::C));
  auto r = call("numpy.eye", {t_int(32), t_none(), weak_int(), cls(t_bool())});
  EXPECT_EQ(r.result->dtype(), t_bool());
  EXPECT_EQ(r.params[0], t_int64());
  EXPECT_EQ(r.params[1], nullptr);  // M=None stays None
  EXPECT_EQ(call("numpy.identity", {weak_int()}).intrinsic, Intrinsic::ArrayEye);
}

TEST(Creation, ArrayOfTuplesPromotesStrongly) {
  // np.array coerces Python numbers to int64/float64: no weak promotion.
  auto r = call("numpy.array", {t_tuple({t_float(32), weak_float()})});
  EXPECT_EQ(r.result, t_array(t_float64(), 1, Layout::C));
  EXPECT_EQ(call("numpy.array", {t_tuple({t_int(8), weak_int()})}).result->dtype(), t_int64());
  EXPECT_EQ(call("numpy.array", {t_tuple({t_bool(), t_bool()})}).result->dtype(), t_bool());
  EXPECT_EQ(call("numpy.array", {t_tuple({})}).result, t_array(t_float64(), 1, Layout::C));
  EXPECT_EQ(call("numpy.array", {weak_float()}).result, t_array(t_float64(), 0, Layout::C));
  const Type* row = t_tuple({weak_int(), weak_int()});
  EXPECT_EQ(call("numpy.asarray", {t_tuple({row, row, row})}).result,
            t_array(t_int64(), 2, Layout::C));
  const Type* short_row = t_tuple({weak_int()});
  EXPECT_NE(error_of("numpy.array", {t_tuple({row, short_row})}).find("different shapes"),
            std::string::npos);
  EXPECT_NE(error_of("numpy.array", {t_tuple({row, weak_int()})}).find("different shapes"),
            std::string::npos);
}

TEST(Creation, ArrayOfArrays) {
  const Type* a = t_array(t_float64(), 2, Layout::A, true);
  auto asarray = call("numpy.asarray", {a});
  EXPECT_EQ(asarray.cast_to, a);  // the argument itself
  auto copy = call("numpy.array", {a});
  EXPECT_EQ(copy.intrinsic, Intrinsic::ArrayCopy);
  EXPECT_EQ(copy.result, t_array(t_float64(), 2, Layout::C));
  bool unsup = false;
  std::string e = error_of("numpy.array", {a, cls(t_float(32))}, {"dtype"}, &unsup);
  EXPECT_TRUE(unsup);
  EXPECT_NE(e.find("astype(float32)"), std::string::npos) << e;
}

}  // namespace
