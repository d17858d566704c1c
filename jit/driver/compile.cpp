#include "jit/driver/compile.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "jit/codegen/llvm/codegen.h"
#include "jit/engine/engine.h"
#include "jit/frontend/build_ir.h"
#include "jit/ir/parser.h"
#include "jit/transforms/free_temporaries.h"
#include "jit/transforms/fuse_array_exprs.h"
#include "jit/typing/infer.h"

namespace dn {

static void dump(const CompileOptions& o, const char* stage, const std::string& name,
                 const std::string& text) {
  if (!o.dumps(stage)) return;
  std::fprintf(stderr, "---- %s: %s ----\n%s\n", stage, name.c_str(), text.c_str());
}

// DUNNART_VERIFY_ROUNDTRIP=1 (a debug option, read once): after each stage, the IR's text
// must parse back to IR that verifies and prints the same text. Off, it costs nothing.
static bool verify_round_trip_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("DUNNART_VERIFY_ROUNDTRIP");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

static void check_round_trip(const Function& f, const char* stage, bool typed) {
  std::string text = print_function(f);
  std::string again;
  try {
    auto parsed = parse_function(text);
    verify_function(*parsed, std::string(stage) + " (parsed back)", typed);
    again = print_function(*parsed);
  } catch (const IRParseError& e) {
    internal_error(__FILE__, __LINE__,
                   "IR text after " + std::string(stage) + " does not parse: " + e.what() + "\n" + text);
  }
  if (again == text) return;
  size_t line = 1, k = 0;
  for (; k < text.size() && k < again.size() && text[k] == again[k]; ++k) line += text[k] == '\n';
  internal_error(__FILE__, __LINE__,
                 "IR text after " + std::string(stage) + " does not round-trip (first difference on line " +
                     std::to_string(line) + ")\n---- printed ----\n" + text + "---- parsed and printed again ----\n" +
                     again);
}

// The verifier after every pass; the round-trip check with it when asked for.
static void checkpoint(const Function& f, const char* stage, bool typed) {
  verify_function(f, stage, typed);
  if (verify_round_trip_enabled()) check_round_trip(f, stage, typed);
}

static std::string module_text(const llvm::Module& m) {
  std::string s;
  llvm::raw_string_ostream os(s);
  m.print(os, nullptr);
  return s;
}

std::shared_ptr<CompiledFunction> compile_function(const FunctionInfo& info,
                                                   const std::vector<const Type*>& arg_types,
                                                   const Type* declared_return,
                                                   const CompileOptions& options,
                                                   FunctionProvider* provider,
                                                   bool want_object) {
  auto start = std::chrono::steady_clock::now();
  std::string timing;  // DUNNART_DUMP=timing: milliseconds per stage
  auto lap = [&, last = start](const char* stage) mutable {
    auto now = std::chrono::steady_clock::now();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-10s %7.2f ms\n", stage, std::chrono::duration<double, std::milli>(now - last).count());
    timing += buf;
    last = now;
  };
  auto result = std::make_shared<CompiledFunction>();

  CompileUnit unit;
  unit.provider = provider;
  unit.options = options;
  std::unique_ptr<Function> fn = build_ir(info);
  checkpoint(*fn, "build_ir", false);
  dump(options, "ir", info.qualname, print_function(*fn));

  fn->name = function_symbol(info, arg_types);
  Function* entry = fn.get();
  unit.functions.push_back(std::move(fn));
  unit.in_progress.insert(entry->name);
  infer_types(unit, *entry, arg_types, declared_return);
  // DUNNART_DUMP=<pass> prints the IR after that pass (the input of the next one's goldens).
  std::string after_typing, after_fusion;
  for (auto& f : unit.functions) {
    f->recompute_preds();
    checkpoint(*f, "infer_types", true);
    if (options.dumps("infer_types")) after_typing += print_function(*f);
    fuse_array_exprs(*f);
    checkpoint(*f, "fuse_array_exprs", true);
    if (options.dumps("fuse_array_exprs")) after_fusion += print_function(*f);
    free_temporaries(*f);
    checkpoint(*f, "free_temporaries", true);
    result->typed_ir += print_function(*f);
  }
  dump(options, "infer_types", info.qualname, after_typing);
  dump(options, "fuse_array_exprs", info.qualname, after_fusion);
  dump(options, "free_temporaries", info.qualname, result->typed_ir);
  dump(options, "typed", info.qualname, result->typed_ir);
  lap("frontend");

  static std::atomic<int64_t> counter{0};
  std::string symbol = "dn_entry_" + std::to_string(counter++);
  auto ctx = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module = lower_to_llvm(unit, *ctx, symbol);
  lap("lower");
  Engine& engine = Engine::get();
  lap("engine");
  engine.optimize(*module, options.fastmath);
  lap("optimize");
  result->llvm_ir = module_text(*module);
  lap("print IR");
  dump(options, "llvm", info.qualname, result->llvm_ir);
  if (options.dumps("asm")) {
    result->assembly = engine.assembly(*module);
    dump(options, "asm", info.qualname, result->assembly);
  }
  result->entry = reinterpret_cast<EntryPoint>(
      engine.add_module(std::move(module), std::move(ctx), symbol, want_object ? &result->object_code : nullptr));
  lap("codegen");
  dump(options, "timing", info.qualname, timing);
  result->symbol = symbol;
  result->arg_types = arg_types;
  result->return_type = entry->return_type;
  result->compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::shared_ptr<CompiledFunction> load_object(const std::string& object_code, const std::string& symbol,
                                              const std::vector<const Type*>& arg_types,
                                              const Type* return_type) {
  auto result = std::make_shared<CompiledFunction>();
  result->entry = reinterpret_cast<EntryPoint>(Engine::get().add_object(object_code, symbol));
  result->arg_types = arg_types;
  result->return_type = return_type;
  result->symbol = symbol;
  return result;
}

}  // namespace dn
