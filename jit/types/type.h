// The type lattice: every value in typed IR has one of these. Types are interned (one
// object per distinct type, created through the factory functions below) and compared by
// pointer. Printed names follow Numba's (`int64`, `array(float64, 2d, C)`,
// `UniTuple(int64 x 2)`) because users already know them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dn {

enum class TypeKind : uint8_t {
  Bool,        // Python bool / numpy.bool_; i1 in registers, one byte in memory
  Int,         // signed or unsigned, 8..64 bits; arithmetic wraps like NumPy
  Float,       // float32 or float64, IEEE semantics
  Complex,     // complex64 or complex128: a pair of floats
  None,        // the None singleton
  Array,       // ndarray: dtype, ndim, layout, readonly
  Tuple,       // heterogeneous fixed-size tuple (UniTuple when all elements are equal)
  Range,       // range(start, stop, step) of int64
  RangeIter,   // iterator over a range
  ArrayIter,   // iterator over a 1-D array or a uniform tuple (dtype() is the sequence)
  Module,      // a Python module seen as a global (math, numpy, ...)
  Function,    // a known builtin/library function, e.g. "math.exp", "numpy.zeros"
  NumberClass, // a scalar type used as a value: numpy.float32, int, float (callable, dtype)
  BoundMethod, // a method looked up on a value, e.g. array.sum, waiting for its call
  Dispatcher,  // another jitted function (identified by its dispatcher handle)
  String,      // a Python str: a DnStr (runtime/abi.h) by value, its code points in 1, 2 or 4
               // bytes each as CPython keeps them; immutable (lower_strings)
  Slice,       // slice(start, stop, step) of int64; bits() says what is known statically
  Pointer,     // the address of an array element (dtype() is the element's type): only in
               // lowered IR, where array code has become loops over element addresses
  List,        // a mutable Python list of one element type (dtype(); null while typing has
               // not yet seen what an empty list `[]` holds): a pointer to a DnList
  Dict,        // a mutable dict of key type dtype() and value type elements()[0] (both null
               // while typing has not yet seen what an empty `{}` holds): a pointer to a DnDict
  Set,         // a mutable set of dtype() (null while unknown): a DnDict without values
  DictView,    // d.keys() / d.values() / d.items() (name()) of the dict dtype(): the dict itself
  BuiltinIter, // an enumerate, zip or reversed object (name()) over elements(), the types of
               // what it iterates; only ever iterated (lower_iterators), never a runtime value
  EnumMember,  // a member of the enum.Enum class name() (class_serial() tells classes of one
               // name apart): its value, of type dtype() (a Python int), at run time;
               // is_int_enum(): an IntEnum's, which is an int wherever a number is expected
  Class,       // a namedtuple class (fields(); dtype() null) or an enum class (dtype() its
               // EnumMember type) used as a value: compile-time only
  Optional,    // None or a value of dtype() (Numba's OptionalType): what a variable is when
               // it is None on one path and a value on another. A {value, present} pair;
               // the value is zero when absent. Using it as a value unwraps it with a check.
  Generator,   // what calling the generator function name() (its symbol; elements() its
               // parameters' types) makes: it yields values of dtype(). A pointer to its
               // frame (lower_generators), on the stack of the function that made it: passed
               // down to calls, never returned or stored
  RandomGenerator,  // a np.random.Generator passed in from Python: the address of its bit
                    // generator's bitgen_t, whose draws NumPy's own distributions take
                    // (runtime/numpy_generator.cpp); borrowed for the call like an array
};

// What typing knows of a slice: any step, a step of 1 (`a[i:j]`), or everything (`:`).
enum SliceKind { kSliceGeneral = 0, kSliceUnitStep = 1, kSliceFull = 2 };

enum class Layout : uint8_t { C, F, A };

class Type {
 public:
  TypeKind kind() const { return kind_; }
  const std::string& str() const { return str_; }

  // Scalars.
  bool is_scalar() const { return kind_ <= TypeKind::Complex; }
  bool is_number() const { return kind_ >= TypeKind::Int && kind_ <= TypeKind::Complex; }
  bool is_int() const { return kind_ == TypeKind::Int; }
  bool is_float() const { return kind_ == TypeKind::Float; }
  bool is_complex() const { return kind_ == TypeKind::Complex; }
  bool is_bool() const { return kind_ == TypeKind::Bool; }
  // False for compile-time-only types (modules, functions, classes, methods, str constants).
  bool has_runtime_value() const;
  bool is_signed() const { return signed_; }
  int bits() const { return bits_; }  // Complex: bits of the whole pair (64 or 128)
  // A weak scalar is a Python bool/int/float/complex (NEP 50): in mixed arithmetic it adopts
  // the other operand's precision when that one is a NumPy type of the same or higher kind.
  bool is_weak() const { return weak_; }
  const Type* strong() const { return strong_; }  // the same type without weakness
  const Type* weakened() const;                    // the weak twin (scalars only)
  int itemsize() const;  // bytes of one element (scalars)

  // Arrays: dtype, ndim, layout, readonly. BoundMethod: receiver in dtype().
  const Type* dtype() const { return dtype_; }
  int ndim() const { return ndim_; }
  Layout layout() const { return layout_; }
  bool readonly() const { return readonly_; }

  // Tuples.
  const std::vector<const Type*>& elements() const { return elems_; }
  bool is_unituple() const;
  // A namedtuple: a Tuple of the class name() (qualified by its module) whose elements are
  // called fields(). Its layout is the plain tuple's; only boxing and `p.x` differ.
  bool is_named_tuple() const { return kind_ == TypeKind::Tuple && !name_.empty(); }
  const std::vector<std::string>& fields() const { return fields_; }
  // NamedTuple, EnumMember, Class: which of the classes called name() this process has seen
  // (0 for the first): two classes of one name are two types.
  int64_t class_serial() const { return handle_; }
  bool is_int_enum() const { return kind_ == TypeKind::EnumMember && bits_ == 1; }

