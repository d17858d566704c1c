"""The disk cache (cache=True) and `dunnart cache`: every run that must start cold or warm
is a fresh interpreter (subprocess) with DUNNART_CACHE_DIR under tmp_path, so tests never
touch the user's cache and never see each other's entries."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PYTHON_DIR = str(Path(__file__).resolve().parents[2] / "python")
sys.path.insert(0, PYTHON_DIR)
from dunnart.cache.layout import FORMAT  # noqa: E402

VDIR = f"v{FORMAT}"   # the versioned directory under the cache root

WRAP = """
import json, sys, warnings
sys.path.insert(0, {mod_dir!r})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
{body}
print("RESULT=" + json.dumps({{"result": result,
                              "warnings": [str(x.message) for x in caught],
                              "categories": [x.category.__name__ for x in caught]}}))
"""

MODULE = """
import numpy as np
from dunnart import njit

K = 2.0

@njit(cache=True)
def total(a):
    s = 0.0
    for x in a:
        s += x * K
    return s

@njit(cache=True)
def scale(x, n):
    return x * n + 1

@njit("float64(float64, int64)", cache=True)
def power(x, n):
    return x ** n
"""

CALL_ALL = """
import numpy as np
import mod
result = {"total": mod.total(np.arange(4.0)), "scale": mod.scale(2.5, 3), "power": mod.power(2.0, 5),
          "stats": {n: getattr(mod, n).stats for n in ("total", "scale", "power")}}
"""


def env_for(cache_dir, **extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = PYTHON_DIR + os.pathsep + env.get("PYTHONPATH", "")
    env["DUNNART_CACHE_DIR"] = str(cache_dir)
    env.pop("DUNNART_DUMP", None)
    env.pop("DUNNART_CACHE_MAX_SIZE", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(tmp_path, body, cache_dir=None, **extra):
    code = WRAP.format(mod_dir=str(tmp_path), body=textwrap.indent(textwrap.dedent(body), "    "))
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       env=env_for(cache_dir or tmp_path / "cache", **extra), timeout=120)
    assert p.returncode == 0, p.stderr
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("RESULT=")][-1]
    out = json.loads(line[len("RESULT="):])
    out["stderr"] = p.stderr
    return out


def cli(tmp_path, *args, cache_dir=None, **extra):
    p = subprocess.run([sys.executable, "-m", "dunnart", "cache", *args], cwd=tmp_path, capture_output=True,
                       text=True, env=env_for(cache_dir or tmp_path / "cache", **extra), timeout=120)
    return p.returncode, p.stdout, p.stderr


def write_module(tmp_path, text=MODULE, name="mod"):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    # Python's bytecode cache keys on mtime (1 s resolution): edits within a second must not
    # load stale .pyc files.
    for pyc in (tmp_path / "__pycache__").glob(f"{name}.*.pyc"):
        pyc.unlink()
    return path


def links(tmp_path):
    """keys/<key> links of the cache under tmp_path."""
    return sorted(p for p in (tmp_path / "cache" / VDIR / "keys").glob("*") if not p.name.startswith("."))


def compiles(out):
    return {n: s["compiles"] for n, s in out["result"]["stats"].items()}


def cache_hits(out):
    return {n: s["cache_hits"] for n, s in out["result"]["stats"].items()}


def objects(tmp_path):
    return sorted((tmp_path / "cache" / VDIR / "objects").glob("*.o"))


# -- cold, warm, invalidation ------------------------------------------------------------

def test_cold_then_warm(tmp_path):
    write_module(tmp_path)
    cold = run(tmp_path, CALL_ALL)
    assert compiles(cold) == {"total": 1, "scale": 1, "power": 1}
    assert cache_hits(cold) == {"total": 0, "scale": 0, "power": 0}
    assert len(objects(tmp_path)) == 3
    warm = run(tmp_path, CALL_ALL)
    assert compiles(warm) == {"total": 0, "scale": 0, "power": 0}
    assert cache_hits(warm) == {"total": 1, "scale": 1, "power": 1}
    for k in ("total", "scale", "power"):
        assert warm["result"][k] == cold["result"][k]
    assert cold["result"]["total"] == 12.0 and cold["result"]["scale"] == 8.5
    assert warm["result"]["power"] == 32.0
    assert warm["warnings"] == [] and cold["warnings"] == []


STRS_MODULE = """
from dunnart import njit

@njit(cache=True)
def modes(method, r, words, rows):
    t = 0
    for x in r:
        t += x * x if method == "square" else x
    return t, len(words), rows[0][0] + words[-1]
"""


def test_str_range_and_record_signatures_are_cached(tmp_path):
    write_module(tmp_path, STRS_MODULE)
    body = """
    import mod
    result = {"v": mod.modes("square", range(5), ["a", "b"], [("x", 1.5)]), "stats": {"modes": mod.modes.stats}}
    """
    cold, warm = run(tmp_path, body), run(tmp_path, body)
    assert compiles(cold) == {"modes": 1} and compiles(warm) == {"modes": 0} and cache_hits(warm) == {"modes": 1}
    assert warm["result"]["v"] == cold["result"]["v"] == [30, 2, "xb"]


MATH_MODULE = """
import math
from dunnart import njit

@njit(cache=True)
def grow(x):
    return math.exp(x) + math.gcd(6, 4)
