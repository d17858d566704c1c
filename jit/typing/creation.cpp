// Typing of NumPy's array creation functions (see creation.h). Each function binds its
// arguments by NumPy's parameter names, picks the result dtype the way NumPy 2 does, and
// casts the scalar operands to the types its lowering computes in.
#include "jit/typing/creation.h"

#include <algorithm>

#include "jit/types/promotion.h"

namespace dn {
namespace {

using rules::fail;
using rules::unsupported;

struct Signature {
  const char* name;                 // qualified name
  std::vector<const char*> params;  // NumPy's parameter names, in order
  size_t positional_only;           // leading parameters that cannot be given by keyword
};

// Only the parameters dunnart implements; NumPy's others (order, like, device, ...) are
// rejected by name with the list of these.
const std::vector<Signature>& signatures() {
  static const std::vector<Signature> s = {
      {"numpy.full", {"shape", "fill_value", "dtype"}, 0},
      {"numpy.empty_like", {"prototype", "dtype"}, 1},
      {"numpy.zeros_like", {"a", "dtype"}, 1},
      {"numpy.ones_like", {"a", "dtype"}, 1},
      {"numpy.full_like", {"a", "fill_value", "dtype"}, 1},
      {"numpy.arange", {"start", "stop", "step", "dtype"}, 0},
      {"numpy.linspace", {"start", "stop", "num", "endpoint", "dtype"}, 0},
      {"numpy.eye", {"N", "M", "k", "dtype"}, 0},
      {"numpy.identity", {"n", "dtype"}, 0},
      {"numpy.array", {"object", "dtype"}, 1},
      {"numpy.asarray", {"a", "dtype"}, 1},
  };
  return s;
}

const Signature* find_signature(const std::string& fname) {
  for (auto& s : signatures())
    if (fname == s.name) return &s;
  return nullptr;
}

std::string display_name(const std::string& fname) {
  return "np." + fname.substr(fname.find('.') + 1) + "()";
}

bool is_array(const Type* t) { return t && t->kind() == TypeKind::Array; }
bool is_real(const Type* t) { return t->is_bool() || t->is_int() || t->is_float(); }

// The arguments of one call, by parameter name; None counts as not given.
class Args {
 public:
  Args(const std::string& fname, const std::vector<const Type*>& types,
       const std::vector<std::string>& kw)
      : fname_(fname), types_(types), bound_(bind_creation_args(fname, types.size(), kw)) {}

  int slot(const char* p) const { return bound_.at(p); }
  // The argument's type, or null when it is absent or None.
  const Type* get(const char* p) const {
    int k = slot(p);
    return k < 0 || types_[size_t(k)] == t_none() ? nullptr : types_[size_t(k)];
  }
  const Type* require(const char* p) const {
    const Type* t = get(p);
    if (!t) fail(display_name(fname_) + " missing required argument '" + p + "'");
    return t;
  }
  // Arguments of parameter `p` are cast to `t` before the call.
  void cast(CallResolution& r, const char* p, const Type* t) const {
    if (get(p)) r.params[size_t(slot(p))] = t;
  }
  const std::string& fname() const { return fname_; }

