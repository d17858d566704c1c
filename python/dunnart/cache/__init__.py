"""The disk cache behind cache=True (see DESIGN.md, "Disk cache"): what the dispatcher
calls (lookup, save, remembered_fallback, remember_fallback) and the cache of one process
(DiskCache) that serves them. The package is in layers; a module imports only modules of
the layers below its own (tests/python/test_cache_layers.py):

  4  __init__.py  the process's cache: its state, the hit,    cli.py  `dunnart cache`
                  and the order of things (below)
  3  writes.py    opening for writing (the directory and its fallbacks), storing,
                  evicting, removing bad entries, object-mode fallbacks
  2  index.py     the SQLite index (folds the hit log when opened)
  1  objects.py   writing object files and key links           hitlog.py  hit counts without SQLite
  0  layout.py    paths, file names and formats, reading one   key.py  the cache key of a function
                  entry, which directories and files are safe

writes.py takes the DiskCache as an argument and does not import this module; this
module sequences the two sides: a miss opens the cache for the store that follows (and
looks in the directory that picks), a bad entry is a warning and is dropped, and the hits
are written at exit. Every problem (unwritable directory, corrupt index or object, full
disk) becomes a warning and a compile, never an exception or a wrong answer.

A hit reads no index: keys/<key> -> objects/<sha256>.o, the file checked against its
name, the metadata trailer against the signature, then _core.load_object. A process that
only hits imports this module, layout.py and key.py (hitlog.py at exit): no SQLite, NumPy,
dis or hashlib, and not the write path, which the methods below import at the first
miss, store or bad entry. (The hit stays in this module, not in one of its own under it,
because each module on the hit path costs about 50 microseconds of a hit of about one
millisecond.)"""
import os
import threading
import time
import warnings

from .. import _core
from ..errors import CacheWarning
from . import key as keys
from .layout import (CorruptObject, UnsafeObject, arg_text, configured_root, fallback_path, link_path,
                     object_path, read_link, read_object, unpack, unsafe_directory, versioned)

__all__ = ["get_cache", "lookup", "save", "remember_fallback", "remembered_fallback"]


def _warn(message):
    warnings.warn(CacheWarning(message), stacklevel=4)