"""


def test_a_second_signature_of_a_function_using_math_hits_too(tmp_path):
    # Regression: the helpers the capture adds (math_helpers.py) made the key of a
    # signature compiled after the first differ from the one a fresh process computes.
    write_module(tmp_path, MATH_MODULE, name="mathmod")
    body = """
    import mathmod
    result = {"v": [mathmod.grow(1.0), mathmod.grow(2)], "stats": {"grow": mathmod.grow.stats}}
    """
    cold, warm = run(tmp_path, body), run(tmp_path, body)
    assert compiles(cold) == {"grow": 2} and compiles(warm) == {"grow": 0} and cache_hits(warm) == {"grow": 2}
    assert warm["result"]["v"] == cold["result"]["v"]


def test_same_function_twice_in_one_process_and_inspection(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    out = run(tmp_path, """
        import mod
        from dunnart import njit
        again = njit(cache=True)(mod.scale.py_func)
        r1, r2 = mod.scale(1.0, 2), again(1.0, 2)
        llvm = list(mod.scale.inspect_llvm().values())[0]
        result = {"r": [r1, r2], "hits": [mod.scale.stats["cache_hits"], again.stats["cache_hits"]],
                  "llvm": "define" in llvm, "after": mod.scale(3.0, 1)}
    """)
    assert out["result"]["r"] == [3.0, 3.0] and out["result"]["after"] == 4.0
    assert out["result"]["hits"] == [1, 1]
    assert out["result"]["llvm"]


def test_editing_the_function_invalidates(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    write_module(tmp_path, MODULE.replace("return x * n + 1", "return x * n + 2"))
    out = run(tmp_path, CALL_ALL)
    assert out["result"]["scale"] == 9.5
    assert compiles(out) == {"total": 0, "scale": 1, "power": 0}


def test_changing_a_global_constant_invalidates(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    write_module(tmp_path, MODULE.replace("K = 2.0", "K = 3.0"))
    out = run(tmp_path, CALL_ALL)
    assert out["result"]["total"] == 18.0
    assert compiles(out) == {"total": 1, "scale": 0, "power": 0}


def test_editing_a_callee_in_another_module_invalidates(tmp_path):
    write_module(tmp_path, """
        from dunnart import njit

        @njit(cache=True)
        def helper(x):
            return x + 1.0
    """, name="helpers")
    write_module(tmp_path, """
        from dunnart import njit
        from helpers import helper

        @njit(cache=True)
        def caller(x):
            return helper(x) * 2.0
    """, name="callers")
    body = """
        import callers
        result = {"v": callers.caller(1.0), "stats": {"caller": callers.caller.stats}}
    """
    assert run(tmp_path, body)["result"]["v"] == 4.0
    assert compiles(run(tmp_path, body)) == {"caller": 0}
    write_module(tmp_path, """
        from dunnart import njit

        @njit(cache=True)
        def helper(x):
            return x + 10.0
    """, name="helpers")
    code, text, _ = cli(tmp_path, "why", "callers:caller")
    assert code == 0 and "callee helpers.helper changed" in text
    out = run(tmp_path, body)
    assert out["result"]["v"] == 22.0
    assert compiles(out) == {"caller": 1}
    code, text, _ = cli(tmp_path, "why", "callers:caller")
    assert code == 0 and "entry matches" in text


def test_options_are_part_of_the_key(tmp_path):
    write_module(tmp_path, """
        import os
        from dunnart import njit

        @njit(cache=True, boundscheck=os.environ.get("BC") == "1")
        def get(a, i):
            return a[i]
    """)
    body = """
        import numpy as np
        import mod
        try:
            v = mod.get(np.arange(3.0), 5)
        except IndexError:
            v = "IndexError"
        result = {"v": v, "stats": {"get": mod.get.stats}}
    """
    assert compiles(run(tmp_path, body, BC=0)) == {"get": 1}
    assert compiles(run(tmp_path, body, BC=0)) == {"get": 0}
    checked = run(tmp_path, body, BC=1)
    assert compiles(checked) == {"get": 1} and checked["result"]["v"] == "IndexError"
    checked = run(tmp_path, body, BC=1)
    assert compiles(checked) == {"get": 0} and checked["result"]["v"] == "IndexError"


# -- damage ------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete"])
def test_damaged_object_warns_and_recompiles(tmp_path, damage):
    write_module(tmp_path)
    cold = run(tmp_path, CALL_ALL)
    for obj in objects(tmp_path):
        if damage == "garbage":
            obj.write_bytes(b"\x7fELF garbage" * 10)
        elif damage == "truncate":
            obj.write_bytes(obj.read_bytes()[:100])
        else:
            obj.unlink()
    out = run(tmp_path, CALL_ALL)
    for k in ("total", "scale", "power"):
        assert out["result"][k] == cold["result"][k]
    assert compiles(out) == {"total": 1, "scale": 1, "power": 1}
    assert out["categories"].count("CacheWarning") == 3
    assert all("corrupt" in w for w in out["warnings"])
    again = run(tmp_path, CALL_ALL)  # recompiled code was stored again
    assert compiles(again) == {"total": 0, "scale": 0, "power": 0} and again["warnings"] == []
    code, text, _ = cli(tmp_path, "stats", "--json")
    assert code == 0 and json.loads(text)["corrupt"] == 3


def test_corrupt_index_is_reset(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    index = tmp_path / "cache" / VDIR / "index.sqlite"
    for extra in (index.parent / "index.sqlite-wal", index.parent / "index.sqlite-shm"):
        if extra.exists():
            extra.unlink()
    index.write_bytes(b"this is not a database" * 100)
    # Hits never read the index: they are served, and their counts go to the hit log.
    out = run(tmp_path, CALL_ALL)
    assert out["result"]["total"] == 12.0 and compiles(out) == {"total": 0, "scale": 0, "power": 0}
    assert out["warnings"] == [] and "reset" not in out["stderr"]
    # The first store finds the index corrupt and resets it, with the files it knew about.
    out = run(tmp_path, "import mod\nresult = {'scale': mod.scale(2, 3), 'compiles': mod.scale.stats['compiles']}")
    assert out["result"] == {"scale": 7, "compiles": 1}
    assert out["categories"] == ["CacheWarning"] and "reset" in out["warnings"][0]
    assert len(objects(tmp_path)) == 1 and len(links(tmp_path)) == 1
    out = run(tmp_path, CALL_ALL)
    assert out["result"]["total"] == 12.0 and compiles(out) == {"total": 1, "scale": 1, "power": 1}
    assert out["warnings"] == []
    assert compiles(run(tmp_path, CALL_ALL)) == {"total": 0, "scale": 0, "power": 0}
    code, text, _ = cli(tmp_path, "stats", "--json")
    assert code == 0 and json.loads(text)["entries"] == 4  # and scale(int, int)


def test_objects_directory_unwritable_warns_once(tmp_path):
    write_module(tmp_path)
    (tmp_path / "cache" / VDIR).mkdir(parents=True)
    (tmp_path / "cache" / VDIR / "objects").write_text("a file where the objects directory goes")
    out = run(tmp_path, CALL_ALL)
    assert out["result"]["total"] == 12.0 and out["result"]["power"] == 32.0
    assert out["categories"] == ["CacheWarning"] and "could not store" in out["warnings"][0]
    code, text, _ = cli(tmp_path, "stats", "--json")
    assert code == 0 and json.loads(text)["write_failures"] == 3


def test_unwritable_directory_falls_back_with_one_warning(tmp_path):
    write_module(tmp_path)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    (tmp_path / "tmp").mkdir()
    # Running as root ignores permissions, so a path under a regular file is the
    # unwritable directory; TMPDIR points the per-user fallback into tmp_path.
    out = run(tmp_path, CALL_ALL, cache_dir=blocker / "sub", TMPDIR=tmp_path / "tmp")
    assert out["result"]["total"] == 12.0
    assert out["categories"] == ["CacheWarning"]
    assert "not writable" in out["warnings"][0] and str(tmp_path / "tmp") in out["warnings"][0]
    warm = run(tmp_path, CALL_ALL, cache_dir=blocker / "sub", TMPDIR=tmp_path / "tmp")
    assert compiles(warm) == {"total": 0, "scale": 0, "power": 0}
    # No usable fallback either: memory only, still one warning and right answers.
    patch = "import dunnart.cache.writes as writes\nwrites.fallback_root = lambda: %r\n" % str(blocker / "x")
    out = run(tmp_path, patch + textwrap.dedent(CALL_ALL), cache_dir=blocker / "sub")
    assert out["result"]["total"] == 12.0 and out["result"]["power"] == 32.0
    assert out["categories"] == ["CacheWarning"] and "memory only" in out["warnings"][0]


def test_read_only_directory_still_serves_hits(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    # Root can write anywhere: make the directory look unwritable to the cache instead.
    patch = "import dunnart.cache.writes as writes\nwrites.make_writable_dir = lambda p: False\n"
    out = run(tmp_path, patch + textwrap.dedent(CALL_ALL).replace("mod.scale(2.5, 3)", "mod.scale(2, 3)"))
    assert out["result"]["total"] == 12.0 and out["result"]["scale"] == 7
    assert compiles(out) == {"total": 0, "scale": 1, "power": 0}  # scale(int, int) is new
    assert out["categories"] == ["CacheWarning"] and "read-only" in out["warnings"][0]
    code, text, _ = cli(tmp_path, "list", "--json")
    assert code == 0 and len(json.loads(text)) == 3  # nothing was stored


def test_size_limit_evicts(tmp_path):
    write_module(tmp_path)
    out = run(tmp_path, CALL_ALL, DUNNART_CACHE_MAX_SIZE=1)
    assert out["result"]["total"] == 12.0
    code, text, _ = cli(tmp_path, "stats", "--json")
    stats = json.loads(text)
    assert code == 0 and stats["entries"] == 0 and stats["evictions"] == 3


def test_concurrent_processes(tmp_path):
    write_module(tmp_path)
    code = WRAP.format(mod_dir=str(tmp_path), body=textwrap.indent(textwrap.dedent(CALL_ALL), "    "))
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env_for(tmp_path / "cache"))
             for _ in range(8)]
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
        out = json.loads([ln for ln in stdout.splitlines() if ln.startswith("RESULT=")][-1][7:])
        assert (out["result"]["total"], out["result"]["scale"], out["result"]["power"]) == (12.0, 8.5, 32.0)
        assert out["warnings"] == []
    code, text, _ = cli(tmp_path, "list", "--json")
    entries = json.loads(text)
    assert code == 0 and len(entries) == 3 and len({e["key"] for e in entries}) == 3
    code, text, _ = cli(tmp_path, "verify", "--json")
    assert code == 0 and json.loads(text)["corrupt"] == [] and json.loads(text)["orphans"] == []


# -- the command -------------------------------------------------------------------------

def test_cli_on_a_missing_cache(tmp_path):
    missing = tmp_path / "nowhere"
    code, text, _ = cli(tmp_path, "path", cache_dir=missing)
    assert code == 0 and text.strip() == str(missing / VDIR)
    code, text, _ = cli(tmp_path, "info", "--json", cache_dir=missing)
    info = json.loads(text)
    assert code == 0 and info["exists"] is False and info["source"] == "DUNNART_CACHE_DIR"
    assert info["llvm"] and info["cpu"]
    code, text, _ = cli(tmp_path, "list", cache_dir=missing)
    assert code == 0 and "no entries" in text
    code, text, _ = cli(tmp_path, "list", "--json", cache_dir=missing)
    assert code == 0 and json.loads(text) == []
    code, text, _ = cli(tmp_path, "stats", "--json", cache_dir=missing)
    assert code == 0 and json.loads(text)["entries"] == 0 and json.loads(text)["hits"] == 0
    for args in (["verify"], ["clear"], ["prune", "--older-than", "1"]):
        code, _, err = cli(tmp_path, *args, cache_dir=missing)
        assert code == 0, err
    code, _, err = cli(tmp_path, "show", "abc", cache_dir=missing)
    assert code == 1 and "error" in err
    assert not missing.exists()  # reading never creates the cache
    code, text, err = cli(tmp_path, "prune", cache_dir=missing)  # the configured limits
    assert code == 0 and "removed 0 entries" in text, err
    assert not missing.exists()
    code, _, _ = cli(tmp_path, "frobnicate", cache_dir=missing)
    assert code == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = cli(tmp_path, "list", "--dir", str(blocker))
    assert code == 1 and "not a directory" in err


def test_cli_on_a_filled_cache(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    run(tmp_path, CALL_ALL)
    code, text, _ = cli(tmp_path, "list")
    assert code == 0 and "mod.total" in text and "mod.power" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    for args in (["info"], ["list", "--long"], ["stats"]):
        code, text, _ = cli(tmp_path, *args)
        assert code == 0, text  # lines fit 80 columns, except those showing the (long) tmp path
        assert all(len(line) <= 80 for line in text.splitlines() if str(tmp_path) not in line), text
    code, text, _ = cli(tmp_path, "list", "--json", "--function", "power")
    entries = json.loads(text)
    assert code == 0 and len(entries) == 1 and entries[0]["hits"] == 1
    assert entries[0]["signature"] == "float64(float64, int64)"
    key = entries[0]["key"]
    code, text, _ = cli(tmp_path, "show", key[:12])
    assert code == 0 and key in text and "bytecode" in text and "(ok)" in text
    code, text, _ = cli(tmp_path, "show", key, "--json")
    assert code == 0 and json.loads(text)["components"]["signature"]
    code, text, _ = cli(tmp_path, "stats", "--json")
    stats = json.loads(text)
    assert code == 0 and stats["entries"] == 3 and stats["hits"] == 3 and stats["misses"] == 3
    code, text, _ = cli(tmp_path, "stats", "--zero")
    assert code == 0 and "reset" in text
    assert json.loads(cli(tmp_path, "stats", "--json")[1])["hits"] == 0
    # verify: a corrupt object, an orphan and a stale temp file
    objs = objects(tmp_path)
    objs[0].write_bytes(b"junk")
    (objs[0].parent / ("0" * 64 + ".o")).write_bytes(b"orphan")
    code, text, _ = cli(tmp_path, "verify", "--json")
    report = json.loads(text)
    assert code == 0 and len(report["corrupt"]) == 1 and report["ok"] == 2 and len(report["orphans"]) == 1
    code, text, _ = cli(tmp_path, "prune", "--max-size", "0", "--dry-run")
    assert code == 0 and "would remove 2" in text
    code, text, _ = cli(tmp_path, "prune", "--max-size", "0")
    assert code == 0 and "removed 2" in text
    run(tmp_path, CALL_ALL)
    code, text, _ = cli(tmp_path, "clear")
    assert code == 0 and "removed 3 entries" in text
    assert objects(tmp_path) == []
    code, text, _ = cli(tmp_path, "list", "--json")
    assert json.loads(text) == []


def test_why_explains_a_miss(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    write_module(tmp_path, MODULE.replace("K = 2.0", "K = 5.0").replace("x * n + 1", "x * n - 1"))
    code, text, _ = cli(tmp_path, "why", "mod:total")
    assert code == 0 and "global or closure values changed" in text
    code, text, _ = cli(tmp_path, "why", "mod:scale", "--json")
    assert code == 0 and "bytecode changed" in json.loads(text)["reasons"]
    code, _, err = cli(tmp_path, "why", "mod:nothing")
    assert code == 1 and "cannot import" in err


def test_features_flag():
    import dunnart
    assert dunnart.features["cache"] is True


# -- the hit path: keys/<key> links, object trailers, imports ------------------------------

SCALAR_MODULE = """
from dunnart import njit

