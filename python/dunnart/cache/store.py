"""The disk cache of one process: its state, and the hit path (loading compiled
signatures); storing, evicting and repairing are in writes.py. Every problem (unwritable
directory, corrupt index or object, full disk) becomes a warning and a compile, never an
exception or a wrong answer.

A hit reads no index: keys/<key> -> objects/<sha256>.o, the file checked against its
name, the metadata trailer against the signature, then _core.load_object. This module
is the hit path, so it holds all a hit needs: where the cache lives, how its entries are
read, and the per-process state; writing them is objects.py and writes.py.
It imports nothing but os, threading, time, warnings and dunnart's modules; SQLite and the
directory checks (writability, fallbacks) come with the first miss, the first store, a
corrupt entry, or the hit counts written at exit."""
import os
import threading
import time
import warnings

from .. import _core
from ..errors import CacheWarning
from . import key as keys


# -- where the cache lives ----------------------------------------------------------
#: Version of the on-disk layout (index schema, object naming); bump on any change.
#: 2: keys/<key> links to objects/<sha256>.o, objects carry a metadata trailer.
FORMAT = 2


def configured_root():
    """(root directory, where the choice came from) before any fallback."""
    env = os.environ.get("DUNNART_CACHE_DIR")
    if env:
        return os.path.abspath(os.path.expanduser(env)), "DUNNART_CACHE_DIR"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return os.path.join(os.path.abspath(xdg), "dunnart"), "XDG_CACHE_HOME"
    return os.path.join(os.path.expanduser("~"), ".cache", "dunnart"), "default (~/.cache/dunnart)"


def versioned(root):
    return os.path.join(root, f"v{FORMAT}")


# -- its entries, read side (objects.py writes them) ---------------------------------
SUFFIX = ".o"
TEMP_PREFIX = ".tmp-"
MAGIC = b"DNMETA01"
_HEX = frozenset("0123456789abcdef")


class CorruptObject(Exception):
    """An object file is missing, truncated or does not match its recorded hash.
    bad_file: the file itself is garbage (remove it), not merely the wrong one for a key."""

    def __init__(self, message, bad_file=False):
        super().__init__(message)
        self.bad_file = bad_file


class UnsafeObject(CorruptObject):
    """An object file that another user could have written: never loaded."""

    def __init__(self, message):
        super().__init__(message, bad_file=True)


# -- whose files these are -----------------------------------------------------------
# Native code is loaded only from files and directories that no other user can write:
# owned by this user (or root) and not writable by group or others. Otherwise anyone who
# can write the directory chooses the code dunnart runs.
_UID = os.getuid() if hasattr(os, "getuid") else None
_checked = {}  # cache directory -> None (safe) or why not; only for directories that exist


def unsafe_stat(st, what, owners=None):
    """Why the file or directory `what` (its os.stat result `st`) could be written by
    another user, or None."""
    if _UID is None:  # no POSIX owners (Windows): nothing to check
        return None
    if st.st_uid not in (owners or (_UID, 0)):
        return f"{what} is owned by uid {st.st_uid}, not by you (uid {_UID})"
    if st.st_mode & 0o022:
        return f"{what} is writable by {'group and others' if st.st_mode & 0o002 else 'its group'}"
    return None


def unsafe_directory(directory):
    """Why native code must not be loaded from cache directory `directory` (another user
    could write it, its objects/ or its keys/), or None. One stat of each per process: the
    answer is remembered once all three exist (a missing one has nothing to load)."""
    reason = _checked.get(directory, False)
    if reason is not False:
        return reason
    complete = True
    for path in (directory, os.path.join(directory, "objects"), os.path.join(directory, "keys")):
        try:
            st = os.stat(path)
        except OSError:
            complete = False
            continue
        reason = unsafe_stat(st, path)
        if reason:
            break
    if reason or complete:
        _checked[directory] = reason
    return reason


