// Bytecode -> SSA IR (see build_ir.h). Every bytecode basic block becomes one IR block
// (FOR_ITER adds one more for the loop body's entry). Stack slots alive at a block
// boundary are the SSA variables "$0", "$1", ...; CPython's NULL markers (pushed before a
// callable) never become values: which entry slots hold NULL is tracked per block.
#include "jit/frontend/build_ir.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "jit/frontend/dtype_names.h"
#include "jit/frontend/exception_classes.h"
#include "jit/frontend/local_functions.h"
#include "jit/frontend/str_format.h"
#include "runtime/abi.h"
#include "runtime/text.h"

namespace dn {
namespace {

// Python constructs named by the opcodes that implement them, for UnsupportedError.
const char* construct_of(const std::string& op) {
  static const std::map<std::string, const char*> names = {
      {"SETUP_FINALLY", "try/finally"},     {"BEFORE_WITH", "with statements"},
      {"YIELD_VALUE", "generators (yield)"}, {"RETURN_GENERATOR", "generators (yield)"},
      {"GEN_START", "generators (yield)"},
      {"MAKE_FUNCTION", "nested functions and lambdas"},
      {"STORE_GLOBAL", "assigning to a global variable"},
      {"STORE_ATTR", "assigning to an attribute"},
      {"IMPORT_NAME", "import inside a jitted function"},
      {"STORE_DEREF", "assigning to a variable shared with an inner function"},
      {"CALL_FUNCTION_EX", "calls with *args or **kwargs"},
      {"FORMAT_VALUE", "f-strings"},        {"BUILD_STRING", "f-strings"},
      {"RAISE_VARARGS", "raise"},           {"ASYNC_GEN_WRAP", "async functions"},
      {"GET_AWAITABLE", "async functions"}, {"LOAD_BUILD_CLASS", "class definitions"},
      {"LOAD_ASSERTION_ERROR", "assert"},
      {"MATCH_CLASS", "match statements"},
      // 3.12 and 3.13
      {"FORMAT_SIMPLE", "f-strings"},       {"FORMAT_WITH_SPEC", "f-strings"},
      {"CONVERT_VALUE", "f-strings"},       {"SET_FUNCTION_ATTRIBUTE", "nested functions and lambdas"},
      {"LOAD_CLOSURE", "nested functions and lambdas"},
      {"DICT_MERGE", "calls with *args or **kwargs"},
      {"CHECK_EG_MATCH", "try/except*"},    {"WITH_EXCEPT_START", "with statements"},
      {"BEFORE_ASYNC_WITH", "async functions"}, {"GET_AITER", "async functions"},
      {"GET_ANEXT", "async functions"},     {"END_ASYNC_FOR", "async functions"},
      {"SEND", "yield from"},       {"GET_YIELD_FROM_ITER", "yield from"},
      {"LOAD_SUPER_ATTR", "super()"},       {"IMPORT_FROM", "import inside a jitted function"},
      {"DELETE_DEREF", "del of a local variable"}, {"DELETE_GLOBAL", "del of a global variable"},
      {"DELETE_ATTR", "del of an attribute"}, {"MATCH_MAPPING", "match statements"},
      {"MATCH_SEQUENCE", "match statements"}, {"MATCH_KEYS", "match statements"},
      {"GET_LEN", "match statements"},
  };
  auto it = names.find(op);
  return it == names.end() ? nullptr : it->second;
}

// Python constructs behind CALL_INTRINSIC_1/2's functions (3.12+), for UnsupportedError.
const char* intrinsic_construct(const std::string& name) {
  static const std::map<std::string, const char*> names = {
      {"INTRINSIC_PRINT", "print in interactive mode"},
      {"INTRINSIC_IMPORT_STAR", "import inside a jitted function"},
      {"INTRINSIC_STOPITERATION_ERROR", "generators (yield)"},
      {"INTRINSIC_ASYNC_GEN_WRAP", "async functions"},
      {"INTRINSIC_LIST_TO_TUPLE", "calls with *args or **kwargs"},
      {"INTRINSIC_TYPEVAR", "generic type parameters"},
      {"INTRINSIC_PARAMSPEC", "generic type parameters"},
      {"INTRINSIC_TYPEVARTUPLE", "generic type parameters"},
      {"INTRINSIC_SUBSCRIPT_GENERIC", "generic type parameters"},
      {"INTRINSIC_TYPEALIAS", "type alias statements"},
      {"INTRINSIC_PREP_RERAISE_STAR", "try/except*"},
      {"INTRINSIC_TYPEVAR_WITH_BOUND", "generic type parameters"},
      {"INTRINSIC_TYPEVAR_WITH_CONSTRAINTS", "generic type parameters"},
      {"INTRINSIC_SET_FUNCTION_TYPE_PARAMS", "generic type parameters"},
      {"INTRINSIC_SET_TYPEPARAM_DEFAULT", "generic type parameters"},
  };
  auto it = names.find(name);
  return it == names.end() ? nullptr : it->second;
}

BinOpKind nb_op(int arg) {
  // CPython's NB_* order; 13 and above are the in-place forms.
  static const BinOpKind order[] = {
      BinOpKind::Add,     BinOpKind::And,     BinOpKind::FloorDiv, BinOpKind::LShift,
      BinOpKind::MatMul,  BinOpKind::Mul,     BinOpKind::Mod,      BinOpKind::Or,
      BinOpKind::Pow,     BinOpKind::RShift,  BinOpKind::Sub,      BinOpKind::TrueDiv,
      BinOpKind::Xor};
  return order[arg % 13];
}

CmpKind cmp_op(std::string s) {
  // 3.13 prints "bool(<)" for comparisons that feed a branch.
  if (s.rfind("bool(", 0) == 0) s = s.substr(5, s.size() - 6);
  if (s == "<") return CmpKind::Lt;
  if (s == "<=") return CmpKind::Le;
  if (s == "==") return CmpKind::Eq;
  if (s == "!=") return CmpKind::Ne;
  if (s == ">") return CmpKind::Gt;
  return CmpKind::Ge;
}

class Builder {
 public:
  explicit Builder(const FunctionInfo& info)
      : info_(info), fn_(std::make_unique<Function>(info.qualname, &info)) {}

  std::unique_ptr<Function> build();

 private:
  struct BlockState {
    Block* block = nullptr;
    int depth = -1;               // stack depth on entry; -1 until a predecessor reaches it
    std::vector<bool> null_slots;  // which entry slots hold CPython's NULL marker
    size_t first = 0, last = 0;    // instruction index range [first, last)
    const ExceptionEntry* handler = nullptr;  // the try around it, if any (exception_table)
    // Per entry slot: the values flowing in so far, and the phi that stands for them.
    std::vector<std::vector<Instr*>> slot_sources;
    std::vector<Instr*> slot_phis;
    int forward_preds = 0;    // jumps and fall-throughs into it from before it in the bytecode
    int forward_arrived = 0;  // of those, how many flow_to has seen
  };

  [[noreturn]] void unsupported(const BytecodeInstr& bi, const std::string& what) {
    report(ErrorKind::Unsupported, &info_, bi.loc, "Unsupported Python construct: " + what,
           "dunnart compiles numeric code: scalars, tuples, NumPy arrays, loops and calls of "
           "supported functions");
  }

  // --- Braun et al. SSA construction; every block stays unsealed until the end.
  void write_var(const std::string& var, Block* b, Instr* v) { defs_[var][b] = v; }
  Instr* read_var(const std::string& var, Block* b, SourceLoc loc = {}) {
    auto& m = defs_[var];
    auto it = m.find(b);
    if (it != m.end()) return it->second;
    Instr* phi = fn_->create(Opcode::Phi, {}, loc);
    phi->parent = b;
    b->instrs.insert(b->instrs.begin(), phi);
    phi->var = var;
    m[b] = phi;
    incomplete_.push_back(phi);
    return phi;
  }
  void seal_all();
  void remove_trivial_phis();
  void remove_dead_values();

  Instr* null_marker() { return &null_marker_; }
  void store_local(const std::string& name, Instr* v) {
    if (local_functions_.count(v) && store_count_[name] == 1) function_variables_[name] = v;
    write_var(name, cur_, v);
    write_var("$bound:" + name, cur_, true_);
  }
  Instr* load_local(const std::string& name, const BytecodeInstr& bi) {
    if (exception_names_.count(name)) {
      // `except E as e:`: e stands for the caught exception's handle where it is used
      // (str(e), print(e), f-strings, raise e), and nowhere else (check_caught_uses).
      Instr* e = fn_->create(Opcode::Undef, {}, bi.loc);
      e->var = name;
      caught_values_[e] = read_var(name, cur_, bi.loc);
      return e;
    }
    Instr* check = emit(Opcode::CheckBound, {read_var("$bound:" + name, cur_, bi.loc)}, bi);
    check->var = name;
    return read_var(name, cur_, bi.loc);
  }
  Instr* pop(const BytecodeInstr& bi) {
    if (stack_.empty()) unsupported(bi, "bytecode that underflows the stack (" + bi.opname + ")");
    Instr* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Instr* emit(Opcode op, std::vector<Instr*> operands, const BytecodeInstr& bi) {
    for (Instr* o : operands)
      if (o == null_marker()) unsupported(bi, "this use of " + bi.opname);
    return fn_->append(cur_, op, std::move(operands), bi.loc);
  }
  Instr* constant(const ConstValue& c, SourceLoc loc) {
    Instr* i = fn_->append(cur_, Opcode::Const, {}, loc);
    i->cval = c;
    return i;
  }

  // Records the stack flowing into `succ` and queues it.
  void flow_to(size_t succ_index, const BytecodeInstr& bi);
  void end_block_stack();
  void translate(const BytecodeInstr& bi, size_t index);
  void call(const BytecodeInstr& bi, int argc);
  void keyed_call(const BytecodeInstr& bi, Instr*& callee, std::vector<Instr*>& args);
  // A stack value that is one builtin function (or exception class) on every path into it:
  // the Global pushed before a branch or loop (min([x for x in r], key=f) on 3.12, raise
  // ValueError(a if c else b)), read through the phis of the blocks it flows through. Null
  // when it is not one, or a path into a block has not been seen yet; `known` is false
  // when `v` adds nothing (around a loop). peek_function: that Global, else v itself.
  // assume_function commits to it, so that a later path bringing another (a loop's back
  // edge) is refused (flow_to).
  const Instr* stack_function(Instr* v, std::set<Instr*>& seen, bool& known) const;
  const Instr* peek_function(Instr* v) const;
  // Whether a builtin function flows into it on the stack (through blocks before, too).
  bool carries_function(const BlockState& st, std::set<const BlockState*>& seen) const {
    if (!seen.insert(&st).second) return false;
    for (const auto& sources : st.slot_sources)
      for (Instr* v : sources) {
        if (v->op == Opcode::Global && v->gval.kind == GlobalValue::Kind::Function) return true;
        auto slot = slot_phis_.find(v);
        if (slot != slot_phis_.end() && carries_function(states_[slot->second.first], seen)) return true;
      }
    return false;
  }
  void assume_function(Instr* v, const Instr* f);
  Instr* builtin_operator(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args);
  Instr* str_call(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args);
  Instr* str_format(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args);
  void unpack_starred(const BytecodeInstr& bi, Instr* seq, int before, int after);
  void library_helper_call(const BytecodeInstr& bi, Instr*& callee, const std::vector<Instr*>& args);
  void dtype_strings(const BytecodeInstr& bi, const Instr* callee, std::vector<Instr*>& args);
  bool keyword_reduction(const Instr* callee, const std::vector<Instr*>& args) const;
  Instr* take_out(const Instr* callee, std::vector<Instr*>& args);
  // The qualified name of a called function: a global one, or a module's attribute
  // (np.linalg.norm: "numpy.linalg.norm"); "" for anything else.
  std::string callee_name(const Instr* callee) const;
  void drop_attribute_chain(Instr* callee);  // the attributes of a replaced callee, when unused
  Instr* pending_receiver_ = nullptr;  // library_helper_call's receiver of a method it replaced
  bool take_keepdims(const BytecodeInstr& bi, Instr* callee, std::vector<Instr*>& args, Instr*& of, Instr*& axis);
  Instr* unique_parts(const BytecodeInstr& bi, Instr* callee, std::vector<Instr*>& args);
  Instr* helper_global(const BytecodeInstr& bi, const std::string& name);
  void iteration_step(const BytecodeInstr& bi, size_t index, const std::function<void()>& exhausted);
  void raise(const BytecodeInstr& bi, Instr* exc);
  // nonlocal: an inner function that assigns variables of the function around it returns
  // (its value, their new values...), and its caller stores them back after the call.
  Instr* returned(const BytecodeInstr& bi, Instr* value);
  void store_nonlocals(const BytecodeInstr& bi, const FunctionInfo& callee);
  void cond_jump(const BytecodeInstr& bi, Instr* cond, bool jump_if_true, bool pop_cond);
  void make_function(const BytecodeInstr& bi, Instr* code, size_t index);
  void require_nested_code(const BytecodeInstr& bi, Instr* code, size_t index);
  void set_defaults(const BytecodeInstr& bi, Instr* func, Instr* defaults);

  // An inner function value: made here by MAKE_FUNCTION (`info`; what it captures is read
  // where it is called), or a captured variable bound to one (`handle` and `pass`, the
  // locals that carry what it captures).
  struct LocalFunction {
    std::shared_ptr<const FunctionInfo> info;
    int64_t handle = 0;
    std::vector<std::string> pass;
    std::map<std::string, GlobalValue> defaults;  // of its parameters, when made here
  };
  // The callee and the values to pass after the call's own arguments.
  std::pair<int64_t, std::vector<Instr*>> bind_local_function(const LocalFunction& f, const BytecodeInstr& bi,
                                                              std::vector<const FunctionInfo*>& active,
                                                              const std::string& iterable_call = "",
                                                              int iterable_args = 0);
  bool is_cell(const std::string& name) const {
    auto has = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), name) != v.end(); };
    return has(info_.cellvars) || has(info_.captured);
  }
  Instr* closure_marker(const BytecodeInstr& bi) { return constant(ConstValue{}, bi.loc); }
  Instr* load_deref(const std::string& name, const BytecodeInstr& bi);
  Instr* local_function_value(int64_t handle, const BytecodeInstr& bi);
  void discard(Instr* value);
  void check_local_function_uses();
  void check_formatted_uses();
  // The inner function `value` is, if it is one: made or bound here, or read from a local
  // assigned only that (a phi while blocks are unsealed, as in a loop).
  const LocalFunction* local_function_of(Instr* value) {
    auto it = local_functions_.find(value);
    if (it != local_functions_.end()) return &it->second;
    if (value->op != Opcode::Phi) return nullptr;
    auto var = function_variables_.find(value->var);
    return var == function_variables_.end() ? nullptr : &local_functions_.at(var->second);
  }

