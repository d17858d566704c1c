#include "boxing.h"

#include <complex>
#include <algorithm>
#include <cstring>

#include "jit/types/abi_layout.h"
#include "named_classes.h"
#include "random_generator.h"
#include "runtime/abi.h"
#include "typeof.h"

namespace dn {

namespace {

template <class T>
void put(void* dst, T v) {
  std::memcpy(dst, &v, sizeof(T));
}
template <class T>
T get(const void* src) {
  T v;
  std::memcpy(&v, src, sizeof(T));
  return v;
}

// Converts a Python/NumPy number to the scalar type `t` with C semantics (the dispatcher
// only passes values whose type was checked, or that an explicit signature converts).
bool unbox_scalar(PyObject* obj, const Type* t, void* dst, const char* what) {
  if (numpy_loaded() && PyArray_IsScalar(obj, Generic)) {
    // NumPy scalar: convert through a 0-d cast to the exact target type.
    PyArray_Descr* target = PyArray_DescrFromType(numpy_type_num(t));
    int ok = PyArray_CastScalarToCtype(obj, dst, target);
    Py_DECREF(target);
    if (ok < 0) return false;
    return true;
  }
  switch (t->kind()) {
    case TypeKind::Bool: {
      int v = PyObject_IsTrue(obj);
      if (v < 0) return false;
      put<uint8_t>(dst, uint8_t(v));
      return true;
    }
    case TypeKind::Int: {
      if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s: expected an integer, got %s", what, Py_TYPE(obj)->tp_name);
        return false;
      }
      long long v;
      if (!t->is_signed() && t->bits() == 64) {
        unsigned long long u = PyLong_AsUnsignedLongLong(obj);
        if (u == (unsigned long long)-1 && PyErr_Occurred()) return false;
        v = (long long)u;
      } else {
        v = PyLong_AsLongLong(obj);
        if (v == -1 && PyErr_Occurred()) {
          if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_OverflowError, "%s: Python int too large to convert to int64", what);
          }
          return false;
        }
      }
      switch (t->bits()) {
        case 8: put<int8_t>(dst, int8_t(v)); break;
        case 16: put<int16_t>(dst, int16_t(v)); break;
        case 32: put<int32_t>(dst, int32_t(v)); break;
        default: put<int64_t>(dst, v); break;
      }
      return true;
    }
    case TypeKind::Float: {
      double v = PyFloat_AsDouble(obj);
      if (v == -1.0 && PyErr_Occurred()) return false;
      if (t->bits() == 32) put<float>(dst, float(v));
      else put<double>(dst, v);
      return true;
    }
    case TypeKind::Complex: {
      Py_complex c = PyComplex_AsCComplex(obj);
      if (c.real == -1.0 && PyErr_Occurred()) return false;
      if (t->bits() == 64) put(dst, std::complex<float>(float(c.real), float(c.imag)));
      else put(dst, std::complex<double>(c.real, c.imag));
      return true;
    }
    default: break;
  }
  PyErr_Format(PyExc_TypeError, "%s: cannot convert %s", what, Py_TYPE(obj)->tp_name);
  return false;
}

void meminfo_capsule_destructor(PyObject* capsule) {
  auto* m = static_cast<DnMemInfo*>(PyCapsule_GetPointer(capsule, "dunnart.meminfo"));
  dn_meminfo_decref(m);
}

