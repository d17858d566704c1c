"""The disk cache behind cache=True (see DESIGN.md, "Disk cache"), in layers; a module
imports only modules of the layers below its own:

  4  store.py     the process's cache: its state, the hit,    cli.py  `dunnart cache`
                  and what the dispatcher calls
  3  writes.py    opening for writing (the directory and its fallbacks), storing,
                  evicting, removing bad entries, object-mode fallbacks
  2  index.py     the SQLite index (folds the hit log when opened)
  1  objects.py   writing object files and key links           hitlog.py  hit counts without SQLite
  0  layout.py    paths, file names and formats, reading one   key.py  the cache key of a function
                  entry, which directories and files are safe"""
from .store import get_cache, lookup, remember_fallback, remembered_fallback, save

__all__ = ["get_cache", "lookup", "save", "remember_fallback", "remembered_fallback"]
