#include "jit/transforms/lower_dicts.h"

#include <algorithm>
#include <unordered_map>

#include "jit/transforms/dead_values.h"
#include "jit/transforms/lower_each.h"
#include "jit/transforms/iterables.h"
#include "jit/types/abi_layout.h"
#include "jit/types/promotion.h"
#include "jit/typing/dict_rules.h"
#include "runtime/abi.h"

namespace dn {

namespace {

bool is_hash(const Type* t) { return t && (is_dict(t) || is_set(t) || is_dict_view(t)); }
bool is_hash_iter(const Type* t) { return t && t->kind() == TypeKind::ArrayIter && is_hash(t->dtype()); }

bool dict_call(const Instr* i) {
  if (i->op != Opcode::Call) return false;
  switch (i->intrinsic) {
    case Intrinsic::DictFrom: case Intrinsic::SetFrom: case Intrinsic::DictGet: case Intrinsic::DictSetDefault:
    case Intrinsic::DictPop: case Intrinsic::DictPopItem: case Intrinsic::DictUpdate: case Intrinsic::HashClear:
    case Intrinsic::HashCopy: case Intrinsic::SetAdd: case Intrinsic::SetDiscard: case Intrinsic::SetRemove:
    case Intrinsic::SetPop: case Intrinsic::SetUpdate: case Intrinsic::SetCombine: case Intrinsic::SetRelation:
      return true;
    case Intrinsic::Len: return i->operands.size() == 2 && is_hash(i->operands[1]->type);
    case Intrinsic::Hash: return true;
    default: return false;
  }
}

// The state of a `for x in d` loop: the next entry to look at in `slot`, and the size the
// container had when the loop began (Python raises when it changes).
struct HashIter {
  Instr* slot;
  Instr* size;
  Instr* container;  // the dict or set
  const Type* view;  // what is iterated: the dict, set or view type
};

// Set algebra's runtime operation numbers (dn_set_combine).
int64_t combine_op(const std::string& name) {
  if (name == "union") return 0;
  if (name == "intersection") return 1;
  if (name == "difference") return 2;
  return 3;  // symmetric_difference
}
int64_t combine_op(BinOpKind k) {
  return k == BinOpKind::Or ? 0 : k == BinOpKind::And ? 1 : k == BinOpKind::Sub ? 2 : 3;
}

class DictLowering {
 public:
  DictLowering(IRBuilder& b, std::unordered_map<const Instr*, HashIter>& iters) : b_(b), iters_(iters) {}

  // Lowers `i` at the end of the builder's block; returns its value (null: none).
  Instr* lower(Instr* i);

 private:
  Instr* slot(const Type* t, int64_t n = 1) {
    Instr* s = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
    s->slots = n;
    return s;
  }
  Instr* runtime(const char* func, std::vector<Instr*> operands, const Type* t) {
    return b_.call_runtime(func, std::move(operands), t);
  }
  // A runtime entry point that returns a status (failures return from the function).
  void checked(const char* func, std::vector<Instr*> operands) { b_.call_runtime_checked(func, std::move(operands)); }
  Instr* header(Instr* d) { return b_.emit(Opcode::ListHeader, {d}, t_pointer(t_int64())); }
  Instr* len(Instr* d) { return b_.load(header(d)); }
  const Type* key_type(Instr* d) { return d->type->dtype(); }
  const Type* value_type(Instr* d) { return d->type->elements()[0]; }
  // The address of entry `index`.
  Instr* entry(Instr* d, Instr* index) {
    Instr* entries = b_.emit(Opcode::ListData, {d}, t_pointer(t_int64()));
    return b_.byte_ptr(entries, b_.binop(BinOpKind::Mul, index, b_.int64(dict_layout(d->type).entry_size)));
  }
  Instr* value_ptr(Instr* d, Instr* index) { return entry_value_ptr(b_, d->type, entry(d, index)); }