  const FunctionInfo& info_;
  std::unique_ptr<Function> fn_;
  std::vector<BlockState> states_;
  std::unordered_map<Instr*, std::pair<size_t, size_t>> slot_phis_;  // -> (state, slot)
  std::unordered_map<Instr*, const Instr*> assumed_functions_;       // slot phi -> its function
  std::unordered_map<int, size_t> block_at_offset_;  // bytecode offset -> states_ index
  std::vector<size_t> worklist_;
  std::map<std::string, std::unordered_map<Block*, Instr*>> defs_;
  std::vector<Instr*> incomplete_;
  std::vector<Instr*> stack_;
  Block* cur_ = nullptr;
  size_t cur_state_ = 0;
  std::vector<std::string> kwnames_;
  std::unordered_map<Instr*, int> code_consts_;            // LOAD_CONST of a nested code object
  std::unordered_map<Instr*, LocalFunction> local_functions_;  // values that are inner functions
  // An f-string: its text with a "{}" hole per value ("{{" "}}" for braces) and each
  // value's format spec. Compiles only as an exception's message (raise), for now; its
  // value in the IR is a str constant of the text.
  struct Formatted {
    std::string text;
    std::vector<Instr*> values;
    std::vector<std::string> specs;
  };
  std::unordered_map<Instr*, Formatted> formatted_;
  Instr* formatted_value(const BytecodeInstr& bi, Formatted f) {
    ConstValue c;
    c.kind = ConstValue::Kind::Str;
    c.s = f.text;
    Instr* i = constant(c, bi.loc);
    formatted_[i] = std::move(f);
    return i;
  }
  Instr* format_value(const BytecodeInstr& bi, Instr* value, std::string conversion, Instr* spec);
  // A 3.11 comprehension over enumerate/zip/reversed(...), nested too (enumerate(zip(a, b))),
  // or a dict's view (d.items(): ".items(#)"): the calls as a pattern
  // ("builtins.enumerate(builtins.zip(#,#))"), their other arguments as the leaves ('#') it
  // is passed; the comprehension makes the calls again.
  std::string iterable_call_pattern(Instr* made, std::vector<Instr*>& leaves, bool inner = false);
  Instr* rebuild_iterable_call(const std::string& pattern, size_t& at, int& leaf, const BytecodeInstr& bi);
  bool used_only_by(const Instr* v, const Instr* user) const;
  Instr* build_string(const BytecodeInstr& bi, const std::vector<Instr*>& pieces);
  std::map<std::string, int> store_count_;                 // stores of each local in the bytecode
  std::map<std::string, Instr*> function_variables_;       // locals assigned once, an inner function
  // try/except (exception_table): the handler of the instruction at each offset, the names
  // bound by `except ... as name`, and the landing a block's exceptions go to.
  std::unordered_map<int, const ExceptionEntry*> handler_at_;
  std::set<std::string> exception_names_;
  // Each use of an `except ... as e` name: the caught exception's handle (dn_catch_error).
  std::unordered_map<Instr*, Instr*> caught_values_;
  Instr* caught_handle(Instr* v) const {
    auto it = caught_values_.find(v);
    return it == caught_values_.end() ? nullptr : it->second;
  }
  // str(e) (repr(e)) of a caught exception: a str.
  Instr* exception_text(const BytecodeInstr& bi, Instr* handle, bool as_repr);
  void check_caught_uses();
  void find_handlers();
  bool may_raise(const BlockState& st) const;
  void enter_try(const BlockState& st);
  Instr* exception_matches(const BytecodeInstr& bi, Instr* exc, Instr* classes);
  // Generator expressions: the calls that make one (by the handle called), until a
  // consumer (sum, any, ...) takes it; and, compiling one, what feeds its consumer.
  std::unordered_map<Instr*, int64_t> generator_calls_;
  std::set<Instr*> consumed_generators_;
  // Loops with several back edges (a `continue`, or a condition that jumps straight back)
  // get one latch block that all of them go through: the loop's body then ends in one
  // merge, which LLVM turns into selects (a branch on unpredictable data costs more).
  std::map<int, int> back_jumps_;       // loop header offset -> jumps back to it
  std::map<size_t, Block*> latches_;    // header state -> its latch
  Block* jump_block(size_t target, const BytecodeInstr& from) {
    int offset = info_.code[states_[target].first].offset;
    if (offset > from.offset || back_jumps_[offset] < 2) return states_[target].block;
    Block*& latch = latches_[target];
    if (!latch) {
      latch = fn_->new_block();
      fn_->append(latch, Opcode::Br, {}, from.loc)->blocks.push_back(states_[target].block);
    }
    return latch;
  }
  bool consume_generator(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args);
  void start_consumer(Block* entry);
  void consume_yield(const BytecodeInstr& bi, Instr* value);
  Instr* consumer_result(const BytecodeInstr& bi);
  Block* new_block_here() {
    Block* b = fn_->new_block();
    b->unwind = cur_->unwind;
    return b;
  }
  Instr* bool_constant(bool v, SourceLoc loc) {
    ConstValue c;
    c.kind = ConstValue::Kind::Bool;
    c.i = v;
    return constant(c, loc);
  }
  Instr* int_constant(int64_t v, SourceLoc loc) {
    ConstValue c;
    c.kind = ConstValue::Kind::Int;
    c.i = v;
    return constant(c, loc);
  }
  bool terminated_ = false;
  Instr null_marker_{};
  Instr* true_ = nullptr;   // the constants "$bound:" variables take
  Instr* false_ = nullptr;
  Instr* no_exception_ = nullptr;  // "$exc" (the exception being handled) outside handlers
  Instr* lasti_ = nullptr;         // what a handler entered with `lasti` finds pushed
};

bool is_jump(const BytecodeInstr& bi) { return bi.target >= 0; }

// Instructions that assign a variable (or the exception being handled).
bool changes_variables(const std::string& op) {
  return op == "STORE_FAST" || op == "STORE_FAST_STORE_FAST" || op == "STORE_FAST_LOAD_FAST" ||
         op == "STORE_DEREF" || op == "DELETE_FAST" || op == "PUSH_EXC_INFO" || op == "POP_EXCEPT";
}

// Instructions that never raise at run time (their errors, if any, are compile errors).
// (FOR_ITER may: the iterator may be a generator's, which runs code of its own.)
bool never_raises(const std::string& op) {
  static const std::set<std::string> ops = {
      "NOP", "RESUME", "EXTENDED_ARG", "CACHE", "NOT_TAKEN", "LOAD_CONST", "LOAD_SMALL_INT",
      "STORE_FAST", "STORE_FAST_STORE_FAST", "STORE_DEREF", "POP_TOP", "COPY", "SWAP", "PUSH_NULL",
      "END_FOR", "YIELD_VALUE", "POP_ITER", "PUSH_EXC_INFO", "POP_EXCEPT", "RETURN_VALUE", "RETURN_CONST",
      "LOAD_GLOBAL", "CHECK_EXC_MATCH", "BUILD_TUPLE", "KW_NAMES", "LOAD_ASSERTION_ERROR"};
  return ops.count(op) || op.rfind("JUMP", 0) == 0 || op.find("POP_JUMP") != std::string::npos;
}

// Instructions after which the next one never runs.
bool unconditional_exit(const std::string& op) {
  return op == "RETURN_VALUE" || op == "RETURN_CONST" || op == "RAISE_VARARGS" || op == "RERAISE" ||
         op == "JUMP_FORWARD" || op == "JUMP_BACKWARD" || op == "JUMP_BACKWARD_NO_INTERRUPT" ||
         op == "JUMP_ABSOLUTE" || op == "JUMP" || op == "JUMP_NO_INTERRUPT";
}

bool ends_block(const std::string& op) {
  return op == "RETURN_VALUE" || op == "RETURN_CONST" || op == "RAISE_VARARGS" ||
         op == "RERAISE" || op.rfind("JUMP", 0) == 0 || op.find("POP_JUMP") != std::string::npos ||
         op == "FOR_ITER" || op == "SEND";
}

std::unique_ptr<Function> Builder::build() {
  const auto& code = info_.code;
  if (code.empty()) report(ErrorKind::Internal, &info_, {}, "function has no bytecode");
  // Handlers (try/except, with) are reached only through the exception table, never by a
  // jump: reject them wherever they stand, or the handler would silently vanish.
  for (const BytecodeInstr& bi : code)
    if (bi.opname == "BEFORE_WITH" || bi.opname == "SETUP_FINALLY" || bi.opname == "BEFORE_ASYNC_WITH")
      unsupported(bi, construct_of(bi.opname));
  find_handlers();

  for (const BytecodeInstr& bi : code)
    if (bi.opname == "STORE_FAST" || bi.opname == "STORE_DEREF" || bi.opname == "STORE_FAST_LOAD_FAST") {
      store_count_[bi.name.substr(0, bi.name.find(','))]++;  // 3.13: "a, b", a stored
    } else if (bi.opname == "STORE_FAST_STORE_FAST") {
      size_t comma = bi.name.find(',');
      store_count_[bi.name.substr(0, comma)]++;
      store_count_[bi.name.substr(comma + 1)]++;
    }
  for (const BytecodeInstr& bi : code)
    if (is_jump(bi) && bi.target <= bi.offset && bi.opname != "FOR_ITER") back_jumps_[bi.target]++;
  // Block leaders: the first instruction, jump targets, and instructions after jumps.
  std::set<int> leaders{code.front().offset};
  for (size_t k = 0; k < code.size(); ++k) {
    if (is_jump(code[k])) leaders.insert(code[k].target);
    if (ends_block(code[k].opname) && k + 1 < code.size()) leaders.insert(code[k + 1].offset);
    // Inside a try, a block's exceptions see the variables as they were on entry to it
    // (enter_try): so an assignment ends its block.
    if (handler_at_.count(code[k].offset) && changes_variables(code[k].opname) && k + 1 < code.size())
      leaders.insert(code[k + 1].offset);
  }
  for (const auto& [offset, h] : handler_at_) leaders.insert(h->target);
  for (const ExceptionEntry& e : info_.exception_table) {
    leaders.insert(e.start);  // a block has one handler throughout
    leaders.insert(e.end);
  }
  std::set<int> offsets;
  for (const BytecodeInstr& bi : code) offsets.insert(bi.offset);
  for (auto it = leaders.begin(); it != leaders.end();) it = offsets.count(*it) ? std::next(it) : leaders.erase(it);
  Block* entry = fn_->new_block();
  for (size_t k = 0; k < code.size(); ++k) {
    if (leaders.count(code[k].offset)) {
      if (!states_.empty()) states_.back().last = k;
      BlockState s;
      s.block = fn_->new_block();
      s.first = k;
      auto h = handler_at_.find(code[k].offset);
      if (h != handler_at_.end()) s.handler = h->second;
      block_at_offset_[code[k].offset] = states_.size();
      states_.push_back(s);
    }
  }
  states_.back().last = code.size();
  for (size_t s = 0; s < states_.size(); ++s) {
    const BytecodeInstr& last = code[states_[s].last - 1];
    if (s + 1 < states_.size() && !unconditional_exit(last.opname)) states_[s + 1].forward_preds++;
    for (size_t k = states_[s].first; k < states_[s].last; ++k)
      if (is_jump(code[k]) && code[k].target > code[k].offset) states_[block_at_offset_.at(code[k].target)].forward_preds++;
  }

  // Arguments.
  cur_ = entry;
  for (int a = 0; a < info_.argcount; ++a) {
    Instr* arg = fn_->append(entry, Opcode::Arg);
    arg->arg_index = a;
    arg->var = info_.varnames.at(a);
    fn_->args.push_back(arg);
    write_var(arg->var, entry, arg);
  }
  // Whether each local is bound is an SSA variable too ("$bound:x"): reads check it, so a
  // read on a path where x was never assigned raises UnboundLocalError as in Python.
  // Paths where x is always bound reduce to the constant true and lose their check.
  true_ = fn_->append(entry, Opcode::Const);
  true_->cval.kind = ConstValue::Kind::Bool;
  true_->cval.i = 1;
  false_ = fn_->append(entry, Opcode::Const);
  false_->cval.kind = ConstValue::Kind::Bool;
  for (size_t k = 0; k < info_.varnames.size(); ++k)
    write_var("$bound:" + info_.varnames[k], entry, int(k) < info_.argcount ? true_ : false_);
  for (const std::string& c : info_.cellvars)
    if (std::find(info_.varnames.begin(), info_.varnames.end(), c) == info_.varnames.end())
      write_var("$bound:" + c, entry, false_);
  if (!info_.exception_table.empty()) {
    no_exception_ = int_constant(0, {});  // cur_ is the entry block
    lasti_ = int_constant(-1, {});
    write_var("$exc", entry, no_exception_);
  }
  if (!info_.consumer.empty()) start_consumer(entry);
  fn_->append(entry, Opcode::Br)->blocks.push_back(states_[0].block);
  states_[0].depth = 0;
  worklist_.push_back(0);

  std::vector<bool> done(states_.size(), false);
  std::vector<int> waits(states_.size(), 0);
  while (!worklist_.empty()) {
    size_t s = worklist_.back();
    worklist_.pop_back();
    std::set<const BlockState*> seen_states;
    // A merge inside a call (a function on the stack flows in) waits for its other paths,
    // so that the function is known on all of them (stack_function) where the bytecode allows.
    if (states_[s].forward_arrived < states_[s].forward_preds && carries_function(states_[s], seen_states) && !worklist_.empty() &&
        waits[s]++ < int(states_.size())) {
      worklist_.insert(worklist_.begin(), s);
      continue;
    }
    if (done[s]) continue;
    done[s] = true;
    cur_state_ = s;
    cur_ = states_[s].block;
    stack_.clear();
    // Stack values merged at this block take its first instruction's position, so that
    // a conflict (x = a if c else b) points at the expression.
    SourceLoc here = code[states_[s].first].loc;
    states_[s].slot_phis.assign(size_t(states_[s].depth), nullptr);
    for (int d = 0; d < states_[s].depth; ++d) {
      if (states_[s].null_slots[d]) {
        stack_.push_back(null_marker());
        continue;
      }
      Instr* v = read_var("$" + std::to_string(d), cur_, here);
      stack_.push_back(v);
      states_[s].slot_phis[d] = v;
      slot_phis_[v] = {s, size_t(d)};
    }
    terminated_ = false;
    kwnames_.clear();
    if (states_[s].handler && may_raise(states_[s])) enter_try(states_[s]);
    for (size_t k = states_[s].first; k < states_[s].last && !terminated_; ++k)
      translate(code[k], k);
    if (!terminated_) {
      // Fall through into the next bytecode block.
      const BytecodeInstr& last = code[states_[s].last - 1];
      if (states_[s].last >= code.size()) unsupported(last, "falling off the end of the code");
      end_block_stack();
      size_t next = block_at_offset_.at(code[states_[s].last].offset);
      flow_to(next, last);
      fn_->append(cur_, Opcode::Br, {}, last.loc)->blocks.push_back(states_[next].block);
    }
  }
  // Bytecode blocks never reached (dead code after return) get a terminator so the
  // function stays well formed; remove_unreachable_blocks drops them.
  for (auto& st : states_)
    if (!st.block->terminator()) fn_->append(st.block, Opcode::Return, {}, {});

  fn_->remove_unreachable_blocks();
  std::set<Block*> live;
  for (auto& b : fn_->blocks) live.insert(b.get());
  incomplete_.erase(std::remove_if(incomplete_.begin(), incomplete_.end(),
                                   [&](Instr* phi) { return !live.count(phi->parent); }),
                    incomplete_.end());
  seal_all();
  // Once phis have their operands (an f-string merged with another str: f"{n}" if c else
  // "none" is a str made at run time) and before they are simplified: the values of
  // f-strings are kept outside the IR until then.
  check_formatted_uses();
  remove_trivial_phis();
  // Reads of locals that are bound on every path need no check.
  for (auto& b : fn_->blocks) {
    auto& v = b->instrs;
    v.erase(std::remove_if(v.begin(), v.end(),
                           [&](Instr* i) { return i->op == Opcode::CheckBound && i->operands[0] == true_; }),
            v.end());
  }
  remove_dead_values();
  check_local_function_uses();
  check_caught_uses();
  fn_->sort_blocks_rpo();
  return std::move(fn_);
}

