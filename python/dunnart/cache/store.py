"""The disk cache of one process: resolves and opens the directory on first use, loads
compiled signatures (checking every object against its hash), stores new ones, and
evicts the least recently used entries past the size limit. Every problem (unwritable
directory, corrupt index or object, full disk) becomes a warning and a compile, never an
exception or a wrong answer."""
import os
import sqlite3
import threading
import time
import warnings

from .. import _core
from ..errors import CacheWarning
from . import key as keys
from .index import Index
from .location import configured_root, fallback_root, make_writable_dir, versioned
from .objects import CorruptObject, ObjectStore

DEFAULT_MAX_SIZE = 1 << 30
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
          "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tb": 1 << 40}


def parse_size(text):
    """Bytes from "1G", "500M", "4096", "1.5GiB"; raises ValueError."""
    s = str(text).strip().lower()
    num = s.rstrip("abcdefghijklmnopqrstuvwxyz ")
    unit = s[len(num):].strip()
    if unit not in _UNITS or not num:
        raise ValueError(f"invalid size {text!r} (use bytes or a suffix K, M, G, T)")
    value = float(num) * _UNITS[unit]
    if value < 0:
        raise ValueError(f"invalid size {text!r}")
    return int(value)


def max_size():
    text = os.environ.get("DUNNART_CACHE_MAX_SIZE")
    if not text:
        return DEFAULT_MAX_SIZE
    try:
        return parse_size(text)
    except ValueError:
        return DEFAULT_MAX_SIZE


def _warn(message):
    warnings.warn(CacheWarning(message), stacklevel=4)


