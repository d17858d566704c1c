// Printing and parsing of types in the IR text (see type_text.h for the grammar's two
// differences from Type::str()).
#include "jit/types/type_text.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

namespace dn {

// Whether str() of this weak scalar already says "weak": the Python number types.
static bool canonical_weak(const Type* t) {
  return (t->is_int() && t->is_signed() && t->bits() == 64) || (t->is_float() && t->bits() == 64) ||
         (t->is_complex() && t->bits() == 128);
}

std::string type_text(const Type* t) {
  if (!t) return "?";
  switch (t->kind()) {
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Complex:
      if (t->is_weak() && !canonical_weak(t)) return "weak(" + t->strong()->str() + ")";
      return t->str();
    case TypeKind::Tuple: {
      // Elements may be weak(bool) and friends: rendered here, not by str().
      const auto& e = t->elements();
      if (t->is_named_tuple()) {
        std::string s = "NamedTuple(" + t->name() + (t->class_serial() ? "#" + std::to_string(t->class_serial()) : "");
        for (size_t i = 0; i < e.size(); ++i) s += ", " + t->fields()[i] + ": " + type_text(e[i]);
        return s + ")";
      }
      if (!e.empty() && t->is_unituple())
        return "UniTuple(" + type_text(e[0]) + " x " + std::to_string(e.size()) + ")";
      std::string s = "Tuple(";
      for (size_t i = 0; i < e.size(); ++i) s += (i ? ", " : "") + type_text(e[i]);
      return s + ")";
    }
    case TypeKind::ArrayIter: return "iter(" + type_text(t->dtype()) + ")";
    case TypeKind::RandomGenerator: return "random_generator";
    case TypeKind::Optional: return "OptionalType(" + type_text(t->dtype()) + ")";
    case TypeKind::Generator:
      return "Generator(" + t->name() + ", " + type_text(t->dtype()) + ", " + type_text(t_tuple(t->elements())) + ")";
    case TypeKind::List: return "list(" + (t->dtype() ? type_text(t->dtype()) : std::string("undefined")) + ")";
    case TypeKind::Dict:
      if (!t->dtype()) return "dict(undefined)";
      return "dict(" + type_text(t->dtype()) + ", " + type_text(t->elements()[0]) + ")";
    case TypeKind::Set: return "set(" + (t->dtype() ? type_text(t->dtype()) : std::string("undefined")) + ")";
    case TypeKind::DictView: return "dict_" + t->name() + "(" + type_text(t->dtype()) + ")";
    case TypeKind::NumberClass: return "class(" + type_text(t->dtype()) + ")";
    case TypeKind::BoundMethod: return "BoundMethod(" + type_text(t->dtype()) + "." + t->name() + ")";
    case TypeKind::Dispatcher: return "Dispatcher(" + t->name() + ", " + std::to_string(t->handle()) + ")";
    case TypeKind::BuiltinIter: {
      std::string s = t->name() + "(";
      for (size_t i = 0; i < t->elements().size(); ++i) s += (i ? ", " : "") + type_text(t->elements()[i]);
      return s + ")";
    }
    default: return t->str();  // arrays (strong dtypes), none, ranges, modules, ...
  }
}

namespace {

class TypeReader {
 public:
  TypeReader(const std::string& s, size_t& pos, std::string& error) : s_(s), pos_(pos), error_(error) {}

