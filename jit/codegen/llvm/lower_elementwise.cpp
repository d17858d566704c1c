// Loops over array elements for what is still lowered here: reductions over fused trees
// (a reduction allocates nothing), scans, fancy indexing and joins. Elementwise roots and
// array stores are loops in the IR by now (jit/transforms/lower_array_loops).
//
// Loops: when every array leaf is C-contiguous with the result's shape (checked at run
// time), one flat counted loop over all elements, which LLVM vectorises; otherwise a
// loop nest over the dimensions with per-leaf byte strides (0 along broadcast dimensions).
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include <tuple>

#include "jit/codegen/llvm/lowering.h"
#include "jit/typing/resolve.h"
#include "runtime/abi.h"

namespace dn {

void FunctionLowering::collect_leaves(const Instr* node, std::vector<const Instr*>& leaves) {
  size_t first = node->op == Opcode::Call ? 1 : 0;  // a call's operand 0 is the callee
  for (size_t k = first; k < node->operands.size(); ++k) {
    const Instr* o = node->operands[k];
    if (o->fused_into == node) {
      collect_leaves(o, leaves);
    } else if (o->type->kind() == TypeKind::Array &&
               std::find(leaves.begin(), leaves.end(), o) == leaves.end()) {
      leaves.push_back(o);
    }
  }
}

llvm::Value* FunctionLowering::counted_loop(llvm::Value* n, const std::function<void(llvm::Value*)>& body) {
  llvm::BasicBlock* pre = b_.GetInsertBlock();
  auto* header = llvm::BasicBlock::Create(ctx_, "loop", llfn_);
  auto* exit = llvm::BasicBlock::Create(ctx_, "loop_exit", llfn_);
  b_.CreateCondBr(b_.CreateICmpSGT(n, b_.getInt64(0)), header, exit);
  b_.SetInsertPoint(header);
  llvm::PHINode* i = b_.CreatePHI(i64(), 2, "i");
  i->addIncoming(b_.getInt64(0), pre);
  body(i);
  llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1), "", true, true);
  i->addIncoming(next, b_.GetInsertBlock());
  b_.CreateCondBr(b_.CreateICmpSLT(next, n), header, exit);
  b_.SetInsertPoint(exit);
  return i;
}

// The broadcast of the leaves' shapes against `shape` (the destination's, or ones to be
// computed when empty), raising ValueError when they are incompatible.
std::vector<llvm::Value*> FunctionLowering::broadcast_shape(const std::vector<const Instr*>& leaves,
                                                            int ndim, std::vector<llvm::Value*> shape) {
  bool given = !shape.empty();
  if (!given) shape.assign(size_t(ndim), b_.getInt64(1));
  auto dims = [&](const Instr* leaf) {
    std::vector<std::pair<int, llvm::Value*>> r;  // (result dim, leaf extent)
    int k = leaf->type->ndim();
    llvm::Value* v = value(leaf);
    for (int j = 0; j < k; ++j) r.push_back({ndim - k + j, b_.CreateExtractValue(v, {3u, unsigned(j)})});
    return r;
  };
  if (!given)
    for (const Instr* leaf : leaves)
      for (auto [d, s] : dims(leaf))
        shape[size_t(d)] = b_.CreateSelect(b_.CreateICmpEQ(s, b_.getInt64(1)), shape[size_t(d)], s);
  llvm::Value* bad = b_.getFalse();
  std::vector<std::vector<llvm::Value*>> shapes;  // for the message: each leaf's, then the destination's
  std::string holes;
  for (const Instr* leaf : leaves) {
    shapes.emplace_back();
    for (auto [d, s] : dims(leaf)) {
      bad = b_.CreateOr(bad, b_.CreateAnd(b_.CreateICmpNE(s, b_.getInt64(1)), b_.CreateICmpNE(s, shape[size_t(d)])));
      shapes.back().push_back(s);
    }
    holes += " {}";
  }
  if (given) {
    shapes.push_back(shape);
    error_if(bad, DN_VALUE_ERROR,
             std::string(leaves.size() == 1 ? "could not broadcast input array from shape"
                                            : "could not broadcast input arrays of shapes") + holes + " into shape {}",
             shapes);
  } else {
    error_if(bad, DN_VALUE_ERROR, "operands could not be broadcast together with shapes" + holes, shapes);
  }
  return shape;
}

