"""The Python side of a jitted function: compilation on a miss, explicit signatures,
object-mode fallback for @jit, and inspection. The call path itself is C++
(`_core.Dispatcher`), which forwards unknown attributes here."""
import os
import re
import sys
import threading
import types
import warnings

from . import _core
from .errors import ObjectModeWarning, ParallelWarning, TypingError, UnsupportedError

_registry = {}          # handle -> DispatcherImpl, for calls between jitted functions
_next_handle = [1]
_lock = threading.RLock()


class _Resolver:
    """Answers the compiler's questions that need Python (see FunctionProvider)."""

    @staticmethod
    def function_info(handle):
        impl = _registry.get(handle)
        return impl.info if impl is not None else None

    @staticmethod
    def module_attribute(module, attr):
        import sys
        mod = sys.modules.get(module)
        if mod is None or not hasattr(mod, attr):
            return ("unsupported", f"missing attribute {module}.{attr}")
        from .capture import classify
        return classify(getattr(mod, attr))


_resolver = _Resolver()

_NO_DEFAULT = object()  # a required parameter in DispatcherImpl._defaults


def parameters(fn):
    """(names, defaults) of fn's parameters, positional then keyword-only, as the C++
    dispatcher binds them: a default per parameter, _NO_DEFAULT where there is none. Frozen
    here, at decoration (as Numba does)."""
    code = fn.__code__
    n_pos, n = code.co_argcount, code.co_argcount + code.co_kwonlyargcount
    names = code.co_varnames[:n]
    pos_defaults = fn.__defaults__ or ()
    kw_defaults = fn.__kwdefaults__ or {}
    defaults = [_NO_DEFAULT] * (n_pos - len(pos_defaults)) + list(pos_defaults)
    defaults += [kw_defaults.get(name, _NO_DEFAULT) for name in names[n_pos:]]
    return names, tuple(defaults)


CO_VARARGS, CO_VARKEYWORDS = 0x04, 0x08  # code flags (as inspect's, without importing it)


def binding_probe(fn, defaults):
    """A function with fn's parameters, qualname and (frozen) defaults and an empty body:
    calling it raises exactly the TypeError Python raises for a call fn cannot bind, in the
    words of the running Python version."""
    code = fn.__code__
    n_pos, n_kw = code.co_argcount, code.co_kwonlyargcount
    names = list(code.co_varnames[:n_pos + n_kw])
    rest = list(code.co_varnames[n_pos + n_kw:])
    params = names[:code.co_posonlyargcount] + (["/"] if code.co_posonlyargcount else [])
    params += names[code.co_posonlyargcount:n_pos]
    if code.co_flags & CO_VARARGS:
        params.append("*" + rest.pop(0))
    elif n_kw:
        params.append("*")
    params += names[n_pos:]
    if code.co_flags & CO_VARKEYWORDS:
        params.append("**" + rest.pop(0))
    ns = {}
    exec(f"def probe({', '.join(params)}):\n    pass\n", ns)
    probe = ns["probe"]
    probe.__qualname__, probe.__name__ = fn.__qualname__, fn.__name__
    probe.__defaults__ = tuple(d for d in defaults[:n_pos] if d is not _NO_DEFAULT) or None
    probe.__kwdefaults__ = {k: d for k, d in zip(names[n_pos:], defaults[n_pos:])
                            if d is not _NO_DEFAULT} or None
    return probe


def compiler():
    """dunnart._compiler (LLVM), imported by the first compile: calls that the disk cache
    serves never load it."""
    from . import _compiler
    return _compiler


_preloading = []


def preload_compiler():
    """Starts loading dunnart._compiler on a background thread (once): called when a
    function is declared that will compile at its first call, so that loading LLVM overlaps
    whatever the program does before that call."""
    if _preloading or "dunnart._compiler" in sys.modules:
        return
    _preloading.append(True)
    core = _core.__file__
    path = os.path.join(os.path.dirname(core), "_compiler" + os.path.basename(core)[len("_core"):])
    if os.path.exists(path):
        import atexit
        _core.preload_compiler(path)
        atexit.register(_core.wait_compiler_preload)
        # A fork while the loading thread is inside dlopen would leave the child with the
        # dynamic loader's lock held forever: forks wait for the load (at most ~15 ms).
        os.register_at_fork(before=_core.wait_compiler_preload)


