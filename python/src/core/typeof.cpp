#include "dispatcher.h"
#include "typeof.h"

#include <string>

#include "jit/types/promotion.h"
#include "named_classes.h"
#include "random_generator.h"
#include "jit/types/type_text.h"

namespace dn {

static Layout layout_of(PyArrayObject* a) {
  if (PyArray_IS_C_CONTIGUOUS(a)) return Layout::C;
  if (PyArray_IS_F_CONTIGUOUS(a)) return Layout::F;
  return Layout::A;
}

// An attribute of an already imported module (new reference), or null: a module that is not
// imported yet has no instances to check against.
static PyObject* imported_attr(const char* module, const char* attr) {
  PyObject* name = PyUnicode_FromString(module);
  PyObject* m = name ? PyImport_GetModule(name) : nullptr;
  Py_XDECREF(name);
  PyObject* r = m ? PyObject_GetAttrString(m, attr) : nullptr;
  Py_XDECREF(m);
  if (!r) PyErr_Clear();
  return r;
}

// ndarray subclasses are refused unless their elements and operations mean exactly what
// ndarray's do: np.ma.MaskedArray (the mask) and np.matrix (row semantics, * as matmul)
// would give silently wrong answers. np.memmap is an ndarray over a file: accepted.
static bool is_plain_array_type(PyTypeObject* t) {
  if (t == &PyArray_Type) return true;
  static PyObject* memmap = imported_attr("numpy", "memmap");  // kept for the process
  return memmap && t == reinterpret_cast<PyTypeObject*>(memmap);
}

static bool is_subclass_of(PyTypeObject* t, const char* module, const char* attr) {
  PyObject* base = imported_attr(module, attr);
  bool r = base && PyType_Check(base) && PyType_IsSubtype(t, reinterpret_cast<PyTypeObject*>(base));
  Py_XDECREF(base);
  return r;
}

static void refuse_subclass(PyTypeObject* t, const char* what) {
  PyObject* mod = PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "__module__");
  if (!mod) PyErr_Clear();
  const char* m = mod && PyUnicode_Check(mod) ? PyUnicode_AsUTF8(mod) : nullptr;
  std::string name = m ? std::string(m) + "." + t->tp_name : std::string(t->tp_name);
  if (!m) PyErr_Clear();
  Py_XDECREF(mod);
  const char* why;
  if (is_subclass_of(t, "numpy.ma", "MaskedArray"))
    why = "dunnart would compute on the masked elements too; pass x.filled(fill_value) to "
          "replace them, or np.asarray(x) for the raw data";
  else if (is_subclass_of(t, "numpy", "matrix"))
    why = "dunnart would compute with ndarray semantics, not matrix semantics; pass "
          "np.asarray(x) and use @ for matrix products";
  else
    why = "dunnart accepts numpy.ndarray and numpy.memmap, whose operations it knows; pass "
          "np.asarray(x) to compute on it as a plain ndarray";
  PyErr_Format(PyExc_TypeError, "%s: ndarray subclass %s is not supported: %s", what,
               name.c_str(), why);
}

// An enum member's code: its interned type, as a tuple's (the type says which class).
static uint64_t enum_fingerprint(PyObject* obj) {
  const ClassInfo* c = class_info(Py_TYPE(obj));
  if (!c || (c->kind != ClassInfo::Enum && c->kind != ClassInfo::IntEnum)) return 0;
  return reinterpret_cast<uint64_t>(t_enum_member(c->name, c->serial, c->kind == ClassInfo::IntEnum)) |
         0x8000000000000000ull;
}

