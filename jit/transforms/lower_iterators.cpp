#include "jit/transforms/lower_iterators.h"

#include <algorithm>
#include <unordered_map>

#include "jit/transforms/dead_values.h"
#include "jit/transforms/ir_builder.h"
#include "jit/typing/iteration_rules.h"

namespace dn {
namespace {

bool is_builtin_iter(const Type* t) { return t && t->kind() == TypeKind::BuiltinIter; }
bool is_rows(const Type* t) { return t && t->kind() == TypeKind::Array && t->ndim() > 1; }
// An iterator of an N-d array (N > 1): lowered to a count of its rows.
bool is_rows_iter(const Type* t) { return t && t->kind() == TypeKind::ArrayIter && is_rows(t->dtype()); }

// What a lowered GetIter leaves for its loop's IterValid and IterNext.
struct IterState {
  const Type* type;               // the enumerate/zip/reversed object's type, or the N-d array's
  std::vector<Instr*> inner;      // enumerate, zip: the iterators of what they iterate
  Instr* counter = nullptr;       // enumerate, rows: the next count; reversed: the next index + 1
  Instr* sequence = nullptr;      // reversed, rows: what is indexed
};

class IteratorLowering {
 public:
  IteratorLowering(IRBuilder& b, std::unordered_map<const Instr*, IterState>& states) : b_(b), states_(states) {}

  Instr* lower(Instr* i) {
    switch (i->op) {
      case Opcode::GetIter: return get_iter(i);
      case Opcode::IterValid: return valid(states_.at(i->operands[0]));
      case Opcode::IterNext: return next(states_.at(i->operands[0]), i->type);
      default: DN_CHECK(false, "not an iterator operation: " + print_instr(*i));
    }
    return nullptr;
  }

 private:
  Instr* slot(Instr* initial) {
    Instr* s = b_.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
    s->slots = 1;
    b_.store(s, b_.cast(initial, t_int64()));
    return s;
  }
  Instr* iter_of(Instr* iterable) { return b_.emit(Opcode::GetIter, {iterable}, iterator_type(iterable->type)); }

  Instr* get_iter(Instr* g) {
    Instr* obj = g->operands[0];
    if (is_rows(obj->type)) {  // for row in a: a[0], a[1], ... (views)
      states_[g] = IterState{obj->type, {}, slot(b_.int64(0)), obj};
      return nullptr;
    }
    DN_CHECK(obj->op == Opcode::Call && obj->intrinsic == Intrinsic::IterObject,
             "enumerate/zip/reversed object not from its call: " + print_instr(*obj));
    const Type* t = obj->type;
    IterState s{t, {}, nullptr, nullptr};
    if (t->name() == "reversed") {
      s.sequence = obj->operands[1];
      Instr* len = b_.emit(Opcode::Call, {len_function(), s.sequence}, t_int64());
      len->intrinsic = Intrinsic::Len;
      s.counter = slot(len);
    } else {
      for (size_t k = 0; k < t->elements().size(); ++k) s.inner.push_back(iter_of(obj->operands[k + 1]));
      if (t->name() == "enumerate") s.counter = slot(obj->operands.size() > 2 ? obj->operands[2] : b_.int64(0));
    }
    states_[g] = s;
    return nullptr;
  }

  Instr* valid(const IterState& s) {
    if (is_rows(s.type)) return b_.cmp(CmpKind::Lt, b_.load(s.counter), b_.dim(s.sequence, 0));
    if (s.type->name() == "reversed") return b_.cmp(CmpKind::Gt, b_.load(s.counter), b_.int64(0));
    // zip stops at the shortest: every iterator must have a next value.
    Instr* all = nullptr;
    for (Instr* it : s.inner) {
      Instr* v = b_.emit(Opcode::IterValid, {it}, t_bool());
      all = all ? b_.binop(BinOpKind::And, all, v) : v;
    }
    return all;
  }