// Which handler each instruction's exceptions go to. A handler that only restores a
// variable and re-raises (3.12+ inlined comprehensions save their loop variable so; 3.12+
// generators turn StopIteration into RuntimeError) is passed through to the handler around
// it: what it restores is not seen by compiled code.
void Builder::find_handlers() {
  const auto& table = info_.exception_table;
  if (table.empty()) return;
  std::unordered_map<int, size_t> index_of;
  for (size_t k = 0; k < info_.code.size(); ++k) index_of[info_.code[k].offset] = k;
  auto entry_at = [&](int offset) -> const ExceptionEntry* {
    for (const ExceptionEntry& e : table)
      if (e.start <= offset && offset < e.end) return &e;
    return nullptr;
  };
  auto restores_only = [&](const ExceptionEntry& e) {
    for (size_t k = index_of.at(e.target); k < info_.code.size(); ++k) {
      const std::string& op = info_.code[k].opname;
      if (op == "RERAISE") return true;
      // A generator turns a StopIteration into RuntimeError: compiled code raises none. And
      // nothing is thrown into a compiled generator (gen.throw()) for `yield from` to pass on.
      if (op == "CALL_INTRINSIC_1" && info_.code[k].name == "INTRINSIC_STOPITERATION_ERROR") continue;
      if (op == "CLEANUP_THROW") return true;
      if (op != "SWAP" && op != "POP_TOP" && op != "STORE_FAST" && op != "NOP") return false;
    }
    return false;
  };
  for (const BytecodeInstr& bi : info_.code) {
    const ExceptionEntry* e = entry_at(bi.offset);
    for (int hops = 0; e && restores_only(*e) && hops < 64; ++hops) e = entry_at(e->target);
    if (e) handler_at_[bi.offset] = e;
  }
  // `except E as name:` ends with `name = None; del name` (CPython's cleanup).
  for (size_t k = 0; k + 2 < info_.code.size(); ++k)
    if (info_.code[k].opname == "LOAD_CONST" && info_.code[k + 1].opname == "STORE_FAST" &&
        info_.code[k + 2].opname == "DELETE_FAST" && info_.code[k + 1].name == info_.code[k + 2].name &&
        info_.consts.at(size_t(info_.code[k].arg)).kind == ConstValue::Kind::None)
      exception_names_.insert(info_.code[k + 1].name);
}

bool Builder::may_raise(const BlockState& st) const {
  for (size_t k = st.first; k < st.last; ++k)
    if (!never_raises(info_.code[k].opname)) return true;
  return false;
}

// The block `st` starts inside a try: its code moves to a block of its own whose exceptions
// go to a landing block, entered from here (enter_try) with the variables and stack as
// they are now, which pushes the caught exception and goes on to the handler.
void Builder::enter_try(const BlockState& st) {
  const ExceptionEntry& h = *st.handler;
  const BytecodeInstr& bi = info_.code[st.first];
  if (int(stack_.size()) < h.depth) unsupported(bi, "a try whose handler expects more values on the stack");
  Block* body = fn_->new_block();
  Block* landing = fn_->new_block();
  body->unwind = landing;
  emit(Opcode::EnterTry, {}, bi)->blocks = {body, landing};
  std::vector<Instr*> stack = stack_;
  cur_ = landing;
  stack_.resize(size_t(h.depth));
  if (h.lasti) stack_.push_back(lasti_);
  stack_.push_back(emit(Opcode::Caught, {}, bi));
  end_block_stack();
  size_t target = block_at_offset_.at(h.target);
  flow_to(target, bi);
  emit(Opcode::Br, {}, bi)->blocks.push_back(states_[target].block);
  cur_ = body;
  stack_ = std::move(stack);
}

// CHECK_EXC_MATCH: whether the caught exception `exc` is one of `classes` (a builtin
// exception class or a tuple of them): its code compared with the codes they catch.
Instr* Builder::exception_matches(const BytecodeInstr& bi, Instr* exc, Instr* classes) {
  std::vector<Instr*> items{classes};
  if (classes->op == Opcode::BuildTuple) items = classes->operands;
  std::set<int32_t> codes;
  for (Instr* c : items) {
    const std::string prefix = "builtins.";
    std::optional<std::vector<int32_t>> caught;
    bool function = c->op == Opcode::Global && c->gval.kind == GlobalValue::Kind::Function;
    if (function && c->gval.name.rfind(prefix, 0) == 0) caught = caught_codes(c->gval.name.substr(prefix.size()));
    if (function && c->gval.name.rfind("exception_class.", 0) == 0) caught.emplace();  // a user's: never raised here
    if (!caught)
      unsupported(bi, "except of something other than an exception class");
    codes.insert(caught->begin(), caught->end());
  }
  if (classes->op == Opcode::BuildTuple && classes->parent == cur_) fn_->erase(classes);
  Instr* code = emit(Opcode::BinOp, {exc, int_constant(0xff, bi.loc)}, bi);
  code->binop = BinOpKind::And;
  Instr* result = nullptr;
  for (int32_t c : codes) {
    Instr* eq = emit(Opcode::Compare, {code, int_constant(c, bi.loc)}, bi);
    eq->cmp = CmpKind::Eq;
    if (result) {
      result = emit(Opcode::BinOp, {result, eq}, bi);
      result->binop = BinOpKind::Or;
    } else {
      result = eq;
    }
  }
  return result ? result : bool_constant(false, bi.loc);
}

void Builder::end_block_stack() {
  for (size_t d = 0; d < stack_.size(); ++d)
    if (stack_[d] != null_marker()) write_var("$" + std::to_string(d), cur_, stack_[d]);
}

void Builder::flow_to(size_t succ, const BytecodeInstr& bi) {
  BlockState& st = states_[succ];
  int depth = int(stack_.size());
  std::vector<bool> nulls;
  for (Instr* v : stack_) nulls.push_back(v == null_marker());
  if (st.depth < 0) {
    st.depth = depth;
    st.null_slots = nulls;
    st.slot_sources.resize(size_t(depth));
    worklist_.push_back(succ);
  } else if (st.depth != depth || st.null_slots != nulls) {
    unsupported(bi, "control flow that merges different stack shapes");
  }
  if (succ > cur_state_) st.forward_arrived++;
  for (size_t d = 0; d < stack_.size(); ++d) {
    if (stack_[d] == null_marker()) continue;
    st.slot_sources[d].push_back(stack_[d]);
    auto assumed = d < st.slot_phis.size() ? assumed_functions_.find(st.slot_phis[d]) : assumed_functions_.end();
    if (assumed == assumed_functions_.end()) continue;
    // Already compiled as that function: this path must bring the same one.
    std::set<Instr*> seen;
    bool known = false;
    const Instr* f = stack_function(stack_[d], seen, known);
    if (known && (!f || f->gval.name != assumed->second->gval.name))
      unsupported(bi, "a call of a function chosen at run time (" + assumed->second->gval.name +
                          " on one path); call each function in its own branch");
  }
}

const Instr* Builder::stack_function(Instr* v, std::set<Instr*>& seen, bool& known) const {
  if (v->op == Opcode::Global && v->gval.kind == GlobalValue::Kind::Function) {
    known = true;
    return v;
  }
  auto slot = slot_phis_.find(v);
  if (slot == slot_phis_.end()) {
    known = true;
    return nullptr;
  }
  if (!seen.insert(v).second) return nullptr;  // around a loop: no new value (known stays false)
  const BlockState& st = states_[slot->second.first];
  if (st.forward_arrived < st.forward_preds) {  // a path not yet seen may bring another
    known = true;
    return nullptr;
  }
  const Instr* f = nullptr;
  for (Instr* source : st.slot_sources[slot->second.second]) {
    bool k = false;
    const Instr* g = stack_function(source, seen, k);
    if (!k) continue;
    if (!g || (f && f->gval.name != g->gval.name)) {
      known = true;
      return nullptr;
    }
    f = g;
  }
  known = f != nullptr;
  return f;
}

void Builder::assume_function(Instr* v, const Instr* f) {
  if (!slot_phis_.count(v) || !assumed_functions_.emplace(v, f).second) return;
  auto [s, d] = slot_phis_.at(v);
  for (Instr* source : states_[s].slot_sources[d]) assume_function(source, f);
}

const Instr* Builder::peek_function(Instr* v) const {
  std::set<Instr*> seen;
  bool known = false;
  const Instr* f = stack_function(v, seen, known);
  return f ? f : v;
}

void Builder::cond_jump(const BytecodeInstr& bi, Instr* cond, bool jump_if_true, bool pop_cond) {
  // `cond` was already popped when pop_cond; otherwise it stays on the jump's stack only.
  Instr* truth = cond->op == Opcode::Compare || cond->op == Opcode::Truth
                     ? cond
                     : emit(Opcode::Truth, {cond}, bi);
  size_t target = block_at_offset_.at(bi.target);
  size_t fall = block_at_offset_.at(info_.code[states_[cur_state_].last].offset);
  if (pop_cond) {
    end_block_stack();
    flow_to(target, bi);
    flow_to(fall, bi);
  } else {
    // JUMP_IF_X_OR_POP: the jump keeps the value, the fall-through pops it.
    end_block_stack();
    flow_to(target, bi);
    stack_.pop_back();
    flow_to(fall, bi);
  }
  Instr* br = emit(Opcode::CondBr, {truth}, bi);
  Block* t = jump_block(target, bi);
  Block* f = states_[fall].block;
  br->blocks = jump_if_true ? std::vector<Block*>{t, f} : std::vector<Block*>{f, t};
  terminated_ = true;
}

void Builder::discard(Instr* value) {
  // A tuple built only for this (a closure's cells: nothing else saw it) goes; constants go
  // with the dead values.
  if (value != null_marker() && value->op == Opcode::BuildTuple && value->parent == cur_) fn_->erase(value);
}

Instr* Builder::local_function_value(int64_t handle, const BytecodeInstr& bi) {
  Instr* g = emit(Opcode::Global, {}, bi);
  auto info = local_function(handle);
  g->gval.kind = GlobalValue::Kind::Dispatcher;
  g->gval.handle = handle;
  g->gval.name = info->qualname;
  g->var = info->name;
  return g;
}

// A variable that inner functions share: a local of this function (its own, or passed in
// by the function around it), an inner function bound to it, or a frozen closure value.
Instr* Builder::load_deref(const std::string& name, const BytecodeInstr& bi) {
  auto bound = info_.bound.find(name);
  if (bound != info_.bound.end()) {
    Instr* g = local_function_value(bound->second.handle, bi);
    local_functions_[g] = {nullptr, bound->second.handle, bound->second.params};
    return g;
  }
  if (is_cell(name)) return load_local(name, bi);
  auto it = info_.cells.find(name);
  if (it == info_.cells.end())
    unsupported(bi, "reading variable '" + name + "' of an enclosing function before it is set");
  Instr* g = emit(Opcode::Global, {}, bi);
  g->var = name;
  g->gval = it->second;
  return g;
}

// Only code objects captured with this function (capture.py's `nested`) become functions.
void Builder::require_nested_code(const BytecodeInstr& bi, Instr* code, size_t index) {
  if (!code_consts_.count(code)) {
    // The code object comes from the LOAD_CONST just before; the bindings pass its name.
    const std::string code_name = index > 0 && info_.code[index - 1].opname == "LOAD_CONST"
                                      ? info_.code[index - 1].name
                                      : std::string();
    static const std::map<std::string, const char*> kinds = {
        {"<listcomp>", "list comprehensions"}, {"<setcomp>", "set comprehensions"},
        {"<dictcomp>", "dict comprehensions"}, {"<genexpr>", "generator expressions"}};
    auto it = kinds.find(code_name);
    unsupported(bi, it != kinds.end() ? it->second : "this kind of inner function (generators, *args or **kwargs)");
  }
}

// MAKE_FUNCTION of a nested code object captured with this function (an inner function,
// lambda or 3.11 comprehension): its value names it; its calls compile as calls of it.
void Builder::make_function(const BytecodeInstr& bi, Instr* code, size_t index) {
  require_nested_code(bi, code, index);
  auto c = code_consts_.find(code);
  const auto& nested = info_.nested.at(c->second);
  Instr* g = local_function_value(local_function_handle(nested), bi);
  local_functions_[g] = {nested, 0, {}};
  stack_.push_back(g);
}

// `def f(x, k=2)` inside: the defaults tuple, constants (values computed at run time are
// not compiled yet: pass them as arguments).
void Builder::set_defaults(const BytecodeInstr& bi, Instr* func, Instr* defaults) {
  auto f = local_functions_.find(func);
  if (f == local_functions_.end() || !f->second.info) unsupported(bi, "default argument values of this function");
  if (defaults->op != Opcode::Const || defaults->cval.kind != ConstValue::Kind::Tuple)
    unsupported(bi, "default values computed at run time in inner functions (pass them as arguments)");
  const FunctionInfo& info = *f->second.info;
  int own = info.argcount - int(info.captured.size()) - info.kwonlyargcount;
  int first = own - int(defaults->cval.items.size());
  for (size_t k = 0; k < defaults->cval.items.size(); ++k) {
    GlobalValue g;
    g.kind = GlobalValue::Kind::Const;
    g.value = defaults->cval.items[k];
    f->second.defaults[info.varnames.at(size_t(first) + k)] = g;
  }
  func->gval.handle = local_function_handle(f->second.info, {{}, f->second.defaults});
}

