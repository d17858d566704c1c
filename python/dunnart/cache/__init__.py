"""The disk cache behind cache=True (see DESIGN.md, "Disk cache"): key.py computes keys;
store.py is the hit path (where the cache lives, reading its entries, the per-process
cache); writes.py stores, evicts and repairs, objects.py writes the object files and key
links, index.py is the SQLite index, hitlog.py the hit counts of processes that only hit;
cli.py is `dunnart cache`."""
from .store import get_cache, lookup, remember_fallback, remembered_fallback, save

__all__ = ["get_cache", "lookup", "save", "remember_fallback", "remembered_fallback"]
