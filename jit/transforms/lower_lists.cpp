#include "jit/transforms/lower_lists.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "jit/frontend/function_info.h"
#include "jit/transforms/lower_each.h"
#include "jit/transforms/iterables.h"
#include "jit/typing/dict_rules.h"
#include "jit/typing/list_rules.h"
#include "jit/typing/string_rules.h"
#include "jit/transforms/ir_builder.h"
#include "jit/types/abi_layout.h"
#include "runtime/abi.h"

namespace dn {

namespace {

bool is_list_iter(const Type* t) { return t && t->kind() == TypeKind::ArrayIter && is_list(t->dtype()); }

bool list_call(const Instr* i) {
  if (i->op != Opcode::Call) return false;
  switch (i->intrinsic) {
    case Intrinsic::ListFrom: case Intrinsic::ListAppend: case Intrinsic::ListInsert: case Intrinsic::ListExtend:
    case Intrinsic::ListPop: case Intrinsic::ListClear: case Intrinsic::ListCopy: case Intrinsic::ListReverse:
    case Intrinsic::ListIndex: case Intrinsic::ListCount: case Intrinsic::ListRemove: case Intrinsic::ListSort:
    case Intrinsic::ListSorted: case Intrinsic::ListSum: case Intrinsic::ArrayFromList:
    case Intrinsic::ListAny: case Intrinsic::ListAll: return true;
    case Intrinsic::Stack:
    case Intrinsic::Concatenate: return is_list(i->operands[1]->type);  // np.stack(list of arrays)
    case Intrinsic::Len: return i->operands.size() == 2 && is_list(i->operands[1]->type);
    case Intrinsic::StrMethod: return i->func == "join" && is_generator(i->operands[2]->type);  // s.join(gen)
    case Intrinsic::Min:
    case Intrinsic::Max:  // of one iterable (and a default=)
      return (i->operands.size() == 2 || (i->operands.size() == 3 && i->kwnames.size() == 1)) &&
             (is_list(i->operands[1]->type) || is_hash_iterable(i->operands[1]->type) ||
              is_sequence_of_one_type(i->operands[1]->type));
    default: return false;
  }
}

class ListLowering {
 public:
  ListLowering(IRBuilder& b, int python_version, IndexedIters& iters)
      : b_(b), py_(python_version), iters_(iters) {}

  // Lowers `i` at the end of the builder's block; returns its value (null: none).
  Instr* lower(Instr* i);

 private:
  Instr* header(Instr* l) { return b_.emit(Opcode::ListHeader, {l}, t_pointer(t_int64())); }
  Instr* data(Instr* l) { return b_.emit(Opcode::ListData, {l}, t_pointer(l->type->dtype())); }
  Instr* len(Instr* l) { return b_.load(header(l)); }
  void set_len(Instr* l, Instr* n) { b_.store(header(l), n); }
  Instr* get(Instr* l, Instr* k) { return b_.load(b_.element_ptr(data(l), k)); }
  void put(Instr* l, Instr* k, Instr* v) { b_.store(b_.element_ptr(data(l), k), convert(v, l->type->dtype())); }
  Instr* add(Instr* a, Instr* c) { return b_.binop(BinOpKind::Add, a, c); }
  Instr* sub(Instr* a, Instr* c) { return b_.binop(BinOpKind::Sub, a, c); }
  Instr* mul(Instr* a, Instr* c) { return b_.binop(BinOpKind::Mul, a, c); }
  Instr* magnitude(Instr* v) {
    Instr* neg = b_.emit(Opcode::UnaryOp, {v}, v->type);
    neg->unop = UnaryKind::Neg;
    return b_.select(b_.cmp(CmpKind::Lt, v, zero(v->type)), neg, v);
  }
  Instr* max0(Instr* v) { return b_.select(b_.cmp(CmpKind::Lt, v, b_.int64(0)), b_.int64(0), v); }