  const Type* type(int depth) {
    if (depth > 64) return fail("type nested too deeply");
    size_t start = pos_;
    std::string word = ident();
    if (word.empty()) return fail("expected a type");
    if (word == "readonly") {
      skip_spaces();
      size_t at = pos_;
      if (ident() != "array") {
        pos_ = at;
        return fail("expected 'array' after 'readonly'");
      }
      return array(true, depth);
    }
    if (word == "array") return array(false, depth);
    if (const Type* scalar = named_scalar(word)) return scalar;
    if (word == "none") return t_none();
    if (word == "str") return t_string();
    if (word == "range_state64") return t_range();
    if (word == "range_iter64") return t_range_iter();
    if (word == "random_generator") return t_random_generator();
    if (word == "weak") {
      if (!expect("(")) return nullptr;
      size_t at = pos_;
      const Type* inner = type(depth + 1);
      if (!inner) return nullptr;
      if (!inner->is_scalar() || inner->is_weak()) {
        pos_ = at;
        return fail("weak(...) takes a strong scalar type, got " + type_text(inner));
      }
      if (!expect(")")) return nullptr;
      return inner->weakened();
    }
    if (word == "UniTuple") {
      if (!expect("(")) return nullptr;
      const Type* e = type(depth + 1);
      if (!e || !expect(" x ")) return nullptr;
      long n = 0;
      if (!number(n) || n < 1 || n > 100000) return fail("expected a tuple length");
      if (!expect(")")) return nullptr;
      return t_tuple(std::vector<const Type*>(size_t(n), e));
    }
    if (word == "Tuple" || word == "enumerate" || word == "zip" || word == "reversed") {
      // Tuple(...) may be empty; an iterator object iterates one value at least.
      std::vector<const Type*> elems;
      if (!expect("(") || !type_list(depth, word == "Tuple", elems) || !expect(")")) return nullptr;
      if (word == "Tuple") return t_tuple(elems);
      if (elems.empty()) return fail("expected the types " + word + " iterates");
      return t_builtin_iter(word, elems);
    }
    if (word == "NamedTuple") {
      std::string name;
      int64_t serial = 0;
      if (!expect("(") || !class_name(name, serial)) return nullptr;
      std::vector<std::string> fields;
      std::vector<const Type*> elems;
      while (accept(',')) {
        skip_spaces();
        fields.push_back(ident());
        if (fields.back().empty()) return fail("expected a field name");
        if (!expect(": ")) return nullptr;
        const Type* e = type(depth + 1);
        if (!e) return nullptr;
        elems.push_back(e);
      }
      if (!expect(")")) return nullptr;
      return t_named_tuple(name, serial, fields, elems);
    }
    if (word == "EnumMember" || word == "IntEnumMember") {
      std::string name;
      int64_t serial = 0;
      if (!expect("(") || !class_name(name, serial) || !expect(")")) return nullptr;
      return t_enum_member(name, serial, word == "IntEnumMember");
    }
    if (word == "Class") {
      if (!expect("(")) return nullptr;
      size_t at = pos_;
      if (ident() == "NamedTuple") {
        std::string name;
        int64_t serial = 0;
        if (!expect("(") || !class_name(name, serial)) return nullptr;
        std::vector<std::string> fields;
        while (accept(',')) {
          skip_spaces();
          fields.push_back(ident());
          if (fields.back().empty()) return fail("expected a field name");
        }
        if (!expect("))")) return nullptr;
        return t_class(name, serial, fields, nullptr);
      }
      pos_ = at;
      const Type* member = type(depth + 1);
      if (!member || !expect(")")) return nullptr;
      if (member->kind() != TypeKind::EnumMember) return fail("Class(...) takes a NamedTuple or an enum member type");
      return t_class(member->name(), member->class_serial(), {}, member);
    }
    if (word == "iter") {
      if (!expect("(")) return nullptr;
      const Type* seq = type(depth + 1);
      if (!seq || !expect(")")) return nullptr;
      return t_array_iter(seq);
    }
    if (word == "list") {
      if (!expect("(")) return nullptr;
      size_t at = pos_;
      if (ident() == "undefined") {
        if (!expect(")")) return nullptr;
        return t_list(nullptr);
      }
      pos_ = at;
      const Type* element = type(depth + 1);
      if (!element || !expect(")")) return nullptr;
      return t_list(element);
    }
    if (word == "dict" || word == "set") {
      if (!expect("(")) return nullptr;
      size_t at = pos_;
      if (ident() == "undefined") {
        if (!expect(")")) return nullptr;
        return word == "set" ? t_set(nullptr) : t_dict(nullptr, nullptr);
      }
      pos_ = at;
      const Type* key = type(depth + 1);
      if (!key) return nullptr;
      if (word == "set") return expect(")") ? t_set(key) : nullptr;
      if (!expect(", ")) return nullptr;
      const Type* value = type(depth + 1);
      if (!value || !expect(")")) return nullptr;
      return t_dict(key, value);
    }
    if (word == "OptionalType") {
      if (!expect("(")) return nullptr;
      size_t at = pos_;
      const Type* v = type(depth + 1);
      if (!v) return nullptr;
      if (!can_be_optional(v)) {
        pos_ = at;
        return fail("OptionalType(...) takes a type with a run-time value other than none, got " + type_text(v));
      }
      return expect(")") ? t_optional(v) : nullptr;
    }
    if (word == "dict_keys" || word == "dict_values" || word == "dict_items") {
      if (!expect("(")) return nullptr;
      const Type* d = type(depth + 1);
      if (!d || !expect(")")) return nullptr;
      if (d->kind() != TypeKind::Dict) return fail(word + "(...) takes a dict type");
      return t_dict_view(d, word.substr(5));
    }
    if (word == "class") {
      if (!expect("(")) return nullptr;
      const Type* scalar = type(depth + 1);
      if (!scalar || !expect(")")) return nullptr;
      return t_number_class(scalar);
    }
    if (word == "Module" || word == "Function") {
      if (!expect("(")) return nullptr;
      std::string name = until(")");
      if (name.empty()) return fail("expected a name");
      if (!expect(")")) return nullptr;
      return word == "Module" ? t_module(name) : t_function(name);
    }
    if (word == "BoundMethod") {
      if (!expect("(")) return nullptr;
      const Type* receiver = type(depth + 1);
      if (!receiver || !expect(".")) return nullptr;
      std::string method = ident();
      if (method.empty()) return fail("expected a method name");
      if (!expect(")")) return nullptr;
      return t_bound_method(receiver, method);
    }
    if (word == "Generator") {
      if (!expect("(")) return nullptr;
      std::string function = until(",");
      if (function.empty()) return fail("expected the generator function's symbol");
      if (!expect(", ")) return nullptr;
      const Type* yield = type(depth + 1);
      if (!yield || !expect(", ")) return nullptr;
      size_t at = pos_;
      const Type* params = type(depth + 1);
      if (!params) return nullptr;
      if (params->kind() != TypeKind::Tuple || params->is_named_tuple()) {
        pos_ = at;
        return fail("expected the generator function's parameter types as a Tuple(...)");
      }
      if (!expect(")")) return nullptr;
      return t_generator(yield, function, params->elements());
    }
    if (word == "Dispatcher") {
      if (!expect("(")) return nullptr;
      std::string name = until(",)");
      if (name.empty()) return fail("expected the jitted function's name");
      if (!expect(", ")) return nullptr;
      long long handle = 0;
      if (!number(handle)) return fail("expected the dispatcher's handle (an integer)");
      if (!expect(")")) return nullptr;
      return t_dispatcher(int64_t(handle), name);
    }
    if (word == "ptr") {
      if (!expect("(")) return nullptr;
      const Type* element = type(depth + 1);
      if (!element || !expect(")")) return nullptr;
      if (!element->has_runtime_value() || element->is_weak()) return fail("a pointer's element must be a strong type with a runtime value");
      return t_pointer(element);
    }
    if (word == "slice") {
      for (auto [text, kind] : {std::pair{"(:)", kSliceFull}, {"(i:j)", kSliceUnitStep}, {"(i:j:k)", kSliceGeneral}})
        if (s_.compare(pos_, std::string(text).size(), text) == 0) {
          pos_ += std::string(text).size();
          return t_slice(kind);
        }
      return fail("expected slice(:), slice(i:j) or slice(i:j:k)");
    }
    pos_ = start;
    return fail("unknown type '" + word + "'");
  }