// np.float32, np.dtype("int16"), a.dtype, and Python's int/float/bool/complex passed as
// arguments: the scalar type as a compile-time value (np.zeros(n, t), t(x), t.kind), or null.
const Type* dtype_argument_type(PyObject* obj) {
  if (obj == reinterpret_cast<PyObject*>(&PyFloat_Type)) return t_number_class(t_float64()->weakened());
  if (obj == reinterpret_cast<PyObject*>(&PyLong_Type)) return t_number_class(t_int64()->weakened());
  if (obj == reinterpret_cast<PyObject*>(&PyComplex_Type)) return t_number_class(t_complex(128)->weakened());
  if (obj == reinterpret_cast<PyObject*>(&PyBool_Type)) return t_number_class(t_bool());
  if (!numpy_loaded()) return nullptr;
  PyArray_Descr* d = nullptr;
  if (PyArray_DescrCheck(obj)) {
    d = reinterpret_cast<PyArray_Descr*>(obj);
    Py_INCREF(d);
  } else if (PyType_Check(obj) && PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(obj), &PyGenericArrType_Type)) {
    d = PyArray_DescrFromTypeObject(obj);
  }
  if (!d) return nullptr;
  const Type* s = PyArray_ISNBO(d->byteorder) ? scalar_of_descr(d) : nullptr;
  Py_DECREF(d);
  return s ? t_number_class(s) : nullptr;
}

uint64_t fingerprint(PyObject* obj) {
  PyTypeObject* t = Py_TYPE(obj);
  if (t == &PyLong_Type) return 1;
  if (t == &PyFloat_Type) return 2;
  if (t == &PyBool_Type) return 3;
  if (t == &PyComplex_Type) return 4;
  if (obj == Py_None) return 5;
  if (t == &PyRange_Type) return 8;
  if (PyTuple_Check(obj) || PyList_Check(obj) || PyDict_Check(obj) || PySet_CheckExact(obj)) {
    // Tuples, lists, dicts and sets are identified by their interned type (a list's looks
    // at every element, as its unboxing does anyway).
    const Type* ty = type_of(obj, "argument");
    if (!ty) {
      PyErr_Clear();
      return 0;
    }
    return reinterpret_cast<uint64_t>(ty) | 0x8000000000000000ull;
  }
  if (const Type* f = dispatcher_argument_type(obj)) return reinterpret_cast<uint64_t>(f) | 0x8000000000000000ull;
  if (const Type* d = dtype_argument_type(obj)) return reinterpret_cast<uint64_t>(d) | 0x8000000000000000ull;
  if (!numpy_loaded()) return enum_fingerprint(obj);
  if (PyArray_Check(obj)) {
    // Subclasses other than memmap never get a code: they always reach type_of's refusal.
    if (t != &PyArray_Type && !is_plain_array_type(t)) return 0;
    auto* a = reinterpret_cast<PyArrayObject*>(obj);
    PyArray_Descr* d = PyArray_DESCR(a);
    if (!PyArray_ISNBO(d->byteorder) || !PyArray_ISALIGNED(a)) return 0;
    return 6 | uint64_t(d->type_num) << 8 | uint64_t(PyArray_NDIM(a)) << 16 |
           uint64_t(layout_of(a)) << 24 | uint64_t(!PyArray_ISWRITEABLE(a)) << 26;
  }
  if (PyArray_IsScalar(obj, Generic)) {
    PyArray_Descr* d = PyArray_DescrFromScalar(obj);
    uint64_t code = 7 | uint64_t(d->type_num) << 8;
    Py_DECREF(d);
    return code;
  }
  // After arrays and scalars: its check compares the class's name.
  if (is_random_generator_object(obj)) return reinterpret_cast<uint64_t>(t_random_generator()) | 0x8000000000000000ull;
  return enum_fingerprint(obj);
}

const Type* scalar_of_descr(PyArray_Descr* d) {
  switch (d->type_num) {
    case NPY_BOOL: return t_bool();
    case NPY_INT8: return t_int(8);
    case NPY_UINT8: return t_int(8, false);
    case NPY_INT16: return t_int(16);
    case NPY_UINT16: return t_int(16, false);
    case NPY_INT32: return t_int(32);
    case NPY_UINT32: return t_int(32, false);
    case NPY_LONG: return t_int(8 * sizeof(long));
    case NPY_ULONG: return t_int(8 * sizeof(long), false);
    case NPY_LONGLONG: return t_int(64);
    case NPY_ULONGLONG: return t_int(64, false);
    case NPY_FLOAT32: return t_float(32);
    case NPY_FLOAT64: return t_float(64);
    case NPY_COMPLEX64: return t_complex(64);
    case NPY_COMPLEX128: return t_complex(128);
    default: return nullptr;
  }
}