PyObject* box_array(const Type* t, const void* src) {
  if (!require_numpy()) return nullptr;
  auto* h = static_cast<const DnArrayHeader*>(src);
  int nd = t->ndim();
  void* desc = const_cast<void*>(src);
  npy_intp shape[NPY_MAXDIMS], strides[NPY_MAXDIMS];
  for (int k = 0; k < nd; ++k) {
    shape[k] = npy_intp(dn_array_shape(desc)[k]);
    strides[k] = npy_intp(dn_array_strides(desc, nd)[k]);
  }
  PyObject* parent = static_cast<PyObject*>(h->parent);
  if (!h->meminfo && parent) {
    // Memory of an argument: return the argument itself when the value is unchanged.
    auto* pa = reinterpret_cast<PyArrayObject*>(parent);
    // (Of its dtype and writeability too: z.real of a complex z starts where z does, and
    // np.broadcast_to(a, a.shape) is a read-only view.)
    bool same_kind = PyArray_TYPE(pa) == numpy_type_num(t->dtype()) && (!t->readonly() || !PyArray_ISWRITEABLE(pa));
    if (same_kind && PyArray_DATA(pa) == h->data && PyArray_NDIM(pa) == nd &&
        std::memcmp(PyArray_DIMS(pa), shape, sizeof(npy_intp) * size_t(nd)) == 0 &&
        std::memcmp(PyArray_STRIDES(pa), strides, sizeof(npy_intp) * size_t(nd)) == 0) {
      Py_INCREF(parent);
      return parent;
    }
  }
  if (!h->meminfo && !parent) {
    // A frozen global array (or a view of one): its bytes live in the compiled code, which
    // may be unloaded before the array dies. A read-only copy, as Numba's read-only view.
    PyArray_Descr* d = PyArray_DescrFromType(numpy_type_num(t->dtype()));
    PyObject* view = PyArray_NewFromDescr(&PyArray_Type, d, nd, shape, strides, h->data, 0, nullptr);
    if (!view) return nullptr;
    PyObject* copy = PyArray_NewCopy(reinterpret_cast<PyArrayObject*>(view), NPY_CORDER);
    Py_DECREF(view);
    if (copy) PyArray_CLEARFLAGS(reinterpret_cast<PyArrayObject*>(copy), NPY_ARRAY_WRITEABLE);
    return copy;
  }
  PyArray_Descr* descr = PyArray_DescrFromType(numpy_type_num(t->dtype()));
  int flags = t->readonly() ? 0 : NPY_ARRAY_WRITEABLE;
  PyObject* arr = PyArray_NewFromDescr(&PyArray_Type, descr, nd, shape, strides, h->data, flags, nullptr);
  if (!arr) return nullptr;
  PyObject* base;
  if (h->meminfo) {
    dn_meminfo_incref(h->meminfo);
    base = PyCapsule_New(h->meminfo, "dunnart.meminfo", meminfo_capsule_destructor);
    if (!base) {
      dn_meminfo_decref(h->meminfo);
      Py_DECREF(arr);
      return nullptr;
    }
  } else {
    base = parent;
    Py_XINCREF(base);
  }
  if (base && PyArray_SetBaseObject(reinterpret_cast<PyArrayObject*>(arr), base) < 0) {
    Py_DECREF(arr);
    return nullptr;
  }
  return arr;
}

thread_local Reflection* g_reflection = nullptr;

bool unbox_list(PyObject* obj, const Type* t, void* dst, const char* what) {
  if (!PyList_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "%s: expected a list, got %s", what, Py_TYPE(obj)->tp_name);
    return false;
  }
  // One Python list reached twice (rows = [r, r]) is one DnList, shared as in Python.
  if (g_reflection)
    if (const Reflection::Entry* r = g_reflection->of_object(obj); r && r->type == t) {
      put<DnList*>(dst, static_cast<DnList*>(r->container));
      return true;
    }
  const Type* e = t->dtype();
  int64_t itemsize = int64_t(abi_layout(e).size);
  Py_ssize_t n = PyList_GET_SIZE(obj);
  DnList* l = nullptr;
  if (dn_list_new(&l, itemsize, n)) {
    char message[256];
    dn_take_error(message, sizeof(message));
    PyErr_NoMemory();
    return false;
  }
  bool f64 = e == t_float64();
  // Elements that borrow from their Python object (arrays, strs, inner lists reflected as
  // themselves) keep it alive until the result is boxed: reflection may drop it from the
  // list first (l.pop() returned, rows[0], rows[1] = rows[1], rows[0]).
  bool borrows = !e->is_scalar();
  for (Py_ssize_t k = 0; k < n; ++k) {
    PyObject* item = PyList_GET_ITEM(obj, k);
    char* slot = l->data + k * itemsize;
    if (f64 && PyFloat_CheckExact(item)) {
      put<double>(slot, PyFloat_AS_DOUBLE(item));
    } else if (!unbox(item, e, slot, what)) {
      return false;
    }
    if (borrows && g_reflection) {
      Py_INCREF(item);
      g_reflection->kept.push_back(item);
    }
  }
  put<DnList*>(dst, l);
  if (g_reflection) g_reflection->add({obj, l, t, 0});
  return true;
}

