#include "jit/frontend/local_functions.h"

#include <mutex>

#include "jit/ir/printer.h"
#include <vector>

namespace dn {
namespace {

struct Registry {
  std::mutex mutex;
  // Keyed by the nested info's address and its bindings; `originals` keeps each info alive,
  // so that its address is never reused for another one.
  std::map<std::pair<const FunctionInfo*, std::string>, int64_t> handles;
  std::vector<std::shared_ptr<const FunctionInfo>> originals;
  std::vector<std::shared_ptr<const FunctionInfo>> by_handle;  // index -handle - 1
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: compiles may run at exit
  return *r;
}

std::string binding_key(const LocalBinding& binding) {
  std::string key;
  for (auto& [name, b] : binding.bound) key += name + "=" + std::to_string(b.handle) + "/" + std::to_string(b.params.size()) + ";";
  for (auto& [name, d] : binding.defaults) key += name + ":" + const_text(d.value) + ";";
  return key + binding.iterable_call + "/" + std::to_string(binding.iterable_args) + "/" + binding.consumer;
}

// `nested` with its bound captured variables replaced by the parameters that carry what
// their functions capture, its defaults, and a comprehension's iterable call rebuilt.
std::shared_ptr<FunctionInfo> specialize(const FunctionInfo& nested, const LocalBinding& binding) {
  auto copy = std::make_shared<FunctionInfo>(nested);
  copy->defaults.insert(binding.defaults.begin(), binding.defaults.end());
  if (!binding.consumer.empty()) copy->consumer = binding.consumer;
  if (!binding.iterable_call.empty()) {
    std::vector<std::string> parts{".0"};
    for (int k = 1; k < binding.iterable_args; ++k) parts.push_back(".0." + std::to_string(k));
    copy->varnames.insert(copy->varnames.begin() + 1, parts.begin() + 1, parts.end());
    copy->argcount += binding.iterable_args - 1;
    copy->iterable_call = binding.iterable_call;
    copy->iterable_args = binding.iterable_args;
  }
  const auto& bound = binding.bound;
  if (bound.empty()) return copy;
  const FunctionInfo& from = *copy;
  int own = from.argcount - int(from.captured.size());
  std::vector<std::string> params;
  std::vector<std::string> captured = from.captured, old_varnames = from.varnames;
  int old_argcount = from.argcount;
  for (const std::string& c : captured) {
    auto it = bound.find(c);
    if (it == bound.end()) {
      params.push_back(c);
      continue;
    }
    BoundFunction b = it->second;
    for (std::string& p : b.params) params.push_back(p = c + "." + p);
    copy->bound[c] = b;
  }
  std::vector<std::string> varnames(old_varnames.begin(), old_varnames.begin() + own);
  varnames.insert(varnames.end(), params.begin(), params.end());
  varnames.insert(varnames.end(), old_varnames.begin() + old_argcount, old_varnames.end());
  copy->varnames = std::move(varnames);
  copy->captured = params;
  copy->argcount = own + int(params.size());
  return copy;
}

}  // namespace

int64_t local_function_handle(const std::shared_ptr<const FunctionInfo>& nested, const LocalBinding& binding) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto key = std::make_pair(nested.get(), binding_key(binding));
  auto it = r.handles.find(key);
  if (it != r.handles.end()) return it->second;
  int64_t handle = -int64_t(r.by_handle.size()) - 1;
  auto copy = specialize(*nested, binding);
  copy->handle = handle;  // its symbols differ from those of its enclosing function
  r.by_handle.push_back(std::move(copy));
  r.originals.push_back(nested);
  r.handles[key] = handle;
  return handle;
}

std::shared_ptr<const FunctionInfo> local_function(int64_t handle) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  size_t index = size_t(-(handle + 1));
  if (handle >= 0 || index >= r.by_handle.size()) return nullptr;
  return r.by_handle[index];
}

}  // namespace dn
