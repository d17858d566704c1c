// The IR verifier, run after every pass: a pass that breaks an invariant is caught at the
// pass, not three passes later in LLVM. It checks
//   structure: a terminator ends every block and only there, phis first, parents right,
//     Block::preds equal to the CFG's edges, phis naming each predecessor once;
//   operands: counts and block targets per opcode (opcodes.def), operands defined in the
//     function, and every use dominated by its definition (a phi's use: at the end of the
//     incoming block); args first in the entry block;
//   pass attributes: fused_into names an instruction of the function;
//   lowered array code: shape and stride reads of arrays (int64, dim in range), pointers
//     of the array's element type, loads and stores of the pointer's element type,
//     int64 extents of new arrays, raise operands matching shape_ranks;
//   after typing: every value has a type, and the types that typing fixes per opcode
//     (bool conditions, phis and tuples of their operands' types, returns of the
//     function's return type, calls resolved to an intrinsic).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "jit/analysis/verifier.h"

#include "jit/analysis/dominators.h"
#include "jit/analysis/loops.h"
#include "jit/types/type_text.h"

namespace dn {

namespace {

bool has_value(const Instr* i) { return produces_value(i); }

// Arrays of one dtype and rank whose layouts differ (a C view and an F one meeting in a
// phi of layout A): one descriptor, so no conversion between them (Inferencer::make_cast).
bool same_descriptor(const Type* from, const Type* to) {
  return from && to && from->kind() == TypeKind::Array && to->kind() == TypeKind::Array &&
         from->dtype() == to->dtype() && from->ndim() == to->ndim() &&
         (to->layout() == Layout::A || to->layout() == from->layout()) && (to->readonly() || !from->readonly());
}

class Verifier {
 public:
  Verifier(const Function& f, const std::string& pass, bool typed) : f_(f), pass_(pass), typed_(typed) {}

  void run() {
    if (f_.blocks.empty()) fail("function has no blocks", nullptr);
    for (auto& b : f_.blocks) {
      blocks_.insert(b.get());
      for (size_t k = 0; k < b->instrs.size(); ++k) position_[b->instrs[k]] = {b.get(), k};
    }
    for (Instr* a : f_.args)
      if (!position_.count(a)) fail("argument %" + std::to_string(a->id) + " is not in a block", nullptr);
    structure();
    DominatorTree dom(f_);
    for (auto& b : f_.blocks)
      for (Instr* i : b->instrs) instruction(i, dom);
  }

 private:
  [[noreturn]] void fail(const std::string& what, const Instr* i) const {
    std::string msg = "IR verifier failed after " + pass_ + " in " + f_.name + ": " + what;
    if (i) msg += "\n  at: " + print_instr(*i);
    msg += "\n" + print_function(f_);
    internal_error(__FILE__, __LINE__, msg);
  }
  static std::string bb(const Block* b) { return "bb" + std::to_string(b->id); }

  void structure() {
    std::unordered_map<const Block*, std::vector<const Block*>> edges;  // block -> predecessors by edge
    for (auto& b : f_.blocks) {
      if (!b->terminator()) fail(bb(b.get()) + " has no terminator", nullptr);
      for (size_t k = 0; k + 1 < b->instrs.size(); ++k)
        if (b->instrs[k]->is_terminator()) fail("terminator in mid-block", b->instrs[k]);
      for (Block* s : b->succs())
        if (blocks_.count(s)) edges[s].push_back(b.get());
    }
    for (auto& b : f_.blocks) {
      if (b->parent != &f_) fail(bb(b.get()) + "'s parent is not this function", nullptr);
      std::vector<const Block*> have(b->preds.begin(), b->preds.end()), want = edges[b.get()];
      std::sort(have.begin(), have.end());
      std::sort(want.begin(), want.end());
      if (have != want) fail(bb(b.get()) + "'s predecessor list does not match the CFG's edges", nullptr);
    }
    // Arguments: in the entry block, in order (undefs may come first).
    size_t last = 0;
    for (size_t k = 0; k < f_.args.size(); ++k) {
      auto [block, pos] = position_.at(f_.args[k]);
      if (block != f_.entry() || (k && pos <= last) || f_.args[k]->op != Opcode::Arg)
        fail("argument " + std::to_string(k) + " is not the entry block's arg instruction number " + std::to_string(k),
             f_.args[k]);
      last = pos;
    }
  }