// What a call of inner function `f` passes after its own arguments: the current values of
// the variables it captures (Python reads its cells when it runs), where each that holds an
// inner function itself is replaced by what that one captures, and the callee bound so.
std::pair<int64_t, std::vector<Instr*>> Builder::bind_local_function(const LocalFunction& f, const BytecodeInstr& bi,
                                                                     std::vector<const FunctionInfo*>& active,
                                                                     const std::string& iterable_call,
                                                                     int iterable_args) {
  std::vector<Instr*> values;
  if (!f.info) {
    for (const std::string& p : f.pass) values.push_back(load_local(p, bi));
    return {f.handle, values};
  }
  if (std::find(active.begin(), active.end(), f.info.get()) != active.end())
    unsupported(bi, "recursive inner functions (" + f.info->qualname + ")");
  active.push_back(f.info.get());
  LocalBinding binding{{}, f.defaults, iterable_call, iterable_args};
  auto& bound = binding.bound;
  for (const std::string& name : f.info->captured) {
    Instr* value = load_deref(name, bi);
    const LocalFunction* inner = local_function_of(value);
    if (!inner) {
      values.push_back(value);
      continue;
    }
    auto [handle, inner_values] = bind_local_function(*inner, bi, active);
    bound[name] = {handle, local_function(handle)->captured};
    values.insert(values.end(), inner_values.begin(), inner_values.end());
  }
  active.pop_back();
  return {local_function_handle(f.info, binding), values};
}

// An f-string used as a value (not as a raise's message, which formats it only when it is
// raised) becomes the str it makes: a format instruction of its text and values.
void Builder::check_formatted_uses() {
  for (auto& b : fn_->blocks)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands) {
        auto f = formatted_.find(o);
        if (f == formatted_.end() || f->second.values.empty() || o->op == Opcode::Format) continue;
        o->op = Opcode::Format;
        o->operands = f->second.values;
        o->value_formats = f->second.specs;
        o->message = f->second.text;
        o->cval = ConstValue{};
      }
}

// An inner function that captures variables compiles only where it is called: passed or
// returned as a value, or chosen at run time (a phi), its captured values would be lost.
void Builder::check_local_function_uses() {
  for (auto& b : fn_->blocks)
    for (Instr* i : b->instrs)
      for (size_t k = 0; k < i->operands.size(); ++k) {
        auto f = local_functions_.find(i->operands[k]);
        if (f == local_functions_.end()) continue;
        auto info = f->second.info ? f->second.info : local_function(f->second.handle);
        if (!info->captured.empty())
          report(ErrorKind::Unsupported, &info_, i->loc,
                 "Unsupported Python construct: an inner function that reads variables of the function around "
                 "it (" + info->qualname + "), used as a value; only calls of it compile",
                 "call it where it is defined, or pass those variables to it as arguments");
      }
}