void FunctionLowering::for_each_element(const std::vector<const Instr*>& leaves,
                                        const std::vector<llvm::Value*>& shape,
                                        const std::function<void(const LoopNest&)>& body, bool flat_ok,
                                        int64_t block, const std::function<void()>& end_of_block) {
  int nd = int(shape.size());
  llvm::Value* total = b_.getInt64(1);
  for (llvm::Value* s : shape) total = b_.CreateMul(total, s);

  auto general = [&]() {
    // Loop nest with byte strides; broadcast dimensions step by 0.
    std::vector<std::vector<llvm::Value*>> strides;  // per leaf, per result dim
    for (const Instr* leaf : leaves) {
      llvm::Value* v = value(leaf);
      int k = leaf->type->ndim();
      std::vector<llvm::Value*> st(size_t(nd), b_.getInt64(0));
      for (int j = 0; j < k; ++j) {
        llvm::Value* ext = b_.CreateExtractValue(v, {3u, unsigned(j)});
        llvm::Value* s = b_.CreateExtractValue(v, {4u, unsigned(j)});
        st[size_t(nd - k + j)] = b_.CreateSelect(b_.CreateICmpEQ(ext, b_.getInt64(1)), b_.getInt64(0), s);
      }
      strides.push_back(st);
    }
    std::vector<llvm::Value*> offset(leaves.size(), b_.getInt64(0));
    std::function<void(int, std::vector<llvm::Value*>, llvm::Value*)> level =
        [&](int d, std::vector<llvm::Value*> off, llvm::Value* lin) {
          if (d == nd) {
            LoopNest nest;
            nest.linear = lin;
            for (size_t l = 0; l < leaves.size(); ++l)
              nest.element_ptr[leaves[l]] =
                  b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(value(leaves[l]), {2}), off[l]);
            body(nest);
            return;
          }
          auto step = [&](llvm::Value* i) {
            std::vector<llvm::Value*> o2(off.size());
            for (size_t l = 0; l < leaves.size(); ++l)
              o2[l] = b_.CreateAdd(off[l], b_.CreateMul(i, strides[l][size_t(d)]));
            level(d + 1, o2, b_.CreateAdd(b_.CreateMul(lin, shape[size_t(d)]), i));
          };
          if (d == nd - 1 && block > 0 && end_of_block) {
            // Blocked reductions: the innermost rows in blocks of `block` elements.
            llvm::Value* n = shape[size_t(d)];
            llvm::Value* nblocks = b_.CreateSDiv(b_.CreateAdd(n, b_.getInt64(block - 1)), b_.getInt64(block));
            counted_loop(nblocks, [&](llvm::Value* c) {
              llvm::Value* start = b_.CreateMul(c, b_.getInt64(block));
              llvm::Value* len = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, b_.getInt64(block), b_.CreateSub(n, start));
              counted_loop(len, [&](llvm::Value* j) { step(b_.CreateAdd(start, j, "", true, true)); });
              end_of_block();
            });
            return;
          }
          counted_loop(shape[size_t(d)], step);
        };
    if (nd <= kMaxUnrolledDims) {
      level(0, offset, b_.getInt64(0));
      return;
    }
    // Many dimensions: the rows (all but the last dimension) are walked at run time and
    // the innermost dimension stays an ordinary loop. The code no longer grows with nd (an
    // unrolled nest of 64 loops took LLVM minutes), and rows of one element cost a few loads.
    std::vector<llvm::Value*> outer(shape.begin(), shape.end() - 1);
    std::vector<std::vector<llvm::Value*>> outer_strides;
    for (auto& st : strides) outer_strides.emplace_back(st.begin(), st.end() - 1);
    walk_rows(outer, outer_strides, [&](llvm::Value* r, const std::vector<llvm::Value*>& off) { level(nd - 1, off, r); });
  };

  bool flat_static = flat_ok;
  for (const Instr* leaf : leaves)
    flat_static &= leaf->type->layout() == Layout::C && leaf->type->ndim() == nd;
  if (!flat_static || nd == 0) {
    general();
    if (nd == 0 && end_of_block) end_of_block();
    return;
  }
  // Flat when every leaf has exactly the result's shape.
  llvm::Value* same = b_.getTrue();
  for (const Instr* leaf : leaves)
    for (int j = 0; j < nd; ++j)
      same = b_.CreateAnd(same, b_.CreateICmpEQ(b_.CreateExtractValue(value(leaf), {3u, unsigned(j)}), shape[size_t(j)]));
  auto* flat_bb = llvm::BasicBlock::Create(ctx_, "flat", llfn_);
  auto* nest_bb = llvm::BasicBlock::Create(ctx_, "nest", llfn_);
  auto* done_bb = llvm::BasicBlock::Create(ctx_, "elementwise_done", llfn_);
  b_.CreateCondBr(same, flat_bb, nest_bb);
  b_.SetInsertPoint(flat_bb);
  auto flat_body = [&](llvm::Value* i) {
    LoopNest nest;
    nest.linear = i;
    for (const Instr* leaf : leaves)
      nest.element_ptr[leaf] = b_.CreateInBoundsGEP(memory_type(ctx_, leaf->type->dtype()),
                                                    b_.CreateExtractValue(value(leaf), {2}), i);
    body(nest);
  };
  if (block > 0 && end_of_block) {
    // Blocks of `block` elements, end_of_block() after each (blocked reductions).
    llvm::Value* nblocks = b_.CreateSDiv(b_.CreateAdd(total, b_.getInt64(block - 1)), b_.getInt64(block));
    counted_loop(nblocks, [&](llvm::Value* c) {
      llvm::Value* start = b_.CreateMul(c, b_.getInt64(block));
      llvm::Value* len = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, b_.getInt64(block), b_.CreateSub(total, start));
      counted_loop(len, [&](llvm::Value* j) { flat_body(b_.CreateAdd(start, j, "", true, true)); });
      end_of_block();
    });
  } else {
    counted_loop(total, flat_body);
  }
  b_.CreateBr(done_bb);
  b_.SetInsertPoint(nest_bb);
  general();
  b_.CreateBr(done_bb);
  b_.SetInsertPoint(done_bb);
}

