// Interning of types: one object per distinct type, so types compare by pointer.
#include "jit/types/type.h"

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace dn {

class TypeFactory {
 public:
  static TypeFactory& get() {
    static TypeFactory* f = new TypeFactory();  // never destroyed: types outlive everything
    return *f;
  }

  using Key = std::tuple<int, int, int, int, int, const Type*, std::vector<const Type*>,
                         std::string, int64_t, std::vector<std::string>>;

  // Returns the interned type for `proto`, creating it from `proto` on first use.
  const Type* intern(const Type& proto, const Type* strong = nullptr) {
    Key key{int(proto.kind_), proto.bits_, proto.signed_ | (proto.weak_ << 1) | (proto.readonly_ << 2),
            proto.ndim_, int(proto.layout_), proto.dtype_, proto.elems_, proto.name_, proto.handle_, proto.fields_};
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) return it->second;
    auto* t = new Type(proto);
    t->strong_ = strong ? strong : t;
    if (strong) const_cast<Type*>(strong)->weak_twin_ = t;
    t->str_ = render(*t);
    map_.emplace(std::move(key), t);
    return t;
  }

  const Type* scalar(TypeKind k, int bits, bool is_signed, bool weak) {
    Type p;
    p.kind_ = k;
    p.bits_ = bits;
    p.signed_ = is_signed;
    const Type* s = intern(p);
    if (!weak) return s;
    p.weak_ = true;
    return intern(p, s);
  }

  Type proto(TypeKind k) {
    Type p;
    p.kind_ = k;
    return p;
  }

 private:
  static std::string render(const Type& t) {
    switch (t.kind_) {
      case TypeKind::Bool: return "bool";
      case TypeKind::Int:
        if (t.weak_) return "int";
        return std::string(t.signed_ ? "int" : "uint") + std::to_string(t.bits_);
      case TypeKind::Float: return t.weak_ ? "float" : "float" + std::to_string(t.bits_);
      case TypeKind::Complex: return t.weak_ ? "complex" : "complex" + std::to_string(t.bits_);
      case TypeKind::None: return "none";
      case TypeKind::Array:
        return std::string(t.readonly_ ? "readonly array(" : "array(") + t.dtype_->str() +
               ", " + std::to_string(t.ndim_) + "d, " + layout_name(t.layout_) + ")";
      case TypeKind::Tuple: {
        if (t.is_named_tuple()) {
          std::string s = "NamedTuple(" + class_name(t);
          for (size_t i = 0; i < t.elems_.size(); ++i) s += ", " + t.fields_[i] + ": " + t.elems_[i]->str();
          return s + ")";
        }
        if (!t.elems_.empty() && t.is_unituple())
          return "UniTuple(" + t.elems_[0]->str() + " x " + std::to_string(t.elems_.size()) + ")";
        std::string s = "Tuple(";
        for (size_t i = 0; i < t.elems_.size(); ++i) s += (i ? ", " : "") + t.elems_[i]->str();
        return s + ")";
      }
      case TypeKind::Range: return "range_state64";
      case TypeKind::RangeIter: return "range_iter64";
      case TypeKind::ArrayIter: return "iter(" + t.dtype_->str() + ")";
      case TypeKind::Module: return "Module(" + t.name_ + ")";
      case TypeKind::Function: return "Function(" + t.name_ + ")";
      case TypeKind::NumberClass: return "class(" + t.dtype_->str() + ")";
      case TypeKind::BoundMethod: return "BoundMethod(" + t.dtype_->str() + "." + t.name_ + ")";
      case TypeKind::Dispatcher: return "Dispatcher(" + t.name_ + ")";
      case TypeKind::String: return "str";
      case TypeKind::Slice:
        return t.bits_ == kSliceFull ? "slice(:)" : t.bits_ == kSliceUnitStep ? "slice(i:j)" : "slice(i:j:k)";
      case TypeKind::Pointer: return "ptr(" + t.dtype_->str() + ")";
      case TypeKind::List: return "list(" + (t.dtype_ ? t.dtype_->str() : std::string("undefined")) + ")";
      case TypeKind::Dict:
        if (!t.dtype_) return "dict(undefined)";
        return "dict(" + t.dtype_->str() + ", " + t.elems_[0]->str() + ")";
      case TypeKind::Set: return "set(" + (t.dtype_ ? t.dtype_->str() : std::string("undefined")) + ")";
      case TypeKind::DictView: return "dict_" + t.name_ + "(" + t.dtype_->str() + ")";
      case TypeKind::BuiltinIter: {
        std::string s = t.name_ + "(";
        for (size_t i = 0; i < t.elems_.size(); ++i) s += (i ? ", " : "") + t.elems_[i]->str();
        return s + ")";
      }
      case TypeKind::Optional: return "OptionalType(" + t.dtype_->str() + ")";
      case TypeKind::Generator: return "Generator(" + t.name_ + ", " + t.dtype_->str() + ")";
      case TypeKind::RandomGenerator: return "np.random.Generator";
      case TypeKind::EnumMember: return (t.bits_ ? "IntEnumMember(" : "EnumMember(") + class_name(t) + ")";
      case TypeKind::Class:
        if (t.dtype_) return "Class(" + t.dtype_->str() + ")";
        {
          std::string s = "Class(NamedTuple(" + class_name(t);
          for (auto& f : t.fields_) s += ", " + f;
          return s + "))";
        }
    }
    return "?";
  }

 public:
  // "module.Name", and "#serial" after it for a second class of that name.
  static std::string class_name(const Type& t) {
    return t.name_ + (t.handle_ ? "#" + std::to_string(t.handle_) : std::string());
  }

 private:

  std::mutex mu_;
  std::map<Key, const Type*> map_;
};

