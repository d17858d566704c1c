"""Layer 1 of the disk cache: writing the files of a cache directory other than the index,
the object files and the key links whose names and formats layout.py defines (see its
docstring). ObjectStore is one directory's objects/ and keys/, for the write path
(writes.py) and `dunnart cache` (cli.py); the hit path reads them with layout.read_link
and layout.read_object, without this module.

Imports: os and layout.py."""
import os

from .layout import (SUFFIX, TEMP_PREFIX, CorruptObject, link_path, object_name, object_path, read_link,
                     read_object, remove_quietly)


class ObjectStore:
    def __init__(self, directory):
        self.root = directory
        self.dir = os.path.join(directory, "objects")
        self.keys_dir = os.path.join(directory, "keys")

    def ensure(self):
        # 0755 whatever the umask's group bits: a hit refuses directories others can write.
        os.makedirs(self.dir, mode=0o755, exist_ok=True)
        os.makedirs(self.keys_dir, mode=0o755, exist_ok=True)

    def path(self, name):
        return object_path(self.root, name)

    @staticmethod
    def name_for(data):
        return object_name(data)

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
            remove_quietly(tmp)
            raise

    def read(self, name, size=None):
        """The content of object `name`, checked against its hash; raises CorruptObject."""
        try:
            return read_object(self.root, name, size)
        except FileNotFoundError as e:
            raise CorruptObject(f"cannot read {self.path(name)}: {e.strerror or e}") from None

    def remove(self, name):
        remove_quietly(self.path(name))

    def files(self):
        """(object names, temporary files) present in the directory."""
        objs, temps = _listing(self.dir)
        return [n for n in objs if n.endswith(SUFFIX)], temps

    # -- key links -----------------------------------------------------------------
    def link_path(self, key):
        return link_path(self.root, key)

    def read_link(self, key):
        """The object name `keys/<key>` points to (layout.read_link)."""
        return read_link(self.root, key)

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
            remove_quietly(tmp)
            raise

    def unlink(self, key):
        remove_quietly(self.link_path(key))

    def links(self):
        """(keys that have a link, temporary link names) present in keys/."""
        return _listing(self.keys_dir)

    def remove_link_file(self, name):
        """Removes keys/<name> (a stray or temporary entry)."""
        remove_quietly(os.path.join(self.keys_dir, name))


def _listing(directory):
    """(entries, temporary files) of a directory of the cache; ([], []) when it is absent."""
    try:
        names = os.listdir(directory)
    except OSError:
        return [], []
    return [n for n in names if not n.startswith(".")], [n for n in names if n.startswith(TEMP_PREFIX)]