void FunctionLowering::walk_rows(const std::vector<llvm::Value*>& extents,
                                 const std::vector<std::vector<llvm::Value*>>& strides,
                                 const std::function<void(llvm::Value*, const std::vector<llvm::Value*>&)>& body) {
  // One counted loop over every position, and an odometer in memory (index, extent and
  // each walker's stride per dimension) that steps the offsets between positions.
  int m = int(extents.size());
  auto* dims_t = llvm::ArrayType::get(i64(), unsigned(m));
  auto slot_of = [&](llvm::Value* arr, llvm::Value* k) { return b_.CreateInBoundsGEP(dims_t, arr, {b_.getInt64(0), k}); };
  llvm::Value* ext = entry_alloca(dims_t, "odometer_extents");
  llvm::Value* index = entry_alloca(dims_t, "odometer_index");
  llvm::Value* count = b_.getInt64(1);
  for (int d = 0; d < m; ++d) {
    b_.CreateStore(extents[size_t(d)], slot_of(ext, b_.getInt64(d)));
    b_.CreateStore(b_.getInt64(0), slot_of(index, b_.getInt64(d)));
    count = b_.CreateMul(count, extents[size_t(d)]);
  }
  std::vector<llvm::Value*> stride_slots, offsets;
  for (const auto& st : strides) {
    llvm::Value* slots = entry_alloca(dims_t, "odometer_strides");
    for (int d = 0; d < m; ++d) b_.CreateStore(st[size_t(d)], slot_of(slots, b_.getInt64(d)));
    stride_slots.push_back(slots);
    llvm::Value* off = entry_alloca(i64(), "odometer_offset");
    b_.CreateStore(b_.getInt64(0), off);
    offsets.push_back(off);
  }
  counted_loop(count, [&](llvm::Value* r) {
    std::vector<llvm::Value*> off;
    for (llvm::Value* o : offsets) off.push_back(b_.CreateLoad(i64(), o));
    body(r, off);
    // Next position: add the innermost dimension's strides, carrying (and rewinding that
    // dimension) while an index reaches its extent.
    llvm::BasicBlock* pre = b_.GetInsertBlock();
    auto* carry = llvm::BasicBlock::Create(ctx_, "odometer", llfn_);
    auto* wrap = llvm::BasicBlock::Create(ctx_, "odometer_wrap", llfn_);
    auto* next = llvm::BasicBlock::Create(ctx_, "odometer_done", llfn_);
    b_.CreateBr(carry);
    b_.SetInsertPoint(carry);
    llvm::PHINode* d = b_.CreatePHI(i64(), 2, "dim");
    d->addIncoming(b_.getInt64(m - 1), pre);
    llvm::Value* k = b_.CreateAdd(b_.CreateLoad(i64(), slot_of(index, d)), b_.getInt64(1));
    llvm::Value* n = b_.CreateLoad(i64(), slot_of(ext, d));
    for (size_t l = 0; l < offsets.size(); ++l) {
      llvm::Value* st = b_.CreateLoad(i64(), slot_of(stride_slots[l], d));
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64(), offsets[l]), st), offsets[l]);
    }
    llvm::Value* within = b_.CreateICmpSLT(k, n);
    b_.CreateStore(b_.CreateSelect(within, k, b_.getInt64(0)), slot_of(index, d));
    b_.CreateCondBr(within, next, wrap);
    b_.SetInsertPoint(wrap);
    for (size_t l = 0; l < offsets.size(); ++l) {
      llvm::Value* st = b_.CreateLoad(i64(), slot_of(stride_slots[l], d));
      b_.CreateStore(b_.CreateSub(b_.CreateLoad(i64(), offsets[l]), b_.CreateMul(st, n)), offsets[l]);
    }
    llvm::Value* below = b_.CreateSub(d, b_.getInt64(1));
    d->addIncoming(below, wrap);
    b_.CreateCondBr(b_.CreateICmpSGE(below, b_.getInt64(0)), carry, next);
    b_.SetInsertPoint(next);
  });
}