_WEAK_TWINS = {"int": "int64", "float": "float64", "complex": "complex128"}


def _same_type(arg, declared):
    """Whether an argument's type is the declared one (a Python int is an int64)."""
    a, d = str(arg), str(declared)
    return a == d or _WEAK_TWINS.get(a) == d


class DispatcherImpl:
    def __init__(self, py_func, options, signatures=(), nopython=True, cache=False):
        self.py_func = py_func
        self.options = dict(options)
        # cache=True: the disk cache (dunnart/cache/); not of generators (a frame's size is
        # not part of a cache entry).
        self.cache = cache and not py_func.__code__.co_flags & 0x20  # CO_GENERATOR
        self._cache_keys = {}       # (arg types, return type) -> (key, components), cache/__init__.py
        dump = os.environ.get("DUNNART_DUMP", "")
        if dump:
            self.options["dump"] = dump
        self.nopython = nopython
        self.qualname = py_func.__qualname__
        self._names, self._defaults = parameters(py_func)
        code = py_func.__code__
        # The names of the compiled function's arguments: *args's tuple comes last.
        self._arg_names = self._names + ((code.co_varnames[len(self._names)],)
                                         if code.co_flags & CO_VARARGS else ())
        self._probe_fn = None
        self._star_warned = False
        with _lock:
            self.handle = _next_handle[0]
            _next_handle[0] += 1
            _registry[self.handle] = self
        self._info = None
        self._captured = None
        self._inspect = {}       # arg Types -> Compiled recompiled for inspection of cache hits
        self._cache_hits = 0
        self._by_types = {}      # tuple of arg Types -> Compiled
        self._fallback = set()   # signatures that run in object mode
        self._explicit = []      # [(arg Types, Compiled)] from explicit signatures
        self._compile_seconds = 0.0
        self._compiles = 0
        self._call_compiles = 0  # calls that had to compile (not hits)
        self.dispatcher = None   # set by the decorator: the _core.Dispatcher
        for sig in signatures:
            self._compile_signature(sig)

    @staticmethod
    def callee(handle):
        """The DispatcherImpl with this handle (a jitted function whose handle a capture or
        the cache key classified), or None: the cache key (cache/key.py) hashes callees'
        keys through it."""
        return _registry.get(handle)

    # -- compilation ---------------------------------------------------------------
    @property
    def captured(self):
        """capture()'s dict, frozen at first use (the compiler and the cache key read it)."""
        if self._captured is None:
            from .capture import capture  # dis and friends: imported by the first compile
            self._captured = capture(self.py_func, self.handle)
        return self._captured

    @property
    def info(self):
        if self._info is None:
            self._info = compiler().FunctionInfo(self.captured)
        return self._info

    def _compile(self, arg_types, return_type=None):
        with _lock:
            compiled = self._by_types.get(arg_types)
            if compiled is not None and return_type is None:
                return compiled
            key = None
            if self.cache and "dump" not in self.options:  # DUNNART_DUMP: always compile
                from . import cache  # a miss compiles: unsupported functions raise there
                compiled, key, components = cache.lookup(self, arg_types, return_type)
                if compiled is not None:
                    self._cache_hits += 1
                    self._by_types[arg_types] = compiled
                    return compiled
            from . import blas
            blas.ensure_registered()
            extra = {"want_object": True} if key is not None else {}
            compiled = compiler().compile(self.info, list(arg_types), return_type, self.options, _resolver,
                                     **extra)
            self._warn_races(compiled)
            if key is not None:
                cache.save(key, components, arg_types, return_type, compiled)
            self._compiles += 1
            self._compile_seconds += compiled.compile_seconds
            self._by_types[arg_types] = compiled
            return compiled

    def _warn_races(self, compiled):
        """A ParallelWarning for each write of a parallel loop that threads may race for,
        at its line of the source."""
        for message in compiled.parallel_warnings:
            m = re.match(r"line (\d+): ", message)
            warnings.warn_explicit(message[m.end():] if m else message, ParallelWarning,
                                   self.py_func.__code__.co_filename, int(m.group(1)) if m else
                                   self.py_func.__code__.co_firstlineno)

    def _compile_signature(self, sig):
        if not isinstance(sig, str):
            raise TypeError(f"signatures must be strings such as 'float64(float64[:])', got {sig!r}")
        ret, args = _core.parse_signature(sig)
        n = len(self._arg_names)
        if len(args) != n:
            raise TypeError(f"signature {sig!r} has {len(args)} arguments but "
                            f"{self.qualname}() takes {n}")
        compiled = self._compile(tuple(args), ret)
        self._explicit.append((tuple(args), compiled))

    def _arg_types(self, args):
        names = self._arg_names
        return tuple(_core.typeof(a, f"argument {i + 1} ('{names[i]}') of {self.qualname}()")
                     for i, a in enumerate(args))

    def _compile_for(self, args):
        """Called by the C++ dispatcher on a miss: the Compiled for these arguments, or a
        callable to run instead (object mode)."""
        types = self._arg_types(args)
        if self._explicit:
            # The signature that needs the fewest conversions (3 picks int64(int64) over
            # float64(float64), as Numba does); declaration order breaks ties.
            best, best_exact = None, -1
            for sig_types, compiled in self._explicit:
                if all(_core.can_convert(a, s) for a, s in zip(types, sig_types)):
                    exact = sum(_same_type(a, s) for a, s in zip(types, sig_types))
                    if exact > best_exact:
                        best, best_exact = compiled, exact
            if best is not None:
                return best
            raise TypeError(
                f"No matching definition for argument types ({', '.join(map(str, types))}) of "
                f"{self.qualname}(); compiled signatures: "
                + "; ".join("(" + ", ".join(map(str, s)) + ")" for s, _ in self._explicit))
        if types in self._fallback:
            return self.py_func
        if self.cache and not self.nopython:
            from . import cache
            reason = cache.remembered_fallback(self, types)
            if reason is not None:  # an earlier process found it cannot compile: do not retry
                return self._fall_back(types, reason)
        try:
            if types not in self._by_types:
                self._call_compiles += 1
            compiled = self._compile(types)
            if compiled.resumes_generator:
                # A generator function called from Python: a Python iterator whose next()
                # resumes the compiled generator (its frame is the iterator's).
                return lambda *_, **__: _core.CompiledGenerator(compiled, tuple(args))
            return compiled
        except (TypingError, UnsupportedError) as e:
            if self.nopython:
                raise
            if self.cache:
                from . import cache
                cache.remember_fallback(self, types, str(e))
            return self._fall_back(types, str(e))

    def _fall_back(self, types, reason):
        """Object mode for these argument types (@jit), with one ObjectModeWarning."""
        warnings.warn(ObjectModeWarning(
            f"{self.qualname}{tuple(map(str, types))} runs in object mode (the interpreter) "
            f"because it cannot be compiled in nopython mode:\n{reason}"), stacklevel=3)
        self._fallback.add(types)
        return self.py_func

    @property
    def _probe(self):
        if self._probe_fn is None:
            self._probe_fn = binding_probe(self.py_func, self._defaults)
        return self._probe_fn

    def _bind_error(self, args, kwargs):
        """Called by the C++ dispatcher for a call it cannot bind: Python's own TypeError."""
        self._probe(*args, **kwargs)
        from .errors import InternalError
        raise InternalError(f"dunnart refused a call of {self.qualname}() that Python accepts: "
                            f"args={args!r}, kwargs={kwargs!r}")

    def _call_star(self, args, kwargs):
        """Every call of a function with *args or **kwargs parameters: not compiled (an
        UnsupportedError for @njit, the interpreter for @jit)."""
        self._probe(*args, **kwargs)  # a bad call: Python's TypeError
        from .capture import check_supported
        try:
            check_supported(self.py_func)
        except UnsupportedError as e:
            if self.nopython:
                raise
            if not self._star_warned:
                self._star_warned = True
                warnings.warn(ObjectModeWarning(
                    f"{self.qualname}() runs in object mode (the interpreter) because it cannot "
                    f"be compiled in nopython mode:\n{e}"), stacklevel=3)
        return self.py_func(*args, **kwargs)

    # -- inspection ------------------------------------------------------------------
    @property
    def signatures(self):
        return [tuple(t) for t in self._by_types]

    @property
    def stats(self):
        calls = self.dispatcher._hits if self.dispatcher else 0
        return {"compiles": self._compiles, "hits": calls - self._call_compiles,
                "compile_seconds": self._compile_seconds, "cache_hits": self._cache_hits}

    def _select(self, signature):
        items = self._by_types.items() if signature is None else \
            [(tuple(signature), self._by_types[tuple(signature)])]
        return [(k, self._for_inspection(k, c)) for k, c in items]

    def _for_inspection(self, arg_types, compiled):
        """Code loaded from the disk cache has no IR to show: compile it again (once)."""
        if compiled.llvm_ir or compiled.compile_seconds:
            return compiled
        with _lock:
            if arg_types not in self._inspect:
                self._inspect[arg_types] = compiler().compile(self.info, list(arg_types), None,
                                                         self.options, _resolver)
            return self._inspect[arg_types]

    def inspect_types(self, signature=None):
        return {tuple(k): c.typed_ir for k, c in self._select(signature)}

    def inspect_llvm(self, signature=None):
        return {tuple(k): c.llvm_ir for k, c in self._select(signature)}

    def parallel_diagnostics(self, signature=None, level=1):
        """Which prange loops, range loops and array reductions of each compiled signature
        run on several threads, and why prange loops run serially (level=2: range loops
        too); printed, as Numba's, and returned."""
        lines = []
        for k, c in self._select(signature):
            lines.append(f"{self.qualname}({', '.join(str(t) for t in k)}):")
            notes = list(c.parallel_notes) if self.options.get("parallel") else []
            if not self.options.get("parallel"):
                lines.append("  compiled without parallel=True: prange runs as range")
            elif not notes:
                lines.append("  no prange loops")
            # Level 1: what prange and array expressions became; 2: why range loops stay serial.
            lines.extend("  " + n for n in notes
                         if level >= 2 or not (": the range loop" in n and "runs serially" in n))
        text = "\n".join(lines) if lines else f"{self.qualname}: not compiled yet"
        print(text)
        return text

    def inspect_asm(self, signature=None):
        return {tuple(k): c.assembly or compiler().assembly_from_ir(c.llvm_ir)
                for k, c in self._select(signature)}

    @property
    def __wrapped__(self):
        return self.py_func

    @property
    def __name__(self):
        return self.py_func.__name__

    def _repr(self):
        return f"<dunnart.Dispatcher {self.qualname}>"