bool Type::has_runtime_value() const {
  switch (kind_) {
    case TypeKind::Module:
    case TypeKind::Function:
    case TypeKind::NumberClass:
    case TypeKind::BoundMethod:
    case TypeKind::Dispatcher:
    case TypeKind::BuiltinIter:
    case TypeKind::Class:
    case TypeKind::DictView: return false;  // its dict is the runtime value (lower_dicts reads it from the view's call)
    case TypeKind::Optional: return dtype_->has_runtime_value();
    case TypeKind::Tuple:  // (int, float) as isinstance's classes: known while compiling
      for (const Type* e : elems_)
        if (!e->has_runtime_value()) return false;
      return true;
    default: return true;
  }
}

bool Type::is_unituple() const {
  for (auto* e : elems_)
    if (e != elems_[0]) return false;
  return true;
}

const Type* Type::weakened() const {
  if (weak_) return this;
  if (!is_number() && kind_ != TypeKind::Bool) return this;
  if (weak_twin_) return weak_twin_;
  return TypeFactory::get().scalar(kind_, bits_, signed_, true);
}

int Type::itemsize() const {
  if (kind_ == TypeKind::Bool) return 1;
  return bits_ / 8;
}

const Type* t_bool() { return TypeFactory::get().scalar(TypeKind::Bool, 8, false, false); }
const Type* t_int(int bits, bool is_signed) {
  return TypeFactory::get().scalar(TypeKind::Int, bits, is_signed, false);
}
const Type* t_float(int bits) { return TypeFactory::get().scalar(TypeKind::Float, bits, true, false); }
const Type* t_complex(int bits) {
  return TypeFactory::get().scalar(TypeKind::Complex, bits, true, false);
}
const Type* t_int64() { return t_int(64); }
const Type* t_float64() { return t_float(64); }
const Type* t_none() {
  static const Type* t = TypeFactory::get().intern(TypeFactory::get().proto(TypeKind::None));
  return t;
}

const Type* t_array(const Type* dtype, int ndim, Layout layout, bool readonly) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Array);
  p.dtype_ = dtype->strong();
  p.ndim_ = ndim;
  // 0-d and 1-d contiguous arrays are both C and F; we call them C.
  p.layout_ = (ndim <= 1 && layout == Layout::F) ? Layout::C : layout;
  p.readonly_ = readonly;
  return f.intern(p);
}

const Type* t_tuple(const std::vector<const Type*>& elems) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Tuple);
  p.elems_ = elems;
  return f.intern(p);
}

const Type* t_range() {
  static const Type* t = TypeFactory::get().intern(TypeFactory::get().proto(TypeKind::Range));
  return t;
}
const Type* t_random_generator() {
  static const Type* t = TypeFactory::get().intern(TypeFactory::get().proto(TypeKind::RandomGenerator));
  return t;
}
const Type* t_range_iter() {
  static const Type* t = TypeFactory::get().intern(TypeFactory::get().proto(TypeKind::RangeIter));
  return t;
}
const Type* t_array_iter(const Type* array) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::ArrayIter);
  p.dtype_ = array;
  return f.intern(p);
}

const Type* make_named(TypeKind k, const std::string& name, const Type* dtype, int64_t handle) {
  auto& f = TypeFactory::get();
  Type p = f.proto(k);
  p.name_ = name;
  p.dtype_ = dtype;
  p.handle_ = handle;
  return f.intern(p);
}

const Type* t_module(const std::string& name) { return make_named(TypeKind::Module, name, nullptr, 0); }
const Type* t_function(const std::string& name) { return make_named(TypeKind::Function, name, nullptr, 0); }
const Type* t_number_class(const Type* scalar) {
  return make_named(TypeKind::NumberClass, "", scalar, 0);
}
const Type* t_bound_method(const Type* receiver, const std::string& method) {
  return make_named(TypeKind::BoundMethod, method, receiver, 0);
}
const Type* t_dispatcher(int64_t handle, const std::string& name) {
  return make_named(TypeKind::Dispatcher, name, nullptr, handle);
}

const Type* t_builtin_iter(const std::string& name, const std::vector<const Type*>& iterables) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::BuiltinIter);
  p.name_ = name;
  p.elems_ = iterables;
  return f.intern(p);
}

