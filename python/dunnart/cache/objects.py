"""Files of the cache directory, apart from the index:

- `objects/<sha256>.o`: object code, named by the SHA-256 of the whole file, written to a
  temporary file in the same directory and renamed into place (so a reader never sees half
  a file), and checked against that hash when read. Each file is the ELF object followed
  by a trailer with what a load needs, so that a hit never reads the index:
  `<ELF bytes><UTF-8 "name=value\\n" lines><8-byte little-endian length of those lines>
  <8-byte magic b"DNMETA01">`.
- `keys/<key>`: a symbolic link to `../objects/<sha256>.o` (a regular file holding that
  text where the file system has no symbolic links), created under a temporary name and
  renamed into place.

Only os at import: this module is on the hit path."""
import os

from .key import _sha256_hex

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


# -- the trailer -----------------------------------------------------------------------
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


def valid_name(name):
    return (len(name) == 64 + len(SUFFIX) and name.endswith(SUFFIX)
            and _HEX.issuperset(name[:64]))


def valid_key(key):
    return len(key) == 64 and _HEX.issuperset(key)


class ObjectStore:
    def __init__(self, directory):
        self.root = directory
        self.dir = os.path.join(directory, "objects")
        self.keys_dir = os.path.join(directory, "keys")

    def ensure(self):
        os.makedirs(self.dir, exist_ok=True)
        os.makedirs(self.keys_dir, exist_ok=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    @staticmethod
    def name_for(data):
        return _sha256_hex(data) + SUFFIX

    def write(self, data):
        """Stores `data`; returns its file name. Raises OSError when it cannot."""
        name = self.name_for(data)
        final = self.path(name)
        try:
            with open(final, "rb") as f:
                if f.read() == data:
                    return name
        except OSError:
            pass
        self._write_new(final, data)
        return name

    def _write_new(self, final, data):
        tmp = os.path.join(self.dir, TEMP_PREFIX + os.urandom(8).hex())
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)  # whatever the umask: a shared cache stays readable by others
            os.replace(tmp, final)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def read(self, name, size=None):
        """The content of object `name`, checked against its hash; raises CorruptObject."""
        if not valid_name(name):
            raise CorruptObject(f"bad object name {name!r}")
        path = self.path(name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise CorruptObject(f"cannot read {path}: {e.strerror or e}") from None
        if size is not None and len(data) != size:
            raise CorruptObject(f"{path} has {len(data)} bytes, expected {size}", bad_file=True)
        if self.name_for(data) != name:
            raise CorruptObject(f"{path} does not match its recorded hash", bad_file=True)
        return data

    def remove(self, name):
        try:
            os.unlink(self.path(name))
        except OSError:
            pass

    def files(self):
        """(object names, temporary files) present in the directory."""
        try:
            names = os.listdir(self.dir)
        except OSError:
            return [], []
        objs = [n for n in names if n.endswith(SUFFIX) and not n.startswith(".")]
        temps = [n for n in names if n.startswith(TEMP_PREFIX)]
        return objs, temps

    # -- key links -----------------------------------------------------------------
    def link_path(self, key):
        return os.path.join(self.keys_dir, key)

    def read_link(self, key):
        """The object name `keys/<key>` points to; None when there is no link (or no
        directory); raises CorruptObject for a link that does not name an object."""
        path = self.link_path(key)
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

    def link(self, key, name):
        """Points keys/<key> at objects/<name>, atomically. Raises OSError."""
        target = "../objects/" + name
        tmp = os.path.join(self.keys_dir, TEMP_PREFIX + os.urandom(8).hex())
        try:
            try:
                os.symlink(target, tmp)
            except (NotImplementedError, OSError) as e:
                if isinstance(e, OSError) and not os.path.isdir(self.keys_dir):
                    raise
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "wb") as f:
                    f.write(target.encode())
            os.replace(tmp, self.link_path(key))
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def unlink(self, key):
        try:
            os.unlink(self.link_path(key))
        except OSError:
            pass

    def links(self):
        """(keys that have a link, temporary link names) present in keys/."""
        try:
            names = os.listdir(self.keys_dir)
        except OSError:
            return [], []
        keys = [n for n in names if not n.startswith(".")]
        temps = [n for n in names if n.startswith(TEMP_PREFIX)]
        return keys, temps

    def remove_link_file(self, name):
        """Removes keys/<name> (a stray or temporary entry)."""
        try:
            os.unlink(os.path.join(self.keys_dir, name))
        except OSError:
            pass
