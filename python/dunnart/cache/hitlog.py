"""Hit counts without SQLite: a process that only loaded from the cache appends its hits
to `hits.log` in the cache directory at exit (one small append, where opening the index
would cost milliseconds), and the next process that opens the index for writing (a store,
or `dunnart cache`) folds the log into it. Lines are "key<TAB>compile_ms<TAB>time", and
"miss<TAB>count<TAB>time" for misses that stored nothing.

Appends of a few KiB with O_APPEND do not interleave, and the folder renames the log
before reading it, so lines are never counted twice; a writer that opened the log just
before the rename may lose its line (these are statistics, never correctness).

Layer 1 of the disk cache, beside objects.py: appended by the hit path (__init__.py, at
exit), taken by the index (index.py). Imports: os (and time, when taking)."""
import os

NAME = "hits.log"
FOLDING = NAME + ".folding-"
_GRACE_SECONDS = 5.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a planted link must not redirect the append


#: A log this long is folded into the index by the process that appended to it, so that
#: a cache only ever hit (no store ever opens the index) does not grow without bound.
FOLD_AT_BYTES = 256 * 1024


def append(directory, hits, misses=0, now=0.0):
    """hits: [(key, compile_ms, time)]. Returns True when the log has grown past
    FOLD_AT_BYTES (the caller folds it). Silently does nothing where it cannot write (a
    read-only cache counts nothing)."""
    if not hits and not misses:
        return False
    lines = [f"{k}\t{ms:.3f}\t{t:.3f}\n" for k, ms, t in hits]
    if misses:
        lines.append(f"miss\t{misses}\t{now:.3f}\n")
    data = "".join(lines).encode()
    try:
        fd = os.open(os.path.join(directory, NAME), os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o644)
    except OSError:
        return False
    try:
        os.write(fd, data)
        return os.fstat(fd).st_size > FOLD_AT_BYTES
    except OSError:
        return False
    finally:
        os.close(fd)


def take(directory, now):
    """(hits, misses) logged so far, hits as [(key, compile_ms, time)], removed from the log. Renamed
    logs that another folder left behind (it died while folding) are taken too once they
    are older than a few seconds."""
    import time
    mine = os.path.join(directory, f"{FOLDING}{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.replace(os.path.join(directory, NAME), mine)
    except OSError:
        pass
    hits, misses = [], 0
    try:
        names = [n for n in os.listdir(directory) if n.startswith(FOLDING)]
    except OSError:
        return hits, misses
    for name in names:
        path = os.path.join(directory, name)
        try:
            if path != mine and now - os.stat(path).st_mtime < _GRACE_SECONDS:
                continue
            with open(path, "rb") as f:
                data = f.read()
            os.unlink(path)
        except OSError:
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            parts = line.split("\t")
            try:
                key, ms, t = parts[0], float(parts[1]), float(parts[2])
            except (IndexError, ValueError):
                continue  # a torn line: statistics only, never an error
            if key == "miss":
                misses += int(ms)
            elif key and all(c in "0123456789abcdef" for c in key):
                hits.append((key, ms, t))
    return hits, misses
