// Classes whose instances dunnart types by their class: namedtuples (collections.namedtuple,
// typing.NamedTuple) and enums (enum.Enum, enum.IntEnum). Each class seen gets a serial
// among the classes of its module.qualname, 0 for the first: its types are then the same in
// every process that sees one class of that name (the disk cache's keys), and two classes
// of one name (redefined in a loop, say) are still two types, boxed as their own class.
#pragma once

#include <Python.h>

#include <string>
#include <vector>

#include "jit/types/type.h"

namespace dn {

struct ClassInfo {
  enum Kind { NamedTuple, Enum, IntEnum, Unsupported };
  Kind kind = Unsupported;
  PyObject* cls = nullptr;  // a strong reference, kept for the process
  std::string name;         // module.qualname
  int64_t serial = 0;
  std::vector<std::string> fields;  // a namedtuple's
  std::string why;                  // Unsupported: what the class has that dunnart cannot compile
};

// The class info of `cls` when it is a namedtuple or enum class (numbered on first sight),
// else null. Never sets a Python error.
const ClassInfo* class_info(PyTypeObject* cls);

// The class a namedtuple or enum member type stands for (borrowed), or null with a
// TypeError set when this process has seen no such class.
PyObject* class_object(const Type* t);

}  // namespace dn
