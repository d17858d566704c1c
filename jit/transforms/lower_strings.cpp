#include "jit/transforms/lower_strings.h"

#include <unordered_map>

#include "runtime/abi.h"

#include "jit/transforms/iterables.h"
#include "jit/transforms/lower_each.h"
#include "jit/typing/string_rules.h"

namespace dn {
namespace {

// The number of a case or class method (DN_STR_UNICODE_METHODS, runtime/abi.h).
int64_t unicode_method(const std::string& name) {
  int64_t k = 0;
#define DN_UNICODE_METHOD_NUMBER(method) \
  if (name == #method) return k;         \
  ++k;
  DN_STR_UNICODE_METHODS(DN_UNICODE_METHOD_NUMBER)
#undef DN_UNICODE_METHOD_NUMBER
  DN_CHECK(false, "not a str case or class method: " + name);
  return -1;
}

bool is_str_iter(const Type* t) { return t && t->kind() == TypeKind::ArrayIter && is_str(t->dtype()); }

class StringLowering {
 public:
  StringLowering(IRBuilder& b, IndexedIters& iters) : b_(b), iters_(iters) {}

  Instr* lower(Instr* i) {
    switch (i->op) {
      case Opcode::Compare: return compare(i);
      case Opcode::BinOp: {
        Instr* out = slot();
        if (i->binop == BinOpKind::Add) {
          checked("dn_str_concat", {in_slot(i->operands[0]), in_slot(i->operands[1]), out});
        } else {  // s * n or n * s
          bool left = is_str(i->operands[0]->type);
          Instr* n = b_.convert(i->operands[left ? 1 : 0], t_int64());
          checked("dn_str_repeat", {in_slot(i->operands[left ? 0 : 1]), n, out});
        }
        return b_.load(out);
      }
      case Opcode::Truth: return b_.cmp(CmpKind::Ne, length(i->operands[0]), b_.int64(0));
      case Opcode::GetIter: iters_[i] = start_indexed_iter(b_, i->operands[0]); return nullptr;
      case Opcode::IterValid: return indexed_iter_valid(b_, iters_.at(i->operands[0]));
      case Opcode::IterNext: {
        const IndexedIter& it = iters_.at(i->operands[0]);
        Instr* k = indexed_iter_advance(b_, it);
        Instr* out = slot();
        checked("dn_str_getitem", {in_slot(it.seq), k, out});
        return b_.load(out);
      }
      case Opcode::Call:
        if (i->intrinsic == Intrinsic::Min || i->intrinsic == Intrinsic::Max) return min_max(i);
        return i->intrinsic == Intrinsic::StrMethod ? method(i) : length(i->operands[1]);  // len(s)
      case Opcode::GetItem: {
        Instr* out = slot();
        Instr* index = i->operands[1];
        if (index->type->kind() == TypeKind::Slice) {
          Instr* bounds = b_.emit(Opcode::StackSlot, {}, t_pointer(index->type));
          b_.store(bounds, index);
          checked("dn_str_slice", {in_slot(i->operands[0]), bounds, out});
        } else {
          checked("dn_str_getitem", {in_slot(i->operands[0]), b_.convert(index, t_int64()), out});
        }
        return b_.load(out);
      }
      default: break;
    }
    DN_CHECK(false, "not a str operation: " + print_instr(*i));
    return nullptr;
  }

 private:
  Instr* slot() { return b_.emit(Opcode::StackSlot, {}, t_pointer(t_string())); }
  Instr* in_slot(Instr* s) {
    Instr* p = slot();
    b_.store(p, s);
    return p;
  }
  Instr* length(Instr* s) { return b_.str_part(s, 1); }
  Instr* runtime(const char* func, std::vector<Instr*> operands, const Type* t) {
    return b_.call_runtime(func, std::move(operands), t);
  }
  void checked(const char* func, std::vector<Instr*> operands) { b_.call_runtime_checked(func, std::move(operands)); }
  Instr* boolean(bool v) {
    Instr* c = b_.emit(Opcode::Const, {}, t_bool());
    c->cval.kind = ConstValue::Kind::Bool;
    c->cval.i = v;
    return c;
  }

  Instr* int32(int64_t v) { return b_.convert(b_.int64(v), t_int(32)); }
  Instr* truth(Instr* status) { return b_.cmp(CmpKind::Ne, status, int32(0)); }

  // s.method(args...): operand 1 is s, the arguments follow.
  Instr* method(Instr* i) {
    const std::string& m = i->func;
    if (m == "exception_text") {  // of a caught exception's handle
      Instr* out = slot();
      checked("dn_exception_text", {i->operands[1], i->operands[2], out});
      return b_.load(out);
    }
    if (m == "chr" || m == "percent_c") {
      Instr* out = slot();
      checked("dn_str_chr", {b_.cast(i->operands[1], t_int64()), int32(m == "percent_c"), out});
      return b_.load(out);
    }
    if (m == "ord" || m == "int" || m == "float" || m == "hash") {
      const Type* t = m == "float" ? t_float64() : t_int64();
      Instr* out = b_.emit(Opcode::StackSlot, {}, t_pointer(t));
      checked(m == "ord" ? "dn_str_ord" : m == "int" ? "dn_str_to_int" : m == "hash" ? "dn_str_hash" : "dn_str_to_float",
              {in_slot(i->operands[1]), out});
      return b_.cast(b_.load(out), i->type);
    }
    Instr* s = in_slot(i->operands[1]);
    auto arg = [&](size_t k) { return in_slot(i->operands[2 + k]); };
    size_t nargs = i->operands.size() - 2;
    bool given = nargs > 0 && is_str(i->operands[2]->type);  // strip(None), split(None): the default
    // s.find(sub, start, end): the bounds as given (None: not given), adjusted by the runtime.
    auto bound = [&](size_t k, int64_t missing) {
      Instr* v = nargs > k ? i->operands[2 + k] : nullptr;
      return v && v->type->kind() != TypeKind::None ? b_.convert(v, t_int64()) : b_.int64(missing);
    };
    if (m == "startswith" || m == "endswith")
      return truth(runtime("dn_str_affix", {s, arg(0), int32(m == "endswith"), bound(1, 0), bound(2, INT64_MAX)}, t_int(32)));
    if (m == "find" || m == "rfind" || m == "count" || m == "index") {
      Instr* at = runtime("dn_str_search", {s, arg(0), int32(m == "rfind" ? 1 : m == "count" ? 2 : 0), bound(1, 0), bound(2, INT64_MAX)},
                          t_int64());
      if (m == "index") b_.raise_if(b_.cmp(CmpKind::Lt, at, b_.int64(0)), DN_VALUE_ERROR, "substring not found");
      return at;
    }
    Instr* out = slot();
    if (m == "strip" || m == "lstrip" || m == "rstrip") {
      int sides = m == "lstrip" ? 1 : m == "rstrip" ? 2 : 3;
      checked("dn_str_strip", {s, given ? arg(0) : s, int32(given), int32(sides), out});
    } else if (m == "replace") {
      checked("dn_str_replace", {s, arg(0), arg(1), out});
    } else if (m == "split") {
      Instr* list = b_.emit(Opcode::StackSlot, {}, t_pointer(i->type));
      checked("dn_str_split", {s, given ? arg(0) : s, int32(given), bound(1, -1), list});
      return b_.load(list);
    } else if (m == "join") {
      checked("dn_str_join", {s, i->operands[2], out});
    } else {
      Instr* result = b_.emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
      checked("dn_str_unicode", {s, int32(unicode_method(m)), out, result});
      if (i->type->is_bool()) return b_.cmp(CmpKind::Ne, b_.load(result), b_.int64(0));
    }
    return b_.load(out);
  }

  // min(a, b, ...) / max of strs: the first of the smallest (largest), as Python's.
  Instr* min_max(Instr* i) {
    Instr* best = i->operands[1];
    CmpKind better = i->intrinsic == Intrinsic::Min ? CmpKind::Lt : CmpKind::Gt;
    for (size_t k = 2; k < i->operands.size(); ++k) {
      Instr* x = i->operands[k];
      best = b_.select(b_.cmp(better, b_.str_compare(x, best), int32(0)), x, best);
    }
    return best;
  }

  Instr* compare(Instr* i) {
    Instr* a = i->operands[0];
    Instr* b = i->operands[1];
    CmpKind k = i->cmp;
    if (k == CmpKind::In || k == CmpKind::NotIn) {
      Instr* at = runtime("dn_str_find", {in_slot(b), in_slot(a), b_.int64(0)}, t_int64());
      return b_.cmp(k == CmpKind::In ? CmpKind::Ge : CmpKind::Lt, at, b_.int64(0));
    }
    // A str is never equal to a value of another type.
    if (!is_str(a->type) || !is_str(b->type)) return boolean(k == CmpKind::Ne);
    if (k == CmpKind::Eq) return b_.str_equal(a, b);
    if (k == CmpKind::Ne) return b_.logical_not(b_.str_equal(a, b));
    return b_.cmp(k, b_.str_compare(a, b), int32(0));
  }

  IRBuilder& b_;
  IndexedIters& iters_;
};

bool str_call(const Instr* i) {
  if (i->intrinsic == Intrinsic::StrMethod) return true;
  if (i->intrinsic == Intrinsic::Min || i->intrinsic == Intrinsic::Max) return is_str(i->type);
  return i->intrinsic == Intrinsic::Len && i->operands.size() == 2 && is_str(i->operands[1]->type);
}

}  // namespace

bool is_string_operation(const Instr* i) {
  switch (i->op) {
    case Opcode::Call: return str_call(i);
    case Opcode::BinOp: return is_str(i->type);
    case Opcode::Compare:
      if (i->cmp == CmpKind::Is || i->cmp == CmpKind::IsNot) return false;
      if (i->cmp == CmpKind::In || i->cmp == CmpKind::NotIn) return is_str(i->operands[1]->type);
      return is_str(i->operands[0]->type) || is_str(i->operands[1]->type);
    case Opcode::Truth:
    case Opcode::GetIter:
    case Opcode::GetItem: return is_str(i->operands[0]->type);
    case Opcode::IterValid:
    case Opcode::IterNext: return is_str_iter(i->operands[0]->type);
    default: return false;
  }
}

bool lower_strings(Function& fn) {
  IndexedIters iters;
  return lower_each(
      fn, is_string_operation, [&](IRBuilder& b, Instr* i) { return StringLowering(b, iters).lower(i); },
      [&](Instr* old, Instr* now) { rename_indexed_seq(iters, old, now); });
}

}  // namespace dn
