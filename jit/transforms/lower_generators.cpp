#include "jit/transforms/lower_generators.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "jit/analysis/liveness.h"
#include "jit/frontend/function_info.h"
#include "jit/support/diagnostics.h"
#include "jit/transforms/ir_builder.h"
#include "jit/transforms/iterables.h"
#include "jit/transforms/lower_each.h"
#include "runtime/abi.h"

namespace dn {

namespace {

// What the resuming function returns: whether the generator yielded, and the value.
const Type* resume_result(const Type* generator) { return t_tuple({t_bool(), generator->dtype()}); }

[[noreturn]] void unsupported_use(const Function& fn, const Instr* use) {
  report(ErrorKind::Unsupported, fn.info, use->loc,
         "Unsupported Python construct: a generator used other than by iterating it, next() or passing it to a "
         "jitted function",
         "iterate it where it is made (for x in gen(...), list(gen(...))); a generator stored in a container or "
         "chosen at run time (g = a() if c else b()) is not supported yet");
}

// The call that runs generator `g` on (its function's): made with its arguments, which it
// keeps in its frame; afterwards with zeros in their place.
Instr* resume(IRBuilder& b, Instr* g, std::vector<Instr*> args) {
  const Type* t = g->type;
  if (args.empty())
    for (const Type* p : t->elements()) args.push_back(b.emit(Opcode::Undef, {}, p));
  Instr* callee = b.emit(Opcode::Const, {}, t_none());  // named by callee_key
  args.insert(args.begin(), {callee, g});
  Instr* r = b.emit(Opcode::Call, std::move(args), resume_result(t));
  r->intrinsic = Intrinsic::CallJitted;
  r->callee_key = t->name();
  return r;
}

Instr* part(IRBuilder& b, Instr* tuple, int64_t k) {
  Instr* g = b.emit(Opcode::TupleGet, {tuple}, tuple->type->elements()[size_t(k)]);
  g->tuple_index = k;
  return g;
}

// A call that makes a generator: its frame, then the generator takes its arguments.
bool makes_generator(const Instr* i) {
  return i->op == Opcode::Call && i->intrinsic == Intrinsic::CallJitted && is_generator(i->type);
}

bool is_generator_operation(const Instr* i) {
  if (makes_generator(i)) return true;
  if (i->op == Opcode::Call) return i->intrinsic == Intrinsic::GeneratorNext;
  bool iteration = i->op == Opcode::GetIter || i->op == Opcode::IterValid || i->op == Opcode::IterNext;
  return iteration && is_generator(i->operands[0]->type);
}

// A generator may be iterated, passed to jitted calls (its frame outlives them) and given
// to next(); anything else would outlive its frame or alias it.
void check_uses(const Function& fn) {
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      for (Instr* o : i->operands)
        if (is_generator(o->type) && i->op != Opcode::GetIter && i->op != Opcode::IterValid &&
            i->op != Opcode::IterNext && !(i->op == Opcode::Call && (i->intrinsic == Intrinsic::CallJitted ||
                                                                   i->intrinsic == Intrinsic::GeneratorNext)))
          unsupported_use(fn, i);
}

// value if `c` holds, otherwise `other`, both as a value of type t (an optional for next(g, None)).
Instr* choose(IRBuilder& b, Instr* c, Instr* value, Instr* other, const Type* t) {
  Block* yes = b.new_block();
  Block* no = b.new_block();
  Block* join = b.new_block();
  b.condbr(c, yes, no);
  b.set_block(yes);
  Instr* x = b.cast(value, t);
  b.br(join);
  b.set_block(no);
  Instr* y = b.cast(other, t);
  b.br(join);
  b.set_block(join);
  Instr* phi = b.emit(Opcode::Phi, {x, y}, t);
  phi->blocks = {yes, no};
  return phi;
}

// Where generators are made, iterated and stepped: iter(g) is a slot for the value the last
// resume handed out, iter_valid resumes g, iter_next reads the slot; next(g) resumes it and
// raises StopIteration (or gives the default) once it is exhausted.
bool lower_iteration(Function& fn) {
  check_uses(fn);
  struct Iteration {
    Instr* slot;
    Instr* generator;
  };
  std::unordered_map<const Instr*, Iteration> iterations;  // by the getiter
  return lower_each(
      fn, is_generator_operation,
      [&](IRBuilder& b, Instr* i) -> Instr* {
        if (makes_generator(i)) {
          Instr* g = b.append(fn.clone(i));
          resume(b, g, std::vector<Instr*>(i->operands.begin() + 1, i->operands.end()));
          return g;
        }
        if (i->op == Opcode::GetIter) {
          Instr* slot = b.emit(Opcode::StackSlot, {}, t_pointer(i->operands[0]->type->dtype()));
          iterations[i] = {slot, i->operands[0]};
          return nullptr;
        }
        if (i->op == Opcode::IterNext) return b.load(iterations.at(i->operands[0]).slot);
        if (i->op == Opcode::IterValid) {
          const Iteration& it = iterations.at(i->operands[0]);
          Instr* r = resume(b, it.generator, {});
          b.store(it.slot, part(b, r, 1));
          return part(b, r, 0);
        }
        Instr* r = resume(b, i->operands[1], {});  // next(g[, default])
        if (i->operands.size() == 2) {
          b.raise_if(b.logical_not(part(b, r, 0)), DN_STOP_ITERATION, "");
          return part(b, r, 1);
        }
        return choose(b, part(b, r, 0), part(b, r, 1), i->operands[2], i->type);
      },
      [&](Instr* old, Instr* now) {
        for (auto& [getiter, it] : iterations)
          if (it.generator == old) it.generator = now;
      });
}

// In a generator, loops over ranges, arrays and tuples keep their index in a slot of the
// frame, not behind an iterator's address: the frame then never holds its own address, and
// LLVM keeps the loop in registers where the resume is inlined.
bool is_sequence_getiter(const Instr* i) {
  if (i->op != Opcode::GetIter) return false;
  const Type* t = i->operands[0]->type;
  return t->kind() == TypeKind::Range || t->kind() == TypeKind::Array ||
         (t->kind() == TypeKind::Tuple && !t->elements().empty());  // `for x in ()` never steps
}

bool is_sequence_iteration(const Instr* i) {
  if (i->op == Opcode::IterValid || i->op == Opcode::IterNext) return is_sequence_getiter(i->operands[0]);
  return is_sequence_getiter(i);
}

void lower_sequence_iteration(Function& fn) {
  IndexedIters iters;
  lower_each(
      fn, is_sequence_iteration,
      [&](IRBuilder& b, Instr* i) -> Instr* {
        if (i->op == Opcode::GetIter) {
          iters[i] = start_indexed_iter(b, i->operands[0]);
          return nullptr;
        }
        const IndexedIter& it = iters.at(i->operands[0]);
        if (i->op == Opcode::IterValid) return indexed_iter_valid(b, it);
        return element_at(b, it.seq, indexed_iter_advance(b, it));
      },
      [&](Instr* old, Instr* now) { rename_indexed_seq(iters, old, now); });
}

bool position_independent(const Instr* i) {
  return i->op == Opcode::Const || i->op == Opcode::Global || i->op == Opcode::StackSlot || i->op == Opcode::Undef;
}

// `v` kept in a stack slot (the frame's): stored where it is made, loaded where it is used.
// Returns the store.
Instr* demote(Function& fn, Instr* v, Block* entry) {
  std::vector<Instr*> users;
  for (auto& b : fn.blocks)
    for (Instr* u : b->instrs)
      if (std::find(u->operands.begin(), u->operands.end(), v) != u->operands.end()) users.push_back(u);
  Instr* slot = fn.create(Opcode::StackSlot, {}, v->loc);
  slot->type = t_pointer(v->type);
  fn.insert_before_terminator(entry, slot);
  Instr* store = fn.create(Opcode::Store, {slot, v}, v->loc);
  if (v->op == Opcode::Arg) {
    fn.insert_before_terminator(entry, store);  // moved to where the generator starts
  } else if (v->op == Opcode::Phi) {
    auto& is = v->parent->instrs;
    auto first = std::find_if(is.begin(), is.end(), [](const Instr* i) { return i->op != Opcode::Phi; });
    store->parent = v->parent;
    is.insert(first, store);
  } else {
    fn.insert_after(v, store);
  }
  for (Instr* u : users)
    for (size_t k = 0; k < u->operands.size(); ++k) {
      if (u->operands[k] != v) continue;
      // A slot holds the strong twin of a weak scalar: the same representation.
      Instr* load = fn.create(Opcode::Load, {slot}, u->loc);
      load->type = slot->type->dtype();
      Instr* value = load;
      if (load->type != v->type) {
        value = fn.create(Opcode::Cast, {load}, u->loc);
        value->type = v->type;
      }
      for (Instr* x : value == load ? std::vector<Instr*>{load} : std::vector<Instr*>{load, value}) {
        if (u->op == Opcode::Phi) fn.insert_before_terminator(u->blocks[k], x);
        else fn.insert_before(u, x);
      }
      u->operands[k] = value;
    }
  return store;
}

// The generator function itself, made the function that resumes it (see the header).
void lower_generator_function(Function& fn) {
  lower_sequence_iteration(fn);
  const Type* generator = fn.return_type;
  const Type* result = resume_result(generator);
  std::vector<Instr*> yields, returns;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs) {
      if (i->op == Opcode::Yield) yields.push_back(i);
      if (i->op == Opcode::Return) returns.push_back(i);
    }
  // Each yield ends its block; where it resumes starts one.
  std::vector<Block*> resumes;
  for (Instr* y : yields) {
    Block* rest = fn.split_after(y);
    fn.append(y->parent, Opcode::Br)->blocks = {rest};
    resumes.push_back(rest);
  }
  fn.recompute_preds();
  std::vector<Instr*> live_across;
  {
    Liveness live(fn);
    std::unordered_set<const Instr*> seen;
    for (Block* r : resumes)
      for (Instr* v : live.live_in(r))
        if (seen.insert(v).second) live_across.push_back(v);
  }

