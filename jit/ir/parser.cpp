// The IR text parser: the inverse of printer.cpp, line by line (one instruction per line).
// Values and blocks may be used before they are defined (phis, back edges, blocks in any
// order), so references are collected while reading and resolved when a function ends.
// Every failure is an IRParseError at a line and column; nothing in the input may crash it.
#include "jit/ir/parser.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <limits>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "jit/ir/printer.h"
#include "jit/types/type_text.h"

namespace dn {

namespace {

struct Ref {  // a use of %id or bbN, resolved at the end of the function
  int id;
  size_t line, col;
};

class Parser {
 public:
  explicit Parser(const std::string& text) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(std::move(line));
      start = end + 1;
    }
  }

  std::vector<std::unique_ptr<Function>> all() {
    std::vector<std::unique_ptr<Function>> out;
    try {
      while (next_content_line()) out.push_back(function());
    } catch (const std::out_of_range&) {
      // A bounds check the reader forgot: still an error at a place, never a crash.
      fail(ln_ < lines_.size() ? "malformed input" : "unexpected end of input");
    }
    return out;
  }

 private:
  // ---- position and errors
  const std::string& cur() const { return lines_[ln_]; }
  char ch() const { return pos_ < cur().size() ? cur()[pos_] : '\0'; }
  [[noreturn]] void fail_at(size_t line, size_t col, const std::string& message) const {
    std::string text = line < lines_.size() ? lines_[line] : "";
    std::string rendered = std::to_string(line + 1) + ":" + std::to_string(col + 1) + ": " + message + "\n  " + text +
                           "\n  " + std::string(std::min(col, text.size()), ' ') + "^";
    throw IRParseError(int(line + 1), int(col + 1), message, rendered);
  }
  [[noreturn]] void fail(const std::string& message) const { fail_at(std::min(ln_, lines_.size() - 1), pos_, message); }

