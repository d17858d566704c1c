"""Layer 2 of the disk cache: the index, one SQLite database (WAL mode) per cache
directory, with a row per compiled signature and a table of counters. It is the source of
truth for everything but the hit itself (list, show, stats, why, prune, verify, eviction):
a hit follows keys/<key> (__init__.py) and never opens it. Opening it folds the hit log
(hitlog.py) into it. Every method is safe to call from several processes at once; on any
SQLite error it raises sqlite3.Error, which callers turn into a miss or a skipped store.

Imports: os, sqlite3, time (json, when inserting) and hitlog.py; only the write path
(writes.py) and `dunnart cache` (cli.py) import it."""
import os
import sqlite3
import time

from . import hitlog

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    function TEXT NOT NULL,
    signature TEXT NOT NULL,
    arg_types TEXT NOT NULL,
    return_type TEXT NOT NULL,
    symbol TEXT NOT NULL,
    target TEXT NOT NULL,
    size INTEGER NOT NULL,
    object TEXT NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    last_used REAL NOT NULL,
    compile_ms REAL NOT NULL,
    components TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_function ON entries(function);
CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, value REAL NOT NULL);
"""

SCHEMA_VERSION = 1
COUNTERS = ("hits", "misses", "compile_seconds_saved", "corrupt", "write_failures", "evictions")
COLUMNS = ("key", "function", "signature", "arg_types", "return_type", "symbol", "target", "size",
           "object", "hits", "created", "last_used", "compile_ms", "components")


class Index:
    def __init__(self, directory, readonly=False):
        self.path = os.path.join(directory, "index.sqlite")
        self.readonly = readonly
        if readonly:
            uri = "file:" + self.path + "?mode=ro"
            try:
                self.db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None,
                                          check_same_thread=False)
                self.db.execute("SELECT 1 FROM entries LIMIT 1")
            except sqlite3.Error:
                self.db = sqlite3.connect("file:" + self.path + "?immutable=1", uri=True,
                                          isolation_level=None, check_same_thread=False)
            return
        # Callers serialise their use (DiskCache.lock), so any thread may use the connection.
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA synchronous=NORMAL")
        # journal_mode=WAL persists in the file: set it and the schema once (user_version
        # marks a ready index), so an open on the hit path is a read.
        if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.record_hits(*hitlog.take(directory, time.time()))

    def close(self):
        self.db.close()

    def get(self, key):
        row = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM entries WHERE key=?", (key,)).fetchone()
        return dict(zip(COLUMNS, row)) if row else None

    def entries(self):
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM entries").fetchall()
        return [dict(zip(COLUMNS, r)) for r in rows]

    def find_prefix(self, prefix):
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM entries WHERE key LIKE ?",
                               (prefix.replace("%", "").replace("_", "") + "%",)).fetchall()
        return [dict(zip(COLUMNS, r)) for r in rows]

    def insert(self, entry):
        """Adds an entry unless its key is present (the first writer wins). Returns True
        when this call added it."""
        import json
        values = [entry[c] if c != "components" else json.dumps(entry[c], sort_keys=True) for c in COLUMNS]
        cur = self.db.execute(f"INSERT OR IGNORE INTO entries ({', '.join(COLUMNS)}) VALUES "
                              f"({', '.join('?' * len(COLUMNS))})", values)
        return cur.rowcount == 1

    def record_hits(self, hits, misses=0):
        """hits: [(key, compile_ms, time)], and a number of misses, recorded in one
        transaction."""
        if self.readonly or not (hits or misses):
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for key, compile_ms, when in hits:
                self.db.execute("UPDATE entries SET hits=hits+1, last_used=MAX(last_used, ?) WHERE key=?",
                                (when, key))
                self._bump("compile_seconds_saved", compile_ms / 1000.0)
            if hits:
                self._bump("hits", len(hits))
            if misses:
                self._bump("misses", misses)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def bump(self, name, amount=1):
        if not self.readonly:
            self._bump(name, amount)

    def _bump(self, name, amount):
        self.db.execute("INSERT INTO stats(name, value) VALUES (?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET value=value+excluded.value", (name, amount))

    def remove(self, key):
        """Removes an entry; returns the object file name it referenced when no other entry
        references it (the caller deletes the file), else None."""
        row = self.db.execute("SELECT object FROM entries WHERE key=?", (key,)).fetchone()
        self.db.execute("DELETE FROM entries WHERE key=?", (key,))
        if row is None:
            return None
        if self.db.execute("SELECT 1 FROM entries WHERE object=? LIMIT 1", (row[0],)).fetchone():
            return None
        return row[0]

    def referenced(self, obj):
        return self.db.execute("SELECT 1 FROM entries WHERE object=? LIMIT 1", (obj,)).fetchone() is not None

    def objects(self):
        return {r[0] for r in self.db.execute("SELECT DISTINCT object FROM entries")}

    def total_size(self):
        return int(self.db.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()[0])

    def least_recently_used(self):
        return [r[0] for r in self.db.execute("SELECT key FROM entries ORDER BY last_used ASC")]

    def stats(self):
        values = {name: 0 for name in COUNTERS}
        for name, value in self.db.execute("SELECT name, value FROM stats"):
            values[name] = value
        return values

    def zero_stats(self):
        self.db.execute("DELETE FROM stats")

    def clear(self):
        self.db.execute("DELETE FROM entries")
