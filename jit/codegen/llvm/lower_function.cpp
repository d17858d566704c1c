// Lowering of a function's structure: blocks, phis, constants, tuples, returns, errors,
// and the entry wrapper with the uniform ABI.
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "jit/codegen/llvm/codegen.h"
#include "jit/codegen/llvm/lowering.h"
#include "jit/codegen/llvm/runtime_entries.h"
#include "jit/types/abi_layout.h"
#include "runtime/abi.h"
#include "runtime/text.h"

namespace dn {

llvm::FunctionType* FunctionLowering::signature(llvm::LLVMContext& ctx, const Function& fn) {
  std::vector<llvm::Type*> params{llvm::PointerType::getUnqual(ctx)};
  for (Instr* a : fn.args) {
    llvm::Type* t = register_type(ctx, a->type);
    // Values without a runtime form (modules, functions) are passed as a dummy byte.
    params.push_back(t ? t : llvm::Type::getInt8Ty(ctx));
  }
  return llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), params, false);
}

static llvm::Value* convert_aggregate(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t,
                                      bool to_mem) {
  if (t->kind() == TypeKind::Bool)
    return to_mem ? b.CreateZExt(v, b.getInt8Ty()) : b.CreateICmpNE(v, b.getInt8(0));
  if (t->kind() != TypeKind::Tuple && t->kind() != TypeKind::Optional) return v;
  std::vector<const Type*> parts = is_optional(t) ? std::vector<const Type*>{t->dtype(), t_bool()} : t->elements();
  llvm::Type* target = to_mem ? memory_type(b.getContext(), t) : register_type(b.getContext(), t);
  llvm::Value* out = llvm::UndefValue::get(target);
  for (unsigned k = 0; k < parts.size(); ++k) {
    llvm::Value* e = b.CreateExtractValue(v, {k});
    out = b.CreateInsertValue(out, convert_aggregate(b, e, parts[k], to_mem), {k});
  }
  return out;
}

llvm::Value* FunctionLowering::to_memory(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t) {
  return convert_aggregate(b, v, t, true);
}
llvm::Value* FunctionLowering::from_memory(llvm::IRBuilder<>& b, llvm::Value* v, const Type* t) {
  return convert_aggregate(b, v, t, false);
}

llvm::AllocaInst* FunctionLowering::entry_alloca(llvm::Type* t, const std::string& name) {
  llvm::IRBuilder<> eb(alloca_block_, alloca_block_->begin());
  return eb.CreateAlloca(t, nullptr, name);
}

llvm::StructType* FunctionLowering::frame_type(llvm::LLVMContext& ctx, const std::string& symbol) {
  std::string name = "frame." + symbol;
  if (llvm::StructType* t = llvm::StructType::getTypeByName(ctx, name)) return t;
  return llvm::StructType::create(ctx, name);  // its body: when the generator is lowered
}

llvm::Value* FunctionLowering::make_generator_frame(const std::string& symbol) {
  llvm::StructType* t = frame_type(ctx_, symbol);
  // The frame type may have no body yet: the alignment is given, not asked of it.
  auto* frame = new llvm::AllocaInst(t, 0, nullptr, llvm::Align(16), "frame", alloca_block_->begin());
  b_.CreateMemSet(frame, b_.getInt8(0), llvm::ConstantExpr::getSizeOf(t), llvm::MaybeAlign(16));
  return frame;
}

void FunctionLowering::move_allocas_into_frame() {
  std::vector<llvm::AllocaInst*> allocas;
  for (llvm::Instruction& inst : *alloca_block_)
    if (auto* a = llvm::dyn_cast<llvm::AllocaInst>(&inst)) allocas.push_back(a);
  std::vector<llvm::Type*> fields;
  for (llvm::AllocaInst* a : allocas) fields.push_back(a->getAllocatedType());
  llvm::StructType* t = frame_type(ctx_, fn_.name);
  t->setBody(fields);
  llvm::Value* frame = llfn_->getArg(1);  // after the result's address
  for (unsigned k = 0; k < allocas.size(); ++k) {
    auto* field = llvm::GetElementPtrInst::CreateInBounds(t, frame, {b_.getInt32(0), b_.getInt32(k)},
                                                          allocas[k]->getName(), allocas[k]->getIterator());
    allocas[k]->replaceAllUsesWith(field);
    allocas[k]->eraseFromParent();
  }
}