  Instr* next(const IterState& s, const Type* type) {
    if (is_rows(s.type)) {
      Instr* k = b_.load(s.counter);
      b_.store(s.counter, b_.binop(BinOpKind::Add, k, b_.int64(1), true));
      return b_.emit(Opcode::GetItem, {s.sequence, k}, type);
    }
    if (s.type->name() == "reversed") {
      Instr* k = b_.binop(BinOpKind::Sub, b_.load(s.counter), b_.int64(1));
      b_.store(s.counter, k);
      if (s.sequence->type->kind() != TypeKind::Range) return b_.emit(Opcode::GetItem, {s.sequence, k}, type);
      // range(start, stop, step)[k] is start + k * step.
      Instr* r = s.sequence;
      if (r->op != Opcode::Call || r->intrinsic != Intrinsic::Range)
        report(ErrorKind::Unsupported, b_.function().info, r->loc, "Unsupported: reversed() of a range chosen at run time",
               "call reversed(range(...)) where the range is made");
      size_t n = r->operands.size() - 1;
      Instr* start = n == 1 ? b_.int64(0) : b_.cast(r->operands[1], t_int64());
      Instr* step = n == 3 ? b_.cast(r->operands[3], t_int64()) : b_.int64(1);
      return b_.cast(b_.binop(BinOpKind::Add, start, b_.binop(BinOpKind::Mul, k, step)), type);
    }
    std::vector<Instr*> items;
    if (s.counter) {
      Instr* k = b_.load(s.counter);
      b_.store(s.counter, b_.binop(BinOpKind::Add, k, b_.int64(1), true));
      items.push_back(b_.cast(k, type->elements()[0]));
    }
    for (Instr* it : s.inner) items.push_back(b_.emit(Opcode::IterNext, {it}, next_type(it->type)));
    return b_.emit(Opcode::BuildTuple, items, type);
  }

  Instr* len_function() { return b_.library_function("builtins.len"); }

  IRBuilder& b_;
  std::unordered_map<const Instr*, IterState>& states_;
};

// A call that takes an iterable whole: dict(zip(a, b)), list(enumerate(x)), sorted(zip(...)),
// lowered by lower_lists and lower_dicts through for_each_element (iterables.h).
bool takes_whole(const Instr* i) {
  if (i->op != Opcode::Call) return false;
  switch (i->intrinsic) {
    case Intrinsic::DictFrom: case Intrinsic::SetFrom: case Intrinsic::SetUpdate: case Intrinsic::ListFrom:
    case Intrinsic::ListExtend: case Intrinsic::ListSorted: case Intrinsic::ListSum: case Intrinsic::ListAny:
    case Intrinsic::ListAll: case Intrinsic::Min: case Intrinsic::Max: return true;
    default: return false;
  }
}

// Whether every use of the object `obj` takes it whole.
bool walked_whole(const Function& fn, const Instr* obj) {
  for (auto& b : fn.blocks)
    for (const Instr* i : b->instrs)
      if (std::find(i->operands.begin(), i->operands.end(), obj) != i->operands.end() && !takes_whole(i) &&
          !(i->op == Opcode::Call && i->intrinsic == Intrinsic::IterObject && walked_whole(fn, i)))  // enumerate(zip(a, b))
        return false;
  return true;
}

bool lowers(const Instr* i) {
  switch (i->op) {
    case Opcode::GetIter: return is_builtin_iter(i->operands[0]->type) || is_rows(i->operands[0]->type);
    case Opcode::IterValid:
    case Opcode::IterNext: return is_builtin_iter(i->operands[0]->type) || is_rows_iter(i->operands[0]->type);
    default: return false;
  }
}

}  // namespace

bool lower_iterators(Function& fn) {
  bool changed = false;
  std::unordered_map<const Instr*, IterState> states;
  // A GetIter lowered makes the GetIters of what it iterates (enumerate(zip(a, b))): rounds
  // until none is left. Within a round, GetIters first: their loops read their state.
  for (;;) {
    std::vector<Instr*> todo;
    for (auto& b : fn.blocks)
      for (Instr* i : b->instrs)
        if (lowers(i) && (i->op == Opcode::GetIter || states.count(i->operands[0]))) todo.push_back(i);
    if (todo.empty()) break;
    std::stable_partition(todo.begin(), todo.end(), [](const Instr* i) { return i->op == Opcode::GetIter; });
    for (Instr* root : todo) {
      Block* rest = fn.split_after(root);
      Block* here = root->parent;
      fn.erase(root);
      IRBuilder b(fn, here, root->loc);
      if (Instr* v = IteratorLowering(b, states).lower(root)) {
        fn.replace_all_uses(root, v);
        for (auto& [getiter, state] : states)  // for plane in a: for row in plane
          if (state.sequence == root) state.sequence = v;
      }
      b.br(rest);
    }
    changed = true;
  }
  if (!changed) return false;
  // The objects themselves (no runtime value: compile-time values) once nothing uses
  // them; any still used is refused.
  remove_dead_compile_time_values(fn);
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (i->type && is_builtin_iter(i->type) && !walked_whole(fn, i))
        report(ErrorKind::Unsupported, fn.info, i->loc,
               "Unsupported: a " + i->type->name() + "() object used other than by a for loop",
               "loop over it with for, or build a list: [x for x in " + i->type->name() + "(...)]");
  fn.recompute_preds();
  fn.sort_blocks_rpo();
  return true;
}

}  // namespace dn