PyObject* box_list(const Type* t, const void* src) {
  auto* l = get<DnList*>(src);
  if (g_reflection)
    if (const Reflection::Entry* r = g_reflection->of_container(l)) {  // an argument returned: the caller's own list
      Py_INCREF(r->obj);
      return r->obj;
    }
  // A list the code made, reached twice (rows = [[0] * 2] * n): one Python list, shared.
  if (g_reflection)
    if (auto it = g_reflection->boxed_lists.find(l); it != g_reflection->boxed_lists.end()) {
      Py_INCREF(it->second);
      return it->second;
    }
  PyObject* out = PyList_New(Py_ssize_t(l->size));
  if (!out) return nullptr;
  for (int64_t k = 0; k < l->size; ++k) {
    PyObject* item = box(t->dtype(), l->data + k * l->itemsize);
    if (!item) {
      Py_DECREF(out);
      return nullptr;
    }
    PyList_SET_ITEM(out, Py_ssize_t(k), item);
  }
  if (g_reflection) {
    Py_INCREF(out);
    g_reflection->kept.push_back(out);
    g_reflection->boxed_lists[l] = out;
  }
  return out;
}

// Dicts and sets: a DnDict of the argument's items, remembered for reflection.
bool unbox_hash(PyObject* obj, const Type* t, void* dst, const char* what) {
  bool set = t->kind() == TypeKind::Set;
  if (set ? !PySet_CheckExact(obj) : !PyDict_Check(obj)) {
    PyErr_Format(PyExc_TypeError, "%s: expected a %s, got %s", what, set ? "set" : "dict", Py_TYPE(obj)->tp_name);
    return false;
  }
  const Type* kt = t->dtype();
  const Type* vt = set ? nullptr : t->elements()[0];
  std::vector<int64_t> kf = hash_fields(kt), vf = hash_fields(vt);
  int64_t key_size = int64_t(abi_layout(kt).size);
  Py_ssize_t n = set ? PySet_GET_SIZE(obj) : PyDict_GET_SIZE(obj);
  DnDict* d = nullptr;
  if (dn_dict_new(&d, key_size, vt ? int64_t(abi_layout(vt).size) : 0, kf.data(), vf.data(), n)) {
    char message[256];
    dn_take_error(message, sizeof(message));
    PyErr_NoMemory();
    return false;
  }
  alignas(16) char key[16 * DN_DICT_MAX_FIELDS];  // the largest key: 16 complex128s
  auto add = [&](PyObject* k, PyObject* v) {
    std::memset(key, 0, sizeof(key));
    if (!unbox(k, kt, key, what)) return false;
    int64_t index = 0, added = 0;
    if (dn_dict_insert(d, key, &index, &added)) {
      char message[256];
      dn_take_error(message, sizeof(message));
      PyErr_NoMemory();
      return false;
    }
    char* entry = d->entries + index * d->entry_size;
    return !v || unbox(v, vt, entry + 8 + dn_dict_value_offset(key_size), what);
  };
  if (set) {
    PyObject* it = PyObject_GetIter(obj);
    if (!it) return false;
    while (PyObject* k = PyIter_Next(it)) {
      bool ok = add(k, nullptr);
      Py_DECREF(k);
      if (!ok) {
        Py_DECREF(it);
        return false;
      }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return false;
  } else {
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(obj, &pos, &k, &v))
      if (!add(k, v)) return false;
  }
  put<DnDict*>(dst, d);
  if (g_reflection) g_reflection->add({obj, d, t, d->version});
  return true;
}

