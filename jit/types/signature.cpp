#include "jit/types/signature.h"

#include <cctype>

#include "jit/support/diagnostics.h"

namespace dn {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  Signature signature() {
    Signature sig;
    skip();
    if (peek() != '(') sig.return_type = type();
    expect('(');
    skip();
    if (peek() != ')') {
      sig.args.push_back(type());
      while (accept(',')) {
        skip();
        if (peek() == ')') break;
        sig.args.push_back(type());
      }
    }
    expect(')');
    end();
    if (sig.return_type == t_none()) sig.return_type = t_none();
    return sig;
  }

  const Type* whole_type() {
    const Type* t = type();
    end();
    return t;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw CompileError(ErrorKind::ArgumentType,
                       "invalid signature '" + s_ + "': " + what + " at position " + std::to_string(pos_));
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  char peek() {
    skip();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  bool accept(char c) {
    if (peek() == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  void end() {
    if (peek() != '\0') fail("unexpected text");
  }
  std::string ident() {
    skip();
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    if (start == pos_) fail("expected a type name");
    return s_.substr(start, pos_ - start);
  }

  const Type* type() {
    std::string name = ident();
    const Type* t = nullptr;
    if (name == "void" || name == "none") {
      t = t_none();
    } else if (name == "UniTuple") {
      expect('(');
      const Type* e = type();
      expect(',');
      skip();
      size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (start == pos_) fail("expected a count");
      int n = std::stoi(s_.substr(start, pos_ - start));
      expect(')');
      t = t_tuple(std::vector<const Type*>(size_t(n), e));
    } else if (name == "Tuple") {
      expect('(');
      std::vector<const Type*> elems{type()};
      while (accept(',')) elems.push_back(type());
      expect(')');
      t = t_tuple(elems);
    } else {
      t = scalar_from_name(name);
      if (!t) {
        if (name == "int") t = t_int64()->weakened();
        else if (name == "float") t = t_float64()->weakened();
        else if (name == "complex") t = t_complex(128)->weakened();
        else fail("unknown type '" + name + "'");
      }
    }
    if (peek() == '[') return array_of(t);
    return t;
  }

  // float64[:, ::1] -> C layout; float64[::1, :] -> F layout; otherwise A.
  const Type* array_of(const Type* dtype) {
    expect('[');
    int ndim = 0;
    int contiguous_at = -1;
    do {
      skip();
      expect(':');
      if (accept(':')) {
        skip();
        if (!accept('1')) fail("expected '::1'");
        contiguous_at = ndim;
      }
      ++ndim;
    } while (accept(','));
    expect(']');
    Layout layout = Layout::A;
    if (contiguous_at == ndim - 1) layout = Layout::C;
    else if (contiguous_at == 0) layout = Layout::F;
    return t_array(dtype, ndim, layout);
  }

  const std::string& s_;
  size_t pos_ = 0;
};

}  // namespace

Signature parse_signature(const std::string& text) { return Parser(text).signature(); }
const Type* parse_type(const std::string& text) { return Parser(text).whole_type(); }

}  // namespace dn