llvm::Value* FunctionLowering::spill(llvm::Value* v) {
  llvm::AllocaInst* slot = entry_alloca(v->getType());
  b_.CreateStore(v, slot);
  return slot;
}

llvm::FunctionCallee FunctionLowering::runtime(const std::string& name) {
  llvm::FunctionType* t = runtime_signature(ctx_, name);
  DN_CHECK(t, name + " is not a runtime entry point (DN_RUNTIME_ENTRY_POINTS in runtime/abi.h)");
  llvm::FunctionCallee callee = module_.getOrInsertFunction(name, t);
  // What the ABI says of entry points that only read their arguments' memory: LLVM may then
  // compute a call once for a loop (a comparison of a str with a literal).
  if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
#define DN_MARK_READ_ONLY(fn)                                                     \
  if (name == #fn) {                                                              \
    f->setMemoryEffects(llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::Ref)); \
    f->setDoesNotThrow();                                                         \
    f->setWillReturn();                                                           \
  }
    DN_RUNTIME_READ_ONLY_ENTRY_POINTS(DN_MARK_READ_ONLY)
#undef DN_MARK_READ_ONLY
  }
  return callee;
}

llvm::FunctionCallee FunctionLowering::c_function(const std::string& name, llvm::Type* ret,
                                                  std::vector<llvm::Type*> params) {
  return module_.getOrInsertFunction(name, llvm::FunctionType::get(ret, params, false));
}

llvm::Value* FunctionLowering::cstring(const std::string& s) {
  return b_.CreateGlobalStringPtr(s, "msg", 0, &module_);
}