namespace {

// The variables of the enclosing function that `f` assigns (nonlocal x; x = ...): among
// the values it is passed (captured), in their order.
std::vector<std::string> nonlocal_writes(const FunctionInfo& f) {
  std::set<std::string> stored;
  for (const BytecodeInstr& bi : f.code)
    if (bi.opname == "STORE_DEREF") stored.insert(bi.name);
  std::vector<std::string> writes;
  for (const std::string& c : f.captured)
    if (stored.count(c) && std::find(f.cellvars.begin(), f.cellvars.end(), c) == f.cellvars.end()) writes.push_back(c);
  return writes;
}

// The DnErrorCode of builtin exception class `name` ("builtins.ValueError"), or 0.
int32_t exception_code(const std::string& name) {
#define DN_EXCEPTION_NAME(code, cls) \
  if (name == "builtins." #cls) return code;
  DN_EXCEPTION_CLASSES(DN_EXCEPTION_NAME)
#undef DN_EXCEPTION_NAME
  return 0;
}

int32_t exception_class(const Instr* i) {
  if (i->op != Opcode::Global || i->gval.kind != GlobalValue::Kind::Function) return 0;
  return exception_code(i->gval.name);
}

}  // namespace

namespace {

// A str constant: a literal, or a frozen global or closure value.
const std::string* constant_text(const Instr* i) {
  if (i->op == Opcode::Const && i->cval.kind == ConstValue::Kind::Str) return &i->cval.s;
  if (i->op == Opcode::Global && i->gval.kind == GlobalValue::Kind::Const && i->gval.value.kind == ConstValue::Kind::Str)
    return &i->gval.value.s;
  return nullptr;
}


std::string unescape_braces(const std::string& s) {
  std::string out;
  for (size_t k = 0; k < s.size(); ++k) {
    out += s[k];
    if ((s[k] == '{' || s[k] == '}') && k + 1 < s.size() && s[k + 1] == s[k]) ++k;
  }
  return out;
}

}  // namespace

// {value!conversion:spec} of an f-string. A constant str inside one is text already.
bool Builder::used_only_by(const Instr* v, const Instr* user) const {
  for (auto& b : fn_->blocks)
    for (Instr* i : b->instrs)
      if (i != user && std::find(i->operands.begin(), i->operands.end(), v) != i->operands.end()) return false;
  for (auto& [var, per_block] : defs_)
    for (auto& [block, def] : per_block)
      if (def == v) return false;  // held by a variable: read again later
  return true;
}

std::string Builder::iterable_call_pattern(Instr* made, std::vector<Instr*>& leaves, bool inner) {
  // d.items(), d.keys(), d.values(): the view is made again inside, of the dict passed.
  if (made->op == Opcode::Call && made->kwnames.empty() && made->parent == cur_ && made->operands.size() == 1) {
    Instr* method = made->operands[0];
    if (method->op == Opcode::GetAttr && method->parent == cur_ && used_only_by(method, made) &&
        (method->attr == "items" || method->attr == "keys" || method->attr == "values")) {
      leaves.push_back(method->operands[0]);
      std::string pattern = "." + method->attr + "(#)";
      fn_->erase(made);
      fn_->erase(method);
      return pattern;
    }
  }
  if (made->op != Opcode::Call || !made->kwnames.empty() || made->parent != cur_ || made->operands[0]->op != Opcode::Global ||
      made->operands[0]->gval.kind != GlobalValue::Kind::Function)
    return "";
  const std::string& name = made->operands[0]->gval.name;
  // Inside them, range(...) too: reversed(range(n)) needs the call, not a range value.
  if (name != "builtins.enumerate" && name != "builtins.zip" && name != "builtins.reversed" &&
      !(inner && name == "builtins.range"))
    return "";
  std::string pattern = name + "(";
  for (size_t k = 1; k < made->operands.size(); ++k) {
    Instr* a = made->operands[k];
    std::string sub = used_only_by(a, made) ? iterable_call_pattern(a, leaves, true) : "";
    if (sub.empty()) leaves.push_back(a);
    pattern += (k > 1 ? "," : "") + (sub.empty() ? std::string("#") : sub);
  }
  fn_->erase(made);
  return pattern + ")";
}

Instr* Builder::rebuild_iterable_call(const std::string& pattern, size_t& at, int& leaf, const BytecodeInstr& bi) {
  if (pattern[at] == '#') {
    ++at;
    int k = leaf++;
    return load_local(k == 0 ? ".0" : ".0." + std::to_string(k), bi);
  }
  size_t open = pattern.find('(', at);
  if (pattern[at] == '.') {  // .items(#): the view method of the leaf
    std::string attr = pattern.substr(at + 1, open - at - 1);
    at = open + 1;
    Instr* obj = rebuild_iterable_call(pattern, at, leaf, bi);
    ++at;  // ')'
    Instr* method = emit(Opcode::GetAttr, {obj}, bi);
    method->attr = attr;
    return emit(Opcode::Call, {method}, bi);
  }
  Instr* g = emit(Opcode::Global, {}, bi);
  g->gval.kind = GlobalValue::Kind::Function;
  g->gval.name = pattern.substr(at, open - at);
  g->var = g->gval.name.substr(g->gval.name.find('.') + 1);
  std::vector<Instr*> operands{g};
  at = open + 1;
  while (pattern[at] != ')') {
    operands.push_back(rebuild_iterable_call(pattern, at, leaf, bi));
    if (pattern[at] == ',') ++at;
  }
  ++at;
  return emit(Opcode::Call, std::move(operands), bi);
}

Instr* Builder::format_value(const BytecodeInstr& bi, Instr* value, std::string conversion, Instr* spec) {
  if (Instr* h = caught_handle(value)) {  // f"{e}", f"{e!r}": its text
    value = exception_text(bi, h, conversion == "!r");
    conversion.clear();
  }
  std::string spec_text;
  if (spec) {
    auto f = formatted_.find(spec);
    const std::string* s = constant_text(spec);
    if (f != formatted_.end()) s = f->second.values.empty() ? &f->second.text : nullptr;
    if (!s) unsupported(bi, "a format spec computed at run time in an f-string");
    spec_text = *s;
  }
  auto inner = formatted_.find(value);
  if (inner != formatted_.end()) {
    // CONVERT_VALUE then FORMAT_WITH_SPEC (3.13), or an f-string inside an f-string.
    Formatted f = inner->second;
    if (f.values.size() == 1 && f.text == "{}") {
      f.specs[0] += (f.specs[0].empty() || conversion.empty() ? conversion : "") + spec_text;
      return formatted_value(bi, f);
    }
    if (spec || !conversion.empty()) unsupported(bi, "a format spec on an f-string inside an f-string");
    return value;
  }
  // A constant str is part of the text; with a spec or conversion (f"{'n'!r:>5}", and what
  // CPython makes of "%s" % ("n",)) it is a value formatted like any other.
  if (const std::string* s = constant_text(value); s && !spec && conversion.empty())
    return formatted_value(bi, {escape_braces(*s), {}, {}});
  return formatted_value(bi, {"{}", {value}, {conversion + spec_text}});
}

Instr* Builder::build_string(const BytecodeInstr& bi, const std::vector<Instr*>& pieces) {
  Formatted all;
  for (Instr* p : pieces) {
    auto f = formatted_.find(p);
    if (f != formatted_.end()) {
      all.text += f->second.text;
      all.values.insert(all.values.end(), f->second.values.begin(), f->second.values.end());
      all.specs.insert(all.specs.end(), f->second.specs.begin(), f->second.specs.end());
    } else if (const std::string* s = constant_text(p)) {
      all.text += escape_braces(*s);
    } else {
      unsupported(bi, "f-strings");
    }
  }
  return formatted_value(bi, all);
}

// `raise E`, `raise E()`, `raise E(message)` of a builtin exception class, and `assert`
// (which raises AssertionError the same way): a Raise of that exception's code and
// message, where the message may be an f-string, a number, or several arguments (their
// tuple's text), its values formatted only if it is raised. The call that built the
// exception is dropped: nothing else can have seen it.
void Builder::raise(const BytecodeInstr& bi, Instr* exc) {
  if (Instr* h = caught_handle(exc)) {  // raise e: the exception caught, again
    emit(Opcode::Reraise, {h}, bi);
    return;
  }
  int32_t code = exception_class(exc);
  Formatted message;
  if (!code && exc->op == Opcode::Call && exc->kwnames.empty() && !cur_->instrs.empty() && cur_->instrs.back() == exc &&
      (code = exception_class(peek_function(exc->operands[0])))) {
    assume_function(exc->operands[0], peek_function(exc->operands[0]));  // the class it raises
    std::vector<Instr*> args(exc->operands.begin() + 1, exc->operands.end());
    auto add = [&](Instr* a, bool as_repr) {
      auto f = formatted_.find(a);
      if (f != formatted_.end()) {
        std::string q = as_repr ? "'" : "";
        message.text += q + f->second.text + q;
        message.values.insert(message.values.end(), f->second.values.begin(), f->second.values.end());
        message.specs.insert(message.specs.end(), f->second.specs.begin(), f->second.specs.end());
      } else if (const std::string* t = constant_text(a)) {
        message.text += escape_braces(as_repr ? dn_runtime::str_repr(*t) : *t);
      } else {
        // A number: str(exc) is str(x) (repr(x) inside the tuple of several).
        message.text += "{}";
        message.values.push_back(a);
        message.specs.push_back(as_repr ? "!r" : "!s");
      }
    };
    if (args.size() == 1) {
      add(args[0], false);
    } else if (args.size() > 1) {
      // str(E(a, b)) is str((a, b)).
      message.text = "(";
      for (size_t k = 0; k < args.size(); ++k) {
        if (k) message.text += ", ";
        add(args[k], true);
      }
      message.text += ")";
    }
    fn_->erase(exc);
  }
  if (!code) {
    Instr* cls = exc->op == Opcode::Call ? exc->operands[0] : exc;
    if (cls->op == Opcode::Global && cls->gval.kind == GlobalValue::Kind::Function &&
        cls->gval.name.rfind("exception_class.", 0) == 0)
      unsupported(bi, "raise of a user-defined exception class (" + cls->var +
                          "): compiled code raises the builtin ones (ValueError, KeyError, ...)");
    unsupported(bi, "raise of something other than a builtin exception class, or a call of one "
                    "(raise ValueError(f\"...\"))");
  }
  Instr* r = emit(Opcode::Raise, message.values, bi);
  r->error_code = code;
  r->value_formats = message.specs;
  // With no values, the text is the message itself (its braces not doubled).
  r->message = message.values.empty() ? unescape_braces(message.text) : message.text;
}

Instr* Builder::returned(const BytecodeInstr& bi, Instr* value) {
  std::vector<std::string> writes = nonlocal_writes(info_);
  if (writes.empty()) return value;
  std::vector<Instr*> items{value};
  for (const std::string& w : writes) items.push_back(load_local(w, bi));
  return emit(Opcode::BuildTuple, std::move(items), bi);
}

void Builder::store_nonlocals(const BytecodeInstr& bi, const FunctionInfo& callee) {
  std::vector<std::string> writes = nonlocal_writes(callee);
  if (writes.empty()) return;
  auto refuse = [&](const std::string& why, const std::string& hint) {
    report(ErrorKind::Unsupported, &info_, bi.loc,
           "Unsupported Python construct: " + callee.qualname + " assigns variable '" + writes[0] +
               "' of an enclosing function (nonlocal " + writes[0] + ") " + why,
           hint);
  };
  for (const std::string& w : writes)
    if (std::find(info_.cellvars.begin(), info_.cellvars.end(), w) == info_.cellvars.end())
      refuse("and is called from another inner function",
             "call it from the function that defines " + w + ", or return the new value instead");
  if (states_[cur_state_].handler)
    refuse("and is called inside a try block",
           "call it outside the try, or return the new value instead and assign it after the call");
  Instr* result = pop(bi);
  for (size_t k = 0; k < writes.size(); ++k) {
    Instr* g = emit(Opcode::TupleGet, {result}, bi);
    g->tuple_index = int64_t(k + 1);
    store_local(writes[k], g);
  }
  Instr* value = emit(Opcode::TupleGet, {result}, bi);
  value->tuple_index = 0;
  stack_.push_back(value);
}

// pow(a, b) is a ** b and divmod(a, b) is (a // b, a % b): Python defines them so, and
// the operators carry their semantics (types, errors) from here on.
// sorted(x, key=f, reverse=r), min(x, key=f), max(x, key=f): calls of the jitted helpers
// python/dunnart/keyed.py defines (the capture names them "$sorted_by_key" and
// "$extreme_by_key"), with the key function passed as a value.
void Builder::keyed_call(const BytecodeInstr& bi, Instr*& callee, std::vector<Instr*>& args) {
  const Instr* function = peek_function(callee);
  if (function->op != Opcode::Global || function->gval.kind != GlobalValue::Kind::Function) return;
  const std::string& f = function->gval.name;
  if (f != "builtins.sorted" && f != "builtins.min" && f != "builtins.max") return;
  size_t positional = args.size() - kwnames_.size();
  Instr* key = nullptr;
  Instr* reverse = nullptr;
  for (size_t k = 0; k < kwnames_.size(); ++k) {
    if (kwnames_[k] == "key") key = args[positional + k];
    else if (kwnames_[k] == "reverse" && f == "builtins.sorted") reverse = args[positional + k];
    else return;  // default=, ...: the builtin's own message
  }
  auto helper = info_.globals.find(f == "builtins.sorted" ? "$sorted_by_key" : "$extreme_by_key");
  if (!key || positional != 1 || helper == info_.globals.end()) return;
  assume_function(callee, function);
  if (key->op == Opcode::Const && key->cval.kind == ConstValue::Kind::None) {  // key=None: no key
    args.resize(positional);
    std::vector<std::string> kept;
    if (reverse) args.push_back(reverse), kept.push_back("reverse");
    kwnames_ = kept;
    return;
  }
  callee = helper_global(bi, helper->first);
  args = {args[0], key};
  if (f == "builtins.sorted") args.push_back(reverse ? reverse : bool_constant(false, bi.loc));
  else args.push_back(bool_constant(f == "builtins.max", bi.loc));  // largest
  kwnames_.clear();
}

// math.gcd(a, b), np.outer(a, b), np.linalg.norm(x), a from-imported isclose(a, b), ...:
// calls of the jitted helpers of dunnart/library.py, which the capture adds as globals
// "$lib_<qualified name>".
// keepdims= on a reduction (np.sum(a, axis=1, keepdims=True), a.max(axis=0, keepdims=True)):
// a constant one is taken out of the call; true, the reduced array and the axis (None when
// not given) are what the helper that keeps the axes needs.
bool Builder::take_keepdims(const BytecodeInstr& bi, Instr* callee, std::vector<Instr*>& args, Instr*& of,
                            Instr*& axis) {
  auto kw = std::find(kwnames_.begin(), kwnames_.end(), "keepdims");
  if (kw == kwnames_.end()) return false;
  static const std::set<std::string> reductions = {"sum", "prod", "mean", "std", "var", "min", "max", "amin",
                                                   "amax", "all", "any", "argmin", "argmax", "nansum", "nanprod",
                                                   "nanmean", "nanmax", "nanmin", "nanstd", "nanvar", "median"};
  std::string name = callee_name(callee);
  bool function = name.rfind("numpy.", 0) == 0 && reductions.count(name.substr(6));
  bool method = name.empty() && callee->op == Opcode::GetAttr && reductions.count(callee->attr);
  size_t positional = args.size() - kwnames_.size();
  Instr* value = args[positional + size_t(kw - kwnames_.begin())];
  if (!(function || method) || value->op != Opcode::Const || value->cval.kind != ConstValue::Kind::Bool ||
      !info_.globals.count("$lib_dunnart.keepdims"))
    return false;  // typing says what it does not take
  args.erase(args.begin() + long(positional + size_t(kw - kwnames_.begin())));
  kwnames_.erase(kw);
  if (!value->cval.i) return false;
  of = method ? callee->operands[0] : (positional > 0 ? args[0] : nullptr);
  if (!of) return false;
  size_t axis_at = method ? 0 : 1;
  axis = positional > axis_at ? args[axis_at] : nullptr;
  auto named = std::find(kwnames_.begin(), kwnames_.end(), "axis");
  if (named != kwnames_.end()) axis = args[positional + size_t(named - kwnames_.begin())];
  if (!axis) axis = constant(ConstValue{}, bi.loc);
  return true;
}

// np.unique(a, return_index=..., return_inverse=..., return_counts=...) with constant flags:
// the helper "$lib_dunnart.unique_all" gives every part, and the call is the tuple of the
// values and the parts asked for, in NumPy's order (its type depends on the flags).
Instr* Builder::unique_parts(const BytecodeInstr& bi, Instr* callee, std::vector<Instr*>& args) {
  if (callee_name(callee) != "numpy.unique" || kwnames_.empty()) return nullptr;
  auto helper = info_.globals.find("$lib_dunnart.unique_all");
  if (helper == info_.globals.end()) return nullptr;
  static const char* flags[] = {"return_index", "return_inverse", "return_counts"};
  size_t positional = args.size() - kwnames_.size();
  if (positional != 1) return nullptr;
  std::vector<bool> wanted(3, false);
  for (size_t k = 0; k < kwnames_.size(); ++k) {
    Instr* v = args[positional + k];
    int at = -1;
    for (int f = 0; f < 3; ++f)
      if (kwnames_[k] == flags[f]) at = f;
    if (at < 0 || v->op != Opcode::Const || v->cval.kind != ConstValue::Kind::Bool) return nullptr;
    wanted[size_t(at)] = v->cval.i != 0;
  }
  kwnames_.clear();
  drop_attribute_chain(callee);
  Instr* all = emit(Opcode::Call, {helper_global(bi, helper->first), args[0]}, bi);
  std::vector<Instr*> picked;
  for (int k = 0; k < 4; ++k) {
    if (k > 0 && !wanted[size_t(k - 1)]) continue;
    Instr* part = emit(Opcode::TupleGet, {all}, bi);
    part->tuple_index = k;
    picked.push_back(part);
  }
  return picked.size() == 1 ? picked[0] : emit(Opcode::BuildTuple, picked, bi);
}

std::string Builder::callee_name(const Instr* callee) const {
  if (callee->op == Opcode::Global && callee->gval.kind == GlobalValue::Kind::Function) return callee->gval.name;
  if (callee->op != Opcode::GetAttr) return "";
  std::vector<const Instr*> chain{callee};
  while (chain.back()->op == Opcode::GetAttr) chain.push_back(chain.back()->operands[0]);
  const Instr* root = chain.back();
  if (root->op != Opcode::Global || root->gval.kind != GlobalValue::Kind::Module) return "";
  std::string name = root->gval.name;
  for (size_t k = chain.size() - 1; k-- > 0;) name += "." + chain[k]->attr;
  return name;
}

void Builder::drop_attribute_chain(Instr* callee) {
  for (Instr* c = callee; c->op == Opcode::GetAttr;) {
    Instr* next = c->operands[0];
    bool used = false;
    for (auto& b : fn_->blocks)
      for (Instr* i : b->instrs)
        if (i != c && std::find(i->operands.begin(), i->operands.end(), c) != i->operands.end()) used = true;
    if (used) break;
    fn_->erase(c);
    c = next;
    if (c->op != Opcode::GetAttr) break;
  }
}

void Builder::library_helper_call(const BytecodeInstr& bi, Instr*& callee, const std::vector<Instr*>& args) {
  const size_t nargs = args.size();
  std::string name = callee_name(callee);  // a function, or a module's attribute
  if (keyword_reduction(callee, args)) {
    // a.sum(dtype=...), np.max(a, initial=0), a.sum(axis=(0, 1)): "$lib_numpy.sum/kw", the
    // receiver of a method first.
    bool method = name.empty();
    std::string key = "$lib_numpy." + (method ? callee->attr : name.substr(6)) + "/kw";
    if (method) {
      pending_receiver_ = callee->operands[0];
      callee->op = Opcode::Const;  // as a helper method's (below)
      callee->operands.clear();
      callee->attr.clear();
      callee->cval = ConstValue{};
    } else {
      drop_attribute_chain(callee);
    }
    callee = helper_global(bi, key);
    return;
  }
  if (name.empty() && callee->op == Opcode::GetAttr) {
    // a.fill(v), a.item(i): methods only arrays have, as helpers of the receiver first
    // ("$lib_array.fill"), and rng.normal(...) of a np.random.Generator
    // ("$lib_generator.normal"); the receiver becomes the call's first argument.
    auto method = info_.globals.find("$lib_array." + callee->attr);
    if (method == info_.globals.end()) method = info_.globals.find("$lib_generator." + callee->attr);
    if (method == info_.globals.end()) return;
    pending_receiver_ = callee->operands[0];
    // The method's value becomes None: unused here, and a copy kept in a variable (f = a.fill)
    // then says it cannot be called instead of pointing at a removed instruction.
    callee->op = Opcode::Const;
    callee->operands.clear();
    callee->attr.clear();
    callee->cval = ConstValue{};
    callee = helper_global(bi, method->first);
    return;
  }
  // "$lib_numpy.where/1": a helper for the calls of one argument count only (the others
  // compile natively).
  auto helper = info_.globals.find("$lib_" + name + "/" + std::to_string(nargs));
  if (helper == info_.globals.end()) helper = info_.globals.find("$lib_" + name);
  if (name.empty() || helper == info_.globals.end()) return;
  drop_attribute_chain(callee);  // np.linalg.norm's attributes go when unused
  callee = helper_global(bi, helper->first);
}

// np.zeros(n, "f8"), a.astype("int32"), dtype="complex": a constant dtype string where a
// call takes its dtype becomes the number class it names (np.float64), as NumPy reads it.
void Builder::dtype_strings(const BytecodeInstr& bi, const Instr* callee, std::vector<Instr*>& args) {
  static const std::map<std::string, size_t> positions = {
      {"numpy.empty", 1}, {"numpy.zeros", 1},      {"numpy.ones", 1},      {"numpy.full", 2},
      {"numpy.empty_like", 1}, {"numpy.zeros_like", 1}, {"numpy.ones_like", 1}, {"numpy.full_like", 2},
      {"numpy.array", 1}, {"numpy.asarray", 1},    {"numpy.arange", 3},    {"numpy.eye", 3},
      {"numpy.identity", 1}, {"numpy.frombuffer", 1},
  };
  size_t npos = args.size() - kwnames_.size();
  std::vector<size_t> slots;
  for (size_t k = 0; k < kwnames_.size(); ++k)
    if (kwnames_[k] == "dtype") slots.push_back(npos + k);
  auto p = positions.find(callee_name(callee));
  if (p != positions.end() && p->second < npos) slots.push_back(p->second);
  if (callee->op == Opcode::GetAttr && callee->attr == "astype" && npos >= 1) slots.push_back(0);
  for (size_t k : slots) {
    const Instr* a = args[k];
    const ConstValue* text = a->op == Opcode::Const                                             ? &a->cval
                             : a->op == Opcode::Global && a->gval.kind == GlobalValue::Kind::Const ? &a->gval.value
                                                                                                   : nullptr;
    if (!text || text->kind != ConstValue::Kind::Str) continue;  // a global or closure's str too
    std::optional<std::string> name = dtype_string_name(text->s);
    if (!name) continue;  // typing says what it takes
    Instr* g = emit(Opcode::Global, {}, bi);
    g->gval.kind = GlobalValue::Kind::NumberClass;
    g->gval.name = *name;
    g->var = "numpy." + *name;
    args[k] = g;
  }
}

// Whether a call of numpy.X or the method .X of a reduction has a keyword the compiler's
// own reduction does not take (dtype=, initial=, where=, ddof=) or a constant tuple as its axis, and
// the capture added the helper for it ("$lib_numpy.X/kw": library.py KEYWORD_REDUCTIONS).
bool Builder::keyword_reduction(const Instr* callee, const std::vector<Instr*>& args) const {
  const size_t nargs = args.size();
  std::string name = callee_name(callee);
  bool method = name.empty() && callee->op == Opcode::GetAttr;
  std::string reduction = method ? callee->attr : name.rfind("numpy.", 0) == 0 ? name.substr(6) : "";
  if (reduction.empty() || !info_.globals.count("$lib_numpy." + reduction + "/kw")) return false;
  size_t npos = nargs - kwnames_.size();
  for (size_t k = 0; k < kwnames_.size(); ++k) {
    const std::string& kw = kwnames_[k];
    if (kw == "dtype" || kw == "initial" || kw == "where" || kw == "ddof") return true;
  }
  // The axis: positional (after the array of a function), or axis=.
  const Instr* axis = nullptr;
  size_t at = method ? 0 : 1;
  if (npos > at) axis = args[at];
  for (size_t k = 0; k < kwnames_.size(); ++k)
    if (kwnames_[k] == "axis") axis = args[npos + k];
  return axis && axis->op == Opcode::Const && axis->cval.kind == ConstValue::Kind::Tuple;
}

// out= of a NumPy function or an array method: taken out of the call, to receive its value
// (numpy_shapes.store_out); null without one, or when the capture added no store_out.
Instr* Builder::take_out(const Instr* callee, std::vector<Instr*>& args) {
  auto kw = std::find(kwnames_.begin(), kwnames_.end(), "out");
  if (kw == kwnames_.end() || !info_.globals.count("$lib_dunnart.store_out")) return nullptr;
  std::string name = callee_name(callee);
  bool numpy = name.rfind("numpy.", 0) == 0 || (name.empty() && callee->op == Opcode::GetAttr);
  if (!numpy) return nullptr;
  size_t at = args.size() - kwnames_.size() + size_t(kw - kwnames_.begin());
  Instr* out = args[at];
  args.erase(args.begin() + long(at));
  kwnames_.erase(kw);
  return out;
}

// The global of a library helper the capture added ("$lib_...": library.py).
Instr* Builder::helper_global(const BytecodeInstr& bi, const std::string& name) {
  Instr* g = emit(Opcode::Global, {}, bi);
  g->gval = info_.globals.at(name);
  g->var = name;
  return g;
}

Instr* Builder::builtin_operator(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args) {
  if (!kwnames_.empty()) return nullptr;
  const std::string name = callee_name(callee);
  if (name.empty()) return nullptr;
  auto binop = [&](BinOpKind k, Instr* x, Instr* y, bool ufunc) {
    Instr* b = emit(Opcode::BinOp, {x, y}, bi);
    b->binop = k;
    b->ufunc = ufunc;
    return b;
  };
  if (args.size() == 2 && name == "builtins.pow") return binop(BinOpKind::Pow, args[0], args[1], false);
  if (args.size() == 2 && (name == "builtins.divmod" || name == "numpy.divmod")) {
    bool ufunc = name == "numpy.divmod";
    Instr* q = binop(BinOpKind::FloorDiv, args[0], args[1], ufunc);
    Instr* r = binop(BinOpKind::Mod, args[0], args[1], ufunc);
    return emit(Opcode::BuildTuple, {q, r}, bi);
  }
  // NumPy's ufuncs that are Python's operators: np.add(a, b) is a + b (array code fuses it),
  // np.divide(1.0, 0.0) is inf (the `ufunc` flag: no ZeroDivisionError).
  static const std::map<std::string, BinOpKind> binops = {
      {"numpy.add", BinOpKind::Add},           {"numpy.subtract", BinOpKind::Sub},
      {"numpy.multiply", BinOpKind::Mul},      {"numpy.divide", BinOpKind::TrueDiv},
      {"numpy.true_divide", BinOpKind::TrueDiv}, {"numpy.floor_divide", BinOpKind::FloorDiv},
      {"numpy.mod", BinOpKind::Mod},           {"numpy.remainder", BinOpKind::Mod},
      {"numpy.bitwise_and", BinOpKind::And},   {"numpy.bitwise_or", BinOpKind::Or},
      {"numpy.bitwise_xor", BinOpKind::Xor},   {"numpy.left_shift", BinOpKind::LShift},
      {"numpy.right_shift", BinOpKind::RShift}, {"numpy.matmul", BinOpKind::MatMul},
  };
  static const std::map<std::string, CmpKind> compares = {
      {"numpy.equal", CmpKind::Eq},   {"numpy.not_equal", CmpKind::Ne},   {"numpy.less", CmpKind::Lt},
      {"numpy.less_equal", CmpKind::Le}, {"numpy.greater", CmpKind::Gt}, {"numpy.greater_equal", CmpKind::Ge},
  };
  static const std::map<std::string, UnaryKind> unops = {
      {"numpy.negative", UnaryKind::Neg}, {"numpy.positive", UnaryKind::Pos},
      {"numpy.invert", UnaryKind::Invert}, {"numpy.bitwise_not", UnaryKind::Invert},
  };
  if (args.size() == 2) {
    if (auto b = binops.find(name); b != binops.end()) return binop(b->second, args[0], args[1], true);
    if (auto c = compares.find(name); c != compares.end()) {
      Instr* cmp = emit(Opcode::Compare, {args[0], args[1]}, bi);
      cmp->cmp = c->second;
      cmp->ufunc = true;
      return cmp;
    }
  }
  if (args.size() == 1) {
    if (auto u = unops.find(name); u != unops.end()) {
      Instr* op = emit(Opcode::UnaryOp, {args[0]}, bi);
      op->unop = u->second;
      op->ufunc = true;
      return op;
    }
  }
  return nullptr;
}

// str(x): the text print writes of x (a str stays itself), as an f-string "{x}" makes it.
Instr* Builder::str_call(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args) {
  if (callee->op != Opcode::Global || callee->gval.kind != GlobalValue::Kind::Function ||
      callee->gval.name != "builtins.str" || !kwnames_.empty() || args.size() > 1)
    return nullptr;
  if (args.empty()) {
    ConstValue empty;
    empty.kind = ConstValue::Kind::Str;
    return constant(empty, bi.loc);
  }
  if (constant_text(args[0]) || formatted_.count(args[0])) return args[0];
  if (Instr* h = caught_handle(args[0])) return exception_text(bi, h, false);
  return formatted_value(bi, {"{}", {args[0]}, {"!s"}});
}

// FOR_ITER and SEND: the iterator on top of the stack steps. Exhausted, the code jumps to
// the target with the stack `exhausted` shapes; otherwise it goes on with the next value
// pushed.
void Builder::iteration_step(const BytecodeInstr& bi, size_t index, const std::function<void()>& exhausted) {
  if (stack_.empty()) unsupported(bi, "bytecode that underflows the stack");
  Instr* it = stack_.back();
  Instr* valid = emit(Opcode::IterValid, {it}, bi);
  size_t exit = block_at_offset_.at(bi.target);
  size_t fall = block_at_offset_.at(info_.code[index + 1].offset);
  end_block_stack();
  std::vector<Instr*> stack = stack_;
  exhausted();
  flow_to(exit, bi);
  stack_ = std::move(stack);
  Block* body = new_block_here();
  emit(Opcode::CondBr, {valid}, bi)->blocks = {body, states_[exit].block};
  cur_ = body;
  stack_.push_back(emit(Opcode::IterNext, {it}, bi));
  end_block_stack();
  flow_to(fall, bi);
  emit(Opcode::Br, {}, bi)->blocks.push_back(states_[fall].block);
  terminated_ = true;
}

// `a, *rest, z = seq`: the first `before` and last `after` elements, and the list of those
// between; Python's ValueError when seq has fewer than before + after.
void Builder::unpack_starred(const BytecodeInstr& bi, Instr* seq, int before, int after) {
  auto builtin = [&](const char* name) {
    Instr* g = emit(Opcode::Global, {}, bi);
    g->var = name;
    g->gval.kind = GlobalValue::Kind::Function;
    g->gval.name = std::string("builtins.") + name;
    return g;
  };
  Instr* n = emit(Opcode::Call, {builtin("len"), seq}, bi);
  Instr* short_of = emit(Opcode::Compare, {n, int_constant(before + after, bi.loc)}, bi);
  short_of->cmp = CmpKind::Lt;
  Block* error = new_block_here();
  Block* ok = new_block_here();
  emit(Opcode::CondBr, {short_of}, bi)->blocks = {error, ok};
  cur_ = error;
  Instr* r = emit(Opcode::Raise, {n}, bi);
  r->error_code = DN_VALUE_ERROR;
  r->message = "not enough values to unpack (expected at least " + std::to_string(before + after) + ", got {})";
  r->value_formats = {""};
  cur_ = ok;
  auto item = [&](int64_t k) { return emit(Opcode::GetItem, {seq, int_constant(k, bi.loc)}, bi); };
  Instr* none = constant(ConstValue{}, bi.loc);
  Instr* middle = emit(Opcode::Call, {builtin("slice"), int_constant(before, bi.loc),
                                      after ? int_constant(-after, bi.loc) : none, none}, bi);
  std::vector<Instr*> values;
  for (int k = 0; k < before; ++k) values.push_back(item(k));
  values.push_back(emit(Opcode::Call, {builtin("list"), emit(Opcode::GetItem, {seq, middle}, bi)}, bi));
  for (int k = 0; k < after; ++k) values.push_back(item(k - after));
  for (auto it = values.rbegin(); it != values.rend(); ++it) stack_.push_back(*it);  // the first on top
}

Instr* Builder::exception_text(const BytecodeInstr& bi, Instr* handle, bool as_repr) {
  Instr* f = emit(Opcode::Global, {}, bi);
  f->gval.kind = GlobalValue::Kind::Function;
  f->gval.name = "dunnart.exception_text";
  Instr* c = emit(Opcode::Call, {f, handle, int_constant(as_repr ? 1 : 0, bi.loc)}, bi);
  c->func = "exception_text";
  return c;
}

void Builder::check_caught_uses() {
  for (auto& b : fn_->blocks)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands)
        if (caught_values_.count(o))
          report(ErrorKind::Unsupported, &info_, i->loc,
                 "Unsupported Python construct: this use of the exception of `except ... as " + o->var +
                     ":` (compiled code has its class and text: str(" + o->var + "), repr(" + o->var + "), print(" +
                     o->var + "), f-strings of it and raise " + o->var + ")",
                 "catch the classes you need in separate except clauses, or use str(" + o->var + ")");
}

