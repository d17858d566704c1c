#include "jit/transforms/array_loops.h"

#include <algorithm>

#include "jit/support/diagnostics.h"
#include "runtime/abi.h"

namespace dn {

namespace {

bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

std::string shape_holes(size_t n) {
  std::string s;
  for (size_t k = 0; k < n; ++k) s += " {}";
  return s;
}

}  // namespace

void ArrayLoops::collect_leaves(const Instr* node, std::vector<Instr*>& leaves) {
  size_t first = node->op == Opcode::Call ? 1 : 0;  // a call's operand 0 is the callee
  for (size_t k = first; k < node->operands.size(); ++k) {
    Instr* o = node->operands[k];
    if (o->fused_into == node) collect_leaves(o, leaves);
    else if (is_array(o) && std::find(leaves.begin(), leaves.end(), o) == leaves.end()) leaves.push_back(o);
  }
}

std::vector<Instr*> ArrayLoops::extents(Instr* array) {
  std::vector<Instr*> r;
  for (int k = 0; k < array->type->ndim(); ++k) r.push_back(b_.dim(array, k));
  return r;
}

Instr* ArrayLoops::product(const std::vector<Instr*>& values) {
  Instr* p = b_.int64(1);
  for (Instr* v : values) p = b_.binop(BinOpKind::Mul, p, v);
  return p;
}

std::vector<Instr*> ArrayLoops::broadcast_shape(const std::vector<Instr*>& leaves, int nd) {
  std::vector<Instr*> shape(size_t(nd), b_.int64(1));
  std::vector<std::vector<Instr*>> shapes;  // each leaf's, for the message
  for (Instr* leaf : leaves) {
    shapes.push_back(extents(leaf));
    int k = leaf->type->ndim();
    for (int j = 0; j < k; ++j) {
      Instr*& s = shape[size_t(nd - k + j)];
      s = b_.select(b_.cmp(CmpKind::Eq, shapes.back()[size_t(j)], b_.int64(1)), s, shapes.back()[size_t(j)]);
    }
  }
  Instr* bad = nullptr;
  for (size_t l = 0; l < leaves.size(); ++l) {
    int k = leaves[l]->type->ndim();
    for (int j = 0; j < k; ++j) {
      Instr* s = shapes[l][size_t(j)];
      Instr* off = b_.binop(BinOpKind::And, b_.cmp(CmpKind::Ne, s, b_.int64(1)), b_.cmp(CmpKind::Ne, s, shape[size_t(nd - k + j)]));
      bad = bad ? b_.binop(BinOpKind::Or, bad, off) : off;
    }
  }
  if (bad)
    b_.raise_if(bad, DN_VALUE_ERROR, "operands could not be broadcast together with shapes" + shape_holes(leaves.size()),
                shapes);
  return shape;
}

void ArrayLoops::check_broadcast_into(const std::vector<Instr*>& leaves, const std::vector<Instr*>& shape) {
  int nd = int(shape.size());
  Instr* bad = nullptr;
  std::vector<std::vector<Instr*>> shapes;
  for (Instr* leaf : leaves) {
    shapes.push_back(extents(leaf));
    int k = leaf->type->ndim();
    for (int j = 0; j < k; ++j) {
      Instr* s = shapes.back()[size_t(j)];
      Instr* off = b_.binop(BinOpKind::And, b_.cmp(CmpKind::Ne, s, b_.int64(1)), b_.cmp(CmpKind::Ne, s, shape[size_t(nd - k + j)]));
      bad = bad ? b_.binop(BinOpKind::Or, bad, off) : off;
    }
  }
  if (!bad) return;  // only 0-d leaves
  shapes.push_back(shape);
  b_.raise_if(bad, DN_VALUE_ERROR,
              std::string(leaves.size() == 1 ? "could not broadcast input array from shape"
                                             : "could not broadcast input arrays of shapes") +
                  shape_holes(leaves.size()) + " into shape {}",
              shapes);
}

Instr* ArrayLoops::element(Instr* node, const std::unordered_map<const Instr*, Instr*>& at) {
  auto leaf = at.find(node);
  if (leaf != at.end()) return b_.load(leaf->second);
  if (!is_array(node)) return node;  // a scalar operand
  Instr* e = b_.function().clone(node);
  e->fused_into = nullptr;
  e->checked = false;
  e->type = node->type->dtype();
  e->operands.clear();
  size_t first = node->op == Opcode::Call ? 1 : 0;
  if (first) e->operands.push_back(node->operands[0]);
  for (size_t k = first; k < node->operands.size(); ++k) e->operands.push_back(element(node->operands[k], at));
  return b_.append(e);
}

std::unordered_map<const Instr*, Instr*> ArrayLoops::addresses(const std::vector<Instr*>& leaves, const Position& p) {
  std::unordered_map<const Instr*, Instr*> at;
  for (size_t l = 0; l < leaves.size(); ++l) at[leaves[l]] = p.ptr[l];
  return at;
}

Instr* ArrayLoops::materialize(Instr* root) {
  std::vector<Instr*> leaves;
  collect_leaves(root, leaves);
  std::vector<Instr*> shape = broadcast_shape(leaves, root->type->ndim());
  DN_CHECK(root->type->layout() == Layout::C, "elementwise result not C-contiguous: " + print_instr(*root));
  Instr* out = b_.emit(Opcode::NewArray, shape, root->type);
  // Fresh memory of the broadcast shape: no overlap with the leaves.
  std::vector<Instr*> arrays = leaves;
  arrays.push_back(out);
  const Type* d = out->type->dtype();
  for_each_element(arrays, shape, [&](const Position& p) {
    b_.store(p.ptr.back(), b_.cast(element(root, addresses(leaves, p)), d));
  }, 0, {}, true);
  return out;
}

std::vector<Instr*> ArrayLoops::unaliased(const std::vector<Instr*>& arrays, Instr* dest) {
  if (arrays.empty()) return arrays;
  // Reading memory we are writing (a[1:] = a[:-1], a += a[::-1], a[:, i] = a[:, ::-1]):
  // NumPy computes into a temporary first; we copy the arrays (when their ranges meet at
  // run time) and run the one loop over the copies.
  Instr* overlap = nullptr;
  for (Instr* a : arrays) {
    Instr* o = b_.emit(Opcode::Overlaps, {a, dest}, t_bool());
    overlap = overlap ? b_.binop(BinOpKind::Or, overlap, o) : o;
  }
  Block* fast = b_.block();
  Block* slow = b_.new_block();
  Block* ready = b_.new_block();
  b_.condbr(overlap, slow, ready);
  b_.set_block(slow);
  std::vector<Instr*> copies;
  for (Instr* a : arrays) copies.push_back(b_.emit(Opcode::CopyArray, {a}, a->type));
  Block* slow_end = b_.block();
  b_.br(ready);
  b_.set_block(ready);
  std::vector<Instr*> out;
  for (size_t l = 0; l < arrays.size(); ++l) {
    Instr* phi = b_.emit(Opcode::Phi, {arrays[l], copies[l]}, arrays[l]->type);
    phi->blocks = {fast, slow_end};
    out.push_back(phi);
  }
  return out;
}

void ArrayLoops::evaluate_into(Instr* value, Instr* dest, bool expand) {
  std::vector<Instr*> leaves;
  if (expand) collect_leaves(value, leaves);
  else if (is_array(value)) leaves.push_back(value);
  std::vector<Instr*> shape = extents(dest);
  check_broadcast_into(leaves, shape);
  std::vector<Instr*> arrays = unaliased(leaves, dest);
  arrays.push_back(dest);
  const Type* d = dest->type->dtype();
  for_each_element(arrays, shape, [&](const Position& p) {
    b_.store(p.ptr.back(), b_.cast(element(value, addresses(leaves, p)), d));
  }, 0, {}, true);
}

void ArrayLoops::for_each_element(const std::vector<Instr*>& arrays, const std::vector<Instr*>& shape, const Body& body,
                                  int64_t block, const std::function<void()>& end_of_block, bool independent) {
  int nd = int(shape.size());
  Instr* total = product(shape);
  std::vector<Instr*> base;
  for (Instr* a : arrays) base.push_back(b_.data(a));
  bool flat_static = nd > 0;
  for (Instr* a : arrays) flat_static &= a->type->layout() == Layout::C && a->type->ndim() == nd;
  if (!flat_static) {
    nest(arrays, base, shape, body, block, end_of_block, independent);
    if (nd == 0 && end_of_block) end_of_block();
    return;
  }
  // Flat when every array has exactly the loop's shape.
  Instr* same = nullptr;
  for (Instr* a : arrays)
    for (int j = 0; j < nd; ++j) {
      Instr* eq = b_.cmp(CmpKind::Eq, b_.dim(a, j), shape[size_t(j)]);
      same = same ? b_.binop(BinOpKind::And, same, eq) : eq;
    }
  Block* flat = b_.new_block();
  Block* general = b_.new_block();
  Block* done = b_.new_block();
  b_.condbr(same, flat, general);
  b_.set_block(flat);
  auto at = [&](Instr* i) {
    Position p;
    for (Instr* q : base) p.ptr.push_back(b_.element_ptr(q, i));
    p.linear = i;
    body(p);
  };
  if (block > 0 && end_of_block) {
    walk({total}, {}, [&](const std::vector<Instr*>&, Instr* i) { at(i); }, block, end_of_block, independent);
  } else {
    b_.counted_loop(total, at, independent);
  }
  b_.br(done);
  b_.set_block(general);
  nest(arrays, base, shape, body, block, end_of_block, independent);
  b_.br(done);
  b_.set_block(done);
}

// Loops over the dimensions with byte strides; broadcast dimensions step by 0.
void ArrayLoops::nest(const std::vector<Instr*>& arrays, const std::vector<Instr*>& base,
                      const std::vector<Instr*>& shape, const Body& body, int64_t block,
                      const std::function<void()>& end_of_block, bool independent) {
  int nd = int(shape.size());
  std::vector<std::vector<Instr*>> strides;  // per array, per loop dimension
  for (Instr* a : arrays) {
    int k = a->type->ndim();
    std::vector<Instr*> st;
    for (int d = 0; d < nd; ++d) {
      int j = d - (nd - k);
      st.push_back(j < 0 ? b_.int64(0)
                         : b_.select(b_.cmp(CmpKind::Eq, b_.dim(a, j), b_.int64(1)), b_.int64(0), b_.stride(a, j)));
    }
    strides.push_back(st);
  }
  walk(shape, strides, [&](const std::vector<Instr*>& off, Instr* linear) {
    Position p;
    for (size_t l = 0; l < arrays.size(); ++l) p.ptr.push_back(b_.byte_ptr(base[l], off[l]));
    p.linear = linear;
    body(p);
  }, block, end_of_block, independent);
}

void ArrayLoops::walk(const std::vector<Instr*>& extents, const std::vector<std::vector<Instr*>>& strides,
                      const WalkBody& body, int64_t block, const std::function<void()>& end_of_block,
                      bool independent) {
  int nd = int(extents.size());
  // One dimension: index i steps each walker's offset by its stride.
  auto step = [&](const std::vector<Instr*>& off, Instr* lin, int d, Instr* i) {
    std::vector<Instr*> next(off.size());
    for (size_t w = 0; w < off.size(); ++w)
      next[w] = b_.binop(BinOpKind::Add, off[w], b_.binop(BinOpKind::Mul, i, strides[w][size_t(d)]));
    return std::make_pair(next, b_.binop(BinOpKind::Add, b_.binop(BinOpKind::Mul, lin, extents[size_t(d)]), i));
  };
  // The innermost dimension, blocked when asked.
  auto innermost = [&](const std::vector<Instr*>& off, Instr* lin) {
    int d = nd - 1;
    auto visit = [&](Instr* i) {
      auto [o, l] = step(off, lin, d, i);
      body(o, l);
    };
    if (block > 0 && end_of_block) {
      Instr* n = extents[size_t(d)];
      Instr* nblocks = b_.binop(BinOpKind::FloorDiv, b_.binop(BinOpKind::Add, n, b_.int64(block - 1), true), b_.int64(block), true);
      b_.counted_loop(nblocks, [&](Instr* c) {
        Instr* start = b_.binop(BinOpKind::Mul, c, b_.int64(block), true);
        Instr* left = b_.binop(BinOpKind::Sub, n, start);
        Instr* len = b_.select(b_.cmp(CmpKind::Lt, b_.int64(block), left), b_.int64(block), left);
        b_.counted_loop(len, [&](Instr* j) { visit(b_.binop(BinOpKind::Add, start, j, true)); });
        end_of_block();
      });
    } else {
      b_.counted_loop(extents[size_t(d)], visit, independent);
    }
  };
  std::vector<Instr*> zero(strides.size(), nullptr);
  for (Instr*& z : zero) z = b_.int64(0);
  if (nd == 0) {
    body(zero, b_.int64(0));
    return;
  }
  if (nd <= kMaxLoopDims) {
    std::function<void(int, const std::vector<Instr*>&, Instr*)> level = [&](int d, const std::vector<Instr*>& off, Instr* lin) {
      if (d == nd - 1) return innermost(off, lin);
      b_.counted_loop(extents[size_t(d)], [&](Instr* i) {
        auto [o, l] = step(off, lin, d, i);
        level(d + 1, o, l);
      }, independent);
    };
    level(0, zero, b_.int64(0));
    return;
  }
  // Many dimensions: one loop over the rows (every position of the outer dimensions),
  // whose offsets come from the row number's digits, around the innermost loop.
  std::vector<Instr*> outer(extents.begin(), extents.end() - 1);
  b_.counted_loop(product(outer), [&](Instr* r) {
    std::vector<Instr*> off = zero;
    Instr* rest = r;
    for (int d = nd - 2; d >= 0; --d) {
      Instr* index = b_.binop(BinOpKind::Mod, rest, extents[size_t(d)], true);
      rest = b_.binop(BinOpKind::FloorDiv, rest, extents[size_t(d)], true);
      for (size_t w = 0; w < off.size(); ++w)
        off[w] = b_.binop(BinOpKind::Add, off[w], b_.binop(BinOpKind::Mul, index, strides[w][size_t(d)]));
    }
    innermost(off, r);
  }, independent);
}

Instr* ArrayLoops::constant(const Type* t, const ConstValue& c) {
  Instr* i = b_.emit(Opcode::Const, {}, t);
  i->cval = c;
  return i;
}

Instr* ArrayLoops::number(const Type* t, double v) {
  ConstValue c;
  if (t->is_float() || t->is_complex()) {
    c.kind = ConstValue::Kind::Float;
    c.f = v;
  } else {
    c.kind = t->is_bool() ? ConstValue::Kind::Bool : ConstValue::Kind::Int;
    c.i = int64_t(v);
  }
  return constant(t, c);
}

Instr* ArrayLoops::slot(const Type* t, int64_t n) {
  Instr* s = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
  s->slots = n;
  return s;
}

Instr* ArrayLoops::scalar_call(Intrinsic k, const std::string& func, const std::vector<Instr*>& args, const Type* t) {
  // Operand 0 is the callee's place: the NumPy function, a compile-time value.
  std::string name = k == Intrinsic::IsNan ? "isnan" : func;
  Instr* callee = b_.library_function("numpy." + name);
  std::vector<Instr*> operands{callee};
  operands.insert(operands.end(), args.begin(), args.end());
  Instr* c = b_.emit(Opcode::Call, operands, t);
  c->intrinsic = k;
  c->func = k == Intrinsic::MathFunc ? func : "";
  return c;
}

}  // namespace dn
