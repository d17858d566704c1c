#include "jit/transforms/lower_array_loops.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "jit/support/diagnostics.h"
#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "runtime/abi.h"

namespace dn {

namespace {

constexpr int kMaxLoopDims = 6;

bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

// The arrays the fused tree rooted at `node` reads (each once), in operand order.
void collect_leaves(const Instr* node, std::vector<Instr*>& leaves) {
  size_t first = node->op == Opcode::Call ? 1 : 0;  // a call's operand 0 is the callee
  for (size_t k = first; k < node->operands.size(); ++k) {
    Instr* o = node->operands[k];
    if (o->fused_into == node) collect_leaves(o, leaves);
    else if (is_array(o) && std::find(leaves.begin(), leaves.end(), o) == leaves.end()) leaves.push_back(o);
  }
}

// The instructions fused into `root`, to be removed once it is lowered.
void collect_fused(const Instr* root, std::vector<Instr*>& out) {
  for (Instr* o : root->operands)
    if (o->fused_into == root) {
      collect_fused(o, out);
      out.push_back(o);
    }
}

std::string shape_holes(size_t n) {
  std::string s;
  for (size_t k = 0; k < n; ++k) s += " {}";
  return s;
}

class ArrayLoops {
 public:
  explicit ArrayLoops(IRBuilder& b) : b_(b) {}

  // A new array with the value of the elementwise tree rooted at `root`.
  Instr* materialize(Instr* root) {
    std::vector<Instr*> leaves;
    collect_leaves(root, leaves);
    int nd = root->type->ndim();
    std::vector<Instr*> shape(size_t(nd), b_.int64(1));
    for (Instr* leaf : leaves)
      for (auto [d, s] : dims(leaf, nd)) shape[size_t(d)] = b_.select(b_.cmp(CmpKind::Eq, s, b_.int64(1)), shape[size_t(d)], s);
    check_broadcast(leaves, shape, false);
    DN_CHECK(root->type->layout() == Layout::C, "elementwise result not C-contiguous: " + print_instr(*root));
    Instr* out = b_.emit(Opcode::NewArray, shape, root->type);
    // Fresh memory of the broadcast shape: no overlap with the leaves.
    store_elements(root, leaves, out, shape);
    return out;
  }

  // Stores `value` (a scalar, an array, or when `expand` the fused tree rooted there) into
  // every element of `dest`, broadcasting; copies leaves whose memory meets dest's.
  void evaluate_into(Instr* value, Instr* dest, bool expand) {
    std::vector<Instr*> leaves;
    if (expand) collect_leaves(value, leaves);
    else if (is_array(value)) leaves.push_back(value);
    std::vector<Instr*> shape;
    for (int k = 0; k < dest->type->ndim(); ++k) shape.push_back(b_.dim(dest, k));
    check_broadcast(leaves, shape, true);
    if (!leaves.empty()) {
      // Reading memory we are writing (a[1:] = a[:-1], a += a[::-1]): NumPy computes into a
      // temporary first; we copy the leaves that meet dest (when their ranges meet at run
      // time) and run the one loop over the copies.
      Instr* overlap = nullptr;
      for (Instr* leaf : leaves) {
        Instr* o = b_.emit(Opcode::Overlaps, {leaf, dest}, t_bool());
        overlap = overlap ? b_.binop(BinOpKind::Or, overlap, o) : o;
      }
      Block* fast = b_.block();
      Function& fn = b_.function();
      Block* slow = fn.new_block();
      Block* ready = fn.new_block();
      b_.condbr(overlap, slow, ready);
      b_.set_block(slow);
      std::vector<Instr*> copies;
      for (Instr* leaf : leaves) copies.push_back(b_.emit(Opcode::CopyArray, {leaf}, leaf->type));
      Block* slow_end = b_.block();
      b_.br(ready);
      b_.set_block(ready);
      for (size_t l = 0; l < leaves.size(); ++l) {
        Instr* phi = b_.emit(Opcode::Phi, {leaves[l], copies[l]}, leaves[l]->type);
        phi->blocks = {fast, slow_end};
        renamed_[leaves[l]] = phi;
      }
    }
    store_elements(value, leaves, dest, shape);
    renamed_.clear();
  }

 private:
  // (result dimension, extent) of each dimension of `leaf`, aligned to the right.
  std::vector<std::pair<int, Instr*>> dims(Instr* leaf, int nd) {
    std::vector<std::pair<int, Instr*>> r;
    int k = leaf->type->ndim();
    for (int j = 0; j < k; ++j) r.push_back({nd - k + j, b_.dim(leaf, j)});
    return r;
  }

