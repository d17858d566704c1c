// Typing rules: operators (Python semantics on NumPy-promoted scalars), attributes of
// modules/arrays, and the builtin/math/NumPy functions dunnart compiles.
#include "jit/typing/resolve.h"

#include "jit/frontend/local_functions.h"

#include "jit/typing/big_ints.h"
#include "jit/typing/class_rules.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "jit/types/abi_layout.h"
#include "jit/typing/creation.h"
#include "jit/typing/dict_rules.h"
#include "jit/typing/iteration_rules.h"
#include "jit/typing/list_rules.h"
#include "jit/typing/string_rules.h"
#include "jit/typing/shape_functions.h"
#include "jit/typing/infer.h"
#include "jit/types/promotion.h"

namespace dn {
namespace {

using rules::fail;
using rules::unsupported;

bool is_array(const Type* t) { return t && t->kind() == TypeKind::Array; }

// Python bools in arithmetic behave as ints (True + True == 2).
const Type* arith(const Type* t) { return t->is_bool() ? t_int64()->weakened() : t; }

struct MathEntry {
  const char* module;
  const char* name;
  const char* cname;
  int arity;
  enum Result { Float, Int, Bool, Complex, Real, Polar, Rect } result;
};
const MathEntry kMath[] = {
#define MATH(mod, py, c, n, res) {#mod, #py, #c, n, MathEntry::res},
#include "jit/typing/math_functions.def"
#undef MATH
};

const MathEntry* find_math(const std::string& module, const std::string& name) {
  for (auto& e : kMath)
    if (module == e.module && name == e.name) return &e;
  return nullptr;
}

const std::map<std::string, double>& module_constants() {
  static const std::map<std::string, double> c = {
      {"math.pi", M_PI},        {"math.e", M_E},        {"math.tau", 2 * M_PI},
      {"math.inf", INFINITY},   {"math.nan", NAN},      {"cmath.pi", M_PI},       {"cmath.e", M_E},
      {"cmath.tau", 2 * M_PI},  {"cmath.inf", INFINITY}, {"cmath.nan", NAN},     {"numpy.pi", M_PI},
      {"numpy.e", M_E},         {"numpy.inf", INFINITY}, {"numpy.nan", NAN},
      {"numpy.euler_gamma", 0.57721566490153286060},
  };
  return c;
}

// Calls of a runtime entry point with int64 ('i'), float64 ('f'), np.random.Generator
// ('g': the first, the receiver of its methods' helpers) or C-contiguous 1-D array ('a': its
// descriptor's address) operands, and an int64,
// float64 or no ('n') result: dunnart's threads, and the runtime operations that the
// helpers call (python/dunnart/intrinsics.py). An entry that returns no result but an
// int32 is a status (set_num_threads' ValueError).
struct RuntimeScalarCall {
  const char* name;
  const char* entry;
  char result;
  const char* params;
};

const RuntimeScalarCall* runtime_scalar_call(const std::string& q) {
  static const RuntimeScalarCall calls[] = {
      {"dunnart.get_num_threads", "dn_get_num_threads", 'i', ""},
      {"dunnart.set_num_threads", "dn_set_num_threads", 'n', "i"},
      {"dunnart.get_thread_id", "dn_get_thread_id", 'i', ""},
      {"dunnart.intrinsics.random_seed", "dn_random_seed", 'n', "i"},
      {"dunnart.intrinsics.random_double", "dn_random_double", 'f', ""},
      {"dunnart.intrinsics.random_gauss", "dn_random_gauss", 'f', ""},
      {"dunnart.intrinsics.random_bounded", "dn_random_bounded", 'i', "i"},
      {"dunnart.intrinsics.generator_double", "dn_generator_double", 'f', "gifff"},
      {"dunnart.intrinsics.generator_int", "dn_generator_int", 'i', "giffiii"},
      {"dunnart.intrinsics.generator_fill", "dn_generator_fill", 'n', "giaii"},
  };
  for (const auto& c : calls)
    if (q == c.name) return &c;
  return nullptr;
}

// Functions with their own rules below (math functions come from the table).
bool is_known_function(const std::string& q) {
  static const char* known[] = {
      "builtins.range", "builtins.len",   "builtins.abs",   "builtins.min",   "builtins.ord", "builtins.chr",
      "builtins.max",   "numpy.empty",    "numpy.zeros",    "numpy.ones",
      "numpy.abs",      "numpy.absolute", "numpy.square",   "numpy.sign",
      "numpy.maximum",  "numpy.minimum",  "numpy.sum",      "numpy.min",
      "numpy.max",      "numpy.amin",     "numpy.amax",     "numpy.copy",
      "numpy.prod",     "numpy.mean",     "numpy.var",      "numpy.std",
      "numpy.argmin",   "numpy.argmax",   "numpy.all",      "numpy.any",
      "numpy.cumsum",   "numpy.cumprod",  "numpy.fmax",     "numpy.fmin",
      "numpy.where",    "numpy.clip",     "numpy.logaddexp", "numpy.dot",
      "numpy.linalg.solve", "numpy.linalg.inv", "numpy.linalg.det", "numpy.linalg.slogdet", "numpy.linalg.cholesky",
      "numpy.linalg.eigh", "numpy.linalg.eigvalsh", "numpy.linalg.eig", "numpy.linalg.eigvals", "numpy.linalg.svd", "numpy.linalg.svdvals", "numpy.linalg.qr",
      "dunnart.prange", "numba.prange",   "builtins.round", "builtins.dict", "builtins.set", "builtins.print", "builtins.hash",
      "dunnart.intrinsics.sort_line", "dunnart.intrinsics.argsort_line", "dunnart.intrinsics.strided_view",
      "dunnart.intrinsics.readonly_view", "dunnart.intrinsics.tuple_set",
  };
  for (auto* k : known)
    if (q == k) return true;
  return runtime_scalar_call(q) || is_creation_function(q) || is_shape_function(q) || is_builtin_iterator_function(q);
}

std::string types_text(const std::vector<const Type*>& args) {
  std::string s = "(";
  for (size_t k = 0; k < args.size(); ++k) s += (k ? ", " : "") + args[k]->str();
  return s + ")";
}

void expect_arity(const std::string& fname, const std::vector<const Type*>& args, size_t lo,
                  size_t hi) {
  if (args.size() < lo || args.size() > hi)
    fail(fname + "() takes " +
         (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
         " arguments, got " + std::to_string(args.size()));
}

void expect_number(const std::string& fname, const Type* t) {
  if (!t->is_scalar())
    fail(fname + "() of " + t->str() + " is not supported",
         is_array(t) ? "array arguments to this function are not supported yet: write a loop"
                     : "");
}

// The float a math function computes in. NumPy's ufuncs keep float32, and give float32
// for int16/uint16 (float16 for bool, int8 and uint8: dunnart has no float16 arithmetic
// and gives float32 there, which holds every float16 result exactly); wider integers and
// Python ints give float64.
const Type* float_for(const Type* t, bool numpy) {
  if (t->is_float() && (numpy || t->bits() == 64)) return t->strong();
  if (numpy && !t->is_weak() && (t->is_bool() || (t->is_int() && t->bits() <= 16))) return t_float(32);
  return t_float64();
}

// The float loop NumPy picks for a float ufunc of these (real) arguments: the smallest
// float every argument casts to safely (hypot(int16, uint16) is float32, although int16
// and uint16 promote to int32). Python ints and bools adapt to the other arguments (NEP 50);
// a Python float adapts to a float argument and asks for float64 otherwise. Null when every
// argument is a Python int or bool.
const Type* float_loop(const std::vector<const Type*>& args) {
  const Type* loop = nullptr;
  bool weak_float = false, strong_float = false;
  for (auto* arg : args) {
    const Type* e = element_type(arg);
    if (e->is_weak()) {
      weak_float |= e->is_float();
      continue;
    }
    strong_float |= e->is_float();
    const Type* f = float_for(e, true);
    loop = loop ? promote(loop, f) : f;
  }
  return weak_float && !strong_float ? t_float64() : loop;
}

// NumPy ufuncs that also have complex loops (exact results through std::complex).
bool has_complex_loop(const std::string& name) {
  static const char* names[] = {"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "sinh", "cosh",
                                "tanh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
                                "log2", "exp2", "log1p", "expm1", "rint", "power"};
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

// Result dtype of sum over an array (NumPy: small ints and bools sum to the platform int).
const Type* sum_type(const Type* dtype) {
  if (dtype->is_bool()) return t_int64();
  if (dtype->is_int()) return t_int(64, dtype->is_signed());
  return dtype;
}

CallResolution array_alloc(const std::string& fname, const std::vector<const Type*>& args,
                           const std::vector<std::string>& kw) {
  CallResolution r;
  size_t npos = args.size() - kw.size();
  if (npos < 1 || npos > 2) fail(fname + "() takes a shape and an optional dtype");
  const Type* dtype_arg = npos == 2 ? args[1] : nullptr;
  for (size_t k = 0; k < kw.size(); ++k) {
    if (kw[k] == "dtype") dtype_arg = args[npos + k];
    else unsupported(fname + "() got an unsupported keyword argument '" + kw[k] + "'",
                     "supported: shape, dtype");
  }
  const Type* dtype = t_float64();
  if (dtype_arg) {
    if (dtype_arg->kind() != TypeKind::NumberClass)
      fail("dtype must be a NumPy scalar type such as np.float64 or a name of one (\"f8\"), got " + dtype_arg->str());
    dtype = dtype_arg->dtype()->strong();
  }
  const Type* shape = args[0];
  int ndim = 0;
  if (shape->is_int()) {
    ndim = 1;
  } else if (shape->kind() == TypeKind::Tuple) {
    for (auto* e : shape->elements())
      if (!e->is_int()) fail(fname + "() shape must be a tuple of integers, got " + shape->str());
    ndim = int(shape->elements().size());
  } else {
    fail(fname + "() shape must be an integer or a tuple of integers, got " + shape->str());
  }
  r.result = t_array(dtype, ndim, Layout::C);
  r.intrinsic = Intrinsic::ArrayAlloc;
  r.fill = fname == "numpy.empty" ? ArrayFill::Empty : fname == "numpy.zeros" ? ArrayFill::Zeros : ArrayFill::Ones;
  r.params.assign(args.size(), nullptr);
  return r;
}

bool is_reduction(const std::string& m) {
  static const char* names[] = {"sum", "prod", "min", "max", "mean", "var", "std",
                                "argmin", "argmax", "all", "any"};
  for (auto* n : names)
    if (m == n) return true;
  return false;
}

// The dtype NumPy gives a whole-array reduction of `dtype`.
const Type* reduction_type(const std::string& m, const Type* dtype) {
  if (m == "sum" || m == "prod") return sum_type(dtype);
  if (m == "min" || m == "max") return dtype;
  if (m == "argmin" || m == "argmax") return t_int64();
  if (m == "all" || m == "any") return t_bool();
  // mean, var, std: float64 for integers, the float (or complex's float for var/std) otherwise
  if (dtype->is_float()) return dtype;
  if (dtype->is_complex()) return m == "mean" ? dtype : t_float(dtype->bits() / 2);
  return t_float64();
}

// isinstance(x, cls) from x's type, decided while compiling. A compiled int64 may have been
// a Python int or an np.int64, a float64 a float or an np.float64: both answer True, as
// Numba does; narrower NumPy scalars are instances of their own class only.
bool is_instance(const Type* x, const Type* cls) {
  switch (cls->kind()) {
    case TypeKind::Tuple:
      for (const Type* c : cls->elements())
        if (is_instance(x, c)) return true;
      return false;
    case TypeKind::NumberClass: {
      const Type* s = cls->dtype();
      if (!x->is_scalar()) return false;
      if (s->is_weak()) {  // Python's int, float, complex
        if (s->is_int()) return x->is_bool() || (x->is_int() && (x->is_weak() || x->strong() == t_int64()));
        return x->strong() == s->strong();
      }
      return x->strong() == s;  // bool and NumPy's scalar types
    }
    case TypeKind::Function: {
      const std::string& n = cls->name();
      if (n == "builtins.tuple") return x->kind() == TypeKind::Tuple;
      if (n == "builtins.list") return x->kind() == TypeKind::List;
      if (n == "numpy.ndarray") return x->kind() == TypeKind::Array;
      if (n == "builtins.str") return x->kind() == TypeKind::String;
      // NumPy's abstract scalar classes: a compiled number is an instance of its kind's.
      bool number = x->is_number();
      if (n == "numpy.number" || n == "numpy.generic") return number || (n == "numpy.generic" && x->is_bool());
      if (n == "numpy.integer") return x->is_int();
      if (n == "numpy.signedinteger") return x->is_int() && x->is_signed();
      if (n == "numpy.unsignedinteger") return x->is_int() && !x->is_signed();
      if (n == "numpy.floating" || n == "numpy.inexact") return x->is_float() || (n == "numpy.inexact" && x->is_complex());
      if (n == "numpy.complexfloating") return x->is_complex();
      unsupported("isinstance() with " + n,
                  "test for int, float, complex, bool, NumPy scalar types (np.integer, np.floating...), tuple, list or np.ndarray");
    }
    default: fail("isinstance() arg 2 must be a type, a tuple of types, or a union");
  }
}

CallResolution builtin_call(const TypingContext& context, const std::string& fname,
                            const std::vector<const Type*>& args, const std::vector<std::string>& kw);

CallResolution array_method(const TypingContext& context, const std::string& method, const Type* arr,
                            const std::vector<const Type*>& args,
                            const std::vector<std::string>& kw) {
  CallResolution r;
  if (is_shape_method(method)) return shape_method(method, arr, args, kw);
  if (method == "clip") {
    // a.clip(lo, hi) is np.clip(a, lo, hi); its parameters cover the receiver too.
    std::vector<const Type*> all{arr};
    all.insert(all.end(), args.begin(), args.end());
    return builtin_call(context, "numpy.clip", all, kw);
  }
  if (method == "astype") {
    bool copy_kw = kw.size() == 1 && kw[0] == "copy";
    if (args.size() != 1 + copy_kw || kw.size() > size_t(copy_kw))
      fail("astype() takes a dtype and optionally copy=", "a.astype(np.float32) or a.astype(np.float32, copy=False)");
    if (args[0]->kind() != TypeKind::NumberClass)
      fail("astype() needs a NumPy scalar type such as np.float64 or a name of one (\"f8\"), got " + args[0]->str());
    r.result = t_array(args[0]->dtype()->strong(), arr->ndim(), Layout::C);
    if (r.result->dtype() == arr->dtype()) {
      r.intrinsic = Intrinsic::ArrayCopy;  // astype copies even to the same dtype...
      r.func = "astype";                   // ...unless copy=False (decided in the rewrite)
      r.params.assign(args.size(), nullptr);
    } else {
      r.cast_to = r.result;
    }
    return r;
  }
  r.params.clear();
  bool scan = method == "cumsum" || method == "cumprod";
  if (is_reduction(method) || scan) {
    // The only argument is the axis, positional or axis=.
    const Type* axis = nullptr;
    size_t npos = args.size() - kw.size();
    if (npos > 1) unsupported(method + "() takes at most an axis argument here");
    if (npos == 1) axis = args[0];
    for (size_t k = 0; k < kw.size(); ++k) {
      if (kw[k] != "axis")
        unsupported(method + "() got an unsupported keyword argument '" + kw[k] + "'", "supported: axis");
      axis = args[npos + k];
    }
    if (axis == t_none()) axis = nullptr;
    if (axis && !axis->is_int()) fail(method + "() axis must be an integer, got " + axis->str());
    r.result = scan ? t_array(sum_type(arr->dtype()), 1, Layout::C) : reduction_type(method, arr->dtype());
    r.intrinsic = scan ? Intrinsic::Scan : Intrinsic::Reduce;
    r.func = method;
    if (axis) {
      r.has_axis = true;  // operand 2 is the axis
      if (arr->ndim() == 0)  // NumPy's AxisError; the axis loops below assume a dimension
        fail(method + "(axis=...) of a 0-d array: every axis is out of bounds for array of dimension 0",
             "call " + method + "() without an axis");
      if (scan) r.result = t_array(sum_type(arr->dtype()), arr->ndim(), Layout::C);
      else if (arr->ndim() > 1) r.result = t_array(r.result, arr->ndim() - 1, Layout::C);
      r.params.assign(args.size(), nullptr);
      r.params[npos == 1 ? 0 : npos] = t_int64();
    }
    return r;
  }
  if (!kw.empty()) unsupported("keyword arguments to array." + method + "() are not supported yet");
  if (!args.empty())
    unsupported("array." + method + "() with arguments is not supported yet");
  if (false) {
  } else if (method == "cumsum" || method == "cumprod") {
    r.result = t_array(sum_type(arr->dtype()), 1, Layout::C);
    r.intrinsic = Intrinsic::Scan;
    r.func = method;
  } else if (method == "copy") {
    r.result = t_array(arr->dtype(), arr->ndim(), Layout::C);
    r.intrinsic = Intrinsic::ArrayCopy;
  } else {
    unsupported("array method '" + method + "' is not supported",
                "supported array methods: sum, prod, min, max, mean, var, std, argmin, argmax, "
                "all, any, cumsum, cumprod, copy, astype");
  }
  return r;
}

// cmath.f(z): any number, as a Python complex; NumPy's complex loop of the same function
// computes it (equal to CPython's cmath for sqrt, exp, sin, cos, sinh, cosh; within a few
// units in the last place for the others, as the C library's complex functions round).
// Domain and range errors give infinities and NaNs, as the math functions do here (and in
// Numba), where CPython raises ValueError / OverflowError; log(z, base) raises CPython's
// ValueError for base 1, where the quotient has no value at all.
CallResolution cmath_call(const MathEntry& m, const std::string& fname, const std::vector<const Type*>& args) {
  CallResolution r;
  expect_arity(fname, args, m.arity, fname == "log" ? 2 : m.arity);
  for (const Type* a : args) {
    if (is_array(a))
      fail("cmath." + fname + "() of " + a->str() + ": the cmath module works on scalars",
           m.result == MathEntry::Polar  ? "use np.abs(a) and np.angle(a) on arrays"
           : m.result == MathEntry::Rect ? "use r * np.exp(1j * phi) on arrays"
                                         : "use np." + std::string(m.cname) + "(a) on arrays");
    expect_number(fname, a);
    if (m.result == MathEntry::Rect && a->is_complex())
      fail("cmath.rect() of " + a->str() + ": r and phi must be real numbers", "pass z.real or abs(z)");
  }
  const Type* c = t_complex(128);
  const Type* f = t_float64()->weakened();
  r.params.assign(args.size(), c);
  r.intrinsic = Intrinsic::MathFunc;
  r.func = m.cname;
  switch (m.result) {
    case MathEntry::Bool:
      r.intrinsic = fname == "isnan" ? Intrinsic::IsNan : fname == "isinf" ? Intrinsic::IsInf : Intrinsic::IsFinite;
      r.result = t_bool();
      break;
    case MathEntry::Real: r.result = f; break;
    case MathEntry::Polar: r.result = t_tuple({f, f}); break;
    case MathEntry::Rect:
      r.params.assign(args.size(), t_float64());
      r.result = c->weakened();
      break;
    default:
      r.func = std::string("c") + m.cname;  // a complex function of complexes (complex_func)
      r.result = c->weakened();
  }
  return r;
}

CallResolution math_call(const MathEntry& m, const std::string& fname,
                         const std::vector<const Type*>& args) {
  if (std::string(m.module) == "cmath") return cmath_call(m, fname, args);
  CallResolution r;
  expect_arity(fname, args, m.arity, m.arity);
  bool numpy = std::string(m.module) == "numpy";
  const Type* ft = nullptr;
  const Type* common = nullptr;   // NumPy's promotion of the arguments (NEP 50 aware)
  const Type* shape_a = nullptr;  // the widest array argument, for the result's ndim
  for (auto* arg : args) {
    if (is_array(arg)) {
      if (!numpy)
        fail("math." + fname + "() of " + arg->str() + ": the math module works on scalars",
             "use np." + fname + "(a) on arrays");
      if (!shape_a || arg->ndim() > shape_a->ndim()) shape_a = arg;
    }
    const Type* a = element_type(arg);
    expect_number(fname, a);
    bool keeps_kind = std::string(m.cname) == "conjugate";  // np.conjugate/np.conj of complex numbers
    if (a->is_complex() && !(numpy && (has_complex_loop(m.name) || keeps_kind ||
                                       (m.result == MathEntry::Bool && std::string(m.name) != "signbit") ||
                                       m.result == MathEntry::Real))) {
      if (!numpy) fail("math." + fname + "() of complex numbers: the math module works on real numbers",
                       "use np." + fname + "(z)");
      unsupported("np." + fname + "() of complex numbers is not supported yet");
    }
    common = common ? promote(common, a) : a;
  }
  const Type* loop = float_loop(args);
  std::string name = m.name;
  if (numpy && (std::string(m.cname) == "conjugate" || ((name == "real" || name == "imag") && !common->is_complex()))) {
    // A number's own kind back: conjugate (the identity on reals), real and imag of reals.
    const Type* t = common->strong();
    r.intrinsic = Intrinsic::MathFunc;
    r.func = name == "imag" ? "zero" : name == "real" ? "identity" : "conjugate";
    r.params.assign(1, t);
    r.result = shape_a ? broadcast_type(t, shape_a, shape_a) : t;
    return r;
  }
  if (numpy && name == "fmod" && (common->is_int() || common->is_bool())) {
    // C's remainder of integers (the sign of the dividend), 0 for a zero divisor as NumPy.
    const Type* t = common->is_bool() ? t_int(8) : common->strong();
    r.intrinsic = Intrinsic::MathFunc;
    r.func = "fmod_int";
    r.params.assign(2, t);
    r.result = shape_a ? broadcast_type(t, shape_a, shape_a) : t;
    return r;
  }
  if (common->is_complex()) {
    // Complex in, complex of the same width out (complex64 stays complex64).
    const Type* ct = common->strong();
    if (m.result == MathEntry::Bool) {  // isnan/isinf/isfinite look at both parts
      r.intrinsic = m.name == std::string("isnan")   ? Intrinsic::IsNan
                    : m.name == std::string("isinf") ? Intrinsic::IsInf
                                                     : Intrinsic::IsFinite;
      r.params.assign(args.size(), ct);
      r.result = shape_a ? broadcast_type(t_bool(), shape_a, shape_a) : t_bool();
      return r;
    }
    r.intrinsic = Intrinsic::MathFunc;
    r.params.assign(args.size(), ct);
    if (m.result == MathEntry::Real) {  // np.angle: the float of the parts' width
      r.func = m.cname;
      const Type* part = t_float(ct->bits() / 2);
      r.result = shape_a ? broadcast_type(part, shape_a, shape_a) : part;
      return r;
    }
    r.func = std::string(m.name) == "power" ? "ipow" : std::string("c") + m.name;
    r.result = shape_a ? broadcast_type(ct, shape_a, shape_a) : ct;
    return r;
  }
  ft = numpy && loop ? loop->strong() : float_for(common, numpy);
  if (numpy && common->is_weak() && common->is_float()) ft = t_float64();
  r.intrinsic = Intrinsic::MathFunc;
  r.func = m.cname;
  if (numpy && (common->is_int() || common->is_bool()) &&
      (name == "floor" || name == "ceil" || name == "trunc" || name == "fix" || name == "power")) {
    // NumPy 2 keeps integers integral here: floor/ceil/trunc are the identity, power is
    // integer power (negative exponents raise ValueError).
    // Bools stay bool under floor/ceil/trunc (NumPy's '?->?' loops); power of bools is int8.
    const Type* it = common->is_bool() && name == "power" ? t_int(8) : common->strong();
    r.params.assign(args.size(), it);
    r.result = shape_a ? broadcast_type(it, shape_a, shape_a) : it;
    r.func = name == "power" ? "ipow" : "identity";
    return r;
  }
  r.params.assign(args.size(), ft);
  switch (m.result) {
    case MathEntry::Float:
    case MathEntry::Real: r.result = numpy ? ft : t_float64()->weakened(); break;
    case MathEntry::Int:
      r.result = ft;  // then int(): infer_types adds the conversion
      r.converted = t_int64()->weakened();
      break;
    case MathEntry::Bool:
      r.result = t_bool();
      if (name == "signbit") break;  // MathFunc "signbit": the float's sign bit
      r.intrinsic = m.name == std::string("isnan")   ? Intrinsic::IsNan
                    : m.name == std::string("isinf") ? Intrinsic::IsInf
                                                     : Intrinsic::IsFinite;
      break;
    case MathEntry::Complex:
    case MathEntry::Polar:
    case MathEntry::Rect: break;  // cmath's: cmath_call
  }
  if (shape_a) r.result = broadcast_type(r.result, shape_a, shape_a);
  return r;
}

// List.empty_list(item_type), Dict.empty(key_type, value_type): an empty list or dict of
// the declared types (the arguments, compile-time dtypes, are dropped by typing).
static CallResolution typed_container_call(const std::string& fname, const std::vector<const Type*>& args,
                                           const std::vector<std::string>& kw) {
  bool list = fname == "dunnart.typed.List.empty_list";
  std::vector<std::string> names = list ? std::vector<std::string>{"item_type", "allocated"}
                                        : std::vector<std::string>{"key_type", "value_type", "n_keys"};
  std::vector<const Type*> bound(names.size(), nullptr);
  size_t positional = args.size() - kw.size();
  for (size_t k = 0; k < args.size(); ++k) {
    size_t at = k < positional ? k : size_t(std::find(names.begin(), names.end(), kw[k - positional]) - names.begin());
    if (at >= names.size()) fail(fname.substr(8) + "() got an unexpected keyword argument '" + kw[k - positional] + "'");
    bound[at] = args[k];
  }
  size_t needed = list ? 1 : 2;
  for (size_t k = 0; k < needed; ++k)
    if (!bound[k] || bound[k]->kind() != TypeKind::NumberClass)
      unsupported(fname.substr(8) + "() with " + names[k] + " other than a NumPy scalar type or int/float/bool/complex",
                  "declare numbers: " + std::string(list ? "List.empty_list(np.float64)" : "Dict.empty(np.int64, np.float64)"));
  CallResolution r;
  r.intrinsic = list ? Intrinsic::ListFrom : Intrinsic::DictFrom;
  r.result = list ? t_list(bound[0]->dtype()->strong()) : t_dict(bound[0]->dtype()->strong(), bound[1]->dtype()->strong());
  r.drop_arguments = true;
  return r;
}

CallResolution builtin_call(const TypingContext& context, const std::string& fname,
                            const std::vector<const Type*>& args,
                            const std::vector<std::string>& kw) {
  (void)context;
  CallResolution r;
  std::string short_name = fname.substr(fname.find('.') + 1);
  // dunnart.typed's containers are lists and dicts in compiled code (numba.typed's API).
  if (fname == "dunnart.typed.List") return builtin_call(context, "builtins.list", args, kw);
  if (fname == "dunnart.typed.Dict") return builtin_call(context, "builtins.dict", args, kw);
  if (fname == "dunnart.typed.List.empty_list" || fname == "dunnart.typed.Dict.empty")
    return typed_container_call(fname, args, kw);
  if (is_creation_function(fname)) return creation_call(fname, args, kw);  // creation.cpp
  if (is_list_function(fname, {args.begin(), args.end() - long(kw.size())}))  // list_rules.cpp
    return list_function(fname, args, kw);
  if (is_dict_function(fname)) return dict_function(fname, args, kw);        // dict_rules.cpp
  if (const RuntimeScalarCall* call = runtime_scalar_call(fname)) {
    std::string params = call->params;
    expect_arity(short_name, args, params.size(), params.size());
    if (params[0] == 'g' && !is_random_generator(args[0]))
      fail("a method of np.random.Generator called on " + args[0]->str(),
           "only a Generator (np.random.default_rng(seed), passed in as an argument) has it");
    for (size_t k = params[0] == 'g'; k < params.size(); ++k)
      if (params[k] == 'a') {
        if (!is_array(args[k]) || args[k]->ndim() != 1 || args[k]->layout() != Layout::C || args[k]->readonly())
          fail(short_name + "() fills a writeable C-contiguous 1-D array, got " + types_text(args));
      } else if (!args[k]->is_int() && !args[k]->is_bool() && !(params[k] == 'f' && args[k]->is_float()))
        fail(short_name + "() takes " + (params[k] == 'f' ? "numbers" : "integers") + ", got " + types_text(args));
    r.intrinsic = Intrinsic::RuntimeScalar;
    r.func = call->entry;
    for (size_t k = 0; k < params.size(); ++k)
      r.params.push_back(params[k] == 'g' || params[k] == 'a' ? args[k] : params[k] == 'f' ? t_float64() : t_int64());
    r.result = call->result == 'n' ? t_none() : call->result == 'f' ? t_float64()->weakened() : t_int64()->weakened();
    return r;
  }
  if (fname == "dunnart.intrinsics.sort_line" || fname == "dunnart.intrinsics.argsort_line") {
    expect_arity(fname, args, 2, 2);
    if (!is_array(args[0]) || args[0]->ndim() != 1 || args[0]->dtype()->is_complex())
      unsupported("sorting " + types_text(args) + ": a 1-D array of numbers or bools is sorted", "");
    bool sort = fname == "dunnart.intrinsics.sort_line";
    r.intrinsic = Intrinsic::SortLine;
    r.func = sort ? "sort" : "argsort";
    r.params = {nullptr, t_bool()};
    r.result = sort ? t_none() : t_array(t_int64(), 1, Layout::C);
    return r;
  }
  if (fname == "dunnart.intrinsics.strided_view" || fname == "dunnart.intrinsics.readonly_view") {
    expect_arity(fname, args, 4, 4);
    auto ints = [](const Type* t) {
      if (t->kind() != TypeKind::Tuple) return false;
      for (auto* e : t->elements())
        if (!e->is_int()) return false;
      return true;
    };
    if (!is_array(args[0]) || !ints(args[1]) || !ints(args[2]) ||
        args[1]->elements().size() != args[2]->elements().size() || !args[3]->is_int())
      fail(fname + "(a, shape, strides, offset) takes an array, two int tuples of one length and an int, got " +
           types_text(args));
    r.intrinsic = Intrinsic::StridedView;
    r.params = {nullptr, nullptr, nullptr, t_int64()};
    bool readonly = args[0]->readonly() || fname == "dunnart.intrinsics.readonly_view";
    r.result = t_array(args[0]->dtype(), int(args[1]->elements().size()), Layout::A, readonly);
    return r;
  }
  if (fname == "dunnart.intrinsics.tuple_set") {
    expect_arity(fname, args, 3, 3);
    const Type* t = args[0];
    bool uniform = t->kind() == TypeKind::Tuple;  // () too: where no i can be in range, never run
    for (size_t k = 0; uniform && k < t->elements().size(); ++k)
      uniform = t->elements()[k]->is_scalar() && t->elements()[k]->strong() == t->elements()[0]->strong();
    if (!uniform || !args[1]->is_int() || !args[2]->is_scalar())
      fail("tuple_set(t, i, v) takes a uniform tuple, an int and a number, got " + types_text(args));
    // (1, n): Python's ints and an int64 are one int64 tuple.
    const Type* e = t->elements().empty() ? t_int64() : t->elements()[0]->strong();
    r.intrinsic = Intrinsic::TupleSet;
    r.result = t_tuple(std::vector<const Type*>(t->elements().size(), e));
    r.params = {r.result, t_int64(), e};
    return r;
  }
  if (fname == "builtins.hash") {
    expect_arity("hash", args, 1, 1);
    const Type* t = args[0];
    if (is_str(t)) {  // Python's own hash, salted per process: through the runtime's hook
      r.intrinsic = Intrinsic::StrMethod;
      r.func = "hash";
      r.params = {nullptr};
      r.result = t_int64()->weakened();
      return r;
    }
    bool ok = t->is_scalar() || t->kind() == TypeKind::Tuple;
    if (ok && t->kind() == TypeKind::Tuple)
      for (const Type* e : t->elements()) ok &= e->is_scalar();
    if (!ok)
      fail("hash() of " + t->str() + " is not supported", "hash numbers, strs, or tuples of numbers");
    if (scalar_count(t) > 16) unsupported("hash() of a tuple of more than 16 numbers");
    r.result = t_int64()->weakened();
    r.intrinsic = Intrinsic::Hash;
    return r;
  }
  if (fname == "builtins.print") {
    // What print() shows; infer.cpp turns the call into a Print of a message template.
    size_t positional = args.size() - kw.size();
    for (size_t k = 0; k < kw.size(); ++k) {
      if (kw[k] == "flush") continue;  // the text goes to sys.stdout.write, which Python buffers as its own
      if (kw[k] == "file") unsupported("print(..., file=...)", "print to sys.stdout, or return the values");
      if (kw[k] != "sep" && kw[k] != "end") fail("print() got an unexpected keyword argument '" + kw[k] + "'");
      const Type* t = args[positional + k];
      if (t->kind() != TypeKind::String && t->kind() != TypeKind::None)
        fail("print()'s " + kw[k] + " must be None or a str, not " + t->str());
    }
    std::function<void(const Type*, bool)> check = [&](const Type* t, bool inside) {
      if (t->kind() == TypeKind::Tuple) {
        for (const Type* e : t->elements()) check(e, true);
        return;
      }
      if (t->is_scalar() || t->kind() == TypeKind::None || t->kind() == TypeKind::String ||
          t->kind() == TypeKind::Array)
        return;
      unsupported("print() of " + t->str() + " is not supported yet",
                  "print numbers, strings, arrays and tuples of these");
    };
    for (size_t k = 0; k < positional; ++k) check(args[k], false);
    r.result = t_none();
    return r;
  }
  if (is_builtin_iterator_function(fname)) return builtin_iterator_call(fname, args, kw);  // iteration_rules.cpp
  if (fname == "builtins.next") return next_call(args, kw);                                // iteration_rules.cpp
  if (is_shape_function(fname)) return shape_call(fname, args, kw);        // shape_functions.cpp
  bool binds_keywords = fname == "builtins.round" || fname == "numpy.empty" || fname == "numpy.zeros" || fname == "numpy.ones" ||
                        fname == "numpy.linalg.svd" || fname == "numpy.linalg.qr" ||
                        (fname.rfind("numpy.", 0) == 0 && (is_reduction(short_name) || short_name == "amin" ||
                                                           short_name == "amax" || short_name == "cumsum" ||
                                                           short_name == "cumprod"));
  if (!kw.empty() && !binds_keywords) {
    if ((fname == "builtins.min" || fname == "builtins.max") && std::count(kw.begin(), kw.end(), "key"))
      unsupported(short_name + "() with key= is not supported yet",
                  "compare (key, value) tuples: " + short_name + "([(len(w), w) for w in words])[1]");
    if ((fname == "builtins.min" || fname == "builtins.max") && std::count(kw.begin(), kw.end(), "default"))
      fail("Cannot specify a default for " + short_name + "() with multiple positional arguments");
    std::string names;
    for (const std::string& k : kw) names += (names.empty() ? "" : ", ") + k + "=";
    unsupported(short_name + "() got keyword arguments (" + names + "), which dunnart does not support here",
                "pass its arguments by position, or leave these out");
  }

  if (fname == "builtins.range" || fname == "dunnart.prange" || fname == "numba.prange") {
    expect_arity(short_name, args, 1, 3);
    for (auto* a : args)
      if (!a->is_int() && !a->is_bool())
        fail("range() arguments must be integers, got " + types_text(args),
             "convert with int(...) first");
    r.result = t_range();
    r.intrinsic = Intrinsic::Range;
    r.params.assign(args.size(), t_int64());
    return r;
  }
  if (fname == "builtins.slice") {
    expect_arity("slice", args, 1, 3);
    for (auto* a : args)
      if (!a->is_int() && !a->is_bool() && a != t_none())
        fail("slice indices must be integers or None, got " + types_text(args));
    auto none = [&](size_t k) { return k >= args.size() || args[k] == t_none(); };
    // slice(stop) / slice(start, stop) / slice(start, stop, step)
    bool no_start = args.size() == 1 || none(0);
    bool no_stop = args.size() == 1 ? none(0) : none(1);
    bool unit = args.size() < 3 || none(2);
    r.result = t_slice(unit && no_start && no_stop ? kSliceFull : unit ? kSliceUnitStep : kSliceGeneral);
    r.intrinsic = Intrinsic::Slice;
    for (auto* a : args) r.params.push_back(a == t_none() ? nullptr : t_int64());
    return r;
  }
  if ((fname == "builtins.any" || fname == "builtins.all" || fname == "builtins.min" || fname == "builtins.max") &&
      args.size() == 1 && is_array(args[0]) && args[0]->ndim() > 1)
    fail(short_name + "() of a " + std::to_string(args[0]->ndim()) +
             "-d array takes the truth value of its rows, which NumPy refuses for rows of more than one element",
         "use a." + short_name + "() for all the elements, or np." + short_name + "(a, axis=0)");
  if ((fname == "builtins.any" || fname == "builtins.all") && args.size() == 1 && is_array(args[0])) {
    CallResolution a = array_method(context, short_name, args[0], {}, kw);
    a.params = {nullptr};
    return a;
  }
  if (fname == "builtins.any" || fname == "builtins.all")
    unsupported(short_name + "() of " + (args.size() == 1 ? args[0]->str() : "several arguments"),
                "any()/all() take an array or a list (a generator expression is not compiled yet: use a list)");
  if (fname == "builtins.isinstance") {
    expect_arity("isinstance", args, 2, 2);
    r.result = t_bool();
    r.known_bool = is_instance(args[0], args[1]);
    r.params = {nullptr, nullptr};
    return r;
  }
  if (fname == "builtins.round") {
    // round(x) is an int (ties to even); round(x, n) a float rounded as Python does, and
    // an int of an int.
    for (const std::string& k : kw)
      if (k != "ndigits") fail("round() got an unexpected keyword argument '" + k + "'");
    expect_arity("round", args, 1, 2);
    const Type* x = args[0];
    if (is_array(x)) unsupported("round() of an array", "use np.rint(a), or a loop");
    expect_number("round", x);
    if (x->is_complex()) fail("type complex doesn't define __round__ method");
    if (args.size() == 2 && args[1] == t_none()) unsupported("round(x, None)", "write round(x)");
    bool digits = args.size() == 2;
    if (digits && !args[1]->is_int() && !args[1]->is_bool())
      fail("'" + args[1]->str() + "' object cannot be interpreted as an integer");
    r.intrinsic = Intrinsic::MathFunc;
    if (x->is_int() || x->is_bool()) {
      if (digits) unsupported("round() of an integer to ndigits", "round a float, or use (x // 10**k) * 10**k");
      r.func = "identity";
      r.result = x->is_bool() ? t_int64()->weakened() : x;
      r.params = {r.result};
    } else if (digits) {
      r.func = "dn_py_round";
      r.result = t_float64()->weakened();
      r.params = {t_float64(), t_int64()};
    } else {
      MathEntry rint{"builtins", "round", "rint", 1, MathEntry::Int};
      r = math_call(rint, "round", {x});
    }
    return r;
  }
  if (fname == "builtins.ord" || fname == "builtins.chr") return string_builtin(short_name, args, kw);
  if (fname == "dunnart.exception_text") {  // str(e) / repr(e) of `except ... as e` (build_ir.cpp)
    CallResolution r;
    r.intrinsic = Intrinsic::StrMethod;
    r.func = "exception_text";
    r.params = {t_int64(), t_int64()};
    r.result = t_string();
    return r;
  }
  if (fname == "builtins.pow") {  // pow(a, b) is a ** b (the frontend's); pow(a, b, m) of ints here
    expect_arity("pow", args, 3, 3);
    for (const Type* a : args)
      if (!a->is_int() && !a->is_bool())
        fail("pow() 3rd argument not allowed unless all arguments are integers");
    r.intrinsic = Intrinsic::MathFunc;
    r.func = "dn_int_pow_mod";  // a checked runtime call (infer.cpp)
    r.result = t_int64()->weakened();
    r.params.assign(3, t_int64());
    return r;
  }
  if (fname == "builtins.len") {
    expect_arity("len", args, 1, 1);
    auto k = args[0]->kind();
    if (k != TypeKind::Array && k != TypeKind::Tuple && k != TypeKind::Range && k != TypeKind::List &&
        k != TypeKind::Dict && k != TypeKind::Set && k != TypeKind::DictView && k != TypeKind::String)
      fail("len() of " + args[0]->str() + " is not supported");
    if (k == TypeKind::Array && args[0]->ndim() == 0) fail("len() of a 0-d array");
    r.result = t_int64()->weakened();
    r.intrinsic = Intrinsic::Len;
    r.params = {nullptr};
    return r;
  }
  if (fname == "builtins.abs" || fname == "numpy.abs" || fname == "numpy.absolute" ||
      fname == "numpy.square" || fname == "numpy.sign") {
    expect_arity(short_name, args, 1, 1);
    if (is_array(args[0])) {
      // Elementwise on an array: the same rule on its dtype, as an array of the result.
      CallResolution e = builtin_call(context, fname == "builtins.abs" ? "numpy.abs" : fname,
                                      {args[0]->dtype()}, kw);
      e.result = t_array(e.result->strong(), args[0]->ndim(), Layout::C);
      return e;
    }
    expect_number(short_name, args[0]);
    if (args[0]->is_bool() && fname != "builtins.abs") {
      // NumPy: abs of a bool is the bool, square is int8 (the '?' loop is missing), and
      // sign has no bool loop at all.
      if (fname == "numpy.sign")
        fail("ufunc 'sign' did not contain a loop with signature matching types (bool) -> bool",
             "convert first, e.g. np.sign(a.astype(np.int8))");
      if (fname != "numpy.square") {
        r.intrinsic = Intrinsic::Abs;
        r.result = t_bool();
        r.params = {t_bool()};
        return r;
      }
      r.intrinsic = Intrinsic::MathFunc;
      r.func = "square";
      r.result = t_int(8);
      r.params = {t_int(8)};
      return r;
    }
    const Type* t = arith(args[0]);
    if (fname == "numpy.square" || fname == "numpy.sign") {
      // Codegen expresses these with arithmetic: square = x*x, sign through comparisons.
      r.intrinsic = Intrinsic::MathFunc;
      r.func = short_name;
      r.result = fname.rfind("numpy.", 0) == 0 ? t->strong() : t;
      r.params = {r.result};
      return r;
    }
    r.intrinsic = Intrinsic::Abs;
    r.result = t->is_complex() ? t_float(t->bits() / 2) : t;
    if (fname != "builtins.abs") r.result = r.result->strong();
    if (t->is_complex() && t->is_weak()) r.result = r.result->weakened();
    r.params = {t};
    return r;
  }
  if (fname == "numpy.maximum" || fname == "numpy.minimum" || fname == "numpy.fmax" ||
      fname == "numpy.fmin" || fname == "numpy.logaddexp" || fname == "numpy.clip") {
    // NumPy's binary ufuncs (maximum/minimum propagate NaN, fmax/fmin ignore it), and
    // clip(a, lo, hi) = minimum(maximum(a, lo), hi), on scalars and arrays alike.
    size_t n = fname == "numpy.clip" ? 3 : 2;
    expect_arity(short_name, args, n, n);
    const Type* t = nullptr;
    const Type* widest = nullptr;
    for (auto* a : args) {
      if (is_array(a) && (!widest || a->ndim() > widest->ndim())) widest = a;
      const Type* e = element_type(a);
      expect_number(short_name, e);
      if (e->is_complex() && (fname == "numpy.logaddexp" || fname == "numpy.clip"))
        fail(short_name + "() of complex numbers is not supported");
      t = t ? promote(t, e) : e;
    }
    t = t->strong();
    if (fname == "numpy.logaddexp" && !t->is_float()) {
      const Type* loop = float_loop(args);
      t = loop ? loop->strong() : t_float64();
    }
    r.intrinsic = Intrinsic::MathFunc;
    r.func = short_name;
    r.params.assign(args.size(), t);
    r.result = widest ? t_array(t, widest->ndim(), Layout::C) : t;
    return r;
  }
  if (fname == "numpy.dot") {
    expect_arity("dot", args, 2, 2);
    if (!is_array(args[0]) || !is_array(args[1]))
      unsupported("np.dot of " + types_text(args) + ": only arrays are supported", "use * for scalars");
    r.result = matmul_type(args[0], args[1], true);
    r.intrinsic = Intrinsic::MatMul;
    const Type* d = promote(args[0]->dtype(), args[1]->dtype());
    r.params = {d, d};
    return r;
  }
  if (fname.rfind("numpy.linalg.", 0) == 0) {
    // LAPACK on float32 or float64 (ints and bools as float64, as NumPy), one matrix.
    const std::string op = fname.substr(fname.rfind('.') + 1);
    const std::string what = "np.linalg." + op;
    const size_t n = op == "solve" ? 2 : 1;
    if (op == "svd") {  // svd(a, full_matrices=True): the flag is the call's second operand
      for (const std::string& k : kw)
        if (k != "full_matrices")
          unsupported("np.linalg.svd(" + k + "=...)", k == "compute_uv" ? "np.linalg.svdvals(a) gives the singular values alone" : "");
      expect_arity(what, args, 1, 2);
      if (args.size() == 2 && !args[1]->is_bool() && !args[1]->is_int())
        fail("np.linalg.svd() full_matrices must be a bool, got " + args[1]->str());
    } else {
      if (op == "qr" && !kw.empty()) unsupported("np.linalg.qr(" + kw[0] + "=...)", "its default mode, 'reduced', is supported");
      expect_arity(what, args, n, n);
    }
    const Type* d = nullptr;
    for (size_t k = 0; k < n; ++k) {
      if (!is_array(args[k])) fail(what + "() takes arrays, got " + types_text(args));
      const Type* e = args[k]->dtype();
      if (e->is_complex()) unsupported(what + "() of complex arrays is not supported yet", "");
      d = d ? promote(d, e) : e;
    }
    d = d->is_float() && d->bits() == 32 ? t_float(32) : t_float64();
    if (args[0]->ndim() != 2)
      unsupported(what + "() of a " + std::to_string(args[0]->ndim()) + "-D array: only 2-D matrices are supported yet",
                  "loop over the matrices of a stack");
    if (n == 2 && args[1]->ndim() != 1 && args[1]->ndim() != 2)
      unsupported(what + "() with a " + std::to_string(args[1]->ndim()) +
                      "-D right-hand side: only 1-D and 2-D are supported yet", "");
    r.intrinsic = Intrinsic::Linalg;
    r.func = op;
    for (size_t k = 0; k < n; ++k)  // arrays of another dtype: converted first
      r.params.push_back(args[k]->dtype() == d ? nullptr : t_array(d, args[k]->ndim(), Layout::C));
    if (op == "svd" && args.size() == 2) r.params.push_back(t_bool());
    const Type* matrix = t_array(d, 2, Layout::C);
    if (op == "svd") r.result = t_tuple({matrix, t_array(d, 1, Layout::C), matrix});
    else if (op == "svdvals") r.result = t_array(d, 1, Layout::C);
    else if (op == "qr") r.result = t_tuple({matrix, matrix});
    else if (op == "det") r.result = d;
    else if (op == "slogdet") r.result = t_tuple({d, d});  // (sign, logabsdet)
    else if (op == "eigvalsh" || op == "eigvals") r.result = t_array(d, 1, Layout::C);
    else if (op == "eigh" || op == "eig") r.result = t_tuple({t_array(d, 1, Layout::C), t_array(d, 2, Layout::C)});
    else r.result = t_array(d, op == "solve" ? args[1]->ndim() : 2, Layout::C);  // solve, inv, cholesky
    return r;
  }
  if (fname == "numpy.where") {
    expect_arity("where", args, 3, 3);
    const Type* t = promote(element_type(args[1]), element_type(args[2]));
    if (!t) fail("where() needs numbers or arrays, got " + types_text(args));
    t = t->strong();
    const Type* widest = nullptr;
    for (auto* a : args)
      if (is_array(a) && (!widest || a->ndim() > widest->ndim())) widest = a;
    r.intrinsic = Intrinsic::Where;
    r.params = {t_bool(), t, t};
    r.result = widest ? t_array(t, widest->ndim(), Layout::C) : t;
    return r;
  }
  if (fname == "builtins.min" || fname == "builtins.max") {
    bool is_min = fname == "builtins.min";
    if (args.size() == 1 && is_array(args[0])) {
      CallResolution a = array_method(context, is_min ? "min" : "max", args[0], {}, kw);
      a.params = {nullptr};
      return a;
    }
    if (args.size() < 2) fail(short_name + "() needs at least two scalar arguments");
    if (fname.rfind("numpy.", 0) == 0) expect_arity(short_name, args, 2, 2);
    if (fname.rfind("builtins.", 0) == 0 && std::all_of(args.begin(), args.end(), is_str)) {
      r.result = t_string();  // strs by code points (lower_strings)
      r.intrinsic = is_min ? Intrinsic::Min : Intrinsic::Max;
      r.params.assign(args.size(), nullptr);
      return r;
    }
    const Type* t = nullptr;
    for (auto* a : args) {
      expect_number(short_name, a);
      if (a->is_complex()) fail(short_name + "() of complex numbers");
      t = t ? promote(t, a) : a;
    }
    if (fname.rfind("numpy.", 0) == 0) t = t->strong();
    r.result = t;
    r.intrinsic = is_min ? Intrinsic::Min : Intrinsic::Max;
    r.params.assign(args.size(), t);
    return r;
  }
  if (fname == "numpy.empty" || fname == "numpy.zeros" || fname == "numpy.ones")
    return array_alloc(fname, args, kw);
  if (fname == "numpy.amin" || fname == "numpy.amax" || fname == "numpy.copy" ||
      (fname.rfind("numpy.", 0) == 0 && (is_reduction(short_name) || short_name == "cumsum" ||
                                         short_name == "cumprod"))) {
    if (args.empty() || !is_array(args[0])) fail(short_name + "() of a non-array is not supported");
    std::string m = short_name == "amin" ? "min" : short_name == "amax" ? "max" : short_name;
    CallResolution a = array_method(context, m, args[0], {args.begin() + 1, args.end()}, kw);
    a.params = {nullptr};
    return a;
  }
  std::string module = fname.substr(0, fname.find('.'));
  if (const MathEntry* m = find_math(module, short_name)) return math_call(*m, short_name, args);
  if (fname == "builtins.tuple")
    unsupported("tuple() is not supported: a tuple's length is part of its type, known while compiling",
                "build a list (list(...), or a list comprehension), or write the tuple out: (a, b, c)");
  unsupported("function " + fname + " is not supported",
              "dunnart supports the math module, builtins range/len/abs/min/max/int/float/bool "
              "and NumPy's scalar math and array creation functions");
}

}  // namespace

const Type* const_type(const ConstValue& c) {
  switch (c.kind) {
    case ConstValue::Kind::None: return t_none();
    case ConstValue::Kind::Bool: return t_bool()->weakened();
    case ConstValue::Kind::Int: return t_int64()->weakened();
    case ConstValue::Kind::Float: return t_float64()->weakened();
    case ConstValue::Kind::Complex: return t_complex(128)->weakened();
    case ConstValue::Kind::Tuple: {
      std::vector<const Type*> elems;
      for (auto& e : c.items) elems.push_back(const_type(e));
      return t_tuple(elems);
    }
    case ConstValue::Kind::Str: return t_string();
    case ConstValue::Kind::Other:
      unsupported("constants of type '" + c.s + "' are not supported in jitted code");
    case ConstValue::Kind::BigInt: fail(big_int_message(c.s), big_int_hint);
  }
  return nullptr;
}

const Type* global_type(const TypingContext& context, const GlobalValue& g, ConstValue* constant_out) {
  (void)context;
  switch (g.kind) {
    case GlobalValue::Kind::Const:
      if (constant_out) *constant_out = g.value;
      return const_type(g.value);
    case GlobalValue::Kind::Module: return t_module(g.name);
    case GlobalValue::Kind::Function: return t_function(g.name);
    case GlobalValue::Kind::NumberClass: {
      // Python's own int/float/complex convert to Python (weak) scalars.
      bool weak = g.name == "int" || g.name == "float" || g.name == "complex";
      const Type* s = weak ? default_of_kind(g.name == "int"     ? TypeKind::Int
                                             : g.name == "float" ? TypeKind::Float
                                                                 : TypeKind::Complex)
                                 ->weakened()
                           : scalar_from_name(g.name);
      if (!s) unsupported("the type " + g.name + " is not supported");
      return t_number_class(s);
    }
    case GlobalValue::Kind::Dispatcher: return t_dispatcher(g.handle, g.name);
    case GlobalValue::Kind::NamedTupleClass:
    case GlobalValue::Kind::EnumClass:
    case GlobalValue::Kind::EnumMember:
    case GlobalValue::Kind::NamedTupleValue: return class_global_type(g, constant_out);
    case GlobalValue::Kind::Array: {
      // Frozen like Numba: read-only, its bytes copied into the code (C order).
      const Type* d = scalar_from_name(g.name);
      if (!d) unsupported("a global NumPy array of dtype " + g.name + " cannot be used in jitted code");
      return t_array(d, int(g.shape.size()), Layout::C, true);
    }
    case GlobalValue::Kind::Unsupported:
      if (g.name.rfind("numpy array", 0) == 0)
        unsupported("a global " + g.name + " cannot be used in jitted code",
                    "global arrays are frozen as constants of dtype bool, int8-int64, uint8-uint64, "
                    "float32, float64, complex64 or complex128; pass other arrays as arguments");
      if (g.name.rfind("enum class ", 0) == 0)
        unsupported("the " + g.name + " cannot be used in jitted code",
                    "dunnart compiles members of enum.Enum and enum.IntEnum classes whose values are ints; "
                    "use such a class, or read the values you need outside the function");
      if (g.name.rfind("function ", 0) == 0)
        unsupported(g.name + " is not supported in jitted code",
                    "jitted code can call the math module, NumPy's array functions and ufuncs, "
                    "builtins such as range/len/abs/min/max, and other jitted functions");
      unsupported("a global value of Python type '" + g.name + "' cannot be used in jitted code",
                  "jitted code can read numbers, tuples of numbers, modules such as math and "
                  "numpy, and other jitted functions");
  }
  return nullptr;
}

const Type* element_type(const Type* t) { return is_array(t) ? t->dtype() : t; }

const Type* broadcast_type(const Type* elem, const Type* a, const Type* b) {
  if (!is_array(a) && !is_array(b)) return elem;
  int nd = std::max(is_array(a) ? a->ndim() : 0, is_array(b) ? b->ndim() : 0);
  return t_array(elem->strong(), nd, Layout::C);
}

const Type* binop_operand_type(BinOpKind k, const Type* a, const Type* b) {
  bool numeric = (a->is_scalar() || is_array(a)) && (b->is_scalar() || is_array(b));
  if (!numeric)
    fail(std::string("unsupported operand types for ") + binop_symbol(k) + ": " + a->str() +
         " and " + b->str());
  if (k == BinOpKind::MatMul) {
    if (is_array(a) && is_array(b)) return element_type(promote(a->dtype(), b->dtype()));
    fail("@ needs two arrays, got " + a->str() + " and " + b->str());
  }
  if (is_array(a) || is_array(b)) {
    // NumPy: the operation on the elements, the array's dtype strong, scalars weak or not.
    const Type* ea = element_type(a);
    const Type* eb = element_type(b);
    // NumPy on two bool arrays: + is or, * is and (bool results), - is an error, and the
    // other arithmetic works on int8 0/1 values.
    if (ea->is_bool() && eb->is_bool()) {
      if (k == BinOpKind::Sub)
        fail("numpy boolean subtract, the `-` operator, is not supported", "use the bitwise_xor, the `^` operator");
      if (k == BinOpKind::Add || k == BinOpKind::Mul || k == BinOpKind::And || k == BinOpKind::Or ||
          k == BinOpKind::Xor)
        return t_bool();
      return k == BinOpKind::TrueDiv ? t_float64() : t_int(8);
    }
    return binop_operand_type(k, ea, eb)->strong();
  }
  switch (k) {
    case BinOpKind::And:
    case BinOpKind::Or:
    case BinOpKind::Xor:
      if (a->is_bool() && b->is_bool()) return t_bool();
      [[fallthrough]];
    case BinOpKind::LShift:
    case BinOpKind::RShift: {
      const Type* p = promote(arith(a), arith(b));
      if (!p || !p->is_int())
        fail(std::string("unsupported operand types for ") + binop_symbol(k) + ": " + a->str() +
                 " and " + b->str(),
             "bitwise operators need integers");
      return p;
    }
    case BinOpKind::MatMul: fail("@ needs arrays");
    default: break;
  }
  const Type* p = promote(arith(a), arith(b));
  if (!p) fail(std::string("unsupported operand types for ") + binop_symbol(k));
  if (p->is_complex() && (k == BinOpKind::FloorDiv || k == BinOpKind::Mod))
    fail(std::string("complex numbers do not support ") + binop_symbol(k));
  return p;
}

const Type* binop_type(BinOpKind k, const Type* a, const Type* b) {
  if (const Type* l = list_binop_type(k, a, b)) return l;
  if (const Type* s = set_binop_type(k, a, b)) return s;
  if (const Type* s = string_binop_type(k, a, b)) return s;
  const Type* ot = binop_operand_type(k, a, b);
  if (k == BinOpKind::MatMul) return matmul_type(a, b);
  const Type* r = ot;
  if (k == BinOpKind::TrueDiv && (ot->is_int() || ot->is_bool()))
    r = ot->is_weak() ? t_float64()->weakened() : t_float64();
  return broadcast_type(r, a, b);
}

const Type* unary_type(UnaryKind k, const Type* a) {
  if (k == UnaryKind::Not) {
    if (is_array(a))
      fail("the truth value of an array is ambiguous (not a)", "use ~a for a bool array, or a.any()/a.all()");
    return t_bool();
  }
  if (is_array(a)) {
    const Type* d = a->dtype();
    if (k == UnaryKind::Invert && !(d->is_bool() || d->is_int())) fail("~ needs an integer or bool array, got " + a->str());
    if (k == UnaryKind::Neg && d->is_bool()) fail("- of a bool array is not supported (NumPy too)", "use ~a");
    if (k == UnaryKind::Pos && d->is_bool())
      fail("+ of a bool array is not supported (NumPy has no bool loop for np.positive)", "use a.astype(np.int8)");
    return t_array(d, a->ndim(), Layout::C);
  }
  if (!a->is_scalar())
    fail(std::string("unsupported operand type for unary ") + unary_symbol(k) + ": " + a->str());
  if (k == UnaryKind::Invert) {
    // Python's ~True is ~1 == -2 (an int); NumPy's ~np.True_ is False.
    if (a->is_bool()) return a->is_weak() ? t_int64()->weakened() : t_bool();
    if (!a->is_int()) fail("~ needs an integer, got " + a->str());
    return a;
  }
  return arith(a);
}

// Whether == compares values of these types element by element: numbers, and tuples of the
// same length of comparable elements; members of one enum, and IntEnum members as ints
// (typing compares their values: class_rules.h).
static bool comparable(const Type* a, const Type* b) {
  if (a == b && a->kind() == TypeKind::EnumMember) return true;
  if (const Type* v = demote_int_enum(a)) a = v;
  if (const Type* v = demote_int_enum(b)) b = v;
  if (a->is_scalar() && b->is_scalar()) return true;
  if (a->kind() != TypeKind::Tuple || b->kind() != TypeKind::Tuple || a->elements().size() != b->elements().size())
    return false;
  for (size_t k = 0; k < a->elements().size(); ++k)
    if (!comparable(a->elements()[k], b->elements()[k])) return false;
  return true;
}

// `x in l`, `l == m`: compared element by element when lowered (lower_lists.cpp).
static bool list_comparison(CmpKind k, const Type* a, const Type* b) {
  if (k == CmpKind::In || k == CmpKind::NotIn) {
    if (b->kind() == TypeKind::Tuple) {
      // x in (1, 2, 3), and x in {1, 2, 3}, whose constant is a frozenset: each element
      // compared in turn (lower_lists).
      for (const Type* e : b->elements())
        if (!comparable(a, e)) fail("cannot look for a " + a->str() + " in a " + b->str());
      return true;
    }
    if (!is_list(b)) return false;
    refuse_element_comparison(b, std::string("'") + cmp_symbol(k) + "'");
    const Type* e = b->dtype();
    if (e && !(a->is_scalar() && e->is_scalar()) && storage_type(a) != e)
      fail("cannot look for a " + a->str() + " in a " + b->str());
    return true;
  }
  if (!is_list(a) && !is_list(b)) return false;
  if (!is_list(a) || !is_list(b)) fail(std::string("cannot compare ") + a->str() + " " + cmp_symbol(k) + " " + b->str());
  refuse_element_comparison(holds_references(a) ? a : b, std::string("'") + cmp_symbol(k) + "'");
  const Type *x = a->dtype(), *y = b->dtype();
  if (k != CmpKind::Eq && k != CmpKind::Ne) {
    // Lexicographic, as Python orders lists: of numbers that have an order.
    auto orderable = [](const Type* t) { return !t || (t->is_scalar() && !t->is_complex()); };
    if (!orderable(x) || !orderable(y))
      unsupported(std::string("ordering lists of ") + (orderable(x) ? y : x)->str() + " with " + cmp_symbol(k),
                  "compare the elements yourself");
    return true;
  }
  if (x && y && x != y && !(x->is_scalar() && y->is_scalar()))
    fail(std::string("cannot compare ") + a->str() + " " + cmp_symbol(k) + " " + b->str());
  return true;
}

const Type* compare_operand_type(CmpKind k, const Type* a, const Type* b) {
  if (list_comparison(k, a, b) || hash_comparison(k, a, b)) return nullptr;  // element by element
  if ((k == CmpKind::In || k == CmpKind::NotIn) && b->kind() == TypeKind::Range) {  // lower_ranges
    if (!a->is_int() && !a->is_bool())
      unsupported("looking for a " + a->str() + " in a range", "look for an int: int(x) in r when x is whole");
    return nullptr;
  }
  if (k == CmpKind::In || k == CmpKind::NotIn) unsupported("the 'in' operator is not supported yet");
  if (k == CmpKind::Is || k == CmpKind::IsNot) return nullptr;  // decided statically
  bool numeric = (a->is_scalar() || is_array(a)) && (b->is_scalar() || is_array(b));
  if (!numeric) fail(std::string("cannot compare ") + a->str() + " " + cmp_symbol(k) + " " + b->str());
  const Type* p = promote(element_type(a), element_type(b));
  if (is_array(a) || is_array(b)) p = p->strong();
  // NumPy orders complex numbers lexicographically; Python's own complex numbers do not order.
  if (p->is_complex() && k != CmpKind::Eq && k != CmpKind::Ne && a->is_weak() && b->is_weak())
    fail("complex numbers cannot be ordered with " + std::string(cmp_symbol(k)),
         "compare the real parts (z.real) or the magnitudes (abs(z))");
  return p;
}

const Type* compare_type(CmpKind k, const Type* a, const Type* b) {
  // `is` compares identities, never elements: `out is None` of an array is one bool.
  if (k == CmpKind::Is || k == CmpKind::IsNot || list_comparison(k, a, b) || hash_comparison(k, a, b) ||
      string_comparison(k, a, b))
    return t_bool();
  compare_operand_type(k, a, b);
  return broadcast_type(t_bool(), a, b);
}

const Type* matmul_type(const Type* a, const Type* b, bool dot) {
  if (a->ndim() < 1 || b->ndim() < 1)
    fail("matmul: Input operand " + std::string(a->ndim() < 1 ? "0" : "1") +
         " does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)");
  if (dot && (a->ndim() > 2 || b->ndim() > 2))
    unsupported("np.dot of " + a->str() + " and " + b->str() + ": only 1-D and 2-D arrays are supported",
                "a @ b (np.matmul) multiplies stacks of matrices");
  const Type* d = promote(a->dtype(), b->dtype());
  if (!d->is_float() && !d->is_complex())
    unsupported("np.dot / @ of " + d->str() + " arrays is not supported yet (float32, float64, complex64 and complex128 are)",
                "convert with .astype(np.float64)");
  // A 1-D operand is a row (a) or a column (b) whose axis the result drops; the others'
  // leading axes are the broadcast stack.
  int batch = std::max(std::max(a->ndim() - 2, 0), std::max(b->ndim() - 2, 0));
  int nd = batch + (a->ndim() >= 2) + (b->ndim() >= 2);
  return nd == 0 ? d : t_array(d, nd, Layout::C);
}

const Type* attribute_type(const TypingContext& context, const Type* obj, const std::string& name,
                           ConstValue* constant_out) {
  switch (obj->kind()) {
    case TypeKind::Function:
      if ((obj->name() == "dunnart.typed.List" && name == "empty_list") ||
          (obj->name() == "dunnart.typed.Dict" && name == "empty"))
        return t_function(obj->name() + "." + name);
      break;
    case TypeKind::Module: {
      std::string q = obj->name() + "." + name;
      auto c = module_constants().find(q);
      if (c != module_constants().end()) {
        constant_out->kind = ConstValue::Kind::Float;
        constant_out->f = c->second;
        return t_float64()->weakened();
      }
      if (obj->name() == "numpy" && scalar_from_name(name)) return t_number_class(scalar_from_name(name));
      if (find_math(obj->name(), name) || is_known_function(q)) return t_function(q);
      if (!context.provider) fail("module " + obj->name() + " has no attribute " + name);
      GlobalValue g = context.provider->module_attribute(obj->name(), name);
      return global_type(context, g, constant_out);
    }
    case TypeKind::Array:
      if (name == "shape")
        return t_tuple(std::vector<const Type*>(obj->ndim(), t_int64()->weakened()));
      if (name == "ndim") {
        constant_out->kind = ConstValue::Kind::Int;
        constant_out->i = obj->ndim();
        return t_int64()->weakened();
      }
      if (name == "size" || name == "nbytes") return t_int64()->weakened();
      if (name == "strides")  // in bytes, as NumPy's
        return t_tuple(std::vector<const Type*>(obj->ndim(), t_int64()->weakened()));
      if (name == "dtype") return t_number_class(obj->dtype());  // a compile-time value, like np.float32
      if (name == "itemsize") {
        constant_out->kind = ConstValue::Kind::Int;
        constant_out->i = obj->dtype()->itemsize();
        return t_int64()->weakened();
      }
      if (name == "T") return transpose_type(obj);
      if (name == "real" || name == "imag") {  // views (lower_array.cpp)
        if (!obj->dtype()->is_complex()) {
          if (name == "imag")
            unsupported("a.imag of a real array (" + obj->str() + ") is not supported", "it is zero: np.zeros_like(a)");
          return obj;
        }
        const Type* part = t_float(obj->dtype()->bits() / 2);
        return t_array(part, obj->ndim(), Layout::A, obj->readonly());
      }
      if (is_reduction(name) || name == "copy" || name == "astype" || name == "cumsum" ||
          name == "cumprod" || name == "clip" || is_shape_method(name))
        return t_bound_method(obj, name);
      unsupported("array attribute '" + name + "' is not supported",
                  "supported: shape, ndim, size, dtype, itemsize, T, real, imag and the methods sum, prod, min, max, mean, var, "
                  "std, argmin, argmax, all, any, cumsum, cumprod, copy, astype, reshape, ravel, flatten, "
                  "transpose");
    case TypeKind::Dict:
    case TypeKind::Set:
      if (const Type* m = dict_attribute_type(obj, name)) return m;
      fail("'" + std::string(obj->kind() == TypeKind::Set ? "set" : "dict") + "' has no attribute '" + name +
           "' that dunnart supports",
           obj->kind() == TypeKind::Set ? "supported: add, discard, remove, pop, clear, copy, update, union, "
                                          "intersection, difference, symmetric_difference, issubset, issuperset, isdisjoint"
                                        : "supported: get, setdefault, pop, popitem, update, keys, values, items, clear, copy");
    case TypeKind::String:
      if (const Type* m = string_attribute_type(obj, name)) return m;
      if (name == "format")  // of a literal format, the frontend made it an f-string
        unsupported("str.format of a format computed at run time",
                    "write the format as a literal (\"{} {:.2f}\".format(a, b)), or use an f-string");
      fail("'str' has no attribute '" + name + "' that dunnart supports",
           "supported: startswith, endswith, find, rfind, index, count, split, join, strip, lstrip, rstrip, replace, "
           "upper, lower, title, capitalize, swapcase, casefold, isdigit, isalpha, isspace, isalnum, isupper, "
           "islower, isdecimal, isnumeric");
    case TypeKind::List:
      if (const Type* m = list_attribute_type(obj, name)) return m;
      fail("'list' has no attribute '" + name + "' that dunnart supports",
           "supported: append, pop, insert, extend, clear, copy, reverse, index, count, remove, sort");
    case TypeKind::NumberClass: {
      // a.dtype's attributes, np.float32's too, as constants: NumPy's words for the dtype.
      const Type* s = obj->dtype()->strong();
      if (name == "itemsize") {
        constant_out->kind = ConstValue::Kind::Int;
        constant_out->i = s->itemsize();
        return t_int64()->weakened();
      }
      if (name == "kind" || name == "name") {
        constant_out->kind = ConstValue::Kind::Str;
        constant_out->s = name == "name" ? s->str()
                          : s->is_bool() ? "b"
                          : s->is_int()  ? (s->is_signed() ? "i" : "u")
                          : s->is_float() ? "f" : "c";
        return t_string();
      }
      if (name == "type") return t_number_class(s);  // a.dtype.type is np.float32
      break;
    }
    case TypeKind::Complex:
      if (name == "real" || name == "imag") return t_float(obj->bits() / 2);
      if (name == "conjugate") return t_bound_method(obj, name);
      break;
    case TypeKind::Float:
    case TypeKind::Int:
      if (name == "real") return obj;
      if (name == "conjugate") return t_bound_method(obj, name);
      break;
    default: break;
  }
  fail("'" + obj->str() + "' has no attribute '" + name + "' that dunnart supports");
}

CallResolution resolve_call(const TypingContext& context, const Type* callee,
                            const std::vector<const Type*>& args,
                            const std::vector<std::string>& kwnames) {
  switch (callee->kind()) {
    case TypeKind::Function: return builtin_call(context, callee->name(), args, kwnames);
    case TypeKind::BoundMethod:
      if (callee->dtype()->is_scalar()) {
        // x.conjugate(): complex conjugate (the identity on real numbers).
        if (!args.empty() || !kwnames.empty()) fail("conjugate() takes no arguments");
        CallResolution r;
        r.result = callee->dtype();
        r.intrinsic = Intrinsic::MathFunc;
        r.func = "conjugate";
        return r;
      }
      if (is_list(callee->dtype())) return list_method(callee->name(), callee->dtype(), args, kwnames);
      if (is_str(callee->dtype())) return string_method(callee->name(), callee->dtype(), args, kwnames);
      if (is_dict(callee->dtype()) || is_set(callee->dtype()))
        return dict_method(callee->name(), callee->dtype(), args, kwnames);
      return array_method(context, callee->name(), callee->dtype(), args, kwnames);
    case TypeKind::NumberClass: {
      if (!kwnames.empty() || args.size() != 1)
        fail(callee->dtype()->str() + "() takes exactly one argument");
      auto k = args[0]->kind();
      if (callee->dtype()->is_bool() &&
          (k == TypeKind::List || k == TypeKind::Dict || k == TypeKind::Set || k == TypeKind::DictView ||
           k == TypeKind::String || k == TypeKind::Range)) {
        CallResolution r;
        r.result = t_bool();
        r.truth = true;
        return r;
      }
      if (is_str(args[0]) && (callee->dtype()->is_int() || callee->dtype()->is_float()))
        return string_to_number(callee->dtype());
      if (!args[0]->is_scalar())
        fail("cannot convert " + args[0]->str() + " to " + callee->dtype()->str());
      if (args[0]->is_complex() && !callee->dtype()->is_complex() && !callee->dtype()->is_bool())
        fail("cannot convert a complex number to " + callee->dtype()->str(),
             "use .real or abs()");
      CallResolution r;
      r.result = callee->dtype();
      r.cast_to = callee->dtype();
      r.params = {nullptr};
      return r;
    }
    case TypeKind::Dispatcher: {
      auto info = jitted_function_info(context, callee->handle());
      if (!info) fail("jitted function " + callee->name() + " cannot be compiled from here");
      // Direct calls have their keywords and defaults bound (bind_call_arguments.h).
      if (!kwnames.empty()) unsupported("keyword arguments in calls of a jitted function passed as a value");
      if (int(args.size()) != info->argcount)
        fail(callee->name() + "() takes " + std::to_string(info->argcount) + " arguments, got " +
             std::to_string(args.size()));
      // An empty list, dict or set whose element types later stores will say: the callee is
      // typed once they have (typing asks again), not for a container it cannot type.
      for (size_t k = 0; k < args.size(); ++k)
        if (const Type* open = still_untyped_container(args[k]))
          fail("the element types of the " + open->str() + " passed to " + callee->name() +
                   "() are not known here",
               "store into it (or append to it) before the call, or start it with an element");
      std::string key = function_symbol(*info, args);
      DN_CHECK(context.callees, "no worklist for a jitted callee");
      const Type* result = context.callees->return_type(info, key, args);
      if (!result)
        fail("cannot infer what the recursive function " + callee->name() +
                 "() returns: no return that does not call it again is reached",
             "return a value on a path that does not recurse (the base case), or give an explicit signature");
      CallResolution r;
      r.result = result;
      r.intrinsic = Intrinsic::CallJitted;
      r.callee_key = key;
      r.params.assign(args.size(), nullptr);
      return r;
    }
    default:
      fail("'" + callee->str() + "' is not callable in jitted code");
  }
}

const Type* still_untyped_container(const Type* t) {
  if (!t) return nullptr;
  switch (t->kind()) {
    case TypeKind::List:
    case TypeKind::Set:
      return !t->dtype() ? t : still_untyped_container(t->dtype());
    case TypeKind::Dict:
      if (!t->dtype() || t->elements().empty()) return t;
      return still_untyped_container(t->elements()[0]);
    case TypeKind::DictView: return still_untyped_container(t->dtype());  // d.items() of such a dict
    case TypeKind::Tuple:
      for (const Type* e : t->elements())
        if (const Type* open = still_untyped_container(e)) return open;
      return nullptr;
    default: return nullptr;
  }
}

std::shared_ptr<const FunctionInfo> jitted_function_info(const TypingContext& context, int64_t handle) {
  if (is_local_function_handle(handle)) return local_function(handle);
  DN_CHECK(context.provider, "no function provider for a jitted callee");
  return context.provider->function_info(handle);
}

}  // namespace dn
