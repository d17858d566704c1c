// The IR: a function is a control-flow graph of blocks of instructions in SSA form. Each
// instruction is one value; after type inference every value has a Type. The frontend
// builds it from bytecode, typing annotates and rewrites it in place, codegen lowers it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jit/frontend/function_info.h"
#include "jit/types/type.h"
#include "jit/typing/intrinsics.h"

namespace dn {

enum class Opcode : uint8_t {
#define OP(name, text, term) name,
#include "jit/ir/opcodes.def"
#undef OP
};
const char* opcode_name(Opcode op);
bool is_terminator(Opcode op);

enum class BinOpKind : uint8_t {
  Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor, MatMul
};
enum class UnaryKind : uint8_t { Neg, Pos, Invert, Not };
enum class CmpKind : uint8_t { Lt, Le, Eq, Ne, Gt, Ge, Is, IsNot, In, NotIn };
const char* binop_symbol(BinOpKind k);
const char* unary_symbol(UnaryKind k);
const char* cmp_symbol(CmpKind k);

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

  // Attributes; which ones an opcode uses is listed in opcodes.def.
  int64_t imm = 0;
  bool flag = false;
  std::string name;
  ConstValue cval;
  GlobalValue gval;
  std::vector<std::string> kwnames;
  Intrinsic intrinsic = Intrinsic::None;  // Call, after typing
  std::string callee_key;                  // Call of a jitted function: its symbol
  // Set by fuse_array_exprs: the elementwise instruction or reduction that computes this
  // array expression per element inside its own loop (this one then has no value).
  Instr* fused_into = nullptr;
  // Set by free_temporaries: release this array's memory right after that instruction.
  Instr* release_after = nullptr;

  bool is_terminator() const { return dn::is_terminator(op); }
  Instr* operand(size_t i) const { return operands.at(i); }
};

class Block {
 public:
  int id = 0;
  Function* parent = nullptr;
  std::vector<Instr*> instrs;
  std::vector<Block*> preds;

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

  Block* new_block();
  // Creates an instruction (owned by the function) without inserting it anywhere.
  Instr* create(Opcode op, std::vector<Instr*> operands = {}, SourceLoc loc = {});
  // Creates and appends to `b`.
  Instr* append(Block* b, Opcode op, std::vector<Instr*> operands = {}, SourceLoc loc = {});
  // Inserts before `b`'s terminator (or at the end when it has none).
  Instr* insert_before_terminator(Block* b, Instr* i);
  // Inserts `i` right before `pos` in pos's block.
  Instr* insert_before(Instr* pos, Instr* i);

  Block* entry() const { return blocks.front().get(); }
  void recompute_preds();
  // Replaces every use of `from` with `to`.
  void replace_all_uses(Instr* from, Instr* to);
  // Drops instructions not in any block and blocks unreachable from the entry.
  void remove_unreachable_blocks();
  // Orders blocks in reverse postorder (definitions before uses, except along back edges).
  void sort_blocks_rpo();

 private:
  std::vector<std::unique_ptr<Instr>> arena_;
  int next_value_ = 0, next_block_ = 0;
};

// Typed IR: an operation applied element by element to arrays (with broadcasting), whose
// elements fused_into chains can compute without materialising the array.
bool is_elementwise(const Instr* i);

// Stable text form, used by DUNNART_DUMP and golden tests.
std::string print_function(const Function& f);
std::string print_instr(const Instr& i);

// Checks structural invariants (terminators, phi/pred agreement, operands defined in the
// function, types present when `typed`); throws InternalError naming `pass` on failure.
void verify_function(const Function& f, const std::string& pass, bool typed);

}  // namespace dn
