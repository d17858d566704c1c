"""python -m benchmarks [--quick] [--only GROUP[,GROUP]] [--out DIR]

Runs the groups, shows progress on stderr, prints the Markdown report on stdout and writes
it to DIR/<date>-<cpu>.md with a JSON twin and PNG plots (quick or partial runs get a
suffix, so they never overwrite a full run).
"""
import argparse
import datetime
import sys
import time
from pathlib import Path

from . import machine, plots, report
from .config import Config
from .env import BENCH_DIR
from .groups import GROUPS
from .progress import Progress
from .results import Row


def parse(argv):
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    ap.add_argument("--quick", action="store_true", help="fewer sizes and samples (< 2 min)")
    ap.add_argument("--only", default="", help=f"comma-separated groups: {','.join(GROUPS)}")
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "results", help="output directory")
    a = ap.parse_args(argv)
    a.only = [g for g in a.only.split(",") if g] or list(GROUPS)
    unknown = set(a.only) - set(GROUPS)
    if unknown:
        ap.error(f"unknown group(s) {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
    return a


def run_tasks(tasks, bar):
    rows = []
    for label, task in tasks:
        bar.begin(label)
        try:
            rows += task()
        except Exception as e:  # a harness bug in one task costs that task's rows only
            group = label.split(":")[0].split()[0]
            rows.append(Row(group, label, "(harness)", "", status="ERROR", detail=f"{type(e).__name__}: {e}"))
        bar.advance()
    return rows


def main(argv=None):
    a = parse(argv)
    cfg = Config.make(a.quick)
    groups = [g for name, g in GROUPS.items() if name in a.only]
    tasks = [t for g in groups for t in g.tasks(cfg)]
    bar = Progress(len(tasks) + 1)
    bar.begin("machine description")
    info = machine.describe()
    bar.advance()
    rows = run_tasks(tasks, bar)
    bar.finish()
    info["load_end"] = machine.load()
    elapsed = int(time.perf_counter() - bar.start)
    info["elapsed"] = f"{elapsed // 60}:{elapsed % 60:02d}"

    today = datetime.date.today().isoformat()
    suffix = ("-quick" if a.quick else "") + ("" if len(groups) == len(GROUPS) else "-" + "+".join(a.only))
    stem = a.out / f"{today}-{machine.slug(info['cpu'])}{suffix}"
    a.out.mkdir(parents=True, exist_ok=True)
    text = report.markdown(f"dunnart benchmarks — {today}, {info['cpu']}", info, cfg, groups, rows)
    pngs, message = plots.write(rows, str(stem))
    stem.with_suffix(".md").write_text(text)
    stem.with_suffix(".json").write_text(report.to_json(info, cfg, rows))
    print(text)
    for line in [message, f"wrote {stem}.md, {stem}.json", *(f"wrote {p}" for p in pngs)]:
        if line:
            print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
