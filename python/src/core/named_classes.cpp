#include "named_classes.h"

#include <map>
#include <memory>

namespace dn {

namespace {

std::map<PyTypeObject*, std::unique_ptr<ClassInfo>>& by_class() {
  static auto* m = new std::map<PyTypeObject*, std::unique_ptr<ClassInfo>>();  // for the process
  return *m;
}
std::map<std::pair<std::string, int64_t>, PyObject*>& by_name() {
  static auto* m = new std::map<std::pair<std::string, int64_t>, PyObject*>();
  return *m;
}

std::string str_attr(PyObject* obj, const char* attr) {
  PyObject* v = PyObject_GetAttrString(obj, attr);
  std::string s;
  if (v && PyUnicode_Check(v)) s = PyUnicode_AsUTF8(v);
  Py_XDECREF(v);
  PyErr_Clear();
  return s;
}

PyObject* enum_base(const char* name) {
  PyObject* m = PyImport_ImportModule("enum");
  PyObject* r = m ? PyObject_GetAttrString(m, name) : nullptr;
  Py_XDECREF(m);
  PyErr_Clear();
  return r;  // kept by the caller for the process
}

bool subclass_of(PyTypeObject* t, PyObject* base) {
  return base && PyType_Check(base) && PyType_IsSubtype(t, reinterpret_cast<PyTypeObject*>(base));
}

// A namedtuple class: a tuple subclass with _fields, a tuple of strs, and _make.
bool namedtuple_fields(PyTypeObject* t, std::vector<std::string>& fields) {
  if (t == &PyTuple_Type || !PyType_IsSubtype(t, &PyTuple_Type)) return false;
  PyObject* f = PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "_fields");
  bool ok = f && PyTuple_Check(f) && PyObject_HasAttrString(reinterpret_cast<PyObject*>(t), "_make");
  for (Py_ssize_t k = 0; ok && k < PyTuple_GET_SIZE(f); ++k) {
    PyObject* name = PyTuple_GET_ITEM(f, k);
    ok = PyUnicode_Check(name);
    if (ok) fields.push_back(PyUnicode_AsUTF8(name));
  }
  Py_XDECREF(f);
  PyErr_Clear();
  return ok;
}

// Why compiled code cannot hold the members of the enum class `t` ("" when it can): their
// values are its runtime representation, so they must be ints of 64 bits.
std::string enum_problem(PyTypeObject* t, PyObject* flag) {
  if (subclass_of(t, flag)) return "enum.Flag classes (their members combine into values that are not members)";
  PyObject* members = PyObject_GetAttrString(reinterpret_cast<PyObject*>(t), "__members__");
  PyObject* values = members ? PyMapping_Values(members) : nullptr;
  Py_XDECREF(members);
  std::string why = values ? "" : "an enum class without __members__";
  for (Py_ssize_t k = 0; values && why.empty() && k < PyList_GET_SIZE(values); ++k) {
    PyObject* v = PyObject_GetAttrString(PyList_GET_ITEM(values, k), "_value_");
    if (!v || !PyLong_Check(v) || PyBool_Check(v)) {
      why = std::string("enum members whose values are of type '") + (v ? Py_TYPE(v)->tp_name : "?") + "'";
    } else {
      int overflow = 0;
      PyLong_AsLongLongAndOverflow(v, &overflow);
      if (overflow) why = "enum members whose values do not fit in 64 bits";
    }
    Py_XDECREF(v);
  }
  Py_XDECREF(values);
  PyErr_Clear();
  return why;
}

}  // namespace

const ClassInfo* class_info(PyTypeObject* t) {
  auto& classes = by_class();
  auto it = classes.find(t);
  if (it != classes.end()) return it->second.get();
  static PyObject* enum_cls = enum_base("Enum");
  static PyObject* int_enum = enum_base("IntEnum");
  static PyObject* flag = enum_base("Flag");
  auto info = std::make_unique<ClassInfo>();
  if (namedtuple_fields(t, info->fields)) {
    info->kind = ClassInfo::NamedTuple;
  } else if (subclass_of(t, enum_cls)) {
    info->why = enum_problem(t, flag);
    info->kind = !info->why.empty() ? ClassInfo::Unsupported : subclass_of(t, int_enum) ? ClassInfo::IntEnum : ClassInfo::Enum;
  } else {
    return nullptr;  // not remembered: most types are never asked about twice
  }
  PyObject* cls = reinterpret_cast<PyObject*>(t);
  Py_INCREF(cls);
  info->cls = cls;
  std::string module = str_attr(cls, "__module__");
  std::string qualname = str_attr(cls, "__qualname__");
  info->name = (module.empty() ? "" : module + ".") + (qualname.empty() ? std::string(t->tp_name) : qualname);
  int64_t serial = 0;
  while (by_name().count({info->name, serial})) ++serial;
  info->serial = serial;
  by_name()[{info->name, serial}] = cls;
  return classes.emplace(t, std::move(info)).first->second.get();
}

PyObject* class_object(const Type* t) {
  auto it = by_name().find({t->name(), t->class_serial()});
  if (it != by_name().end()) return it->second;
  PyErr_Format(PyExc_TypeError,
               "cannot return a %s: this process has not seen its class (pass one as an argument, or "
               "read the class from a global, before calling)",
               t->str().c_str());
  return nullptr;
}

}  // namespace dn
