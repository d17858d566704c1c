"""Layer 3 of the disk cache, the write side: everything that changes a cache directory,
imported at the first miss, store or repair (never by a hit): choosing the directory to
write in (with its fallbacks) and opening its index, storing a compiled signature,
evicting past the size limit, removing entries (evicted or corrupt), recording @jit
signatures that run in object mode, and clearing. The functions take the process's
DiskCache (__init__.py) as an argument, whose lock callers hold or take, and never import
the module that defines it (which calls them).

Imports: os, stat, time, warnings (sqlite3, tempfile when used), dunnart._core,
dunnart._compiler after a compile, and layout.py, objects.py and index.py."""
import os
import stat
import time
import warnings

from .. import _core
from ..errors import CacheWarning
from .layout import (FALLBACKS, TEMP_PREFIX, UID, CorruptObject, arg_text, configured_root, fallback_path,
                     pack, remove_quietly, unsafe_directory, unsafe_stat, versioned)
from .objects import ObjectStore


def _warn(message):
    warnings.warn(CacheWarning(message), stacklevel=4)


# -- where to write when the configured directory cannot be written ----------------------
def fallback_root():
    """The per-user temporary directory used when the configured one is unwritable."""
    import tempfile
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"dunnart-cache-{uid}")


def private_root(path):
    """Why the fallback root `path` (in a directory every user can write) must not be
    used, or None once it is a directory of this user's that no one else can write:
    created with mode 0700, and when it exists already, not a link, owned by this user and
    not writable by group or others (another user may have made it first, to plant code)."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as e:
        return f"it cannot be created ({e.strerror or e})"
    try:
        st = os.lstat(path)
    except OSError as e:
        return f"it cannot be read ({e.strerror or e})"
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return "it is not a directory but a link or a file"
    return unsafe_stat(st, path, owners=(UID,))


def make_writable_dir(path):
    """Creates `path` if needed (mode 0755: dunnart's directories are never writable by
    others, see layout.unsafe_directory); True when files can be created in it."""
    try:
        os.makedirs(path, mode=0o755, exist_ok=True)
    except OSError:
        return False
    if not os.access(path, os.W_OK | os.X_OK):
        return False
    import tempfile
    try:  # os.access lies for root and on some file systems: really try
        fd, probe = tempfile.mkstemp(dir=path, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError:
        return False
    return True


DEFAULT_MAX_SIZE = 1 << 30
#: `dunnart cache prune` without limits removes entries unused this long (stores evict by
#: size only: a program run once a quarter keeps its code).
DEFAULT_MAX_AGE_DAYS = 30
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
        names = os.listdir(fallbacks)
    except OSError:
        names = []
    for name in names:
        remove_quietly(os.path.join(fallbacks, name))
    return len(links) + len(temp_links), len(objs) + len(temps)


def open_for_writing(cache, quiet=False):
    """Chooses the directory to store in, with its index; quiet (the hit counts at
    exit): only a writable configured directory, no warnings about it."""
    cache.check_fork()
    if cache.opened:
        return
    cache.opened = True
    root, cache.source = configured_root()
    directory = versioned(root)
    problem = None
    writable = make_writable_dir(directory)
    unsafe = unsafe_directory(directory) if writable or os.path.isdir(directory) else None
    if unsafe:
        if quiet:
            return
        problem = (f"dunnart cache directory {directory} is not used because another user could "
                   f"change the code it holds: {unsafe}")
    elif writable:
        _use(cache, directory, "disk")
    elif quiet:
        return
    elif os.path.isfile(os.path.join(directory, "index.sqlite")):
        _use(cache, directory, "readonly")
        if cache.mode == "readonly":
            _warn(f"dunnart cache directory {directory} is read-only: cached functions load "
                  f"from it, new compilations are not stored")
            return
        problem = f"dunnart cache directory {directory} is read-only and its index cannot be read"
    else:
        problem = f"dunnart cache directory {directory} is not writable"
    if cache.mode != "memory" or quiet:
        return
    if problem is None:
        problem = f"dunnart cache index in {directory} cannot be opened"
    fallback_dir = fallback_root()
    fallback = versioned(fallback_dir)
    if fallback != directory:
        refused = private_root(fallback_dir)
        if refused is None and make_writable_dir(fallback):
            refused = unsafe_directory(fallback)
            if refused is None:
                _use(cache, fallback, "disk")
                if cache.mode == "disk":
                    cache.source = "fallback (temporary directory)"
                    _warn(f"{problem}; caching in {fallback} instead")
                    return
        if refused:
            problem += f"; the fallback directory {fallback_dir} is refused: {refused}"
    cache.source = "memory only"
    _warn(f"{problem}; compiled functions are cached in memory only")


def _open_index(directory, readonly):
    """The directory's index. Another process creating it at the same moment holds a lock
    that switching to WAL does not wait for ("database is locked"): a moment later it is
    ready, so the open is retried, for up to about 5 s, before the lock is reported."""
    import sqlite3

    from .index import Index
    for attempt in range(250):
        try:
            return Index(directory, readonly=readonly)
        except sqlite3.OperationalError as e:
            if attempt == 249 or not any(word in str(e) for word in ("locked", "busy")):
                raise
            time.sleep(0.02)


def _use(cache, directory, mode):
    import sqlite3

    from .index import Index
    try:
        index = _open_index(directory, readonly=(mode == "readonly"))
    except sqlite3.OperationalError as e:
        if any(word in str(e) for word in ("locked", "busy")):
            return  # held by another process all this time: not corrupt, not ours to reset
        raise
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
    cache.index = index
    cache.objects = ObjectStore(directory)
    cache.directory = directory
    cache.mode = mode


def drop(cache, directory, key, bad_object):
    """Removes a bad entry: its link, its index row (counted as corrupt) and, when the
    file itself is bad or no other entry uses it, its object."""
    sqlite_error = _sqlite_error()
    store = ObjectStore(directory)
    try:
        open_for_writing(cache)
        if cache.mode == "disk" and cache.directory == directory:
            remove_entry(cache.index, store, key, "corrupt")
    except (OSError, sqlite_error):
        pass
    store.unlink(key)
    if bad_object:
        store.remove(bad_object)


def remember_fallback(cache, key, reason):
    with cache.lock:
        open_for_writing(cache)
        if cache.mode != "disk":
            return
        directory = os.path.join(cache.directory, FALLBACKS)
        tmp = os.path.join(directory, f"{TEMP_PREFIX}{os.getpid()}-{key}")
        try:
            os.makedirs(directory, mode=0o755, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(reason)
            os.replace(tmp, fallback_path(cache.directory, key))
        except OSError:
            remove_quietly(tmp)


def save(cache, key, components, arg_types, return_type, compiled):
    import sqlite3
    with cache.lock:
        data = compiled.object_code
        compiled.release_object_code()
        cache.memo[key] = compiled
        open_for_writing(cache)
        if cache.mode != "disk" or not data:
            return
        cache.flush_hits()
        try:
            ret = _core.encode_type(compiled.return_type)
            args = arg_text(arg_types)
            if not ret or args is None:
                return
            signature = _signature(arg_types, compiled.return_type)
            compile_ms = compiled.compile_seconds * 1000.0
            blob = pack(data, {"key": key, "function": components["function"], "signature": signature,
                               "symbol": compiled.symbol, "return_type": ret, "arg_types": args,
                               "compile_ms": repr(compile_ms)})
            cache.objects.ensure()
            name = cache.objects.write(blob)
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
            db = cache.index.db
            db.execute("BEGIN IMMEDIATE")
            try:
                inserted = cache.index.insert(entry)
                if inserted:
                    cache.objects.link(key, name)
                else:  # another process stored this key first: keep its object, and its link
                    row = cache.index.get(key)
                    if row and _link_target(cache, key) != row["object"]:
                        cache.objects.link(key, row["object"])
                orphan = not inserted and not cache.index.referenced(name)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if orphan:
                cache.objects.remove(name)
            evict(cache, max_size())
        except (OSError, sqlite3.Error) as e:
            try:
                cache.index.bump("write_failures")
            except sqlite3.Error:
                pass
            if not cache.warned_write:
                cache.warned_write = True
                _warn(f"dunnart cache could not store {components['function']} in "
                      f"{cache.directory}: {e}")


def _link_target(cache, key):
    try:
        return cache.objects.read_link(key)
    except CorruptObject:
        return None


def evict(cache, limit, dry_run=False):
    """Removes least recently used entries until the total size is at most `limit`;
    returns the removed entries (dicts)."""
    removed = []
    total = cache.index.total_size()
    if total <= limit:
        return removed
    rows = sorted(cache.index.entries(), key=lambda r: r["last_used"])
    for row in rows:
        if total <= limit:
            break
        removed.append(row)
        total -= row["size"]
        if not dry_run:
            remove_entry(cache.index, cache.objects, row["key"], counter="evictions")
    return removed


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
