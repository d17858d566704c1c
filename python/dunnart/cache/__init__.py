"""The disk cache behind cache=True (see DESIGN.md, "Disk cache"): location.py finds the
directory, key.py computes keys, index.py is the SQLite index, hitlog.py the hit counts of
processes that only hit, objects.py the object files, store.py the per-process cache that
ties them together (and remembers @jit signatures that run in object mode), cli.py
`dunnart cache`."""
from .store import get_cache, lookup, remember_fallback, remembered_fallback, save

__all__ = ["get_cache", "lookup", "save", "remember_fallback", "remembered_fallback"]
