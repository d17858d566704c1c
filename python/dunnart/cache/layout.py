"""Layer 0 of the disk cache: what a cache directory is. Where it lives, how its files are
named and formatted, reading one object or key link, and whether a directory or file is
one native code may be loaded from. No state and no policy: every other module of the
cache builds on these names, the hit path (__init__.py), the write path (objects.py,
writes.py) and `dunnart cache` alike, so a format is defined once.

A cache directory (`versioned(root)`) holds:

- `objects/<sha256>.o`: object code, named by the SHA-256 of the whole file, written to a
  temporary file in the same directory and renamed into place (so a reader never sees half
  a file), and checked against that hash when read. Each file is the ELF object followed
  by a trailer with what a load needs, so that a hit never reads the index:
  `<ELF bytes><UTF-8 "name=value\\n" lines><8-byte little-endian length of those lines>
  <8-byte magic b"DNMETA01">` (pack, unpack).
- `keys/<key>`: a symbolic link to `../objects/<sha256>.o` (a regular file holding that
  text where the file system has no symbolic links), created under a temporary name and
  renamed into place.
- `fallbacks/<key>`: the typing error of a @jit signature that runs in object mode.
- `index.sqlite` (index.py) and `hits.log` (hitlog.py).

Imports: os and dunnart._core only (it is on the hit path)."""
import os

from .. import _core

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


# -- names ---------------------------------------------------------------------------
SUFFIX = ".o"
TEMP_PREFIX = ".tmp-"
MAGIC = b"DNMETA01"
FALLBACKS = "fallbacks"  # fallbacks/<key>: signatures of @jit functions that run in object mode
_HEX = frozenset("0123456789abcdef")


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


def fallback_path(directory, key):
    return os.path.join(directory, FALLBACKS, key)


def remove_quietly(path):
    """Removes a file that may already be gone (another process removed it first)."""
    try:
        os.unlink(path)
    except OSError:
        pass


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


# -- the object trailer ----------------------------------------------------------------
def _escape(text):
    return str(text).replace("\\", "\\\\").replace("\n", "\\n")


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


def pack(elf, meta):
    """ELF bytes followed by the metadata trailer."""
    lines = "".join(f"{k}={_escape(v)}\n" for k, v in meta.items() if "=" not in k and "\n" not in k)
    text = lines.encode("utf-8", "surrogatepass")
    return bytes(elf) + text + len(text).to_bytes(8, "little") + MAGIC


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


def arg_text(arg_types):
    """The trailer's `arg_types`: the exact encoding of argument types, or None when a
    type has no encoding."""
    parts = [_core.encode_type(t) for t in arg_types]
    if not all(parts):
        return None
    return ",".join(parts)


# -- whose files these are -----------------------------------------------------------
# Native code is loaded only from files and directories that no other user can write:
# owned by this user (or root) and not writable by group or others. Otherwise anyone who
# can write the directory chooses the code dunnart runs.
UID = os.getuid() if hasattr(os, "getuid") else None
_checked = {}  # cache directory -> None (safe) or why not; only for directories that exist


def unsafe_stat(st, what, owners=None):
    """Why the file or directory `what` (its os.stat result `st`) could be written by
    another user, or None."""
    if UID is None:  # no POSIX owners (Windows): nothing to check
        return None
    if st.st_uid not in (owners or (UID, 0)):
        return f"{what} is owned by uid {st.st_uid}, not by you (uid {UID})"
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


# -- reading one entry -------------------------------------------------------------------
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
