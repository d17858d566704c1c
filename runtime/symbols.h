// The table of runtime functions generated code may call, by symbol name. The JIT engine
// defines exactly these symbols in every compiled module's namespace.
#pragma once

namespace dn {

struct RuntimeSymbol {
  const char* name;
  void* address;
};

// Null-terminated.
const RuntimeSymbol* runtime_symbols();

}  // namespace dn
