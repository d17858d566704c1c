#include "jit/driver/worklist.h"

#include <algorithm>

#include "jit/typing/resolve.h"

namespace dn {

Function& Worklist::add_entry(std::unique_ptr<Function> f) {
  in_progress_.insert(f->name);
  typing_ = {f->name};
  functions_.insert(functions_.begin(), std::move(f));
  return *functions_.front();
}

const Type* Worklist::return_type(const std::shared_ptr<const FunctionInfo>& info,
                                  const std::string& key, const std::vector<const Type*>& args) {
  if (auto it = typed_.find(key); it != typed_.end()) return it->second->return_type;
  if (in_progress_.count(key)) {
    // A function calling one that is typing it (f calls g calls f): refused, until typing
    // can settle two functions' return types together.
    if (!typing_.empty() && typing_.back() != key)
      throw TypeRuleError{"mutual recursion (" + info->qualname + "() and the function it calls) is not supported yet",
                          "make one of them call itself instead, or pass the work through a loop", true};
    auto t = tentative_.find(key);
    return t == tentative_.end() ? nullptr : t->second;
  }
  infos_.push_back(info);
  std::unique_ptr<Function> fn = build_(*info, key);
  Function* raw = fn.get();
  functions_.push_back(std::move(fn));
  in_progress_.insert(key);
  typing_.push_back(key);
  try {
    type_(*raw, args);
  } catch (...) {
    typing_.pop_back();
    in_progress_.erase(key);
    functions_.erase(std::find_if(functions_.begin(), functions_.end(),
                                  [&](auto& f) { return f.get() == raw; }));
    throw;
  }
  typing_.pop_back();
  in_progress_.erase(key);
  typed_[key] = raw;
  return raw->return_type;
}

std::vector<Function*> Worklist::functions() const {
  std::vector<Function*> out;
  for (auto& f : functions_) out.push_back(f.get());
  return out;
}

}  // namespace dn
