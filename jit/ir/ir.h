// The IR: a function is a control-flow graph of blocks of instructions in SSA form. Each
// instruction is one value; after type inference every value has a Type. The frontend
// builds it from bytecode, typing annotates and rewrites it in place, codegen lowers it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jit/ir/intrinsics.h"
#include "jit/ir/values.h"
#include "jit/support/diagnostics.h"
#include "jit/types/type.h"

namespace dn {

enum class Opcode : uint8_t {
#define OP(name, ...) name,
#include "jit/ir/opcodes.def"
#undef OP
};
const char* opcode_name(Opcode op);
bool is_terminator(Opcode op);
// Whether an instruction of this opcode is a value (not a terminator, store or release).
bool produces_value(Opcode op);
// How many operands (max -1: any) and block targets an opcode takes (opcodes.def).
struct OperandCounts {
  int min, max, targets;
};
OperandCounts operand_counts(Opcode op);

enum class BinOpKind : uint8_t {
  Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul
};
enum class UnaryKind : uint8_t { Neg, Pos, Invert, Not };
enum class CmpKind : uint8_t { Lt, Le, Eq, Ne, Gt, Ge, Is, IsNot, In, NotIn };
// The initial contents of a new array (np.empty, np.zeros, np.ones and their _like forms).
enum class ArrayFill : uint8_t { Empty, Zeros, Ones };
const char* binop_symbol(BinOpKind k);
const char* unary_symbol(UnaryKind k);
const char* cmp_symbol(CmpKind k);

struct FunctionInfo;  // jit/frontend: the Python function an IR function was built from
class Block;
class Function;

class Instr {
 public:
  Opcode op;
  int id = 0;
  const Type* type = nullptr;  // null until typed
  std::vector<Instr*> operands;
  std::vector<Block*> blocks;  // Phi: incoming blocks (parallel to operands); Br/CondBr: targets
  Block* parent = nullptr;
  SourceLoc loc;

  // Attributes, each with one meaning; opcodes.def says which opcode reads which. The
  // printer prints every one that differs from its default, and the parser reads it back.
  std::string var;              // Arg, Phi, Undef, CheckBound, Global: the Python variable
  int arg_index = 0;            // Arg: the parameter's position
  ConstValue cval;              // Const: the value
  GlobalValue gval;             // Global: what the name referred to when compiled
  std::string attr;             // GetAttr: the attribute's name
  BinOpKind binop = BinOpKind::Add;  // BinOp
  bool inplace = false;         // BinOp: an augmented assignment (a += b)
  UnaryKind unop = UnaryKind::Neg;   // UnaryOp
  CmpKind cmp = CmpKind::Eq;    // Compare
  bool explicit_cast = false;   // Cast: int(x), np.int64(x): raises for NaN, inf, overflow
  int64_t tuple_index = 0;      // TupleGet: the element
  int64_t unpack_count = -1;    // TupleGet from `a, b = t`: the tuple must have this many
                                // elements (-1: not checked)
  std::vector<std::string> kwnames;       // Call: names of the trailing keyword arguments
  Intrinsic intrinsic = Intrinsic::None;  // Call, after typing: what is called
  std::string func;             // Call: the operation within the intrinsic (MathFunc's libm
                                // function, Reduce's and Scan's reduction, "astype", ...)
  ArrayFill fill = ArrayFill::Empty;  // Call ArrayAlloc/ArrayLike: initial contents
  bool has_axis = false;        // Call Reduce/Scan: operand 2 is the axis
  bool to_1d = false;           // Call Reshape: ravel/flatten (the shape is (-1,))
  bool always_copy = false;     // Call Reshape: flatten (a copy even of contiguous data)
  std::string callee_key;       // Call CallJitted: the callee's symbol
  int32_t error_code = 0;       // Raise: the DnErrorCode (runtime/abi.h)
  std::string message;          // Raise: the error's message; Print: the text
  std::vector<int> shape_ranks; // Raise: the ranks of the shapes its operands spell
  // Raise: the values after the shapes, formatted into the message's "{}" holes (literal
  // braces doubled: escape_braces), each with its Python format spec ("" is str(); "!r"
  // first for a conversion). Print: its operands, the same way.
  std::vector<std::string> value_formats;
  int dim = 0;                  // ArrayDim, ArrayStride: the dimension (without operand 1)
  bool byte_offset = false;     // PtrOffset: the offset counts bytes, not elements
  bool no_wrap = false;         // BinOp + * // % on int64: non-negative operands, a result
                                // that cannot overflow, no zero divisor (loop counters)
  bool independent = false;     // Phi: the counter of a counted loop whose iterations touch
                                // disjoint elements (set by lower_array_loops)
  bool reassoc = false;         // BinOp on floats: may be reassociated (block sums)
  bool ufunc = false;           // BinOp, UnaryOp, Compare: a NumPy ufunc's call (np.divide(a, b)):
                                // NumPy's semantics on scalars too (no ZeroDivisionError)
  int64_t slots = 1;            // StackSlot: how many values
  bool checked = false;         // BinOp, Cast, Call on scalars: raises Python's errors
                                // (division by zero, ...): set by apply_error_model
  // Set by fuse_array_exprs: the elementwise instruction or reduction that computes this
  // array expression per element inside its own loop (this one then has no value).
  Instr* fused_into = nullptr;