def _unescape(text):
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def unpack(data):
    """(ELF bytes, {name: value text}) of an object file; raises CorruptObject."""
    if len(data) < 16 or data[-8:] != MAGIC:
        raise CorruptObject("no dunnart metadata trailer", bad_file=True)
    n = int.from_bytes(data[-16:-8], "little")
    if n > len(data) - 16:
        raise CorruptObject("its metadata trailer is truncated", bad_file=True)
    try:
        text = data[len(data) - 16 - n:len(data) - 16].decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise CorruptObject("its metadata trailer is not text", bad_file=True) from None
    meta = {}
    for line in text.split("\n"):
        if line:
            k, sep, v = line.partition("=")
            if not sep:
                raise CorruptObject("its metadata trailer is malformed", bad_file=True)
            meta[k] = _unescape(v)
    return data[:len(data) - 16 - n], meta


def valid_name(name):
    return (len(name) == 64 + len(SUFFIX) and name.endswith(SUFFIX)
            and _HEX.issuperset(name[:64]))


def valid_key(key):
    return len(key) == 64 and _HEX.issuperset(key)


def object_name(data):
    """The file name of object `data`: its SHA-256 (dunnart's own, runtime/sha256.cpp)."""
    return _core.sha256_hex(data) + SUFFIX


def object_path(directory, name):
    return os.path.join(directory, "objects", name)


def link_path(directory, key):
    return os.path.join(directory, "keys", key)


def remove_quietly(path):
    """Removes a file that may already be gone (another process removed it first)."""
    try:
        os.unlink(path)
    except OSError:
        pass


def read_object(directory, name, size=None, to_load=False):
    """The content of object `name`, checked against its hash (a hit, and `verify`).
    Raises CorruptObject, or FileNotFoundError when there is no such file: whether that
    is corruption depends on whether a link still names it. to_load: the content becomes
    native code, so the file must be one no other user can write (UnsafeObject)."""
    if not valid_name(name):
        raise CorruptObject(f"bad object name {name!r}")
    path = object_path(directory, name)
    try:
        with open(path, "rb") as f:
            unsafe = unsafe_stat(os.fstat(f.fileno()), path) if to_load else None
            if unsafe:
                raise UnsafeObject(unsafe)
            data = f.read()
    except FileNotFoundError:
        raise
    except OSError as e:
        raise CorruptObject(f"cannot read {path}: {e.strerror or e}") from None
    if size is not None and len(data) != size:
        raise CorruptObject(f"{path} has {len(data)} bytes, expected {size}", bad_file=True)
    if object_name(data) != name:
        raise CorruptObject(f"{path} does not match its recorded hash", bad_file=True)
    return data


def read_link(directory, key):
    """The object name `keys/<key>` points to; None when there is no link (or no
    directory); raises CorruptObject for a link that does not name an object."""
    path = link_path(directory, key)
    try:
        target = os.readlink(path)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    except OSError:  # not a symbolic link: a link file (file systems without symlinks)
        try:
            with open(path, "rb") as f:
                target = f.read(256).decode("utf-8", "replace")
        except OSError:
            return None
    name = target[len("../objects/"):]
    if not target.startswith("../objects/") or not valid_name(name):
        raise CorruptObject(f"{path} does not name an object file")
    return name


FALLBACKS = "fallbacks"  # fallbacks/<key>: signatures of @jit functions that run in object mode


def _warn(message):
    warnings.warn(CacheWarning(message), stacklevel=4)


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

    # -- writing (writes.py, imported by the first miss, store or repair) ------------
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

    def evict(self, limit, dry_run=False):
        from . import writes
        return writes.evict(self, limit, dry_run)

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
            self._check_fork()
            directory = self.directory if self.opened else versioned(configured_root()[0])
            if not directory or unsafe_directory(directory):
                return None
            try:
                with open(os.path.join(directory, FALLBACKS, key), encoding="utf-8") as f:
                    return f.read()
            except (OSError, ValueError):
                return None

    # -- stores --------------------------------------------------------------------


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
                                    bool(impl.options.get("nogil", False)))
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