// Fills the Python dict or set `out` (empty) with the items of `d`.
bool fill_hash(PyObject* out, const Type* t, const DnDict* d) {
  bool set = t->kind() == TypeKind::Set;
  const Type* kt = t->dtype();
  int64_t value_at = 8 + dn_dict_value_offset(d->key_size);
  for (int64_t j = 0; j < d->used; ++j) {
    const char* entry = d->entries + j * d->entry_size;
    if (get<int64_t>(entry) == DN_DICT_DELETED) continue;
    PyObject* k = box(kt, entry + 8);
    if (!k) return false;
    int status;
    if (set) {
      status = PySet_Add(out, k);
    } else {
      PyObject* v = box(t->elements()[0], entry + value_at);
      status = v ? PyDict_SetItem(out, k, v) : -1;
      Py_XDECREF(v);
    }
    Py_DECREF(k);
    if (status < 0) return false;
  }
  return true;
}

PyObject* box_hash(const Type* t, const void* src) {
  auto* d = get<DnDict*>(src);
  if (g_reflection)
    if (const Reflection::Entry* r = g_reflection->of_container(d)) {  // an argument returned: the caller's own dict or set
      Py_INCREF(r->obj);
      return r->obj;
    }
  PyObject* out = t->kind() == TypeKind::Set ? PySet_New(nullptr) : PyDict_New();
  if (!out) return nullptr;
  if (!fill_hash(out, t, d)) {
    Py_DECREF(out);
    return nullptr;
  }
  return out;
}

// A dict or set argument the code changed: its Python object gets the new contents.
bool reflect_hash(const Reflection::Entry& r) {
  auto* d = static_cast<DnDict*>(r.container);
  if (d->version == r.version) return true;
  // The new contents are boxed before the old are dropped: a list value that is one of the
  // argument's own lists is boxed as that list, which only the dict may be keeping alive.
  bool set = r.type->kind() == TypeKind::Set;
  PyObject* fresh = set ? PySet_New(nullptr) : PyDict_New();
  if (!fresh || !fill_hash(fresh, r.type, d)) {
    Py_XDECREF(fresh);
    return false;
  }
  int status;
  if (set) {
    status = PySet_Clear(r.obj);
    PyObject* done = status == 0 ? PyObject_CallMethod(r.obj, "update", "O", fresh) : nullptr;
    status = done ? 0 : -1;
    Py_XDECREF(done);
  } else {
    PyDict_Clear(r.obj);
    status = PyDict_Update(r.obj, fresh);
  }
  Py_DECREF(fresh);
  return status == 0;
}

}  // namespace

Reflection::Reflection() : outer_(g_reflection) { g_reflection = this; }

void Reflection::add(const Entry& e) {
  by_object_[e.obj] = entries.size();
  by_container_[e.container] = entries.size();
  entries.push_back(e);
}

const Reflection::Entry* Reflection::of_object(PyObject* obj) const {
  auto it = by_object_.find(obj);
  return it == by_object_.end() ? nullptr : &entries[it->second];
}

const Reflection::Entry* Reflection::of_container(const void* container) const {
  auto it = by_container_.find(container);
  return it == by_container_.end() ? nullptr : &entries[it->second];
}
Reflection::~Reflection() {
  g_reflection = outer_;
  for (PyObject* o : kept) Py_DECREF(o);
}

bool Reflection::reflect() {
  for (const Entry& r : entries) {
    if (r.type->kind() != TypeKind::List) {
      if (!reflect_hash(r)) return false;
      continue;
    }
    auto* l = static_cast<DnList*>(r.container);
    const Type* e = r.type->dtype();
    Py_ssize_t n = PyList_GET_SIZE(r.obj);
    Py_ssize_t m = Py_ssize_t(l->size);
    // Elements that compare equal byte for byte keep their Python object (and its type:
    // an int in a list of floats stays an int unless the code replaced it).
    alignas(16) char scratch[256];
    bool small = l->itemsize <= int64_t(sizeof(scratch));
    // Inner lists are compared by identity: unboxing one again would make a new DnList.
    bool nested = e->kind() == TypeKind::List;
    for (Py_ssize_t k = 0; k < std::min(n, m); ++k) {
      const char* mine = l->data + k * l->itemsize;
      PyObject* old = PyList_GET_ITEM(r.obj, k);
      if (nested) {
        PyObject* item = box(e, mine);  // an argument's own inner list boxes as itself
        if (!item) return false;
        if (item == old) Py_DECREF(item);
        else PyList_SetItem(r.obj, k, item);
        continue;
      }
      if (small && unbox(old, e, scratch, "list element") && std::memcmp(scratch, mine, size_t(l->itemsize)) == 0)
        continue;
      PyErr_Clear();
      PyObject* item = box(e, mine);
      if (!item) return false;
      PyList_SetItem(r.obj, k, item);  // steals item, releases the old one
    }
    if (m < n) {
      if (PyList_SetSlice(r.obj, m, n, nullptr) < 0) return false;
    } else {
      for (Py_ssize_t k = n; k < m; ++k) {
        PyObject* item = box(e, l->data + k * l->itemsize);
        if (!item || PyList_Append(r.obj, item) < 0) {
          Py_XDECREF(item);
          return false;
        }
        Py_DECREF(item);
      }
    }
  }
  return true;
}

