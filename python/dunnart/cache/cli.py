"""`dunnart cache SUBCOMMAND`: look inside the disk cache. Every subcommand takes --json
(machine-readable output) and --dir (a cache root, as DUNNART_CACHE_DIR would give);
exit status 0 on success, 1 with a message on stderr on error. Read-only subcommands never
create the cache directory.

Layer 4 of the disk cache, beside the process's cache (__init__.py), which it does not use: it
reads and repairs cache directories through layout.py, objects.py, index.py and
writes.py, and explains keys with key.py."""
import argparse
import datetime
import json
import os
import sqlite3
import sys
import textwrap
import time

from .. import _core
from . import key as keys
from .index import COUNTERS, Index
from .objects import ObjectStore
from .layout import FORMAT, CorruptObject, configured_root, unpack, valid_key, versioned
from .writes import DEFAULT_MAX_AGE_DAYS, DEFAULT_MAX_SIZE, max_size, parse_size, remove_entry, reset_files


class CliError(Exception):
    pass


# -- helpers ---------------------------------------------------------------------------
def _resolve(args):
    if args.dir:
        root, source = os.path.abspath(os.path.expanduser(args.dir)), "--dir"
    else:
        root, source = configured_root()
    if os.path.exists(root) and not os.path.isdir(root):
        raise CliError(f"{root} is not a directory")
    return root, source, versioned(root)


def _open(directory, write=False):
    """The Index, or None when the cache does not exist (yet)."""
    path = os.path.join(directory, "index.sqlite")
    if not os.path.isfile(path):
        return None
    try:
        if write:
            return Index(directory)
        return Index(directory, readonly=not os.access(directory, os.W_OK))
    except sqlite3.Error as e:
        raise CliError(f"cannot read the cache index {path}: {e}")


def _when(t):
    if not t:
        return "-"
    return datetime.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M")


def _size(n):
    n = float(n)
    for unit in ("B", "K", "M", "G", "T"):
        if n < 1024 or unit == "T":
            return f"{n:.0f}{unit}" if unit == "B" else f"{n:.1f}{unit}"
        n /= 1024


def _cut(text, width):
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(rows, columns):
    """columns: [(title, width or None for the rest, right-aligned)]"""
    out = []
    out.append(" ".join(t.ljust(w) if not r else t.rjust(w) for t, w, r in columns).rstrip())
    for row in rows:
        cells = []
        for (title, w, right), value in zip(columns, row):
            value = _cut(str(value), w)
            cells.append(value.rjust(w) if right else value.ljust(w))
        out.append(" ".join(cells).rstrip())
    return "\n".join(out)


def _emit(args, data, text):
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print(text)


def _public(entry):
    e = dict(entry)
    e["components"] = json.loads(e["components"]) if isinstance(e["components"], str) else e["components"]
    return e


# -- subcommands -----------------------------------------------------------------------
def cmd_path(args):
    root, source, directory = _resolve(args)
    exists = os.path.isdir(directory)
    writable = (os.access(directory, os.W_OK) if exists else
                os.access(_existing_parent(directory), os.W_OK))
    host = keys.describe_host()
    data = {"directory": directory, "root": root, "source": source, "exists": exists,
            "writable": bool(writable), "format": FORMAT, "dunnart": _core.version,
            "llvm": _core.llvm_version, "triple": host["triple"], "cpu": host["cpu"],
            "features": host["features"], "max_size": max_size()}
    if args.json or args.command == "info":
        text = "\n".join([
            f"directory  {directory}", f"source     {source}",
            f"exists     {'yes' if exists else 'no'}", f"writable   {'yes' if writable else 'no'}",
            f"format     {FORMAT}", f"dunnart    {_core.version}", f"LLVM       {_core.llvm_version}",
            f"target     {host['triple']}", f"CPU        {host['cpu']}", f"max size   {_size(max_size())}",
            "features   " + textwrap.fill(host["features"].replace(",", ", "), 79, initial_indent=" " * 11,
                                           subsequent_indent=" " * 11)[11:]])
    else:
        text = directory
    _emit(args, data, text)


def _existing_parent(path):
    while path and not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path if os.path.isdir(path) else "/nonexistent"


def _entries(args):
    _, _, directory = _resolve(args)
    index = _open(directory)
    return directory, index, (index.entries() if index else [])


