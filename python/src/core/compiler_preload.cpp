#include "compiler_preload.h"

#include <dlfcn.h>

#include <mutex>
#include <thread>

namespace dn {

namespace {
std::mutex mu;
std::thread loader;
bool started = false;
}  // namespace

void start_compiler_preload(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu);
  if (started) return;
  started = true;
  // RTLD_NOW | RTLD_LOCAL, the flags CPython imports extension modules with, so that its
  // later dlopen of the same file returns this handle. The handle is never closed.
  loader = std::thread([path] {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    // Then start the engine and compile once (dunnart_compiler_warm_up in _compiler), so
    // that the first compile finds LLVM initialised and paged in.
    if (auto warm_up = reinterpret_cast<void (*)()>(dlsym(handle, "dunnart_compiler_warm_up"))) warm_up();
  });
}

void wait_compiler_preload() {
  std::lock_guard<std::mutex> lock(mu);
  if (loader.joinable()) loader.join();
}

}  // namespace dn