  // The runtime's description of a key or value type (hash_fields), in a slot.
  Instr* fields(const Type* t);
  Instr* new_container(const Type* t, Instr* capacity) {
    DictLayout l = dict_layout(t);
    Instr* out = slot(t);
    Instr* values = is_dict(t) ? fields(t->elements()[0]) : fields(nullptr);
    checked("dn_dict_new", {out, b_.int64(l.key_size), b_.int64(l.value_size), fields(t->dtype()), values, capacity});
    return b_.load(out);
  }
  // `k` stored as a key of `d` (converted) in a slot of its own, for the runtime to read.
  Instr* key_slot(Instr* d, Instr* k) {
    Instr* s = slot(key_type(d));
    b_.store(s, b_.convert(k, key_type(d)));
    return s;
  }
  // Keys that are int64 go to the runtime by value (dn_dict_lookup_int64 and friends).
  bool int64_keys(Instr* d) { return key_type(d) == t_int64(); }
  Instr* lookup(Instr* d, Instr* k) {
    if (int64_keys(d)) return runtime("dn_dict_lookup_int64", {d, b_.convert(k, t_int64())}, t_int64());
    return runtime("dn_dict_lookup", {d, key_slot(d, k)}, t_int64());
  }
  // The entry number of key `k` in `d`, added (value zeroed) when not there.
  Instr* insert_key(Instr* d, Instr* k) {
    if (!int64_keys(d)) return insert(d, key_slot(d, k));
    Instr* index = slot(t_int64());
    checked("dn_dict_insert_int64", {d, b_.convert(k, t_int64()), index});
    return b_.load(index);
  }
  // The entry number of key `k` in `d`, or -1.
  Instr* find(Instr* d, Instr* k) {
    Instr* index = lookup(d, k);
    const Type* kt = key_type(d);
    // A key of a higher kind (kind_rank) than the container's may not be representable in it.
    if (k->type->is_scalar() && kt->is_scalar() && kind_rank(k->type) > kind_rank(kt)) {
      // 1.5 is in no set of ints: the key must survive the conversion to the key type.
      Instr* back = b_.cast(b_.cast(k, kt), k->type->strong());
      index = b_.select(b_.cmp(CmpKind::Eq, back, b_.cast(k, k->type->strong())), index, b_.int64(-1));
    }
    return index;
  }
  // The entry number of key `k` in `d`, added (value zeroed) when not there; *added says so.
  Instr* insert(Instr* d, Instr* key_address, Instr** added = nullptr) {
    Instr* index = slot(t_int64());
    Instr* was_added = slot(t_int64());
    checked("dn_dict_insert", {d, key_address, index, was_added});
    if (added) *added = b_.cmp(CmpKind::Ne, b_.load(was_added), b_.int64(0));
    return b_.load(index);
  }
  void store_value(Instr* d, Instr* index, Instr* v) { b_.store(value_ptr(d, index), b_.convert(v, value_type(d))); }
  void key_error(Instr* d, Instr* key_address) { checked("dn_dict_key_error", {d, key_address}); }
  // Removes `k`: whether it was there; its value is then in `value_out`.
  Instr* remove(Instr* d, Instr* key_address, Instr* value_out) {
    Instr* removed = runtime("dn_dict_remove", {d, key_address, value_out}, t_int64());
    return b_.cmp(CmpKind::Ne, removed, b_.int64(0));
  }
  void add_all(Instr* s, Instr* src) {
    for_each_element(b_, src, element_count(b_, src), [&](Instr* x, Instr*) { insert(s, key_slot(s, x)); });
  }
  // dict(pairs): each (key, value) stored in turn, a repeated key keeping the last value.
  Instr* from_pairs(const Type* t, Instr* pairs) {
    Instr* n = element_count(b_, pairs);
    Instr* d = new_container(t, n);
    for_each_element(b_, pairs, n, [&](Instr* pair, Instr*) {
      DN_CHECK(pair->type->kind() == TypeKind::Tuple && pair->type->elements().size() == 2,
               "dict() of what is not (key, value) pairs: " + print_instr(*pair));
      Instr* k = b_.emit(Opcode::TupleGet, {pair}, pair->type->elements()[0]);
      k->tuple_index = 0;
      Instr* v = b_.emit(Opcode::TupleGet, {pair}, pair->type->elements()[1]);
      v->tuple_index = 1;
      store_value(d, insert_key(d, k), v);
    });
    return d;
  }
  Instr* combine(Instr* a, Instr* c, int64_t op, bool in_place) {
    Instr* out = slot(a->type);
    checked("dn_set_combine", {out, a, c, b_.int64(op), b_.int64(in_place ? 1 : 0)});
    return b_.load(out);
  }
  Instr* relation(Instr* a, Instr* c, int64_t bit) {
    Instr* r = runtime("dn_set_relation", {a, c}, t_int64());
    return b_.cmp(CmpKind::Ne, b_.binop(BinOpKind::And, r, b_.int64(bit)), b_.int64(0));
  }
  Instr* equal(Instr* x, Instr* y) { return b_.equal(x, y); }
  Instr* contains(Instr* container, Instr* x);
  Instr* compare(Instr* i);
  Instr* call(Instr* i);