class DiskCache:
    """The disk cache of one process. mode: "disk" (read and write), "readonly" (hits
    only) or "memory" (no files). Until the first miss or store (`opened`, by
    writes.open_for_writing), hits come from the configured directory without any check
    of it."""

    def __init__(self):
        self.lock = threading.RLock()
        self.memo = {}          # key -> Compiled loaded or compiled in this process
        self.opened = False
        self.mode = "memory"
        self.directory = None   # the directory stores go to, once opened
        self.source = None
        self.index = None       # its index.Index (set by writes.py)
        self.objects = None     # its objects.ObjectStore (set by writes.py)
        self.warned_write = False
        self.pid = os.getpid()
        self.hit_dir = None     # the configured directory, for hits before opening
        self.pending_hits = []  # (directory, key, compile_ms, time), written at exit
        self.pending_misses = 0
        self.flush_registered = False

    def check_fork(self):
        """Forgets what a forked child must not share with its parent (called under the
        lock before any use)."""
        if self.pid != os.getpid():  # a forked child: SQLite connections must not cross fork()
            self.pid = os.getpid()
            self.opened = False
            self.index = None
            self.mode = "memory"
            self.directory = None
            self.objects = None
            self.pending_hits = []
            self.pending_misses = 0

    # -- the write side (writes.py, imported by the first miss, store or bad entry) ----
    def _open(self, quiet=False):
        from . import writes
        writes.open_for_writing(self, quiet)

    def _drop(self, directory, key, bad_object):
        from . import writes
        writes.drop(self, directory, key, bad_object)

    def save(self, key, components, arg_types, return_type, compiled):
        from . import writes
        writes.save(self, key, components, arg_types, return_type, compiled)

    def remember_fallback(self, key, reason):
        from . import writes
        writes.remember_fallback(self, key, reason)

    # -- lookups -------------------------------------------------------------------
    def load(self, key, function, arg_types, nogil):
        """The Compiled for `key`, or None (a miss). function: module.qualname, for
        warnings."""
        with self.lock:
            self.check_fork()
            compiled = self.memo.get(key)
            if compiled is not None:
                return compiled
            if self.opened:
                directory = self.directory
            else:
                if self.hit_dir is None:
                    self.hit_dir = versioned(configured_root()[0])
                directory = self.hit_dir
            compiled = self._load_from(directory, key, function, arg_types, nogil) if directory else None
            if compiled is None and not self.opened:
                # A miss: open for the store that follows; the directory it picks (a
                # fallback) may hold the entry.
                self._open()
                if self.directory and self.directory != directory:
                    directory = self.directory
                    compiled = self._load_from(directory, key, function, arg_types, nogil)
            if compiled is None:
                self.pending_misses += 1
                self._register_flush()
                return None
            self.memo[key] = compiled
            return compiled

    def _load_from(self, directory, key, function, arg_types, nogil):
        """Compiled or None; a bad entry is a warning, is removed, and is a miss. A
        directory another user could write is a miss without a look inside (opening the
        cache for the store that follows says why, once)."""
        if unsafe_directory(directory):
            return None
        name = None
        try:
            name = read_link(directory, key)
            if name is None:
                return None
            path = object_path(directory, name)
            try:
                data = read_object(directory, name, to_load=True)
            except FileNotFoundError:
                if not os.path.lexists(link_path(directory, key)):
                    return None  # evicted by another process since the readlink
                raise CorruptObject(f"{path} is missing") from None
            elf, meta = unpack(data)
            if meta.get("arg_types") != arg_text(arg_types):
                raise CorruptObject(f"{path} was compiled for other argument types "
                                    f"({meta.get('signature', meta.get('arg_types'))})")
            if meta.get("key") != key:
                raise CorruptObject(f"{path} belongs to another key")
            ret = _core.decode_type(meta.get("return_type", ""))
            symbol = meta.get("symbol")
            if ret is None or not symbol:
                raise CorruptObject(f"{path} has no return type or symbol in its metadata", bad_file=True)
            try:
                compile_ms = float(meta.get("compile_ms", 0.0))
            except ValueError:
                compile_ms = 0.0
            try:
                compiled = _core.load_object(elf, list(arg_types), ret, symbol, nogil)
            except Exception as e:  # object code the loader cannot link
                raise CorruptObject(f"{path} cannot be loaded: {e}", bad_file=True) from None
            if b"dn_matmul" in elf:  # calls the runtime's matmul: give it NumPy's BLAS
                from .. import blas
                blas.ensure_registered()
        except CorruptObject as e:
            sig = "(" + ", ".join(str(t) for t in arg_types) + ")"
            what = "is not safe to load" if isinstance(e, UnsafeObject) else "is corrupt"
            _warn(f"dunnart cache entry {key[:16]} for {function}{sig} {what} ({e}); it has "
                  f"been removed and the function is recompiled")
            self._drop(directory, key, name if e.bad_file else None)
            return None
        # Hits are written at exit (or before the next store) in one transaction, so the
        # hit path reads no index.
        self.pending_hits.append((directory, key, compile_ms, time.time()))
        self._register_flush()
        return compiled

    def _register_flush(self):
        if not self.flush_registered:
            import atexit
            atexit.register(self.flush_hits)
            self.flush_registered = True

    def flush_hits(self):
        """Writes the hits and misses counted since the last flush: into the index when
        this process has it open (it stored something), else appended to the directory's
        hit log (hitlog.py), which costs a process that only hit no SQLite at all."""
        with self.lock:
            if self.pid != os.getpid():
                return
            hits, misses = self.pending_hits, self.pending_misses
            self.pending_hits, self.pending_misses = [], 0
            if not hits and not misses:
                return
            if self.index is None:
                from . import hitlog
                dirs = {d for d, _, _, _ in hits} or {self.hit_dir}
                full = False
                # Never append to a directory another user controls (hits.log could be a
                # link to one of this user's files).
                for n, d in enumerate(sorted(d for d in dirs if d and not unsafe_directory(d))):
                    full |= hitlog.append(d, [(k, ms, t) for dd, k, ms, t in hits if dd == d],
                                          misses if n == 0 else 0, time.time())
                if full:  # opening the index folds the log (index.py)
                    try:
                        self._open(quiet=True)
                    except Exception:
                        pass
                return
            import sqlite3  # the index is open, so SQLite is loaded already
            try:
                mine = [(k, ms, t) for d, k, ms, t in hits if d == self.directory]
                self.index.record_hits(mine, misses)
            except (OSError, sqlite3.Error):
                pass

    # -- object-mode fallbacks (@jit) ------------------------------------------------
    def fallback_reason(self, key):
        """The typing error that made an earlier process run `key` in object mode, or
        None: `fallbacks/<key>` holds its text (the key covers the code and dunnart's
        build, so an edit or a new dunnart tries to compile again)."""
        with self.lock:
            self.check_fork()
            directory = self.directory if self.opened else versioned(configured_root()[0])
            if not directory or unsafe_directory(directory):
                return None
            try:
                with open(fallback_path(directory, key), encoding="utf-8") as f:
                    return f.read()
            except (OSError, ValueError):
                return None


