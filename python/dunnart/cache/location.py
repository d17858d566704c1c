"""Where the disk cache lives: DUNNART_CACHE_DIR, else $XDG_CACHE_HOME/dunnart, else
~/.cache/dunnart, with one subdirectory per cache format (FORMAT) so that a new format
never reads an old one's files. Only `os` at import: resolving the directory is on the
hit path; tempfile is imported by the checks that need it (misses, stores)."""
import os

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


def fallback_root():
    """The per-user temporary directory used when the configured one is unwritable."""
    import tempfile
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"dunnart-cache-{uid}")


def versioned(root):
    return os.path.join(root, f"v{FORMAT}")


def make_writable_dir(path):
    """Creates `path` if needed; True when files can be created in it."""
    try:
        os.makedirs(path, exist_ok=True)
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
