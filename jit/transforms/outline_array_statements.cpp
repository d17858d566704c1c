#include "jit/transforms/outline_array_statements.h"

#include "jit/transforms/dead_values.h"

#include <algorithm>
#include <map>
#include <regex>
#include <unordered_map>
#include <unordered_set>

namespace dn {

namespace {

constexpr int kOutlineThreshold = 16;

bool is_array(const Instr* i) { return i->type && i->type->kind() == TypeKind::Array; }

// Statements that lower to loops over an array's elements.
bool is_array_statement(const Instr* i) {
  if (i->fused_into) return false;
  if (is_elementwise(i)) return true;
  if (i->op == Opcode::Call) return i->intrinsic == Intrinsic::Reduce || i->intrinsic == Intrinsic::Scan;
  if (i->op != Opcode::SetItem) return false;
  // A slice or mask assignment (or a += b), not one element.
  if (is_array(i->operands.back()) || i->operands.back()->fused_into == i) return true;
  for (size_t k = 1; k + 1 < i->operands.size(); ++k)
    if (!i->operands[k]->type->is_int()) return true;
  return false;
}

// Values the statement copies in rather than receives: constants and compile-time values
// (and what those are computed from).
bool copied_in(const Instr* i) { return is_compile_time_value(i); }

class Outliner {
 public:
  Outliner(Function& fn, Instr* root) : fn_(fn), root_(root) {}

  std::unique_ptr<Function> build(const std::string& name) {
    auto out = std::make_unique<Function>(name, fn_.info);
    out->noinline = true;
    out_ = out.get();
    entry_ = out->new_block();
    inside_.insert(root_);
    mark_inside(root_);
    gather(root_);
    for (size_t k = 0; k < inputs_.size(); ++k) {
      Instr* a = out->append(entry_, Opcode::Arg);
      a->arg_index = int(k);
      a->type = inputs_[k]->type;
      a->var = inputs_[k]->var;
      out->args.push_back(a);
      copy_[inputs_[k]] = a;
    }
    Instr* r = copy(root_);
    for (auto& [orig, c] : copy_)
      if (orig->fused_into) c->fused_into = copy_.at(orig->fused_into);
    if (root_->op == Opcode::SetItem) {
      r = out->append(entry_, Opcode::Const);
      r->type = t_none();
      out->return_type = t_none();
    } else {
      out->return_type = root_->type;
    }
    out->append(entry_, Opcode::Return, {r});
    return out;
  }

  const std::vector<Instr*>& inputs() const { return inputs_; }

 private:
  // The statement: its root and what is fused into it.
  void mark_inside(const Instr* node) {
    for (Instr* o : node->operands)
      if (o->fused_into == node && inside_.insert(o).second) mark_inside(o);
  }

  // The statement's inputs, in the order its operands first read them.
  void gather(const Instr* node) {
    for (Instr* o : node->operands) {
      if (inside_.count(o) || copied_in(o)) gather(o);
      else if (std::find(inputs_.begin(), inputs_.end(), o) == inputs_.end()) inputs_.push_back(o);
    }
  }

  Instr* copy(Instr* i) {
    auto it = copy_.find(i);
    if (it != copy_.end()) return it->second;
    Instr* c = out_->clone(i);
    for (Instr*& o : c->operands) o = copy(o);
    c->parent = entry_;
    entry_->instrs.push_back(c);
    copy_[i] = c;
    return c;
  }

  Function& fn_;
  Instr* root_;
  Function* out_ = nullptr;
  Block* entry_ = nullptr;
  std::vector<Instr*> inputs_;
  std::unordered_set<const Instr*> inside_;
  std::unordered_map<const Instr*, Instr*> copy_;
};

}  // namespace

std::vector<std::unique_ptr<Function>> outline_array_statements(Function& fn) {
  std::vector<Instr*> statements;
  for (auto& b : fn.blocks)
    for (Instr* i : b->instrs)
      if (is_array_statement(i)) statements.push_back(i);
  std::vector<std::unique_ptr<Function>> made;
  if (int(statements.size()) <= kOutlineThreshold) return made;
  std::map<std::string, Function*> by_body;  // the body's text, without source positions
  static const std::regex position("  @[-0-9:]+");
  for (Instr* s : statements) {
    Outliner o(fn, s);
    std::unique_ptr<Function> f = o.build(fn.name + ".loop" + std::to_string(made.size()));
    std::string body = print_function(*f);
    body = std::regex_replace(body.substr(body.find('(')), position, "");
    Function*& same = by_body[body];
    if (!same) {
      same = f.get();
      made.push_back(std::move(f));
    }
    // The call: operand 0 is the callee's place (nothing at run time).
    Instr* none = fn.create(Opcode::Const, {}, s->loc);
    none->type = t_none();
    fn.insert_before(s, none);
    std::vector<Instr*> operands{none};
    operands.insert(operands.end(), o.inputs().begin(), o.inputs().end());
    Instr* call = fn.create(Opcode::Call, operands, s->loc);
    call->type = same->return_type;
    call->intrinsic = Intrinsic::CallJitted;
    call->callee_key = same->name;
    fn.insert_before(s, call);
    fn.replace_all_uses(s, call);
    std::vector<Instr*> dead{s};
    for (size_t k = 0; k < dead.size(); ++k)
      for (Instr* op : dead[k]->operands)
        if (op->fused_into == dead[k]) dead.push_back(op);
    for (Instr* d : dead) fn.erase(d);
  }
  // What the statements alone used of the values copied in (a.sum looked up on a fused a)
  // goes with them.
  remove_dead_compile_time_values(fn);
  return made;
}

}  // namespace dn