// The value of `node`'s element at the loop's current position.
llvm::Value* FunctionLowering::element(const Instr* node, const LoopNest& nest) {
  // Array elements follow NumPy whatever the error model.
  struct Unchecked {
    bool& flag;
    bool saved;
    explicit Unchecked(bool& f) : flag(f), saved(f) { flag = false; }
    ~Unchecked() { flag = saved; }
  } unchecked(python_errors_);
  auto leaf = nest.element_ptr.find(node);
  if (leaf != nest.element_ptr.end()) {
    const Type* d = node->type->dtype();
    return from_memory(b_, b_.CreateLoad(memory_type(ctx_, d), leaf->second), d);
  }
  if (node->type->kind() != TypeKind::Array) return value(node);  // a scalar operand
  const Type* t = node->type->dtype();
  auto el = [&](size_t k) { return element(node->operands[k], nest); };
  switch (node->op) {
    case Opcode::BinOp: {
      const Instr* rhs = node->operands[1];
      llvm::Value* a = el(0);
      llvm::Value* b = has_value(rhs->type) ? el(1) : nullptr;
      return binop_values(node->binop, a, b, rhs, t);
    }
    case Opcode::UnaryOp: return unary_values(node->unop, el(0), t);
    case Opcode::Compare:
      return compare_values(node->cmp, el(0), el(1), element_type(node->operands[0]->type));
    case Opcode::Cast:
      return cast(el(0), element_type(node->operands[0]->type), t);
    case Opcode::Call: {
      std::vector<llvm::Value*> args;
      for (size_t k = 1; k < node->operands.size(); ++k) args.push_back(el(k));
      return scalar_call(node, args, element_type(node->operands.back()->type), t);
    }
    default: break;
  }
  DN_CHECK(false, "not an elementwise instruction: " + print_instr(*node));
  return nullptr;
}