  // A runtime entry point that returns a status (failures return from the function).
  void checked(const char* func, std::vector<Instr*> operands) { b_.call_runtime_checked(func, std::move(operands)); }
  Instr* new_list(const Type* t, Instr* n) {
    Instr* slot = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
    slot->slots = 1;
    checked("dn_list_new", {slot, b_.int64(int64_t(abi_layout(t->dtype()).size)), n});
    return b_.load(slot);
  }
  // Room for `count` elements at `at` (count < 0: removes -count there).
  void shift(Instr* l, Instr* at, Instr* count) { checked("dn_list_shift", {l, at, count}); }

  Instr* convert(Instr* v, const Type* to) { return b_.convert(v, to); }
  Instr* equal(Instr* x, Instr* y) { return b_.equal(x, y); }
  Instr* zero(const Type* t) {
    Instr* c = b_.emit(Opcode::Const, {}, t);
    c->cval.kind = ConstValue::Kind::Int;
    c->cval.i = 0;
    return c;
  }
  // Python's index rules: negative from the end, IndexError outside.
  Instr* index(Instr* i, Instr* n, const char* message) {
    i = b_.cast(i, t_int64());  // a Python int constant is weak
    Instr* k = b_.select(b_.cmp(CmpKind::Lt, i, b_.int64(0)), add(i, n), i);
    Instr* outside = b_.binop(BinOpKind::Or, b_.cmp(CmpKind::Lt, k, b_.int64(0)), b_.cmp(CmpKind::Ge, k, n));
    b_.raise_if(outside, DN_INDEX_ERROR, message);
    return k;
  }
  Instr* count(Instr* src) { return element_count(b_, src); }
  void for_each(Instr* src, Instr* n, const std::function<void(Instr*, Instr*)>& body) {
    for_each_element(b_, src, n, body);
  }
  // A list of an iterable's elements: the list itself, or a new one (sorted(s), min(d)).
  Instr* as_list(Instr* src) {
    if (is_list(src->type)) return src;
    Instr* l = new_list(t_list(iterable_element(src->type)), b_.int64(0));
    extend(l, src);
    return l;
  }
  // Appends the elements of `src` to `l` (n of them, counted before: l.extend(l) doubles
  // l); a generator's one by one, as it hands them out.
  void extend(Instr* l, Instr* src) {
    if (is_generator(src->type)) {
      for_each(src, nullptr, [&](Instr* x, Instr*) { append(l, x); });
      return;
    }
    Instr* n0 = len(l);
    Instr* m = count(src);
    shift(l, n0, m);
    for_each(src, m, [&](Instr* x, Instr* j) { put(l, add(n0, j), x); });
  }
  // The fast path inline: store and count; the runtime only when the list is full. With
  // `room` (reserve_list_appends: true when the loop's appends were given room before
  // it), the capacity is tested only when there was none.
  void append(Instr* l, Instr* x, Instr* room = nullptr) {
    Instr* h = header(l);
    Instr* n = b_.load(h);
    Instr* capacity = b_.load(b_.element_ptr(h, b_.int64(1)));
    Instr* next = b_.binop(BinOpKind::Add, n, b_.int64(1), true);
    Instr* full = b_.cmp(CmpKind::Ge, n, capacity);
    if (room) full = b_.binop(BinOpKind::And, b_.logical_not(room), full);
    b_.if_then(full, [&] { checked("dn_list_reserve", {l, next}); });
    put(l, n, x);
    b_.store(h, next);
  }
  Instr* copy(Instr* l) {
    Instr* n = len(l);
    Instr* c = new_list(l->type, n);
    b_.counted_loop(n, [&](Instr* j) { put(c, j, get(l, j)); }, true);
    return c;
  }
  Instr* find(Instr* l, Instr* x) {
    return b_.find_first(len(l), [&](Instr* j) { return equal(get(l, j), x); });
  }
  void sort(Instr* l, Instr* reverse) {
    if (l->type->dtype()->kind() == TypeKind::Tuple) {  // lexicographic, field by field
      b_.call_runtime("dn_list_sort_fields", {l, b_.int64_array(hash_fields(l->type->dtype())),
                                              reverse ? b_.cast(reverse, t_int64()) : b_.int64(0)}, nullptr);
      return;
    }
    Instr* c = b_.emit(Opcode::CallRuntime,
                       {l, b_.int64(is_str(l->type->dtype()) ? DN_STR_FIELD : dtype_code(l->type->dtype())), reverse ? b_.cast(reverse, t_int64()) : b_.int64(0)},
                       nullptr);
    c->func = "dn_list_sort";
  }
  Instr* sum(Instr* i);
  Instr* number_rows(Instr* i, Instr* l);
  Instr* join_arrays(Instr* i, Instr* l, const char* mismatch);
  Instr* min_max(Instr* i, Instr* l, bool is_min);
  Instr* extreme(Instr* i, Instr* l, Instr* n, bool is_min);
  Instr* binop(Instr* i);
  Instr* compare(Instr* i);
  Instr* call(Instr* i);
  Instr* slice(Instr* l, Instr* s) {
    Instr* bounds = b_.emit(Opcode::StackSlot, {}, t_pointer(s->type));
    bounds->slots = 1;
    b_.store(bounds, s);
    Instr* out = b_.emit(Opcode::StackSlot, {}, t_pointer(l->type));
    out->slots = 1;
    checked("dn_list_slice", {out, l, bounds});
    return b_.load(out);
  }

