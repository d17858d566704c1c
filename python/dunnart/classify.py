"""What a global or closure value is, as the compiler sees it (GlobalValue in
function_info.h). Used by capture() at compile time and by the disk cache's key on every
lookup, so importing this module imports neither `dis` nor NumPy: NumPy is consulted only
when it is already in sys.modules (if it was never imported, no value can be a NumPy
object)."""
import builtins
import enum
import math
import sys

from . import _core

_ModuleType = type(sys)
_SCALARS = (bool, int, float, complex)
# dtypes a global array may have (NumPy's names, as jit/types knows them).
_ARRAY_DTYPES = frozenset(("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                           "uint64", "float32", "float64", "complex64", "complex128"))


def _numpy():
    return sys.modules.get("numpy")


def _library_name(obj):
    """The qualified name ("math.exp", "numpy.zeros", "builtins.len") of a library function
    typing knows by name, or None. Looks the object up by its own name: no module scans
    (dir(numpy) would import NumPy's lazy submodules)."""
    from . import get_num_threads, get_thread_id, prange, set_num_threads
    if obj is prange:
        return "dunnart.prange"
    if obj is get_num_threads or obj is set_num_threads or obj is get_thread_id:
        return "dunnart." + obj.__name__
    intrinsics = sys.modules.get(__package__ + ".intrinsics")  # the helpers' runtime operations
    name = getattr(obj, "__name__", None)
    if intrinsics is not None and name in intrinsics.NAMES and obj is getattr(intrinsics, name):
        return "dunnart.intrinsics." + name
    typed = sys.modules.get(__package__ + ".typed")  # not imported: obj is not one of its classes
    if typed is not None and (obj is typed.List or obj is typed.Dict):  # lists and dicts in compiled code
        return "dunnart.typed." + obj.__name__
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
    random = sys.modules.get("numpy.random")  # np.random.normal: a method of its global RandomState
    if random is not None and getattr(obj, "__module__", None) == "numpy.random" and getattr(random, name, None) is obj:
        return "numpy.random." + name
    tricks = sys.modules.get("numpy.lib.stride_tricks")  # as_strided, sliding_window_view
    if tricks is not None and name in ("as_strided", "sliding_window_view") and getattr(tricks, name, None) is obj:
        return "numpy.lib.stride_tricks." + name
    if np is not None and isinstance(obj, np.ufunc):  # aliases such as np.abs -> absolute
        return "numpy." + name if hasattr(np, name) else None
    return None


def _frozen_array(np, a):
    """("array", dtype, shape, bytes): the array's values in C order and native byte order,
    frozen into the compiled code as a read-only constant (as Numba does)."""
    dt = a.dtype
    native = dt if dt.isnative else dt.newbyteorder("=")
    if dt.fields is not None or dt.subdtype is not None or native.name not in _ARRAY_DTYPES:
        return ("unsupported", f"numpy array of dtype {dt}")
    data = np.ascontiguousarray(a, dtype=native).tobytes()
    return ("array", native.name, tuple(int(n) for n in a.shape), data)


def _named_class(cls):
    """A namedtuple or enum class as GlobalValue's NamedTupleClass / EnumClass (values.h),
    ("unsupported", why) for an enum whose members compiled code cannot hold, or None."""
    key = _core.class_key(cls)
    if key is None:
        return None
    kind, name, serial, why = key
    if kind == "unsupported":
        return ("unsupported", f"enum class {name} ({why})")
    if kind == "namedtuple":
        defaults = tuple(cls._field_defaults[f] for f in cls._fields if f in cls._field_defaults)
        return ("namedtuple_class", name, serial, (tuple(cls._fields), defaults))
    members = tuple((n, m._value_) for n, m in cls.__members__.items())
    return ("enum_class", name, serial, (kind == "int_enum", members))


def classify(obj):
    """What a global value is, as the compiler sees it (see GlobalValue in function_info.h)."""
    if isinstance(obj, enum.Enum):  # before numbers: an IntEnum member is an int
        c = _named_class(type(obj))
        if c is None or c[0] == "unsupported":
            return c or ("unsupported", type(obj).__name__)
        return ("enum_member", c[1], c[2], c[3] + (obj._name_,))
    if isinstance(obj, type) and (issubclass(obj, enum.Enum) or issubclass(obj, tuple)):
        c = _named_class(obj)
        if c is not None:
            return c
    np = _numpy()
    if np is not None and isinstance(obj, np.ndarray):  # before any ==: arrays compare elementwise
        return _frozen_array(np, obj)
    if isinstance(obj, _core.Dispatcher):
        impl = obj._impl
        return ("dispatcher", impl.handle, impl.qualname)
    if isinstance(obj, _ModuleType):
        return ("module", obj.__name__)
    if np is not None and isinstance(obj, np.generic) and obj.dtype.kind in "biufc":
        return ("const", obj.item())  # before _SCALARS: np.float64 is a float subclass
    if obj is None or isinstance(obj, _SCALARS) or type(obj) is str:
        return ("const", obj)
    if isinstance(obj, tuple) and all(x is None or isinstance(x, _SCALARS) or type(x) is str for x in obj):
        c = _named_class(type(obj)) if type(obj) is not tuple else None
        if c is not None:  # a namedtuple of numbers: a constant that keeps its class
            return ("namedtuple_value", c[1], c[2], (c[3][0], tuple(obj)))
        return ("const", obj)
    if any(obj is t for t in (int, float, bool, complex)):  # identity: == may be anything
        return ("number_class", obj.__name__)
    if np is not None:
        if isinstance(obj, type) and issubclass(obj, np.generic):
            try:
                return ("number_class", np.dtype(obj).name)
            except TypeError:
                pass
        if isinstance(obj, np.dtype) and obj.isnative and obj.name in _ARRAY_DTYPES:
            return ("number_class", obj.name)  # DT = np.dtype("f4"): as np.float32
    name = _library_name(obj)
    if name is not None:
        return ("function", name)
    if isinstance(obj, type) and issubclass(obj, BaseException):
        # A user's exception class: compiled code never raises one, so `except` of it
        # catches nothing there (and `raise` of it is reported).
        return ("function", f"exception_class.{obj.__module__}.{obj.__qualname__}")
    if callable(obj) and isinstance(getattr(obj, "__name__", None), str):
        module = getattr(obj, "__module__", None) or ""
        return ("unsupported", f"function {module + '.' if module else ''}{obj.__name__}")
    return ("unsupported", type(obj).__name__)