_cache = None
_cache_lock = threading.Lock()


def get_cache():
    global _cache
    with _cache_lock:
        if _cache is None:
            _cache = DiskCache()
        return _cache


def _key(impl, arg_types, return_type):
    """keys.compute, once per signature of a dispatcher: a @jit function asks for its
    remembered fallback, then looks up, then may record a fallback, all with one key."""
    memo = impl._cache_keys
    k = (arg_types, return_type)
    if k not in memo:
        memo[k] = keys.compute(impl, arg_types, return_type)
    return memo[k]


def lookup(impl, arg_types, return_type):
    """(Compiled or None, key, components); key is None when the signature is not cacheable
    or the key cannot be computed."""
    try:
        key, components = _key(impl, arg_types, return_type)
    except Exception as e:  # a global whose classification fails: compile uncached
        _warn(f"dunnart cannot cache {impl.qualname}: {type(e).__name__}: {e}")
        return None, None, None
    if key is None:
        return None, None, None
    try:
        compiled = get_cache().load(key, components["function"], arg_types,
                                    bool(impl.options.get("nogil") or impl.options.get("parallel")))
        return compiled, key, components
    except Exception as e:  # a cache problem is never the caller's problem
        _warn(f"dunnart cache lookup for {impl.qualname} failed: {type(e).__name__}: {e}")
        # Keep the key: the compile that follows stores a fresh entry over the bad one, so
        # later processes hit instead of failing the same way.
        return None, key, components


def remembered_fallback(impl, arg_types):
    """Why an earlier process ran this signature of a @jit function in object mode, or
    None (also when the key cannot be computed: then it compiles, as without the cache)."""
    try:
        key, _ = _key(impl, arg_types, None)
        return get_cache().fallback_reason(key) if key is not None else None
    except Exception:
        return None


def remember_fallback(impl, arg_types, reason):
    try:
        key, _ = _key(impl, arg_types, None)
        if key is not None:
            get_cache().remember_fallback(key, reason)
    except Exception as e:
        _warn(f"dunnart cache could not record that {impl.qualname} runs in object mode: "
              f"{type(e).__name__}: {e}")


def save(key, components, arg_types, return_type, compiled):
    try:
        get_cache().save(key, components, arg_types, return_type, compiled)
    except Exception as e:
        _warn(f"dunnart cache could not store {components.get('function')}: {type(e).__name__}: {e}")