int numpy_type_num(const Type* s) {
  switch (s->kind()) {
    case TypeKind::Bool: return NPY_BOOL;
    case TypeKind::Int:
      switch (s->bits()) {
        case 8: return s->is_signed() ? NPY_INT8 : NPY_UINT8;
        case 16: return s->is_signed() ? NPY_INT16 : NPY_UINT16;
        case 32: return s->is_signed() ? NPY_INT32 : NPY_UINT32;
        default: return s->is_signed() ? NPY_INT64 : NPY_UINT64;
      }
    case TypeKind::Float: return s->bits() == 32 ? NPY_FLOAT32 : NPY_FLOAT64;
    case TypeKind::Complex: return s->bits() == 64 ? NPY_COMPLEX64 : NPY_COMPLEX128;
    default: return -1;
  }
}

static const char kSupported[] =
    "dunnart accepts bool, int, float, complex, None, str, NumPy scalars, tuples and namedtuples of these, "
    "members of enum.Enum and enum.IntEnum classes of int values, lists "
    "of numbers, tuples of numbers, arrays or lists of these, dicts and sets of numbers and tuples, and NumPy arrays of bool, (u)int8-64, float32/64 and "
    "complex64/128 in native byte order, and jitted functions";

// The types a dunnart.typed.Dict or List declares (python/dunnart/typed.py), in `out`:
// false when `obj` declares none; null-returning errors set a Python error.
static bool declared_types(PyObject* obj, const char* what, std::vector<const Type*>& out, bool& failed) {
  failed = false;
  if (PyList_CheckExact(obj) || PyDict_CheckExact(obj) || PySet_CheckExact(obj)) return false;
  PyObject* names = PyObject_GetAttrString(obj, "_dunnart_types");
  if (!names) {
    PyErr_Clear();
    return false;
  }
  bool ok = PyTuple_Check(names);
  for (Py_ssize_t k = 0; ok && k < PyTuple_GET_SIZE(names); ++k) {
    PyObject* name = PyTuple_GET_ITEM(names, k);
    const char* text = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : nullptr;
    size_t pos = 0;
    std::string error;
    const Type* t = text ? parse_type_text(text, pos, error) : nullptr;
    ok = t && text[pos] == 0;
    if (ok) out.push_back(t);
  }
  Py_DECREF(names);
  if (!ok) {
    PyErr_Format(PyExc_TypeError, "%s: its declared types are not ones dunnart knows", what);
    failed = true;
  }
  return true;
}

// Whether values of type `found` convert to `declared` as a typed container stores them:
// numbers of the same or a lower kind (bool < int < float < complex), tuples elementwise.
static bool fits_declared(const Type* declared, const Type* found) {
  if (found->kind() == TypeKind::Tuple) {
    if (declared->kind() != TypeKind::Tuple || declared->elements().size() != found->elements().size()) return false;
    for (size_t k = 0; k < found->elements().size(); ++k)
      if (!fits_declared(declared->elements()[k], found->elements()[k])) return false;
    return true;
  }
  return declared->is_scalar() && found->is_scalar() && kind_rank(found) <= kind_rank(declared);
}

// Whether every value in a container of declared element type `declared` fits it.
static const Type* check_declared(const Type* declared, const Type* found, const char* what) {
  if (!found || fits_declared(declared, found)) return declared;
  PyErr_Format(PyExc_TypeError, "%s: holds a %s where its declared type is %s", what, found->str().c_str(),
               declared->str().c_str());
  return nullptr;
}