 private:
  // A class's qualified name and, after '#', its serial (0 when absent).
  bool class_name(std::string& name, int64_t& serial) {
    name = until(",#)");
    if (name.empty()) return fail("expected a class name"), false;
    if (accept('#') && !number(serial)) return fail("expected the class's serial"), false;
    return true;
  }
  // Comma-separated types up to a ')' (not consumed); none only when `may_be_empty`.
  bool type_list(int depth, bool may_be_empty, std::vector<const Type*>& out) {
    if (may_be_empty && peek(')')) return true;
    do {
      skip_spaces();
      const Type* e = type(depth + 1);
      if (!e) return false;
      out.push_back(e);
    } while (accept(','));
    return true;
  }

  static const Type* named_scalar(const std::string& w) {
    if (w == "int") return t_int64()->weakened();
    if (w == "float") return t_float64()->weakened();
    if (w == "complex") return t_complex(128)->weakened();
    // Only the canonical names: str() never prints the aliases scalar_from_name accepts.
    static const char* names[] = {"bool",   "int8",   "int16",   "int32",   "int64",     "uint8",     "uint16",
                                  "uint32", "uint64", "float32", "float64", "complex64", "complex128"};
    for (const char* n : names)
      if (w == n) return scalar_from_name(w);
    return nullptr;
  }

  const Type* array(bool readonly, int depth) {
    if (!expect("(")) return nullptr;
    size_t at = pos_;
    const Type* dtype = type(depth + 1);
    if (!dtype) return nullptr;
    if (!dtype->is_scalar() || dtype->is_weak()) {
      pos_ = at;
      return fail("an array's dtype must be a strong scalar type, got " + type_text(dtype));
    }
    if (!expect(", ")) return nullptr;
    long ndim = 0;
    if (!number(ndim) || ndim < 0 || ndim > 64) return fail("expected the number of dimensions");
    if (!expect("d, ")) return nullptr;
    char l = pos_ < s_.size() ? s_[pos_] : '\0';
    if (l != 'C' && l != 'F' && l != 'A') return fail("expected a layout: C, F or A");
    ++pos_;
    if (!expect(")")) return nullptr;
    return t_array(dtype, int(ndim), l == 'C' ? Layout::C : l == 'F' ? Layout::F : Layout::A, readonly);
  }

  std::string ident() {
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  std::string until(const char* stops) {
    size_t start = pos_;
    while (pos_ < s_.size() && !std::strchr(stops, s_[pos_]) && s_[pos_] != '\n') ++pos_;
    return s_.substr(start, pos_ - start);
  }
  template <class Int>
  bool number(Int& v) {
    size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    size_t digits = pos_;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ == digits || pos_ - digits > 19) {
      pos_ = start;
      return false;
    }
    v = Int(std::strtoll(s_.c_str() + start, nullptr, 10));
    return true;
  }
  void skip_spaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  bool expect(const std::string& text) {
    if (s_.compare(pos_, text.size(), text) == 0) {
      pos_ += text.size();
      return true;
    }
    fail("expected '" + text + "'");
    return false;
  }
  const Type* fail(const std::string& message) {
    if (error_.empty()) error_ = message;
    return nullptr;
  }

  const std::string& s_;
  size_t& pos_;
  std::string& error_;
};

}  // namespace

const Type* parse_type_text(const std::string& text, size_t& pos, std::string& error) {
  error.clear();
  return TypeReader(text, pos, error).type(0);
}

}  // namespace dn