 private:
  const std::string& fname_;
  const std::vector<const Type*>& types_;
  CreationArgs bound_;
};

// dtype=... : a NumPy scalar type (np.float32) or a Python one (float, int, bool, complex).
const Type* dtype_arg(const Args& a, const Type* default_dtype) {
  const Type* t = a.get("dtype");
  if (!t) return default_dtype;
  if (t->kind() != TypeKind::NumberClass)
    fail(display_name(a.fname()) + " dtype must be a NumPy scalar type such as np.float64 or a name of one (\"f8\"), got " +
         t->str());
  return t->dtype()->strong();
}

// An int or a tuple of ints, as np.empty accepts; returns the number of dimensions.
int shape_ndim(const Args& a, const Type* shape) {
  if (shape->is_int()) return 1;
  if (shape->kind() == TypeKind::Tuple) {
    for (auto* e : shape->elements())
      if (!e->is_int())
        fail(display_name(a.fname()) + " shape must be a tuple of integers, got " + shape->str());
    return int(shape->elements().size());
  }
  fail(display_name(a.fname()) + " shape must be an integer or a tuple of integers, got " +
       shape->str());
}

// A fill value stored into arrays of `dtype` (converted like NumPy's unsafe cast, except
// that complex to real is refused instead of dropping the imaginary part with a warning).
void check_fill(const Args& a, const Type* value, const Type* dtype) {
  if (is_array(value))
    unsupported(display_name(a.fname()) + " with an array fill_value is not supported yet",
                "pass a scalar fill_value");
  if (!value->is_scalar())
    fail(display_name(a.fname()) + " fill_value must be a number, got " + value->str());
  if (value->is_complex() && !dtype->is_complex())
    fail(display_name(a.fname()) + " cannot store a complex fill_value in an array of " +
             dtype->str(),
         "use .real, or a complex dtype");
}

void check_integer(const Args& a, const char* p, const Type* t) {
  if (!t->is_int() && !t->is_bool())
    fail(display_name(a.fname()) + " " + p + " must be an integer, got " + t->str());
}

void check_real(const Args& a, const char* p, const Type* t) {
  if (t->is_complex())
    unsupported(display_name(a.fname()) + " with a complex " + p + " is not supported");
  if (!is_real(t)) fail(display_name(a.fname()) + " " + p + " must be a number, got " + t->str());
}

CallResolution resolution(const std::vector<const Type*>& args, const Type* result,
                          Intrinsic intrinsic, ArrayFill fill = ArrayFill::Empty) {
  CallResolution r;
  r.result = result;
  r.intrinsic = intrinsic;
  r.fill = fill;
  r.params.assign(args.size(), nullptr);
  return r;
}

CallResolution full(const Args& a, const std::vector<const Type*>& args) {
  const Type* shape = a.require("shape");
  const Type* value = a.require("fill_value");
  if (!value->is_scalar()) check_fill(a, value, nullptr);  // throws: not a number
  // NumPy: the dtype of np.array(fill_value): Python int -> int64, float -> float64.
  const Type* dtype = dtype_arg(a, value->strong());
  check_fill(a, value, dtype);
  CallResolution r =
      resolution(args, t_array(dtype, shape_ndim(a, shape), Layout::C), Intrinsic::ArrayFull);
  a.cast(r, "fill_value", dtype);
  return r;
}

const Type* prototype(const Args& a) {
  const Type* proto = a.require(a.fname() == "numpy.empty_like" ? "prototype" : "a");
  if (proto->is_scalar() || proto->kind() == TypeKind::Tuple)
    unsupported(display_name(a.fname()) + " of " + proto->str() + " is not supported",
                "pass an array");
  if (!is_array(proto)) fail(display_name(a.fname()) + " needs an array, got " + proto->str());
  return proto;
}

CallResolution like(const Args& a, const std::vector<const Type*>& args) {
  const Type* proto = prototype(a);
  const Type* dtype = dtype_arg(a, proto->dtype());
  const Type* result = t_array(dtype, proto->ndim(), Layout::C);
  if (a.fname() == "numpy.full_like") {
    const Type* value = a.require("fill_value");
    check_fill(a, value, dtype);
    CallResolution r = resolution(args, result, Intrinsic::ArrayFull);
    a.cast(r, "fill_value", dtype);
    return r;
  }
  ArrayFill fill = a.fname() == "numpy.empty_like"   ? ArrayFill::Empty
                   : a.fname() == "numpy.zeros_like" ? ArrayFill::Zeros
                                                     : ArrayFill::Ones;
  return resolution(args, result, Intrinsic::ArrayLike, fill);
}

// NumPy computes the length and the first two values with the arguments' own arithmetic
// (Python's for Python numbers), and fills the rest in the result dtype.
CallResolution arange(const Args& a, const std::vector<const Type*>& args) {
  a.require("stop");
  const Type* computation = nullptr;
  const Type* dtype = t_int64();  // NumPy 2: at least the default integer
  for (const char* p : {"start", "stop", "step"}) {
    const Type* t = a.get(p);
    if (!t) continue;
    check_real(a, p, t);
    computation = computation ? promote(computation, t) : t;
    dtype = promote(dtype, t->strong());
  }
  // Integers compute exactly in int64; uint64 values beyond it go through float64 like
  // NumPy's default dtype for them.
  if (computation->is_int() && computation->bits() == 64 && !computation->is_signed())
    computation = t_float64();
  computation = computation->is_float() ? computation->strong() : t_int64();
  dtype = dtype_arg(a, dtype);
  if (dtype->is_bool())
    unsupported("np.arange() with dtype bool is not supported", "use a numeric dtype");
  CallResolution r = resolution(args, t_array(dtype, 1, Layout::C), Intrinsic::ArrayArange);
  for (const char* p : {"start", "stop", "step"}) a.cast(r, p, computation);
  return r;
}

CallResolution linspace(const Args& a, const std::vector<const Type*>& args) {
  const Type* start = a.require("start");
  const Type* stop = a.require("stop");
  check_real(a, "start", start);
  check_real(a, "stop", stop);
  // result_type(start, stop) made inexact: float32 stays, integers become float64.
  const Type* p = promote(start, stop);
  const Type* computation = p->is_float() ? p->strong() : t_float64();
  if (const Type* num = a.get("num")) check_integer(a, "num", num);
  if (const Type* endpoint = a.get("endpoint"))
    if (!is_real(endpoint)) fail("np.linspace() endpoint must be a bool, got " + endpoint->str());
  const Type* dtype = dtype_arg(a, computation);
  CallResolution r = resolution(args, t_array(dtype, 1, Layout::C), Intrinsic::ArrayLinspace);
  a.cast(r, "start", computation);
  a.cast(r, "stop", computation);
  a.cast(r, "num", t_int64());
  a.cast(r, "endpoint", t_bool());
  return r;
}

CallResolution eye(const Args& a, const std::vector<const Type*>& args) {
  const char* n = a.fname() == "numpy.identity" ? "n" : "N";
  check_integer(a, n, a.require(n));
  for (const char* p : {"M", "k"})
    if (const Type* t = a.get(p)) check_integer(a, p, t);
  const Type* dtype = dtype_arg(a, t_float64());
  CallResolution r = resolution(args, t_array(dtype, 2, Layout::C), Intrinsic::ArrayEye);
  for (const char* p : {"N", "n", "M", "k"}) a.cast(r, p, t_int64());
  return r;
}

// The shape of a scalar or a nested tuple of scalars (false when the nesting is ragged),
// and the promotion of its elements' types into `elem`.
bool nested_shape(const Args& a, const Type* t, std::vector<int64_t>& shape, const Type*& elem) {
  shape.clear();
  if (t->is_scalar()) {
    // np.array coerces Python numbers to their default dtypes (no weak promotion).
    elem = elem ? promote(elem, t->strong()) : t->strong();
    return true;
  }
  if (t->kind() != TypeKind::Tuple) {
    if (is_array(t))
      unsupported(display_name(a.fname()) + " of a tuple of arrays is not supported yet");
    fail(display_name(a.fname()) + " of a tuple holding " + t->str() + " is not supported");
  }
  std::vector<int64_t> inner, first;
  for (size_t k = 0; k < t->elements().size(); ++k) {
    if (!nested_shape(a, t->elements()[k], inner, elem)) return false;
    if (k == 0)
      first = inner;
    else if (inner != first)
      return false;
  }
  shape.push_back(int64_t(t->elements().size()));
  shape.insert(shape.end(), first.begin(), first.end());
  return true;
}

// np.array(list): 1-D from a list of numbers, 2-D from a list of equal tuples of numbers
// (each tuple a row; the tuples' length is part of the list's type, so rows never differ).
CallResolution array_from_list(const Args& a, const std::vector<const Type*>& args, const Type* list) {
  const Type* item = list->dtype();
  if (!item) fail("cannot infer the element type of this empty list");  // until appends type it
  const Type* elem = nullptr;
  std::vector<int64_t> shape;
  // Rows that are lists of numbers or arrays: their shapes are checked when it runs
  // (lower_lists.cpp), as NumPy refuses ragged rows.
  bool number_rows = item->kind() == TypeKind::List && item->dtype() && item->dtype()->is_scalar();
  if (number_rows || is_array(item)) {
    elem = item->dtype();
    const Type* dtype = dtype_arg(a, elem);
    if (elem->is_complex() && !dtype->is_complex())
      fail(display_name(a.fname()) + " cannot store complex numbers in an array of " + dtype->str(),
           "use .real, or a complex dtype");
    return resolution(args, t_array(dtype, number_rows ? 2 : item->ndim() + 1, Layout::C), Intrinsic::ArrayFromList);
  }
  if (!item->is_scalar() && item->kind() != TypeKind::Tuple)
    unsupported(display_name(a.fname()) + " of a list of " + item->str() + " is not supported yet",
                "a list of numbers, of tuples or lists of numbers, or of arrays becomes an array");
  if (!nested_shape(a, item, shape, elem) || shape.size() > 1)
    unsupported(display_name(a.fname()) + " of a list of " + item->str() + " is not supported yet",
                "a list of numbers, or of tuples of numbers, becomes an array");
  const Type* dtype = dtype_arg(a, elem ? elem : t_float64());
  if (elem && elem->is_complex() && !dtype->is_complex())
    fail(display_name(a.fname()) + " cannot store complex numbers in an array of " + dtype->str(),
         "use .real, or a complex dtype");
  return resolution(args, t_array(dtype, int(shape.size()) + 1, Layout::C), Intrinsic::ArrayFromList);
}

CallResolution array(const Args& a, const std::vector<const Type*>& args) {
  const std::string& f = a.fname();
  const Type* obj = a.require(f == "numpy.array" ? "object" : "a");
  if (is_array(obj)) {
    const Type* dtype = dtype_arg(a, obj->dtype());
    if (dtype != obj->dtype())
      unsupported(display_name(f) + " converting " + obj->str() + " to " + dtype->str() +
                      " is not supported here",
                  "use a.astype(" + dtype->str() + ")");
    if (f == "numpy.asarray") {
      CallResolution r = resolution(args, obj, Intrinsic::None);
      r.cast_to = obj;  // the array itself
      return r;
    }
    return resolution(args, t_array(obj->dtype(), obj->ndim(), Layout::C), Intrinsic::ArrayCopy);
  }
  if (obj->kind() == TypeKind::List) return array_from_list(a, args, obj);
  std::vector<int64_t> shape;
  const Type* elem = nullptr;
  if (!nested_shape(a, obj, shape, elem))
    fail(display_name(f) + " of a tuple whose items have different shapes",
         "every nested tuple must have the same length");
  const Type* dtype = dtype_arg(a, elem ? elem : t_float64());
  if (elem && elem->is_complex() && !dtype->is_complex())
    fail(display_name(f) + " cannot store complex numbers in an array of " + dtype->str(),
         "use .real, or a complex dtype");
  return resolution(args, t_array(dtype, int(shape.size()), Layout::C), Intrinsic::ArrayFromTuple);
}

}  // namespace

int CreationArgs::at(const std::string& param) const {
  for (size_t k = 0; k < params.size(); ++k)
    if (params[k] == param) return slot[k];
  return -1;
}

bool is_creation_function(const std::string& qualified_name) {
  return find_signature(qualified_name) != nullptr;
}

CreationArgs bind_creation_args(const std::string& fname, size_t nargs,
                                const std::vector<std::string>& kwnames) {
  const Signature* sig = find_signature(fname);
  if (!sig) fail("internal: " + fname + " is not a creation function");
  CreationArgs b;
  for (auto* p : sig->params) b.params.push_back(p);
  b.slot.assign(b.params.size(), -1);
  std::string name = display_name(fname);
  size_t npos = nargs - kwnames.size();
  if (npos > b.params.size())
    fail(name + " takes at most " + std::to_string(b.params.size()) +
         " positional arguments, got " + std::to_string(npos));
  for (size_t k = 0; k < npos; ++k) b.slot[k] = int(k);
  for (size_t k = 0; k < kwnames.size(); ++k) {
    auto it = std::find(b.params.begin() + long(sig->positional_only), b.params.end(), kwnames[k]);
    if (it == b.params.end()) {
      std::string supported;
      for (size_t p = sig->positional_only; p < b.params.size(); ++p)
        supported += (supported.empty() ? "" : ", ") + b.params[p];
      unsupported(name + " got an unsupported keyword argument '" + kwnames[k] + "'",
                  "supported keyword arguments: " + supported);
    }
    size_t p = size_t(it - b.params.begin());
    if (b.slot[p] >= 0) fail(name + " got multiple values for argument '" + kwnames[k] + "'");
    b.slot[p] = int(npos + k);
  }
  // np.arange(stop) and np.arange(stop, step=...): a lone positional argument is the stop.
  if (fname == "numpy.arange" && b.slot[1] < 0 && npos == 1) std::swap(b.slot[0], b.slot[1]);
  return b;
}

CallResolution creation_call(const std::string& fname, const std::vector<const Type*>& args,
                             const std::vector<std::string>& kwnames) {
  Args a(fname, args, kwnames);
  if (fname == "numpy.full") return full(a, args);
  if (fname == "numpy.arange") return arange(a, args);
  if (fname == "numpy.linspace") return linspace(a, args);
  if (fname == "numpy.eye" || fname == "numpy.identity") return eye(a, args);
  if (fname == "numpy.array" || fname == "numpy.asarray") return array(a, args);
  return like(a, args);
}

}  // namespace dn
