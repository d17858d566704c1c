// What type inference needs from the compilation around it, and nothing more: the Python
// side's answers (FunctionInfo of a jitted callee, attributes of user modules) and the
// return type of a jitted function it calls. Typing never builds or compiles a callee
// itself: it asks, and the driver types the callee as a unit of work of its own (see
// jit/driver/worklist.h), so that the pipeline stays in one place.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/frontend/function_info.h"
#include "jit/types/type.h"

namespace dn {

class CalleeTypes {
 public:
  virtual ~CalleeTypes() = default;
  // The return type of jitted function `info` typed for `args` (`key`: its symbol for
  // them), or null when that very function is being typed now (a recursive call). Throws
  // the callee's CompileError when it does not type.
  virtual const Type* return_type(const std::shared_ptr<const FunctionInfo>& info,
                                  const std::string& key, const std::vector<const Type*>& args) = 0;
  // A recursive function (`key`) being typed says what it returns so far, from the paths
  // that do not recurse (its base case): its recursive calls are then answered with that.
  virtual void set_tentative_return(const std::string& key, const Type* t) = 0;
};

// Either may be null (IR typed in tests): calls of jitted functions and attributes of user
// modules then do not type.
struct TypingContext {
  FunctionProvider* provider = nullptr;
  CalleeTypes* callees = nullptr;
};

// The FunctionInfo of the jitted function with dispatcher `handle` (or of an inner function:
// local_functions.h), or null when there is none.
std::shared_ptr<const FunctionInfo> jitted_function_info(const TypingContext& context, int64_t handle);

}  // namespace dn
