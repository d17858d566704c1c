// A builder of typed IR for passes that lower to explicit code: it appends to a current
// block, and builds the counted loops and error checks that lowered array code is made of.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "jit/ir/ir.h"

namespace dn {

class IRBuilder {
 public:
  IRBuilder(Function& fn, Block* block, SourceLoc loc) : fn_(fn), block_(block), loc_(loc) {}

  Function& function() { return fn_; }
  Block* block() const { return block_; }
  void set_block(Block* b) { block_ = b; }
  // A new block for code in place of the current block's: exceptions in it go where the
  // current block's go (Block::unwind).
  Block* new_block();

  // Appends an instruction of type `t` (null: no value).
  Instr* emit(Opcode op, std::vector<Instr*> operands, const Type* t);
  Instr* append(Instr* i);  // a created instruction, at the end of the current block
  // The compile-time value of the library function `name` ("numpy.zeros"): a Global, as
  // the frontend makes for np.zeros (a call's operand 0).
  Instr* library_function(const std::string& name);
  Instr* int64(int64_t v);
  Instr* boolean(bool v);
  Instr* binop(BinOpKind k, Instr* a, Instr* b, bool no_wrap = false);
  Instr* cmp(CmpKind k, Instr* a, Instr* b);
  Instr* select(Instr* c, Instr* a, Instr* b);
  Instr* logical_not(Instr* c);
  Instr* cast(Instr* v, const Type* to);  // v itself when it has that type
  // x == y by value, as Python compares numbers (True == 1, 1 == 1.0), strs and tuples of them.
  Instr* equal(Instr* x, Instr* y);
  // x `k` y of two numbers, as Python compares them: in the wider kind of the two.
  Instr* compare_numbers(CmpKind k, Instr* x, Instr* y);
  // v as a value of exactly type `to` to store in a container: scalars cast (a weak
  // Python int to its int64 too), tuples element by element.
  Instr* convert(Instr* v, const Type* to);
  Instr* dim(Instr* array, int d);
  Instr* stride(Instr* array, int d);
  Instr* data(Instr* array);
  Instr* element_ptr(Instr* p, Instr* index);  // p + index elements
  Instr* byte_ptr(Instr* p, Instr* bytes);     // p + bytes
  Instr* load(Instr* p);
  void store(Instr* p, Instr* v);
  // The runtime entry point `func` (runtime/abi.h): its result of type t (null: none), or,
  // checked, the status it returns (a failure leaves the function or goes to its try).
  Instr* call_runtime(const char* func, std::vector<Instr*> operands, const Type* t);
  // A str's code points' address (0), length (1) or kind (2): str_part.
  Instr* str_part(Instr* s, int part);
  // A range's start (0), stop (1) or step (2).
  Instr* range_part(Instr* r, int part);
  // len(range(start, stop, step)) of its parts.
  Instr* range_length(Instr* start, Instr* stop, Instr* step);
  // A stack array of these int64s (the runtime's field descriptions: hash_fields).
  Instr* int64_array(const std::vector<int64_t>& values);
  // x == y, and x's order against y (<0, 0, >0), of two strs, by the runtime.
  Instr* str_equal(Instr* x, Instr* y);
  Instr* str_compare(Instr* x, Instr* y);
  void call_runtime_checked(const char* func, std::vector<Instr*> operands);
  void br(Block* to);
  void condbr(Instr* c, Block* yes, Block* no);

  // body(i) for i = 0 .. n-1, as a guarded loop whose test is at its end (the form LLVM
  // counts and vectorises). Continues after the loop.
  // `independent`: its iterations touch disjoint elements (the loop analysis reports it).
  void counted_loop(Instr* n, const std::function<void(Instr*)>& body, bool independent = false);
  // The first i in [0, n) for which pred(i) holds, or -1: a loop that stops there.
  Instr* find_first(Instr* n, const std::function<Instr*(Instr*)>& pred);
  // Raises `code` with `message` when `failed` ("{}" holes: `shapes`); continues where not.
  void raise_if(Instr* failed, int code, const std::string& message, const std::vector<std::vector<Instr*>>& shapes = {});
  // then() runs where `c` holds; continues after, where both paths meet.
  void if_then(Instr* c, const std::function<void()>& then);

 private:
  Instr* int64_at(Block* b, int64_t v);  // a constant placed in block b

  Function& fn_;
  Block* block_;
  SourceLoc loc_;
};

}  // namespace dn
