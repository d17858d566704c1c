#include "jit/transforms/lower_creation.h"

#include "jit/support/diagnostics.h"
#include "jit/typing/creation.h"
#include "runtime/abi.h"

namespace dn {

namespace {

const std::string& callee_name(const Instr* i) { return i->operands[0]->type->name(); }

class Creation {
 public:
  Creation(ArrayLoops& loops, Instr* call) : loops_(loops), b_(loops.builder()), i_(call) {}

  Instr* lower() {
    switch (i_->intrinsic) {
      case Intrinsic::ArrayAlloc: return new_array(extents(i_->operands[1]), i_->fill);
      case Intrinsic::ArrayCopy: return b_.emit(Opcode::CopyArray, {i_->operands[1]}, i_->type);
      case Intrinsic::ArrayFull: return full();
      case Intrinsic::ArrayLike: {
        Instr* proto = arg(callee_name(i_) == "numpy.empty_like" ? "prototype" : "a");
        return new_array(extents(proto), i_->fill);
      }
      case Intrinsic::ArrayArange: return arange();
      case Intrinsic::ArrayLinspace: return linspace();
      case Intrinsic::ArrayEye: return eye();
      case Intrinsic::ArrayFromTuple: return from_tuple();
      default: DN_CHECK(false, "not a creation intrinsic: " + print_instr(*i_));
    }
    return nullptr;
  }

 private:
  // The call argument bound to NumPy parameter `param` (null when absent or None).
  Instr* arg(const std::string& param) {
    CreationArgs bound = bind_creation_args(callee_name(i_), i_->operands.size() - 1, i_->kwnames);
    int k = bound.at(param);
    if (k < 0) return nullptr;
    Instr* v = i_->operands.at(size_t(k) + 1);
    return v->type == t_none() ? nullptr : v;
  }

  // int64 extents from an int, a tuple of ints, or an array (its shape).
  std::vector<Instr*> extents(Instr* shape) {
    const Type* t = shape->type;
    if (t->kind() == TypeKind::Array) return loops_.extents(shape);
    std::vector<Instr*> dims;
    if (t->kind() != TypeKind::Tuple) return {b_.cast(shape, t_int64())};
    for (size_t k = 0; k < t->elements().size(); ++k) dims.push_back(b_.cast(element(shape, k), t_int64()));
    return dims;
  }

  Instr* element(Instr* tuple, size_t k) {
    Instr* e = b_.emit(Opcode::TupleGet, {tuple}, tuple->type->elements()[k]);
    e->tuple_index = int64_t(k);
    return e;
  }

  Instr* new_array(const std::vector<Instr*>& dims, ArrayFill fill = ArrayFill::Empty) {
    Instr* out = b_.emit(Opcode::NewArray, dims, i_->type);
    out->fill = fill;
    return out;
  }

  void store_at(Instr* data, Instr* k, Instr* v) { b_.store(b_.element_ptr(data, k), b_.cast(v, i_->type->dtype())); }

  Instr* max(Instr* a, Instr* b) { return b_.select(b_.cmp(CmpKind::Lt, a, b), b, a); }
  Instr* min(Instr* a, Instr* b) { return b_.select(b_.cmp(CmpKind::Lt, b, a), b, a); }
  Instr* neg(Instr* a) {
    Instr* n = b_.emit(Opcode::UnaryOp, {a}, a->type);
    n->unop = UnaryKind::Neg;
    return n;
  }
  Instr* math(const char* f, Instr* x) { return loops_.scalar_call(Intrinsic::MathFunc, f, {x}, x->type); }

  // np.full(shape, v) and np.full_like(a, v).
  Instr* full() {
    bool like = callee_name(i_) == "numpy.full_like";
    std::vector<Instr*> dims = extents(arg(like ? "a" : "shape"));
    Instr* fill = b_.cast(arg("fill_value"), i_->type->dtype());
    Instr* out = new_array(dims);
    Instr* data = b_.data(out);
    b_.counted_loop(loops_.product(dims), [&](Instr* k) { b_.store(b_.element_ptr(data, k), fill); }, true);
    return out;
  }