_OPTIONS = {"fastmath", "boundscheck", "nogil", "parallel", "error_model", "cache", "inline",
            "nopython", "forceobj", "looplift", "debug", "locals", "no_cpython_wrapper"}


def make_decorator(nopython_default):
    def decorator(*args, **options):
        unknown = set(options) - _OPTIONS
        if unknown:
            raise TypeError(f"unknown option(s) {', '.join(sorted(unknown))}; supported: "
                            + ", ".join(sorted(_OPTIONS)))
        if options.get("error_model", "python") not in ("python", "numpy"):
            raise ValueError("error_model must be 'python' or 'numpy'")
        nopython = options.pop("nopython", nopython_default) and not options.pop("forceobj", False)
        cache = bool(options.pop("cache", False))
        for ignored in ("inline", "looplift", "debug", "locals", "no_cpython_wrapper"):
            options.pop(ignored, None)  # accepted for Numba compatibility; see README

        def wrap(fn, signatures=()):
            if isinstance(fn, _core.Dispatcher):
                fn = fn.py_func
            if isinstance(fn, types.MethodType):
                raise TypeError(
                    f"dunnart cannot compile a bound method ({fn.__func__.__qualname__} of a "
                    f"'{type(fn.__self__).__name__}' object): njit the function itself (at module "
                    f"level or as a @staticmethod) and pass the values it needs from the object as "
                    f"arguments")
            if not isinstance(fn, types.FunctionType):
                raise TypeError(f"dunnart can only compile Python functions, not {type(fn).__name__}")
            impl = DispatcherImpl(fn, options, (), nopython, cache)
            if not cache and not signatures:
                preload_compiler()
            code = fn.__code__
            d = _core.Dispatcher(impl, impl._names, code.co_argcount, code.co_posonlyargcount,
                                 impl._defaults, _NO_DEFAULT, bool(code.co_flags & CO_VARKEYWORDS),
                                 bool(code.co_flags & CO_VARARGS))
            impl.dispatcher = d
            for sig in signatures:
                impl._compile_signature(sig)
            return d

        if len(args) == 1 and callable(args[0]) and not isinstance(args[0], str):
            return wrap(args[0])
        sigs = ()
        if args:
            sigs = args[0] if isinstance(args[0], (list, tuple)) else (args[0],)
        return lambda fn: wrap(fn, sigs)

    return decorator
