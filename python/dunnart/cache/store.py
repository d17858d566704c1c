"""The disk cache of one process: loads compiled signatures, stores new ones, and evicts
the least recently used entries past the size limit. Every problem (unwritable
directory, corrupt index or object, full disk) becomes a warning and a compile, never an
exception or a wrong answer.

A hit reads no index: keys/<key> -> objects/<sha256>.o, the file checked against its
name, the metadata trailer against the signature (objects.py), then _core.load_object.
It imports nothing but os, sys, the builtin SHA-256 and dunnart's modules; SQLite and the
directory checks (writability, fallbacks) come with the first miss, the first store, a
corrupt entry, or the hit counts written at exit."""
import os
import threading
import time
import warnings

from .. import _core
from ..errors import CacheWarning
from . import key as keys
from .location import configured_root, fallback_root, make_writable_dir, versioned
from .objects import TEMP_PREFIX, CorruptObject, ObjectStore, pack, unpack

DEFAULT_MAX_SIZE = 1 << 30
FALLBACKS = "fallbacks"  # fallbacks/<key>: signatures of @jit functions that run in object mode
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


def _llvm_cpu():
    """LLVM's name for the host CPU, for people (`dunnart cache list`); the key has the
    cpuid. Only called after a compile, when the compiler is loaded."""
    from .. import _compiler
    return _compiler.host()["cpu"]


def _warn(message):
    warnings.warn(CacheWarning(message), stacklevel=4)


def _sqlite_error():
    import sqlite3
    return sqlite3.Error


def _signature(arg_types, return_type):
    return str(return_type) + "(" + ", ".join(str(t) for t in arg_types) + ")"


def reset_files(directory):
    """Removes every key link and object of a cache directory (`clear`, or after its index
    was reset: files the index no longer knows could never be evicted). Returns (links,
    files) removed."""
    store = ObjectStore(directory)
    links, temp_links = store.links()
    for name in links + temp_links:
        store.remove_link_file(name)
    objs, temps = store.files()
    for name in objs + temps:
        store.remove(name)
    fallbacks = os.path.join(directory, FALLBACKS)
    try:
        for name in os.listdir(fallbacks):
            os.unlink(os.path.join(fallbacks, name))
    except OSError:
        pass
    return len(links) + len(temp_links), len(objs) + len(temps)


