#include "capture.h"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace dn {

ConstValue const_from_python(const py::handle& obj) {
  ConstValue c;
  if (obj.is_none()) {
    c.kind = ConstValue::Kind::None;
  } else if (py::isinstance<py::bool_>(obj)) {
    c.kind = ConstValue::Kind::Bool;
    c.i = obj.cast<bool>();
  } else if (PyLong_CheckExact(obj.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(obj.ptr(), &overflow);
    if (overflow) {
      c.kind = ConstValue::Kind::BigInt;
      c.s = py::str(obj).cast<std::string>();
    } else {
      c.kind = ConstValue::Kind::Int;
      c.i = v;
    }
  } else if (PyFloat_CheckExact(obj.ptr())) {
    c.kind = ConstValue::Kind::Float;
    c.f = PyFloat_AS_DOUBLE(obj.ptr());
  } else if (PyComplex_CheckExact(obj.ptr())) {
    c.kind = ConstValue::Kind::Complex;
    c.f = PyComplex_RealAsDouble(obj.ptr());
    c.imag = PyComplex_ImagAsDouble(obj.ptr());
  } else if (PyUnicode_Check(obj.ptr())) {
    c.kind = ConstValue::Kind::Str;
    c.s = obj.cast<std::string>();
  } else if (PyTuple_Check(obj.ptr()) || PyFrozenSet_Check(obj.ptr())) {
    // A frozenset constant is a set literal's elements ({1, 2, 3}) or the right of `in`.
    c.kind = ConstValue::Kind::Tuple;
    for (auto item : obj) c.items.push_back(const_from_python(item));
  } else {
    c.kind = ConstValue::Kind::Other;
    c.s = Py_TYPE(obj.ptr())->tp_name;
  }
  return c;
}

GlobalValue global_from_python(const py::handle& classified) {
  auto t = classified.cast<py::tuple>();
  std::string kind = t[0].cast<std::string>();
  GlobalValue g;
  if (kind == "const") {
    g.kind = GlobalValue::Kind::Const;
    g.value = const_from_python(t[1]);
    if (g.value.kind == ConstValue::Kind::Other) {  // strs are values: frozen like numbers
      g.kind = GlobalValue::Kind::Unsupported;
      g.name = g.value.s;
    }
  } else if (kind == "module") {
    g.kind = GlobalValue::Kind::Module;
    g.name = t[1].cast<std::string>();
  } else if (kind == "function") {
    g.kind = GlobalValue::Kind::Function;
    g.name = t[1].cast<std::string>();
  } else if (kind == "number_class") {
    g.kind = GlobalValue::Kind::NumberClass;
    g.name = t[1].cast<std::string>();
  } else if (kind == "array") {
    // ("array", dtype name, shape, C-order bytes in native byte order): see classify.py.
    g.kind = GlobalValue::Kind::Array;
    g.name = t[1].cast<std::string>();
    g.shape = t[2].cast<std::vector<int64_t>>();
    g.data = std::make_shared<const std::string>(t[3].cast<std::string>());
  } else if (kind == "namedtuple_class" || kind == "enum_class" || kind == "enum_member" ||
             kind == "namedtuple_value") {
    // (kind, module.qualname, serial, value): see classify.py.
    g.kind = kind == "namedtuple_class" ? GlobalValue::Kind::NamedTupleClass
             : kind == "enum_class"     ? GlobalValue::Kind::EnumClass
             : kind == "enum_member"    ? GlobalValue::Kind::EnumMember
                                        : GlobalValue::Kind::NamedTupleValue;
    g.name = t[1].cast<std::string>();
    g.handle = t[2].cast<int64_t>();
    g.value = const_from_python(t[3]);
  } else if (kind == "dispatcher") {
    g.kind = GlobalValue::Kind::Dispatcher;
    g.handle = t[1].cast<int64_t>();
    g.name = t[2].cast<std::string>();
  } else {
    g.kind = GlobalValue::Kind::Unsupported;
    g.name = t[1].cast<std::string>();
  }
  return g;
}

std::shared_ptr<FunctionInfo> function_info_from_python(const py::dict& d) {
  auto info = std::make_shared<FunctionInfo>();
  info->name = d["name"].cast<std::string>();
  info->qualname = d["qualname"].cast<std::string>();
  info->module = d["module"].cast<std::string>();
  info->filename = d["filename"].cast<std::string>();
  info->python_version = d["python_version"].cast<int>();
  info->first_line = d["first_line"].cast<int>();
  info->source_lines = d["source_lines"].cast<std::map<int, std::string>>();
  info->argcount = d["argcount"].cast<int>();
  if (d.contains("kwonlyargcount")) info->kwonlyargcount = d["kwonlyargcount"].cast<int>();
  if (d.contains("varargs")) info->varargs = d["varargs"].cast<bool>();
  info->varnames = d["varnames"].cast<std::vector<std::string>>();
  info->handle = d["handle"].cast<int64_t>();
  for (auto item : d["code"]) {
    auto t = item.cast<py::tuple>();
    BytecodeInstr bi;
    bi.opname = t[0].cast<std::string>();
    bi.arg = t[1].cast<int>();
    bi.target = t[2].cast<int>();
    bi.name = t[3].cast<std::string>();
    bi.offset = t[4].cast<int>();
    bi.loc.line = t[5].cast<int>();
    bi.loc.end_line = t[6].cast<int>();
    bi.loc.col = t[7].cast<int>();
    bi.loc.end_col = t[8].cast<int>();
    info->code.push_back(std::move(bi));
  }
  if (d.contains("exception_table"))
    for (auto item : d["exception_table"]) {
      auto t = item.cast<py::tuple>();
      info->exception_table.push_back(
          {t[0].cast<int>(), t[1].cast<int>(), t[2].cast<int>(), t[3].cast<int>(), t[4].cast<bool>()});
    }
  for (auto c : d["consts"]) info->consts.push_back(const_from_python(c));
  for (auto kv : d["globals"].cast<py::dict>())
    info->globals[kv.first.cast<std::string>()] = global_from_python(kv.second);
  for (auto kv : d["cells"].cast<py::dict>())
    info->cells[kv.first.cast<std::string>()] = global_from_python(kv.second);
  if (d.contains("defaults"))
    for (auto kv : d["defaults"].cast<py::dict>())
      info->defaults[kv.first.cast<std::string>()] = global_from_python(kv.second);
  if (d.contains("generator")) info->generator = d["generator"].cast<bool>();
  if (d.contains("cellvars")) info->cellvars = d["cellvars"].cast<std::vector<std::string>>();
  if (d.contains("captured")) info->captured = d["captured"].cast<std::vector<std::string>>();
  if (d.contains("nested"))
    for (auto kv : d["nested"].cast<py::dict>())
      info->nested[kv.first.cast<int>()] = function_info_from_python(kv.second.cast<py::dict>());
  return info;
}

std::shared_ptr<const FunctionInfo> PythonProvider::function_info(int64_t handle) {
  py::object r = resolver_.attr("function_info")(handle);
  if (r.is_none()) return nullptr;
  return r.cast<std::shared_ptr<FunctionInfo>>();
}

GlobalValue PythonProvider::module_attribute(const std::string& module, const std::string& attr) {
  return global_from_python(resolver_.attr("module_attribute")(module, attr));
}

}  // namespace dn
