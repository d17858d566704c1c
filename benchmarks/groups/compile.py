"""Start-up costs, each in fresh processes: `import X`, the first call of a 10-line loop
function (compile included), and that first call again in a second process with cache=True."""
import tempfile

from .. import peers, subproc
from ..results import Row
from ..timing import Stats

NAME = "compile"
TITLE = "import time, first-call latency, cache hits (fresh processes)"
ROWS = "case"
REFS = ("numba",)
NOTE = ("Each cell is the median over fresh processes, run alternately per tool. `import` "
        "times `import X` alone (NumPy's own import shown for scale); `first call` is the "
        "compile and first run of a 10-line loop function (benchmarks/first_call.py) after the "
        "import; `cache hit` is the same with cache=True in a process started after another "
        "one filled an empty cache directory.")
TOOLS = {"dunnart": "dunnart", "numba": "Numba"}


def import_code(module):
    return (f"import time; t = time.perf_counter(); import {module}; t = time.perf_counter() - t; "
            f"import json; print('RESULT ' + json.dumps({{'status': 'ok', 'seconds': t}}))")


def first_call(tool, cache=False):
    return ["-m", "benchmarks.first_call", tool, *(["cache"] if cache else [])]


def _no_hit(r, tool):
    if r["status"] == "ok" and r.get("from_disk") is False:
        return {"status": "not yet" if tool == "dunnart" else "ERROR",
                "detail": "cache=True accepted, but the second process compiled again"}
    return r


def cell(cfg, case, runs, env=None, procs=None, hit=False):
    """runs: {(peer label, tool): python args} -> a row each, from `procs` fresh processes
    per peer, alternating between peers; `hit`: each must have loaded from the disk cache."""
    rows = {key: Row(NAME, case, *key) for key in runs}
    samples = {key: [] for key in runs}
    for (_, tool), row in rows.items():
        try:
            peers.load(tool)
        except peers.Unavailable as e:
            row.status, row.detail = e.status, e.detail
    for _ in range(procs or cfg.procs):
        for key, row in rows.items():
            if row.status != "ok":
                continue
            r = subproc.run(runs[key], cfg.timeout, env=(env or {}).get(key[1]))
            r = _no_hit(r, key[1]) if hit else r
            if r["status"] == "ok":
                samples[key].append(r["seconds"])
            else:
                row.status, row.detail = r["status"], r.get("detail", "")
    for key, row in rows.items():
        row.stats = Stats.of(samples[key]) if row.status == "ok" else None
    return list(rows.values())


def imports(cfg):
    runs = {(name, tool): ["-c", import_code(tool)] for tool, name in TOOLS.items()}
    return cell(cfg, "import", {**runs, ("NumPy", "numpy"): ["-c", import_code("numpy")]})


def first_calls(cfg):
    return cell(cfg, "first call", {(name, tool): first_call(tool) for tool, name in TOOLS.items()})


def cache_hits(cfg):
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        env = {tool: {"NUMBA_CACHE_DIR": f"{tmp}/{tool}", "DUNNART_CACHE_DIR": f"{tmp}/{tool}"} for tool in TOOLS}
        runs = {(name, tool): first_call(tool, True) for tool, name in TOOLS.items()}
        cold = cell(cfg, "cold", runs, env, procs=1)
        hot = cell(cfg, "cache hit", runs, env, hit=True)
    for c, h in zip(cold, hot):   # a failed cold run says more than the warm ones
        if c.status != "ok":
            h.status, h.detail, h.stats = c.status, c.detail, None
    return hot


def tasks(cfg):
    return [(f"{NAME}: import", lambda: imports(cfg)),
            (f"{NAME}: first call", lambda: first_calls(cfg)),
            (f"{NAME}: cache hit", lambda: cache_hits(cfg))]
