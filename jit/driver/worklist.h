// The functions of one compilation, as a worklist: the entry function, then every jitted
// function it calls (directly or not), each typed for the argument types of its call.
//
// Typing a call asks the worklist for the callee's return type (CalleeTypes). The worklist
// types the callee then, as a unit of work of its own through the driver's typing stage
// (the caller cannot go on without the type), and keeps it for the passes after typing,
// which the driver runs over the whole list. A callee asked for while it is being typed is
// a recursive call: answered with the return type it has said so far (null before it has
// one; typing reports a recursion it cannot type). A callee that fails to type leaves
// the list as it was: inference may ask again once its argument types have widened.
//
// Mutual recursion (f calls g calls f): g is typed while f is, with f's return type so far.
// g is then provisional: once f is typed, g is typed again if f's type differs from what g
// saw, and must come out as it did for f. A g that cannot type before f says what it returns
// hands f the return type of its own base case (if it has one, else nothing: f's base case
// then types f, and f asks again). A g that comes out wider than f was told makes the
// compilation start again (CycleWidened), with g handing out the wider type from the start:
// types only widen, so this ends.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "jit/ir/ir.h"
#include "jit/typing/typing_context.h"

namespace dn {

class Worklist : public CalleeTypes {
 public:
  // Builds the IR of a callee (named `key`) and types it for `args`: the driver's stages.
  using BuildStage =
      std::function<std::unique_ptr<Function>(const FunctionInfo&, const std::string& key)>;
  using TypeStage = std::function<void(Function&, const std::vector<const Type*>& args)>;

  Worklist(BuildStage build, TypeStage type) : build_(std::move(build)), type_(std::move(type)) {}

  // The entry function: first in the list, being typed until finish_entry().
  Function& add_entry(std::unique_ptr<Function> f);
  void finish_entry();

  // Thrown when a cycle's types widened: the driver calls restart() and types the entry again.
  struct CycleWidened {};
  void restart();

  const Type* return_type(const std::shared_ptr<const FunctionInfo>& info, const std::string& key,
                          const std::vector<const Type*>& args) override;
  void set_tentative_return(const std::string& key, const Type* t) override { tentative_[key] = t; }

  // A function made by a pass (outline_array_statements), compiled with the others.
  Function& adopt(std::unique_ptr<Function> f) {
    functions_.push_back(std::move(f));
    return *functions_.back();
  }

  // In the order their typing started (then the adopted ones); [0] is the entry.
  std::vector<Function*> functions() const;

 private:
  BuildStage build_;
  TypeStage type_;
  std::vector<std::unique_ptr<Function>> functions_;
  std::vector<std::shared_ptr<const FunctionInfo>> infos_;  // callees' Functions point into them
  std::map<std::string, Function*> typed_;                  // callee key -> typed function
  std::set<std::string> in_progress_;                       // keys being typed now
  std::map<std::string, const Type*> tentative_;            // their return types so far
  std::vector<std::string> typing_;                         // the keys being typed, innermost last

  // A callee typed (or not) with the return types so far of functions still being typed.
  struct Provisional {
    std::shared_ptr<const FunctionInfo> info;
    std::vector<const Type*> args;
    std::map<std::string, const Type*> saw;  // in-progress function -> its type when asked
    const Type* handed_out = nullptr;        // what its callers were told it returns
    bool typed = false;                      // false: failed, its base case's type handed out
  };
  std::map<std::string, Provisional> provisional_;
  std::map<std::string, std::map<std::string, const Type*>> saw_;  // while being typed
  std::set<std::string> recursive_;  // in a cycle of calls through other functions
  std::map<std::string, const Type*> widened_;  // kept by restart(): what it came out as

  const Type* hand_out(const std::string& key, const Type* t) const;
  const Type* type_callee(const std::shared_ptr<const FunctionInfo>& info, const std::string& key,
                          const std::vector<const Type*>& args);
  void drop(const std::string& key);
  // `key` is typed: the provisional callees that saw its type so far are checked (again).
  void settle(const std::string& key);
};

}  // namespace dn