  // NumPy's arange: the length is ceil((stop - start) / step) in the arguments' arithmetic;
  // a[0] = start and a[1] = start + step are converted to the dtype, and the fill function
  // continues with a[k] = a[0] + k * (a[1] - a[0]) in the dtype.
  Instr* arange() {
    Instr* start_i = arg("start");
    Instr* stop = arg("stop");
    Instr* step_i = arg("step");
    const Type* ct = stop->type->strong();  // typing cast all three to it
    const Type* dt = i_->type->dtype();
    stop = b_.cast(stop, ct);
    Instr* start = start_i ? b_.cast(start_i, ct) : loops_.number(ct, 0);
    Instr* step = step_i ? b_.cast(step_i, ct) : loops_.number(ct, 1);
    Instr* n;
    if (ct->is_int()) {
      b_.raise_if(b_.cmp(CmpKind::Eq, step, b_.int64(0)), DN_ZERO_DIVISION_ERROR, "division by zero");
      // Exact for all int64 arguments: the span and |step| as unsigned 64-bit numbers.
      Instr* pos = b_.cmp(CmpKind::Gt, step, b_.int64(0));
      Instr* lo = b_.select(pos, start, stop);
      Instr* hi = b_.select(pos, stop, start);
      Instr* span = b_.binop(BinOpKind::Sub, hi, lo);
      Instr* astep = b_.select(pos, step, neg(step));
      Instr* q = b_.binop(BinOpKind::Add, b_.binop(BinOpKind::FloorDiv, b_.binop(BinOpKind::Sub, span, b_.int64(1)), astep, true),
                          b_.int64(1));
      n = b_.select(b_.cmp(CmpKind::Le, hi, lo), b_.int64(0), q);
      b_.raise_if(b_.cmp(CmpKind::Lt, n, b_.int64(0)), DN_VALUE_ERROR, "Maximum allowed size exceeded");
    } else {
      b_.raise_if(b_.cmp(CmpKind::Eq, step, loops_.number(ct, 0)), DN_ZERO_DIVISION_ERROR, "float division by zero");
      Instr* len = math("ceil", b_.binop(BinOpKind::TrueDiv, b_.binop(BinOpKind::Sub, stop, start), step));
      b_.raise_if(loops_.scalar_call(Intrinsic::IsNan, "", {len}, t_bool()), DN_VALUE_ERROR, "arange: cannot compute length");
      b_.raise_if(b_.cmp(CmpKind::Ge, len, loops_.number(ct, 9223372036854775808.0)), DN_VALUE_ERROR,
                  "Maximum allowed size exceeded");
      n = max(b_.cast(len, t_int64()), b_.int64(0));  // the cast saturates
    }
    Instr* next = b_.binop(BinOpKind::Add, start, step);
    Instr* out = new_array({n});
    Instr* data = b_.data(out);
    Instr* first = b_.cast(start, dt);
    Instr* second = b_.cast(next, dt);
    // a[k] = first + k * delta, per component for complex dtypes.
    auto affine = [&](Instr* a0, Instr* a1) {
      Instr* delta = b_.binop(BinOpKind::Sub, a1, a0);
      return [this, a0, delta](Instr* k) { return b_.binop(BinOpKind::Add, a0, b_.binop(BinOpKind::Mul, b_.cast(k, a0->type), delta)); };
    };
    if (dt->is_complex()) {
      auto re = affine(part(first, "real"), part(second, "real"));
      auto im = affine(part(first, "imag"), part(second, "imag"));
      b_.counted_loop(n, [&](Instr* k) { b_.store(b_.element_ptr(data, k), b_.emit(Opcode::MakeComplex, {re(k), im(k)}, dt)); }, true);
    } else {
      auto at = affine(first, second);
      b_.counted_loop(n, [&](Instr* k) { b_.store(b_.element_ptr(data, k), at(k)); }, true);
    }
    // The first two elements are NumPy's exactly (k * delta need not give them back).
    for (int64_t k = 0; k < 2; ++k)
      b_.if_then(b_.cmp(CmpKind::Gt, n, b_.int64(k)), [&] { b_.store(b_.element_ptr(data, b_.int64(k)), k == 0 ? first : second); });
    return out;
  }

  Instr* part(Instr* z, const char* which) {
    Instr* g = b_.emit(Opcode::GetAttr, {z}, t_float(z->type->bits() / 2));
    g->attr = which;
    return g;
  }

