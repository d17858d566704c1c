// Outlining of array loops in large functions. Every array statement lowers to a few
// loops; a function with hundreds of them becomes one LLVM function of thousands of
// blocks, on which the optimiser and the register allocator take time that grows faster
// than its size (300 array statements: close to a minute). Past kOutlineThreshold array
// loops in one function, each one is lowered into an internal function of its own
// (noinline), called with the values it reads; small kernels keep their loops inline,
// exactly as before.
#include "jit/codegen/llvm/lowering.h"

namespace dn {

namespace {

constexpr int kOutlineThreshold = 16;

// Instructions that lower to loops over an array's elements.
bool is_array_loop(const Instr* i) {
  if (i->fused_into) return false;
  if (is_elementwise(i)) return true;
  if (i->op == Opcode::Call) return i->intrinsic == Intrinsic::Reduce || i->intrinsic == Intrinsic::Scan;
  if (i->op == Opcode::SetItem)  // a slice or mask assignment (or a += b), not one element
    return i->operands.size() >= 2 &&
           (i->operands.back()->type->kind() == TypeKind::Array || i->operands.back()->fused_into == i ||
            [&] {
              for (size_t k = 1; k + 1 < i->operands.size(); ++k)
                if (!i->operands[k]->type->is_int()) return true;
              return false;
            }());
  return false;
}

}  // namespace

bool FunctionLowering::outlines_array_loops(const Function& fn) {
  int n = 0;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs) n += is_array_loop(i);
  return n > kOutlineThreshold;
}

// The values `node` (and what is fused into it) reads, each once.
void FunctionLowering::outline_inputs(const Instr* node, std::vector<const Instr*>& inputs) {
  for (const Instr* o : node->operands) {
    if (o->fused_into == node) {
      outline_inputs(o, inputs);
    } else if (values_.count(o) && std::find(inputs.begin(), inputs.end(), o) == inputs.end()) {
      inputs.push_back(o);
    }
  }
}

// What the lowering of `node` depends on, with its inputs numbered in `inputs`' order:
// two array statements with the same shape (a * 2, a * 3; s += b1, s += b2) share one
// outlined function. Constants stay part of it where codegen reads them (x ** 3).
static void outline_key(const Instr* node, const std::vector<const Instr*>& inputs, std::string& key) {
  key += opcode_name(node->op);
  key += "|" + std::to_string(int(node->binop)) + std::to_string(int(node->unop)) + std::to_string(int(node->cmp)) +
         std::to_string(node->inplace) + std::to_string(node->explicit_cast) + std::to_string(node->tuple_index) + "|" +
         std::to_string(int(node->intrinsic)) + "|" + node->func + "|" + node->attr + "|" + std::to_string(int(node->fill)) +
         std::to_string(node->has_axis) + std::to_string(node->to_1d) + std::to_string(node->always_copy) + "|" + (node->type ? node->type->str() : "") + "|" +
         std::to_string(node->kwnames.size()) + "(";
  for (const Instr* o : node->operands) {
    if (o->fused_into == node) {
      outline_key(o, inputs, key);
    } else {
      auto it = std::find(inputs.begin(), inputs.end(), o);
      if (it != inputs.end()) key += "$" + std::to_string(it - inputs.begin()) + ":";
      key += o->type ? o->type->str() : "?";
      if (o->op == Opcode::Const) key += "=" + print_instr(*o);
    }
    key += ",";
  }
  key += ")";
}

bool FunctionLowering::lower_outlined(const Instr* i) {
  if (!outline_ || !is_array_loop(i)) return false;
  std::vector<const Instr*> inputs;
  outline_inputs(i, inputs);
  llvm::Type* result_t = i->type && has_value(i->type) ? reg(i->type) : nullptr;
  std::string key;
  outline_key(i, inputs, key);
  llvm::Function*& f = outlined_[key];
  if (!f) f = outline(i, inputs, result_t);
  llvm::Value* out = entry_alloca(result_t ? result_t : b_.getInt8Ty(), "loop_result");
  std::vector<llvm::Value*> args{out};
  for (const Instr* in : inputs) args.push_back(value(in));
  return_if_failed(b_.CreateCall(f, args));
  if (result_t) values_[i] = b_.CreateLoad(result_t, out);
  else values_.erase(i);
  return true;
}

llvm::Function* FunctionLowering::outline(const Instr* i, const std::vector<const Instr*>& inputs,
                                          llvm::Type* result_t) {
  std::vector<llvm::Type*> params{b_.getPtrTy()};
  for (const Instr* in : inputs) params.push_back(values_.at(in)->getType());
  auto* fty = llvm::FunctionType::get(b_.getInt32Ty(), params, false);
  auto* f = llvm::Function::Create(fty, llvm::Function::InternalLinkage, llfn_->getName() + ".loop", module_);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  f->addFnAttr(llvm::Attribute::NoInline);

  // Lower `i` inside f: its inputs are f's arguments; errors return their status from f.
  llvm::Function* saved_fn = llfn_;
  llvm::BasicBlock* saved_allocas = alloca_block_;
  llvm::IRBuilderBase::InsertPoint saved_ip = b_.saveIP();
  std::vector<llvm::Value*> saved_values;
  for (const Instr* in : inputs) saved_values.push_back(values_.at(in));
  llfn_ = f;
  alloca_block_ = llvm::BasicBlock::Create(ctx_, "allocas", f);
  auto* body = llvm::BasicBlock::Create(ctx_, "body", f);
  b_.SetInsertPoint(body);
  for (size_t k = 0; k < inputs.size(); ++k) values_[inputs[k]] = f->getArg(unsigned(k + 1));
  lower_instr_here(i);
  if (result_t) b_.CreateStore(value(i), f->getArg(0));
  b_.CreateRet(b_.getInt32(0));
  b_.SetInsertPoint(alloca_block_);
  b_.CreateBr(body);
  llfn_ = saved_fn;
  alloca_block_ = saved_allocas;
  b_.restoreIP(saved_ip);
  for (size_t k = 0; k < inputs.size(); ++k) values_[inputs[k]] = saved_values[k];
  return f;
}

}  // namespace dn
