"""The Markdown report and its JSON twin.

Every group gets a time table (median ± half the interquartile range) and one speedup
table per reference tool (reference time / this time, > 1 is faster). A speedup pairs
rows of the same style when the reference has that style (Numba loop vs dunnart loop),
else uses the reference's first row. Cells that hold no time show the status word; the
notes under each group give the full reason once per peer.
"""
import json
from dataclasses import asdict

from .env import threads_note

REF_NAMES = {"numpy": "NumPy", "numba": "Numba"}
BASELINES = {"numpy", "python"}   # never shown with a speedup column of their own


def fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            break
    return f"{s / scale:.3g} {unit}"


def fmt_ratio(x):
    return f"{x:.0f}x" if x >= 100 else f"{x:.2f}x"


def unique(items):
    return list(dict.fromkeys(items))


def time_cell(row):
    if not row.ok:
        return row.status
    return f"{fmt_time(row.stats.median)} ±{100 * row.stats.spread:.0f}%"


def reference(rows, row, tool):
    same_case = [r for r in rows if r.case == row.case and r.tool == tool]
    return next((r for r in same_case if r.style == row.style), same_case[0] if same_case else None)


def ratio_cell(rows, row, tool, invert=False):
    """Speedup (reference time / this time), or with invert its inverse."""
    if not row.ok:
        return row.status
    ref = reference(rows, row, tool)
    if ref is None or not ref.ok or min(row.stats.median, ref.stats.median) <= 0:
        return "—"
    return fmt_ratio(row.stats.median / ref.stats.median if invert else ref.stats.median / row.stats.median)


def table(rows, by, cell):
    """Markdown table; by="peer": a row per peer, a column per case, or the transpose."""
    cases, names = unique(r.case for r in rows), unique(r.peer for r in rows)
    grid = {(r.peer, r.case): r for r in rows}
    lines, columns = (names, cases) if by == "peer" else (cases, names)
    out = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for line in lines:
        cells = [grid.get((line, c) if by == "peer" else (c, line)) for c in columns]
        out.append(f"| {line} | " + " | ".join(cell(r) if r else "" for r in cells) + " |")
    return "\n".join(out)


def notes(rows):
    """One line per distinct reason, naming the peers (and cases, unless all) it applies to."""
    seen = {}
    for r in rows:
        if not r.ok:
            seen.setdefault((r.status, r.detail), {}).setdefault(r.peer, []).append(r.case)
    all_cases = unique(r.case for r in rows)
    out = []
    for (status, detail), where in seen.items():
        who = "; ".join(peer + ("" if len(cases) == len(all_cases) else f" ({', '.join(cases)})")
                        for peer, cases in where.items())
        out.append(f"- **{status}**: {who}" + (f" — {detail}" if detail else ""))
    return "\n".join(out)


def group_section(group, rows):
    parts = [f"## {group.NAME}: {group.TITLE}", group.NOTE,
             "Time per call, median ± half the interquartile range:", table(rows, group.ROWS, time_cell)]
    invert = getattr(group, "INVERT", False)
    for tool in group.REFS:
        if not any(r.tool == tool for r in rows):
            continue
        name = REF_NAMES[tool]
        subject = [r for r in rows if r.tool not in BASELINES | {tool}]
        parts += [f"Time / {name} time (< 1 is faster):" if invert else
                  f"Speedup vs {name} ({name} time / this time; > 1 is faster):",
                  table(subject, group.ROWS, lambda r, t=tool: ratio_cell(rows, r, t, invert))]
    if notes(rows):
        parts += ["Notes:", notes(rows)]
    return "\n\n".join(parts)


def machine_section(m):
    v = m["versions"]
    listed = ", ".join(f"{k} {v[k] or 'missing'}" for k in v if v[k] or not k.startswith("llvm"))
    return "\n".join([
        "## Machine",
        f"- CPU: {m['cpu']}, {m['cores']} logical cores ({m['usable_cores']} usable), {m['memory_gib']} GiB memory",
        f"- GPU: {m['gpu'] or 'none (GPU rows omitted)'}",
        f"- OS: {m['os']}; Python {m['python']}; C++ compiler: {m['compiler'] or 'none'}",
        f"- Load average (1 min) at start / end: {m['load_start']} / {m.get('load_end', '?')}; run took {m.get('elapsed', '?')}"
        + (" — other work was running: expect noise, parallel rows most" if (m["load_start"] or 0) > 0.3 * m["usable_cores"] else ""),
        f"- Versions: {listed}",
        f"- dunnart imported from: {m['dunnart_file'] or '—'}"])


def markdown(title, machine, cfg, groups, rows):
    method = ("## Method\n"
              f"- {'Quick' if cfg.quick else 'Full'} run: up to {cfg.reps} timed samples per cell, each a loop "
              f"of calls lasting at least {cfg.target:g} s after a calibration that doubles as warm-up; "
              "peers of a case are sampled in turn in one process, rotating the order each round, so "
              "their ratios hold on a noisy machine. Kernels run each JIT in a child process.\n"
              f"- {threads_note()}\n"
              "- missing: peer not installed; unavailable: dunnart does not import; not yet: dunnart "
              "cannot compile it yet; unsupported: the peer cannot; WRONG: result differs from NumPy/Python.")
    sections = [f"# {title}", machine_section(machine), method]
    sections += [group_section(g, [r for r in rows if r.group == g.NAME]) for g in groups]
    return "\n\n".join(sections) + "\n"


def to_json(machine, cfg, rows):
    return json.dumps({"machine": machine, "config": asdict(cfg), "rows": [asdict(r) for r in rows]},
                      indent=1, default=str)
