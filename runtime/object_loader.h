// dunnart's own loader for the relocatable objects LLVM emitted for compiled functions (the
// disk cache): maps, relocates and protects one x86-64 ELF object without LLVM, so a cache
// hit does not load libLLVM. It handles the sections and relocations PIC, small-code-model
// code uses and refuses anything else with a reason.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace dn {

// Code and data of one relocatable object, mapped and relocated; unmapped on destruction.
class LoadedObject {
 public:
  // Address of a defined global symbol, or nullptr.
  void* symbol(const std::string& name) const;
  ~LoadedObject();

  LoadedObject(const LoadedObject&) = delete;
  LoadedObject& operator=(const LoadedObject&) = delete;

 private:
  friend class ObjectFileLoader;  // object_loader.cpp
  LoadedObject() = default;
  void* base_ = nullptr;  // one mapping: executable, read-only and writable page groups
  size_t size_ = 0;
  std::unordered_map<std::string, void*> symbols_;
};

// True where load_object_file can load objects (x86-64 ELF hosts); elsewhere callers use LLVM.
bool native_object_loader_available();

// Maps, relocates and protects the object. On anything it does not understand (not ELF64
// x86-64 REL, an unsupported relocation, an undefined symbol it cannot resolve, a truncated
// or corrupt file) it returns nullptr and sets *error to a one-line reason; it never reads
// outside [data, data + size). Undefined symbols resolve against runtime_symbols(), then
// the process, then libm.so.6 and libmvec.so.1. Safe to call from several threads.
// `stub_every_call` sends every external call through a stub, not only those farther
// than ±2 GiB (which ones are far depends on where mmap puts the code; tests use it).
std::unique_ptr<LoadedObject> load_object_file(const char* data, size_t size, std::string* error,
                                               bool stub_every_call = false);

}  // namespace dn