  IRBuilder& b_;
  int py_;
  IndexedIters& iters_;
};

// sum(iterable, start): start + x0 + x1 + ... in the call's type. Python 3.12+ adds floats
// with Neumaier's compensation, as CPython's sum() does.
Instr* ListLowering::sum(Instr* i) {
  const Type* t = i->type->strong();
  Instr* src = i->operands[1];
  Instr* acc = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
  acc->slots = 1;
  b_.store(acc, i->operands.size() > 2 ? convert(i->operands[2], t) : zero(t));
  bool compensated = py_ >= 312 && t->is_float();
  Instr* comp = nullptr;
  if (compensated) {
    comp = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
    comp->slots = 1;
    b_.store(comp, zero(t));
  }
  for_each(src, count(src), [&](Instr* x, Instr*) {
    Instr* s = b_.load(acc);
    Instr* v = convert(x, t);
    Instr* total = add(s, v);
    if (compensated) {
      // c += |s| >= |x| ? (s - total) + x : (x - total) + s
      Instr* bigger = b_.cmp(CmpKind::Ge, magnitude(s), magnitude(v));
      Instr* lost = b_.select(bigger, add(sub(s, total), v), add(sub(v, total), s));
      b_.store(comp, add(b_.load(comp), lost));
    }
    b_.store(acc, total);
  });
  Instr* r = b_.load(acc);
  if (compensated) {
    // CPython adds the compensation only when it is finite and nonzero.
    Instr* c = b_.load(comp);
    Instr* finite = b_.cmp(CmpKind::Eq, sub(c, c), zero(t));  // false for inf and nan
    Instr* use = b_.binop(BinOpKind::And, finite, b_.cmp(CmpKind::Ne, c, zero(t)));
    r = b_.select(use, add(r, c), r);
  }
  return r;
}

// min(l) / max(l): the first smallest (largest) element, as Python's comparison order
// picks it (an element replaces the current one only when strictly smaller).
Instr* ListLowering::min_max(Instr* i, Instr* l, bool is_min) {
  Instr* n = len(l);
  if (i->operands.size() > 2) {  // default=: the call's result when l is empty
    Instr* out = b_.emit(Opcode::StackSlot, {}, t_pointer(i->type));
    b_.store(out, b_.cast(i->operands[2], i->type));
    b_.if_then(b_.cmp(CmpKind::Gt, n, b_.int64(0)), [&] { b_.store(out, b_.cast(extreme(i, l, n, is_min), i->type)); });
    return b_.load(out);
  }
  b_.raise_if(b_.cmp(CmpKind::Eq, n, b_.int64(0)), DN_VALUE_ERROR,
              std::string(is_min ? "min" : "max") + (py_ >= 312 ? "() iterable argument is empty" : "() arg is an empty sequence"));
  return extreme(i, l, n, is_min);
}

// The first smallest (largest) of the n > 0 elements of l.
Instr* ListLowering::extreme(Instr* i, Instr* l, Instr* n, bool is_min) {
  const Type* t = l->type->dtype();
  if (t->kind() == TypeKind::Tuple) {
    // Tuples: the first of a stable sort (descending for max keeps equal ones in order too),
    // which is Python's first smallest (largest).
    Instr* sorted = copy(l);
    sort(sorted, b_.int64(is_min ? 0 : 1));
    return get(sorted, b_.int64(0));
  }
  (void)i;
  Instr* best = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
  best->slots = 1;
  b_.store(best, get(l, b_.int64(0)));
  b_.counted_loop(sub(n, b_.int64(1)), [&](Instr* j) {
    Instr* x = get(l, add(j, b_.int64(1)));
    Instr* m = b_.load(best);
    b_.store(best, b_.select(b_.cmp(is_min ? CmpKind::Lt : CmpKind::Gt, x, m), x, m));
  });
  return b_.load(best);
}

// np.array(rows) of lists of numbers: a 2-D array, every row as long as the first.
Instr* ListLowering::number_rows(Instr* i, Instr* l) {
  Instr* n = len(l);
  Instr* width = b_.select(b_.cmp(CmpKind::Gt, n, b_.int64(0)), len(get(l, b_.int64(0))), b_.int64(0));
  Instr* out = b_.emit(Opcode::NewArray, {n, width}, i->type);
  Instr* dst = b_.data(out);
  b_.counted_loop(n, [&](Instr* j) {
    Instr* row = get(l, j);
    b_.raise_if(b_.cmp(CmpKind::Ne, len(row), width), DN_VALUE_ERROR,
                "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 "
                "dimensions.");
    Instr* base = mul(j, width);
    b_.counted_loop(width, [&](Instr* k) {
      b_.store(b_.element_ptr(dst, add(base, k)), convert(get(row, k), i->type->dtype()));
    }, true);
  });
  return out;
}

// np.stack(l), np.array(l) (one more dimension, first) and np.concatenate(l) (along the
// first) of a list of arrays: each element stored into its view of the result, which
// lower_array_loops turns into loops. Every element must have the first one's shape (off
// the joined axis): `mismatch` says otherwise.
Instr* ListLowering::join_arrays(Instr* i, Instr* l, const char* mismatch) {
  bool concatenate = i->intrinsic == Intrinsic::Concatenate;
  const Type* in = l->type->dtype();
  int in_nd = in->ndim();
  Instr* n = len(l);
  if (i->intrinsic != Intrinsic::ArrayFromList)
    b_.raise_if(b_.cmp(CmpKind::Eq, n, b_.int64(0)), DN_VALUE_ERROR,
                concatenate ? "need at least one array to concatenate" : "need at least one array to stack");
  Instr* any = b_.cmp(CmpKind::Gt, n, b_.int64(0));
  Instr* first = get(l, b_.int64(0));  // a list always has room for one element
  std::vector<Instr*> dims;            // of the first element (none: zeros)
  for (int d = 0; d < in_nd; ++d) dims.push_back(b_.select(any, b_.dim(first, d), b_.int64(0)));
  std::vector<Instr*> shape{n};
  if (concatenate) {
    Instr* rows = b_.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
    rows->slots = 1;
    b_.store(rows, b_.int64(0));
    b_.counted_loop(n, [&](Instr* j) { b_.store(rows, add(b_.load(rows), b_.dim(get(l, j), 0))); });
    shape = {b_.load(rows)};
  }
  shape.insert(shape.end(), dims.begin() + (concatenate ? 1 : 0), dims.end());
  Instr* out = b_.emit(Opcode::NewArray, shape, i->type);
  Instr* data = b_.data(out);
  Instr* at = b_.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));  // the next row of out
  at->slots = 1;
  b_.store(at, b_.int64(0));
  b_.counted_loop(n, [&](Instr* j) {
    Instr* x = get(l, j);
    for (int d = concatenate ? 1 : 0; d < in_nd; ++d)
      b_.raise_if(b_.cmp(CmpKind::Ne, b_.dim(x, d), dims[size_t(d)]), DN_VALUE_ERROR, mismatch);
    Instr* rows = concatenate ? b_.dim(x, 0) : b_.int64(1);
    Instr* row = b_.load(at);
    std::vector<Instr*> view{out, b_.byte_ptr(data, mul(row, b_.stride(out, 0)))};
    std::vector<Instr*> strides;
    for (int d = concatenate ? 0 : 1; d < i->type->ndim(); ++d) {
      view.push_back(d == 0 ? rows : b_.dim(out, d));
      strides.push_back(b_.stride(out, d));
    }
    view.insert(view.end(), strides.begin(), strides.end());
    Instr* slab = b_.emit(Opcode::View, view, t_array(i->type->dtype(), in_nd, Layout::A));
    b_.emit(Opcode::SetItem, {slab, x}, nullptr);
    b_.store(at, add(row, rows));
  });
  return out;
}

