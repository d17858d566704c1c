// Walking the elements of what Python iterates (lists, ranges, 1-D arrays, uniform tuples,
// dicts, sets and dict views, and enumerate/zip/reversed objects of them) in lowered IR:
// one mechanism for the passes that build from an iterable (list(x), l.extend(x), sum(x),
// set(x), s.update(x), dict(zip(a, b))).
#pragma once

#include <tuple>

#include <functional>
#include <unordered_map>

#include "jit/transforms/ir_builder.h"

namespace dn {

// Where the parts of a dict's (set's) entry lie (runtime/abi.h's DnDict): its key at
// key_offset, its value at value_offset, entry_size bytes apart.
struct DictLayout {
  int64_t key_size, value_size, key_offset, value_offset, entry_size;
};
DictLayout dict_layout(const Type* dict_or_set);
// The dict or set behind a dict, set or view value (a view is its dict: DictView's operand).
Instr* hash_container(Instr* v);

// A range's (start, stop, step) as int64 values: the arguments of range(...) as written, or
// the parts of a range value.
std::tuple<Instr*, Instr*, Instr*> range_parts(IRBuilder& b, Instr* r);
// The number of elements of `src` (null for a generator: not known before it ends).
Instr* element_count(IRBuilder& b, Instr* src);
// body(x, j) for the first n elements x of `src` (j counts them from 0), in order; all of a
// generator's (n null). A zip or reversed object reads its iterables by index: of dicts,
// sets or tuples it is refused.
void for_each_element(IRBuilder& b, Instr* src, Instr* n, const std::function<void(Instr*, Instr*)>& body);

// Element k (an int64 in range) of a range, a 1-D array or a tuple of one element type.
Instr* element_at(IRBuilder& b, Instr* seq, Instr* k);

// A `for x in seq` loop over a list or str (in a generator also a range, array or tuple),
// as Python's iterator runs it: the index of the next element in `slot`, compared with the
// length each time (appends in the loop count).
struct IndexedIter {
  Instr* slot;
  Instr* seq;
};
using IndexedIters = std::unordered_map<const Instr*, IndexedIter>;  // by the getiter
IndexedIter start_indexed_iter(IRBuilder& b, Instr* seq);
Instr* indexed_iter_valid(IRBuilder& b, const IndexedIter& it);
// The index of the next element; advances the iterator.
Instr* indexed_iter_advance(IRBuilder& b, const IndexedIter& it);
// A lowering pass replaced `old` by `now`: iterators over it follow (lower_each's replaced).
void rename_indexed_seq(IndexedIters& iters, Instr* old, Instr* now);
// body(entry) for the address of each live entry of a dict or set (its hash; key and value
// at dict_layout's offsets), in insertion order.
void for_each_entry(IRBuilder& b, Instr* container, const std::function<void(Instr*)>& body);
// The address of the key (value) in the entry at `entry` of a dict or set of type `t`.
Instr* entry_key_ptr(IRBuilder& b, const Type* t, Instr* entry);
Instr* entry_value_ptr(IRBuilder& b, const Type* t, Instr* entry);
// The key (value) stored in the entry at `entry` of a dict or set of type `t`.
Instr* entry_key(IRBuilder& b, const Type* t, Instr* entry);
Instr* entry_value(IRBuilder& b, const Type* t, Instr* entry);
// What iterating a dict, set or view of type `view` yields from the entry at `entry`.
Instr* entry_item(IRBuilder& b, const Type* view, Instr* entry);

}  // namespace dn