// "{} and {:.2f}".format(x, y) of a literal format: the f-string it spells (str_format.h);
// a format Python refuses raises what Python raises, where it runs.
Instr* Builder::str_format(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args) {
  if (callee->op != Opcode::GetAttr || callee->attr != "format" || formatted_.count(callee->operands[0])) return nullptr;
  const std::string* format = constant_text(callee->operands[0]);
  if (!format) return nullptr;
  StrFormat p = parse_str_format(*format, args.size() - kwnames_.size(), kwnames_);
  if (!p.unsupported.empty()) unsupported(bi, p.unsupported);
  kwnames_.clear();
  fn_->erase(callee);  // the method itself: nothing else sees it
  auto text = [&](const std::string& t) {
    ConstValue c;
    c.kind = ConstValue::Kind::Str;
    c.s = t;
    return constant(c, bi.loc);
  };
  if (p.error_code) {
    Instr* r = emit(Opcode::Raise, {}, bi);
    r->error_code = p.error_code;
    r->message = p.error_message;  // no values: the text as it is
    cur_ = new_block_here();  // unreachable: what follows still builds
    return text("");
  }
  std::vector<Instr*> pieces{text(p.literals[0])};
  for (size_t k = 0; k < p.arguments.size(); ++k) {
    pieces.push_back(format_value(bi, args[p.arguments[k]], p.conversions[k], p.specs[k].empty() ? nullptr : text(p.specs[k])));
    pieces.push_back(text(p.literals[k + 1]));
  }
  return build_string(bi, pieces);
}

void Builder::call(const BytecodeInstr& bi, int argc) {
  std::vector<Instr*> args(argc);
  for (int k = argc - 1; k >= 0; --k) args[k] = pop(bi);
  Instr* callee;
  if (info_.python_version >= 313) {
    Instr* self_or_null = pop(bi);
    callee = pop(bi);
    if (self_or_null != null_marker()) args.insert(args.begin(), self_or_null);
  } else {
    Instr* callable_or_self = pop(bi);
    Instr* null_or_method = pop(bi);
    if (null_or_method == null_marker()) {
      callee = callable_or_self;
    } else {
      callee = null_or_method;
      args.insert(args.begin(), callable_or_self);
    }
  }
  if (consume_generator(bi, callee, args)) return;
  std::shared_ptr<const FunctionInfo> writer;  // an inner function called, that may assign nonlocals
  if (const LocalFunction* local = local_function_of(callee)) {
    // A 3.11 comprehension is passed the iterable; it takes the iterator itself. Over
    // enumerate/zip/reversed(...), it is passed that call's arguments and makes the call.
    std::string iterable_call;
    int iterable_args = 0;
    if (local->info && !local->info->varnames.empty() && local->info->varnames[0] == ".0" &&
        args.size() == 1 && args[0]->op == Opcode::GetIter && cur_->instrs.back() == args[0]) {
      Instr* iter = args[0];
      args[0] = iter->operands[0];
      fn_->erase(iter);
      std::vector<Instr*> leaves;
      iterable_call = iterable_call_pattern(args[0], leaves);
      if (!iterable_call.empty()) {
        args = leaves;
        iterable_args = int(args.size());
      }
    }
    // What it captures goes by keyword, after the call's own keywords (bind_call_arguments
    // puts every argument in its place).
    std::vector<const FunctionInfo*> active;
    auto [handle, captured] = bind_local_function(*local, bi, active, iterable_call, iterable_args);
    args.insert(args.end(), captured.begin(), captured.end());
    callee = local_function_value(handle, bi);
    const auto& names = local_function(handle)->captured;
    kwnames_.insert(kwnames_.end(), names.begin(), names.end());
    writer = local_function(handle);
  }
  if (callee->op == Opcode::Global && callee->gval.kind == GlobalValue::Kind::Function) {
    // print(e) and repr(e) of a caught exception: of its text.
    if (callee->gval.name == "builtins.repr" && args.size() == 1 && kwnames_.empty())
      if (Instr* h = caught_handle(args[0])) {
        stack_.push_back(exception_text(bi, h, true));
        return;
      }
    if (callee->gval.name == "builtins.print")
      for (Instr*& a : args)
        if (Instr* h = caught_handle(a)) a = exception_text(bi, h, false);
  }
  dtype_strings(bi, callee, args);
  Instr* out = take_out(callee, args);
  // out=: the value stored into it, and the call's value is `out` (numpy_shapes.store_out).
  auto into_out = [&](Instr* value) {
    return out ? emit(Opcode::Call, {helper_global(bi, "$lib_dunnart.store_out"), out, value}, bi) : value;
  };
  if (Instr* op = builtin_operator(bi, callee, args)) {
    drop_attribute_chain(callee);
    stack_.push_back(into_out(op));
    return;
  }
  keyed_call(bi, callee, args);
  if (Instr* parts = unique_parts(bi, callee, args)) {
    stack_.push_back(parts);
    return;
  }
  Instr* kept_of = nullptr;  // keepdims=True: the reduced array
  Instr* kept_axis = nullptr;
  bool keepdims = take_keepdims(bi, callee, args, kept_of, kept_axis);
  library_helper_call(bi, callee, args);
  if (pending_receiver_) {  // a method become a helper: its receiver goes first
    args.insert(args.begin(), pending_receiver_);
    pending_receiver_ = nullptr;
  }
  if (Instr* s = str_call(bi, callee, args)) {
    stack_.push_back(s);
    return;
  }
  if (Instr* s = str_format(bi, callee, args)) {
    stack_.push_back(s);
    return;
  }
  args.insert(args.begin(), callee);
  Instr* c = emit(Opcode::Call, std::move(args), bi);
  c->kwnames = std::move(kwnames_);
  kwnames_.clear();
  if (keepdims) {
    // The reduction, then its result with the reduced axes back (length 1): the helper
    // "$lib_dunnart.keepdims" (numpy_shapes.keepdims).
    c = emit(Opcode::Call, {helper_global(bi, "$lib_dunnart.keepdims"), c, kept_of, kept_axis}, bi);
  }
  c = into_out(c);
  stack_.push_back(c);
  if (writer) store_nonlocals(bi, *writer);
  if (callee->op == Opcode::Global && callee->gval.kind == GlobalValue::Kind::Dispatcher &&
      is_local_function_handle(callee->gval.handle) && local_function(callee->gval.handle)->generator &&
      local_function(callee->gval.handle)->name == "<genexpr>")
    generator_calls_[c] = callee->gval.handle;
}

namespace {

const std::set<std::string>& generator_consumers() {
  static const std::set<std::string> names = {"builtins.sum", "builtins.any", "builtins.all", "builtins.min",
                                              "builtins.max", "builtins.list", "builtins.set", "builtins.sorted"};
  return names;
}

}  // namespace

// sum(<genexpr>) and the like: the generator expression is compiled with the consumer's
// loop inside it (FunctionInfo::consumer), and its call stands for the consumer's.
bool Builder::consume_generator(const BytecodeInstr& bi, Instr* callee, const std::vector<Instr*>& args) {
  for (Instr* a : args)
    if (consumed_generators_.count(a))
      unsupported(bi, "using a generator expression again after it was consumed (in Python it is then empty); "
                      "write a list comprehension ([... for ...]) to use the values twice");
  if (args.size() != 1 || !kwnames_.empty() || !generator_calls_.count(args[0]) || callee->op != Opcode::Global ||
      callee->gval.kind != GlobalValue::Kind::Function || !generator_consumers().count(callee->gval.name))
    return false;
  Instr* made = args[0];
  LocalBinding binding;
  binding.consumer = callee->gval.name;
  made->operands[0]->gval.handle = local_function_handle(local_function(generator_calls_.at(made)), binding);
  generator_calls_.erase(made);
  consumed_generators_.insert(made);
  stack_.push_back(made);
  return true;
}