Instr* ListLowering::binop(Instr* i) {
  Instr* a = i->operands[0];
  Instr* c = i->operands[1];
  if (i->binop == BinOpKind::Add) {
    if (i->inplace) {  // l += m extends l itself
      extend(a, c);
      return a;
    }
    Instr* n1 = len(a);
    Instr* n2 = len(c);
    Instr* r = new_list(i->type, add(n1, n2));
    b_.counted_loop(n1, [&](Instr* j) { put(r, j, get(a, j)); }, true);
    b_.counted_loop(n2, [&](Instr* j) { put(r, add(n1, j), get(c, j)); }, true);
    return r;
  }
  // l * k, k * l: k copies (none for k <= 0); l *= k repeats l in place.
  Instr* l = is_list(a->type) ? a : c;
  Instr* k = max0(b_.cast(is_list(a->type) ? c : a, t_int64()));
  Instr* n = len(l);
  if (i->inplace) {
    Instr* extra = sub(mul(n, k), n);
    b_.if_then(b_.cmp(CmpKind::Gt, extra, b_.int64(0)), [&] { shift(l, n, extra); });
    b_.if_then(b_.cmp(CmpKind::Eq, k, b_.int64(0)), [&] { set_len(l, b_.int64(0)); });
    b_.counted_loop(sub(k, b_.int64(1)), [&](Instr* r) {
      Instr* base = mul(add(r, b_.int64(1)), n);
      b_.counted_loop(n, [&](Instr* j) { put(l, add(base, j), get(l, j)); }, true);
    });
    return l;
  }
  Instr* r = new_list(i->type, mul(n, k));
  b_.counted_loop(k, [&](Instr* rep) {
    Instr* base = mul(rep, n);
    b_.counted_loop(n, [&](Instr* j) { put(r, add(base, j), get(l, j)); }, true);
  });
  return r;
}

