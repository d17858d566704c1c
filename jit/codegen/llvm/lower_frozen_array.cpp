// Lowering of frozen global arrays (GlobalValue::Kind::Array). The array's bytes become a
// private constant global of the module, so the object code carries them (a disk-cache
// hit in another process needs no pointer into this one), and the descriptor is a
// constant: null meminfo and parent (no owner to count), shape and C strides. Typing made
// the array read-only, so nothing writes to that memory.
#include "jit/codegen/llvm/lowering.h"

namespace dn {

llvm::Value* FunctionLowering::frozen_array(const Instr* i) {
  const GlobalValue& g = i->gval;
  const Type* t = i->type;
  DN_CHECK(g.data != nullptr, "frozen array without data: " + print_instr(*i));
  const std::string& bytes = *g.data;
  int64_t size = t->dtype()->itemsize();
  for (int64_t n : g.shape) size *= n;
  DN_CHECK(int64_t(bytes.size()) == size, "frozen array " + g.name + " holds " + std::to_string(bytes.size()) +
                                              " bytes, its shape needs " + std::to_string(size));
  // A zero-size array still gets a byte, so that its data pointer is a real address.
  llvm::StringRef raw = bytes.empty() ? llvm::StringRef("\0", 1) : llvm::StringRef(bytes);
  llvm::Constant* init = llvm::ConstantDataArray::getRaw(raw, raw.size(), b_.getInt8Ty());
  llvm::Value*& data = constant_memory_[init];
  if (!data) {
    auto* gv = new llvm::GlobalVariable(module_, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init,
                                        "frozen." + i->var);
    gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    gv->setAlignment(llvm::Align(64));  // vector loads, and every dtype's alignment
    data = gv;
  }
  std::vector<llvm::Constant*> shape, strides(g.shape.size());
  int64_t stride = t->dtype()->itemsize();
  for (size_t k = g.shape.size(); k-- > 0;) {
    strides[k] = b_.getInt64(stride);
    stride *= g.shape[k];
  }
  for (int64_t n : g.shape) shape.push_back(b_.getInt64(n));
  auto* st = llvm::cast<llvm::StructType>(reg(t));
  auto* dims_t = llvm::cast<llvm::ArrayType>(st->getElementType(3));
  auto* null = llvm::ConstantPointerNull::get(b_.getPtrTy());
  return llvm::ConstantStruct::get(st, {null, null, llvm::cast<llvm::Constant>(data),
                                        llvm::ConstantArray::get(dims_t, shape),
                                        llvm::ConstantArray::get(dims_t, strides)});
}

}  // namespace dn