K = 2.0

@njit(cache=True)
def axpy(x, y):
    return K * x + y
"""

# A child that prints what it imported, without importing json itself: modules new since
# the interpreter started, after the first call and again at exit (its atexit handler is
# registered before dunnart's, so it runs after dunnart's hit counts are written).
HIT_CHILD = """
import atexit, sys
before = set(sys.modules)
WATCH = ("sqlite3", "_sqlite3", "dis", "json", "hashlib", "numpy", "inspect", "ctypes", "tempfile",
         "dunnart._compiler")

def new():
    return sorted(m for m in WATCH if m in sys.modules and m not in before)

atexit.register(lambda: print("AT_EXIT=" + repr(new())))
sys.path.insert(0, {mod_dir!r})
import dunnart
import mod
result = mod.axpy(1.5, 0.25)
print("RESULT=" + repr({{"result": result, "new": new(), "stats": mod.axpy.stats}}))
"""


def run_hit_child(tmp_path):
    import ast
    p = subprocess.run([sys.executable, "-c", HIT_CHILD.format(mod_dir=str(tmp_path))], cwd=tmp_path,
                       capture_output=True, text=True, env=env_for(tmp_path / "cache"), timeout=120)
    assert p.returncode == 0, p.stderr
    out = ast.literal_eval([ln for ln in p.stdout.splitlines() if ln.startswith("RESULT=")][-1][7:])
    out["at_exit"] = ast.literal_eval([ln for ln in p.stdout.splitlines() if ln.startswith("AT_EXIT=")][-1][8:])
    return out, p.stderr


def test_warm_hit_imports_nothing_heavy(tmp_path):
    """A process whose scalar function comes from the cache never loads LLVM (the
    compiler), NumPy, SQLite, dis or hashlib: not for the call, not at exit."""
    write_module(tmp_path, SCALAR_MODULE)
    cold, _ = run_hit_child(tmp_path)
    assert cold["result"] == 3.25 and cold["stats"]["compiles"] == 1
    assert "dunnart._compiler" in cold["new"]
    for _ in range(2):
        warm, stderr = run_hit_child(tmp_path)
        assert warm["result"] == 3.25, stderr
        assert warm["stats"]["compiles"] == 0 and warm["stats"]["cache_hits"] == 1
        assert warm["new"] == [] and warm["at_exit"] == [], (warm["new"], warm["at_exit"])
    # The hits went to the hit log and are folded into the index when the CLI opens it.
    assert (tmp_path / "cache" / VDIR / "hits.log").exists()
    code, text, _ = cli(tmp_path, "stats", "--json")
    stats = json.loads(text)
    assert code == 0 and stats["hits"] == 2 and stats["misses"] == 1 and stats["entries"] == 1
    assert not (tmp_path / "cache" / VDIR / "hits.log").exists()
    code, text, _ = cli(tmp_path, "list", "--json")
    assert json.loads(text)[0]["hits"] == 2


def test_hit_log_ignores_torn_lines(tmp_path):
    write_module(tmp_path, SCALAR_MODULE)
    run_hit_child(tmp_path)
    run_hit_child(tmp_path)
    log = tmp_path / "cache" / VDIR / "hits.log"
    log.write_bytes(log.read_bytes() + b"not a key\t1\n" + b"abc\tx\ty\n" + b"\xff\xfe\n" + b"miss\t2\t0\n")
    code, text, _ = cli(tmp_path, "stats", "--json")
    stats = json.loads(text)
    assert code == 0 and stats["hits"] == 1 and stats["misses"] == 3


def test_key_and_lookup_import_no_numpy_dis_or_sqlite(tmp_path):
    """The key and the Python part of a hit, in a process that never imported NumPy
    (the argument types are decoded, not taken from values; the loader is stubbed)."""
    write_module(tmp_path, SCALAR_MODULE)
    run_hit_child(tmp_path)
    out = run(tmp_path, """
        import sys
        before = set(sys.modules)
        from dunnart import _core
        import dunnart.cache as cache
        import mod
        loaded = []
        _core.load_object = lambda elf, args, ret, symbol, nogil: loaded.append(
            (elf[:4], symbol)) or "stub"
        f = _core.decode_type("F64")  # what typeof(1.5) gives, without typeof (NumPy)
        compiled, key, components = cache.lookup(mod.axpy._impl, (f, f), None)
        new = sorted(m for m in ("numpy", "dis", "sqlite3", "_sqlite3", "hashlib", "inspect")
                     if m in sys.modules and m not in before)
        result = {"compiled": compiled, "loaded": [[repr(a), b] for a, b in loaded], "new": new,
                  "components": sorted(components)}
    """)
    r = out["result"]
    assert r["compiled"] == "stub" and r["loaded"][0][0] == repr(b"\x7fELF")
    assert "capture" not in r["components"] and {"bytecode", "positions", "globals", "callees"} <= set(r["components"])
    assert r["new"] == [], r["new"]


def test_trailer_round_trip():
    from dunnart.cache.layout import MAGIC, CorruptObject, pack, unpack
    elf = b"\x7fELF" + bytes(range(256)) * 3
    meta = {"key": "ab" * 32, "function": "mod.f", "symbol": "dn_f_1", "return_type": "F64",
            "arg_types": "F64,I64", "signature": "float64(float64, int64)", "compile_ms": "12.5",
            "odd": "a=b\nc\\d"}
    blob = pack(elf, meta)
    assert blob.startswith(elf) and blob.endswith(MAGIC)
    got_elf, got_meta = unpack(blob)
    assert got_elf == elf and got_meta == meta
    assert unpack(pack(b"", {})) == (b"", {})
    for bad in (elf, blob[:-1], blob[:-20] + blob[-16:], b"x" * 8 + (10 ** 6).to_bytes(8, "little") + MAGIC):
        with pytest.raises(CorruptObject):
            unpack(bad)


def _entries(tmp_path):
    code, text, _ = cli(tmp_path, "list", "--json")
    assert code == 0
    return {(e["function"], e["arg_types"]): e for e in json.loads(text)}


SCALE_BOTH = """
import mod
result = {"f": mod.scale(2.5, 3), "i": mod.scale(2, 3), "stats": {"scale": mod.scale.stats}}
"""


@pytest.mark.parametrize("damage", ["missing_object", "dangling", "bitflip", "other_arg_types", "not_a_link"])
def test_damaged_link_warns_and_recompiles(tmp_path, damage):
    write_module(tmp_path)
    cold = run(tmp_path, SCALE_BOTH)
    assert cold["result"]["f"] == 8.5 and cold["result"]["i"] == 7
    entries = _entries(tmp_path)
    f_entry = entries[("mod.scale", "F64,I64")]
    i_entry = entries[("mod.scale", "I64,I64")]
    cache = tmp_path / "cache" / VDIR
    link = cache / "keys" / f_entry["key"]
    obj = cache / "objects" / f_entry["object"]
    assert os.readlink(link) == "../objects/" + f_entry["object"]
    if damage == "missing_object":
        obj.unlink()
    elif damage == "dangling":
        link.unlink()
        link.symlink_to("../objects/nothing-here")
    elif damage == "bitflip":
        data = bytearray(obj.read_bytes())
        data[len(data) // 3] ^= 0x10
        obj.write_bytes(bytes(data))
    elif damage == "other_arg_types":  # a valid object, but scale(int, int)'s
        link.unlink()
        link.symlink_to("../objects/" + i_entry["object"])
    else:  # a regular file with garbage where the link goes
        link.unlink()
        link.write_bytes(b"\x00garbage")
    out = run(tmp_path, SCALE_BOTH)
    assert out["result"]["f"] == 8.5 and out["result"]["i"] == 7
    assert out["result"]["stats"]["scale"]["compiles"] == 1 and out["result"]["stats"]["scale"]["cache_hits"] == 1
    assert out["categories"] == ["CacheWarning"] and "corrupt" in out["warnings"][0], out["warnings"]
    again = run(tmp_path, SCALE_BOTH)  # recompiled and stored again; the other entry untouched
    assert again["result"]["stats"]["scale"]["compiles"] == 0 and again["warnings"] == []
    assert again["result"]["f"] == 8.5 and again["result"]["i"] == 7
    code, text, _ = cli(tmp_path, "verify", "--json")
    report = json.loads(text)
    assert code == 0 and report["corrupt"] == [] and report["relinked"] == [], report
    assert report["unindexed_links"] == [] and report["orphans"] == [], report
    assert json.loads(cli(tmp_path, "stats", "--json")[1])["corrupt"] == 1


def test_verify_repairs_links(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    entries = list(_entries(tmp_path).values())
    cache = tmp_path / "cache" / VDIR
    (cache / "keys" / entries[0]["key"]).unlink()                      # a row without its link
    (cache / "keys" / entries[1]["key"]).unlink()                      # a link to the wrong object
    (cache / "keys" / entries[1]["key"]).symlink_to("../objects/" + entries[2]["object"])
    (cache / "keys" / ("e" * 64)).symlink_to("../objects/" + entries[2]["object"])  # no row
    (cache / "keys" / ("d" * 64)).symlink_to("../objects/" + "0" * 64 + ".o")      # dangling, no row
    code, text, _ = cli(tmp_path, "verify", "--json")
    report = json.loads(text)
    assert code == 0 and report["ok"] == 3 and report["corrupt"] == []
    assert sorted(report["relinked"]) == sorted([entries[0]["key"], entries[1]["key"]])
    assert sorted(report["unindexed_links"]) == ["d" * 64, "e" * 64]
    assert report["dangling_links"] == ["d" * 64]
    assert sorted(p.name for p in links(tmp_path)) == sorted(e["key"] for e in entries)
    for e in entries:
        assert os.readlink(cache / "keys" / e["key"]) == "../objects/" + e["object"]
    code, text, _ = cli(tmp_path, "verify")
    assert code == 0 and "recreated 0 missing links" in text
    warm = run(tmp_path, CALL_ALL)
    assert compiles(warm) == {"total": 0, "scale": 0, "power": 0} and warm["warnings"] == []


def test_read_only_directory_serves_hits_silently(tmp_path):
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    cache = tmp_path / "cache"
    dirs = [cache] + [p for p in cache.rglob("*") if p.is_dir() and not p.is_symlink()]
    for d in dirs:
        d.chmod(0o555)
    try:
        # Root writes anywhere: also make the directory look unwritable to the cache.
        patch = "import dunnart.cache.writes as writes\nwrites.make_writable_dir = lambda p: False\n"
        out = run(tmp_path, patch + textwrap.dedent(CALL_ALL))
        assert compiles(out) == {"total": 0, "scale": 0, "power": 0}
        assert cache_hits(out) == {"total": 1, "scale": 1, "power": 1}
        assert out["result"]["total"] == 12.0 and out["result"]["power"] == 32.0
        assert out["warnings"] == [] and "Warning" not in out["stderr"], out["stderr"]
    finally:
        for d in dirs:
            d.chmod(0o755)


def test_module_attribute_and_closure_values_are_part_of_the_key(tmp_path):
    write_module(tmp_path, "SCALE = 2.0\n", name="settings")
    write_module(tmp_path, """
        import settings
        from dunnart import njit

        def make(c):
            @njit(cache=True)
            def inner(x):
                return x * settings.SCALE + c
            return inner

        f = make(1.0)
    """)
    body = """
        import mod
        result = {"v": mod.f(3.0), "stats": {"f": mod.f.stats}}
    """
    assert run(tmp_path, body)["result"]["v"] == 7.0
    assert compiles(run(tmp_path, body)) == {"f": 0}
    write_module(tmp_path, "SCALE = 3.0\n", name="settings")
    out = run(tmp_path, body)
    assert out["result"]["v"] == 10.0 and compiles(out) == {"f": 1}
    code, text, _ = cli(tmp_path, "why", "mod:f")
    assert code == 0
    write_module(tmp_path, (tmp_path / "mod.py").read_text().replace("make(1.0)", "make(5.0)"))
    out = run(tmp_path, body)
    assert out["result"]["v"] == 14.0 and compiles(out) == {"f": 1}


def test_sha256_matches_hashlib():
    """The cache's keys and object names use dunnart's own SHA-256 (no hashing module on
    the hit path): every padding case (lengths around the 56- and 64-byte boundaries),
    empty input, and a large random buffer."""
    import hashlib
    import random
    from dunnart import _core
    rng = random.Random(5)
    for n in list(range(0, 200)) + [1000, 4096, 65537, 10**6 + 3]:
        data = bytes(rng.getrandbits(8) for _ in range(n)) if n < 5000 else rng.randbytes(n)
        assert _core.sha256_hex(data) == hashlib.sha256(data).hexdigest(), n


FALLBACK_MODULE = """
from dunnart import jit

