// The loops that lowered array code is made of, built in the IR (lower_array_loops and
// lower_reductions use them): the arrays an elementwise tree reads, the broadcast of their
// shapes, the scalar form of the tree at one position, and loop nests over every position
// of a shape in C order.
//   - When every array is C-contiguous with the loop's shape (checked at run time): one
//     flat counted loop over all elements, which LLVM vectorises.
//   - Otherwise a loop per dimension with per-array byte strides (0 along broadcast
//     dimensions); past kMaxLoopDims dimensions, one loop over the rows of the outer
//     dimensions (their indices are the row number's digits) around the innermost one,
//     so that code size does not grow with the rank.
//   - Blocked (reductions): the innermost positions in blocks, with a step after each.
#pragma once

#include <functional>
#include <unordered_map>
#include <vector>

#include "jit/transforms/ir_builder.h"

namespace dn {

class ArrayLoops {
 public:
  static constexpr int kMaxLoopDims = 6;

  explicit ArrayLoops(IRBuilder& b) : b_(b) {}
  IRBuilder& builder() { return b_; }

  // The arrays the fused tree rooted at `node` reads (each once), in operand order.
  static void collect_leaves(const Instr* node, std::vector<Instr*>& leaves);
  std::vector<Instr*> extents(Instr* array);
  Instr* product(const std::vector<Instr*>& values);
  // The broadcast of the leaves' shapes to `nd` dimensions; ValueError when they do not
  // broadcast (NumPy's message).
  std::vector<Instr*> broadcast_shape(const std::vector<Instr*>& leaves, int nd);
  // ValueError unless every leaf broadcasts into `shape` (a destination's).
  void check_broadcast_into(const std::vector<Instr*>& leaves, const std::vector<Instr*>& shape);

  // Where each array's element is at one position, and that position in C order.
  struct Position {
    std::vector<Instr*> ptr;  // per array given to for_each_element
    Instr* linear;
  };
  using Body = std::function<void(const Position&)>;
  // body(position) for every position of `shape` over `arrays` (each broadcast to it);
  // with `block` > 0, the innermost positions in blocks of that many and end_of_block()
  // after each.
  // `independent`: the body touches only its position's elements (elementwise stores),
  // so the loops' iterations may run in any order or at once.
  void for_each_element(const std::vector<Instr*>& arrays, const std::vector<Instr*>& shape, const Body& body,
                        int64_t block = 0, const std::function<void()>& end_of_block = {}, bool independent = false);
  // body(offsets, linear) for every position of `extents` in C order, offsets[w] being the
  // sum of index * strides[w][dim] (bytes): the loop nest itself.
  using WalkBody = std::function<void(const std::vector<Instr*>& offsets, Instr* linear)>;
  void walk(const std::vector<Instr*>& extents, const std::vector<std::vector<Instr*>>& strides, const WalkBody& body,
            int64_t block = 0, const std::function<void()>& end_of_block = {}, bool independent = false);

  // The value of `node`'s element where the leaves' elements are (`at`: leaf -> address):
  // the scalar form of each elementwise instruction, with NumPy's semantics (unchecked).
  Instr* element(Instr* node, const std::unordered_map<const Instr*, Instr*>& at);
  // The leaves' element addresses at a position of for_each_element over leaves (first).
  static std::unordered_map<const Instr*, Instr*> addresses(const std::vector<Instr*>& leaves, const Position& p);

  // A new array with the value of the elementwise tree rooted at `root`.
  Instr* materialize(Instr* root);
  // Stores `value` (a scalar, an array, or when `expand` the fused tree rooted there) into
  // every element of `dest`, broadcasting; copies leaves whose memory meets dest's.
  void evaluate_into(Instr* value, Instr* dest, bool expand);
  // `arrays`, or copies of them where their memory meets dest's at run time (what a store
  // into dest reads must not change under it).
  std::vector<Instr*> unaliased(const std::vector<Instr*>& arrays, Instr* dest);

  // Scalars.
  Instr* constant(const Type* t, const ConstValue& c);
  Instr* number(const Type* t, double v);  // v as a constant of numeric type t
  Instr* slot(const Type* t, int64_t n = 1);  // stack room for n values of type t
  // A call of scalar intrinsic `k` (`func` for MathFunc) on `args`, of type `t`.
  Instr* scalar_call(Intrinsic k, const std::string& func, const std::vector<Instr*>& args, const Type* t);

 private:
  void nest(const std::vector<Instr*>& arrays, const std::vector<Instr*>& base, const std::vector<Instr*>& shape,
            const Body& body, int64_t block, const std::function<void()>& end_of_block, bool independent);

  IRBuilder& b_;
  std::unordered_map<const Instr*, Instr*> renamed_;  // leaf -> the phi of it or its copy
};

}  // namespace dn