def cmd_list(args):
    directory, index, entries = _entries(args)
    if args.function:
        entries = [e for e in entries if args.function in e["function"]]
    order = {"last-used": ("last_used", True), "created": ("created", True), "hits": ("hits", True),
             "size": ("size", True), "function": ("function", False), "compile-ms": ("compile_ms", True)}
    field, reverse = order[args.sort]
    entries.sort(key=lambda e: e[field], reverse=reverse)
    data = [_public(e) for e in entries]
    for e in data:
        e.pop("components", None)
    if not entries:
        text = f"no entries in {directory}"
    else:
        cols = [("KEY", 8, False), ("FUNCTION", 20, False), ("SIGNATURE", 24, False), ("SIZE", 6, True),
                ("HITS", 5, True), ("LAST USED", 11, False)]
        rows = [(e["key"][:8], e["function"], e["signature"], _size(e["size"]), e["hits"],
                 _when(e["last_used"])[5:]) for e in entries]
        text = _table(rows, cols)
        if args.long:
            text += "\n\n" + _table([(e["key"][:10], e["target"], _when(e["created"]), f"{e['compile_ms']:.1f}")
                                     for e in entries],
                                    [("KEY", 10, False), ("TARGET", 40, False), ("CREATED", 16, False),
                                     ("COMPILE MS", 10, True)])
    _emit(args, data, text)


def _find(index, prefix):
    if index is None:
        raise CliError("the cache is empty")
    found = index.find_prefix(prefix.lower())
    if not found:
        raise CliError(f"no cache entry with key {prefix}")
    if len(found) > 1:
        raise CliError(f"key prefix {prefix} is ambiguous ({len(found)} entries)")
    return found[0]


def cmd_show(args):
    _, _, directory = _resolve(args)
    index = _open(directory)
    entry = _public(_find(index, args.key))
    store = ObjectStore(directory)
    try:
        unpack(store.read(entry["object"], entry["size"]))
        status = "ok"
    except CorruptObject as e:
        status = f"corrupt: {e}"
    entry["object_path"] = store.path(entry["object"])
    entry["object_status"] = status
    entry["link_path"] = store.link_path(entry["key"])
    entry["link_status"] = _link_status(store, entry)
    lines = [f"key          {entry['key']}", f"function     {entry['function']}",
             f"signature    {entry['signature']}", f"symbol       {entry['symbol']}",
             f"target       {entry['target']}", f"object       {entry['object_path']}",
             f"sha256       {entry['object'][:-2]}", f"size         {entry['size']} bytes ({status})",
             f"link         {entry['link_path']} ({entry['link_status']})",
             f"hits         {entry['hits']}", f"created      {_when(entry['created'])}",
             f"last used    {_when(entry['last_used'])}", f"compile ms   {entry['compile_ms']:.1f}",
             "components:"]
    for k, v in sorted(entry["components"].items()):
        if isinstance(v, dict):
            lines.append(f"  {k}:" + ("" if v else " (none)"))
            lines.extend(f"    {kk} = {vv}" for kk, vv in sorted(v.items()))
        else:
            lines.append(f"  {k} = {v}")
    _emit(args, entry, "\n".join(lines))


def _link_status(store, entry):
    try:
        target = store.read_link(entry["key"])
    except CorruptObject:
        return "bad"
    if target is None:
        return "missing"
    return "ok" if target == entry["object"] else "points elsewhere"


def cmd_stats(args):
    _, _, directory = _resolve(args)
    index = _open(directory, write=args.zero)
    if args.zero and index is not None:
        index.zero_stats()
    counters = index.stats() if index else {c: 0 for c in COUNTERS}
    entries = index.entries() if index else []
    total = sum(e["size"] for e in entries)
    lookups = counters["hits"] + counters["misses"]
    data = {"directory": directory, "entries": len(entries), "bytes": total, "max_size": max_size(),
            "hit_rate": (counters["hits"] / lookups) if lookups else 0.0}
    data.update({k: (int(v) if k != "compile_seconds_saved" else float(v)) for k, v in counters.items()})
    text = "\n".join([
        f"directory             {directory}",
        f"entries               {len(entries)}",
        f"size                  {_size(total)} of {_size(max_size())}",
        f"hits                  {data['hits']}",
        f"misses                {data['misses']}",
        f"hit rate              {data['hit_rate'] * 100:.1f}%",
        f"compile time saved    {data['compile_seconds_saved']:.3f} s",
        f"corrupt entries       {data['corrupt']}",
        f"write failures        {data['write_failures']}",
        f"evictions             {data['evictions']}"])
    if args.zero:
        text += "\ncounters reset"
    _emit(args, data, text)


def cmd_clear(args):
    _, _, directory = _resolve(args)
    index = _open(directory, write=True)
    n = 0
    if index is not None:
        n = len(index.entries())
        index.clear()
    links, files = reset_files(directory)
    _emit(args, {"directory": directory, "removed_entries": n, "removed_files": files,
                 "removed_links": links},
          f"removed {n} entries and {files} files from {directory}")