  // NumPy's linspace: div = num - 1 (endpoint) or num; step = (stop - start) / div;
  // y[k] = k * step + start, or (k / div) * delta + start when step underflows to 0, or
  // k * delta + start when div <= 0; y[num - 1] = stop with the endpoint; integer dtypes
  // take floor(y).
  Instr* linspace() {
    Instr* start_i = arg("start");
    const Type* ct = start_i->type->strong();
    const Type* dt = i_->type->dtype();
    Instr* start = b_.cast(start_i, ct);
    Instr* stop = b_.cast(arg("stop"), ct);
    Instr* num_i = arg("num");
    Instr* endpoint_i = arg("endpoint");
    Instr* num = num_i ? b_.cast(num_i, t_int64()) : b_.int64(50);
    Instr* endpoint = endpoint_i ? b_.cast(endpoint_i, t_bool()) : b_.boolean(true);
    b_.raise_if(b_.cmp(CmpKind::Lt, num, b_.int64(0)), DN_VALUE_ERROR, "Number of samples must be non-negative");
    Instr* out = new_array({num});
    Instr* data = b_.data(out);
    Instr* div = b_.select(endpoint, b_.binop(BinOpKind::Sub, num, b_.int64(1)), num);
    Instr* divf = b_.cast(div, ct);
    Instr* delta = b_.binop(BinOpKind::Sub, stop, start);
    Instr* step = b_.binop(BinOpKind::TrueDiv, delta, divf);
    Instr* positive = b_.cmp(CmpKind::Gt, div, b_.int64(0));
    Instr* underflow = b_.binop(BinOpKind::And, positive, b_.cmp(CmpKind::Eq, step, loops_.number(ct, 0)));
    auto convert = [&](Instr* y) { return b_.cast(dt->is_int() ? math("floor", y) : y, dt); };
    Block* slow = b_.new_block();
    Block* fast = b_.new_block();
    Block* done = b_.new_block();
    b_.condbr(underflow, slow, fast);
    b_.set_block(slow);
    b_.counted_loop(num, [&](Instr* k) {
      Instr* y = b_.binop(BinOpKind::Mul, b_.binop(BinOpKind::TrueDiv, b_.cast(k, ct), divf), delta);
      b_.store(b_.element_ptr(data, k), convert(b_.binop(BinOpKind::Add, y, start)));
    }, true);
    b_.br(done);
    b_.set_block(fast);
    Instr* mult = b_.select(positive, step, delta);
    b_.counted_loop(num, [&](Instr* k) {
      Instr* y = b_.binop(BinOpKind::Mul, b_.cast(k, ct), mult);
      b_.store(b_.element_ptr(data, k), convert(b_.binop(BinOpKind::Add, y, start)));
    }, true);
    b_.br(done);
    b_.set_block(done);
    b_.if_then(b_.binop(BinOpKind::And, endpoint, b_.cmp(CmpKind::Gt, num, b_.int64(1))), [&] {
      b_.store(b_.element_ptr(data, b_.binop(BinOpKind::Sub, num, b_.int64(1))), convert(stop));
    });
    return out;
  }

  // np.eye(N, M, k) / np.identity(n): zeros, then ones on the k-th diagonal.
  Instr* eye() {
    bool identity = callee_name(i_) == "numpy.identity";
    Instr* rows = b_.cast(arg(identity ? "n" : "N"), t_int64());
    Instr* m_i = identity ? nullptr : arg("M");
    Instr* k_i = identity ? nullptr : arg("k");
    Instr* cols = m_i ? b_.cast(m_i, t_int64()) : rows;
    Instr* k = k_i ? b_.cast(k_i, t_int64()) : b_.int64(0);
    Instr* out = new_array({rows, cols}, ArrayFill::Zeros);  // checks rows, cols >= 0
    Instr* data = b_.data(out);
    // With k clamped to [-rows, cols] nothing overflows: the diagonal is rows lo..hi-1.
    k = min(max(k, neg(rows)), cols);
    Instr* lo = max(b_.int64(0), neg(k));
    Instr* hi = min(rows, b_.binop(BinOpKind::Sub, cols, k));
    Instr* one = loops_.number(i_->type->dtype(), 1);
    Instr* pitch = b_.binop(BinOpKind::Add, cols, b_.int64(1));
    b_.counted_loop(b_.binop(BinOpKind::Sub, hi, lo), [&](Instr* j) {
      Instr* row = b_.binop(BinOpKind::Add, lo, j);
      b_.store(b_.element_ptr(data, b_.binop(BinOpKind::Add, b_.binop(BinOpKind::Mul, row, pitch), k)), one);
    });
    return out;
  }

  // np.array((x, y, ...)) of scalars or nested tuples of scalars: C order is the order of
  // the leaves, each converted to the dtype.
  Instr* from_tuple() {
    Instr* obj = arg(callee_name(i_) == "numpy.array" ? "object" : "a");
    std::vector<Instr*> dims;
    for (const Type* t = obj->type; t->kind() == TypeKind::Tuple; t = t->elements().empty() ? t : t->elements()[0]) {
      dims.push_back(b_.int64(int64_t(t->elements().size())));
      if (t->elements().empty()) break;
    }
    DN_CHECK(int(dims.size()) == i_->type->ndim(), "np.array: shape does not match " + i_->type->str());
    Instr* out = new_array(dims);
    Instr* data = b_.data(out);
    int64_t next = 0;
    std::function<void(Instr*)> leaves = [&](Instr* v) {
      if (v->type->kind() != TypeKind::Tuple) {
        store_at(data, b_.int64(next++), v);
        return;
      }
      for (size_t k = 0; k < v->type->elements().size(); ++k) leaves(element(v, k));
    };
    leaves(obj);
    return out;
  }

  ArrayLoops& loops_;
  IRBuilder& b_;
  Instr* i_;
};

}  // namespace

bool is_creation(const Instr* call) {
  if (call->op != Opcode::Call) return false;
  switch (call->intrinsic) {
    case Intrinsic::ArrayAlloc:
    case Intrinsic::ArrayCopy:
    case Intrinsic::ArrayFull:
    case Intrinsic::ArrayLike:
    case Intrinsic::ArrayArange:
    case Intrinsic::ArrayLinspace:
    case Intrinsic::ArrayEye:
    case Intrinsic::ArrayFromTuple: return true;
    default: return false;
  }
}

Instr* lower_creation(ArrayLoops& loops, Instr* call) { return Creation(loops, call).lower(); }

}  // namespace dn