@jit(cache=True)
def describe(x):
    return dict(x=x)   # dict() of keywords does not compile: object mode
"""

CALL_FALLBACK = """
import sys
import mod
r = mod.describe(2.5)
result = {"r": r, "compiler": "dunnart._compiler" in sys.modules, "stats": mod.describe.stats}
"""


def test_object_mode_fallback_is_remembered(tmp_path):
    """@jit(cache=True): a signature that fell back to object mode is not compiled again
    in later processes (no compiler load, same warning with the typing error), until the
    function changes."""
    write_module(tmp_path, FALLBACK_MODULE)
    first = run(tmp_path, CALL_FALLBACK)
    assert first["result"]["r"] == {"x": 2.5} and first["result"]["compiler"] is True
    assert first["categories"] == ["ObjectModeWarning"]
    assert len(list((tmp_path / "cache" / VDIR / "fallbacks").iterdir())) == 1
    second = run(tmp_path, CALL_FALLBACK)
    assert second["result"]["r"] == {"x": 2.5}
    assert second["result"]["compiler"] is False and second["result"]["stats"]["compiles"] == 0
    assert second["categories"] == ["ObjectModeWarning"] and second["warnings"] == first["warnings"]
    # An edit that makes it compile: tried again, compiled, and cached.
    write_module(tmp_path, FALLBACK_MODULE.replace('dict(x=x)   # dict() of keywords does not compile: object mode', "x * 2"))
    third = run(tmp_path, CALL_FALLBACK)
    assert third["result"]["r"] == 5.0 and third["warnings"] == [] and third["result"]["stats"]["compiles"] == 1
    code, _, _ = cli(tmp_path, "clear")
    assert code == 0 and list((tmp_path / "cache" / VDIR / "fallbacks").iterdir()) == []


KERNELS_MODULE = """
import math
import numpy as np
from dunnart import njit

