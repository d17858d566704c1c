// The runtime's sort hook (dn_set_sort_hook): NumPy's own sort of a line of compiled code's
// memory, through a view, with the GIL taken for the call (compiled code may run without).
#include <cstring>

#include "numpy_api.h"
#include "runtime/abi.h"

namespace dn {

int32_t sort_in_python(void* line, int32_t dtype, int32_t stable, int64_t* indices) {
  if (dtype < 0 || dtype >= DN_COMPLEX64) return 1;
  PyGILState_STATE gil = PyGILState_Ensure();
  int32_t status = 1;
  if (numpy_loaded()) {
    npy_intp n = npy_intp(dn_array_shape(line)[0]);
    PyObject* view = numpy_view(line, dtype, 1, indices ? 0 : NPY_ARRAY_WRITEABLE);
    auto* a = reinterpret_cast<PyArrayObject*>(view);
    NPY_SORTKIND kind = stable ? NPY_STABLESORT : NPY_QUICKSORT;
    if (view && !indices) {
      status = PyArray_Sort(a, 0, kind) == 0 ? 0 : 1;
    } else if (view) {
      PyObject* order = PyArray_ArgSort(a, 0, kind);
      if (order && PyArray_TYPE(reinterpret_cast<PyArrayObject*>(order)) == NPY_INTP && sizeof(npy_intp) == 8) {
        std::memcpy(indices, PyArray_DATA(reinterpret_cast<PyArrayObject*>(order)), size_t(n) * 8);
        status = 0;
      }
      Py_XDECREF(order);
    }
    Py_XDECREF(view);
  }
  if (status != 0) PyErr_Clear();
  PyGILState_Release(gil);
  return status;
}

}  // namespace dn