bool unbox(PyObject* obj, const Type* t, void* dst, const char* what) {
  switch (t->kind()) {
    case TypeKind::List: return unbox_list(obj, t, dst, what);
    case TypeKind::Dict:
    case TypeKind::Set: return unbox_hash(obj, t, dst, what);
    case TypeKind::Range: {  // {start, stop, step}, each an int64
      int64_t parts[3];
      const char* names[] = {"start", "stop", "step"};
      for (int k = 0; k < 3; ++k) {
        PyObject* v = PyObject_GetAttrString(obj, names[k]);
        long long x = v ? PyLong_AsLongLong(v) : -1;
        Py_XDECREF(v);
        if (x == -1 && PyErr_Occurred()) {
          PyErr_Clear();
          PyErr_Format(PyExc_OverflowError, "%s: a range whose %s does not fit in int64", what, names[k]);
          return false;
        }
        parts[k] = x;
      }
      std::memcpy(dst, parts, sizeof parts);
      return true;
    }
    case TypeKind::RandomGenerator: return unbox_random_generator(obj, dst, what);
    case TypeKind::None:
    case TypeKind::Dispatcher:
    case TypeKind::NumberClass: put<uint8_t>(dst, 0); return true;  // nothing at run time
    case TypeKind::Optional: {  // {value, present}: None, or the value
      AbiLayout l = abi_layout(t);
      char* present = static_cast<char*>(dst) + l.offsets[1];
      std::memset(dst, 0, l.size);
      if (obj == Py_None) return true;
      *present = 1;
      return unbox(obj, t->dtype(), dst, what);
    }
    case TypeKind::String: {
      // The str's own code points, borrowed for the call (the caller holds the object).
      if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a str, got %s", what, Py_TYPE(obj)->tp_name);
        return false;
      }
      DnStr s{PyUnicode_DATA(obj), int64_t(PyUnicode_GET_LENGTH(obj)), int64_t(PyUnicode_KIND(obj))};
      put(dst, s);
      return true;
    }
    case TypeKind::Array: {
      if (!numpy_loaded() || !PyArray_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a NumPy array, got %s", what, Py_TYPE(obj)->tp_name);
        return false;
      }
      auto* a = reinterpret_cast<PyArrayObject*>(obj);
      auto* h = static_cast<DnArrayHeader*>(dst);
      h->meminfo = nullptr;
      h->parent = obj;
      h->data = static_cast<char*>(PyArray_DATA(a));
      int nd = PyArray_NDIM(a);
      for (int k = 0; k < nd; ++k) {
        dn_array_shape(dst)[k] = PyArray_DIMS(a)[k];
        dn_array_strides(dst, nd)[k] = PyArray_STRIDES(a)[k];
      }
      return true;
    }
    case TypeKind::EnumMember: {
      // Its value (the dispatcher checked the class; an explicit signature did not).
      const ClassInfo* c = class_info(Py_TYPE(obj));
      if (!c || c->name != t->name() || c->serial != t->class_serial()) {
        PyErr_Format(PyExc_TypeError, "%s: expected a member of %s, got %s", what, t->name().c_str(),
                     Py_TYPE(obj)->tp_name);
        return false;
      }
      PyObject* v = PyObject_GetAttrString(obj, "_value_");
      if (!v) return false;
      int64_t value = PyLong_AsLongLong(v);
      Py_DECREF(v);
      if (value == -1 && PyErr_Occurred()) return false;
      put(dst, value);
      return true;
    }
    case TypeKind::Tuple: {
      if (!PyTuple_Check(obj) || size_t(PyTuple_GET_SIZE(obj)) != t->elements().size()) {
        PyErr_Format(PyExc_TypeError, "%s: expected a tuple of %zu items", what, t->elements().size());
        return false;
      }
      AbiLayout l = abi_layout(t);
      for (size_t k = 0; k < t->elements().size(); ++k)
        if (!unbox(PyTuple_GET_ITEM(obj, k), t->elements()[k], static_cast<char*>(dst) + l.offsets[k], what))
          return false;
      return true;
    }
    default: return unbox_scalar(obj, t, dst, what);
  }
}