void FunctionLowering::evaluate_into(const Instr* root, llvm::Value* dest, const Type* dest_t, bool expand) {
  std::vector<const Instr*> leaves;
  if (expand) collect_leaves(root, leaves);
  else if (root->type->kind() == TypeKind::Array) leaves.push_back(root);
  std::vector<llvm::Value*> shape;
  for (int k = 0; k < dest_t->ndim(); ++k) shape.push_back(b_.CreateExtractValue(dest, {3u, unsigned(k)}));
  broadcast_shape(leaves, dest_t->ndim(), shape);
  // Reading memory we are writing (a[1:] = a[:-1], a += a[::-1]): NumPy computes into a
  // temporary first; we copy the leaves first (a runtime call, no second loop), when the
  // ranges meet at run time, and run the one loop over the copies.
  llvm::Value* overlap = b_.getFalse();
  for (const Instr* leaf : leaves) overlap = b_.CreateOr(overlap, may_overlap(b_, value(leaf), leaf->type, dest, dest_t));
  std::vector<llvm::Value*> saved;
  if (!leaves.empty()) {
    llvm::BasicBlock* fast = b_.GetInsertBlock();
    auto* slow = llvm::BasicBlock::Create(ctx_, "overlap", llfn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "leaves_ready", llfn_);
    b_.CreateCondBr(overlap, slow, done, llvm::MDBuilder(ctx_).createBranchWeights(1, 1000));
    b_.SetInsertPoint(slow);
    std::vector<llvm::Value*> copies;
    auto copy = runtime("dn_array_copy");
    for (const Instr* leaf : leaves) {
      // A C-ordered copy serves for any layout: the loops read leaves through their strides
      // unless every one is C-contiguous.
      llvm::Value* out = entry_alloca(reg(leaf->type), "overlap_copy");
      return_if_failed(b_.CreateCall(copy, {out, spill(value(leaf)), b_.getInt64(leaf->type->ndim()),
                                            b_.getInt64(leaf->type->dtype()->itemsize())}));
      copies.push_back(b_.CreateLoad(reg(leaf->type), out));
    }
    llvm::BasicBlock* slow_end = b_.GetInsertBlock();
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    for (size_t l = 0; l < leaves.size(); ++l) {
      llvm::PHINode* phi = b_.CreatePHI(reg(leaves[l]->type), 2);
      phi->addIncoming(value(leaves[l]), fast);
      phi->addIncoming(copies[l], slow_end);
      saved.push_back(value(leaves[l]));
      values_[leaves[l]] = phi;
    }
  }
  store_elements(root, leaves, dest, dest_t, shape);
  for (size_t l = 0; l < saved.size(); ++l) values_[leaves[l]] = saved[l];
}

void FunctionLowering::store_elements(const Instr* root, const std::vector<const Instr*>& leaves,
                                      llvm::Value* dest, const Type* dest_t,
                                      const std::vector<llvm::Value*>& shape) {
  // The destination joins the loop as one more "leaf" whose element we store to.
  Instr dest_leaf;
  dest_leaf.type = dest_t;
  values_[&dest_leaf] = dest;
  std::vector<const Instr*> all = leaves;
  all.push_back(&dest_leaf);
  const Type* d = dest_t->dtype();
  for_each_element(all, shape, [&](const LoopNest& nest) {
    llvm::Value* v = element(root, nest);
    v = cast(v, element_type(root->type), d);
    b_.CreateStore(to_memory(b_, v, d), nest.element_ptr.at(&dest_leaf));
  }, true);
  values_.erase(&dest_leaf);
}

llvm::Value* FunctionLowering::allocate_array(const Type* at, const std::vector<llvm::Value*>& shape, int fill) {
  int nd = at->ndim();
  auto* dims_t = llvm::ArrayType::get(i64(), unsigned(nd));
  llvm::Value* dims = entry_alloca(dims_t, "shape");
  for (int k = 0; k < nd; ++k)
    b_.CreateStore(shape[size_t(k)], b_.CreateConstInBoundsGEP2_64(dims_t, dims, 0, unsigned(k)));
  llvm::Type* desc_t = reg(at);
  llvm::Value* desc = entry_alloca(desc_t, "array");
  auto fn = runtime("dn_array_new");
  llvm::Value* status = b_.CreateCall(
      fn, {desc, b_.getInt64(nd), dims, b_.getInt64(at->dtype()->itemsize()),
           b_.getInt32(dtype_code(at->dtype())), b_.getInt32(fill)});
  return_if_failed(status);
  return b_.CreateLoad(desc_t, desc);
}

}  // namespace dn
