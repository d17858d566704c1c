// Stage dumps (DUNNART_DUMP=<stage>,... or all): the text of a stage printed to stderr under
// the header line `---- <stage>: <function> ----`, which a script can cut a dump at to feed
// single functions to dunnart-opt. Stages are pass names (build_ir, infer_types, ...) and
// the summary stages ir, typed, llvm, asm and timing.
#pragma once

#include <chrono>
#include <string>

#include "jit/ir/ir.h"
#include "jit/support/options.h"

namespace dn {

class StageDumps {
 public:
  explicit StageDumps(const CompileOptions& options) : options_(options) {}

  bool wants(const char* stage) const { return !options_.dump.empty() && options_.dumps(stage); }
  // `text` under `---- stage: function ----`, when `stage` is asked for.
  void text(const char* stage, const std::string& function, const std::string& text) const;
  // The IR of `f` after pass `stage`, headed by its Python name (its symbol when it has none).
  void ir(const char* stage, const Function& f) const;

 private:
  const CompileOptions& options_;
};

// DUNNART_DUMP=timing: milliseconds per stage, one line each.
class StageTimer {
 public:
  void lap(const char* stage);
  const std::string& text() const { return text_; }
  double seconds() const;

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
  std::string text_;
};

}  // namespace dn