Instr* ListLowering::compare(Instr* i) {
  Instr* a = i->operands[0];
  Instr* c = i->operands[1];
  if ((i->cmp == CmpKind::In || i->cmp == CmpKind::NotIn) && c->type->kind() == TypeKind::Tuple) {
    Instr* any = b_.boolean(false);
    for_each(c, count(c), [&](Instr* x, Instr*) { any = b_.binop(BinOpKind::Or, any, equal(x, a)); });
    return i->cmp == CmpKind::In ? any : b_.logical_not(any);
  }
  if (i->cmp == CmpKind::In || i->cmp == CmpKind::NotIn)
    return b_.cmp(i->cmp == CmpKind::In ? CmpKind::Ge : CmpKind::Lt, find(c, a), b_.int64(0));
  if (i->cmp != CmpKind::Eq && i->cmp != CmpKind::Ne) {
    // l < m as Python orders lists: at the first elements that differ, or by length when
    // one list starts the other.
    Instr* na = len(a);
    Instr* nc = len(c);
    Instr* n = b_.select(b_.cmp(CmpKind::Lt, na, nc), na, nc);
    Instr* j = b_.find_first(n, [&](Instr* k) { return b_.logical_not(equal(get(a, k), get(c, k))); });
    Instr* found = b_.cmp(CmpKind::Ge, j, b_.int64(0));
    Instr* at = b_.select(found, j, b_.int64(0));  // a list always has room for one element
    Instr* by_element = b_.compare_numbers(i->cmp, get(a, at), get(c, at));
    return b_.select(found, by_element, b_.cmp(i->cmp, na, nc));
  }
  // l == m: the same length and no element that differs.
  Instr* n1 = len(a);
  Instr* same_len = b_.cmp(CmpKind::Eq, n1, len(c));
  Instr* n = b_.select(same_len, n1, b_.int64(0));
  Instr* differs = b_.find_first(n, [&](Instr* j) { return b_.logical_not(equal(get(a, j), get(c, j))); });
  Instr* eq = b_.binop(BinOpKind::And, same_len, b_.cmp(CmpKind::Lt, differs, b_.int64(0)));
  return i->cmp == CmpKind::Eq ? eq : b_.logical_not(eq);
}

