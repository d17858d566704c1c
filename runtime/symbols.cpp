#include "runtime/symbols.h"

#include "runtime/abi.h"

namespace dn {

const RuntimeSymbol* runtime_symbols() {
  static const RuntimeSymbol table[] = {
#define DN_SYMBOL(name) {#name, reinterpret_cast<void*>(&name)},
      DN_RUNTIME_ENTRY_POINTS(DN_SYMBOL)
#undef DN_SYMBOL
      {nullptr, nullptr},
  };
  return table;
}

}  // namespace dn