  void instruction(const Instr* i, const DominatorTree& dom) {
    const Block* b = i->parent;
    auto [block, k] = position_.at(i);
    if (b != block) fail("instruction's parent is not its block", i);
    if (i->is_terminator() && k + 1 != block->instrs.size()) fail("terminator in mid-block", i);
    if (i->op == Opcode::Arg && std::find(f_.args.begin(), f_.args.end(), i) == f_.args.end())
      fail("arg instruction that is not one of the function's arguments", i);

    OperandCounts n = operand_counts(i->op);
    int count = int(i->operands.size());
    if (count < n.min || (n.max >= 0 && count > n.max))
      fail(std::string(opcode_name(i->op)) + " takes " +
               (n.max == n.min ? std::to_string(n.min) : n.max < 0 ? "at least " + std::to_string(n.min)
                                                                    : std::to_string(n.min) + " to " + std::to_string(n.max)) +
               " operands, has " + std::to_string(count),
           i);
    for (const Instr* o : i->operands)
      if (!o || !position_.count(o)) fail("operand not defined in this function", i);
    for (const Block* t : i->blocks)
      if (!t || !blocks_.count(t)) fail("target block not in this function", i);

    if (i->op == Opcode::Phi) {
      if (k > 0 && block->instrs[k - 1]->op != Opcode::Phi) fail("phi after a non-phi instruction", i);
      if (i->blocks.size() != i->operands.size()) fail("phi operand/block count mismatch", i);
      if (i->blocks.size() != block->preds.size()) fail("phi does not cover every predecessor", i);
      for (size_t j = 0; j < i->blocks.size(); ++j) {
        if (std::find(block->preds.begin(), block->preds.end(), i->blocks[j]) == block->preds.end())
          fail("phi names a block that is not a predecessor", i);
        if (std::count(i->blocks.begin(), i->blocks.end(), i->blocks[j]) !=
            std::count(block->preds.begin(), block->preds.end(), i->blocks[j]))
          fail("phi names predecessor " + bb(i->blocks[j]) + " more or fewer times than it is one", i);
      }
    } else if (int(i->blocks.size()) != n.targets) {
      fail(std::string(opcode_name(i->op)) + " takes " + std::to_string(n.targets) + " block targets, has " +
               std::to_string(i->blocks.size()),
           i);
    }
    // A landing is reached from its try's blocks, not from the enter_try that makes it a
    // successor: it can have no phis, and the block entered must unwind to it.
    if (i->op == Opcode::EnterTry && i->blocks.size() == 2) {
      if (i->blocks[0]->unwind != i->blocks[1]) fail("enter_try's block must unwind to its landing", i);
      if (!i->blocks[1]->instrs.empty() && i->blocks[1]->instrs[0]->op == Opcode::Phi)
        fail("a landing block cannot have phis", i);
    }

    // Dominance: uses in unreachable blocks are not checked (no path reaches them).
    if (dom.reachable(block)) {
      for (size_t j = 0; j < i->operands.size(); ++j) {
        const Instr* o = i->operands[j];
        auto [def_block, def_pos] = position_.at(o);
        if (!has_value(o)) fail("operand %" + std::to_string(o->id) + " has no value", i);
        if (i->op == Opcode::Phi) {
          if (dom.reachable(i->blocks[j]) && !dom.dominates(def_block, i->blocks[j]))
            fail("phi operand %" + std::to_string(o->id) + " does not dominate the end of " + bb(i->blocks[j]), i);
        } else if (def_block == block ? def_pos >= k : !dom.dominates(def_block, block)) {
          fail("operand %" + std::to_string(o->id) + " does not dominate this use", i);
        }
      }
    }
    if (i->fused_into && !position_.count(i->fused_into)) fail("fused_into names an instruction not in a block", i);
    if (typed_) typed(i);
  }