def cmd_verify(args):
    """Every index row against its object (hash, trailer) and its link; then the links
    without a row or an object, orphan objects and stale temporary files."""
    _, _, directory = _resolve(args)
    index = _open(directory, write=True)
    store = ObjectStore(directory)
    ok, corrupt, relinked = 0, [], []
    entries = index.entries() if index else []
    for e in entries:
        try:
            _, meta = unpack(store.read(e["object"], e["size"]))
            if meta.get("key") != e["key"] or meta.get("arg_types") != e["arg_types"]:
                raise CorruptObject("its metadata does not match the index")
        except CorruptObject as err:
            corrupt.append({"key": e["key"], "function": e["function"], "problem": str(err)})
            remove_entry(index, store, e["key"], counter="corrupt")
            continue
        ok += 1
        try:
            target = store.read_link(e["key"])
        except CorruptObject:
            target = None
        if target != e["object"]:  # a row whose link is missing or wrong: recreate it
            store.ensure()
            store.link(e["key"], e["object"])
            relinked.append(e["key"])
    removed = {c["key"] for c in corrupt}
    rows = {e["key"]: e["object"] for e in entries if e["key"] not in removed}
    links, temp_links = store.links()
    dangling, unindexed = [], []
    for name in links:
        if name not in rows or not valid_key(name):
            unindexed.append(name)
            try:
                target = store.read_link(name) if valid_key(name) else None
            except CorruptObject:
                target = None
            if target is None or not os.path.exists(store.path(target)):
                dangling.append(name)
            store.remove_link_file(name)
    referenced = index.objects() if index else set()
    objs, temps = store.files()
    now = time.time()
    orphans = [o for o in objs if o not in referenced]
    stale_temps = []
    for t in temps:  # a temp file younger than a minute may be a write in progress
        try:
            if now - os.path.getmtime(store.path(t)) > 60:
                stale_temps.append(t)
        except OSError:
            pass
    for t in temp_links:
        try:
            if now - os.lstat(os.path.join(store.keys_dir, t)).st_mtime > 60:
                store.remove_link_file(t)
                stale_temps.append("keys/" + t)
        except OSError:
            pass
    for name in orphans + [t for t in stale_temps if not t.startswith("keys/")]:
        store.remove(name)
    data = {"directory": directory, "checked": len(entries), "ok": ok, "corrupt": corrupt,
            "orphans": orphans, "temp_files": stale_temps, "relinked": relinked,
            "unindexed_links": unindexed, "dangling_links": dangling}
    lines = [f"checked {len(entries)} entries: {ok} ok, {len(corrupt)} corrupt (removed)"]
    lines += [f"  corrupt {c['key'][:10]} {c['function']}: {c['problem']}" for c in corrupt]
    lines.append(f"removed {len(orphans)} orphan objects and {len(stale_temps)} temporary files")
    lines.append(f"recreated {len(relinked)} missing links; removed {len(unindexed)} links without "
                 f"an entry ({len(dangling)} dangling)")
    _emit(args, data, "\n".join(lines))


def cmd_prune(args):
    _, _, directory = _resolve(args)
    limit, days = args.max_size, args.older_than
    configured = limit is None and days is None
    if configured:  # the limits the cache applies: DUNNART_CACHE_MAX_SIZE and the default age
        limit, days = max_size(), DEFAULT_MAX_AGE_DAYS
    index = _open(directory, write=not args.dry_run)
    victims = []
    if index is not None:
        entries = sorted(index.entries(), key=lambda e: e["last_used"])
        if days is not None:
            cutoff = time.time() - days * 86400
            victims = [e for e in entries if e["last_used"] < cutoff]
        if limit is not None:
            total = sum(e["size"] for e in entries if e not in victims)
            for e in entries:
                if total <= limit:
                    break
                if e not in victims:
                    victims.append(e)
                    total -= e["size"]
        if not args.dry_run:
            store = ObjectStore(directory)
            for e in victims:
                remove_entry(index, store, e["key"], counter="evictions")
    verb = "would remove" if args.dry_run else "removed"
    data = {"directory": directory, "dry_run": args.dry_run, "max_size": limit, "older_than_days": days,
            "configured_limits": configured,
            "removed": [{"key": e["key"], "function": e["function"], "size": e["size"]} for e in victims]}
    limits = [f"larger than {_size(limit)}" if limit is not None else "",
              f"unused for {days:g} days" if days is not None else ""]
    lines = [f"{verb} {len(victims)} entries ({_size(sum(e['size'] for e in victims))}): "
             + " or ".join(x for x in limits if x) + (" (the configured limits)" if configured else "")]
    lines += [f"  {e['key'][:10]} {e['function']}{e['signature']}" for e in victims]
    _emit(args, data, "\n".join(lines))


