#include "jit/types/type_codec.h"

#include <cstdlib>

namespace dn {

// Grammar: b | B (a Python bool) | i<bits> | u<bits> | f<bits> | c<bits> (upper case I/F/C: weak) | n
//        | a<ndim><C|F|A><r|w><dtype> | t<count>.<elem>... | l<elem>
//        | o<value> (an optional) | S (a str) | R (a range) | G (a np.random.Generator)
//        | N<class>.<count>.(<len>:<field>)...<elem>... (a namedtuple) | e<class> | E<class> (an
//          Enum's / IntEnum's member), where <class> is <len>:<module.qualname><serial>
static void encode_class(const Type* t, std::string& out) {
  out += std::to_string(t->name().size()) + ":" + t->name() + std::to_string(t->class_serial());
}

static bool encode_into(const Type* t, std::string& out);
static bool encode_into(const Type* t, std::string& out) {
  switch (t->kind()) {
    case TypeKind::Bool: out += t->is_weak() ? 'B' : 'b'; return true;
    case TypeKind::Int:
      if (t->is_weak() && !t->is_signed()) return false;
      out += t->is_weak() ? 'I' : (t->is_signed() ? 'i' : 'u');
      out += std::to_string(t->bits());
      return true;
    case TypeKind::Float: out += t->is_weak() ? 'F' : 'f'; out += std::to_string(t->bits()); return true;
    case TypeKind::Complex: out += t->is_weak() ? 'C' : 'c'; out += std::to_string(t->bits()); return true;
    case TypeKind::None: out += 'n'; return true;
    case TypeKind::String: out += 'S'; return true;
    case TypeKind::Range: out += 'R'; return true;
    case TypeKind::RandomGenerator: out += 'G'; return true;
    case TypeKind::Array:
      out += 'a';
      out += std::to_string(t->ndim());
      out += layout_name(t->layout());
      out += t->readonly() ? 'r' : 'w';
      return encode_into(t->dtype(), out);
    case TypeKind::EnumMember:
      out += t->is_int_enum() ? 'E' : 'e';
      encode_class(t, out);
      return true;
    case TypeKind::Tuple:
      if (t->is_named_tuple()) {
        out += 'N';
        encode_class(t, out);
        out += "." + std::to_string(t->elements().size()) + ".";
        for (const std::string& f : t->fields()) out += std::to_string(f.size()) + ":" + f;
        for (const Type* e : t->elements())
          if (!encode_into(e, out)) return false;
        return true;
      }
      out += 't';
      out += std::to_string(t->elements().size());
      out += '.';
      for (const Type* e : t->elements())
        if (!encode_into(e, out)) return false;
      return true;
    case TypeKind::Optional: out += 'o'; return encode_into(t->dtype(), out);
    case TypeKind::List:
      if (!t->dtype()) return false;
      out += 'l';
      return encode_into(t->dtype(), out);
    case TypeKind::Set:
      if (!t->dtype()) return false;
      out += 's';
      return encode_into(t->dtype(), out);
    case TypeKind::Dict:
      if (!t->dtype()) return false;
      out += 'd';
      return encode_into(t->dtype(), out) && encode_into(t->elements()[0], out);
    default: return false;
  }
}

std::string encode_type(const Type* t) {
  std::string out;
  if (!t || !encode_into(t, out)) return "";
  return out;
}

static bool read_int(const std::string& s, size_t& pos, long& v) {
  size_t start = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  if (pos == start || pos - start > 6) return false;
  v = std::strtol(s.c_str() + start, nullptr, 10);
  return true;
}

// <len>:<text> at s[pos...].
static bool read_text(const std::string& s, size_t& pos, std::string& text) {
  long n = 0;
  if (!read_int(s, pos, n) || pos >= s.size() || s[pos++] != ':' || size_t(n) > s.size() - pos) return false;
  text = s.substr(pos, size_t(n));
  pos += size_t(n);
  return true;
}

static const Type* decode_at(const std::string& s, size_t& pos, int depth) {
  if (pos >= s.size() || depth > 32) return nullptr;
  char c = s[pos++];
  long n = 0;
  switch (c) {
    case 'b': return t_bool();
    case 'B': return t_bool()->weakened();
    case 'n': return t_none();
    case 'S': return t_string();
    case 'R': return t_range();
    case 'G': return t_random_generator();
    case 'i': case 'u': case 'I':
      if (!read_int(s, pos, n) || (n != 8 && n != 16 && n != 32 && n != 64)) return nullptr;
      if (c == 'I') return t_int(int(n), true)->weakened();
      return t_int(int(n), c == 'i');
    case 'f': case 'F':
      if (!read_int(s, pos, n) || (n != 32 && n != 64)) return nullptr;
      return c == 'F' ? t_float(int(n))->weakened() : t_float(int(n));
    case 'c': case 'C':
      if (!read_int(s, pos, n) || (n != 64 && n != 128)) return nullptr;
      return c == 'C' ? t_complex(int(n))->weakened() : t_complex(int(n));
    case 'a': {
      if (!read_int(s, pos, n) || n < 0 || n > 32 || pos + 2 > s.size()) return nullptr;
      char l = s[pos++], rw = s[pos++];
      Layout layout = l == 'C' ? Layout::C : l == 'F' ? Layout::F : l == 'A' ? Layout::A : Layout(255);
      if (int(layout) == 255 || (rw != 'r' && rw != 'w')) return nullptr;
      const Type* dtype = decode_at(s, pos, depth + 1);
      if (!dtype || !dtype->is_scalar()) return nullptr;
      return t_array(dtype, int(n), layout, rw == 'r');
    }
    case 't': {
      if (!read_int(s, pos, n) || n > 1024 || pos >= s.size() || s[pos++] != '.') return nullptr;
      std::vector<const Type*> elems;
      for (long k = 0; k < n; ++k) {
        const Type* e = decode_at(s, pos, depth + 1);
        if (!e) return nullptr;
        elems.push_back(e);
      }
      return t_tuple(elems);
    }
    case 'e': case 'E': {
      std::string name;
      if (!read_text(s, pos, name) || !read_int(s, pos, n)) return nullptr;
      return t_enum_member(name, n, c == 'E');
    }
    case 'N': {
      std::string name;
      long serial = 0;
      if (!read_text(s, pos, name) || !read_int(s, pos, serial) || pos >= s.size() || s[pos++] != '.' ||
          !read_int(s, pos, n) || n > 1024 || pos >= s.size() || s[pos++] != '.')
        return nullptr;
      std::vector<std::string> fields(static_cast<size_t>(n));
      std::vector<const Type*> elems;
      for (auto& f : fields)
        if (!read_text(s, pos, f)) return nullptr;
      for (long k = 0; k < n; ++k) {
        const Type* e = decode_at(s, pos, depth + 1);
        if (!e) return nullptr;
        elems.push_back(e);
      }
      return t_named_tuple(name, serial, fields, elems);
    }
    case 'o': {
      const Type* v = decode_at(s, pos, depth + 1);
      return can_be_optional(v) ? t_optional(v) : nullptr;
    }
    case 'l': {
      const Type* e = decode_at(s, pos, depth + 1);
      // What a list holds: values, or arrays and lists by reference (list_rules.cpp).
      if (!e || !(e->is_scalar() || e->kind() == TypeKind::Tuple || e->kind() == TypeKind::Array ||
                  e->kind() == TypeKind::List || e->kind() == TypeKind::String))
        return nullptr;
      return t_list(e);
    }
    case 's': case 'd': {
      const Type* k = decode_at(s, pos, depth + 1);
      if (!k || !(k->is_scalar() || k->kind() == TypeKind::Tuple || k->kind() == TypeKind::String)) return nullptr;
      if (c == 's') return t_set(k);
      const Type* v = decode_at(s, pos, depth + 1);
      if (!v || !(v->is_scalar() || v->kind() == TypeKind::Tuple || v->kind() == TypeKind::List ||
                  v->kind() == TypeKind::String))
        return nullptr;
      return t_dict(k, v);
    }
    default: return nullptr;
  }
}

const Type* decode_type(const std::string& text) {
  size_t pos = 0;
  const Type* t = decode_at(text, pos, 0);
  return t && pos == text.size() ? t : nullptr;
}

}  // namespace dn