class DiskCache:
    """mode: "disk" (read and write), "readonly" (hits only) or "memory" (no files)."""

    def __init__(self):
        self.lock = threading.RLock()
        self.memo = {}          # key -> Compiled loaded or compiled in this process
        self.opened = False
        self.mode = "memory"
        self.directory = None
        self.source = None
        self.index = None
        self.objects = None
        self.warned_write = False
        self.pid = os.getpid()
        self.pending_hits = []
        self.flush_registered = False

    # -- opening -------------------------------------------------------------------
    def _open(self):
        if self.opened and self.pid == os.getpid():
            return
        if self.opened:  # a forked child: SQLite connections must not cross fork()
            self.index = None
            self.mode = "memory"
            self.pending_hits = []
        self.opened = True
        self.pid = os.getpid()
        root, self.source = configured_root()
        directory = versioned(root)
        problem = None
        if make_writable_dir(directory):
            self._use(directory, "disk")
        elif os.path.isfile(os.path.join(directory, "index.sqlite")):
            self._use(directory, "readonly")
            if self.mode == "readonly":
                _warn(f"dunnart cache directory {directory} is read-only: cached functions load "
                      f"from it, new compilations are not stored")
                return
            problem = f"dunnart cache directory {directory} is read-only and its index cannot be read"
        else:
            problem = f"dunnart cache directory {directory} is not writable"
        if self.mode != "memory":
            return
        if problem is None:
            problem = f"dunnart cache index in {directory} cannot be opened"
        fallback = versioned(fallback_root())
        if fallback != directory and make_writable_dir(fallback):
            self._use(fallback, "disk")
            if self.mode == "disk":
                self.source = "fallback (temporary directory)"
                _warn(f"{problem}; caching in {fallback} instead")
                return
        self.source = "memory only"
        _warn(f"{problem}; compiled functions are cached in memory only")

    def _use(self, directory, mode):
        try:
            index = Index(directory, readonly=(mode == "readonly"))
        except sqlite3.DatabaseError:
            if mode != "disk":
                return
            # A corrupt index: start a new one (objects are re-verified on load anyway).
            try:
                for suffix in ("", "-wal", "-shm"):
                    path = os.path.join(directory, "index.sqlite" + suffix)
                    if os.path.exists(path):
                        os.replace(path, path + ".corrupt")
                index = Index(directory)
                _warn(f"dunnart cache index in {directory} was corrupt and has been reset")
            except (OSError, sqlite3.Error):
                return
        self.index = index
        self.objects = ObjectStore(directory)
        self.directory = directory
        self.mode = mode

    # -- lookups -------------------------------------------------------------------
    def load(self, key, arg_types, nogil):
        """The Compiled for `key`, or None (a miss)."""
        with self.lock:
            compiled = self.memo.get(key)
            if compiled is not None:
                return compiled
            self._open()
            if self.index is None:
                return None
            try:
                row = self.index.get(key)
                if row is None:
                    self.index.bump("misses")
                    return None
            except sqlite3.Error:
                return None
            try:
                data = self.objects.read(row["object"], row["size"])
                ret = _core.decode_type(row["return_type"])
                encoded = ",".join(_core.encode_type(t) for t in arg_types)
                if ret is None or row["arg_types"] != encoded:
                    raise CorruptObject("its recorded types do not match the signature")
                compiled = _core.load_object(data, list(arg_types), ret, row["symbol"], nogil)
            except Exception as e:  # CorruptObject, or object code the JIT cannot link
                _warn(f"dunnart cache entry {key[:16]} for {row['function']}{row['signature']} is "
                      f"corrupt ({e}); it has been removed and the function is recompiled")
                self._drop(key)
                return None
            # Hits are written at exit (or before the next store) in one transaction, so
            # the hit path only reads the index.
            self.pending_hits.append((key, row["compile_ms"], time.time()))
            if len(self.pending_hits) == 1 and not self.flush_registered:
                import atexit
                atexit.register(self.flush_hits)
                self.flush_registered = True
            self.memo[key] = compiled
            return compiled

    def flush_hits(self):
        with self.lock:
            hits, self.pending_hits = self.pending_hits, []
            if not hits or self.index is None or self.pid != os.getpid():
                return
            try:
                self.index.record_hits(hits)
            except sqlite3.Error:
                pass

    def _drop(self, key):
        if self.mode != "disk":
            return
        try:
            self.index.db.execute("BEGIN IMMEDIATE")
            try:
                obj = self.index.remove(key)
                self.index.bump("corrupt")
                self.index.bump("misses")
                self.index.db.execute("COMMIT")
            except BaseException:
                self.index.db.execute("ROLLBACK")
                raise
            if obj:
                self.objects.remove(obj)
        except sqlite3.Error:
            pass

    # -- stores --------------------------------------------------------------------
    def save(self, key, components, arg_types, return_type, compiled):
        with self.lock:
            data = compiled.object_code
            compiled.release_object_code()
            self.memo[key] = compiled
            self._open()
            if self.mode != "disk" or not data:
                return
            self.flush_hits()
            try:
                self.objects.ensure()
                name = self.objects.write(data)
                now = time.time()
                entry = {
                    "key": key,
                    "function": components["function"],
                    "signature": str(compiled.return_type) + "(" + ", ".join(str(t) for t in arg_types) + ")",
                    "arg_types": ",".join(_core.encode_type(t) for t in arg_types),
                    "return_type": _core.encode_type(compiled.return_type),
                    "symbol": compiled.symbol,
                    "target": components["target"] + " " + components["cpu"],
                    "size": len(data),
                    "object": name,
                    "hits": 0,
                    "created": now,
                    "last_used": now,
                    "compile_ms": compiled.compile_seconds * 1000.0,
                    "components": components,
                }
                if not entry["return_type"]:
                    self.objects.remove(name) if not self.index.referenced(name) else None
                    return
                db = self.index.db
                db.execute("BEGIN IMMEDIATE")
                try:
                    inserted = self.index.insert(entry)
                    orphan = not inserted and not self.index.referenced(name)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                if orphan:
                    self.objects.remove(name)
                self.evict(max_size())
            except (OSError, sqlite3.Error) as e:
                try:
                    self.index.bump("write_failures")
                except sqlite3.Error:
                    pass
                if not self.warned_write:
                    self.warned_write = True
                    _warn(f"dunnart cache could not store {components['function']} in "
                          f"{self.directory}: {e}")

    def evict(self, limit, dry_run=False):
        """Removes least recently used entries until the total size is at most `limit`;
        returns the removed entries (dicts)."""
        removed = []
        total = self.index.total_size()
        if total <= limit:
            return removed
        rows = sorted(self.index.entries(), key=lambda r: r["last_used"])
        for row in rows:
            if total <= limit:
                break
            removed.append(row)
            total -= row["size"]
            if not dry_run:
                self.remove_entry(row["key"], counter="evictions")
        return removed

    def remove_entry(self, key, counter=None):
        db = self.index.db
        db.execute("BEGIN IMMEDIATE")
        try:
            obj = self.index.remove(key)
            if counter:
                self.index.bump(counter)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if obj:
            self.objects.remove(obj)


_cache = None
_cache_lock = threading.Lock()


def get_cache():
    global _cache
    with _cache_lock:
        if _cache is None:
            _cache = DiskCache()
        return _cache


def lookup(impl, arg_types, return_type):
    """(Compiled or None, key, components); key is None when the signature is not cacheable
    or the key cannot be computed."""
    try:
        key, components = keys.compute(impl, arg_types, return_type)
    except Exception as e:  # a global whose classification fails: compile uncached
        _warn(f"dunnart cannot cache {impl.qualname}: {type(e).__name__}: {e}")
        return None, None, None
    if key is None:
        return None, None, None
    try:
        return get_cache().load(key, arg_types, bool(impl.options.get("nogil", False))), key, components
    except Exception as e:  # a cache problem is never the caller's problem
        _warn(f"dunnart cache lookup for {impl.qualname} failed: {type(e).__name__}: {e}")
        return None, None, None


def save(key, components, arg_types, return_type, compiled):
    try:
        get_cache().save(key, components, arg_types, return_type, compiled)
    except Exception as e:
        _warn(f"dunnart cache could not store {components.get('function')}: {type(e).__name__}: {e}")