Instr* ListLowering::call(Instr* i) {
  Instr* l = i->operands.size() > 1 ? i->operands[1] : nullptr;
  auto arg = [&](size_t k) { return i->operands.size() > k ? i->operands[k] : nullptr; };
  bool from_list = l && is_list(l->type);
  switch (i->intrinsic) {
    case Intrinsic::Min:
    case Intrinsic::Max:
    case Intrinsic::ListAny:
    case Intrinsic::ListAll:
    case Intrinsic::ListSorted:
      if (!from_list) l = as_list(l);  // of a dict or set: its elements in a list first
      break;
    default: break;
  }
  if (i->intrinsic == Intrinsic::StrMethod) {  // s.join(gen): of the list of its strs
    Instr* join = b_.function().clone(i);
    join->operands[2] = as_list(i->operands[2]);
    return b_.append(join);
  }
  switch (i->intrinsic) {
    case Intrinsic::Len: return len(l);
    case Intrinsic::Min: return min_max(i, l, true);
    case Intrinsic::Max: return min_max(i, l, false);
    case Intrinsic::ListSum: return sum(i);
    case Intrinsic::ListAny:
    case Intrinsic::ListAll: {
      // The first element that decides it, as Python's loop stops there.
      bool any = i->intrinsic == Intrinsic::ListAny;
      const Type* e = l->type->dtype();
      Instr* k = b_.find_first(len(l), [&](Instr* j) {
        if (e->kind() == TypeKind::Tuple) return b_.boolean(any == !e->elements().empty());
        Instr* x = get(l, j);
        if (is_list(e)) return b_.cmp(any ? CmpKind::Ne : CmpKind::Eq, len(x), b_.int64(0));  // an inner list's truth
        return b_.cmp(any ? CmpKind::Ne : CmpKind::Eq, x, zero(e));
      });
      return b_.cmp(any ? CmpKind::Ge : CmpKind::Lt, k, b_.int64(0));
    }
    case Intrinsic::ListFrom: {
      Instr* r = new_list(i->type, b_.int64(0));
      if (l) extend(r, l);
      return r;
    }
    case Intrinsic::Stack: return join_arrays(i, l, "all input arrays must have the same shape");
    case Intrinsic::Concatenate:
      return join_arrays(i, l, "all the input array dimensions except for the concatenation axis must match exactly");
    case Intrinsic::ArrayFromList: {
      const Type* item = l->type->dtype();
      if (is_list(item)) return number_rows(i, l);
      if (item->kind() == TypeKind::Array)
        return join_arrays(i, l, "setting an array element with a sequence. The requested array has an "
                                 "inhomogeneous shape after 1 dimensions.");
      // Rows of a 2-D result are the tuples' elements.
      Instr* n = len(l);
      size_t width = item->kind() == TypeKind::Tuple ? item->elements().size() : 0;
      std::vector<Instr*> dims{n};
      if (i->type->ndim() == 2) dims.push_back(b_.int64(int64_t(width)));
      Instr* out = b_.emit(Opcode::NewArray, dims, i->type);
      Instr* dst = b_.data(out);
      const Type* dtype = i->type->dtype();
      b_.counted_loop(n, [&](Instr* j) {
        Instr* x = get(l, j);
        if (i->type->ndim() == 1) {
          b_.store(b_.element_ptr(dst, j), convert(x, dtype));
          return;
        }
        for (size_t k = 0; k < width; ++k) {
          Instr* e = b_.emit(Opcode::TupleGet, {x}, item->elements()[k]);
          e->tuple_index = int64_t(k);
          Instr* at = add(mul(j, b_.int64(int64_t(width))), b_.int64(int64_t(k)));
          b_.store(b_.element_ptr(dst, at), convert(e, dtype));
        }
      }, true);
      return out;
    }
    case Intrinsic::ListAppend: append(l, arg(2), arg(3)); return nullptr;
    case Intrinsic::ListInsert: {
      // Python clamps: insert(-100, x) inserts first, insert(100, x) appends.
      Instr* n = len(l);
      Instr* at = b_.cast(arg(2), t_int64());
      Instr* from_end = max0(add(at, n));
      Instr* k = b_.select(b_.cmp(CmpKind::Lt, at, b_.int64(0)), from_end,
                           b_.select(b_.cmp(CmpKind::Gt, at, n), n, at));
      shift(l, k, b_.int64(1));
      put(l, k, arg(3));
      return nullptr;
    }
    case Intrinsic::ListExtend: extend(l, arg(2)); return nullptr;
    case Intrinsic::ListPop: {
      Instr* n = len(l);
      b_.raise_if(b_.cmp(CmpKind::Eq, n, b_.int64(0)), DN_INDEX_ERROR, "pop from empty list");
      if (!arg(2)) {
        Instr* last = sub(n, b_.int64(1));
        Instr* v = get(l, last);
        set_len(l, last);
        return v;
      }
      Instr* k = index(arg(2), n, "pop index out of range");
      Instr* v = get(l, k);
      shift(l, k, b_.int64(-1));
      return v;
    }
    case Intrinsic::ListClear: set_len(l, b_.int64(0)); return nullptr;
    case Intrinsic::ListCopy: return copy(l);
    case Intrinsic::ListReverse: {
      Instr* n = len(l);
      Instr* last = sub(n, b_.int64(1));
      b_.counted_loop(b_.binop(BinOpKind::RShift, n, b_.int64(1)), [&](Instr* j) {
        Instr* x = get(l, j);
        Instr* y = get(l, sub(last, j));
        put(l, j, y);
        put(l, sub(last, j), x);
      });
      return nullptr;
    }
    case Intrinsic::ListIndex: {
      Instr* k = find(l, arg(2));
      b_.raise_if(b_.cmp(CmpKind::Lt, k, b_.int64(0)), DN_VALUE_ERROR, "list.index(x): x not in list");
      return k;
    }
    case Intrinsic::ListCount: {
      Instr* acc = b_.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
      acc->slots = 1;
      b_.store(acc, b_.int64(0));
      b_.counted_loop(len(l), [&](Instr* j) {
        Instr* hit = b_.select(equal(get(l, j), arg(2)), b_.int64(1), b_.int64(0));
        b_.store(acc, add(b_.load(acc), hit));
      });
      return b_.load(acc);
    }
    case Intrinsic::ListRemove: {
      Instr* k = find(l, arg(2));
      b_.raise_if(b_.cmp(CmpKind::Lt, k, b_.int64(0)), DN_VALUE_ERROR, "list.remove(x): x not in list");
      shift(l, k, b_.int64(-1));
      return nullptr;
    }
    case Intrinsic::ListSort: sort(l, arg(2)); return nullptr;
    case Intrinsic::ListSorted: {
      Instr* c = from_list ? copy(l) : l;
      sort(c, arg(2));
      return c;
    }
    default: break;
  }
  DN_CHECK(false, "not a list call: " + print_instr(*i));
  return nullptr;
}