PyObject* box(const Type* t, const void* src) {
  switch (t->kind()) {
    case TypeKind::None: Py_RETURN_NONE;
    case TypeKind::Optional: {  // {value, present}
      AbiLayout l = abi_layout(t);
      if (!static_cast<const char*>(src)[l.offsets[1]]) Py_RETURN_NONE;
      return box(t->dtype(), src);
    }
    case TypeKind::String: {
      auto s = get<DnStr>(src);
      return PyUnicode_FromKindAndData(int(s.kind), s.data, Py_ssize_t(s.length));
    }
    case TypeKind::Range: {  // {start, stop, step}
      int64_t p[3];
      std::memcpy(p, src, sizeof p);
      return PyObject_CallFunction(reinterpret_cast<PyObject*>(&PyRange_Type), "LLL", (long long)p[0], (long long)p[1],
                                   (long long)p[2]);
    }
    case TypeKind::Bool: return PyBool_FromLong(get<uint8_t>(src));
    case TypeKind::Int:
      if (t->bits() == 64 && t->is_signed()) return PyLong_FromLongLong(get<int64_t>(src));
      break;
    case TypeKind::Float:
      if (t->bits() == 64) return PyFloat_FromDouble(get<double>(src));
      break;
    case TypeKind::Complex:
      if (t->bits() == 128) {
        auto c = get<std::complex<double>>(src);
        return PyComplex_FromDoubles(c.real(), c.imag());
      }
      break;
    case TypeKind::Array: return box_array(t, src);
    case TypeKind::List: return box_list(t, src);
    case TypeKind::Dict:
    case TypeKind::Set: return box_hash(t, src);
    case TypeKind::Tuple: {
      AbiLayout l = abi_layout(t);
      PyObject* tup = PyTuple_New(Py_ssize_t(t->elements().size()));
      if (!tup) return nullptr;
      for (size_t k = 0; k < t->elements().size(); ++k) {
        PyObject* item = box(t->elements()[k], static_cast<const char*>(src) + l.offsets[k]);
        if (!item) {
          Py_DECREF(tup);
          return nullptr;
        }
        PyTuple_SET_ITEM(tup, Py_ssize_t(k), item);
      }
      if (!t->is_named_tuple()) return tup;
      PyObject* cls = class_object(t);  // P(*items): the caller's own class
      PyObject* r = cls ? PyObject_Call(cls, tup, nullptr) : nullptr;
      Py_DECREF(tup);
      return r;
    }
    case TypeKind::EnumMember: {
      PyObject* cls = class_object(t);  // Color(value): the member (aliases give the canonical one)
      PyObject* v = cls ? PyLong_FromLongLong(get<int64_t>(src)) : nullptr;
      PyObject* r = v ? PyObject_CallOneArg(cls, v) : nullptr;
      Py_XDECREF(v);
      return r;
    }
    default:
      PyErr_Format(PyExc_TypeError, "cannot return a value of type %s to Python", t->str().c_str());
      return nullptr;
  }
  // Other scalar widths come back as NumPy scalars of that exact type.
  if (!require_numpy()) return nullptr;
  PyArray_Descr* d = PyArray_DescrFromType(numpy_type_num(t));
  PyObject* s = PyArray_Scalar(const_cast<void*>(src), d, nullptr);
  Py_DECREF(d);
  return s;
}

}  // namespace dn