  bool is_terminator() const { return dn::is_terminator(op); }
  Instr* operand(size_t i) const { return operands.at(i); }
};

class Block {
 public:
  int id = 0;
  Function* parent = nullptr;
  std::vector<Instr*> instrs;
  std::vector<Block*> preds;
  // Inside a try: where an exception raised by this block's code goes (a landing block
  // that an enter_try makes a successor of the block that enters this one; null: out of
  // the function). Blocks split from this one or built in place of its code keep it.
  Block* unwind = nullptr;

  Instr* terminator() const {
    return !instrs.empty() && instrs.back()->is_terminator() ? instrs.back() : nullptr;
  }
  std::vector<Block*> succs() const;
};

class Function {
 public:
  Function(std::string name, const FunctionInfo* info) : name(std::move(name)), info(info) {}

  std::string name;
  const FunctionInfo* info;  // may be null for IR built in tests
  std::vector<std::unique_ptr<Block>> blocks;  // blocks[0] is the entry
  std::vector<Instr*> args;
  const Type* return_type = nullptr;
  // Cut out of a larger function (outline_array_statements): never inlined into its caller.
  bool noinline = false;
  // Calls itself through other jitted functions (mutual recursion): guard_recursion guards
  // its stack as it does a function that calls itself directly.
  bool recursive = false;
  // A generator function as lower_generators leaves it: it runs the generator on to its
  // next yield. Its first argument is the generator's frame, where its stack slots live
  // (codegen), so that they keep their values from one call to the next.
  bool resumes_generator = false;

  Block* new_block();
  // Creates an instruction (owned by the function) without inserting it anywhere.
  Instr* create(Opcode op, std::vector<Instr*> operands = {}, SourceLoc loc = {});
  // A copy of `i` (attributes, operands, type) with a fresh id, in no block.
  Instr* clone(const Instr* i);
  // Creates and appends to `b`.
  Instr* append(Block* b, Opcode op, std::vector<Instr*> operands = {}, SourceLoc loc = {});
  // Inserts before `b`'s terminator (or at the end when it has none).
  Instr* insert_before_terminator(Block* b, Instr* i);
  // Inserts `i` right before `pos` in pos's block.
  Instr* insert_before(Instr* pos, Instr* i);
  // Inserts `i` right after `pos` in pos's block.
  Instr* insert_after(Instr* pos, Instr* i);
  // Moves the instructions after `pos` into a new block that takes over pos's block's
  // successors (their phis name the new block); pos's block is left without a terminator.
  Block* split_after(Instr* pos);
  // Removes `i` from its block (it stays owned by the function).
  void erase(Instr* i);

  Block* entry() const { return blocks.front().get(); }
  void recompute_preds();
  // Replaces every use of `from` with `to`.
  void replace_all_uses(Instr* from, Instr* to);
  // Drops instructions not in any block and blocks unreachable from the entry.
  void remove_unreachable_blocks();
  // Orders blocks in reverse postorder (definitions before uses, except along back edges).
  void sort_blocks_rpo();
  // The parser keeps the ids of the text: later values and blocks are numbered after them.
  void reserve_ids(int next_value, int next_block) {
    next_value_ = std::max(next_value_, next_value);
    next_block_ = std::max(next_block_, next_block);
  }

 private:
  std::vector<std::unique_ptr<Instr>> arena_;
  int next_value_ = 0, next_block_ = 0;
};

// Whether `i` is a value: produces_value(i->op), except that a call_runtime of a void
// entry point has none.
bool produces_value(const Instr* i);

// Typed IR: an operation applied element by element to arrays (with broadcasting), whose
// elements fused_into chains can compute without materialising the array.
bool is_elementwise(const Instr* i);
// The largest (highest) or smallest value of a real or bool type, where min and max
// reductions start: +-inf for floats, the range's ends for ints, 1/0 for bools.
ConstValue extreme_value(const Type* t, bool highest);

// Stable text form, used by DUNNART_DUMP and golden tests.
std::string print_function(const Function& f);
std::string print_instr(const Instr& i);


// `text` as the literal part of a Raise or Print message: braces doubled.
std::string escape_braces(const std::string& text);

}  // namespace dn