  // The new entry: the arguments (the frame first), what depends on no position, and the
  // dispatch on where the generator stopped.
  Block* body = fn.entry();
  Block* entry = fn.new_block();
  std::rotate(fn.blocks.begin(), fn.blocks.end() - 1, fn.blocks.end());
  std::vector<Instr*> params = fn.args;
  Instr* frame = fn.create(Opcode::Arg, {}, {});
  frame->var = "$frame";
  frame->type = generator;
  fn.args.insert(fn.args.begin(), frame);
  for (size_t k = 0; k < fn.args.size(); ++k) {
    Instr* a = fn.args[k];
    a->arg_index = int(k);
    if (a->parent) fn.erase(a);
    a->parent = entry;
    entry->instrs.push_back(a);
  }
  std::unordered_set<const Instr*> anywhere;
  for (auto& b : fn.blocks)
    for (Instr* i : std::vector<Instr*>(b->instrs))
      if (b.get() != entry && position_independent(i)) {
        fn.erase(i);
        i->parent = entry;
        entry->instrs.push_back(i);
        anywhere.insert(i);
      }
  IRBuilder b(fn, entry, {});
  Instr* state = b.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
  Instr* nothing = b.emit(Opcode::Undef, {}, generator->dtype());  // zero
  Instr* done_result = b.emit(Opcode::BuildTuple, {b.boolean(false), nothing}, result);
  Instr* where = b.load(state);
  b.emit(Opcode::Br, {}, nullptr)->blocks = {body};  // replaced by the dispatch below

