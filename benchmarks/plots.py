"""PNG plots next to the report: logsumexp time vs size, kernel speedups over Python/NumPy,
compile latency. Skipped with a message when matplotlib is not installed."""
from .report import reference, unique


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        return None


LINES = {"dunnart": "-", "numba": "--"}   # everything else dotted


def _bars(ax, rows, value, peers):
    cases = unique(r.case for r in rows)
    width = 0.8 / max(len(peers), 1)
    for i, peer in enumerate(peers):
        got = {r.case: value(r) for r in rows if r.peer == peer}
        ys = [got.get(c) or 0.0 for c in cases]
        ax.bar([k + i * width for k in range(len(cases))], ys, width, label=peer)
    many = len(cases) > 6
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(cases))], cases,
                  rotation=60 if many else 0, ha="right" if many else "center")
    ax.legend(fontsize=8)


def logsumexp_plot(rows, ax):
    for peer in unique(r.peer for r in rows):
        pts = sorted((r.param, r.stats.median) for r in rows if r.peer == peer and r.ok)
        if pts:
            tool = next(r.tool for r in rows if r.peer == peer)
            ax.plot(*zip(*pts), LINES.get(tool, ":"), marker="o", label=peer)
    ax.set(xscale="log", yscale="log", xlabel="array size (float64)", ylabel="seconds per call",
           title="logsumexp: time vs size")
    ax.legend(fontsize=7)


def kernels_plot(rows, ax):
    jits = [r for r in rows if r.tool not in ("numpy", "python")]

    def speedup(r):
        ref = reference(rows, r, "numpy")
        return ref.stats.median / r.stats.median if r.ok and ref and ref.ok else None
    _bars(ax, jits, speedup, unique(r.peer for r in jits))
    ax.set(yscale="log", ylabel="speedup over Python/NumPy (log)", title="classic kernels, warm")
    ax.axhline(1.0, color="gray", linewidth=0.8)


def compile_plot(rows, ax):
    _bars(ax, rows, lambda r: r.stats.median * 1e3 if r.ok else None, unique(r.peer for r in rows))
    ax.set(ylabel="milliseconds", title="import, first call, cache hit (fresh processes)")


def scaling_plot(rows, ax):
    """Speedup over one thread against threads, a line per JIT and kernel."""
    top = 1
    for peer in unique(r.peer for r in rows):
        pts = dict((r.param, r.stats.median) for r in rows if r.peer == peer and r.ok)
        if 1 not in pts:
            continue
        xs = sorted(pts)
        top = max(top, xs[-1])
        tool = next(r.tool for r in rows if r.peer == peer)
        ax.plot(xs, [pts[1] / pts[x] for x in xs], LINES.get(tool, ":"), marker="o", label=peer)
    ax.plot([1, top], [1, top], ":", color="gray", label="linear")
    ax.set_xticks(sorted({r.param for r in rows if r.ok}))
    ax.set(xlabel="threads", ylabel="speedup over 1 thread", title="parallel=True: threads against speedup")
    ax.legend(fontsize=7)


PLOTS = {"logsumexp": (logsumexp_plot, (9, 6)), "scaling": (scaling_plot, (8, 6)),
         "kernels": (kernels_plot, (14, 6)), "compile": (compile_plot, (7, 5))}


def write(rows, stem):
    """Write <stem>-<group>.png for each plotted group present -> (paths, message)."""
    plt = _pyplot()
    if plt is None:
        return [], "matplotlib is not installed: plots skipped (pip install matplotlib)"
    paths = []
    for group, (draw, size) in PLOTS.items():
        subset = [r for r in rows if r.group == group]
        if not any(r.ok for r in subset):
            continue
        fig, ax = plt.subplots(figsize=size)
        ax.set_prop_cycle(color=plt.cm.tab20.colors)
        draw(subset, ax)
        fig.tight_layout()
        path = f"{stem}-{group}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths, ""