  IRBuilder& b_;
  std::unordered_map<const Instr*, HashIter>& iters_;
};

Instr* DictLowering::fields(const Type* t) { return b_.int64_array(hash_fields(t)); }

// `x in c` of a dict, set or view.
Instr* DictLowering::contains(Instr* c, Instr* x) {
  Instr* d = hash_container(c);
  if (!is_dict_view(c->type) || c->type->name() == "keys") return b_.cmp(CmpKind::Ge, find(d, x), b_.int64(0));
  if (c->type->name() == "items") {
    // (k, v) in d.items(): k is a key whose value equals v.
    Instr* k = b_.emit(Opcode::TupleGet, {x}, x->type->elements()[0]);
    k->tuple_index = 0;
    Instr* v = b_.emit(Opcode::TupleGet, {x}, x->type->elements()[1]);
    v->tuple_index = 1;
    Instr* index = find(d, k);
    Instr* found = slot(t_bool());
    b_.store(found, b_.boolean(false));
    b_.if_then(b_.cmp(CmpKind::Ge, index, b_.int64(0)), [&] { b_.store(found, equal(b_.load(value_ptr(d, index)), v)); });
    return b_.load(found);
  }
  // v in d.values(): a scan, as Python's.
  Instr* found = slot(t_bool());
  b_.store(found, b_.boolean(false));
  for_each_entry(b_, d, [&](Instr* e) {
    b_.if_then(equal(entry_value(b_, d->type, e), x), [&] { b_.store(found, b_.boolean(true)); });
  });
  return b_.load(found);
}

Instr* DictLowering::compare(Instr* i) {
  Instr* a = i->operands[0];
  Instr* c = i->operands[1];
  switch (i->cmp) {
    case CmpKind::In: return contains(c, a);
    case CmpKind::NotIn: return b_.logical_not(contains(c, a));
    case CmpKind::Eq:
    case CmpKind::Ne: {
      Instr* same = b_.cmp(CmpKind::Ne, runtime("dn_dict_equal", {a, c}, t_int64()), b_.int64(0));
      return i->cmp == CmpKind::Eq ? same : b_.logical_not(same);
    }
    case CmpKind::Le: return relation(a, c, 1);
    case CmpKind::Ge: return relation(a, c, 2);
    case CmpKind::Lt:
    case CmpKind::Gt: {
      Instr* sub = relation(a, c, i->cmp == CmpKind::Lt ? 1 : 2);
      return b_.binop(BinOpKind::And, sub, b_.cmp(CmpKind::Ne, len(a), len(c)));
    }
    default: break;
  }
  DN_CHECK(false, "not a dict or set comparison: " + print_instr(*i));
  return nullptr;
}

Instr* DictLowering::call(Instr* i) {
  Instr* d = i->operands.size() > 1 ? i->operands[1] : nullptr;
  auto arg = [&](size_t k) { return i->operands.size() > k ? i->operands[k] : nullptr; };
  switch (i->intrinsic) {
    case Intrinsic::Len: return len(hash_container(d));
    case Intrinsic::Hash: {
      // The number as the dict stores it (a Python int as int64), described as a key is.
      const Type* t = storage_type(d->type);
      Instr* s = slot(t);
      b_.store(s, b_.convert(d, t));
      return runtime("dn_py_hash", {s, fields(t)}, t_int64());
    }
    case Intrinsic::DictFrom:
    case Intrinsic::HashCopy:
      if (i->intrinsic == Intrinsic::DictFrom && d && !is_dict(d->type)) return from_pairs(i->type, d);
      if (d) {
        Instr* out = slot(i->type);
        checked("dn_dict_copy", {out, d});
        return b_.load(out);
      }
      return new_container(i->type, b_.int64(0));
    case Intrinsic::SetFrom: {
      Instr* n = d ? element_count(b_, d) : nullptr;
      Instr* s = new_container(i->type, n ? n : b_.int64(0));
      if (d) add_all(s, d);
      return s;
    }
    case Intrinsic::DictGet: {
      Instr* index = find(d, arg(2));
      if (!arg(3)) {  // d.get(k): an optional, None unless the key is there
        Instr* r = slot(i->type);
        Instr* none = b_.emit(Opcode::Const, {}, t_none());
        none->cval.kind = ConstValue::Kind::None;
        b_.store(r, b_.cast(none, i->type));
        b_.if_then(b_.cmp(CmpKind::Ge, index, b_.int64(0)),
                   [&] { b_.store(r, b_.cast(b_.load(value_ptr(d, index)), i->type)); });
        return b_.load(r);
      }
      Instr* r = slot(value_type(d));
      b_.store(r, b_.convert(arg(3), value_type(d)));
      b_.if_then(b_.cmp(CmpKind::Ge, index, b_.int64(0)), [&] { b_.store(r, b_.load(value_ptr(d, index))); });
      return b_.cast(b_.load(r), i->type);
    }
    case Intrinsic::DictSetDefault: {
      Instr* added = nullptr;
      Instr* index = insert(d, key_slot(d, arg(2)), &added);
      b_.if_then(added, [&] { store_value(d, index, arg(3)); });
      return b_.load(value_ptr(d, index));
    }
    case Intrinsic::DictPop: {
      Instr* k = key_slot(d, arg(2));
      Instr* v = slot(value_type(d));
      Instr* removed = remove(d, k, v);
      if (arg(3)) return b_.select(removed, b_.load(v), b_.convert(arg(3), value_type(d)));
      b_.if_then(b_.logical_not(removed), [&] { key_error(d, k); });
      return b_.load(v);
    }
    case Intrinsic::DictPopItem:
    case Intrinsic::SetPop: {
      Instr* k = slot(key_type(d));
      Instr* v = is_dict(d->type) ? slot(value_type(d)) : k;  // a set's value has no bytes
      checked("dn_dict_popitem", {d, k, v});
      if (is_set(d->type)) return b_.load(k);
      Instr* key = b_.load(k);
      Instr* value = b_.load(v);
      return b_.emit(Opcode::BuildTuple, {key, value}, t_tuple({key->type, value->type}));
    }
    case Intrinsic::DictUpdate: {
      Instr* other = arg(2);
      for_each_entry(b_, other, [&](Instr* e) {
        Instr* v = entry_value(b_, other->type, e);  // before the insert, which may move entries
        Instr* index = insert(d, entry_key_ptr(b_, other->type, e));
        store_value(d, index, v);
      });
      return nullptr;
    }
    case Intrinsic::HashClear: runtime("dn_dict_clear", {d}, nullptr); return nullptr;
    case Intrinsic::SetAdd: insert_key(d, arg(2)); return nullptr;
    case Intrinsic::SetDiscard:
    case Intrinsic::SetRemove: {
      Instr* k = key_slot(d, arg(2));
      Instr* removed = remove(d, k, k);
      if (i->intrinsic == Intrinsic::SetRemove) b_.if_then(b_.logical_not(removed), [&] { key_error(d, k); });
      return nullptr;
    }
    case Intrinsic::SetUpdate: add_all(d, arg(2)); return nullptr;
    case Intrinsic::SetCombine: return combine(d, arg(2), combine_op(i->func), false);
    case Intrinsic::SetRelation:
      if (i->func == "issubset") return relation(d, arg(2), 1);
      if (i->func == "issuperset") return relation(d, arg(2), 2);
      return b_.cmp(CmpKind::Eq, len(combine(d, arg(2), 1, false)), b_.int64(0));  // isdisjoint
    default: break;
  }
  DN_CHECK(false, "not a dict or set call: " + print_instr(*i));
  return nullptr;
}

Instr* DictLowering::lower(Instr* i) {
  switch (i->op) {
    case Opcode::BuildDict:
    case Opcode::BuildSet: {
      bool dict = i->op == Opcode::BuildDict;
      size_t step = dict ? 2 : 1;
      Instr* d = new_container(i->type, b_.int64(int64_t(i->operands.size() / step)));
      for (size_t k = 0; k < i->operands.size(); k += step) {
        Instr* index = insert(d, key_slot(d, i->operands[k]));
        if (dict) store_value(d, index, i->operands[k + 1]);  // a repeated key keeps the last value
      }
      return d;
    }
    case Opcode::Call: return call(i);
    case Opcode::BinOp: return combine(i->operands[0], i->operands[1], combine_op(i->binop), i->inplace);
    case Opcode::Compare: return compare(i);
    case Opcode::Truth: return b_.cmp(CmpKind::Ne, len(hash_container(i->operands[0])), b_.int64(0));
    case Opcode::GetItem: {
      Instr* d = i->operands[0];
      Instr* index = lookup(d, i->operands[1]);
      // The key is written where the runtime can read it only on the way to the KeyError.
      b_.if_then(b_.cmp(CmpKind::Lt, index, b_.int64(0)), [&] { key_error(d, key_slot(d, i->operands[1])); });
      return b_.load(value_ptr(d, index));
    }
    case Opcode::SetItem: {
      Instr* d = i->operands[0];
      store_value(d, insert_key(d, i->operands[1]), i->operands[2]);
      return nullptr;
    }
    case Opcode::DelItem: {
      Instr* d = i->operands[0];
      Instr* k = key_slot(d, i->operands[1]);
      Instr* v = slot(value_type(d));
      Instr* removed = remove(d, k, v);
      b_.if_then(b_.logical_not(removed), [&] { key_error(d, k); });
      return nullptr;
    }
    case Opcode::GetIter: {
      Instr* c = hash_container(i->operands[0]);
      Instr* position = slot(t_int64());
      b_.store(position, b_.int64(0));
      iters_[i] = {position, len(c), c, i->operands[0]->type};
      return nullptr;
    }
    case Opcode::IterValid: {
      // The next live entry from the position on, if any; Python's "changed size" check.
      HashIter& it = iters_.at(i->operands[0]);
      b_.raise_if(b_.cmp(CmpKind::Ne, len(it.container), it.size), DN_RUNTIME_ERROR,
                  is_set(it.container->type) ? "Set changed size during iteration" : "dictionary changed size during iteration");
      Instr* from = b_.load(it.slot);
      Instr* used = b_.load(b_.element_ptr(header(it.container), b_.int64(1)));
      Instr* k = b_.find_first(b_.binop(BinOpKind::Sub, used, from), [&](Instr* j) {
        Instr* hash = b_.load(entry(it.container, b_.binop(BinOpKind::Add, from, j, true)));
        return b_.cmp(CmpKind::Ne, hash, b_.int64(DN_DICT_DELETED));
      });
      Instr* found = b_.cmp(CmpKind::Ge, k, b_.int64(0));
      b_.store(it.slot, b_.select(found, b_.binop(BinOpKind::Add, from, k, true), used));
      return found;
    }
    case Opcode::IterNext: {
      HashIter& it = iters_.at(i->operands[0]);
      Instr* j = b_.load(it.slot);
      b_.store(it.slot, b_.binop(BinOpKind::Add, j, b_.int64(1), true));
      return entry_item(b_, it.view, entry(it.container, j));
    }
    default: break;
  }
  DN_CHECK(false, "not a dict or set operation: " + print_instr(*i));
  return nullptr;
}

}  // namespace

bool is_dict_operation(const Instr* i) {
  switch (i->op) {
    case Opcode::BuildDict:
    case Opcode::BuildSet: return true;
    case Opcode::Call: return dict_call(i);
    case Opcode::BinOp: return is_set(i->type);
    case Opcode::Compare:
      if (i->cmp == CmpKind::In || i->cmp == CmpKind::NotIn) return is_hash(i->operands[1]->type);
      return is_hash(i->operands[0]->type) && is_hash(i->operands[1]->type);
    case Opcode::Truth:
    case Opcode::GetIter: return is_hash(i->operands[0]->type);
    case Opcode::GetItem:
    case Opcode::SetItem:
    case Opcode::DelItem: return is_dict(i->operands[0]->type);
    case Opcode::IterValid:
    case Opcode::IterNext: return is_hash_iter(i->operands[0]->type);
    default: return false;
  }
}

bool lower_dicts(Function& fn) {
  std::unordered_map<const Instr*, HashIter> iters;
  bool changed = lower_each(
      fn, is_dict_operation, [&](IRBuilder& b, Instr* i) { return DictLowering(b, iters).lower(i); },
      [&](Instr* old, Instr* now) {
        // An iterator's container may be one lowered since (replace_all_uses does not see the map).
        for (auto& [it, state] : iters)
          if (state.container == old) state.container = now;
      });
  // What dict(zip(a, b)) walked: the zip object, a compile-time value, now unused.
  if (changed) remove_dead_compile_time_values(fn);
  return changed;
}

}  // namespace dn