@njit(cache=True)
def lse(a):                      # reductions and np.exp over an array: libmvec
    m = a.max()
    return m + np.log(np.sum(np.exp(a - m)))

@njit(cache=True)
def gram(a, b):                  # a @ b: the runtime's matmul, NumPy's BLAS at this size
    return (a @ b).sum()

@njit(cache=True)
def branchy(n, x):               # libm calls, Python's % and //, a chain of branches
    s = 0.0
    for i in range(n):
        k = i % 5
        if k == 0:
            s += math.exp(x * 1e-3)
        elif k == 1:
            s -= math.log1p(x) // 0.7
        elif k == 2:
            s += math.fmod(x, 0.3) + (x % 0.3)
        elif k == 3:
            s += math.pow(x, 1.5)
        else:
            s -= math.tanh(x)
        x += 0.25
    return s
"""

CALL_KERNELS = """
import sys
import numpy as np
import mod
rng = np.random.default_rng(3)
a = rng.standard_normal(1003)
m = rng.standard_normal((40, 50))
n = rng.standard_normal((50, 30))
result = {"lse": mod.lse(a), "gram": mod.gram(m, n), "branchy": mod.branchy(101, 0.5),
          "want": [float(np.log(np.sum(np.exp(a - a.max()))) + a.max()), float((m @ n).sum()),
                   mod.branchy.py_func(101, 0.5)],
          "compiles": sum(f.stats["compiles"] for f in (mod.lse, mod.gram, mod.branchy)),
          "compiler": "dunnart._compiler" in sys.modules}
