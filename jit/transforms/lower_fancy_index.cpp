#include "jit/transforms/lower_fancy_index.h"

#include <algorithm>

#include "runtime/abi.h"

namespace dn {

namespace {

bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

// The shape of a masked array, checked against the mask's.
std::vector<Instr*> mask_shape(ArrayLoops& loops, Instr* a, Instr* mask) {
  IRBuilder& b = loops.builder();
  std::vector<Instr*> shape;
  for (int k = 0; k < a->type->ndim(); ++k) {
    shape.push_back(b.dim(a, k));
    b.raise_if(b.cmp(CmpKind::Ne, b.dim(mask, k), shape.back()), DN_INDEX_ERROR,
               "boolean index did not match indexed array along dimension " + std::to_string(k));
  }
  return shape;
}

// Adds the number of true elements of `mask` to the int64 at `count`.
void count_selected(ArrayLoops& loops, Instr* mask, const std::vector<Instr*>& shape, Instr* count) {
  IRBuilder& b = loops.builder();
  loops.for_each_element({mask}, shape, [&](const ArrayLoops::Position& p) {
    b.store(count, b.binop(BinOpKind::Add, b.load(count), b.cast(b.load(p.ptr[0]), t_int64())));
  });
}

// j along a's axis with Python's wraparound, always bounds-checked (IndexError).
Instr* checked_index(IRBuilder& b, Instr* a, Instr* j, int axis = 0) {
  Instr* n = b.dim(a, axis);
  j = b.select(b.cmp(CmpKind::Lt, j, b.int64(0)), b.binop(BinOpKind::Add, j, n), j);
  b.raise_if(b.binop(BinOpKind::Or, b.cmp(CmpKind::Lt, j, b.int64(0)), b.cmp(CmpKind::Ge, j, n)), DN_INDEX_ERROR,
             "index out of bounds for axis " + std::to_string(axis));
  return j;
}

// &a[j] of a 1-D array, j checked as checked_index does.
Instr* checked_element_ptr(IRBuilder& b, Instr* a, Instr* j) {
  return b.byte_ptr(b.data(a), b.binop(BinOpKind::Mul, checked_index(b, a, j), b.stride(a, 0)));
}

// Rows of an N-D array by a 1-D index (X[perm]): out[k] is a copy of a[idx[k]].
Instr* gather_rows(ArrayLoops& loops, Instr* a, Instr* idx, const Type* out_t) {
  IRBuilder& b = loops.builder();
  std::vector<Instr*> shape = loops.extents(idx);
  std::vector<Instr*> out_shape = shape;
  for (int d = 1; d < a->type->ndim(); ++d) out_shape.push_back(b.dim(a, d));
  Instr* out = b.emit(Opcode::NewArray, out_shape, out_t);
  const Type* row_out = t_array(a->type->dtype(), a->type->ndim() - 1, Layout::C);
  const Type* row_in = t_array(a->type->dtype(), a->type->ndim() - 1, view_layout(a->type, {t_int64()}));
  loops.for_each_element({idx}, shape, [&](const ArrayLoops::Position& p) {
    Instr* j = checked_index(b, a, b.cast(b.load(p.ptr[0]), t_int64()));
    Instr* dst = b.emit(Opcode::GetItem, {out, p.linear}, row_out);
    Instr* src = b.emit(Opcode::GetItem, {a, j}, row_in);
    loops.for_each_element({dst, src}, loops.extents(src),
                           [&](const ArrayLoops::Position& q) { b.store(q.ptr[0], b.load(q.ptr[1])); });
  });
  return out;
}

// Rows of an N-D array by a 1-D index (X[rows] = v): each a[idx[k]] gets the scalar v,
// v's row k (v of a's rank), or v itself (v of a row's rank), shapes checked.
void store_rows(ArrayLoops& loops, Instr* a, Instr* idx, Instr* v) {
  IRBuilder& b = loops.builder();
  const Type* d = a->type->dtype();
  const int rank = a->type->ndim();
  bool array_value = is_array(v);
  std::vector<Instr*> shape = loops.extents(idx);
  const Type* row_t = t_array(d, rank - 1, view_layout(a->type, {t_int64()}));
  bool per_row = array_value && v->type->ndim() == rank;
  if (per_row)
    b.raise_if(b.cmp(CmpKind::Ne, b.dim(v, 0), shape[0]), DN_VALUE_ERROR,
               "shape mismatch: value array of " + std::to_string(rank) + " dimensions does not match the rows indexed");
  loops.for_each_element({idx}, shape, [&](const ArrayLoops::Position& p) {
    Instr* j = checked_index(b, a, b.cast(b.load(p.ptr[0]), t_int64()));
    Instr* dst = b.emit(Opcode::GetItem, {a, j}, row_t);
    std::vector<Instr*> row = loops.extents(dst);
    if (!array_value) {
      Instr* x = b.cast(v, d);
      loops.for_each_element({dst}, row, [&](const ArrayLoops::Position& q) { b.store(q.ptr[0], x); });
      return;
    }
    Instr* src = per_row ? b.emit(Opcode::GetItem, {v, p.linear}, t_array(v->type->dtype(), rank - 1,
                                                                              view_layout(v->type, {t_int64()})))
                         : v;
    for (int k = 0; k < rank - 1; ++k)
      b.raise_if(b.cmp(CmpKind::Ne, b.dim(src, k), row[size_t(k)]), DN_VALUE_ERROR,
                 "shape mismatch: the value's rows do not match the indexed rows along dimension " + std::to_string(k + 1));
    loops.for_each_element({dst, src}, row,
                           [&](const ArrayLoops::Position& q) { b.store(q.ptr[0], b.cast(b.load(q.ptr[1]), d)); });
  });
}

// The positions along a's first axis where the 1-D mask holds (a new int64 array), the
// mask's length checked against the axis (NumPy's IndexError).
Instr* mask_rows(ArrayLoops& loops, Instr* a, Instr* mask) {
  IRBuilder& b = loops.builder();
  Instr* n = b.dim(a, 0);
  b.raise_if(b.cmp(CmpKind::Ne, b.dim(mask, 0), n), DN_INDEX_ERROR,
             "boolean index did not match indexed array along axis 0 (the mask's length differs from the axis's)");
  Instr* count = loops.slot(t_int64());
  b.store(count, b.int64(0));
  count_selected(loops, mask, {n}, count);
  Instr* rows = b.emit(Opcode::NewArray, {b.load(count)}, t_array(t_int64(), 1, Layout::C));
  Instr* data = b.data(rows);
  b.store(count, b.int64(0));
  loops.for_each_element({mask}, {n}, [&](const ArrayLoops::Position& p) {
    b.if_then(b.load(p.ptr[0]), [&] {
      Instr* k = b.load(count);
      b.store(b.element_ptr(data, k), p.linear);
      b.store(count, b.binop(BinOpKind::Add, k, b.int64(1)));
    });
  });
  return rows;
}

bool is_index_part(const Instr* p) { return is_array(p) || p->type->is_int(); }

// a[p0, p1, ...] with integer arrays among the parts (NumPy's advanced indexing; the
// integers are advanced indices too): where each element of the result comes from.
struct AdvancedIndex {
  Instr* base = nullptr;       // a, or its view by the slices (full slices at the advanced parts)
  std::vector<Instr*> shape;   // the result's
  // Walkers over the result's positions: the base (stride 0 along the index arrays'
  // axes), then each index array broadcast to the result (strides 0 elsewhere).
  std::vector<std::vector<Instr*>> strides;
  std::vector<Instr*> arrays;  // the index arrays, in walker order (walker k + 1)
  std::vector<int> array_axes; // the base axis each indexes
  Instr* fixed = nullptr;      // the integers' byte offset into the base (checked)
};

AdvancedIndex plan_advanced_index(ArrayLoops& loops, Instr* a, const std::vector<Instr*>& parts) {
  IRBuilder& b = loops.builder();
  AdvancedIndex plan;
  const int nd = a->type->ndim();
  bool sliced = false;
  for (Instr* p : parts) sliced |= p->type->kind() == TypeKind::Slice && p->type != t_slice(kSliceFull);
  plan.base = a;
  if (sliced) {
    // The slices first, as a view; the advanced parts then index it along full axes.
    Instr* none = b.emit(Opcode::Const, {}, t_none());
    Instr* all = b.emit(Opcode::Call, {b.library_function("builtins.slice"), none, none}, t_slice(kSliceFull));
    all->intrinsic = Intrinsic::Slice;
    std::vector<Instr*> operands{a};
    std::vector<const Type*> types;
    for (Instr* p : parts) {
      operands.push_back(is_index_part(p) ? all : p);
      types.push_back(operands.back()->type);
    }
    plan.base = b.emit(Opcode::GetItem, operands, t_array(a->type->dtype(), nd, view_layout(a->type, types), a->type->readonly()));
  }
  Instr* base = plan.base;
  // The index arrays' broadcast shape (NumPy's IndexError when they do not broadcast).
  int rank = 0;
  std::vector<int> advanced;
  for (size_t k = 0; k < parts.size(); ++k)
    if (is_index_part(parts[k])) {
      advanced.push_back(int(k));
      if (is_array(parts[k])) rank = std::max(rank, parts[k]->type->ndim());
    }
  std::vector<Instr*> bshape(size_t(rank), b.int64(1));
  Instr* mismatch = nullptr;
  bool first_array = true;  // the first array's shape is the broadcast shape so far: nothing to check
  for (int k : advanced) {
    Instr* p = parts[size_t(k)];
    if (!is_array(p)) continue;
    for (int d = 0; d < p->type->ndim(); ++d) {
      Instr*& s = bshape[size_t(rank - p->type->ndim() + d)];
      Instr* x = b.dim(p, d);
      if (first_array) {
        s = x;
        continue;
      }
      Instr* bad = b.binop(BinOpKind::And, b.cmp(CmpKind::Ne, x, s),
                           b.binop(BinOpKind::And, b.cmp(CmpKind::Ne, x, b.int64(1)), b.cmp(CmpKind::Ne, s, b.int64(1))));
      mismatch = mismatch ? b.binop(BinOpKind::Or, mismatch, bad) : bad;
      s = b.select(b.cmp(CmpKind::Eq, s, b.int64(1)), x, s);
    }
    first_array = false;
  }
  if (mismatch)
    b.raise_if(mismatch, DN_INDEX_ERROR, "shape mismatch: indexing arrays could not be broadcast together");
  // The broadcast axes go where the advanced parts are when they are adjacent, else first.
  bool adjacent = advanced.back() - advanced.front() + 1 == int(advanced.size());
  int at = adjacent ? advanced.front() : 0;
  std::vector<Instr*> base_strides;
  auto place_broadcast = [&] {
    for (Instr* s : bshape) {
      plan.shape.push_back(s);
      base_strides.push_back(b.int64(0));
    }
  };
  std::vector<int> result_axis_of_broadcast;  // the first broadcast axis's position
  for (int d = 0; d < nd; ++d) {
    if (d == at) {
      result_axis_of_broadcast.push_back(int(plan.shape.size()));
      place_broadcast();
    }
    bool is_advanced = d < int(parts.size()) && is_index_part(parts[size_t(d)]);
    if (is_advanced) continue;
    plan.shape.push_back(b.dim(base, d));
    base_strides.push_back(b.stride(base, d));
  }
  const int first = result_axis_of_broadcast.front();
  plan.strides.push_back(base_strides);
  plan.fixed = b.int64(0);
  for (int k : advanced) {
    Instr* p = parts[size_t(k)];
    if (!is_array(p)) {
      plan.fixed = b.binop(BinOpKind::Add, plan.fixed,
                           b.binop(BinOpKind::Mul, checked_index(b, base, b.cast(p, t_int64()), k), b.stride(base, k)));
      continue;
    }
    std::vector<Instr*> st(plan.shape.size(), b.int64(0));
    for (int d = 0; d < p->type->ndim(); ++d)
      st[size_t(first + rank - p->type->ndim() + d)] =
          b.select(b.cmp(CmpKind::Eq, b.dim(p, d), b.int64(1)), b.int64(0), b.stride(p, d));
    plan.strides.push_back(st);
    plan.arrays.push_back(p);
    plan.array_axes.push_back(k);
  }
  return plan;
}

// The walk over an advanced index's result: at(source element's address, result position).
void walk_advanced_index(ArrayLoops& loops, AdvancedIndex& plan, std::vector<std::vector<Instr*>> extra_strides,
                         const std::function<void(Instr*, const std::vector<Instr*>&, Instr*)>& at) {
  IRBuilder& b = loops.builder();
  std::vector<std::vector<Instr*>> strides = plan.strides;
  for (auto& s : extra_strides) strides.push_back(s);
  Instr* base_data = b.byte_ptr(b.data(plan.base), plan.fixed);
  std::vector<Instr*> index_data;
  for (Instr* p : plan.arrays) index_data.push_back(b.data(p));
  loops.walk(plan.shape, strides, [&](const std::vector<Instr*>& off, Instr* linear) {
    Instr* src = b.byte_ptr(base_data, off[0]);
    for (size_t k = 0; k < plan.arrays.size(); ++k) {
      Instr* j = b.cast(b.load(b.byte_ptr(index_data[k], off[k + 1])), t_int64());
      int axis = plan.array_axes[k];
      src = b.byte_ptr(src, b.binop(BinOpKind::Mul, checked_index(b, plan.base, j, axis), b.stride(plan.base, axis)));
    }
    at(src, std::vector<Instr*>(off.begin() + 1 + long(plan.arrays.size()), off.end()), linear);
  });
}

// The index parts of GetItem/SetItem `i` (after the array, before a stored value).
std::vector<Instr*> index_parts(const Instr* i) {
  size_t end = i->operands.size() - (i->op == Opcode::SetItem ? 1 : 0);
  return {i->operands.begin() + 1, i->operands.begin() + long(end)};
}

// More than one index part, an integer array among them (a[:, idx], a[rows, cols]).
bool is_advanced_index(const Instr* i) {
  std::vector<Instr*> parts = index_parts(i);
  return parts.size() > 1 && std::any_of(parts.begin(), parts.end(), [](const Instr* p) { return is_array(p); });
}

Instr* lower_advanced_get(ArrayLoops& loops, Instr* i) {
  IRBuilder& b = loops.builder();
  AdvancedIndex plan = plan_advanced_index(loops, i->operands[0], index_parts(i));
  Instr* out = b.emit(Opcode::NewArray, plan.shape, i->type);
  Instr* data = b.data(out);
  walk_advanced_index(loops, plan, {}, [&](Instr* src, const std::vector<Instr*>&, Instr* linear) {
    b.store(b.element_ptr(data, linear), b.load(src));
  });
  return out;
}

// a[:, idx] = v: v a scalar or an array that broadcasts to the indexed result's shape.
void lower_advanced_set(ArrayLoops& loops, Instr* i) {
  IRBuilder& b = loops.builder();
  Instr* v = i->operands.back();
  const Type* d = i->operands[0]->type->dtype();
  AdvancedIndex plan = plan_advanced_index(loops, i->operands[0], index_parts(i));
  if (!is_array(v)) {
    Instr* x = b.cast(v, d);
    walk_advanced_index(loops, plan, {}, [&](Instr* dst, const std::vector<Instr*>&, Instr*) { b.store(dst, x); });
    return;
  }
  const int nd = int(plan.shape.size()), vd = v->type->ndim();
  std::vector<Instr*> st(size_t(nd), b.int64(0));
  Instr* bad = nullptr;
  std::vector<Instr*> vshape;
  for (int k = 0; k < vd; ++k) {
    Instr* x = b.dim(v, k);
    vshape.push_back(x);
    Instr* n = plan.shape[size_t(nd - vd + k)];
    Instr* wrong = b.binop(BinOpKind::And, b.cmp(CmpKind::Ne, x, n), b.cmp(CmpKind::Ne, x, b.int64(1)));
    bad = bad ? b.binop(BinOpKind::Or, bad, wrong) : wrong;
    st[size_t(nd - vd + k)] = b.select(b.cmp(CmpKind::Eq, x, b.int64(1)), b.int64(0), b.stride(v, k));
  }
  if (bad)
    b.raise_if(bad, DN_VALUE_ERROR, "shape mismatch: value array of shape {} could not be broadcast to indexing result of shape {}",
               {vshape, plan.shape});
  Instr* vdata = b.data(v);
  walk_advanced_index(loops, plan, {st}, [&](Instr* dst, const std::vector<Instr*>& off, Instr*) {
    b.store(dst, b.cast(b.load(b.byte_ptr(vdata, off[0])), d));
  });
}

}  // namespace

bool is_fancy_index(const Instr* i) {
  if ((i->op != Opcode::GetItem && i->op != Opcode::SetItem) || i->operands.size() < 2 || !is_array(i->operands[0]))
    return false;
  std::vector<Instr*> parts = index_parts(i);
  return std::any_of(parts.begin(), parts.end(), [](const Instr* p) { return is_array(p); });
}

Instr* lower_fancy_get(ArrayLoops& loops, Instr* i) {
  if (is_advanced_index(i)) return lower_advanced_get(loops, i);
  IRBuilder& b = loops.builder();
  Instr* a = i->operands[0];
  Instr* idx = i->operands[1];
  if (idx->type->dtype()->is_bool() && idx->type->ndim() < a->type->ndim()) {
    Instr* rows = mask_rows(loops, a, idx);  // X[y == k]: the rows where the mask holds
    Instr* out = gather_rows(loops, a, rows, i->type);
    b.emit(Opcode::Release, {rows}, nullptr);
    return out;
  }
  if (idx->type->dtype()->is_bool()) {
    std::vector<Instr*> shape = mask_shape(loops, a, idx);
    Instr* count = loops.slot(t_int64());
    b.store(count, b.int64(0));
    count_selected(loops, idx, shape, count);
    Instr* out = b.emit(Opcode::NewArray, {b.load(count)}, i->type);
    Instr* data = b.data(out);
    b.store(count, b.int64(0));
    loops.for_each_element({a, idx}, shape, [&](const ArrayLoops::Position& p) {
      b.if_then(b.load(p.ptr[1]), [&] {
        Instr* k = b.load(count);
        b.store(b.element_ptr(data, k), b.load(p.ptr[0]));
        b.store(count, b.binop(BinOpKind::Add, k, b.int64(1)));
      });
    });
    return out;
  }
  std::vector<Instr*> shape = loops.extents(idx);
  if (a->type->ndim() > 1) return gather_rows(loops, a, idx, i->type);
  Instr* out = b.emit(Opcode::NewArray, shape, i->type);
  Instr* data = b.data(out);
  loops.for_each_element({idx}, shape, [&](const ArrayLoops::Position& p) {
    Instr* j = b.cast(b.load(p.ptr[0]), t_int64());
    b.store(b.element_ptr(data, p.linear), b.load(checked_element_ptr(b, a, j)));
  });
  return out;
}

void lower_fancy_set(ArrayLoops& loops, Instr* i) {
  // a[:, idx] = a[:, ::-1]: the value read before any store changes it (NumPy's order).
  if (is_array(i->operands.back()) && i->operands.size() > 2)
    i->operands.back() = loops.unaliased({i->operands.back()}, i->operands[0])[0];
  if (is_advanced_index(i)) return lower_advanced_set(loops, i);
  IRBuilder& b = loops.builder();
  Instr* a = i->operands[0];
  Instr* idx = i->operands[1];
  Instr* v = i->operands[2];
  const Type* d = a->type->dtype();
  bool array_value = is_array(v);
  // An array value supplies one element per selected position, in order.
  Instr* vsize = array_value ? loops.product(loops.extents(v)) : nullptr;
  Instr* vdata = array_value ? b.data(v) : nullptr;
  auto value_at = [&](Instr* k) -> Instr* {
    if (!array_value) return b.cast(v, d);
    // Flat position k of the value (C-contiguous values; others were rejected by typing).
    Instr* kk = b.select(b.cmp(CmpKind::Eq, vsize, b.int64(1)), b.int64(0), k);
    Instr* p = v->type->layout() == Layout::C ? b.element_ptr(vdata, kk) : checked_element_ptr(b, v, kk);
    return b.cast(b.load(p), d);
  };
  if (idx->type->dtype()->is_bool() && idx->type->ndim() < a->type->ndim()) {
    Instr* rows = mask_rows(loops, a, idx);  // X[y == k] = v: the rows where the mask holds
    store_rows(loops, a, rows, v);
    b.emit(Opcode::Release, {rows}, nullptr);
    return;
  }
  if (idx->type->dtype()->is_bool()) {
    std::vector<Instr*> shape = mask_shape(loops, a, idx);
    Instr* count = loops.slot(t_int64());
    b.store(count, b.int64(0));
    if (array_value) {
      count_selected(loops, idx, shape, count);
      Instr* c = b.load(count);
      b.raise_if(b.binop(BinOpKind::And, b.cmp(CmpKind::Ne, vsize, c), b.cmp(CmpKind::Ne, vsize, b.int64(1))),
                 DN_VALUE_ERROR,
                 "NumPy boolean array indexing assignment cannot assign the value's elements to the selected ones "
                 "(sizes differ)");
      b.store(count, b.int64(0));
    }
    loops.for_each_element({a, idx}, shape, [&](const ArrayLoops::Position& p) {
      b.if_then(b.load(p.ptr[1]), [&] {
        Instr* k = b.load(count);
        b.store(p.ptr[0], value_at(k));
        b.store(count, b.binop(BinOpKind::Add, k, b.int64(1)));
      });
    });
    return;
  }
  std::vector<Instr*> shape = loops.extents(idx);
  if (a->type->ndim() > 1) return store_rows(loops, a, idx, v);
  if (array_value)
    b.raise_if(b.binop(BinOpKind::And, b.cmp(CmpKind::Ne, vsize, loops.product(shape)), b.cmp(CmpKind::Ne, vsize, b.int64(1))),
               DN_VALUE_ERROR, "shape mismatch: the value array does not match the index array");
  loops.for_each_element({idx}, shape, [&](const ArrayLoops::Position& p) {
    Instr* j = b.cast(b.load(p.ptr[0]), t_int64());
    b.store(checked_element_ptr(b, a, j), value_at(p.linear));
  });
}

}  // namespace dn