// What the consumer keeps across yields: "$acc" (and "$has": whether min/max saw a value).
void Builder::start_consumer(Block* entry) {
  const std::string& c = info_.consumer;
  if (c == "builtins.sum") {
    Instr* zero = fn_->append(entry, Opcode::Const);
    zero->cval.kind = ConstValue::Kind::Int;
    write_var("$acc", entry, zero);
  } else if (c == "builtins.list" || c == "builtins.sorted") {
    write_var("$acc", entry, fn_->append(entry, Opcode::BuildList));
  } else if (c == "builtins.set") {
    write_var("$acc", entry, fn_->append(entry, Opcode::BuildSet));
  } else if (c == "builtins.min" || c == "builtins.max") {
    write_var("$has", entry, false_);
  }
}

// A yield of the generator expression, as its consumer takes the value (Python's order:
// any/all stop at the first value that decides them).
void Builder::consume_yield(const BytecodeInstr& bi, Instr* value) {
  const std::string& c = info_.consumer;
  if (c == "builtins.sum") {
    Instr* add = emit(Opcode::BinOp, {read_var("$acc", cur_, bi.loc), value}, bi);
    add->binop = BinOpKind::Add;
    write_var("$acc", cur_, add);
  } else if (c == "builtins.any" || c == "builtins.all") {
    bool any = c == "builtins.any";
    Instr* truth = value->op == Opcode::Compare || value->op == Opcode::Truth ? value : emit(Opcode::Truth, {value}, bi);
    Block* decided = new_block_here();
    Block* go_on = new_block_here();
    emit(Opcode::CondBr, {truth}, bi)->blocks = any ? std::vector<Block*>{decided, go_on} : std::vector<Block*>{go_on, decided};
    cur_ = decided;
    emit(Opcode::Return, {bool_constant(any, bi.loc)}, bi);
    cur_ = go_on;
  } else if (c == "builtins.min" || c == "builtins.max") {
    Block* compare = new_block_here();
    Block* take = new_block_here();
    Block* join = new_block_here();
    emit(Opcode::CondBr, {read_var("$has", cur_, bi.loc)}, bi)->blocks = {compare, take};
    cur_ = compare;
    Instr* better = emit(Opcode::Compare, {value, read_var("$acc", cur_, bi.loc)}, bi);
    better->cmp = c == "builtins.min" ? CmpKind::Lt : CmpKind::Gt;  // ties keep the first, as Python
    emit(Opcode::CondBr, {better}, bi)->blocks = {take, join};
    cur_ = take;
    write_var("$acc", take, value);
    write_var("$has", take, true_);
    emit(Opcode::Br, {}, bi)->blocks = {join};
    cur_ = join;
  } else {
    Instr* method = emit(Opcode::GetAttr, {read_var("$acc", cur_, bi.loc)}, bi);
    method->attr = c == "builtins.set" ? "add" : "append";
    emit(Opcode::Call, {method, value}, bi);
  }
}

// What the consumer returns once the generator expression is exhausted.
Instr* Builder::consumer_result(const BytecodeInstr& bi) {
  const std::string& c = info_.consumer;
  if (c == "builtins.any") return bool_constant(false, bi.loc);
  if (c == "builtins.all") return bool_constant(true, bi.loc);
  if (c == "builtins.min" || c == "builtins.max") {
    Block* found = new_block_here();
    Block* empty = new_block_here();
    emit(Opcode::CondBr, {read_var("$has", cur_, bi.loc)}, bi)->blocks = {found, empty};
    cur_ = empty;
    Instr* r = emit(Opcode::Raise, {}, bi);
    r->error_code = DN_VALUE_ERROR;
    r->message = c.substr(9) + (info_.python_version >= 312 ? "() iterable argument is empty" : "() arg is an empty sequence");
    cur_ = found;
  }
  if (c == "builtins.sorted") {
    Instr* method = emit(Opcode::GetAttr, {read_var("$acc", cur_, bi.loc)}, bi);
    method->attr = "sort";
    emit(Opcode::Call, {method}, bi);
  }
  return read_var("$acc", cur_, bi.loc);
}

