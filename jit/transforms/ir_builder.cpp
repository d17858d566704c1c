#include "jit/transforms/ir_builder.h"

#include "jit/support/diagnostics.h"

namespace dn {

Instr* IRBuilder::emit(Opcode op, std::vector<Instr*> operands, const Type* t) {
  Instr* i = fn_.append(block_, op, std::move(operands), loc_);
  i->type = t;
  return i;
}

Instr* IRBuilder::append(Instr* i) {
  i->parent = block_;
  block_->instrs.push_back(i);
  return i;
}

Instr* IRBuilder::library_function(const std::string& name) {
  Instr* g = emit(Opcode::Global, {}, t_function(name));
  g->gval.kind = GlobalValue::Kind::Function;
  g->gval.name = name;
  return g;
}

Instr* IRBuilder::int64(int64_t v) {
  Instr* c = emit(Opcode::Const, {}, t_int64());
  c->cval.kind = ConstValue::Kind::Int;
  c->cval.i = v;
  return c;
}

Instr* IRBuilder::boolean(bool v) {
  Instr* c = emit(Opcode::Const, {}, t_bool());
  c->cval.kind = ConstValue::Kind::Bool;
  c->cval.i = v;
  return c;
}

Instr* IRBuilder::binop(BinOpKind k, Instr* a, Instr* b, bool no_wrap) {
  Instr* i = emit(Opcode::BinOp, {a, b}, a->type->strong());
  i->binop = k;
  i->no_wrap = no_wrap;
  return i;
}

Instr* IRBuilder::cmp(CmpKind k, Instr* a, Instr* b) {
  Instr* i = emit(Opcode::Compare, {a, b}, t_bool());
  i->cmp = k;
  return i;
}

Instr* IRBuilder::select(Instr* c, Instr* a, Instr* b) { return emit(Opcode::Select, {c, a, b}, a->type); }

Instr* IRBuilder::logical_not(Instr* c) {
  Instr* i = emit(Opcode::UnaryOp, {c}, t_bool());
  i->unop = UnaryKind::Not;
  return i;
}

Instr* IRBuilder::cast(Instr* v, const Type* to) { return v->type == to ? v : emit(Opcode::Cast, {v}, to); }

Instr* IRBuilder::equal(Instr* x, Instr* y) {
  if (x->type->kind() == TypeKind::Tuple) {
    Instr* all = boolean(true);
    for (size_t k = 0; k < x->type->elements().size(); ++k) {
      Instr* a = emit(Opcode::TupleGet, {x}, x->type->elements()[k]);
      a->tuple_index = int64_t(k);
      Instr* c = emit(Opcode::TupleGet, {y}, y->type->elements()[k]);
      c->tuple_index = int64_t(k);
      all = binop(BinOpKind::And, all, equal(a, c));
    }
    return all;
  }
  bool xs = x->type->kind() == TypeKind::String, ys = y->type->kind() == TypeKind::String;
  if (xs || ys) {
    if (!xs || !ys) return boolean(false);  // a str never equals a number
    return str_equal(x, y);
  }
  return compare_numbers(CmpKind::Eq, x, y);
}

Instr* IRBuilder::compare_numbers(CmpKind k, Instr* x, Instr* y) {
  const Type* a = x->type;
  const Type* c = y->type;
  auto u64 = [](const Type* t) { return t->is_int() && !t->is_signed() && t->bits() == 64; };
  const Type* t = a->is_complex() || c->is_complex() ? t_complex(128)
                  : a->is_float() || c->is_float()   ? t_float64()
                  : u64(a) || u64(c)                 ? t_int(64, false)
                                                     : t_int64();
  return cmp(k, convert(x, t), convert(y, t));
}

Instr* IRBuilder::convert(Instr* v, const Type* to) {
  if (v->type == to) return v;
  if (to->kind() == TypeKind::Tuple) {
    std::vector<Instr*> parts;
    for (size_t k = 0; k < to->elements().size(); ++k) {
      Instr* g = emit(Opcode::TupleGet, {v}, v->type->elements()[k]);
      g->tuple_index = int64_t(k);
      parts.push_back(convert(g, to->elements()[k]));
    }
    return emit(Opcode::BuildTuple, parts, to);
  }
  return emit(Opcode::Cast, {v}, to);
}

Instr* IRBuilder::dim(Instr* array, int d) {
  Instr* i = emit(Opcode::ArrayDim, {array}, t_int64());
  i->dim = d;
  return i;
}

Instr* IRBuilder::stride(Instr* array, int d) {
  Instr* i = emit(Opcode::ArrayStride, {array}, t_int64());
  i->dim = d;
  return i;
}

Instr* IRBuilder::data(Instr* array) { return emit(Opcode::ArrayData, {array}, t_pointer(array->type->dtype())); }

Instr* IRBuilder::element_ptr(Instr* p, Instr* index) { return emit(Opcode::PtrOffset, {p, index}, p->type); }

Instr* IRBuilder::byte_ptr(Instr* p, Instr* bytes) {
  Instr* i = emit(Opcode::PtrOffset, {p, bytes}, p->type);
  i->byte_offset = true;
  return i;
}

Instr* IRBuilder::load(Instr* p) { return emit(Opcode::Load, {p}, p->type->dtype()); }

void IRBuilder::store(Instr* p, Instr* v) { emit(Opcode::Store, {p, v}, nullptr); }

Block* IRBuilder::new_block() {
  Block* b = fn_.new_block();
  b->unwind = block_ ? block_->unwind : nullptr;
  return b;
}

Instr* IRBuilder::call_runtime(const char* func, std::vector<Instr*> operands, const Type* t) {
  Instr* c = emit(Opcode::CallRuntime, std::move(operands), t);
  c->func = func;
  return c;
}

Instr* IRBuilder::str_part(Instr* s, int part) {
  Instr* p = emit(Opcode::Part, {s}, part == 0 ? t_pointer(t_int(8, false)) : t_int64());
  p->dim = part;
  return p;
}

Instr* IRBuilder::int64_array(const std::vector<int64_t>& values) {
  Instr* s = emit(Opcode::StackSlot, {}, t_pointer(t_int64()));
  s->slots = int64_t(values.size());
  for (size_t k = 0; k < values.size(); ++k) store(element_ptr(s, int64(int64_t(k))), int64(values[k]));
  return s;
}

Instr* IRBuilder::range_part(Instr* r, int part) {
  Instr* p = emit(Opcode::Part, {r}, t_int64());
  p->dim = part;
  return p;
}

// len(range(start, stop, step)): the count of start + k * step before stop, as CPython's
// compute_range_length (no overflow for the ranges an int64 loop can run).
Instr* IRBuilder::range_length(Instr* start, Instr* stop, Instr* step) {
  Instr* up = cmp(CmpKind::Gt, step, int64(0));
  Instr* span = select(up, binop(BinOpKind::Sub, stop, start), binop(BinOpKind::Sub, start, stop));
  Instr* stride = select(up, step, binop(BinOpKind::Sub, int64(0), step));
  Instr* n = binop(BinOpKind::Add, binop(BinOpKind::FloorDiv, binop(BinOpKind::Sub, span, int64(1)), stride), int64(1));
  return select(cmp(CmpKind::Gt, span, int64(0)), n, int64(0));
}

// By its parts, in registers: the runtime reads only what they point to, so a comparison
// with a literal in a loop is computed once, before it (lower_function.cpp's reads_only).
Instr* IRBuilder::str_equal(Instr* x, Instr* y) {
  Instr* same = call_runtime("dn_str_equal", {str_part(x, 0), str_part(x, 1), str_part(x, 2), str_part(y, 0),
                                              str_part(y, 1), str_part(y, 2)},
                             t_int(32));
  return cmp(CmpKind::Ne, same, convert(int64(0), t_int(32)));
}

Instr* IRBuilder::str_compare(Instr* x, Instr* y) {
  return call_runtime("dn_str_compare", {str_part(x, 0), str_part(x, 1), str_part(x, 2), str_part(y, 0),
                                         str_part(y, 1), str_part(y, 2)},
                      t_int(32));
}

void IRBuilder::call_runtime_checked(const char* func, std::vector<Instr*> operands) {
  call_runtime(func, std::move(operands), nullptr)->checked = true;
}

void IRBuilder::br(Block* to) {
  emit(Opcode::Br, {}, nullptr)->blocks = {to};
}

void IRBuilder::condbr(Instr* c, Block* yes, Block* no) {
  emit(Opcode::CondBr, {c}, nullptr)->blocks = {yes, no};
}

void IRBuilder::counted_loop(Instr* n, const std::function<void(Instr*)>& body, bool independent) {
  Block* pre = block_;
  Block* header = new_block();
  Block* exit = new_block();
  condbr(cmp(CmpKind::Gt, n, int64(0)), header, exit);
  block_ = header;
  Instr* i = emit(Opcode::Phi, {int64_at(pre, 0)}, t_int64());
  i->blocks = {pre};
  i->independent = independent;
  body(i);
  Instr* next = binop(BinOpKind::Add, i, int64(1), true);
  i->operands.push_back(next);
  i->blocks.push_back(block_);
  condbr(cmp(CmpKind::Lt, next, n), header, exit);
  block_ = exit;
}

Instr* IRBuilder::find_first(Instr* n, const std::function<Instr*(Instr*)>& pred) {
  Block* pre = block_;
  Block* header = new_block();
  Block* latch = new_block();
  Block* exit = new_block();
  condbr(cmp(CmpKind::Gt, n, int64(0)), header, exit);
  Instr* none_before = int64_at(pre, -1);
  block_ = header;
  Instr* i = emit(Opcode::Phi, {int64_at(pre, 0)}, t_int64());
  i->blocks = {pre};
  Instr* holds = pred(i);
  Block* tested = block_;
  condbr(holds, exit, latch);
  block_ = latch;
  Instr* next = binop(BinOpKind::Add, i, int64(1), true);
  Instr* none_after = int64(-1);
  i->operands.push_back(next);
  i->blocks.push_back(latch);
  condbr(cmp(CmpKind::Lt, next, n), header, exit);
  block_ = exit;
  Instr* r = emit(Opcode::Phi, {none_before, i, none_after}, t_int64());
  r->blocks = {pre, tested, latch};
  return r;
}

Instr* IRBuilder::int64_at(Block* b, int64_t v) {
  Block* saved = block_;
  block_ = b;
  // Before b's terminator if it has one (the loop's guard was just appended).
  Instr* c = fn_.create(Opcode::Const, {}, loc_);
  c->type = t_int64();
  c->cval.kind = ConstValue::Kind::Int;
  c->cval.i = v;
  fn_.insert_before_terminator(b, c);
  block_ = saved;
  return c;
}

void IRBuilder::raise_if(Instr* failed, int code, const std::string& message,
                         const std::vector<std::vector<Instr*>>& shapes) {
  Block* error = new_block();
  Block* ok = new_block();
  condbr(failed, error, ok);
  block_ = error;
  std::vector<Instr*> extents;
  std::vector<int> ranks;
  for (const auto& s : shapes) {
    ranks.push_back(int(s.size()));
    extents.insert(extents.end(), s.begin(), s.end());
  }
  Instr* r = emit(Opcode::Raise, extents, nullptr);
  r->error_code = code;
  r->message = message;
  r->shape_ranks = ranks;
  block_ = ok;
}

void IRBuilder::if_then(Instr* c, const std::function<void()>& then) {
  Block* yes = new_block();
  Block* done = new_block();
  condbr(c, yes, done);
  block_ = yes;
  then();
  br(done);
  block_ = done;
}

}  // namespace dn
