#include "jit/transforms/lower_fancy_index.h"

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

// j along a's first axis with Python's wraparound, always bounds-checked (IndexError).
Instr* checked_index(IRBuilder& b, Instr* a, Instr* j) {
  Instr* n = b.dim(a, 0);
  j = b.select(b.cmp(CmpKind::Lt, j, b.int64(0)), b.binop(BinOpKind::Add, j, n), j);
  b.raise_if(b.binop(BinOpKind::Or, b.cmp(CmpKind::Lt, j, b.int64(0)), b.cmp(CmpKind::Ge, j, n)), DN_INDEX_ERROR,
             "index out of bounds for axis 0");
  return j;
}

// &a[j] of a 1-D array, j checked as checked_index does.
Instr* checked_element_ptr(IRBuilder& b, Instr* a, Instr* j) {
  return b.byte_ptr(b.data(a), b.binop(BinOpKind::Mul, checked_index(b, a, j), b.stride(a, 0)));
}

}  // namespace

bool is_fancy_index(const Instr* i) {
  return (i->op == Opcode::GetItem || i->op == Opcode::SetItem) && i->operands.size() >= 2 &&
         is_array(i->operands[0]) && is_array(i->operands[1]) && (i->op == Opcode::GetItem || i->operands.size() > 2);
}

Instr* lower_fancy_get(ArrayLoops& loops, Instr* i) {
  IRBuilder& b = loops.builder();
  Instr* a = i->operands[0];
  Instr* idx = i->operands[1];
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
  if (a->type->ndim() > 1) {
    // Rows of an N-D array by a 1-D index (X[perm]): out[k] is a copy of a[idx[k]].
    std::vector<Instr*> out_shape = shape;
    for (int d = 1; d < a->type->ndim(); ++d) out_shape.push_back(b.dim(a, d));
    Instr* out = b.emit(Opcode::NewArray, out_shape, i->type);
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
  Instr* out = b.emit(Opcode::NewArray, shape, i->type);
  Instr* data = b.data(out);
  loops.for_each_element({idx}, shape, [&](const ArrayLoops::Position& p) {
    Instr* j = b.cast(b.load(p.ptr[0]), t_int64());
    b.store(b.element_ptr(data, p.linear), b.load(checked_element_ptr(b, a, j)));
  });
  return out;
}

void lower_fancy_set(ArrayLoops& loops, Instr* i) {
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
  if (a->type->ndim() > 1) {
    // Rows of an N-D array by a 1-D index (X[rows] = v): each a[idx[k]] gets the scalar v,
    // v's row k (v of a's rank), or v itself (v of a row's rank), shapes checked.
    const int rank = a->type->ndim();
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
    return;
  }
  if (array_value)
    b.raise_if(b.binop(BinOpKind::And, b.cmp(CmpKind::Ne, vsize, loops.product(shape)), b.cmp(CmpKind::Ne, vsize, b.int64(1))),
               DN_VALUE_ERROR, "shape mismatch: the value array does not match the index array");
  loops.for_each_element({idx}, shape, [&](const ArrayLoops::Position& p) {
    Instr* j = b.cast(b.load(p.ptr[0]), t_int64());
    b.store(checked_element_ptr(b, a, j), value_at(p.linear));
  });
}

}  // namespace dn
