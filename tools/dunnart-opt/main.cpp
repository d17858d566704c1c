// dunnart-opt: IR text in, named passes, IR text out (like LLVM's opt).
//   dunnart-opt --passes=infer_types,fuse_array_exprs [FILE|-]   run passes, print the IR
//   dunnart-opt --list-passes                                     name every pass
//   dunnart-opt --check FILE.dnir     a golden test: run FILE's passes on its input, compare
//   dunnart-opt --update FILE.dnir    rewrite FILE's expected section with the output
// The IR is verified after every pass; a failure prints the pass, the instruction and the
// function. A golden file (tests/ir/README.md) is
//   ; passes: a,b            the passes to run
//   <input IR>
//   ; ==== expected ====
//   <the output: IR, or `error: ...` lines when a pass reports an error>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "jit/analysis/verifier.h"
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include "jit/codegen/llvm/codegen.h"
#include "jit/ir/ir.h"
#include "jit/ir/parser.h"
#include "jit/support/diagnostics.h"
#include "jit/transforms/apply_error_model.h"
#include "jit/transforms/free_temporaries.h"
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
#include "jit/transforms/fuse_array_exprs.h"
#include "jit/typing/infer.h"

namespace dn {
namespace {

constexpr const char* kExpectedMarker = "; ==== expected ====";

// What typing asks the Python side for. IR text carries neither the bytecode of other
// jitted functions nor the attributes of user modules, so a pass that needs them stops
// with an error that says so.
class NoPythonProvider : public FunctionProvider {
 public:
  std::shared_ptr<const FunctionInfo> function_info(int64_t handle) override {
    throw CompileError(ErrorKind::Unsupported,
                       "typing a call of another jitted function (dispatcher handle " + std::to_string(handle) +
                           ") needs its bytecode, which IR text does not carry: dunnart-opt cannot type it; test "
                           "such calls end to end from Python (tests/python)");
  }
  GlobalValue module_attribute(const std::string& module, const std::string& attr) override {
    throw CompileError(ErrorKind::Unsupported, "typing " + module + "." + attr +
                                                   " needs the module, which IR text does not carry: dunnart-opt "
                                                   "knows only the math and numpy functions built into typing");
  }
};

struct Pass {
  const char* name;
  const char* what;
  std::function<void(Function&)> run;
  bool types = false;  // after it, the IR is typed
  // Passes that cut functions out of another (outline_array_statements) return them.
  std::function<std::vector<std::unique_ptr<Function>>(Function&)> run_making = nullptr;
  bool to_llvm = false;  // the last pass: prints the LLVM module instead of IR
};

// IR is typed once it has a return type (infer_types sets it).
bool is_typed(const Function& f) { return f.return_type != nullptr; }

void run_infer_types(Function& f) {
  std::vector<const Type*> arg_types;
  for (Instr* a : f.args) {
    if (!a->type)
      throw CompileError(ErrorKind::Typing,
                         "infer_types needs every parameter's type: write them in the function header, e.g. "
                         "`function " + f.name + "(%" + std::to_string(a->id) + " : float64)`");
    arg_types.push_back(a->type);
  }
  NoPythonProvider provider;
  TypingContext context;  // no callees: a jitted call asks the provider, which explains
  context.provider = &provider;
  infer_types(f, arg_types, is_typed(f) ? f.return_type : nullptr, context);
  f.recompute_preds();
}

// One line per pass: add a pass here and its goldens under tests/ir/<name>/.
const std::vector<Pass>& passes() {
  static const std::vector<Pass> all = {
      {"verify", "check the IR's invariants (typed ones when the function has a return type)",
       [](Function&) {}},
      {"infer_types", "type every value from the header's parameter types; rewrite calls to intrinsics",
       run_infer_types, true},
      {"outline_parallel_loops", "prange loops (parallel=True) into bodies run by the runtime's threads (parallel_for)",
       nullptr, false, [](Function& f) { return outline_parallel_loops(f); }},
      {"lower_iterators", "loops over enumerate, zip and reversed to loops over what they iterate",
       [](Function& f) { lower_iterators(f); }},
      {"reserve_list_appends", "room for a range loop's appends asked for once, before the loop",
       [](Function& f) { reserve_list_appends(f); }},
      {"lower_lists", "list operations to list_header/list_data code and runtime calls",
       [](Function& f) { lower_lists(f); }},
      {"lower_dicts", "dict and set operations to runtime hash-table calls and inline entry access",
       [](Function& f) { lower_dicts(f); }},
      {"lower_strings", "str operations to runtime calls (runtime/strings.cpp) and inline lengths",
       [](Function& f) { lower_strings(f); }},
      {"lower_ranges", "r[k] and x in r of range values by arithmetic on their parts",
       [](Function& f) { lower_ranges(f); }},
      {"lower_generators", "generator functions to functions that resume at their yields; their loops to calls of them",
       [](Function& f) { lower_generators(f); }},
      {"guard_recursion", "a stack check on entry of functions that call themselves (RecursionError)",
       [](Function& f) { guard_recursion(f); }},
      {"fuse_array_exprs", "mark elementwise array chains and reductions to run as one loop (fused_into)",
       [](Function& f) { fuse_array_exprs(f); }},
      {"apply_error_model", "mark scalar operations that raise Python's errors (error_model=\"python\")",
       [](Function& f) { apply_error_model(f, ErrorModel::Python); }},
      {"free_temporaries", "release array temporaries right after their last use (release)",
       [](Function& f) { free_temporaries(f); }},
      {"parallelize_array_statements", "whole-array reductions (parallel=True) split into blocks run by the runtime's threads",
       nullptr, false, [](Function& f) { return parallelize_array_statements(f); }},
      {"outline_array_statements", "array statements of large functions into functions of their own",
       nullptr, false, [](Function& f) { return outline_array_statements(f); }},
      {"lower_array_loops", "elementwise expressions and array stores to explicit loops over elements",
       [](Function& f) {
         if (lower_array_loops(f)) verify_loops(f, "lower_array_loops");
       }},
      {"reduce_powers", "x ** n for constant integers n as multiplications",
       [](Function& f) { reduce_powers(f); }},
      {"lower_to_llvm", "lowered IR to LLVM IR, before LLVM's optimiser (the last pass; the first function is the entry)",
       [](Function&) {}, false, nullptr, true},
  };
  return all;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

// An internal error's message names the C++ file and line that raised it, and asks for a
// report; golden files keep only what the check said (stable across checkouts and edits).
std::string without_source_position(std::string m) {
  const std::string head = "internal compiler error at ";
  if (m.compare(0, head.size(), head) == 0) {
    size_t colon = m.find(": ", head.size());
    if (colon != std::string::npos) m = m.substr(colon + 2);
  }
  size_t tail = m.rfind("\nPlease report this");
  if (tail != std::string::npos) m.erase(tail);
  while (!m.empty() && m.back() == '\n') m.pop_back();
  return m;
}

// Runs `names` on the IR in `text`; returns the output text (IR, or "error: ..." lines).
// `ok` says which it is.
std::string run_passes(const std::string& text, const std::vector<std::string>& names, const std::string& source,
                       bool& ok) {
  ok = false;
  std::vector<const Pass*> chosen;
  for (const std::string& n : names) {
    const Pass* found = nullptr;
    for (const Pass& p : passes())
      if (n == p.name) found = &p;
    if (!found) return "error: unknown pass '" + n + "' (dunnart-opt --list-passes names them)\n";
    chosen.push_back(found);
  }
  for (size_t k = 0; k + 1 < chosen.size(); ++k)
    if (chosen[k]->to_llvm) return "error: lower_to_llvm must be the last pass\n";
  bool to_llvm = !chosen.empty() && chosen.back()->to_llvm;
  std::vector<std::unique_ptr<Function>> fns;
  try {
    fns = parse_functions(text);
  } catch (const IRParseError& e) {
    return "error: " + source + ":" + e.what() + "\n";
  }
  std::string current = "input";
  try {
    for (auto& f : fns) verify_function(*f, "parsing (input)", is_typed(*f));
    for (const Pass* p : chosen) {
      current = p->name;
      std::vector<std::unique_ptr<Function>> made;
      for (auto& f : fns) {
        if (p->run_making) {
          for (auto& g : p->run_making(*f)) made.push_back(std::move(g));
        } else {
          p->run(*f);
        }
        verify_function(*f, p->name, is_typed(*f) || p->types);
      }
      for (auto& g : made) {
        verify_function(*g, p->name, true);
        fns.push_back(std::move(g));
      }
    }
  } catch (const CompileError& e) {
    std::string where = current == "input" ? "the input does not verify" : "in pass " + current;
    return "error: " + where + ": " + without_source_position(e.what()) + "\n";
  }
  ok = true;
  if (to_llvm) {
    try {
      llvm::LLVMContext ctx;
      std::vector<const Function*> all;
      for (auto& f : fns) all.push_back(f.get());
      std::unique_ptr<llvm::Module> m = lower_to_llvm(all, CompileOptions{}, ctx, "dn_entry");
      std::string text;
      llvm::raw_string_ostream os(text);
      m->print(os, nullptr);
      return text;
    } catch (const CompileError& e) {
      ok = false;
      return "error: in pass lower_to_llvm: " + without_source_position(e.what()) + "\n";
    }
  }
  std::string out;
  for (size_t k = 0; k < fns.size(); ++k) out += (k ? "\n" : "") + print_function(*fns[k]);
  return out;
}

bool read_file(const std::string& path, std::string& out) {
  if (path == "-") {
    std::stringstream s;
    s << std::cin.rdbuf();
    out = s.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// Golden files: returns 0 when the output matches (or was written), 1 otherwise.
int golden(const std::string& path, bool update) {
  std::string text;
  if (!read_file(path, text)) {
    std::fprintf(stderr, "dunnart-opt: cannot read %s\n", path.c_str());
    return 2;
  }
  size_t marker = text.find(std::string("\n") + kExpectedMarker + "\n");
  std::string input = marker == std::string::npos ? text : text.substr(0, marker + 1);
  std::string expected = marker == std::string::npos ? "" : text.substr(marker + 2 + std::strlen(kExpectedMarker));
  std::string first_line = input.substr(0, input.find('\n'));
  const std::string prefix = "; passes:";
  if (first_line.compare(0, prefix.size(), prefix) != 0) {
    std::fprintf(stderr, "%s:1:1: a golden file starts with `; passes: a,b,c`\n", path.c_str());
    return 2;
  }
  std::string list = first_line.substr(prefix.size());
  list.erase(0, list.find_first_not_of(' '));
  bool ok = false;
  std::string output = run_passes(input, split(list, ','), path, ok);
  if (update) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << input << kExpectedMarker << "\n" << output;
    return out ? 0 : 2;
  }
  if (marker == std::string::npos) {
    std::fprintf(stderr, "%s: no `%s` section (run scripts/update_ir_goldens.py)\n", path.c_str(), kExpectedMarker);
    return 1;
  }
  if (output == expected) return 0;
  // The first differing line, then both texts.
  auto lines_of = [](const std::string& s) { return split(s, '\n'); };
  std::vector<std::string> a = lines_of(expected), b = lines_of(output);
  size_t k = 0;
  while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
  std::fprintf(stderr, "%s: output differs from the expected section at its line %zu\n  expected: %s\n  actual:   %s\n",
               path.c_str(), k + 1, k < a.size() ? a[k].c_str() : "(end)", k < b.size() ? b[k].c_str() : "(end)");
  std::fprintf(stderr, "---- actual output ----\n%s---- (scripts/update_ir_goldens.py rewrites the expected section)\n",
               output.c_str());
  return 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: dunnart-opt [--passes=a,b,c] [FILE|-]\n"
               "       dunnart-opt --list-passes\n"
               "       dunnart-opt --check FILE.dnir | --update FILE.dnir\n");
  return 2;
}

}  // namespace
}  // namespace dn

int main(int argc, char** argv) {
  using namespace dn;
  std::vector<std::string> names;
  std::string file = "-";
  bool have_file = false;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    if (a == "--list-passes") {
      for (const Pass& p : passes()) std::printf("%-18s %s\n", p.name, p.what);
      return 0;
    }
    if (a == "--check" || a == "--update") {
      if (k + 1 >= argc) return usage();
      int worst = 0;
      for (int j = k + 1; j < argc; ++j) worst = std::max(worst, golden(argv[j], a == "--update"));
      return worst;
    }
    if (a.rfind("--passes=", 0) == 0) {
      for (auto& n : split(a.substr(9), ',')) names.push_back(n);
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "dunnart-opt: unknown option %s\n", a.c_str());
      return usage();
    } else if (have_file) {
      return usage();
    } else {
      file = a;
      have_file = true;
    }
  }
  std::string text;
  if (!read_file(file, text)) {
    std::fprintf(stderr, "dunnart-opt: cannot read %s\n", file.c_str());
    return 2;
  }
  bool ok = false;
  std::string out = run_passes(text, names, file == "-" ? "<stdin>" : file, ok);
  std::fputs(out.c_str(), ok ? stdout : stderr);
  return ok ? 0 : 1;
}