"""


def test_cached_kernels_load_without_the_compiler(tmp_path):
    """Code that calls libmvec, libm, the runtime and NumPy's BLAS comes back from the
    cache through dunnart's own loader, in a process that never loads LLVM, with the
    answers the compiled code gave."""
    write_module(tmp_path, KERNELS_MODULE)
    cold = run(tmp_path, CALL_KERNELS)["result"]
    warm = run(tmp_path, CALL_KERNELS)["result"]
    assert cold["compiles"] == 3 and cold["compiler"] is True
    assert warm["compiles"] == 0 and warm["compiler"] is False
    for r in (cold, warm):
        assert r["lse"] == pytest.approx(r["want"][0], rel=1e-12)
        assert r["gram"] == pytest.approx(r["want"][1], rel=1e-9)
        assert r["branchy"] == pytest.approx(r["want"][2], rel=1e-12)
    assert warm["lse"] == cold["lse"] and warm["gram"] == cold["gram"] and warm["branchy"] == cold["branchy"]


def test_hit_log_is_folded_when_it_grows(tmp_path):
    """A cache that is only ever hit (no store opens the index) folds its hit log itself
    once it is long, so the log never grows without bound."""
    from dunnart.cache import hitlog
    write_module(tmp_path, SCALAR_MODULE)
    run_hit_child(tmp_path)
    log = tmp_path / "cache" / VDIR / "hits.log"
    key = "ab" * 32
    log.write_bytes((f"{key}\t1.000\t0.000\n".encode()) * (hitlog.FOLD_AT_BYTES // 25 + 10))
    warm, _ = run_hit_child(tmp_path)
    assert warm["stats"]["cache_hits"] == 1
    assert not log.exists() or log.stat().st_size < 1000
    code, text, _ = cli(tmp_path, "stats", "--json")
    assert code == 0 and json.loads(text)["hits"] >= 1


# -- a corrupt entry is replaced by the compile that follows ------------------------------

def test_bit_flip_is_repaired_by_the_next_compile(tmp_path):
    """One flipped byte in an object: the next process warns once, recompiles and stores
    the entry again (object, link, index row), so the one after hits without a warning."""
    write_module(tmp_path)
    cold = run(tmp_path, SCALE_BOTH)
    entry = _entries(tmp_path)[("mod.scale", "F64,I64")]
    obj = tmp_path / "cache" / VDIR / "objects" / entry["object"]
    data = bytearray(obj.read_bytes())
    data[len(data) // 2] ^= 0x01
    obj.write_bytes(bytes(data))
    out = run(tmp_path, SCALE_BOTH)
    assert out["result"]["f"] == 2.5 * 3 + 1 and out["result"]["i"] == 2 * 3 + 1
    assert out["result"]["stats"]["scale"]["compiles"] == 1
    assert out["categories"] == ["CacheWarning"] and "corrupt" in out["warnings"][0]
    fresh = _entries(tmp_path)[("mod.scale", "F64,I64")]
    assert fresh["key"] == entry["key"] and fresh["object"] != entry["object"]
    assert not obj.exists()
    assert os.readlink(tmp_path / "cache" / VDIR / "keys" / entry["key"]) == "../objects/" + fresh["object"]
    for _ in range(2):
        again = run(tmp_path, SCALE_BOTH)
        assert again["warnings"] == [] and again["result"] == {**cold["result"], "stats": again["result"]["stats"]}
        assert again["result"]["stats"]["scale"]["compiles"] == 0
        assert again["result"]["stats"]["scale"]["cache_hits"] == 2


# -- never load code another user could have written --------------------------------------

EVIL_SCALE = MODULE.replace("return x * n + 1", "return x * n + 1000")
SCALE_F = """
import mod
result = {"f": mod.scale(2.5, 3), "stats": {"scale": mod.scale.stats}}
"""


def plant(tmp_path, cache_root):
    """Replaces the cached scale(float64, int64) in `cache_root` by code that returns
    x * n + 1000, with a trailer that names the real key: what another user who can
    write the directory would do. Returns the versioned cache directory."""
    from dunnart.cache.layout import object_name, pack, unpack
    evil_dir = tmp_path / "evil"
    evil_dir.mkdir()
    write_module(evil_dir, EVIL_SCALE)
    assert run(evil_dir, SCALE_F)["result"]["f"] == 1007.5
    evil = _entries(evil_dir)[("mod.scale", "F64,I64")]
    elf, meta = unpack((evil_dir / "cache" / VDIR / "objects" / evil["object"]).read_bytes())
    cache = cache_root / VDIR
    real = {e["arg_types"]: e for e in json.loads(cli(tmp_path, "list", "--json", cache_dir=cache_root)[1])}["F64,I64"]
    meta["key"] = real["key"]
    blob = pack(elf, meta)
    (cache / "objects" / object_name(blob)).write_bytes(blob)
    link = cache / "keys" / real["key"]
    link.unlink()
    link.symlink_to("../objects/" + object_name(blob))
    return cache


@pytest.mark.parametrize("where", ["objects_0777", "keys_other_owner", "cache_dir_0777", "object_other_owner"])
def test_code_another_user_could_write_is_not_loaded(tmp_path, where):
    write_module(tmp_path)
    assert run(tmp_path, SCALE_F)["result"]["f"] == 8.5
    cache = plant(tmp_path, tmp_path / "cache")
    (tmp_path / "tmp").mkdir()
    tmp = {"TMPDIR": tmp_path / "tmp"}
    planted = run(tmp_path, SCALE_F, **tmp)
    assert planted["result"]["f"] == 1007.5 and planted["warnings"] == []  # the plant works
    if where == "objects_0777":
        (cache / "objects").chmod(0o777)
        culprit, why = cache / "objects", "writable by group and others"
    elif where == "keys_other_owner":
        os.chown(cache / "keys", 12345, -1)
        culprit, why = cache / "keys", "owned by uid 12345"
    elif where == "cache_dir_0777":
        cache.chmod(0o777)
        culprit, why = cache, "writable by group and others"
    else:
        target = cache / "keys" / os.readlink(cache / "keys" / _entries(tmp_path)[("mod.scale", "F64,I64")]["key"])
        os.chown(target, 12345, -1, follow_symlinks=True)
        culprit, why = target.resolve(), "owned by uid 12345"
    for n in range(2):
        out = run(tmp_path, SCALE_F, **tmp)
        assert out["result"]["f"] == 2.5 * 3 + 1, where
        assert out["categories"] == ["CacheWarning"], out["warnings"]
        assert str(culprit) in out["warnings"][0] and why in out["warnings"][0], out["warnings"]
        if where == "object_other_owner":  # the directory is safe: the entry is replaced
            assert "not safe to load" in out["warnings"][0]
            break
        # The compile is stored in the per-user fallback directory, which the next process hits.
        assert "caching in " + str(tmp_path / "tmp" / "dunnart-cache-0") in out["warnings"][0]
        assert out["result"]["stats"]["scale"]["compiles"] == (1 if n == 0 else 0)
    if where == "object_other_owner":
        again = run(tmp_path, SCALE_F, **tmp)
        assert again["result"]["f"] == 8.5 and again["warnings"] == []
        assert again["result"]["stats"]["scale"]["cache_hits"] == 1


@pytest.mark.parametrize("problem", ["other_owner", "0777", "link"])
def test_fallback_directory_another_user_could_write_is_refused(tmp_path, problem):
    write_module(tmp_path)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    (tmp_path / "tmp").mkdir()
    env = {"cache_dir": blocker / "sub", "TMPDIR": tmp_path / "tmp"}
    root = tmp_path / "tmp" / "dunnart-cache-0"
    first = run(tmp_path, SCALE_F, **env)
    assert first["result"]["f"] == 8.5 and "caching in" in first["warnings"][0]
    assert root.stat().st_mode & 0o777 == 0o700  # made private
    plant(tmp_path, root)
    planted = run(tmp_path, SCALE_F, **env)
    assert planted["result"]["f"] == 1007.5  # the plant works while the directory is trusted
    if problem == "other_owner":
        os.chown(root, 12345, -1)
        why = "owned by uid 12345"
    elif problem == "0777":
        root.chmod(0o777)
        why = "writable by group and others"
    else:  # another user made the name a link to a directory of theirs
        root.rename(tmp_path / "tmp" / "theirs")
        root.symlink_to(tmp_path / "tmp" / "theirs")
        why = "link"
    out = run(tmp_path, SCALE_F, **env)
    assert out["result"]["f"] == 8.5 and out["result"]["stats"]["scale"]["compiles"] == 1
    assert out["categories"] == ["CacheWarning"], out["warnings"]
    warning = out["warnings"][0]
    assert "memory only" in warning and str(root) in warning and why in warning, warning


# -- global arrays in the key --------------------------------------------------------------

def _key_of(fn, *arg_codes):
    from dunnart import _core, njit
    from dunnart.cache import key as keys
    impl = njit(cache=True)(fn)._impl
    return keys.compute(impl, tuple(_core.decode_type(c) for c in arg_codes), None)[0]


def test_global_array_contents_are_part_of_the_key():
    """The key hashes a global NumPy array's dtype, shape and contents (in C order,
    whatever its strides), and a NumPy scalar's type and value: a changed element is a
    miss, equal contents are the same key."""
    import numpy as np
    ns = {}
    exec("def f(i):\n    return TABLE[i] * SCALE\n", ns)

    def key(table, scale=np.float64(2.0)):
        ns["TABLE"], ns["SCALE"] = table, scale
        return _key_of(ns["f"], "I64")

    base = key(np.arange(6.0))
    assert base == key(np.arange(6.0))                        # another array, same contents
    assert base == key(np.repeat(np.arange(6.0), 2)[::2])    # strided, same contents
    changed = np.arange(6.0)
    changed[3] = 7.0
    assert key(changed) != base                               # one element
    assert key(np.arange(6)) != base                          # dtype
    assert key(np.arange(6.0).reshape(2, 3)) != key(np.arange(6.0).reshape(3, 2))  # shape
    assert key(np.asfortranarray(np.arange(6.0).reshape(2, 3))) == key(np.arange(6.0).reshape(2, 3))
    assert key(np.array([1.0])) != key(np.array([2.0]))       # one-element and 0-d arrays
    assert key(np.array(1.0)) != key(np.array(2.0))
    big = np.zeros(100_000)
    other = big.copy()
    other[-1] = 1.0                                           # beyond what repr() shows
    assert key(big) != key(other)
    assert key(np.arange(6.0), np.float64(3.0)) != base       # NumPy scalars
    assert key(np.arange(6.0), np.float32(2.0)) != base
    assert key(np.arange(6.0), np.float32(2.0)) == key(np.arange(6.0), np.float32(2.0))


def test_closure_array_contents_are_part_of_the_key():
    import numpy as np

    def make(table):
        def f(i):
            return table[i]
        return f

    a = np.arange(4.0)
    assert _key_of(make(a), "I64") == _key_of(make(a.copy()), "I64")
    b = a.copy()
    b[0] = -1.0
    assert _key_of(make(b), "I64") != _key_of(make(a), "I64")


# -- prune with the configured limits ------------------------------------------------------

def test_prune_without_limits_applies_the_configured_ones(tmp_path):
    """`prune --dry-run` alone shows what DUNNART_CACHE_MAX_SIZE and the default age (30
    days) would remove, and removes nothing; `prune` alone removes it."""
    import sqlite3
    write_module(tmp_path)
    run(tmp_path, CALL_ALL)
    entries = _entries(tmp_path)  # also folds the hit log into the index
    old = entries[("mod.scale", "F64,I64")]
    db = sqlite3.connect(tmp_path / "cache" / VDIR / "index.sqlite")
    with db:
        db.execute("UPDATE entries SET last_used = last_used - 31 * 86400 WHERE key = ?", (old["key"],))
    db.close()
    code, text, err = cli(tmp_path, "prune", "--dry-run", "--json")
    report = json.loads(text)
    assert code == 0, err
    assert [e["key"] for e in report["removed"]] == [old["key"]] and report["older_than_days"] == 30
    assert report["max_size"] == 1 << 30 and report["configured_limits"] is True
    code, text, _ = cli(tmp_path, "prune", "--dry-run")
    assert code == 0 and "would remove 1 entries" in text and "30 days" in text and "mod.scale" in text
    total = sum(e["size"] for e in entries.values())
    code, text, _ = cli(tmp_path, "prune", "--dry-run", "--json", DUNNART_CACHE_MAX_SIZE=total - old["size"] - 1)
    assert code == 0 and len(json.loads(text)["removed"]) == 2  # the old one, then the least recently used
    assert len(_entries(tmp_path)) == 3 and len(objects(tmp_path)) == 3  # a dry run removes nothing
    code, text, _ = cli(tmp_path, "prune")
    assert code == 0 and "removed 1 entries" in text
    assert set(_entries(tmp_path)) == set(entries) - {("mod.scale", "F64,I64")}
    assert len(objects(tmp_path)) == 2


def test_a_failing_lookup_is_replaced_by_the_next_compile(tmp_path):
    """Whatever makes a lookup fail (here the loader itself raising), the compile that
    follows stores the entry again, so the next process hits without a warning."""
    write_module(tmp_path)
    run(tmp_path, SCALE_BOTH)
    # The failing loader also takes the bad entry away (as a loader that gives up on it
    # would): unless the compile stores again, the next process has nothing to hit.
    body = ("import os\nimport dunnart.cache as store\n"
            "def broken(self, directory, key, *a, **k):\n"
            "    link = os.path.join(directory, 'keys', key)\n"
            "    if os.path.lexists(link):\n        os.unlink(link)\n"
            "    raise RuntimeError('simulated loader failure')\n"
            "store.DiskCache._load_from = broken\n" + SCALE_BOTH)
    out = run(tmp_path, body)
    assert set(out["categories"]) == {"CacheWarning"}
    assert all("simulated loader failure" in w for w in out["warnings"])  # one per lookup
    assert out["result"]["stats"]["scale"]["compiles"] == 2  # both signatures compiled, and stored
    again = run(tmp_path, SCALE_BOTH)
    assert again["warnings"] == [] and again["result"]["stats"]["scale"]["cache_hits"] == 2