// A list's element type: every element's, unified (ints and floats make a list of floats);
// elements of one Python type as the first are not looked at twice. A typed List's is the
// one it declares.
static const Type* list_type_of(PyObject* obj, const char* what) {
  // Lists nest by reference, so one may contain itself: typing it would never end.
  static thread_local int depth = 0;
  constexpr int kMaxDepth = 32;
  if (depth >= kMaxDepth) {
    PyErr_Format(PyExc_TypeError, "%s: lists nested more than %d deep (or a list that contains itself) cannot be "
                 "compiled", what, kMaxDepth);
    return nullptr;
  }
  struct Nesting {
    Nesting() { ++depth; }
    ~Nesting() { --depth; }
  } nesting;
  Py_ssize_t n = PyList_GET_SIZE(obj);
  std::vector<const Type*> declared;
  bool failed;
  if (declared_types(obj, what, declared, failed)) {
    if (failed) return nullptr;
    if (declared.size() != 1) {
      PyErr_Format(PyExc_TypeError, "%s: a typed List declares one element type", what);
      return nullptr;
    }
    if (n == 0) return t_list(declared[0]);
  }
  if (n == 0) {
    PyErr_Format(PyExc_TypeError,
                 "%s: an empty list has no element type for dunnart to compile for; pass a "
                 "list with elements, or a NumPy array",
                 what);
    return nullptr;
  }
  PyTypeObject* first = Py_TYPE(PyList_GET_ITEM(obj, 0));
  const Type* e = nullptr;
  for (Py_ssize_t k = 0; k < n; ++k) {
    PyObject* item = PyList_GET_ITEM(obj, k);
    if (k > 0 && Py_TYPE(item) == first && (first == &PyFloat_Type || first == &PyLong_Type || first == &PyBool_Type))
      continue;
    // An empty inner list takes its element type from its siblings ([[1, 2], []]).
    bool empty_list = PyList_CheckExact(item) && PyList_GET_SIZE(item) == 0;
    const Type* t = empty_list ? t_list(nullptr) : type_of(item, what);
    if (!t && PyList_Check(item)) return nullptr;  // the inner list's own error says why
    if (!t) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "%s: lists of %s are not supported; pass a list of numbers, strs, tuples of "
                   "numbers, arrays or lists of these", what, Py_TYPE(item)->tp_name);
      return nullptr;
    }
    if (t->kind() == TypeKind::Array || t->kind() == TypeKind::List) {
      // Held by reference: one dtype and dimension count (layouts unify to 'A'), or one
      // element type of the inner lists.
      const Type* u = unify(e, t);
      if (!u) {
        PyErr_Format(PyExc_TypeError, "%s: a list of %s of different types (%s and %s) cannot be compiled; give "
                     "every element the same %s", what, t->kind() == TypeKind::Array ? "arrays" : "lists",
                     e->str().c_str(), t->str().c_str(),
                     t->kind() == TypeKind::Array ? "dtype and number of dimensions" : "element type");
        return nullptr;
      }
      e = u;
      continue;
    }
    // Records: tuples of numbers and strs ([("a", 1.5), ...]).
    bool record = t->kind() == TypeKind::Tuple;
    if (record)
      for (const Type* x : t->elements()) record &= x->is_scalar() || x->kind() == TypeKind::String;
    if (!t->is_scalar() && !record && t->kind() != TypeKind::String) {
      PyErr_Format(PyExc_TypeError, "%s: lists of %s are not supported; pass a list of numbers, strs, tuples of "
                   "numbers and strs, arrays or lists of these", what, Py_TYPE(item)->tp_name);
      return nullptr;
    }
    if (e && (e->kind() == TypeKind::Array || e->kind() == TypeKind::List)) {
      PyErr_Format(PyExc_TypeError, "%s: a list of mixed element types (%s and %s) cannot be compiled; give "
                   "every element the same type", what, e->str().c_str(), storage_type(t)->str().c_str());
      return nullptr;
    }
    const Type* u = unify(e, storage_type(t));
    if (!u) {
      PyErr_Format(PyExc_TypeError, "%s: a list of mixed element types (%s and %s) cannot be compiled; give "
                   "every element the same type", what, e->str().c_str(), storage_type(t)->str().c_str());
      return nullptr;
    }
    e = u;
  }
  if (!declared.empty()) return check_declared(declared[0], e, what) ? t_list(declared[0]) : nullptr;
  if (e->kind() == TypeKind::List && !e->dtype()) {
    PyErr_Format(PyExc_TypeError, "%s: a list of empty lists has no element type for dunnart to compile for; put "
                 "an element in one of them, or build the lists in the jitted function", what);
    return nullptr;
  }
  return t_list(e);
}

