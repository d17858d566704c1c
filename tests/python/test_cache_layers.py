"""The layering of the Python cache package (dunnart/cache/__init__.py): each module
imports only modules of the layers below its own, so there is no import cycle; the key
does not reach into the dispatcher; and a process that only hits imports the package,
layout.py and key.py, never the write path. The imports are read from the
source with `ast`, those inside functions included (deferred imports are imports too)."""
import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"
CACHE_DIR = PYTHON_DIR / "dunnart" / "cache"
PACKAGE = "dunnart.cache"

# Bottom to top; "__init__" is the package itself (the facade).
LAYERS = [
    {"layout", "key"},       # paths, names, formats, reading one entry; the key of a function
    {"objects", "hitlog"},   # writing object files and key links; hit counts without SQLite
    {"index"},               # the SQLite index (folds the hit log)
    {"writes"},              # the write path: open, store, evict, drop
    {"__init__", "cli"},     # the process's cache (the hit, what the dispatcher calls); `dunnart cache`
]
LAYER = {m: n for n, layer in enumerate(LAYERS) for m in layer}


def modules():
    return sorted(p.stem for p in CACHE_DIR.glob("*.py"))


def is_module(name):
    """Whether the absolute name `name` is a module of dunnart (source, package or
    extension), not a name defined in one."""
    path = PYTHON_DIR.joinpath(*name.split("."))
    return (path.with_suffix(".py").exists() or (path / "__init__.py").exists()
            or any(path.parent.glob(path.name + ".*.so")))


def absolute(module, node):
    """The absolute module names an import node of dunnart/cache/<module>.py brings in:
    for `from X import a`, X.a when that is a module, else X."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = PACKAGE.split(".")  # every module of the cache is directly in the package
        if node.level - 1 >= len(package):
            raise AssertionError(f"{module}.py: relative import beyond the top level")
        base = ".".join(package[:len(package) - (node.level - 1)] + ([node.module] if node.module else []))
    else:
        base = node.module
    return [base + "." + a.name if is_module(base + "." + a.name) else base for a in node.names]


def dynamic(node):
    """importlib.import_module("...") or __import__("...") with a constant name."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)):
        return None
    f = node.func
    if (isinstance(f, ast.Attribute) and f.attr == "import_module") or (isinstance(f, ast.Name) and f.id in (
            "__import__", "import_module")):
        return node.args[0].value
    return None


def imported(module):
    """Every absolute module name dunnart/cache/<module>.py imports, anywhere in it."""
    tree = ast.parse((CACHE_DIR / f"{module}.py").read_text(), f"{module}.py")
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(absolute(module, node))
        elif dynamic(node):
            names.add(dynamic(node))
    return names


def internal(names):
    """The cache modules among absolute module names ("__init__" for the package)."""
    out = set()
    for name in names:
        if name == PACKAGE:
            out.add("__init__")
        elif name.startswith(PACKAGE + "."):
            head = name[len(PACKAGE) + 1:].split(".")[0]
            out.add(head if (CACHE_DIR / f"{head}.py").exists() else "__init__")
    return out


def graph():
    """{module: the cache modules it imports}."""
    return {m: internal(imported(m)) for m in modules()}


def find_cycle(edges):
    """A list of modules that import each other in a circle, or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(edges):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_parser_sees_deferred_and_relative_imports():
    edges = graph()
    assert "layout" in edges["__init__"]         # from .layout import ...
    assert "key" in edges["__init__"]            # from . import key as keys
    assert "writes" in edges["__init__"]         # from . import writes, inside methods
    assert "hitlog" in edges["__init__"]         # from . import hitlog, at exit
    assert "index" in edges["writes"]            # from .index import Index, inside a function
    assert "__init__" not in edges["objects"]    # from .layout import: a submodule, not the package
    assert "dunnart._core" in imported("layout")  # from .. import _core
    assert internal({"dunnart.cache.layout", "dunnart.cache"}) == {"layout", "__init__"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_every_cache_module_has_a_layer():
    assert set(modules()) == set(LAYER), "place new cache modules in LAYERS (and in __init__.py's table)"


def test_no_import_cycle_in_the_cache():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_each_cache_module_imports_only_layers_below_it():
    wrong = [f"{m} (layer {LAYER[m]}) imports {n} (layer {LAYER[n]})"
             for m, targets in graph().items() for n in sorted(targets) if LAYER[n] >= LAYER[m]]
    assert not wrong, "; ".join(wrong)


def test_the_key_does_not_import_the_dispatcher():
    names = imported("key")
    assert not any(n == "dunnart.dispatcher" or n.startswith("dunnart.dispatcher.") for n in names), names
    assert "_registry" not in (CACHE_DIR / "key.py").read_text()


MODULE = """
from dunnart import njit

@njit(cache=True)
def axpy(x, y):
    return 2.0 * x + y
"""

CHILD = """
import atexit, sys
sys.path.insert(0, {mod_dir!r})

def cache_modules():
    return sorted(m for m in sys.modules if m == "dunnart.cache" or m.startswith("dunnart.cache."))

atexit.register(lambda: print("AT_EXIT=" + repr(cache_modules())))
import mod
r = mod.axpy(1.5, 0.25)
print("CALL=" + repr((r, mod.axpy.stats["compiles"], cache_modules())))
"""


def run_child(tmp_path):
    env = dict(os.environ, DUNNART_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=str(PYTHON_DIR) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, "-c", CHILD.format(mod_dir=str(tmp_path))], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    call = ast.literal_eval([ln for ln in lines if ln.startswith("CALL=")][-1][5:])
    at_exit = ast.literal_eval([ln for ln in lines if ln.startswith("AT_EXIT=")][-1][8:])
    return call, at_exit


def test_a_hit_imports_only_the_read_side(tmp_path):
    """A process that only hits imports the package, layout and key (and the hit log at
    exit): not objects, index, writes or cli."""
    (tmp_path / "mod.py").write_text(textwrap.dedent(MODULE))
    (r, compiles, _), _ = run_child(tmp_path)
    assert r == 3.25 and compiles == 1
    (r, compiles, during), at_exit = run_child(tmp_path)
    assert r == 3.25 and compiles == 0
    hit_path = ["dunnart.cache", "dunnart.cache.key", "dunnart.cache.layout"]
    assert during == hit_path
    assert at_exit == sorted(hit_path + ["dunnart.cache.hitlog"])
