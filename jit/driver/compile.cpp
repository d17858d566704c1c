#include "jit/driver/compile.h"

#include <atomic>

#include "jit/analysis/verifier.h"
#include "jit/codegen/backend.h"
#include "jit/driver/dump.h"
#include "jit/driver/round_trip.h"
#include "jit/driver/worklist.h"
#include "jit/engine/engine.h"
#include "jit/frontend/function_info.h"
#include "jit/support/diagnostics.h"
#include "jit/frontend/build_ir.h"
#include "jit/transforms/apply_error_model.h"
#include "jit/transforms/free_temporaries.h"
#include "jit/transforms/fuse_array_exprs.h"
#include "jit/transforms/lower_array_loops.h"
#include "jit/transforms/lower_iterators.h"
#include "jit/transforms/guard_recursion.h"
#include "jit/transforms/lower_dicts.h"
#include "jit/transforms/lower_generators.h"
#include "jit/transforms/lower_ranges.h"
#include "jit/transforms/lower_strings.h"
#include "jit/transforms/lower_lists.h"
#include "jit/transforms/reserve_list_appends.h"
#include "jit/transforms/outline_array_statements.h"
#include "jit/transforms/outline_parallel_loops.h"
#include "jit/transforms/parallelize_array_statements.h"
#include "jit/transforms/reduce_powers.h"
#include "jit/typing/infer.h"

namespace dn {
namespace {

std::string python_name(const Function& f) {
  return f.info ? f.info->qualname : f.name;
}

// One compilation: its options, dumps and timings, and the worklist of its functions.
class Pipeline {
 public:
  Pipeline(const CompileOptions& options, FunctionProvider* provider)
      : options_(options),
        dumps_(options),
        worklist_(
            [this](const FunctionInfo& info, const std::string& key) {
              std::unique_ptr<Function> f = build(info);
              f->name = key;
              return f;
            },
            [this](Function& f, const std::vector<const Type*>& args) { type(f, args, nullptr); }) {
    typing_.provider = provider;
    typing_.callees = &worklist_;
  }

  StageTimer& timer() { return timer_; }
  const StageDumps& dumps() const { return dumps_; }

  // Bytecode -> IR.
  std::unique_ptr<Function> build(const FunctionInfo& info) {
    std::unique_ptr<Function> f = build_ir(info);
    after("build_ir", *f, false);
    return f;
  }

  // IR -> typed IR. Through the worklist, this types each jitted function f calls, first.
  void type(Function& f, const std::vector<const Type*>& args, const Type* declared_return) {
    infer_types(f, args, declared_return, typing_);
    after("infer_types", f, true);
  }