// The unified storage type of a dict's keys or values or a set's elements (numbers or
// tuples of numbers; values may be lists of these too); `role` names them in errors.
static const Type* unified_type(const Type* so_far, PyObject* item, const char* what, const char* role,
                                bool lists = false) {
  const Type* t = type_of(item, what);
  if (t && lists && t->kind() == TypeKind::List) {
    if (!so_far || so_far == t) return t;
    PyErr_Format(PyExc_TypeError, "%s: %s of mixed types (%s and %s) cannot be compiled; give them all the same type",
                 what, role, so_far->str().c_str(), t->str().c_str());
    return nullptr;
  }
  if (!t) PyErr_Clear();
  bool ok = t && (t->is_scalar() || t->kind() == TypeKind::Tuple || t->kind() == TypeKind::String);
  if (ok && t->kind() == TypeKind::Tuple)
    for (const Type* x : t->elements()) ok &= x->is_scalar() || x->kind() == TypeKind::String;
  if (!ok) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s: %s of type %s are not supported yet; pass numbers, strs or tuples of them",
                 what, role, Py_TYPE(item)->tp_name);
    return nullptr;
  }
  const Type* u = unify(so_far, storage_type(t));
  if (!u) {
    PyErr_Format(PyExc_TypeError, "%s: %s of mixed types (%s and %s) cannot be compiled; give them all the same type",
                 what, role, so_far->str().c_str(), storage_type(t)->str().c_str());
    return nullptr;
  }
  return u;
}