const Type* t_generator(const Type* yield, const std::string& function, const std::vector<const Type*>& params) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Generator);
  p.name_ = function;
  p.dtype_ = yield;
  p.elems_ = params;
  return f.intern(p);
}

const Type* t_string() {
  static const Type* t = TypeFactory::get().intern(TypeFactory::get().proto(TypeKind::String));
  return t;
}

const Type* t_slice(SliceKind kind) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Slice);
  p.bits_ = int(kind);
  return f.intern(p);
}

const Type* t_pointer(const Type* element) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Pointer);
  p.dtype_ = element->strong();
  return f.intern(p);
}

const Type* t_list(const Type* element) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::List);
  p.dtype_ = element ? storage_type(element) : nullptr;
  return f.intern(p);
}

const Type* t_dict(const Type* key, const Type* value) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Dict);
  if (key && value) {
    p.dtype_ = storage_type(key);
    p.elems_ = {storage_type(value)};
  }
  return f.intern(p);
}

const Type* t_set(const Type* element) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Set);
  p.dtype_ = element ? storage_type(element) : nullptr;
  return f.intern(p);
}

const Type* t_optional(const Type* value) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Optional);
  p.dtype_ = value;
  // Optional(int) and Optional(int64) share a representation, as int and int64 do.
  const Type* strong = value->strong() != value ? t_optional(value->strong()) : nullptr;
  return f.intern(p, strong);
}

bool can_be_optional(const Type* t) {
  if (!t || !t->has_runtime_value()) return false;
  switch (t->kind()) {
    case TypeKind::None:
    case TypeKind::Optional:
    case TypeKind::Pointer:
    case TypeKind::RangeIter:
    case TypeKind::ArrayIter: return false;
    default: return true;
  }
}

const Type* t_dict_view(const Type* dict, const std::string& which) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::DictView);
  p.dtype_ = dict;
  p.name_ = which;
  return f.intern(p);
}

const Type* t_named_tuple(const std::string& name, int64_t serial, const std::vector<std::string>& fields,
                          const std::vector<const Type*>& elems) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Tuple);
  p.name_ = name;
  p.handle_ = serial;
  p.fields_ = fields;
  p.elems_ = elems;
  return f.intern(p);
}

const Type* t_enum_member(const std::string& name, int64_t serial, bool int_enum) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::EnumMember);
  p.name_ = name;
  p.handle_ = serial;
  p.bits_ = int_enum ? 1 : 0;
  p.dtype_ = t_int64()->weakened();
  return f.intern(p);
}

const Type* t_class(const std::string& name, int64_t serial, const std::vector<std::string>& fields,
                    const Type* member) {
  auto& f = TypeFactory::get();
  Type p = f.proto(TypeKind::Class);
  p.name_ = name;
  p.handle_ = serial;
  p.fields_ = fields;
  p.dtype_ = member;
  return f.intern(p);
}

const Type* plain_tuple(const Type* t) { return t->is_named_tuple() ? t_tuple(t->elements()) : t; }

const Type* storage_type(const Type* t) {
  if (t->is_scalar()) return t->strong();
  if (t->kind() != TypeKind::Tuple) return t;
  std::vector<const Type*> elems;
  for (const Type* e : t->elements()) elems.push_back(storage_type(e));
  return t->is_named_tuple() ? t_named_tuple(t->name(), t->class_serial(), t->fields(), elems) : t_tuple(elems);
}

const Type* scalar_from_name(const std::string& n) {
  if (n == "bool" || n == "bool_" || n == "boolean") return t_bool();
  static const std::pair<const char*, int> ints[] = {{"int8", 8}, {"int16", 16}, {"int32", 32}, {"int64", 64}};
  for (auto& [name, bits] : ints) {
    if (n == name) return t_int(bits, true);
    if (n == std::string("u") + name) return t_int(bits, false);
  }
  if (n == "intp" || n == "int_") return t_int(64, true);
  if (n == "uintp") return t_int(64, false);
  if (n == "float32" || n == "single") return t_float(32);
  if (n == "float64" || n == "double") return t_float(64);
  if (n == "complex64" || n == "csingle") return t_complex(64);
  if (n == "complex128" || n == "cdouble") return t_complex(128);
  return nullptr;
}

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::C: return "C";
    case Layout::F: return "F";
    case Layout::A: return "A";
  }
  return "?";
}

Layout view_layout(const Type* obj, const std::vector<const Type*>& parts) {
  bool contiguous = obj->layout() == Layout::C;
  bool seen_slice = false;
  for (const Type* p : parts) {
    if (p->kind() == TypeKind::None) continue;  // a new axis of length 1: no memory of its own
    if (p->is_int()) {
      contiguous &= !seen_slice;
    } else {
      contiguous &= seen_slice ? p->bits() == kSliceFull : p->bits() != kSliceGeneral;
      seen_slice = true;
    }
  }
  return contiguous ? Layout::C : Layout::A;
}

}  // namespace dn