void FunctionLowering::error_if(llvm::Value* failed, int code, const std::string& message,
                                const std::vector<std::vector<llvm::Value*>>& shapes) {
  auto* err = llvm::BasicBlock::Create(ctx_, "error", llfn_);
  auto* cont = llvm::BasicBlock::Create(ctx_, "ok", llfn_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(failed, err, cont, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(err);
  raise_error(code, message, shapes);
  b_.SetInsertPoint(cont);
}

void FunctionLowering::raise_error(int code, const std::string& message,
                                   const std::vector<std::vector<llvm::Value*>>& shapes) {
  if (shapes.empty()) {
    auto set_error = runtime("dn_set_error_static");  // the message is a constant of the module
    b_.CreateCall(set_error, {b_.getInt32(code), cstring(message)});
  } else {
    // [count, ndim0, dims0..., ndim1, dims1...] on the stack of this (cold) block.
    std::vector<llvm::Value*> words{b_.getInt64(int64_t(shapes.size()))};
    for (const auto& shape : shapes) {
      words.push_back(b_.getInt64(int64_t(shape.size())));
      words.insert(words.end(), shape.begin(), shape.end());
    }
    llvm::Value* buf = b_.CreateAlloca(b_.getInt64Ty(), b_.getInt64(int64_t(words.size())));
    for (size_t k = 0; k < words.size(); ++k)
      b_.CreateStore(words[k], b_.CreateConstGEP1_64(b_.getInt64Ty(), buf, k));
    auto set_error = runtime("dn_set_error_shapes");
    b_.CreateCall(set_error, {b_.getInt32(code), cstring(message), buf});
  }
  fail_with(b_.getInt32(code));
}

// raise E(f"... {x:.3f} ..."): the values as 64-bit words with their kinds, formatted by
// the runtime (runtime/format.cpp) only when the raise happens.
void FunctionLowering::raise_with_values(const Instr* i, size_t first) {
  FormattedValues f = formatted_values(i, first);
  b_.CreateCall(runtime("dn_set_error_values"), {b_.getInt32(i->error_code), cstring(i->message), f.count, f.kinds, f.bits, f.specs});
  fail_with(b_.getInt32(i->error_code));
}

FunctionLowering::FormattedValues FunctionLowering::formatted_values(const Instr* i, size_t first) {
  size_t n = i->value_formats.size();
  // In the entry block: a print in a loop must not grow the stack on every iteration.
  uint64_t room = n ? n : 1;
  llvm::Value* kinds = entry_alloca(llvm::ArrayType::get(b_.getInt32Ty(), room), "formatted_kinds");
  llvm::Value* bits = entry_alloca(llvm::ArrayType::get(b_.getInt64Ty(), room), "formatted_bits");
  std::string specs;
  for (size_t k = 0; k < n; ++k) {
    const Instr* v = i->operands[first + k];
    const Type* t = v->type;
    llvm::Value* x = value(v);
    int kind;
    if (t->is_bool()) {
      kind = DN_FORMAT_BOOL;
      x = b_.CreateZExt(x, b_.getInt64Ty());
    } else if (t->is_int()) {
      kind = t->is_signed() ? DN_FORMAT_INT : DN_FORMAT_UINT;
      x = t->is_signed() ? b_.CreateSExt(x, b_.getInt64Ty()) : b_.CreateZExt(x, b_.getInt64Ty());
    } else if (t->kind() == TypeKind::String) {
      kind = DN_FORMAT_STR;
      x = b_.CreatePtrToInt(spill(x), b_.getInt64Ty());
    } else if (t->is_complex()) {
      kind = t->bits() == 64 ? DN_FORMAT_COMPLEX64 : DN_FORMAT_COMPLEX128;
      x = b_.CreatePtrToInt(spill(x), b_.getInt64Ty());
    } else if (t->kind() == TypeKind::Array) {
      kind = DN_FORMAT_ARRAY | dtype_code(t->dtype()) << 8 | t->ndim() << 16;
      x = b_.CreatePtrToInt(spill(x), b_.getInt64Ty());
    } else {
      DN_CHECK(t->is_float(), "a formatted value of type " + t->str());
      kind = t->bits() == 32 ? DN_FORMAT_FLOAT32 : DN_FORMAT_FLOAT64;
      x = b_.CreateBitCast(b_.CreateFPExt(x, b_.getDoubleTy()), b_.getInt64Ty());
    }
    b_.CreateStore(b_.getInt32(kind), b_.CreateConstGEP1_64(b_.getInt32Ty(), kinds, k));
    b_.CreateStore(x, b_.CreateConstGEP1_64(b_.getInt64Ty(), bits, k));
    specs += i->value_formats[k] + '\x1f';
  }
  return {b_.getInt64(int64_t(n)), kinds, bits, cstring(specs)};
}

void FunctionLowering::return_if_failed(llvm::Value* status) {
  auto* fail = llvm::BasicBlock::Create(ctx_, "failed", llfn_);
  auto* ok = llvm::BasicBlock::Create(ctx_, "ok", llfn_);
  llvm::MDBuilder md(ctx_);
  b_.CreateCondBr(b_.CreateICmpNE(status, b_.getInt32(0)), fail, ok, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(fail);
  fail_with(status);
  b_.SetInsertPoint(ok);
}

void FunctionLowering::fail_with(llvm::Value* status) {
  if (!block_ || !block_->unwind) {
    b_.CreateRet(status);
    return;
  }
  b_.CreateStore(status, caught_status());
  b_.CreateBr(blocks_.at(block_->unwind));
}

llvm::AllocaInst* FunctionLowering::caught_status() {
  if (!caught_status_) caught_status_ = entry_alloca(b_.getInt32Ty(), "caught_status");
  return caught_status_;
}

llvm::Value* FunctionLowering::constant(const ConstValue& c, const Type* t) {
  switch (t->kind()) {
    case TypeKind::Bool: return b_.getInt1(c.i != 0);
    case TypeKind::Int: {
      int64_t v = c.kind == ConstValue::Kind::Float ? int64_t(c.f) : c.i;
      return llvm::ConstantInt::get(reg(t), uint64_t(v), t->is_signed());
    }
    case TypeKind::Float: {
      double v = c.kind == ConstValue::Kind::Float ? c.f : double(c.i);
      return llvm::ConstantFP::get(reg(t), v);
    }
    case TypeKind::Complex: {
      auto* st = llvm::cast<llvm::StructType>(reg(t));
      double re = c.kind == ConstValue::Kind::Complex || c.kind == ConstValue::Kind::Float ? c.f : double(c.i);
      double im = c.kind == ConstValue::Kind::Complex ? c.imag : 0.0;
      return llvm::ConstantStruct::get(st, {llvm::ConstantFP::get(st->getElementType(0), re),
                                            llvm::ConstantFP::get(st->getElementType(1), im)});
    }
    case TypeKind::None: return b_.getInt8(0);
    case TypeKind::EnumMember: return constant(c, t->dtype());
    case TypeKind::String: return string_constant(c.s);
    case TypeKind::Tuple: {
      std::vector<llvm::Constant*> elems;
      for (size_t k = 0; k < c.items.size(); ++k)
        elems.push_back(llvm::cast<llvm::Constant>(constant(c.items[k], t->elements()[k])));
      return llvm::ConstantStruct::get(llvm::cast<llvm::StructType>(reg(t)), elems);
    }
    default: DN_CHECK(false, "constant of type " + t->str());
  }
  return nullptr;
}

// A str constant: its code points in the smallest kind that holds them (as CPython keeps
// the literal), in a private global.
llvm::Value* FunctionLowering::string_constant(const std::string& utf8) {
  std::vector<uint32_t> points = dn_runtime::code_points(utf8);
  uint32_t widest = 0;
  for (uint32_t p : points) widest = std::max(widest, p);
  int kind = widest < 0x100 ? 1 : widest < 0x10000 ? 2 : 4;
  std::string bytes;
  for (uint32_t p : points)
    for (int j = 0; j < kind; ++j) bytes += char((p >> (8 * j)) & 0xFF);  // little-endian, as the host
  auto* data = llvm::ConstantDataArray::getString(ctx_, bytes, true);
  auto* g = new llvm::GlobalVariable(module_, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data, "str");
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  auto* st = llvm::cast<llvm::StructType>(reg(t_string()));
  return llvm::ConstantStruct::get(st, {g, b_.getInt64(int64_t(points.size())), b_.getInt64(kind)});
}

llvm::Value* FunctionLowering::value(const Instr* i) {
  auto it = values_.find(i);
  DN_CHECK(it != values_.end(), "value used before it is lowered: " + print_instr(*i));
  return it->second;
}

void FunctionLowering::lower() {
  alloca_block_ = llvm::BasicBlock::Create(ctx_, "allocas", llfn_);
  for (auto& blk : fn_.blocks)
    blocks_[blk.get()] = llvm::BasicBlock::Create(ctx_, "bb" + std::to_string(blk->id), llfn_);
  b_.SetInsertPoint(alloca_block_);
  for (size_t k = 0; k < fn_.args.size(); ++k) values_[fn_.args[k]] = llfn_->getArg(unsigned(k + 1));

  // Phis first (empty), so that uses across back edges find them.
  for (auto& blk : fn_.blocks) {
    b_.SetInsertPoint(blocks_[blk.get()]);
    for (Instr* i : blk->instrs)
      if (i->op == Opcode::Phi && has_value(i->type))
        values_[i] = b_.CreatePHI(reg(i->type), unsigned(i->operands.size()));
  }
  // Undef values are zero (a variable read on a path where it was never assigned).
  for (auto& blk : fn_.blocks)
    for (Instr* i : blk->instrs)
      if (i->op == Opcode::Undef && i->type && has_value(i->type))
        values_[i] = llvm::Constant::getNullValue(reg(i->type));

  for (auto& blk : fn_.blocks) {
    b_.SetInsertPoint(blocks_[blk.get()]);
    block_ = blk.get();
    for (Instr* i : blk->instrs) lower_instr(i);
    exits_[blk.get()] = b_.GetInsertBlock();
  }
  block_ = nullptr;
  for (auto& blk : fn_.blocks)
    for (Instr* i : blk->instrs)
      if (i->op == Opcode::Phi && values_.count(i)) {
        auto* phi = llvm::cast<llvm::PHINode>(values_[i]);
        for (size_t k = 0; k < i->operands.size(); ++k)
          phi->addIncoming(value(i->operands[k]), exits_.at(i->blocks[k]));
      }
  b_.SetInsertPoint(alloca_block_);
  b_.CreateBr(blocks_[fn_.entry()]);
  if (fn_.resumes_generator) move_allocas_into_frame();
}

void FunctionLowering::lower_instr(const Instr* i) {
  // Array code arrives as loops (lower_array_loops): nothing is fused or elementwise here.
  DN_CHECK(!i->fused_into && !is_elementwise(i), "array expression not lowered to loops: " + print_instr(*i));
  // Lists arrive as list_header/list_data code (lower_lists).
  DN_CHECK(i->op != Opcode::BuildList, "list not lowered: " + print_instr(*i));
  // Dicts and sets arrive as runtime calls and entry accesses (lower_dicts).
  DN_CHECK(i->op != Opcode::BuildDict && i->op != Opcode::BuildSet && i->op != Opcode::DelItem,
           "dict or set not lowered: " + print_instr(*i));
  llvm::Value* v = nullptr;
  python_errors_ = i->checked;
  switch (i->op) {
    case Opcode::Arg:
    case Opcode::Phi:
    case Opcode::Undef:
    case Opcode::BuildList: return;
    case Opcode::Const:
      if (has_value(i->type)) v = constant(i->cval, i->type);
      break;
    case Opcode::Global:  // modules, functions, classes have no runtime value
      if (i->type && i->type->kind() == TypeKind::Array) v = frozen_array(i);
      break;
    case Opcode::GetAttr: v = has_value(i->type) ? get_attr(i) : nullptr; break;
    case Opcode::BinOp: v = binop(i); break;
    case Opcode::UnaryOp: v = unary(i); break;
    case Opcode::Compare: v = compare(i); break;
    case Opcode::Truth: v = truth(value(i->operands[0]), i->operands[0]->type); break;
    case Opcode::Cast:
      if (i->explicit_cast && i->checked && i->operands[0]->type->is_float() && i->type->is_int())
        check_float_to_int(value(i->operands[0]), i->type);
      // Python ints only (typing marks no other int conversion explicit; the parsed IR of
      // DUNNART_VERIFY_ROUNDTRIP may still carry the mark on an elementwise astype's cast).
      if (i->explicit_cast && i->operands[0]->type->is_int() && i->operands[0]->type->is_weak() && i->type->is_int())
        check_int_fits(value(i->operands[0]), i->operands[0]->type, i->type);
      v = cast(value(i->operands[0]), i->operands[0]->type, i->type);
      break;
    case Opcode::Call: v = call(i); break;
    case Opcode::GetItem: v = get_item(i); break;
    case Opcode::SetItem: set_item(i); return;
    case Opcode::BuildTuple: {
      if (!has_value(i->type)) break;  // a tuple of classes (isinstance): compile time only
      v = llvm::UndefValue::get(reg(i->type));
      for (unsigned k = 0; k < i->operands.size(); ++k)
        v = b_.CreateInsertValue(v, value(i->operands[k]), {k});
      break;
    }
    case Opcode::TupleGet: v = b_.CreateExtractValue(value(i->operands[0]), {unsigned(i->tuple_index)}); break;
    case Opcode::Part: v = b_.CreateExtractValue(value(i->operands[0]), {unsigned(i->dim)}); break;
    case Opcode::GetIter: v = get_iter(i); break;
    case Opcode::IterValid: v = iter_valid(i); break;
    case Opcode::IterNext: v = iter_next(i); break;
    case Opcode::CheckBound:
      error_if(b_.CreateNot(value(i->operands[0])), DN_UNBOUND_LOCAL_ERROR,
               "cannot access local variable '" + i->var + "' where it is not associated with a value");
      v = b_.getInt8(0);
      break;
    case Opcode::OptionalHas: v = b_.CreateExtractValue(value(i->operands[0]), {1}); break;
    case Opcode::OptionalValue: v = b_.CreateExtractValue(value(i->operands[0]), {0}); break;
    case Opcode::Unwrap:
      error_if(b_.CreateNot(b_.CreateExtractValue(value(i->operands[0]), {1})), i->error_code, i->message);
      v = b_.CreateExtractValue(value(i->operands[0]), {0});
      break;
    case Opcode::Br:
    case Opcode::EnterTry: b_.CreateBr(blocks_.at(i->blocks[0])); return;  // the landing: fail_with
    case Opcode::Caught:
      v = b_.CreateCall(runtime("dn_catch_error"), {b_.CreateLoad(b_.getInt32Ty(), caught_status())});
      break;
    case Opcode::Reraise: fail_with(b_.CreateCall(runtime("dn_reraise_error"), {value(i->operands[0])})); return;
    case Opcode::CondBr:
      b_.CreateCondBr(value(i->operands[0]), blocks_.at(i->blocks[0]), blocks_.at(i->blocks[1]));
      return;
    case Opcode::Return:
      if (!i->operands.empty() && fn_.return_type->kind() != TypeKind::None)
        b_.CreateStore(value(i->operands[0]), llfn_->getArg(0));
      b_.CreateRet(b_.getInt32(0));
      return;
    case Opcode::Raise: {
      std::vector<std::vector<llvm::Value*>> shapes;
      size_t k = 0;
      for (int rank : i->shape_ranks) {
        shapes.emplace_back();
        for (int d = 0; d < rank; ++d) shapes.back().push_back(value(i->operands[k++]));
      }
      if (!i->value_formats.empty()) {
        raise_with_values(i, k);
        return;
      }
      raise_error(i->error_code, i->message, shapes);
      return;
    }
    case Opcode::Format: {
      FormattedValues f = formatted_values(i, 0);
      llvm::Value* out = entry_alloca(reg(t_string()), "formatted");
      return_if_failed(b_.CreateCall(runtime("dn_format_str"), {out, cstring(i->message), f.count, f.kinds, f.bits, f.specs}));
      v = b_.CreateLoad(reg(t_string()), out);
      break;
    }
    case Opcode::Print: {
      FormattedValues f = formatted_values(i, 0);
      return_if_failed(b_.CreateCall(runtime("dn_print_values"), {cstring(i->message), f.count, f.kinds, f.bits, f.specs}));
      return;
    }
    case Opcode::ParallelFor: parallel_for(i); return;
    case Opcode::Release:
    case Opcode::Store: lower_memory(i); return;
    case Opcode::ArrayDim:
    case Opcode::ArrayStride:
    case Opcode::ArrayData:
    case Opcode::PtrOffset:
    case Opcode::Load:
    case Opcode::NewArray:
    case Opcode::CopyArray:
    case Opcode::Overlaps:
    case Opcode::View:
    case Opcode::StackSlot:
    case Opcode::CallRuntime:
    case Opcode::MakeComplex:
    case Opcode::ListHeader:
    case Opcode::ListData:
    case Opcode::AddressOf:
    case Opcode::StackTop:
    case Opcode::Select: v = lower_memory(i); break;
  }
  if (v) values_[i] = v;
}

// A prange body's entry for the runtime's threads, one per body: it unpacks the context
// struct parallel_for filled and calls the body by the jitted-function convention (the
// body has no other caller, so LLVM inlines it here).
// i32 <body>.parallel(ptr context, i64 lo, i64 hi, i64 block): DnParallelBody.
static llvm::Function* parallel_entry(llvm::Module& m, llvm::Function* body, llvm::StructType* context) {
  std::string name = body->getName().str() + ".parallel";
  if (llvm::Function* f = m.getFunction(name)) return f;
  llvm::LLVMContext& ctx = m.getContext();
  auto* ptr = llvm::PointerType::getUnqual(ctx);
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* fty = llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), {ptr, i64, i64, i64}, false);
  auto* f = llvm::Function::Create(fty, llvm::Function::InternalLinkage, name, m);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
  // The runtime's blocks: 0 <= lo < hi, which lets LLVM drop the wraparound of negative
  // indices at a rising induction variable (a[i] of prange(n)), as it does in a serial loop.
  b.CreateAssumption(b.CreateICmpSGE(f->getArg(1), b.getInt64(0)));
  b.CreateAssumption(b.CreateICmpSLT(f->getArg(1), f->getArg(2)));
  llvm::Value* out = b.CreateAlloca(b.getInt8Ty());  // the body returns none
  std::vector<llvm::Value*> args{out, f->getArg(1), f->getArg(2), f->getArg(3)};
  for (unsigned k = 0; k < context->getNumElements(); ++k)
    args.push_back(b.CreateLoad(context->getElementType(k), b.CreateStructGEP(context, f->getArg(0), k)));
  b.CreateRet(b.CreateCall(body, args));
  return f;
}

void FunctionLowering::parallel_for(const Instr* i) {
  llvm::Function* body = module_.getFunction(i->callee_key);
  DN_CHECK(body, "prange body not lowered: " + i->callee_key);
  std::vector<llvm::Type*> fields;
  std::vector<llvm::Value*> values;
  for (size_t k = 1; k < i->operands.size(); ++k) {
    llvm::Value* v = value(i->operands[k]);
    if (!v) v = b_.getInt8(0);  // no runtime form (as a jitted call passes it)
    fields.push_back(v->getType());
    values.push_back(v);
  }
  llvm::StructType* context = llvm::StructType::get(ctx_, fields);
  llvm::AllocaInst* slot = entry_alloca(context, "parallel_context");
  for (unsigned k = 0; k < values.size(); ++k) b_.CreateStore(values[k], b_.CreateStructGEP(context, slot, k));
  llvm::Function* entry = parallel_entry(module_, body, context);
  llvm::AllocaInst* blocks = entry_alloca(i64(), "parallel_blocks");
  return_if_failed(b_.CreateCall(runtime("dn_parallel_for"), {entry, slot, value(i->operands[0]), blocks}));
  values_[i] = b_.CreateLoad(i64(), blocks);
}

// The entry wrapper: unpacks the argument pointers the bindings pass, calls the function,
// and stores the result in memory layout.
static void build_entry_wrapper(llvm::Module& m, const Function& fn, llvm::Function* inner,
                                const std::string& symbol) {
  llvm::LLVMContext& ctx = m.getContext();
  auto* ptr = llvm::PointerType::getUnqual(ctx);
  auto* fty = llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), {ptr, ptr}, false);
  auto* w = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, symbol, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", w));
  llvm::Type* ret_reg = register_type(ctx, fn.return_type);
  llvm::Value* out = b.CreateAlloca(ret_reg ? ret_reg : b.getInt8Ty());
  std::vector<llvm::Value*> args{out};
  for (size_t k = 0; k < fn.args.size(); ++k) {
    const Type* t = fn.args[k]->type;
    llvm::Value* slot = b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, w->getArg(0), k));
    if (!has_value(t)) {
      args.push_back(b.getInt8(0));
      continue;
    }
    llvm::Value* mem = b.CreateLoad(memory_type(ctx, t), slot);
    args.push_back(FunctionLowering::from_memory(b, mem, t));
  }
  llvm::Value* status = b.CreateCall(inner, args);
  if (fn.return_type->kind() != TypeKind::None && ret_reg) {
    auto* ok = llvm::BasicBlock::Create(ctx, "ok", w);
    auto* fail = llvm::BasicBlock::Create(ctx, "fail", w);
    b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), ok, fail);
    b.SetInsertPoint(ok);
    llvm::Value* r = b.CreateLoad(ret_reg, out);
    b.CreateStore(FunctionLowering::to_memory(b, r, fn.return_type), w->getArg(1));
    b.CreateRet(b.getInt32(0));
    b.SetInsertPoint(fail);
  }
  b.CreateRet(status);
}