static const Type* hash_type_of(PyObject* obj, const char* what) {
  bool set = PyAnySet_Check(obj);
  std::vector<const Type*> declared;
  bool failed;
  if (declared_types(obj, what, declared, failed)) {
    if (failed) return nullptr;
    if (declared.size() != 2) {
      PyErr_Format(PyExc_TypeError, "%s: a typed Dict declares a key type and a value type", what);
      return nullptr;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    const Type *k = nullptr, *v = nullptr;
    while (PyDict_Next(obj, &pos, &key, &value)) {
      if (!(k = unified_type(k, key, what, "dict keys")) || !(v = unified_type(v, value, what, "dict values", true))) return nullptr;
    }
    if (!check_declared(declared[0], k, what) || !check_declared(declared[1], v, what)) return nullptr;
    return t_dict(declared[0], declared[1]);
  }
  if ((set ? PySet_GET_SIZE(obj) : PyDict_GET_SIZE(obj)) == 0) {
    PyErr_Format(PyExc_TypeError,
                 "%s: an empty %s has no %s for dunnart to compile for; pass one with %s, or create it in "
                 "the jitted function",
                 what, set ? "set" : "dict", set ? "element type" : "key and value types", set ? "elements" : "items");
    return nullptr;
  }
  const Type *k = nullptr, *v = nullptr;
  if (set) {
    PyObject* it = PyObject_GetIter(obj);
    if (!it) return nullptr;
    while (PyObject* x = PyIter_Next(it)) {
      k = unified_type(k, x, what, "set elements");
      Py_DECREF(x);
      if (!k) break;
    }
    Py_DECREF(it);
    if (!k) return nullptr;
    return t_set(k);
  }
  Py_ssize_t pos = 0;
  PyObject *key, *value;
  while (PyDict_Next(obj, &pos, &key, &value)) {
    if (!(k = unified_type(k, key, what, "dict keys")) || !(v = unified_type(v, value, what, "dict values", true))) return nullptr;
  }
  return t_dict(k, v);
}

const Type* type_of(PyObject* obj, const char* what) {
  PyTypeObject* t = Py_TYPE(obj);
  if (t == &PyBool_Type) return t_bool()->weakened();  // Python's bool: ~True is -2
  if (t == &PyLong_Type) return t_int64()->weakened();
  if (t == &PyFloat_Type) return t_float64()->weakened();
  if (t == &PyComplex_Type) return t_complex(128)->weakened();
  if (obj == Py_None) return t_none();
  if (t == &PyUnicode_Type) return t_string();
  if (const Type* f = dispatcher_argument_type(obj)) return f;
  if (const Type* d = dtype_argument_type(obj)) return d;
  if (t == &PyRange_Type) return t_range();  // its start, stop and step (unbox checks they fit)
  if (numpy_loaded() && PyArray_Check(obj)) {
    if (!is_plain_array_type(t)) {
      refuse_subclass(t, what);
      return nullptr;
    }
    auto* a = reinterpret_cast<PyArrayObject*>(obj);
    const Type* dtype = scalar_of_descr(PyArray_DESCR(a));
    if (!dtype || !PyArray_ISNBO(PyArray_DESCR(a)->byteorder)) {
      PyObject* r = PyObject_Repr(reinterpret_cast<PyObject*>(PyArray_DESCR(a)));
      PyErr_Format(PyExc_TypeError, "%s: arrays of dtype %s are not supported; %s", what,
                   r ? PyUnicode_AsUTF8(r) : "?", kSupported);
      Py_XDECREF(r);
      return nullptr;
    }
    if (!PyArray_ISALIGNED(a)) {
      PyErr_Format(PyExc_TypeError, "%s: unaligned arrays are not supported; pass a copy", what);
      return nullptr;
    }
    return t_array(dtype, PyArray_NDIM(a), layout_of(a), !PyArray_ISWRITEABLE(a));
  }
  if (numpy_loaded() && PyArray_IsScalar(obj, Generic)) {
    PyArray_Descr* d = PyArray_DescrFromScalar(obj);
    const Type* s = scalar_of_descr(d);
    Py_DECREF(d);
    if (s) return s;
  }
  if (numpy_loaded() && is_random_generator_object(obj)) return t_random_generator();
  if (PyList_Check(obj)) return list_type_of(obj, what);
  if (PyDict_Check(obj) || PySet_CheckExact(obj)) return hash_type_of(obj, what);
  if (PyTuple_Check(obj)) {
    std::vector<const Type*> elems;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(obj); ++k) {
      const Type* e = type_of(PyTuple_GET_ITEM(obj, k), what);
      if (!e) return nullptr;
      // Arrays are borrowed for the call like array arguments; containers would need
      // reflecting through the tuple.
      if (e->kind() == TypeKind::List || e->kind() == TypeKind::Dict || e->kind() == TypeKind::Set) {
        PyErr_Format(PyExc_TypeError, "%s: tuples of %s are not supported yet; pass them as separate arguments", what,
                     e->kind() == TypeKind::List ? "lists" : "dicts or sets");
        return nullptr;
      }
      elems.push_back(e);
    }
    if (t != &PyTuple_Type)
      if (const ClassInfo* c = class_info(t); c && c->kind == ClassInfo::NamedTuple && c->fields.size() == elems.size())
        return t_named_tuple(c->name, c->serial, c->fields, elems);
    return t_tuple(elems);
  }
  if (const ClassInfo* c = class_info(t)) {
    if (c->kind == ClassInfo::Enum || c->kind == ClassInfo::IntEnum)
      return t_enum_member(c->name, c->serial, c->kind == ClassInfo::IntEnum);
    if (c->kind == ClassInfo::Unsupported) {
      PyErr_Format(PyExc_TypeError, "%s: a member of %s is not supported: dunnart compiles enum.Enum and "
                   "enum.IntEnum members whose values are ints, not %s; pass member.value instead",
                   what, c->name.c_str(), c->why.c_str());
      return nullptr;
    }
  }
  if (PyFunction_Check(obj) || PyCFunction_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "%s: a plain Python function cannot be passed to jitted code; pass a "
                 "jitted one (decorate it with @njit, or pass njit(f))", what);
    return nullptr;
  }
  PyErr_Format(PyExc_TypeError, "%s: values of type '%s' are not supported; %s", what,
               Py_TYPE(obj)->tp_name, kSupported);
  return nullptr;
}

}  // namespace dn
