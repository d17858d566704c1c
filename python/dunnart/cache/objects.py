"""Object files of the cache: `objects/<sha256>.o`, named by the SHA-256 of their
content, written to a temporary file in the same directory and renamed into place (so a
reader never sees half a file), and checked against that hash when read."""
import os

from .key import _sha256

SUFFIX = ".o"
TEMP_PREFIX = ".tmp-"


class CorruptObject(Exception):
    """An object file is missing, truncated or does not match its recorded hash."""


class ObjectStore:
    def __init__(self, directory):
        self.dir = os.path.join(directory, "objects")

    def ensure(self):
        os.makedirs(self.dir, exist_ok=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    @staticmethod
    def name_for(data):
        return _sha256(data).hexdigest() + SUFFIX

    def write(self, data):
        """Stores `data`; returns its file name. Raises OSError when it cannot."""
        name = self.name_for(data)
        final = self.path(name)
        if os.path.exists(final):
            try:
                if os.path.getsize(final) == len(data):
                    return name
            except OSError:
                pass
        import tempfile
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a shared cache from other users
            os.replace(tmp, final)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return name

    def read(self, name, size=None):
        """The content of object `name`, checked against its hash; raises CorruptObject."""
        if not name.endswith(SUFFIX) or os.sep in name or name.startswith("."):
            raise CorruptObject(f"bad object name {name!r}")
        try:
            with open(self.path(name), "rb") as f:
                data = f.read()
        except OSError as e:
            raise CorruptObject(f"cannot read {self.path(name)}: {e.strerror or e}") from None
        if size is not None and len(data) != size:
            raise CorruptObject(f"{self.path(name)} has {len(data)} bytes, expected {size}")
        if self.name_for(data) != name:
            raise CorruptObject(f"{self.path(name)} does not match its recorded hash")
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