def cmd_why(args):
    _, _, directory = _resolve(args)
    if ":" not in args.target:
        raise CliError("why takes MODULE:FUNCTION, e.g. mypkg.numbers:helper")
    module, _, name = args.target.partition(":")
    import importlib
    sys.path.insert(0, os.getcwd())
    try:
        obj = importlib.import_module(module)
        for part in name.split("."):
            obj = getattr(obj, part)
    except Exception as e:
        raise CliError(f"cannot import {args.target}: {type(e).__name__}: {e}")
    impl = getattr(obj, "_impl", None)
    if impl is None or not hasattr(impl, "captured"):
        raise CliError(f"{args.target} is not a dunnart-jitted function")
    current = keys.function_components(impl)
    current.update(keys.environment())
    index = _open(directory)
    entries = [e for e in (index.entries() if index else []) if e["function"] == current["function"]]
    if not entries:
        reasons, nearest = ["no entry for this function in the cache (never compiled with cache=True here)"], None
    else:
        scored = []
        for e in entries:
            comps = json.loads(e["components"])
            diff = [r for r in keys.differences(comps, current) if r != "signature differs"]
            scored.append((len(diff), -e["last_used"], diff, e))
        scored.sort(key=lambda s: s[:2])
        _, _, reasons, nearest = scored[0]
        if not reasons:
            reasons = ["an entry matches: a miss can only come from a signature not compiled yet ("
                       + ", ".join(sorted({e["signature"] for e in entries})) + " are cached)"]
    data = {"function": current["function"], "nearest": nearest["key"] if nearest else None,
            "reasons": reasons}
    text = f"{current['function']}: " + ("nearest entry " + nearest["key"][:10] + "\n" if nearest else "\n")
    text += "\n".join("  " + r for r in reasons)
    _emit(args, data, text)


def parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("--dir", help="cache root (default: DUNNART_CACHE_DIR, XDG_CACHE_HOME, ~/.cache)")
    p = argparse.ArgumentParser(prog="dunnart cache", description="Inspect and manage dunnart's disk cache.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("path", parents=[common], help="the cache directory")
    sub.add_parser("info", parents=[common], help="the cache directory, its origin, and the target")
    lp = sub.add_parser("list", parents=[common], help="one row per cached signature")
    lp.add_argument("--sort", choices=["last-used", "created", "hits", "size", "function", "compile-ms"],
                    default="last-used")
    lp.add_argument("--function", help="only functions whose module.qualname contains this")
    lp.add_argument("--long", action="store_true", help="also target, created and compile time")
    sp = sub.add_parser("show", parents=[common], help="one entry: key components, files, checksums")
    sp.add_argument("key", help="a key or a unique prefix of one")
    st = sub.add_parser("stats", parents=[common], help="totals and counters")
    st.add_argument("--zero", action="store_true", help="reset the counters")
    wp = sub.add_parser("why", parents=[common], help="why MODULE:FUNCTION misses the cache")
    wp.add_argument("target", metavar="MODULE:FUNCTION")
    sub.add_parser("verify", parents=[common], help="check every object; remove corrupt entries, orphans")
    pp = sub.add_parser("prune", parents=[common], help="remove old entries or shrink the cache",
                        description="Removes entries unused for DAYS days, then the least recently "
                        "used ones until the cache fits SIZE. Without --max-size and --older-than: "
                        "the configured limits, DUNNART_CACHE_MAX_SIZE (default "
                        f"{_size(DEFAULT_MAX_SIZE)}) and {DEFAULT_MAX_AGE_DAYS} days.")
    pp.add_argument("--max-size", type=_size_arg, metavar="SIZE", help="shrink to at most SIZE (e.g. 100M)")
    pp.add_argument("--older-than", type=float, metavar="DAYS",
                    help=f"entries unused for DAYS days (default with neither option: {DEFAULT_MAX_AGE_DAYS})")
    pp.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    sub.add_parser("clear", parents=[common], help="remove every entry")
    return p


def _size_arg(text):
    try:
        return parse_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e))


COMMANDS = {"path": cmd_path, "info": cmd_path, "list": cmd_list, "show": cmd_show, "stats": cmd_stats,
            "why": cmd_why, "verify": cmd_verify, "prune": cmd_prune, "clear": cmd_clear}


def main(argv):
    try:
        args = parser().parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if e.code in (0, None) else 2
    try:
        COMMANDS[args.command](args)
    except CliError as e:
        print(f"dunnart cache {args.command}: error: {e}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as e:
        print(f"dunnart cache {args.command}: error: {e}", file=sys.stderr)
        return 1
    return 0
