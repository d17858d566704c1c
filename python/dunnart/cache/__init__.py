"""The disk cache behind cache=True (see DESIGN.md, "Disk cache"): location.py finds the
directory, key.py computes keys, index.py is the SQLite index, objects.py the object
files, store.py the per-process cache that ties them together, cli.py `dunnart cache`."""
from .store import get_cache, lookup, save

__all__ = ["get_cache", "lookup", "save"]
