#include "jit/transforms/iterables.h"

#include <tuple>

#include "jit/support/diagnostics.h"
#include "jit/types/abi_layout.h"
#include "jit/typing/iteration_rules.h"
#include "runtime/abi.h"

namespace dn {

// As written: range(stop) / range(start, stop[, step]); of a range value (an argument,
// a phi), its parts.
std::tuple<Instr*, Instr*, Instr*> range_parts(IRBuilder& b, Instr* r) {
  if (r->op != Opcode::Call || r->intrinsic != Intrinsic::Range)
    return {b.range_part(r, 0), b.range_part(r, 1), b.range_part(r, 2)};
  size_t n = r->operands.size() - 1;
  auto arg = [&](size_t k) { return b.cast(r->operands[k + 1], t_int64()); };
  if (n == 1) return {b.int64(0), arg(0), b.int64(1)};
  return {arg(0), arg(1), n == 3 ? arg(2) : b.int64(1)};
}

namespace {

bool is_list(const Type* t) { return t->kind() == TypeKind::List; }
bool is_hash(const Type* t) {
  return t->kind() == TypeKind::Dict || t->kind() == TypeKind::Set || t->kind() == TypeKind::DictView;
}

int64_t round8(int64_t n) { return (n + 7) / 8 * 8; }

bool is_builtin_iter(const Type* t) { return t->kind() == TypeKind::BuiltinIter; }

// What an enumerate/zip/reversed object iterates: its call's arguments (lower_iterators
// keeps the call of one that only a for_each_element walk uses).
std::vector<Instr*> iterated(Instr* obj) {
  DN_CHECK(obj->op == Opcode::Call && obj->intrinsic == Intrinsic::IterObject,
           "enumerate/zip/reversed object not from its call: " + print_instr(*obj));
  size_t n = obj->type->elements().size();
  return std::vector<Instr*>(obj->operands.begin() + 1, obj->operands.begin() + 1 + long(n));
}
Instr* enumerate_start(IRBuilder& b, Instr* obj) {
  return obj->operands.size() > 2 ? b.cast(obj->operands[2], t_int64()) : b.int64(0);
}

// Whether element j can be read without walking those before it: lists, 1-D arrays,
// ranges, strs, and enumerate/zip/reversed of them.
bool indexable(const Type* t) {
  if (is_builtin_iter(t)) {
    for (const Type* x : t->elements())
      if (!indexable(x)) return false;
    return true;
  }
  return is_list(t) || t->kind() == TypeKind::Array || t->kind() == TypeKind::Range || t->kind() == TypeKind::String;
}

// A reader of element j of an indexable `src`: what it needs before the loop is emitted
// here, the read itself at each call (a list's data is read anew: the body may append).
std::function<Instr*(Instr*)> element_reader(IRBuilder& b, Instr* src) {
  const Type* t = src->type;
  if (is_list(t))
    return [&b, src, t](Instr* j) { return b.load(b.element_ptr(b.emit(Opcode::ListData, {src}, t_pointer(t->dtype())), j)); };
  if (t->kind() == TypeKind::Array && t->ndim() > 1) {  // its rows: views
    const Type* row = array_row_type(t);
    return [&b, src, row](Instr* j) { return b.emit(Opcode::GetItem, {src, j}, row); };
  }
  if (t->kind() == TypeKind::Array) {
    Instr* base = b.data(src);
    Instr* stride = b.stride(src, 0);
    return [&b, base, stride](Instr* j) { return b.load(b.byte_ptr(base, b.binop(BinOpKind::Mul, j, stride))); };
  }
  if (t->kind() == TypeKind::String) {
    Instr* s = b.emit(Opcode::StackSlot, {}, t_pointer(t));
    b.store(s, src);
    Instr* out = b.emit(Opcode::StackSlot, {}, t_pointer(t));
    return [&b, s, out](Instr* j) {
      b.call_runtime_checked("dn_str_getitem", {s, j, out});
      return b.load(out);
    };
  }
  if (t->kind() == TypeKind::Range) {
    auto [start, stop, step] = range_parts(b, src);
    (void)stop;
    return [&b, start = start, step = step](Instr* j) { return b.binop(BinOpKind::Add, start, b.binop(BinOpKind::Mul, j, step)); };
  }
  DN_CHECK(is_builtin_iter(t), "not an indexable iterable: " + t->str());
  std::vector<Instr*> inner = iterated(src);
  const Type* item = next_type(t);
  if (t->name() == "reversed") {
    auto at = element_reader(b, inner[0]);
    Instr* last = b.binop(BinOpKind::Sub, element_count(b, inner[0]), b.int64(1));
    return [&b, at, last, item](Instr* j) { return b.cast(at(b.binop(BinOpKind::Sub, last, j)), item); };
  }
  std::vector<std::function<Instr*(Instr*)>> readers;
  for (Instr* x : inner) readers.push_back(element_reader(b, x));
  Instr* start = t->name() == "enumerate" ? enumerate_start(b, src) : nullptr;
  return [&b, readers, start, item](Instr* j) {
    std::vector<Instr*> parts;
    if (start) parts.push_back(b.binop(BinOpKind::Add, start, j, true));
    for (auto& at : readers) parts.push_back(at(j));
    for (size_t k = 0; k < parts.size(); ++k) parts[k] = b.cast(parts[k], item->elements()[k]);
    return b.emit(Opcode::BuildTuple, parts, item);
  };
}

// A pointer to a value of type `t` at `bytes` past `p`.
Instr* retyped(IRBuilder& b, Instr* p, int64_t bytes, const Type* t) {
  Instr* q = b.emit(Opcode::PtrOffset, {p, b.int64(bytes)}, t_pointer(t));
  q->byte_offset = true;
  return q;
}

}  // namespace

DictLayout dict_layout(const Type* t) {
  if (t->kind() == TypeKind::DictView) t = t->dtype();
  DictLayout l{};
  l.key_size = int64_t(abi_layout(t->dtype()).size);
  l.value_size = t->kind() == TypeKind::Dict ? int64_t(abi_layout(t->elements()[0]).size) : 0;
  l.key_offset = 8;  // after the hash
  l.value_offset = l.key_offset + dn_dict_value_offset(l.key_size);
  l.entry_size = l.value_offset + round8(l.value_size);
  return l;
}

Instr* hash_container(Instr* v) {
  if (v->type->kind() != TypeKind::DictView) return v;
  DN_CHECK(v->op == Opcode::Call && v->intrinsic == Intrinsic::DictView, "dict view not from a view call: " + print_instr(*v));
  return v->operands[1];
}

Instr* entry_key_ptr(IRBuilder& b, const Type* t, Instr* entry) {
  if (t->kind() == TypeKind::DictView) t = t->dtype();
  return retyped(b, entry, dict_layout(t).key_offset, t->dtype());
}

Instr* entry_value_ptr(IRBuilder& b, const Type* t, Instr* entry) {
  if (t->kind() == TypeKind::DictView) t = t->dtype();
  return retyped(b, entry, dict_layout(t).value_offset, t->elements()[0]);
}

Instr* entry_key(IRBuilder& b, const Type* t, Instr* entry) { return b.load(entry_key_ptr(b, t, entry)); }
Instr* entry_value(IRBuilder& b, const Type* t, Instr* entry) { return b.load(entry_value_ptr(b, t, entry)); }

Instr* entry_item(IRBuilder& b, const Type* view, Instr* entry) {
  if (view->kind() != TypeKind::DictView || view->name() == "keys") return entry_key(b, view, entry);
  if (view->name() == "values") return entry_value(b, view, entry);
  Instr* k = entry_key(b, view, entry);
  Instr* v = entry_value(b, view, entry);
  return b.emit(Opcode::BuildTuple, {k, v}, t_tuple({k->type, v->type}));
}

void for_each_entry(IRBuilder& b, Instr* container, const std::function<void(Instr*)>& body) {
  Instr* d = hash_container(container);
  int64_t size = dict_layout(d->type).entry_size;
  Instr* header = b.emit(Opcode::ListHeader, {d}, t_pointer(t_int64()));
  Instr* used = b.load(b.element_ptr(header, b.int64(1)));
  b.counted_loop(used, [&](Instr* j) {
    // The entries move when the body adds to the container: their address is read anew.
    Instr* entries = b.emit(Opcode::ListData, {d}, t_pointer(t_int64()));
    Instr* entry = b.byte_ptr(entries, b.binop(BinOpKind::Mul, j, b.int64(size)));
    Instr* live = b.cmp(CmpKind::Ne, b.load(entry), b.int64(DN_DICT_DELETED));
    b.if_then(live, [&] { body(entry); });
  });
}

Instr* element_count(IRBuilder& b, Instr* src) {
  const Type* t = src->type;
  if (is_generator(t)) return nullptr;  // known once it is exhausted
  if (is_list(t) || is_hash(t)) return b.load(b.emit(Opcode::ListHeader, {hash_container(src)}, t_pointer(t_int64())));
  if (t->kind() == TypeKind::Array) return b.dim(src, 0);
  if (t->kind() == TypeKind::Tuple) return b.int64(int64_t(t->elements().size()));
  if (t->kind() == TypeKind::String) return b.str_part(src, 1);
  if (is_builtin_iter(t)) {  // zip stops at its shortest
    Instr* n = nullptr;
    for (Instr* x : iterated(src)) {
      Instr* m = element_count(b, x);
      n = n ? b.select(b.cmp(CmpKind::Lt, m, n), m, n) : m;
    }
    return n;
  }
  // Python's len(range(start, stop, step)): step is never 0 (range() raised).
  auto [start, stop, step] = range_parts(b, src);
  return b.range_length(start, stop, step);
}

void for_each_element(IRBuilder& b, Instr* src, Instr* n, const std::function<void(Instr*, Instr*)>& body) {
  const Type* t = src->type;
  if (is_generator(t)) {
    // As a for loop iterates it (lower_generators lowers the iteration), counting.
    Instr* it = b.emit(Opcode::GetIter, {src}, t);
    Instr* count = b.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
    b.store(count, b.int64(0));
    Block* header = b.new_block();
    Block* step = b.new_block();
    Block* exit = b.new_block();
    b.br(header);
    b.set_block(header);
    b.condbr(b.emit(Opcode::IterValid, {it}, t_bool()), step, exit);
    b.set_block(step);
    Instr* j = b.load(count);
    body(b.emit(Opcode::IterNext, {it}, t->dtype()), j);
    b.store(count, b.binop(BinOpKind::Add, j, b.int64(1), true));
    b.br(header);
    b.set_block(exit);
  } else if (is_list(t)) {
    b.counted_loop(n, [&](Instr* j) {
      Instr* data = b.emit(Opcode::ListData, {src}, t_pointer(t->dtype()));
      body(b.load(b.element_ptr(data, j)), j);
    });
  } else if (is_hash(t)) {
    // The first n live entries, counted as they come (deleted ones leave gaps).
    Instr* count = b.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
    count->slots = 1;
    b.store(count, b.int64(0));
    for_each_entry(b, src, [&](Instr* entry) {
      Instr* j = b.load(count);
      b.if_then(b.cmp(CmpKind::Lt, j, n), [&] { body(entry_item(b, t, entry), j); });
      b.store(count, b.binop(BinOpKind::Add, j, b.int64(1), true));
    });
  } else if (t->kind() == TypeKind::Tuple) {
    for (size_t k = 0; k < t->elements().size(); ++k) {
      Instr* g = b.emit(Opcode::TupleGet, {src}, t->elements()[k]);
      g->tuple_index = int64_t(k);
      body(g, b.int64(int64_t(k)));
    }
  } else if (indexable(t)) {
    auto at = element_reader(b, src);
    b.counted_loop(n, [&](Instr* j) { body(at(j), j); });
  } else if (is_builtin_iter(t) && t->name() == "enumerate") {  // of a dict or set: walked, counted
    Instr* obj = src;
    Instr* start = enumerate_start(b, obj);
    const Type* item = next_type(t);
    for_each_element(b, iterated(obj)[0], n, [&](Instr* x, Instr* j) {
      Instr* k = b.cast(b.binop(BinOpKind::Add, start, j, true), item->elements()[0]);
      body(b.emit(Opcode::BuildTuple, {k, b.cast(x, item->elements()[1])}, item), j);
    });
  } else {
    report(ErrorKind::Unsupported, b.function().info, src->loc,
           "Unsupported: " + t->name() + "() of a dict, set or tuple, taken whole (by dict())",
           "pass a list of it: " + t->name() + "(list(x), ...)");
  }
}

Instr* element_at(IRBuilder& b, Instr* seq, Instr* k) {
  const Type* t = seq->type;
  if (t->kind() == TypeKind::Tuple) return b.emit(Opcode::GetItem, {seq, k}, t->elements()[0]);
  return element_reader(b, seq)(k);
}

IndexedIter start_indexed_iter(IRBuilder& b, Instr* seq) {
  Instr* slot = b.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
  b.store(slot, b.int64(0));
  return {slot, seq};
}

Instr* indexed_iter_valid(IRBuilder& b, const IndexedIter& it) {
  return b.cmp(CmpKind::Lt, b.load(it.slot), element_count(b, it.seq));
}

Instr* indexed_iter_advance(IRBuilder& b, const IndexedIter& it) {
  Instr* k = b.load(it.slot);
  b.store(it.slot, b.binop(BinOpKind::Add, k, b.int64(1), true));
  return k;
}

void rename_indexed_seq(IndexedIters& iters, Instr* old, Instr* now) {
  for (auto& [getiter, state] : iters)
    if (state.seq == old) state.seq = now;
}

}  // namespace dn