std::unique_ptr<llvm::Module> lower_to_llvm(const std::vector<const Function*>& functions,
                                            const CompileOptions& options, llvm::LLVMContext& ctx,
                                            const std::string& entry_symbol) {
  auto m = std::make_unique<llvm::Module>(entry_symbol, ctx);
  std::map<const Function*, llvm::Function*> fns;
  for (const Function* f : functions) {
    auto* llf = llvm::Function::Create(FunctionLowering::signature(ctx, *f),
                                       llvm::Function::InternalLinkage, f->name, *m);
    llf->addFnAttr(llvm::Attribute::NoUnwind);
    if (f->noinline) llf->addFnAttr(llvm::Attribute::NoInline);
    llf->addParamAttr(0, llvm::Attribute::NoAlias);
    llf->addParamAttr(0, llvm::Attribute::NoCapture);
    fns[f] = llf;
  }
  for (const Function* f : functions) FunctionLowering(options, *f, *m, fns[f]).lower();
  build_entry_wrapper(*m, *functions[0], fns[functions[0]], entry_symbol);
  std::string err;
  llvm::raw_string_ostream os(err);
  if (llvm::verifyModule(*m, &os)) {
    std::string text;
    llvm::raw_string_ostream ts(text);
    m->print(ts, nullptr);
    DN_CHECK(false, "LLVM verifier: " + err + "\n" + text);
  }
  return m;
}

}  // namespace dn
