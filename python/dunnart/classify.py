"""What a global or closure value is, as the compiler sees it (GlobalValue in
function_info.h). Used by capture() at compile time and by the disk cache's key on every
lookup, so importing this module imports neither `dis` nor NumPy: NumPy is consulted only
when it is already in sys.modules (if it was never imported, no value can be a NumPy
object)."""
import builtins
import math
import sys

from . import _core

_ModuleType = type(sys)
_SCALARS = (bool, int, float, complex)


def _numpy():
    return sys.modules.get("numpy")


def _library_name(obj):
    """The qualified name ("math.exp", "numpy.zeros", "builtins.len") of a library function
    typing knows by name, or None. Looks the object up by its own name: no module scans
    (dir(numpy) would import NumPy's lazy submodules)."""
    from . import prange
    if obj is prange:
        return "dunnart.prange"
    name = getattr(obj, "__name__", None)
    if not isinstance(name, str):
        return None
    np = _numpy()
    modules = ((builtins, "builtins."), (math, "math."))
    if np is not None:
        modules += ((np, "numpy."),)
    for module, prefix in modules:
        try:
            if getattr(module, name, None) is obj:
                return prefix + name
        except Exception:
            pass
    if np is not None and isinstance(obj, np.ufunc):  # aliases such as np.abs -> absolute
        return "numpy." + name if hasattr(np, name) else None
    return None


def classify(obj):
    """What a global value is, as the compiler sees it (see GlobalValue in function_info.h)."""
    if isinstance(obj, _core.Dispatcher):
        impl = obj._impl
        return ("dispatcher", impl.handle, impl.qualname)
    if isinstance(obj, _ModuleType):
        return ("module", obj.__name__)
    if obj is None or isinstance(obj, _SCALARS):
        return ("const", obj)
    if isinstance(obj, tuple) and all(x is None or isinstance(x, _SCALARS) for x in obj):
        return ("const", obj)
    if obj in (int, float, bool, complex):
        return ("number_class", obj.__name__)
    np = _numpy()
    if np is not None:
        if isinstance(obj, type) and issubclass(obj, np.generic):
            try:
                return ("number_class", np.dtype(obj).name)
            except TypeError:
                pass
        if isinstance(obj, np.generic) and obj.dtype.kind in "biufc":
            return ("const", obj.item())
    name = _library_name(obj)
    if name is not None:
        return ("function", name)
    if callable(obj) and isinstance(getattr(obj, "__name__", None), str):
        module = getattr(obj, "__module__", None) or ""
        return ("unsupported", f"function {module + '.' if module else ''}{obj.__name__}")
    return ("unsupported", type(obj).__name__)