  // ValueError unless every leaf's extent is 1 or the shape's, NumPy's message.
  void check_broadcast(const std::vector<Instr*>& leaves, const std::vector<Instr*>& shape, bool into) {
    if (leaves.empty()) return;
    Instr* bad = nullptr;
    std::vector<std::vector<Instr*>> shapes;
    int nd = int(shape.size());
    for (Instr* leaf : leaves) {
      shapes.emplace_back();
      for (auto [d, s] : dims(leaf, nd)) {
        Instr* off = b_.binop(BinOpKind::And, b_.cmp(CmpKind::Ne, s, b_.int64(1)), b_.cmp(CmpKind::Ne, s, shape[size_t(d)]));
        bad = bad ? b_.binop(BinOpKind::Or, bad, off) : off;
        shapes.back().push_back(s);
      }
    }
    if (!bad) return;  // only 0-d leaves
    if (into) {
      shapes.push_back(shape);
      b_.raise_if(bad, DN_VALUE_ERROR,
                  std::string(leaves.size() == 1 ? "could not broadcast input array from shape"
                                                 : "could not broadcast input arrays of shapes") +
                      shape_holes(leaves.size()) + " into shape {}",
                  shapes);
    } else {
      b_.raise_if(bad, DN_VALUE_ERROR, "operands could not be broadcast together with shapes" + shape_holes(leaves.size()),
                  shapes);
    }
  }

  Instr* leaf_value(Instr* leaf) {
    auto it = renamed_.find(leaf);
    return it == renamed_.end() ? leaf : it->second;
  }

  // The loops storing `root`'s elements into dest (the last of the loop's arrays).
  void store_elements(Instr* root, const std::vector<Instr*>& leaves, Instr* dest, const std::vector<Instr*>& shape) {
    std::vector<Instr*> arrays;
    for (Instr* leaf : leaves) arrays.push_back(leaf_value(leaf));
    arrays.push_back(dest);
    const Type* d = dest->type->dtype();
    auto body = [&](const std::vector<Instr*>& ptr) {
      std::unordered_map<const Instr*, Instr*> at;  // leaf -> its element's address
      for (size_t l = 0; l < leaves.size(); ++l) at[leaves[l]] = ptr[l];
      b_.store(ptr.back(), b_.cast(element(root, at), d));
    };
    for_each_element(arrays, shape, body);
  }

