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
  void finish_entry() {
    in_progress_.erase(functions_.front()->name);
    typing_.clear();
  }

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
};

}  // namespace dn
