#include "jit/typing/shape_functions.h"

#include "jit/types/promotion.h"

namespace dn {
namespace {

using rules::fail;
using rules::unsupported;

bool is_array(const Type* t) { return t->kind() == TypeKind::Array; }

// reshape(shape) / reshape(d0, d1, ...): the number of dimensions asked for.
int reshape_ndim(const std::vector<const Type*>& dims) {
  if (dims.size() == 1 && dims[0]->kind() == TypeKind::Tuple) {
    for (auto* e : dims[0]->elements())
      if (!e->is_int()) fail("reshape() dimensions must be integers, got " + dims[0]->str());
    return int(dims[0]->elements().size());
  }
  for (auto* d : dims)
    if (!d->is_int()) fail("reshape() dimensions must be integers, got " + d->str());
  if (dims.empty()) fail("reshape() needs the new shape");
  return int(dims.size());
}

// Binds (arrays_tuple, axis=0) for concatenate/stack; returns the axis type (may be null).
const Type* sequence_and_axis(const std::string& fname, const std::vector<const Type*>& args,
                              const std::vector<std::string>& kw) {
  size_t npos = args.size() - kw.size();
  if (npos < 1 || npos > 2) fail(fname + "() takes a tuple of arrays and an optional axis");
  const Type* axis = npos == 2 ? args[1] : nullptr;
  for (size_t k = 0; k < kw.size(); ++k) {
    if (kw[k] != "axis")
      unsupported(fname + "() got an unsupported keyword argument '" + kw[k] + "'", "supported: axis");
    axis = args[npos + k];
  }
  const Type* seq = args[0];
  if (seq->kind() == TypeKind::List) {  // joined along axis 0 (infer.cpp checks the axis)
    if (!seq->dtype() || !is_array(seq->dtype())) fail(fname + "() needs a tuple or list of arrays, got " + seq->str());
    if (axis && !axis->is_int()) fail(fname + "() axis must be an integer constant");
    return axis;
  }
  if (seq->kind() != TypeKind::Tuple || seq->elements().empty())
    fail(fname + "() needs a tuple of arrays, got " + seq->str(), "write np." + fname + "((a, b))");
  for (auto* e : seq->elements())
    if (!is_array(e)) fail(fname + "() needs arrays, got " + seq->str());
  if (axis && !axis->is_int()) fail(fname + "() axis must be an integer constant");
  return axis;
}

}  // namespace

bool is_shape_function(const std::string& q) {
  return q == "numpy.reshape" || q == "numpy.ravel" || q == "numpy.transpose" ||
         q == "numpy.concatenate" || q == "numpy.stack";
}

bool is_shape_method(const std::string& m) {
  return m == "reshape" || m == "ravel" || m == "flatten" || m == "transpose" || m == "flat";
}

const Type* transpose_type(const Type* a) {
  Layout l = a->layout() == Layout::C ? Layout::F : a->layout() == Layout::F ? Layout::C : Layout::A;
  return t_array(a->dtype(), a->ndim(), a->ndim() <= 1 ? a->layout() : l, a->readonly());
}

CallResolution shape_method(const std::string& method, const Type* a, const std::vector<const Type*>& args,
                            const std::vector<std::string>& kw) {
  if (!kw.empty()) unsupported(method + "() keyword arguments are not supported", "pass the shape positionally");
  CallResolution r;
  r.params.assign(args.size(), nullptr);
  if (method == "transpose") {
    if (!args.empty()) unsupported("transpose() with an axes argument is not supported yet", "use a.T");
    r.intrinsic = Intrinsic::Transpose;
    r.result = transpose_type(a);
    return r;
  }
  r.intrinsic = Intrinsic::Reshape;
  if (method == "reshape") {
    r.result = t_array(a->dtype(), reshape_ndim(args), Layout::C, a->readonly());
    return r;
  }
  if (!args.empty()) unsupported(method + "() with arguments (order) is not supported");
  // ravel: a view when a is C-contiguous; flatten: always a copy. a.flat: ravel's, read-only
  // unless a is C-contiguous by its type (only then do writes through it reach a).
  bool readonly = (method == "ravel" && a->readonly()) || (method == "flat" && (a->readonly() || a->layout() != Layout::C));
  r.result = t_array(a->dtype(), 1, Layout::C, readonly);
  r.always_copy = method == "flatten";
  r.to_1d = true;
  return r;
}

CallResolution shape_call(const std::string& q, const std::vector<const Type*>& args,
                          const std::vector<std::string>& kw) {
  std::string fname = q.substr(q.find('.') + 1);
  if (fname == "reshape" || fname == "ravel" || fname == "transpose") {
    if (args.empty() || !is_array(args[0])) fail("np." + fname + "() needs an array first");
    if (fname == "reshape" && args.size() != 2) fail("np.reshape(a, shape) takes two arguments");
    CallResolution r = shape_method(fname, args[0], {args.begin() + 1, args.end()}, kw);
    r.params.insert(r.params.begin(), nullptr);
    return r;
  }
  const Type* axis = sequence_and_axis(fname, args, kw);
  bool list = args[0]->kind() == TypeKind::List;
  const std::vector<const Type*> arrays = list ? std::vector<const Type*>{args[0]->dtype()} : args[0]->elements();
  const Type* d = nullptr;
  int nd = arrays[0]->ndim();
  for (auto* a : arrays) {
    d = d ? promote(d, a->dtype()) : a->dtype();
    if (a->ndim() != nd)
      fail("all the input arrays of " + fname + "() must have the same number of dimensions, got " +
           args[0]->str());
  }
  if (fname == "concatenate" && nd == 0) fail("zero-dimensional arrays cannot be concatenated");
  CallResolution r;
  r.intrinsic = fname == "concatenate" ? Intrinsic::Concatenate : Intrinsic::Stack;
  r.result = t_array(d, fname == "concatenate" ? nd : nd + 1, Layout::C);
  r.params.assign(args.size(), nullptr);
  if (axis) r.params[args.size() == 2 && kw.empty() ? 1 : args.size() - 1] = t_int64();
  return r;
}

}  // namespace dn