  // The value of `node`'s element at the addresses `at` of the leaves' elements: the
  // scalar form of each elementwise instruction (NumPy's semantics, unchecked).
  Instr* element(Instr* node, const std::unordered_map<const Instr*, Instr*>& at) {
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

  // body(element addresses of `arrays`) for every position of `shape`, in C order.
  void for_each_element(const std::vector<Instr*>& arrays, const std::vector<Instr*>& shape,
                        const std::function<void(const std::vector<Instr*>&)>& body) {
    int nd = int(shape.size());
    Instr* total = b_.int64(1);
    for (Instr* s : shape) total = b_.binop(BinOpKind::Mul, total, s);
    std::vector<Instr*> base;
    for (Instr* a : arrays) base.push_back(b_.data(a));
    bool flat_static = nd > 0;
    for (Instr* a : arrays) flat_static &= a->type->layout() == Layout::C && a->type->ndim() == nd;
    if (!flat_static) {
      nest(arrays, base, shape, body);
      return;
    }
    // Flat when every array has exactly the result's shape.
    Instr* same = nullptr;
    for (Instr* a : arrays)
      for (int j = 0; j < nd; ++j) {
        Instr* eq = b_.cmp(CmpKind::Eq, b_.dim(a, j), shape[size_t(j)]);
        same = same ? b_.binop(BinOpKind::And, same, eq) : eq;
      }
    Function& fn = b_.function();
    Block* flat = fn.new_block();
    Block* general = fn.new_block();
    Block* done = fn.new_block();
    b_.condbr(same, flat, general);
    b_.set_block(flat);
    b_.counted_loop(total, [&](Instr* i) {
      std::vector<Instr*> ptr;
      for (Instr* p : base) ptr.push_back(b_.element_ptr(p, i));
      body(ptr);
    });
    b_.br(done);
    b_.set_block(general);
    nest(arrays, base, shape, body);
    b_.br(done);
    b_.set_block(done);
  }

  // Loops over the dimensions with byte strides; broadcast dimensions step by 0.
  void nest(const std::vector<Instr*>& arrays, const std::vector<Instr*>& base, const std::vector<Instr*>& shape,
            const std::function<void(const std::vector<Instr*>&)>& body) {
    int nd = int(shape.size());
    std::vector<std::vector<Instr*>> strides;  // per array, per result dimension
    for (Instr* a : arrays) {
      int k = a->type->ndim();
      std::vector<Instr*> st(size_t(nd), nullptr);
      for (int d = 0; d < nd; ++d)
        st[size_t(d)] = d < nd - k ? b_.int64(0)
                                   : b_.select(b_.cmp(CmpKind::Eq, b_.dim(a, d - (nd - k)), b_.int64(1)), b_.int64(0),
                                               b_.stride(a, d - (nd - k)));
      strides.push_back(st);
    }
    auto innermost = [&](std::vector<Instr*> off) {
      std::vector<Instr*> ptr;
      for (size_t l = 0; l < arrays.size(); ++l) ptr.push_back(b_.byte_ptr(base[l], off[l]));
      body(ptr);
    };
    std::function<void(int, int, std::vector<Instr*>)> level = [&](int d, int last, std::vector<Instr*> off) {
      if (d == last) {
        innermost(off);
        return;
      }
      b_.counted_loop(shape[size_t(d)], [&](Instr* i) {
        std::vector<Instr*> next(off.size());
        for (size_t l = 0; l < off.size(); ++l)
          next[l] = b_.binop(BinOpKind::Add, off[l], b_.binop(BinOpKind::Mul, i, strides[l][size_t(d)]));
        level(d + 1, last, next);
      });
    };
    std::vector<Instr*> zero(arrays.size(), b_.int64(0));
    if (nd <= kMaxLoopDims) {
      level(0, nd, zero);
      return;
    }
    // Many dimensions: one loop over the rows (every position of the outer dimensions),
    // whose offsets come from the row number's digits, around the innermost loop.
    Instr* rows = b_.int64(1);
    for (int d = 0; d + 1 < nd; ++d) rows = b_.binop(BinOpKind::Mul, rows, shape[size_t(d)]);
    b_.counted_loop(rows, [&](Instr* r) {
      std::vector<Instr*> off = zero;
      Instr* rest = r;
      for (int d = nd - 2; d >= 0; --d) {
        Instr* index = b_.binop(BinOpKind::Mod, rest, shape[size_t(d)], true);
        rest = b_.binop(BinOpKind::FloorDiv, rest, shape[size_t(d)], true);
        for (size_t l = 0; l < off.size(); ++l)
          off[l] = b_.binop(BinOpKind::Add, off[l], b_.binop(BinOpKind::Mul, index, strides[l][size_t(d)]));
      }
      level(nd - 1, nd, off);
    });
  }

  IRBuilder& b_;
  std::unordered_map<const Instr*, Instr*> renamed_;  // leaf -> the phi of it or its copy
};

// The statements this pass lowers: elementwise roots and stores of arrays into arrays.
bool lowers(const Instr* i) {
  if (i->fused_into) return false;
  if (is_elementwise(i)) return true;
  if (i->op != Opcode::SetItem) return false;
  int nparts = int(i->operands.size()) - 2;
  const Instr* v = i->operands.back();
  if (nparts == 0) return is_array(v);
  if (is_array(i->operands[1])) return false;  // a[mask] = v, a[indices] = v
  bool element_store = nparts == i->operands[0]->type->ndim();
  for (int k = 0; k < nparts; ++k) element_store &= i->operands[size_t(k + 1)]->type->is_int();
  return !element_store;
}

}  // namespace

void lower_array_loops(Function& fn) {
  std::vector<Instr*> todo;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (lowers(i)) todo.push_back(i);
  if (todo.empty()) return;
  for (Instr* root : todo) {
    Block* rest = fn.split_after(root);
    Block* here = root->parent;
    fn.erase(root);
    std::vector<Instr*> fused;
    collect_fused(root, fused);
    for (Instr* f : fused) fn.erase(f);
    IRBuilder b(fn, here, root->loc);
    ArrayLoops loops(b);
    if (root->op == Opcode::SetItem) {
      Instr* a = root->operands[0];
      Instr* value = root->operands.back();
      Instr* dest = a;
      if (root->operands.size() > 2) {
        // a[i:j, k] = value: a view of the destination, broadcast into.
        std::vector<Instr*> parts(root->operands.begin(), root->operands.end() - 1);
        int ints = 0;
        for (size_t k = 1; k < parts.size(); ++k) ints += parts[k]->type->is_int();
        dest = b.emit(Opcode::GetItem, parts, t_array(a->type->dtype(), a->type->ndim() - ints, Layout::A));
      }
      loops.evaluate_into(value, dest, value->fused_into == root);
    } else {
      Instr* out = loops.materialize(root);
      fn.replace_all_uses(root, out);
    }
    b.br(rest);
  }
  remove_dead_compile_time_values(fn);
  fn.recompute_preds();
  fn.sort_blocks_rpo();
}

}  // namespace dn