  // Module, Function, BoundMethod (method name), Dispatcher (function name).
  const std::string& name() const { return name_; }
  // Dispatcher handle; NumberClass's scalar is dtype().
  int64_t handle() const { return handle_; }

 private:
  friend class TypeFactory;
  friend const Type* t_array(const Type*, int, Layout, bool);
  friend const Type* t_tuple(const std::vector<const Type*>&);
  friend const Type* t_array_iter(const Type*);
  friend const Type* make_named(TypeKind, const std::string&, const Type*, int64_t);
  friend const Type* t_slice(SliceKind);
  friend const Type* t_pointer(const Type*);
  friend const Type* t_list(const Type*);
  friend const Type* t_dict(const Type*, const Type*);
  friend const Type* t_set(const Type*);
  friend const Type* t_dict_view(const Type*, const std::string&);
  friend const Type* t_builtin_iter(const std::string&, const std::vector<const Type*>&);
  friend const Type* t_named_tuple(const std::string&, int64_t, const std::vector<std::string>&,
                                   const std::vector<const Type*>&);
  friend const Type* t_enum_member(const std::string&, int64_t, bool);
  friend const Type* t_optional(const Type*);
  friend const Type* t_generator(const Type*, const std::string&, const std::vector<const Type*>&);
  friend const Type* t_class(const std::string&, int64_t, const std::vector<std::string>&, const Type*);
  TypeKind kind_ = TypeKind::None;
  bool signed_ = false, weak_ = false, readonly_ = false;
  int bits_ = 0, ndim_ = 0;
  Layout layout_ = Layout::C;
  const Type* dtype_ = nullptr;
  const Type* strong_ = this;
  const Type* weak_twin_ = nullptr;
  std::vector<const Type*> elems_;
  std::vector<std::string> fields_;
  std::string name_;
  int64_t handle_ = 0;
  std::string str_;
};

// Factory functions (thread-safe; results live for the whole process).
const Type* t_bool();
const Type* t_int(int bits, bool is_signed = true);
const Type* t_float(int bits);
const Type* t_complex(int bits);
const Type* t_int64();
const Type* t_float64();
const Type* t_none();
const Type* t_array(const Type* dtype, int ndim, Layout layout, bool readonly = false);
const Type* t_tuple(const std::vector<const Type*>& elems);
const Type* t_range();
const Type* t_range_iter();
const Type* t_array_iter(const Type* array);
const Type* t_module(const std::string& name);
const Type* t_function(const std::string& qualified_name);
const Type* t_number_class(const Type* scalar);
const Type* t_bound_method(const Type* receiver, const std::string& method);
const Type* t_dispatcher(int64_t handle, const std::string& name);
const Type* t_string();
const Type* t_slice(SliceKind kind);
const Type* t_pointer(const Type* element);
const Type* t_random_generator();
inline bool is_random_generator(const Type* t) { return t && t->kind() == TypeKind::RandomGenerator; }

// The layout of the view obj[parts...] (integers and slices, at most one per dimension):
// C when it is provably contiguous (a C array's leading integers, then at most one slice
// of unit step, then full slices), else A.
Layout view_layout(const Type* obj, const std::vector<const Type*>& parts);
// A list of `element` (strong scalars and tuples of them); null: not known yet (`[]`).
const Type* t_list(const Type* element);
// A dict of `key` to `value` (storage types); both null: not known yet (`{}`).
const Type* t_dict(const Type* key, const Type* value);
// A set of `element`; null: not known yet (`set()`).
const Type* t_set(const Type* element);
// d.keys() / d.values() / d.items() of the dict `dict`.
const Type* t_dict_view(const Type* dict, const std::string& which);
// enumerate(x) / zip(a, b, ...) / reversed(x): `name` and the iterated values' types.
const Type* t_builtin_iter(const std::string& name, const std::vector<const Type*>& iterables);
// An instance of the namedtuple class `name` (module.qualname) with these fields and types.
const Type* t_named_tuple(const std::string& name, int64_t serial, const std::vector<std::string>& fields,
                          const std::vector<const Type*>& elems);
// A member of the enum class `name`; int_enum: an IntEnum's. Its value is a Python int.
const Type* t_enum_member(const std::string& name, int64_t serial, bool int_enum);
// A namedtuple class (fields, member null) or an enum class (member: its members' type).
const Type* t_class(const std::string& name, int64_t serial, const std::vector<std::string>& fields,
                    const Type* member);
// None or a value of `value` (a type with a runtime value, not None nor an optional).
const Type* t_optional(const Type* value);
// The generator the function with symbol `function` (of parameters `params`) makes,
// yielding values of `yield`.
const Type* t_generator(const Type* yield, const std::string& function, const std::vector<const Type*>& params);
inline bool is_generator(const Type* t) { return t && t->kind() == TypeKind::Generator; }
inline bool is_optional(const Type* t) { return t && t->kind() == TypeKind::Optional; }
// Whether an optional may hold values of `t`.
bool can_be_optional(const Type* t);
// The plain tuple of a namedtuple's elements (other types unchanged).
const Type* plain_tuple(const Type* t);
// The type a value of `t` is stored as in a container: scalars strong, tuples elementwise.
const Type* storage_type(const Type* t);

// A scalar type from its NumPy name ("float64", "int8", "bool", "complex128"), or null.
const Type* scalar_from_name(const std::string& name);

const char* layout_name(Layout l);

}  // namespace dn