Instr* ListLowering::lower(Instr* i) {
  switch (i->op) {
    case Opcode::BuildList: {
      Instr* l = new_list(i->type, b_.int64(int64_t(i->operands.size())));
      for (size_t k = 0; k < i->operands.size(); ++k) put(l, b_.int64(int64_t(k)), i->operands[k]);
      return l;
    }
    case Opcode::Call: return call(i);
    case Opcode::BinOp: return binop(i);
    case Opcode::Compare: return compare(i);
    case Opcode::Truth: return b_.cmp(CmpKind::Ne, len(i->operands[0]), b_.int64(0));
    case Opcode::GetItem: {
      Instr* l = i->operands[0];
      if (i->operands[1]->type->kind() == TypeKind::Slice) return slice(l, i->operands[1]);
      return get(l, index(i->operands[1], len(l), "list index out of range"));
    }
    case Opcode::SetItem: {
      Instr* l = i->operands[0];
      put(l, index(i->operands[1], len(l), "list assignment index out of range"), i->operands[2]);
      return nullptr;
    }
    case Opcode::DelItem: {
      Instr* l = i->operands[0];
      shift(l, index(i->operands[1], len(l), "list assignment index out of range"), b_.int64(-1));
      return nullptr;
    }
    case Opcode::GetIter: iters_[i] = start_indexed_iter(b_, i->operands[0]); return nullptr;
    case Opcode::IterValid: return indexed_iter_valid(b_, iters_.at(i->operands[0]));
    case Opcode::IterNext: {
      const IndexedIter& it = iters_.at(i->operands[0]);
      return get(it.seq, indexed_iter_advance(b_, it));
    }
    default: break;
  }
  DN_CHECK(false, "not a list operation: " + print_instr(*i));
  return nullptr;
}

}  // namespace

bool is_list_operation(const Instr* i) {
  switch (i->op) {
    case Opcode::BuildList: return true;
    case Opcode::Call: return list_call(i);
    case Opcode::BinOp: return is_list(i->type);
    case Opcode::Compare:
      if ((i->cmp == CmpKind::In || i->cmp == CmpKind::NotIn) && i->operands[1]->type->kind() == TypeKind::Tuple)
        return true;  // x in (1, 2, 3)
      return is_list(i->operands[0]->type) || is_list(i->operands[1]->type);
    case Opcode::Truth:
    case Opcode::GetItem:
    case Opcode::SetItem:
    case Opcode::DelItem:
    case Opcode::GetIter: return is_list(i->operands[0]->type);
    case Opcode::IterValid:
    case Opcode::IterNext: return is_list_iter(i->operands[0]->type);
    default: return false;
  }
}

bool lower_lists(Function& fn) {
  int python_version = fn.info ? fn.info->python_version : 311;
  IndexedIters iters;
  return lower_each(
      fn, is_list_operation, [&](IRBuilder& b, Instr* i) { return ListLowering(b, python_version, iters).lower(i); },
      [&](Instr* old, Instr* now) { rename_indexed_seq(iters, old, now); });
}

}  // namespace dn
