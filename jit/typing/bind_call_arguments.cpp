#include "jit/typing/bind_call_arguments.h"

#include <algorithm>

#include "jit/typing/class_rules.h"

namespace dn {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (size_t k = 0; k < names.size(); ++k) {
    if (k) s += k + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ";
    s += "'" + names[k] + "'";
  }
  return s;
}

void bind(Function& fn, Instr* call, const FunctionInfo& callee) {
  const size_t argc = size_t(callee.argcount), kwonly = size_t(callee.kwonlyargcount);
  const size_t captured = callee.captured.size();  // inner functions: passed by keyword
  const size_t star = callee.varargs;  // *args: its tuple's place is after the keyword-only ones
  const size_t positional = argc - kwonly - captured - star;
  const size_t nargs = call->operands.size() - 1, nkw = call->kwnames.size();
  if (nkw == 0 && nargs == argc && !star) return;
  auto fail = [&](const std::string& message) {
    report(ErrorKind::Typing, fn.info, call->loc, callee.name + "() " + message,
           "call it as it is defined: " + callee.name + "(" + [&] {
             std::string p;
             for (size_t k = 0; k < argc - captured; ++k)
               p += (k ? ", " : "") + std::string(star && k + 1 == argc - captured ? "*" : "") + callee.varnames[k];
             return p;
           }() + ")");
  };
  const size_t npos = nargs - nkw;
  if (npos > positional && !star) {
    // CPython's words (too_many_positional in ceval.c).
    size_t with_default = 0, kwonly_given = 0;
    for (size_t k = 0; k < positional; ++k) with_default += callee.defaults.count(callee.varnames[k]);
    for (size_t k = 0; k < nkw; ++k) {
      auto at = std::find(callee.varnames.begin() + long(positional), callee.varnames.begin() + long(argc - captured),
                          call->kwnames[k]);
      kwonly_given += at != callee.varnames.begin() + long(argc - captured);
    }
    std::string sig = with_default ? "from " + std::to_string(positional - with_default) + " to " + std::to_string(positional)
                                   : std::to_string(positional);
    bool plural = with_default || positional != 1;
    std::string kwonly_sig;
    if (kwonly_given)
      kwonly_sig = std::string(" positional argument") + (npos != 1 ? "s" : "") + " (and " + std::to_string(kwonly_given) +
                   " keyword-only argument" + (kwonly_given != 1 ? "s" : "") + ")";
    fail("takes " + sig + " positional argument" + (plural ? "s" : "") + " but " + std::to_string(npos) + kwonly_sig +
         (npos == 1 && !kwonly_given ? " was" : " were") + " given");
  }
  std::vector<Instr*> bound(argc, nullptr);
  for (size_t k = 0; k < std::min(npos, positional); ++k) bound[k] = call->operands[k + 1];
  if (star) {
    // The extra positional arguments, as the tuple *args is.
    std::vector<Instr*> extra;
    for (size_t k = positional; k < npos; ++k) extra.push_back(call->operands[k + 1]);
    bound[argc - captured - 1] = fn.insert_before(call, fn.create(Opcode::BuildTuple, extra, call->loc));
  }
  for (size_t k = 0; k < nkw; ++k) {
    const std::string& name = call->kwnames[k];
    auto at = std::find(callee.varnames.begin(), callee.varnames.begin() + long(argc), name);
    if (star && at == callee.varnames.begin() + long(argc - captured - 1)) at = callee.varnames.begin() + long(argc);
    bool own = k < nkw - std::min(nkw, captured) || captured == 0;  // the frontend's are last
    bool is_captured = std::find(callee.captured.begin(), callee.captured.end(), name) != callee.captured.end();
    if (at == callee.varnames.begin() + long(argc) || (own && is_captured))
      fail("got an unexpected keyword argument '" + name + "'");
    size_t index = size_t(at - callee.varnames.begin());
    if (bound[index]) fail("got multiple values for argument '" + name + "'");
    bound[index] = call->operands[npos + k + 1];
  }
  std::vector<std::string> missing_positional, missing_keyword;
  for (size_t k = 0; k < argc; ++k) {
    if (bound[k]) continue;
    const std::string& name = callee.varnames[k];
    auto d = callee.defaults.find(name);
    if (d == callee.defaults.end()) {
      (k < positional ? missing_positional : missing_keyword).push_back(name);
      continue;
    }
    Instr* g = fn.insert_before(call, fn.create(Opcode::Global, {}, call->loc));
    g->gval = d->second;
    g->var = name;
    bound[k] = g;
  }
  if (!missing_positional.empty())
    fail("missing " + std::to_string(missing_positional.size()) + " required positional " +
         (missing_positional.size() == 1 ? "argument: " : "arguments: ") + quoted_list(missing_positional));
  if (!missing_keyword.empty())
    fail("missing " + std::to_string(missing_keyword.size()) + " required keyword-only " +
         (missing_keyword.size() == 1 ? "argument: " : "arguments: ") + quoted_list(missing_keyword));
  call->operands.resize(1);
  call->operands.insert(call->operands.end(), bound.begin(), bound.end());
  call->kwnames.clear();
}

}  // namespace

void bind_call_arguments(Function& fn, const TypingContext& context) {
  for (auto& b : fn.blocks) {
    std::vector<Instr*> calls;
    for (Instr* i : b->instrs)
      if (i->op == Opcode::Call && i->operands[0]->op == Opcode::Global &&
          (i->operands[0]->gval.kind == GlobalValue::Kind::Dispatcher ||
           i->operands[0]->gval.kind == GlobalValue::Kind::NamedTupleClass))
        calls.push_back(i);
    for (Instr* call : calls) {
      const GlobalValue& g = call->operands[0]->gval;
      if (g.kind == GlobalValue::Kind::NamedTupleClass) bind(fn, call, *namedtuple_constructor(g));  // P(y=1, x=2)
      else if (auto info = jitted_function_info(context, g.handle)) bind(fn, call, *info);
    }
  }
}

}  // namespace dn
