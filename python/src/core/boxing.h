// Conversion between Python objects and the memory layout compiled code reads and writes
// (jit/types/abi_layout.h): unboxing of arguments and boxing of results.
#pragma once

#include <unordered_map>
#include <vector>

#include "numpy_api.h"
#include "jit/types/type.h"

namespace dn {

// Writes `obj` as a value of type `t` at `dst`. Returns false with a Python error set.
// Arrays are borrowed: `obj` must outlive the call.
bool unbox(PyObject* obj, const Type* t, void* dst, const char* what);

// Lists, dicts and sets passed as arguments become DnLists and DnDicts for the call (held
// by the runtime's arena) and are written back into the Python object afterwards, as
// Numba's reflected lists are. One Reflection per call records them; box() returns such a
// container as the argument itself.
class Reflection {
 public:
  Reflection();
  ~Reflection();
  // Writes each container's contents back into its Python object (a list: the elements
  // that changed, and the length; a dict or set: all of it, when the code changed it).
  // False with a Python error set when boxing an element fails.
  bool reflect();

  struct Entry {
    PyObject* obj;
    void* container;  // DnList* or DnDict*
    const Type* type;
    int64_t version;  // a DnDict's when the call began
  };
  std::vector<Entry> entries;
  void add(const Entry& e);
  // The entry of a Python object (one reached twice is unboxed once), of a container.
  const Entry* of_object(PyObject* obj) const;
  const Entry* of_container(const void* container) const;
  std::unordered_map<const void*, PyObject*> boxed_lists;  // DnList -> its Python list (in kept)
  // Python objects list elements borrow (arrays, strs, inner lists), held until the call's
  // result is boxed.
  std::vector<PyObject*> kept;

 private:
  Reflection* outer_;
  std::unordered_map<PyObject*, size_t> by_object_;      // indices into entries
  std::unordered_map<const void*, size_t> by_container_;
};

// A new Python object for the value of type `t` at `src` (null with an error set).
// Arrays allocated by compiled code become ndarrays that own a reference to their memory.
PyObject* box(const Type* t, const void* src);

}  // namespace dn