  // Invariants of typed IR.
  void typed(const Instr* i) {
    if (has_value(i) && !i->type) fail("value has no type after typing", i);
    for (const Instr* o : i->operands)
      if (!o->type) fail("operand %" + std::to_string(o->id) + " has no type after typing", i);
    auto want = [&](bool ok, const std::string& what) {
      if (!ok) fail(what, i);
    };
    switch (i->op) {
      case Opcode::Phi:
        for (const Instr* o : i->operands)
          want(o->type->strong() == i->type->strong() || same_descriptor(o->type, i->type), "phi operand %" + std::to_string(o->id) + " has type " + type_text(o->type) +
                                       ", the phi " + type_text(i->type));
        break;
      case Opcode::Truth:
      case Opcode::IterValid: want(i->type->is_bool(), std::string(opcode_name(i->op)) + " must give a bool"); break;
      case Opcode::CondBr: want(i->operands[0]->type->is_bool(), "condbr's condition must be a bool"); break;
      case Opcode::CheckBound: want(i->operands[0]->type->is_bool(), "check_bound's operand must be a bool"); break;
      case Opcode::BuildTuple: {
        std::vector<const Type*> elems;
        for (const Instr* o : i->operands) elems.push_back(o->type);
        want(i->type == t_tuple(elems), "tuple's type is not the tuple of its operands' types");
        break;
      }
      case Opcode::TupleGet: {
        const Type* t = i->operands[0]->type;
        want(t->kind() == TypeKind::Tuple, "tuple_get of a " + type_text(t));
        want(i->tuple_index >= 0 && size_t(i->tuple_index) < t->elements().size(), "tuple_get index out of range");
        want(i->type == t->elements()[size_t(i->tuple_index)], "tuple_get's type is not the element's");
        break;
      }
      case Opcode::Return:
        // A generator function returns what no loop sees until lower_generators.
        want(!f_.return_type || i->operands[0]->type == f_.return_type || is_generator(f_.return_type) ||
                 same_descriptor(i->operands[0]->type, f_.return_type),
             "returns " + type_text(i->operands[0]->type) + " from a function returning " + type_text(f_.return_type));
        break;
      case Opcode::Call:
        want(i->intrinsic != Intrinsic::None, "call not resolved to an intrinsic after typing");
        want((i->intrinsic == Intrinsic::CallJitted) == !i->callee_key.empty(),
             "callee_key must be set exactly on CallJitted calls");
        break;
      case Opcode::ParallelFor:
        want(i->operands[0]->type == t_int64(), "parallel_for's trip count must be an int64");
        want(!i->callee_key.empty(), "parallel_for names no body (callee_key)");
        break;
      case Opcode::Release: want(is_array(i->operands[0]), "release of a non-array"); break;
      case Opcode::ArrayDim:
      case Opcode::ArrayStride:
        want(is_array(i->operands[0]), std::string(opcode_name(i->op)) + " of a non-array");
        if (i->operands.size() == 1)
          want(i->dim >= 0 && i->dim < i->operands[0]->type->ndim(), "dim out of range for " + type_text(i->operands[0]->type));
        else
          want(i->operands[1]->type == t_int64(), "a dimension chosen at run time must be an int64");
        want(i->type == t_int64(), std::string(opcode_name(i->op)) + " must give an int64");
        break;
      case Opcode::ArrayData:
        want(is_array(i->operands[0]), "array_data of a non-array");
        want(i->type == t_pointer(i->operands[0]->type->dtype()), "array_data must give a pointer to the dtype");
        break;
      case Opcode::PtrOffset:
        want(i->operands[0]->type->kind() == TypeKind::Pointer, "ptr_offset of a non-pointer");
        want(i->operands[1]->type == t_int64(), "ptr_offset's offset must be an int64");
        // A byte offset may reach a value of another type (a dict entry's value after its key).
        want(i->type == i->operands[0]->type || (i->byte_offset && i->type->kind() == TypeKind::Pointer),
             "ptr_offset gives its pointer's type");
        break;
      case Opcode::Load:
        want(i->operands[0]->type->kind() == TypeKind::Pointer, "load from a non-pointer");
        want(i->type == i->operands[0]->type->dtype(), "load gives the pointer's element type");
        break;
      case Opcode::Store:
        want(i->operands[0]->type->kind() == TypeKind::Pointer, "store to a non-pointer");
        want(i->operands[1]->type->strong() == i->operands[0]->type->dtype(), "store of a value not of the pointer's element type");
        break;
      case Opcode::NewArray:
        want(is_array(i) && i->type->layout() == Layout::C, "new_array must give a C-contiguous array");
        want(int(i->operands.size()) == i->type->ndim(), "new_array takes one extent per dimension");
        for (const Instr* o : i->operands) want(o->type == t_int64(), "new_array's extents must be int64");
        break;
      case Opcode::CopyArray:
        want(is_array(i) && i->type->dtype() == i->operands[0]->type->dtype() && i->type->ndim() == i->operands[0]->type->ndim(),
             "copy_array gives an array of its operand's dtype and rank");
        break;
      case Opcode::View: {
        want(is_array(i->operands[0]) && is_array(i), "view of a non-array");
        want(i->operands[1]->type == t_pointer(i->type->dtype()), "view's memory must be a pointer to its dtype");
        want(int(i->operands.size()) == 2 + 2 * i->type->ndim(), "view takes an extent and a stride per dimension");
        for (size_t k = 2; k < i->operands.size(); ++k) want(i->operands[k]->type == t_int64(), "view's extents and strides are int64");
        break;
      }
      case Opcode::StackTop: want(i->type == t_pointer(t_int64()), "stack_top gives a ptr(int64)"); break;
      case Opcode::AddressOf:
        want(i->operands[0]->type->kind() == TypeKind::Pointer && i->type == t_int64(), "address_of gives a pointer's int64");
        break;
      case Opcode::StackSlot:
        want(i->type->kind() == TypeKind::Pointer && i->slots >= 1, "stack_slot gives a pointer to one or more values");
        break;
      case Opcode::CallRuntime: want(!i->func.empty(), "call_runtime names its entry point (func=)"); break;
      case Opcode::MakeComplex:
        want(i->type->is_complex() && i->operands[0]->type->is_float() && i->operands[1]->type->is_float(),
             "make_complex makes a complex from two floats");
        break;
      case Opcode::Overlaps:
        want(is_array(i->operands[0]) && is_array(i->operands[1]), "overlaps of a non-array");
        want(i->type->is_bool(), "overlaps must give a bool");
        break;
      case Opcode::OptionalHas:
        want(is_optional(i->operands[0]->type) && i->type->is_bool(), "optional_has gives a bool of an optional");
        break;
      case Opcode::OptionalValue:
      case Opcode::Unwrap:
        want(is_optional(i->operands[0]->type) && i->type == i->operands[0]->type->dtype(),
             std::string(opcode_name(i->op)) + " gives the value type of an optional");
        break;
      case Opcode::Select:
        want(i->operands[0]->type->is_bool(), "select's condition must be a bool");
        want(i->operands[1]->type == i->type && i->operands[2]->type == i->type, "select's operands must have its type");
        break;
      case Opcode::Print:
      case Opcode::Format:
        want(i->value_formats.size() == i->operands.size(), "print has one value_formats entry per operand");
        break;
      case Opcode::Raise: {
        size_t n = 0;
        for (int r : i->shape_ranks) n += size_t(r);
        want(n + i->value_formats.size() == i->operands.size(),
             "raise's operands must be the extents its shape_ranks spell, then one per value_formats");
        break;
      }
      default: break;
    }
  }

  static bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

  const Function& f_;
  const std::string& pass_;
  bool typed_;
  std::unordered_set<const Block*> blocks_;
  std::unordered_map<const Instr*, std::pair<const Block*, size_t>> position_;
};

}  // namespace

void verify_function(const Function& f, const std::string& pass, bool typed) { Verifier(f, pass, typed).run(); }

void verify_loops(const Function& f, const std::string& pass) {
  auto fail = [&](const std::string& what) {
    internal_error(__FILE__, __LINE__, "IR verifier failed after " + pass + " in " + f.name + ": " + what + "\n" +
                                           print_function(f));
  };
  LoopNest nest(f);
  if (!nest.reducible()) fail("a cycle with more than one entry (not a loop)");
  std::unordered_set<const Instr*> counters;
  for (auto& l : nest.loops())
    if (l->counted) counters.insert(l->counted->induction);
  for (auto& b : f.blocks)
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Phi && i->independent && !counters.count(i))
        fail("%" + std::to_string(i->id) + " is marked independent but counts no counted loop");
}

}  // namespace dn
