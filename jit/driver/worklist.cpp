#include "jit/driver/worklist.h"

#include <algorithm>

#include "jit/frontend/function_info.h"
#include "jit/support/diagnostics.h"
#include "jit/types/promotion.h"
#include "jit/typing/resolve.h"

namespace dn {

Function& Worklist::add_entry(std::unique_ptr<Function> f) {
  in_progress_.insert(f->name);
  typing_ = {f->name};
  functions_.insert(functions_.begin(), std::move(f));
  return *functions_.front();
}

void Worklist::finish_entry() {
  Function* entry = functions_.front().get();
  in_progress_.erase(entry->name);
  typing_.clear();
  entry->recursive = recursive_.count(entry->name) > 0;
  typed_[entry->name] = entry;  // a callee typed again below finds it
  settle(entry->name);
}

void Worklist::restart() {
  functions_.clear();
  infos_.clear();
  typed_.clear();
  in_progress_.clear();
  tentative_.clear();
  typing_.clear();
  provisional_.clear();
  saw_.clear();
}

// What a provisional callee's callers are told it returns: wider, if it once came out so.
const Type* Worklist::hand_out(const std::string& key, const Type* t) const {
  auto w = widened_.find(key);
  if (w == widened_.end() || !t) return t;
  const Type* u = unify(t, w->second);
  return u ? u : t;
}

const Type* Worklist::return_type(const std::shared_ptr<const FunctionInfo>& info,
                                  const std::string& key, const std::vector<const Type*>& args) {
  if (auto it = typed_.find(key); it != typed_.end()) return it->second->return_type;
  if (in_progress_.count(key)) {
    auto t = tentative_.find(key);
    const Type* so_far = t == tentative_.end() ? nullptr : t->second;
    if (!typing_.empty() && typing_.back() != key) {
      // f calls g calls f: g, and every function between, goes on with f's type so far.
      auto at = std::find(typing_.begin(), typing_.end(), key);
      for (auto k = at; k != typing_.end(); ++k) {
        recursive_.insert(*k);
        if (k != at) saw_[*k][key] = so_far;
      }
    }
    return so_far;
  }
  if (auto p = provisional_.find(key); p != provisional_.end() && !p->second.typed)
    return p->second.handed_out;
  return type_callee(info, key, args);
}

const Type* Worklist::type_callee(const std::shared_ptr<const FunctionInfo>& info,
                                  const std::string& key, const std::vector<const Type*>& args) {
  infos_.push_back(info);
  std::unique_ptr<Function> fn = build_(*info, key);
  Function* raw = fn.get();
  functions_.push_back(std::move(fn));
  in_progress_.insert(key);
  typing_.push_back(key);
  tentative_.erase(key);
  saw_.erase(key);
  auto abandon = [&] {
    typing_.pop_back();
    in_progress_.erase(key);
    functions_.erase(std::find_if(functions_.begin(), functions_.end(),
                                  [&](auto& f) { return f.get() == raw; }));
  };
  try {
    type_(*raw, args);
  } catch (const CycleWidened&) {
    abandon();
    throw;
  } catch (...) {
    abandon();
    // It called a function being typed that did not know its type yet: that function's
    // own base case may type it, and then this one. Its own base case's type, if any, is
    // what it returns for now.
    auto s = saw_.find(key);
    if (s == saw_.end() ||
        std::none_of(s->second.begin(), s->second.end(), [](auto& kv) { return kv.second == nullptr; }))
      throw;
    auto t = tentative_.find(key);
    const Type* base = hand_out(key, t == tentative_.end() ? nullptr : t->second);
    if (base) provisional_[key] = {info, args, std::move(s->second), base, false};
    saw_.erase(key);
    return base;
  }
  typing_.pop_back();
  in_progress_.erase(key);
  raw->recursive = recursive_.count(key) > 0;
  typed_[key] = raw;
  const Type* result = raw->return_type;
  if (auto s = saw_.find(key); s != saw_.end()) {
    result = hand_out(key, result);
    provisional_[key] = {info, args, std::move(s->second), result, true};
    saw_.erase(s);
  }
  settle(key);
  return result;
}

void Worklist::drop(const std::string& key) {
  auto it = typed_.find(key);
  if (it == typed_.end()) return;
  Function* raw = it->second;
  typed_.erase(it);
  functions_.erase(std::find_if(functions_.begin(), functions_.end(),
                                [&](auto& f) { return f.get() == raw; }));
}

void Worklist::settle(const std::string& key) {
  const Type* final_type = typed_.at(key)->return_type;
  std::vector<std::string> stale;
  for (auto it = provisional_.begin(); it != provisional_.end();) {
    Provisional& p = it->second;
    auto s = p.saw.find(key);
    if (s != p.saw.end()) {
      if (!p.typed || s->second != final_type || p.handed_out != typed_.at(it->first)->return_type)
        stale.push_back(it->first);
      else p.saw.erase(s);
    }
    it = p.typed && p.saw.empty() ? provisional_.erase(it) : std::next(it);
  }
  // Typed again, with `key`'s type known: it must return what its callers were told.
  for (const std::string& k : stale) {
    Provisional p = std::move(provisional_.at(k));
    provisional_.erase(k);
    drop(k);
    const Type* now = type_callee(p.info, k, p.args);
    if (now == p.handed_out) continue;
    const Type* wider = now && p.handed_out ? unify(now, p.handed_out) : nullptr;
    if (wider && wider != p.handed_out) {
      widened_[k] = wider;
      throw CycleWidened{};
    }
    report(ErrorKind::Typing, p.info.get(), {},
             "cannot settle what the mutually recursive functions " + p.info->qualname + "() and " +
                 typed_.at(key)->info->qualname + "() return: " + p.info->qualname + "() returns " +
                 (now ? now->str() : std::string("nothing")) + " once " + typed_.at(key)->info->qualname +
                 "() is typed, but " + (p.handed_out ? p.handed_out->str() : std::string("nothing")) +
                 " before",
             "make the base cases return values of the result's type (0.0 rather than 0)");
  }
}

std::vector<Function*> Worklist::functions() const {
  std::vector<Function*> out;
  for (auto& f : functions_) out.push_back(f.get());
  return out;
}

}  // namespace dn