  // The arguments, which the generator takes when it is made, and the values that live
  // across a yield: in the frame.
  Block* start = fn.new_block();
  for (Instr* a : params) {
    Instr* store = demote(fn, a, entry);
    fn.erase(store);
    store->parent = start;
    start->instrs.push_back(store);
  }
  for (Instr* v : live_across) {
    if (anywhere.count(v) || v->op == Opcode::Arg) continue;
    if (!v->type || !v->type->has_runtime_value())
      report(ErrorKind::Unsupported, fn.info, v->loc,
             "Unsupported Python construct: a value known only while compiling (" +
                 (v->type ? v->type->str() : std::string("untyped")) + ") that lives across a yield",
             "compute it again after the yield");
    demote(fn, v, entry);
  }
  fn.erase(entry->terminator());
  b.set_block(start);
  b.store(state, b.int64(1));
  b.emit(Opcode::Return, {done_result}, nullptr);

  // Yield k (from 1) stores k + 1 and hands out its value; a return stores -1: exhausted.
  for (size_t k = 0; k < yields.size(); ++k) {
    Instr* y = yields[k];
    Block* at = y->parent;
    fn.erase(at->terminator());
    b.set_block(at);
    b.store(state, b.int64(int64_t(k + 2)));
    Instr* value = b.convert(y->operands[0], generator->dtype());
    b.emit(Opcode::Return, {b.emit(Opcode::BuildTuple, {b.boolean(true), value}, result)}, nullptr);
    fn.erase(y);
  }
  for (Instr* r : returns) {
    Block* at = r->parent;
    fn.erase(r);
    b.set_block(at);
    b.store(state, b.int64(-1));
    b.emit(Opcode::Return, {done_result}, nullptr);
  }
  // Dispatch: 0 takes the arguments, 1 starts the body, k + 1 resumes after yield k,
  // anything else is exhausted.
  b.set_block(entry);
  std::vector<Block*> targets{start, body};
  targets.insert(targets.end(), resumes.begin(), resumes.end());
  for (size_t k = 0; k < targets.size(); ++k) {
    Block* next = fn.new_block();
    b.condbr(b.cmp(CmpKind::Eq, where, b.int64(int64_t(k))), targets[k], next);
    b.set_block(next);
  }
  b.emit(Opcode::Return, {done_result}, nullptr);

  fn.return_type = result;
  fn.resumes_generator = true;
  fn.recompute_preds();
  fn.remove_unreachable_blocks();
  fn.sort_blocks_rpo();
}

bool holds_memory(const Type* t) {
  switch (t->kind()) {
    case TypeKind::Array:
    case TypeKind::List:
    case TypeKind::Dict:
    case TypeKind::Set:
    case TypeKind::DictView:
    case TypeKind::String:
    case TypeKind::Generator: return true;
    case TypeKind::Optional:
    case TypeKind::Pointer: return holds_memory(t->dtype());
    case TypeKind::Tuple:
      for (const Type* e : t->elements())
        if (holds_memory(e)) return true;
      return false;
    default: return false;
  }
}

}  // namespace

bool frame_keeps_memory(const Function& resume) {
  for (auto& b : resume.blocks)
    for (const Instr* i : b->instrs)
      if ((i->op == Opcode::StackSlot && holds_memory(i->type)) || makes_generator(i)) return true;
  return false;
}

bool lower_generators(Function& fn) {
  bool changed = lower_iteration(fn);
  if (!is_generator(fn.return_type)) return changed;
  lower_generator_function(fn);
  return true;
}

}  // namespace dn
