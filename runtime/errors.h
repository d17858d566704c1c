// Inside the runtime: an error recorded on one thread handed to another (a parallel
// loop's worker raised; the thread that started the loop reports it).
#pragma once

#include <cstdint>
#include <string>

namespace dn_runtime {

struct PendingError {
  int32_t code = 0;  // DN_OK: none
  std::string message;
  bool repr = false;
};

// This thread's error, taken out of its record (which is then clear).
PendingError take_error();
// Records `e` as this thread's error (unless one is already recorded: the first wins).
void restore_error(const PendingError& e);

}  // namespace dn_runtime