  std::shared_ptr<CompiledFunction> compile(std::unique_ptr<Function> entry_ir,
                                            const std::vector<const Type*>& arg_types,
                                            const Type* declared_return, bool want_object) {
    auto result = std::make_shared<CompiledFunction>();
    Function* typed_entry = nullptr;
    for (;;) {
      const std::string name = entry_ir->name;
      const FunctionInfo* info = entry_ir->info;
      typed_entry = &worklist_.add_entry(std::move(entry_ir));
      try {
        type(*typed_entry, arg_types, declared_return);
        worklist_.finish_entry();
        break;
      } catch (const Worklist::CycleWidened&) {
        // Mutual recursion whose types widened: typed again from the start, knowing it.
        worklist_.restart();
        entry_ir = build(*info);
        entry_ir->name = name;
      }
    }
    Function& entry = *typed_entry;
    if (is_generator(entry.return_type))
      for (const Type* t : arg_types)
        if (t->kind() == TypeKind::List || t->kind() == TypeKind::Dict || t->kind() == TypeKind::Set)
          report(ErrorKind::Unsupported, entry.info, {},
                 "Unsupported Python construct: a jitted generator called from Python with a " + t->str() +
                     " argument (it is copied in for each step)",
                 "pass a NumPy array or a tuple, or iterate the generator inside a jitted function");

    std::vector<Function*> functions = worklist_.functions();
    std::vector<Function*> outlined;
    // prange bodies, cut out first, go through the same passes (a body is never cut again:
    // a prange inside one runs serially).
    const size_t typed_functions = functions.size();
    auto keep_notes = [&](const Function& f, const std::vector<std::string>& notes) {
      for (const std::string& n : notes) result->parallel_notes.push_back((f.info ? f.info->qualname : f.name) + ": " + n);
    };
    // The functions a pass cut out of f, adopted into `into` (to go through the passes
    // after it), and f after the pass; true when it cut any.
    auto adopt_cut = [&](const char* pass, Function& f, std::vector<std::unique_ptr<Function>> cut,
                         std::vector<Function*>& into) {
      for (std::unique_ptr<Function>& g : cut) {
        into.push_back(&worklist_.adopt(std::move(g)));
        after(pass, *into.back(), true);
      }
      after(pass, f, true, !cut.empty());
      return !cut.empty();
    };
    for (size_t k = 0; k < functions.size(); ++k) {
      Function* f = functions[k];
      if (options_.parallel && k < typed_functions) {
        std::vector<std::string> notes;
        ParallelLoopOptions loops;
        loops.boundscheck = options_.boundscheck;
        auto bodies = outline_parallel_loops(*f, loops, &notes, &result->parallel_warnings);
        keep_notes(*f, notes);
        if (adopt_cut("outline_parallel_loops", *f, std::move(bodies), functions)) result->runs_parallel_loops = true;
      }
      after("lower_iterators", *f, true, lower_iterators(*f));
      after("reserve_list_appends", *f, true, reserve_list_appends(*f));
      after("lower_lists", *f, true, lower_lists(*f));
      after("lower_dicts", *f, true, lower_dicts(*f));
      after("lower_strings", *f, true, lower_strings(*f));
      after("lower_ranges", *f, true, lower_ranges(*f));
      after("lower_generators", *f, true, lower_generators(*f));
      after("guard_recursion", *f, true, guard_recursion(*f));
      fuse_array_exprs(*f);
      after("fuse_array_exprs", *f, true);
      apply_error_model(*f, options_.error_model);
      after("apply_error_model", *f, true, false);  // attributes only
      free_temporaries(*f);
      after("free_temporaries", *f, true);
      if (options_.parallel) {
        std::vector<std::string> notes;
        auto blocks = parallelize_array_statements(*f, &notes);
        keep_notes(*f, notes);
        if (adopt_cut("parallelize_array_statements", *f, std::move(blocks), outlined))
          result->runs_parallel_loops = true;
      }
      adopt_cut("outline_array_statements", *f, outline_array_statements(*f), outlined);
    }
    functions.insert(functions.end(), outlined.begin(), outlined.end());
    for (Function* f : functions) {
      result->typed_ir += print_function(*f);
      bool lowered = lower_array_loops(*f);
      if (lowered) verify_loops(*f, "lower_array_loops");
      after("lower_array_loops", *f, true, lowered);
      after("reduce_powers", *f, true, reduce_powers(*f));
    }
    const std::string name = python_name(entry);
    dumps_.text("typed", name, result->typed_ir);
    if (options_.parallel) {
      std::string notes;
      for (const std::string& n : result->parallel_notes) notes += n + "\n";
      dumps_.text("parallel", name, notes.empty() ? "no prange loops\n" : notes);
    }
    timer_.lap("frontend");

    static std::atomic<int64_t> counter{0};
    std::string symbol = "dn_entry_" + std::to_string(counter++);
    BackendHooks hooks{[this](const char* stage) { return dumps_.wants(stage); },
                       [this, &name](const char* stage, const std::string& text) { dumps_.text(stage, name, text); },
                       [this](const char* stage) { timer_.lap(stage); }};
    GeneratedCode code = backend_->generate({functions.begin(), functions.end()}, options_, symbol, want_object, hooks);
    result->entry = reinterpret_cast<EntryPoint>(code.entry);
    result->llvm_ir = std::move(code.llvm_ir);
    result->assembly = std::move(code.assembly);
    result->object_code = std::move(code.object_code);
    dumps_.text("timing", name, timer_.text());
    result->symbol = symbol;
    result->arg_types = arg_types;
    result->return_type = entry.return_type;
    if (entry.resumes_generator) {  // called from Python: resumed with its frame first
      result->arg_types.clear();
      for (const Instr* a : entry.args) result->arg_types.push_back(a->type);
      result->frame_size = code.frame_size;
      result->frame_keeps_memory = frame_keeps_memory(entry);
    }
    result->compile_seconds = timer_.seconds();
    return result;
  }

 private:
  // After every pass: the verifier (and the text round trip when asked for), then the
  // pass's dump. A pass that changed nothing (`changed` false) leaves verified IR as it was.
  void after(const char* pass, const Function& f, bool typed, bool changed = true) {
    if (changed) verify_function(f, pass, typed);
    if (verify_round_trip_enabled()) check_round_trip(f, pass, typed);
    dumps_.ir(pass, f);
  }

  const CompileOptions& options_;
  std::unique_ptr<Backend> backend_ = llvm_backend();
  StageTimer timer_;
  StageDumps dumps_;
  Worklist worklist_;
  TypingContext typing_;
};

}  // namespace

std::shared_ptr<CompiledFunction> compile_function(const FunctionInfo& info,
                                                   const std::vector<const Type*>& arg_types,
                                                   const Type* declared_return,
                                                   const CompileOptions& options,
                                                   FunctionProvider* provider, bool want_object) {
  Pipeline pipeline(options, provider);
  std::unique_ptr<Function> f = pipeline.build(info);
  pipeline.dumps().ir("ir", *f);  // the entry function only, before it gets its symbol
  f->name = function_symbol(info, arg_types);
  return pipeline.compile(std::move(f), arg_types, declared_return, want_object);
}

std::shared_ptr<CompiledFunction> compile_ir(std::unique_ptr<Function> entry,
                                             const std::vector<const Type*>& arg_types,
                                             const Type* declared_return,
                                             const CompileOptions& options,
                                             FunctionProvider* provider, bool want_object) {
  return Pipeline(options, provider)
      .compile(std::move(entry), arg_types, declared_return, want_object);
}

std::shared_ptr<CompiledFunction> load_object(const std::string& object_code,
                                              const std::string& symbol,
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