void Builder::translate(const BytecodeInstr& bi, size_t index) {
  const std::string& op = bi.opname;
  const int v = info_.python_version;
  auto push = [&](Instr* i) { stack_.push_back(i); };
  auto top = [&](int n) -> Instr*& {  // 1-based from the top, like COPY/SWAP
    if (int(stack_.size()) < n) unsupported(bi, "bytecode that underflows the stack");
    return stack_[stack_.size() - n];
  };

  if (op == "NOP" || op == "RESUME" || op == "EXTENDED_ARG" || op == "PRECALL" ||
      op == "CACHE" || op == "COPY_FREE_VARS" || op == "MAKE_CELL" || op == "NOT_TAKEN") {
    return;
  }
  // 3.13 builds a closure's tuple from the cells with LOAD_FAST (reads use LOAD_DEREF); a
  // 3.11 comprehension's ".0" is its iterator, made here from the iterable it is passed.
  auto load_fast = [&](const std::string& name) {
    if (v >= 313 && is_cell(name)) return closure_marker(bi);
    if (name == ".0" && !info_.varnames.empty() && info_.varnames[0] == ".0") {
      Instr* iterable = load_local(name, bi);
      if (!info_.iterable_call.empty()) {
        size_t at = 0;
        int leaf = 0;
        iterable = rebuild_iterable_call(info_.iterable_call, at, leaf, bi);
      }
      return emit(Opcode::GetIter, {iterable}, bi);
    }
    return load_local(name, bi);
  };
  if (op == "LOAD_FAST" || op == "LOAD_FAST_CHECK" || op == "LOAD_FAST_BORROW") {
    push(load_fast(bi.name));
  } else if (op == "LOAD_FAST_LOAD_FAST") {
    // 3.13: name is "a, b" (dis shows a tuple); the bindings split it with a comma.
    auto comma = bi.name.find(',');
    push(load_fast(bi.name.substr(0, comma)));
    push(load_fast(bi.name.substr(comma + 1)));
  } else if (op == "STORE_FAST") {
    Instr* val = pop(bi);
    if (val == null_marker()) unsupported(bi, "storing a NULL");
    store_local(bi.name, val);
  } else if (op == "STORE_FAST_STORE_FAST") {
    auto comma = bi.name.find(',');
    store_local(bi.name.substr(0, comma), pop(bi));
    store_local(bi.name.substr(comma + 1), pop(bi));
  } else if (op == "STORE_FAST_LOAD_FAST") {
    auto comma = bi.name.find(',');
    store_local(bi.name.substr(0, comma), pop(bi));
    push(load_local(bi.name.substr(comma + 1), bi));
  } else if (op == "LOAD_CONST" || op == "LOAD_SMALL_INT") {
    push(constant(info_.consts.at(bi.arg), bi.loc));
    if (op == "LOAD_CONST" && info_.nested.count(bi.arg)) code_consts_[stack_.back()] = bi.arg;
  } else if (op == "RETURN_CONST") {
    emit(Opcode::Return, {info_.consumer.empty() ? returned(bi, constant(info_.consts.at(bi.arg), bi.loc)) : consumer_result(bi)}, bi);
    terminated_ = true;
  } else if (op == "RETURN_VALUE") {
    Instr* v = pop(bi);
    emit(Opcode::Return, {info_.consumer.empty() ? returned(bi, v) : consumer_result(bi)}, bi);
    terminated_ = true;
  } else if ((op == "RETURN_GENERATOR" || op == "YIELD_VALUE") && (!info_.consumer.empty() || info_.generator)) {
    // A generator expression with its consumer: the yield hands the value to it. A
    // generator function: a yield (lower_generators). Both resume with None (what the
    // generator object and a plain next() send).
    if (op == "YIELD_VALUE" && !info_.consumer.empty()) consume_yield(bi, pop(bi));
    else if (op == "YIELD_VALUE") emit(Opcode::Yield, {pop(bi)}, bi);
    push(constant(ConstValue{}, bi.loc));
  } else if (op == "LOAD_GLOBAL") {
    bool with_null = bi.arg & 1;
    if (with_null && v < 313) push(null_marker());
    auto it = info_.globals.find(bi.name);
    if (it == info_.globals.end())
      report(ErrorKind::Typing, &info_, bi.loc, "name '" + bi.name + "' is not defined");
    Instr* g = emit(Opcode::Global, {}, bi);
    g->var = bi.name;
    g->gval = it->second;
    push(g);
    if (with_null && v >= 313) push(null_marker());
  } else if (op == "LOAD_DEREF") {
    push(load_deref(bi.name, bi));
  } else if (op == "STORE_DEREF") {
    bool passed = std::find(info_.captured.begin(), info_.captured.end(), bi.name) != info_.captured.end();
    if (std::find(info_.cellvars.begin(), info_.cellvars.end(), bi.name) == info_.cellvars.end() &&
        (!passed || info_.generator))
      report(ErrorKind::Unsupported, &info_, bi.loc,
             "Unsupported Python construct: assigning to variable '" + bi.name +
                 "' of an enclosing function (nonlocal " + bi.name + "): the inner function is compiled with its value",
             "return the new value instead and assign it where the function is called: " + bi.name + " = f(" +
                 bi.name + ", ...)");
    Instr* val = pop(bi);
    if (val == null_marker()) unsupported(bi, "storing a NULL");
    store_local(bi.name, val);
  } else if (op == "LOAD_CLOSURE") {
    push(closure_marker(bi));
  } else if (op == "LOAD_ATTR" || op == "LOAD_METHOD") {
    bool method = op == "LOAD_METHOD" || (v >= 312 && (bi.arg & 1));
    Instr* obj = pop(bi);
    Instr* a = emit(Opcode::GetAttr, {obj}, bi);
    a->attr = bi.name;
    // a.flat (only arrays have it): the call a.flat() of the shape method typing knows,
    // the elements in C order (shape_functions.cpp).
    if (!method && bi.name == "flat") a = emit(Opcode::Call, {a}, bi);
    if (method && v < 313) push(null_marker());
    push(a);
    if (method && v >= 313) push(null_marker());
  } else if (op == "PUSH_NULL") {
    push(null_marker());
  } else if (op == "KW_NAMES") {
    for (auto& item : info_.consts.at(bi.arg).items) kwnames_.push_back(item.s);
  } else if (op == "CALL") {
    call(bi, bi.arg);
  } else if (op == "CALL_KW") {
    // 3.13: the tuple of keyword names is on top of the stack, a constant.
    Instr* names = pop(bi);
    if (names->op != Opcode::Const) unsupported(bi, "computed keyword names");
    for (auto& item : names->cval.items) kwnames_.push_back(item.s);
    call(bi, bi.arg);
  } else if (op == "BINARY_OP") {
    Instr* rhs = pop(bi);
    Instr* lhs = pop(bi);
    Instr* b = emit(Opcode::BinOp, {lhs, rhs}, bi);
    b->binop = nb_op(bi.arg);
    b->inplace = bi.arg >= 13;
    push(b);
  } else if (op == "UNARY_NEGATIVE" || op == "UNARY_POSITIVE" || op == "UNARY_INVERT" ||
             op == "UNARY_NOT") {
    UnaryKind k = op == "UNARY_NEGATIVE"   ? UnaryKind::Neg
                  : op == "UNARY_POSITIVE" ? UnaryKind::Pos
                  : op == "UNARY_INVERT"   ? UnaryKind::Invert
                                           : UnaryKind::Not;
    Instr* u = emit(Opcode::UnaryOp, {pop(bi)}, bi);
    u->unop = k;
    push(u);
  } else if (op == "CALL_INTRINSIC_1") {
    // 3.12+: name is dis's argrepr, the intrinsic's name.
    if (bi.name == "INTRINSIC_UNARY_POSITIVE") {
      Instr* u = emit(Opcode::UnaryOp, {pop(bi)}, bi);
      u->unop = UnaryKind::Pos;
      push(u);
    } else {
      const char* what = intrinsic_construct(bi.name);
      unsupported(bi, what ? std::string(what) : "bytecode CALL_INTRINSIC_1 " + bi.name);
    }
  } else if (op == "TO_BOOL") {
    // 3.13. A comparison or a truth value stays as it is, as 3.11's branches see it.
    Instr* val = pop(bi);
    push(val->op == Opcode::Compare || val->op == Opcode::Truth ? val
                                                                : emit(Opcode::Truth, {val}, bi));
  } else if (op == "COMPARE_OP" || op == "IS_OP" || op == "CONTAINS_OP") {
    Instr* rhs = pop(bi);
    Instr* lhs = pop(bi);
    CmpKind k = op == "COMPARE_OP" ? cmp_op(bi.name)
                : op == "IS_OP"    ? (bi.arg ? CmpKind::IsNot : CmpKind::Is)
                                   : (bi.arg ? CmpKind::NotIn : CmpKind::In);
    Instr* c = emit(Opcode::Compare, {lhs, rhs}, bi);
    c->cmp = k;
    push(c);
  } else if (op.find("POP_JUMP") == 0) {
    // POP_JUMP_{FORWARD,BACKWARD}_IF_{TRUE,FALSE,NONE,NOT_NONE} and 3.12's POP_JUMP_IF_*.
    Instr* val = pop(bi);
    bool none = op.find("NONE") != std::string::npos;
    if (none) {
      Instr* c = emit(Opcode::Compare, {val, constant(ConstValue{}, bi.loc)}, bi);
      c->cmp = op.find("NOT_NONE") != std::string::npos ? CmpKind::IsNot : CmpKind::Is;
      cond_jump(bi, c, true, true);
    } else {
      cond_jump(bi, val, op.find("TRUE") != std::string::npos, true);
    }
  } else if (op == "JUMP_IF_FALSE_OR_POP" || op == "JUMP_IF_TRUE_OR_POP") {
    cond_jump(bi, top(1), op == "JUMP_IF_TRUE_OR_POP", false);
  } else if (op.rfind("JUMP", 0) == 0) {  // JUMP_FORWARD, JUMP_BACKWARD(_NO_INTERRUPT), JUMP
    end_block_stack();
    size_t target = block_at_offset_.at(bi.target);
    flow_to(target, bi);
    emit(Opcode::Br, {}, bi)->blocks.push_back(jump_block(target, bi));
    terminated_ = true;
  } else if (op == "GET_ITER") {
    push(emit(Opcode::GetIter, {pop(bi)}, bi));
  } else if (op == "FOR_ITER") {
    // Exhausted: 3.11 pops the iterator and jumps; 3.12+ jump to END_FOR, which pops it
    // (and a placeholder value) itself.
    iteration_step(bi, index, [&] {
      if (v >= 312) push(null_marker());
      else stack_.pop_back();
    });
  } else if (op == "GET_YIELD_FROM_ITER") {
    top(1) = emit(Opcode::GetIter, {top(1)}, bi);
  } else if (op == "SEND") {
    // `yield from it`: each value `it` makes is yielded on (the value sent back is always
    // None: nothing sends another); exhausted, its result is None, on top of it (3.12+,
    // for END_SEND) or in its place (3.11).
    pop(bi);
    Instr* none = constant(ConstValue{}, bi.loc);
    iteration_step(bi, index, [&] {
      if (v < 312) stack_.pop_back();
      push(none);
    });
  } else if (op == "END_SEND") {
    Instr* result = pop(bi);
    pop(bi);
    push(result);
  } else if (op == "END_FOR") {
    pop(bi);
    if (v < 313) pop(bi);
  } else if (op == "POP_ITER") {
    pop(bi);
  } else if (op == "POP_TOP") {
    pop(bi);
  } else if (op == "COPY") {
    push(top(bi.arg));
  } else if (op == "SWAP") {
    std::swap(top(1), top(bi.arg));
  } else if (op == "BUILD_TUPLE") {
    std::vector<Instr*> items(bi.arg);
    for (int k = bi.arg - 1; k >= 0; --k) items[k] = pop(bi);
    push(emit(Opcode::BuildTuple, std::move(items), bi));
  } else if (op == "UNPACK_SEQUENCE") {
    Instr* seq = pop(bi);
    for (int k = bi.arg - 1; k >= 0; --k) {
      Instr* g = emit(Opcode::TupleGet, {seq}, bi);
      g->tuple_index = k;
      g->unpack_count = bi.arg;
      push(g);
    }
  } else if (op == "UNPACK_EX") {
    unpack_starred(bi, pop(bi), bi.arg & 0xff, bi.arg >> 8);
  } else if (op == "BUILD_SLICE" || op == "BINARY_SLICE" || op == "STORE_SLICE") {
    // a[i:j:k] is a call of the builtin slice(i, j, k); 3.12's BINARY_SLICE/STORE_SLICE
    // fuse the slice with the subscript.
    int n = op == "BUILD_SLICE" ? bi.arg : 2;
    std::vector<Instr*> parts(static_cast<size_t>(n));
    for (int k = n - 1; k >= 0; --k) parts[size_t(k)] = pop(bi);
    Instr* g = emit(Opcode::Global, {}, bi);
    g->var = "slice";
    g->gval.kind = GlobalValue::Kind::Function;
    g->gval.name = "builtins.slice";
    parts.insert(parts.begin(), g);
    Instr* slice = emit(Opcode::Call, std::move(parts), bi);
    if (op == "BUILD_SLICE") {
      push(slice);
    } else {
      Instr* obj = pop(bi);
      if (op == "BINARY_SLICE") {
        push(emit(Opcode::GetItem, {obj, slice}, bi));
      } else {
        Instr* val = pop(bi);
        emit(Opcode::SetItem, {obj, slice, val}, bi);
      }
    }
  } else if (op == "BINARY_SUBSCR") {
    Instr* idx = pop(bi);
    Instr* obj = pop(bi);
    push(emit(Opcode::GetItem, {obj, idx}, bi));
  } else if (op == "STORE_SUBSCR") {
    Instr* idx = pop(bi);
    Instr* obj = pop(bi);
    Instr* val = pop(bi);
    emit(Opcode::SetItem, {obj, idx, val}, bi);
  } else if (op == "LOAD_FAST_AND_CLEAR") {
    // 3.12+ inlined comprehensions save the loop variable (unbound: an undefined value)
    // and restore it with STORE_FAST after the loop. The clear needs no value: the
    // comprehension stores the variable before reading it.
    push(read_var(bi.name, cur_, bi.loc));
  } else if (op == "DELETE_SUBSCR") {
    Instr* idx = pop(bi);
    Instr* obj = pop(bi);
    emit(Opcode::DelItem, {obj, idx}, bi);
  } else if (op == "BUILD_MAP") {
    std::vector<Instr*> items(size_t(2 * bi.arg));
    for (int k = 2 * bi.arg - 1; k >= 0; --k) items[size_t(k)] = pop(bi);
    push(emit(Opcode::BuildDict, std::move(items), bi));
  } else if (op == "BUILD_CONST_KEY_MAP") {
    // The keys are one constant tuple above the values.
    Instr* keys = pop(bi);
    std::vector<Instr*> values(size_t(bi.arg));
    for (int k = bi.arg - 1; k >= 0; --k) values[size_t(k)] = pop(bi);
    if (keys->op != Opcode::Const || keys->cval.kind != ConstValue::Kind::Tuple ||
        keys->cval.items.size() != values.size())
      unsupported(bi, "this dict literal");
    std::vector<Instr*> items;
    for (size_t k = 0; k < values.size(); ++k) {
      Instr* c = fn_->insert_before(keys, fn_->create(Opcode::Const, {}, bi.loc));
      c->cval = keys->cval.items[k];
      items.push_back(c);
      items.push_back(values[k]);
    }
    fn_->erase(keys);
    push(emit(Opcode::BuildDict, std::move(items), bi));
  } else if (op == "BUILD_SET") {
    std::vector<Instr*> items(size_t(bi.arg));
    for (int k = bi.arg - 1; k >= 0; --k) items[size_t(k)] = pop(bi);
    push(emit(Opcode::BuildSet, std::move(items), bi));
  } else if (op == "MAP_ADD") {
    // d[key] = value with d at STACK[-i] after popping both: dict comprehensions.
    Instr* value = pop(bi);
    Instr* key = pop(bi);
    emit(Opcode::SetItem, {top(bi.arg), key, value}, bi);
  } else if (op == "SET_ADD" || op == "SET_UPDATE" || op == "DICT_UPDATE") {
    // s.add(v) / s.update(v) / d.update(v) with the container at STACK[-i] after popping v:
    // comprehensions, literals of constants ({1, 2, 3} is BUILD_SET 0 and SET_UPDATE of a
    // constant frozenset, folded back into the set's elements here) and {**d}.
    Instr* v = pop(bi);
    Instr* container = top(bi.arg);
    if (op == "SET_UPDATE" && v->op == Opcode::Const && v->cval.kind == ConstValue::Kind::Tuple &&
        container->op == Opcode::BuildSet && container->parent == cur_) {
      for (const ConstValue& item : v->cval.items) {
        Instr* c = fn_->insert_before(container, fn_->create(Opcode::Const, {}, bi.loc));
        c->cval = item;
        container->operands.push_back(c);
      }
      fn_->erase(v);
    } else {
      Instr* method = emit(Opcode::GetAttr, {container}, bi);
      method->attr = op == "SET_ADD" ? "add" : "update";
      emit(Opcode::Call, {method, v}, bi);
    }
  } else if (op == "BUILD_LIST") {
    std::vector<Instr*> items(size_t(bi.arg));
    for (int k = bi.arg - 1; k >= 0; --k) items[size_t(k)] = pop(bi);
    push(emit(Opcode::BuildList, std::move(items), bi));
  } else if (op == "LIST_APPEND" || op == "LIST_EXTEND") {
    // list.append(STACK[-i], v) / list.extend(...) after popping v: comprehensions (3.12+
    // inline them) and literals of constants ([1.0, 2.0, 3.0] is BUILD_LIST 0 and
    // LIST_EXTEND of a constant tuple, folded back into the list's elements here).
    Instr* v = pop(bi);
    Instr* list = top(bi.arg);
    if (op == "LIST_EXTEND" && v->op == Opcode::Const && v->cval.kind == ConstValue::Kind::Tuple &&
        list->op == Opcode::BuildList && list->parent == cur_) {
      for (const ConstValue& item : v->cval.items) {
        Instr* c = fn_->insert_before(list, fn_->create(Opcode::Const, {}, bi.loc));
        c->cval = item;
        list->operands.push_back(c);
      }
      fn_->erase(v);
    } else {
      Instr* method = emit(Opcode::GetAttr, {list}, bi);
      method->attr = op == "LIST_APPEND" ? "append" : "extend";
      emit(Opcode::Call, {method, v}, bi);
    }
  } else if (op == "MAKE_FUNCTION") {
    // 3.11/3.12: the flags say what lies under the code object (3.13 sets them one by one
    // with SET_FUNCTION_ATTRIBUTE).
    Instr* code = pop(bi);
    require_nested_code(bi, code, index);
    int flags = v >= 313 ? 0 : bi.arg;
    for (int bit : {8, 4})
      if (flags & bit) discard(pop(bi));  // the closure's cells, annotations
    if (flags & 2) unsupported(bi, "keyword-only parameters with defaults in inner functions");
    Instr* defaults = flags & 1 ? pop(bi) : nullptr;
    make_function(bi, code, index);
    if (defaults) set_defaults(bi, stack_.back(), defaults);
  } else if (op == "SET_FUNCTION_ATTRIBUTE") {
    Instr* func = pop(bi);
    Instr* value = pop(bi);
    if (bi.arg & 2) unsupported(bi, "keyword-only parameters with defaults in inner functions");
    if (bi.arg & 1)
      set_defaults(bi, func, value);
    else
      discard(value);
    push(func);
  } else if (op == "FORMAT_VALUE") {
    // 3.11/3.12: flags & 3 is the conversion (!s !r !a); flags & 4: a spec on top.
    Instr* spec = bi.arg & 4 ? pop(bi) : nullptr;
    Instr* value = pop(bi);
    static const char* conversions[] = {"", "!s", "!r", "!a"};
    push(format_value(bi, value, conversions[bi.arg & 3], spec));
  } else if (op == "CONVERT_VALUE") {  // 3.13: 1 str, 2 repr, 3 ascii
    static const char* conversions[] = {"", "!s", "!r", "!a"};
    push(format_value(bi, pop(bi), conversions[bi.arg & 3], nullptr));
  } else if (op == "FORMAT_SIMPLE") {
    push(format_value(bi, pop(bi), "", nullptr));
  } else if (op == "FORMAT_WITH_SPEC") {
    Instr* spec = pop(bi);
    push(format_value(bi, pop(bi), "", spec));
  } else if (op == "BUILD_STRING") {
    std::vector<Instr*> pieces(size_t(bi.arg));
    for (int k = bi.arg - 1; k >= 0; --k) pieces[size_t(k)] = pop(bi);
    push(build_string(bi, pieces));
  } else if (op == "LOAD_ASSERTION_ERROR") {
    Instr* g = emit(Opcode::Global, {}, bi);
    g->var = "AssertionError";
    g->gval.kind = GlobalValue::Kind::Function;
    g->gval.name = "builtins.AssertionError";
    push(g);
  } else if (op == "RAISE_VARARGS") {
    if (bi.arg == 0) {
      // A bare `raise`: of the exception being handled (none outside a try).
      emit(Opcode::Reraise, {no_exception_ ? read_var("$exc", cur_, bi.loc) : int_constant(0, bi.loc)}, bi);
    } else {
      if (bi.arg != 1) unsupported(bi, "`raise ... from ...`");
      raise(bi, pop(bi));
    }
    terminated_ = true;
  } else if (op == "PUSH_EXC_INFO") {
    // The exception being handled becomes the caught one; the one before it stays on the
    // stack for POP_EXCEPT to restore.
    Instr* exc = pop(bi);
    push(read_var("$exc", cur_, bi.loc));
    push(exc);
    write_var("$exc", cur_, exc);
  } else if (op == "POP_EXCEPT") {
    write_var("$exc", cur_, pop(bi));
  } else if (op == "CHECK_EXC_MATCH") {
    Instr* classes = pop(bi);
    push(exception_matches(bi, top(1), classes));
  } else if (op == "RERAISE") {
    Instr* exc = pop(bi);
    if (bi.arg) pop(bi);  // the offset to set f_lasti to
    emit(Opcode::Reraise, {exc}, bi);
    terminated_ = true;
  } else if (op == "DELETE_FAST") {
    Instr* check = emit(Opcode::CheckBound, {read_var("$bound:" + bi.name, cur_, bi.loc)}, bi);
    check->var = bi.name;
    write_var("$bound:" + bi.name, cur_, false_);
  } else if (op == "CALL_INTRINSIC_2") {
    const char* what = intrinsic_construct(bi.name);
    unsupported(bi, what ? std::string(what) : "bytecode CALL_INTRINSIC_2 " + bi.name);
  } else if (const char* what = construct_of(op)) {
    unsupported(bi, what);
  } else {
    unsupported(bi, "bytecode " + op + " (Python " + std::to_string(v / 100) + "." +
                        std::to_string(v % 100) + ")");
  }
}

void Builder::seal_all() {
  // Completes every phi with one operand per predecessor; reading a variable in a
  // predecessor may create further phis, which join the worklist.
  for (size_t k = 0; k < incomplete_.size(); ++k) {
    Instr* phi = incomplete_[k];
    Block* b = phi->parent;
    if (b->preds.empty()) {
      // Read before any assignment on some path: Python would raise UnboundLocalError.
      phi->op = Opcode::Undef;
      continue;
    }
    for (Block* p : b->preds) {
      phi->operands.push_back(read_var(phi->var, p, phi->loc));
      phi->blocks.push_back(p);
    }
  }
}

void Builder::remove_trivial_phis() {
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto& b : fn_->blocks) {
      for (size_t k = 0; k < b->instrs.size(); ++k) {
        Instr* phi = b->instrs[k];
        if (phi->op != Opcode::Phi) continue;
        Instr* same = nullptr;
        bool trivial = true;
        for (Instr* o : phi->operands) {
          if (o == phi || o == same) continue;
          if (same) {
            trivial = false;
            break;
          }
          same = o;
        }
        if (!trivial) continue;
        if (!same) {
          phi->op = Opcode::Undef;
          phi->operands.clear();
          phi->blocks.clear();
          continue;
        }
        fn_->replace_all_uses(phi, same);
        b->instrs.erase(b->instrs.begin() + k);
        --k;
        changed = true;
      }
    }
  }
  // Undef values become ordinary instructions at the top of the entry block.
  for (auto& b : fn_->blocks) {
    for (size_t k = 0; k < b->instrs.size(); ++k) {
      Instr* u = b->instrs[k];
      if (u->op != Opcode::Undef || b.get() == fn_->entry()) continue;
      b->instrs.erase(b->instrs.begin() + k--);
      u->parent = fn_->entry();
      fn_->entry()->instrs.insert(fn_->entry()->instrs.begin(), u);
    }
  }
}

void Builder::remove_dead_values() {
  // Phis and constants nothing uses (stack slots read but never consumed).
  bool changed = true;
  while (changed) {
    changed = false;
    std::unordered_map<Instr*, int> uses;
    for (auto& b : fn_->blocks)
      for (Instr* i : b->instrs)
        for (Instr* o : i->operands) uses[o]++;
    for (auto& b : fn_->blocks) {
      auto& v = b->instrs;
      size_t before = v.size();
      v.erase(std::remove_if(v.begin(), v.end(),
                             [&](Instr* i) {
                               return (i->op == Opcode::Phi || i->op == Opcode::Undef ||
                                       i->op == Opcode::Const) &&
                                      !uses.count(i);
                             }),
              v.end());
      changed |= v.size() != before;
    }
  }
}

}  // namespace

std::unique_ptr<Function> build_ir(const FunctionInfo& info) { return Builder(info).build(); }

}  // namespace dn