  // A line is empty when only spaces and a comment remain; dump headers are comments too.
  static bool is_blank(const std::string& line) {
    size_t k = line.find_first_not_of(" \t");
    return k == std::string::npos || line[k] == ';' || line.compare(k, 4, "----") == 0;
  }
  bool next_content_line() {
    while (ln_ < lines_.size() && is_blank(lines_[ln_])) ++ln_;
    pos_ = 0;
    return ln_ < lines_.size();
  }
  void skip_spaces() {
    while (ch() == ' ' || ch() == '\t') ++pos_;
  }
  bool at_end() {
    skip_spaces();
    return pos_ >= cur().size() || ch() == ';';
  }
  void expect_end() {
    if (!at_end()) fail("unexpected text at the end of the line");
  }
  bool accept(const std::string& s) {
    if (cur().compare(pos_, s.size(), s) != 0) return false;
    pos_ += s.size();
    return true;
  }
  void expect(const std::string& s) {
    if (!accept(s)) fail("expected '" + s + "'");
  }
  // A keyword: `s` not followed by a letter, digit or '_'.
  bool accept_word(const std::string& s) {
    if (cur().compare(pos_, s.size(), s) != 0) return false;
    size_t after = pos_ + s.size();
    if (after < cur().size() && (std::isalnum(static_cast<unsigned char>(cur()[after])) || cur()[after] == '_'))
      return false;
    pos_ = after;
    return true;
  }
  std::string ident() {
    size_t start = pos_;
    while (std::isalnum(static_cast<unsigned char>(ch())) || ch() == '_') ++pos_;
    return cur().substr(start, pos_ - start);
  }
  int64_t integer(const char* what) {
    size_t start = pos_;
    if (ch() == '-') ++pos_;
    size_t digits = pos_;
    while (std::isdigit(static_cast<unsigned char>(ch()))) ++pos_;
    if (pos_ == digits) {
      pos_ = start;
      fail(std::string("expected ") + what);
    }
    errno = 0;
    long long v = std::strtoll(cur().c_str() + start, nullptr, 10);
    if (errno == ERANGE) fail_at(ln_, start, std::string(what) + " out of range");
    return int64_t(v);
  }
  int small_int(const char* what) {
    size_t start = pos_;
    int64_t v = integer(what);
    if (v < -(int64_t(1) << 30) || v > (int64_t(1) << 30)) fail_at(ln_, start, std::string(what) + " out of range");
    return int(v);
  }
  std::string string_lit() {
    char q = ch();
    if (q != '"' && q != '\'') fail("expected a string in quotes");
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= cur().size()) fail("unterminated string");
      char c = cur()[pos_++];
      if (c == q) return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= cur().size()) fail("unterminated string");
      char e = cur()[pos_++];
      if (e == 'n') out += '\n';
      else if (e == 't') out += '\t';
      else if (e == '\\' || e == '"' || e == '\'') out += e;
      else if (e == 'x') {
        auto hex = [&](char h) -> int {
          return std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : -1;
        };
        int hi = hex(ch()), lo = pos_ + 1 < cur().size() ? hex(cur()[pos_ + 1]) : -1;
        if (hi < 0 || lo < 0) fail("expected two lower-case hex digits after \\x");
        pos_ += 2;
        out += char(hi * 16 + lo);
      } else {
        --pos_;
        fail("unknown escape in a string");
      }
    }
  }
  const Type* type() {
    size_t start = pos_;
    std::string error;
    const Type* t = parse_type_text(cur(), pos_, error);
    if (!t) fail_at(ln_, pos_ < start ? start : pos_, error);
    return t;
  }
  Ref value_ref() {
    size_t col = pos_;
    expect("%");
    return {small_int("a value number after '%'"), ln_, col};
  }
  Ref block_ref() {
    size_t col = pos_;
    if (!accept("bb")) fail("expected a block (bbN)");
    return {small_int("a block number after 'bb'"), ln_, col};
  }

  // ---- constants
  double float_lit() {
    size_t start = pos_;
    bool neg = accept("-");
    if (accept_word("inf")) return neg ? -HUGE_VAL : HUGE_VAL;
    if (accept_word("nan")) return neg ? -std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::quiet_NaN();
    pos_ = start;
    const char* s = cur().c_str() + pos_;
    char* end = nullptr;
    double v = std::strtod(s, &end);
    if (end == s) fail("expected a float");
    pos_ += size_t(end - s);
    return v;
  }
  ConstValue constant(int depth = 0) {
    if (depth > 64) fail("constant nested too deeply");
    ConstValue c;
    if (accept_word("None")) return c;
    if (accept_word("True") || accept_word("False")) {
      c.kind = ConstValue::Kind::Bool;
      c.i = cur()[pos_ - 1] == 'e' && cur()[pos_ - 2] == 'u';  // "True", not "False"
      return c;
    }
    if (ch() == '\'' || ch() == '"') {
      c.kind = ConstValue::Kind::Str;
      c.s = string_lit();
      return c;
    }
    if (accept_word("complex")) {
      c.kind = ConstValue::Kind::Complex;
      expect("(");
      c.f = float_lit();
      expect(", ");
      c.imag = float_lit();
      expect(")");
      return c;
    }
    if (accept_word("object")) {
      c.kind = ConstValue::Kind::Other;
      expect("(");
      c.s = string_lit();
      expect(")");
      return c;
    }
    if (accept_word("bigint")) {
      c.kind = ConstValue::Kind::BigInt;
      expect("(");
      size_t start = pos_;
      if (ch() == '-') ++pos_;
      while (std::isdigit(static_cast<unsigned char>(ch()))) ++pos_;
      c.s = cur().substr(start, pos_ - start);
      if (c.s.empty() || c.s == "-") fail("expected the digits of a big integer");
      expect(")");
      return c;
    }
    if (accept("(")) {
      c.kind = ConstValue::Kind::Tuple;
      skip_spaces();
      if (accept(")")) return c;
      while (true) {
        c.items.push_back(constant(depth + 1));
        if (accept(")")) break;
        expect(",");
        skip_spaces();
        if (accept(")")) break;  // (x,)
      }
      return c;
    }
    // A number: an int unless it has a '.', an exponent, inf or nan.
    size_t start = pos_;
    size_t k = pos_;
    if (k < cur().size() && cur()[k] == '-') ++k;
    size_t digits = k;
    while (k < cur().size() && std::isdigit(static_cast<unsigned char>(cur()[k]))) ++k;
    bool is_float = k == digits || (k < cur().size() && (cur()[k] == '.' || cur()[k] == 'e' || cur()[k] == 'E'));
    if (!is_float) {
      c.kind = ConstValue::Kind::Int;
      c.i = integer("an integer");
      return c;
    }
    if (k == digits && !(cur().compare(k, 3, "inf") == 0 || cur().compare(k, 3, "nan") == 0)) {
      pos_ = start;
      fail("expected a constant (None, True, False, a number, a string, a tuple, complex(...), object(...), bigint(...))");
    }
    c.kind = ConstValue::Kind::Float;
    c.f = float_lit();
    return c;
  }

  // ---- the function
  struct Pending {
    Instr* instr;
    std::vector<Ref> operands, blocks;
    Ref fused_into{-1, 0, 0};
    bool has_type = false;
  };

  std::unique_ptr<Function> function() {
    size_t header_line = ln_;
    skip_spaces();
    if (!accept_word("function")) fail("expected 'function'");
    skip_spaces();
    size_t name_start = pos_;
    while (pos_ < cur().size() && ch() != '(' && ch() != ' ') ++pos_;
    if (pos_ == name_start) fail("expected the function's name");
    auto fn = std::make_unique<Function>(cur().substr(name_start, pos_ - name_start), nullptr);
    expect("(");
    std::vector<std::pair<Ref, const Type*>> params;
    skip_spaces();
    if (!accept(")")) {
      while (true) {
        skip_spaces();
        Ref r = value_ref();
        const Type* t = nullptr;
        skip_spaces();
        if (accept(":")) {
          skip_spaces();
          t = type();
        }
        params.push_back({r, t});
        skip_spaces();
        if (accept(")")) break;
        expect(",");
      }
    }
    skip_spaces();
    if (accept("->")) {
      skip_spaces();
      fn->return_type = type();
    }
    skip_spaces();
    if (accept_word("noinline")) fn->noinline = true;
    skip_spaces();
    if (accept_word("recursive")) fn->recursive = true;
    skip_spaces();
    if (accept_word("resumes_generator")) fn->resumes_generator = true;
    skip_spaces();
    expect("{");
    expect_end();
    ++ln_;

    std::map<int, Block*> blocks;
    std::map<Block*, std::vector<Ref>> preds;
    std::map<Block*, Ref> unwinds;
    std::unordered_map<int, Instr*> values;
    std::vector<Pending> pending;
    std::vector<Instr*> unnamed;
    Block* block = nullptr;
    int max_value = -1, max_block = -1;
    while (true) {
      if (!next_content_line()) fail_at(header_line, 0, "function is not closed by '}'");
      skip_spaces();
      if (accept("}")) {
        expect_end();
        ++ln_;
        break;
      }
      if (accept("bb")) {  // a block label
        pos_ -= 2;
        Ref r = block_ref();
        if (blocks.count(r.id)) fail_at(r.line, r.col, "block bb" + std::to_string(r.id) + " is defined twice");
        block = fn->new_block();
        block->id = r.id;
        blocks[r.id] = block;
        max_block = std::max(max_block, r.id);
        skip_spaces();
        if (accept("(")) {
          if (!accept_word("preds")) fail("expected 'preds'");
          while (true) {
            skip_spaces();
            if (accept(")")) break;
            preds[block].push_back(block_ref());
          }
        }
        skip_spaces();
        if (accept_word("unwind")) {
          skip_spaces();
          unwinds[block] = block_ref();
          skip_spaces();
        }
        expect(":");
        expect_end();
        ++ln_;
        continue;
      }
      if (!block) fail("an instruction before the first block label (bbN:)");
      size_t instr_col = pos_;
      Pending p = instruction(*fn);
      p.instr->parent = block;
      block->instrs.push_back(p.instr);
      if (p.instr->id >= 0) {
        if (values.count(p.instr->id)) fail_at(ln_, instr_col, "value %" + std::to_string(p.instr->id) + " is defined twice");
        values[p.instr->id] = p.instr;
        max_value = std::max(max_value, p.instr->id);
      } else {
        unnamed.push_back(p.instr);
      }
      pending.push_back(std::move(p));
      ++ln_;
    }
    if (fn->blocks.empty()) fail_at(header_line, 0, "function has no blocks");

    // Resolve references.
    auto value_of = [&](const Ref& r) {
      auto it = values.find(r.id);
      if (it == values.end()) fail_at(r.line, r.col, "use of undefined value %" + std::to_string(r.id));
      return it->second;
    };
    auto block_of = [&](const Ref& r) {
      auto it = blocks.find(r.id);
      if (it == blocks.end()) fail_at(r.line, r.col, "use of undefined block bb" + std::to_string(r.id));
      return it->second;
    };
    for (Pending& p : pending) {
      for (const Ref& r : p.operands) p.instr->operands.push_back(value_of(r));
      for (const Ref& r : p.blocks) p.instr->blocks.push_back(block_of(r));
      if (p.fused_into.id >= 0) p.instr->fused_into = value_of(p.fused_into);
    }
    for (auto& [b, refs] : preds)
      for (const Ref& r : refs) b->preds.push_back(block_of(r));
    for (auto& [b, r] : unwinds) b->unwind = block_of(r);
    for (auto& [r, t] : params) {
      Instr* a = value_of(r);
      if (a->op != Opcode::Arg) fail_at(r.line, r.col, "parameter %" + std::to_string(r.id) + " is not an arg instruction");
      if (t && a->type && a->type != t)
        fail_at(r.line, r.col, "parameter %" + std::to_string(r.id) + " has type " + type_text(t) +
                                   " here but " + type_text(a->type) + " at its arg instruction");
      if (t) a->type = t;
      fn->args.push_back(a);
    }
    for (Instr* i : unnamed) i->id = ++max_value;
    fn->reserve_ids(max_value + 1, max_block + 1);
    return fn;
  }

  Pending instruction(Function& fn) {
    Pending p;
    int id = -1;
    const Type* t = nullptr;
    if (ch() == '%') {
      id = value_ref().id;
      skip_spaces();
      if (accept(":")) {
        skip_spaces();
        t = type();
        skip_spaces();
      }
      expect("=");
      skip_spaces();
    }
    size_t op_col = pos_;
    std::string name = ident();
    Opcode op = Opcode::Arg;
    bool found = false;
#define OP(e, text, ...)        \
  if (name == text) {           \
    op = Opcode::e;             \
    found = true;               \
  }
#include "jit/ir/opcodes.def"
#undef OP
    if (!found) fail_at(ln_, op_col, name.empty() ? "expected an opcode" : "unknown opcode '" + name + "'");
    Instr* i = fn.create(op);
    i->id = id;
    i->type = t;
    p.instr = i;
    head(*i);
    operands(p);
    attributes(p);
    expect_end();
    return p;
  }

  void head(Instr& i) {
    skip_spaces();
    switch (i.op) {
      case Opcode::Arg: i.arg_index = small_int("the parameter's position"); break;
      case Opcode::Const: i.cval = constant(); break;
      case Opcode::Global: {
        size_t col = pos_;
        std::string kind = ident();
        bool found = false;
        for (auto k : {GlobalValue::Kind::Const, GlobalValue::Kind::Module, GlobalValue::Kind::Function,
                       GlobalValue::Kind::NumberClass, GlobalValue::Kind::Dispatcher, GlobalValue::Kind::Array,
                       GlobalValue::Kind::Unsupported, GlobalValue::Kind::NamedTupleClass,
                       GlobalValue::Kind::EnumClass, GlobalValue::Kind::EnumMember,
                       GlobalValue::Kind::NamedTupleValue})
          if (kind == global_kind_name(k)) {
            i.gval.kind = k;
            found = true;
          }
        if (!found) fail_at(ln_, col, "expected the kind of global (const, module, function, class, dispatcher, array, unsupported)");
        skip_spaces();
        i.gval.name = string_lit();
        break;
      }
      case Opcode::GetAttr:
        expect(".");
        i.attr = ident();
        if (i.attr.empty()) fail("expected an attribute name");
        break;
      case Opcode::BinOp: {
        bool found = false;
        for (const char* s : {"**", "//", "<<", ">>", "+", "-", "*", "/", "%", "&", "|", "^", "@"}) {
          if (!accept(s)) continue;
          for (int k = 0; k <= int(BinOpKind::MatMul); ++k)
            if (std::string(binop_symbol(BinOpKind(k))) == s) i.binop = BinOpKind(k);
          found = true;
          break;
        }
        if (!found) fail("expected a binary operator");
        i.inplace = accept("=");
        break;
      }
      case Opcode::UnaryOp:
        if (accept_word("not")) i.unop = UnaryKind::Not;
        else if (accept("-")) i.unop = UnaryKind::Neg;
        else if (accept("+")) i.unop = UnaryKind::Pos;
        else if (accept("~")) i.unop = UnaryKind::Invert;
        else fail("expected a unary operator (-, +, ~, not)");
        break;
      case Opcode::Compare: {
        bool found = false;
        for (const char* s : {"is not", "not in", "<=", ">=", "==", "!=", "is", "in", "<", ">"}) {
          bool word = std::isalpha(static_cast<unsigned char>(s[0]));
          if (!(word ? accept_word(s) : accept(s))) continue;
          for (int k = 0; k <= int(CmpKind::NotIn); ++k)
            if (std::string(cmp_symbol(CmpKind(k))) == s) i.cmp = CmpKind(k);
          found = true;
          break;
        }
        if (!found) fail("expected a comparison operator");
        break;
      }
      case Opcode::TupleGet:
        expect("[");
        i.tuple_index = integer("an element index");
        expect("]");
        break;
      case Opcode::Cast: i.explicit_cast = accept_word("explicit"); break;
      case Opcode::Raise:
      case Opcode::Unwrap:
        i.error_code = small_int("an error code");
        skip_spaces();
        i.message = string_lit();
        break;
      case Opcode::Print:
      case Opcode::Format:
        skip_spaces();
        i.message = string_lit();
        break;
      case Opcode::Call:
        if (std::isalpha(static_cast<unsigned char>(ch()))) {
          size_t col = pos_;
          std::string name = ident();
          bool found = false;
          for (int k = 0; k < kIntrinsicCount; ++k)
            if (name == intrinsic_name(Intrinsic(k))) {
              i.intrinsic = Intrinsic(k);
              found = true;
            }
          if (!found) {
            if (ch() == '=' || ch() == ' ' || pos_ >= cur().size()) pos_ = col;  // an attribute
            else fail_at(ln_, col, "unknown intrinsic '" + name + "'");
          }
        }
        break;
      default: break;
    }
  }

  void operands(Pending& p) {
    bool phi = p.instr->op == Opcode::Phi;
    skip_spaces();
    if (!(ch() == '%' || ch() == '[' || cur().compare(pos_, 2, "bb") == 0)) return;
    while (true) {
      skip_spaces();
      if (phi) {
        expect("[");
        p.blocks.push_back(block_ref());
        expect(":");
        skip_spaces();
        p.operands.push_back(value_ref());
        expect("]");
      } else if (ch() == '%') {
        if (!p.blocks.empty()) fail("operands come before block targets");
        p.operands.push_back(value_ref());
      } else {
        p.blocks.push_back(block_ref());
      }
      skip_spaces();
      if (!accept(",")) break;
    }
  }

  void attributes(Pending& p) {
    Instr& i = *p.instr;
    while (!at_end() && ch() != '@') {
      size_t col = pos_;
      std::string key = ident();
      if (key.empty()) fail("expected an attribute (key=value)");
      bool has_value = accept("=");
      auto need_value = [&]() {
        if (!has_value) fail_at(ln_, col, "attribute '" + key + "' needs a value (" + key + "=...)");
      };
      if (key == "has_axis" || key == "to_1d" || key == "always_copy" || key == "byte_offset" || key == "no_wrap" ||
          key == "checked" || key == "reassoc" || key == "independent" || key == "ufunc") {
        if (has_value) fail_at(ln_, col, "attribute '" + key + "' is a flag: write it without a value");
        (key == "has_axis"      ? i.has_axis
         : key == "to_1d"       ? i.to_1d
         : key == "always_copy" ? i.always_copy
         : key == "byte_offset" ? i.byte_offset
         : key == "no_wrap"     ? i.no_wrap
         : key == "reassoc"     ? i.reassoc
         : key == "ufunc"       ? i.ufunc
         : key == "independent" ? i.independent
                                : i.checked) = true;
        continue;
      }
      need_value();
      if (key == "var") i.var = string_lit();
      else if (key == "func") i.func = string_lit();
      else if (key == "callee_key") i.callee_key = string_lit();
      else if (key == "unpack_count") i.unpack_count = integer("an element count");
      else if (key == "value") i.gval.value = constant();
      else if (key == "handle") i.gval.handle = integer("a handle");
      else if (key == "fused_into") p.fused_into = value_ref();
      else if (key == "dim") i.dim = small_int("a dimension");
      else if (key == "slots") i.slots = integer("a count");
      else if (key == "shape_ranks") {
        ConstValue c = constant();
        if (c.kind != ConstValue::Kind::Tuple) fail_at(ln_, col, "shape_ranks must be a tuple of integers");
        for (auto& e : c.items) {
          if (e.kind != ConstValue::Kind::Int) fail_at(ln_, col, "shape_ranks must be a tuple of integers");
          i.shape_ranks.push_back(int(e.i));
        }
      }
      else if (key == "fill") {
        size_t at = pos_;
        std::string f = ident();
        bool found = false;
        for (auto k : {ArrayFill::Empty, ArrayFill::Zeros, ArrayFill::Ones})
          if (f == fill_name(k)) {
            i.fill = k;
            found = true;
          }
        if (!found) fail_at(ln_, at, "expected empty, zeros or ones");
      } else if (key == "shape") {
        ConstValue c = constant();
        if (c.kind != ConstValue::Kind::Tuple) fail_at(ln_, col, "shape must be a tuple of integers");
        for (auto& e : c.items) {
          if (e.kind != ConstValue::Kind::Int) fail_at(ln_, col, "shape must be a tuple of integers");
          i.gval.shape.push_back(e.i);
        }
      } else if (key == "data") {
        expect("x");
        std::string hex = string_lit();
        if (hex.size() % 2) fail_at(ln_, col, "data must be an even number of hex digits");
        std::string bytes;
        bytes.reserve(hex.size() / 2);
        for (size_t k = 0; k < hex.size(); k += 2) {
          auto digit = [&](char h) -> int {
            if (h >= '0' && h <= '9') return h - '0';
            if (h >= 'a' && h <= 'f') return h - 'a' + 10;
            fail_at(ln_, col, "data must be lower-case hex digits");
          };
          bytes += char(digit(hex[k]) * 16 + digit(hex[k + 1]));
        }
        i.gval.data = std::make_shared<const std::string>(std::move(bytes));
      } else if (key == "value_formats" || key == "kwnames") {
        ConstValue c = constant();
        auto& out = key == "kwnames" ? i.kwnames : i.value_formats;
        if (c.kind != ConstValue::Kind::Tuple) fail_at(ln_, col, key + " must be a tuple of strings");
        for (auto& e : c.items) {
          if (e.kind != ConstValue::Kind::Str) fail_at(ln_, col, key + " must be a tuple of strings");
          out.push_back(e.s);
        }
      } else {
        fail_at(ln_, col, "unknown attribute '" + key + "'");
      }
    }
    if (accept("@")) {
      SourceLoc& l = i.loc;
      l.line = small_int("a line");
      expect(":");
      l.col = small_int("a column");
      expect("-");
      l.end_line = small_int("a line");
      expect(":");
      l.end_col = small_int("a column");
    }
  }

  std::vector<std::string> lines_;
  size_t ln_ = 0, pos_ = 0;
};

}  // namespace

std::vector<std::unique_ptr<Function>> parse_functions(const std::string& text) {
  Parser parser(text);
  return parser.all();
}

std::unique_ptr<Function> parse_function(const std::string& text) {
  auto fns = parse_functions(text);
  if (fns.size() != 1)
    throw IRParseError(1, 1, "expected one function, found " + std::to_string(fns.size()),
                       "1:1: expected one function, found " + std::to_string(fns.size()));
  return std::move(fns[0]);
}

}  // namespace dn