class DiskCache:
    """mode: "disk" (read and write), "readonly" (hits only) or "memory" (no files).
    Until the first miss or store (`opened`), hits come from the configured directory
    without any check of it."""

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
        self.hit_dir = None     # the configured directory, for hits before opening
        self.pending_hits = []  # (directory, key, compile_ms, time), written at exit
        self.pending_misses = 0
        self.flush_registered = False

    # -- opening -------------------------------------------------------------------
    def _check_fork(self):
        if self.pid != os.getpid():  # a forked child: SQLite connections must not cross fork()
            self.pid = os.getpid()
            self.opened = False
            self.index = None
            self.mode = "memory"
            self.directory = None
            self.objects = None
            self.pending_hits = []
            self.pending_misses = 0

    def _open(self, quiet=False):
        """Chooses the directory to store in, with its index; quiet (the hit counts at
        exit): only a writable configured directory, no warnings about it."""
        self._check_fork()
        if self.opened:
            return
        self.opened = True
        root, self.source = configured_root()
        directory = versioned(root)
        problem = None
        if make_writable_dir(directory):
            self._use(directory, "disk")
        elif quiet:
            return
        elif os.path.isfile(os.path.join(directory, "index.sqlite")):
            self._use(directory, "readonly")
            if self.mode == "readonly":
                _warn(f"dunnart cache directory {directory} is read-only: cached functions load "
                      f"from it, new compilations are not stored")
                return
            problem = f"dunnart cache directory {directory} is read-only and its index cannot be read"
        else:
            problem = f"dunnart cache directory {directory} is not writable"
        if self.mode != "memory" or quiet:
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
        import sqlite3

        from .index import Index
        try:
            index = Index(directory, readonly=(mode == "readonly"))
        except sqlite3.DatabaseError:
            if mode != "disk":
                return
            # A corrupt index: start a new one, and drop the files it knew about.
            try:
                for suffix in ("", "-wal", "-shm"):
                    path = os.path.join(directory, "index.sqlite" + suffix)
                    if os.path.exists(path):
                        os.replace(path, path + ".corrupt")
                index = Index(directory)
                reset_files(directory)
                _warn(f"dunnart cache index in {directory} was corrupt and has been reset")
            except (OSError, sqlite3.Error):
                return
        self.index = index
        self.objects = ObjectStore(directory)
        self.directory = directory
        self.mode = mode

    # -- lookups -------------------------------------------------------------------
    def load(self, key, function, arg_types, nogil):
        """The Compiled for `key`, or None (a miss). function: module.qualname, for
        warnings."""
        with self.lock:
            self._check_fork()
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
        """Compiled or None; a bad entry is a warning, is removed, and is a miss."""
        store = ObjectStore(directory)
        name = None
        try:
            name = store.read_link(key)
            if name is None:
                return None
            path = store.path(name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except FileNotFoundError:
                if not os.path.lexists(store.link_path(key)):
                    return None  # evicted by another process since the readlink
                raise CorruptObject(f"{path} is missing") from None
            except OSError as e:
                raise CorruptObject(f"cannot read {path}: {e.strerror or e}") from None
            if store.name_for(data) != name:
                raise CorruptObject(f"{path} does not match its hash", bad_file=True)
            elf, meta = unpack(data)
            if meta.get("arg_types") != keys.arg_text(arg_types):
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
            _warn(f"dunnart cache entry {key[:16]} for {function}{sig} is corrupt ({e}); it has "
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
                for n, d in enumerate(sorted(d for d in dirs if d)):
                    hitlog.append(d, [(k, ms, t) for dd, k, ms, t in hits if dd == d],
                                  misses if n == 0 else 0, time.time())
                return
            try:
                mine = [(k, ms, t) for d, k, ms, t in hits if d == self.directory]
                self.index.record_hits(mine, misses)
            except (OSError, _sqlite_error()):
                pass

    def _drop(self, directory, key, bad_object):
        """Removes a bad entry: its link, its index row (counted as corrupt) and, when the
        file itself is bad or no other entry uses it, its object."""
        sqlite_error = _sqlite_error()
        store = ObjectStore(directory)
        try:
            self._open()
            if self.mode == "disk" and self.directory == directory:
                remove_entry(self.index, store, key, "corrupt")
        except (OSError, sqlite_error):
            pass
        store.unlink(key)
        if bad_object:
            store.remove(bad_object)

    # -- object-mode fallbacks (@jit) ------------------------------------------------
    def fallback_reason(self, key):
        """The typing error that made an earlier process run `key` in object mode, or
        None: `fallbacks/<key>` holds its text (the key covers the code and dunnart's
        build, so an edit or a new dunnart tries to compile again)."""
        with self.lock:
            self._check_fork()
            directory = self.directory if self.opened else versioned(configured_root()[0])
            if not directory:
                return None
            try:
                with open(os.path.join(directory, FALLBACKS, key), encoding="utf-8") as f:
                    return f.read()
            except (OSError, ValueError):
                return None

    def remember_fallback(self, key, reason):
        with self.lock:
            self._open()
            if self.mode != "disk":
                return
            directory = os.path.join(self.directory, FALLBACKS)
            tmp = os.path.join(directory, f"{TEMP_PREFIX}{os.getpid()}-{key}")
            try:
                os.makedirs(directory, exist_ok=True)
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(reason)
                os.replace(tmp, os.path.join(directory, key))
            except OSError:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    # -- stores --------------------------------------------------------------------
    def save(self, key, components, arg_types, return_type, compiled):
        import sqlite3
        with self.lock:
            data = compiled.object_code
            compiled.release_object_code()
            self.memo[key] = compiled
            self._open()
            if self.mode != "disk" or not data:
                return
            self.flush_hits()
            try:
                ret = _core.encode_type(compiled.return_type)
                args = keys.arg_text(arg_types)
                if not ret or args is None:
                    return
                signature = _signature(arg_types, compiled.return_type)
                compile_ms = compiled.compile_seconds * 1000.0
                blob = pack(data, {"key": key, "function": components["function"], "signature": signature,
                                   "symbol": compiled.symbol, "return_type": ret, "arg_types": args,
                                   "compile_ms": repr(compile_ms)})
                self.objects.ensure()
                name = self.objects.write(blob)
                now = time.time()
                entry = {
                    "key": key,
                    "function": components["function"],
                    "signature": signature,
                    "arg_types": args,
                    "return_type": ret,
                    "symbol": compiled.symbol,
                    "target": components["target"] + " " + _llvm_cpu(),
                    "size": len(blob),
                    "object": name,
                    "hits": 0,
                    "created": now,
                    "last_used": now,
                    "compile_ms": compile_ms,
                    "components": components,
                }
                db = self.index.db
                db.execute("BEGIN IMMEDIATE")
                try:
                    inserted = self.index.insert(entry)
                    if inserted:
                        self.objects.link(key, name)
                    else:  # another process stored this key first: keep its object, and its link
                        row = self.index.get(key)
                        if row and self._link_target(key) != row["object"]:
                            self.objects.link(key, row["object"])
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

    def _link_target(self, key):
        try:
            return self.objects.read_link(key)
        except CorruptObject:
            return None

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
        remove_entry(self.index, self.objects, key, counter)


def remove_entry(index, store, key, counter=None):
    """Removes an index row and its link in one transaction, then its object when no other
    entry uses it."""
    db = index.db
    db.execute("BEGIN IMMEDIATE")
    try:
        obj = index.remove(key)
        if counter:
            index.bump(counter)
        store.unlink(key)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    if obj:
        store.remove(obj)


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
        compiled = get_cache().load(key, components["function"], arg_types,
                                    bool(impl.options.get("nogil", False)))
        return compiled, key, components
    except Exception as e:  # a cache problem is never the caller's problem
        _warn(f"dunnart cache lookup for {impl.qualname} failed: {type(e).__name__}: {e}")
        return None, None, None


def remembered_fallback(impl, arg_types):
    """Why an earlier process ran this signature of a @jit function in object mode, or
    None (also when the key cannot be computed: then it compiles, as without the cache)."""
    try:
        key, _ = keys.compute(impl, arg_types, None)
        return get_cache().fallback_reason(key) if key is not None else None
    except Exception:
        return None


def remember_fallback(impl, arg_types, reason):
    try:
        key, _ = keys.compute(impl, arg_types, None)
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
