"""Before/after table of two builds from `python -m benchmarks` runs taken in turn.

  python -m benchmarks.compare_builds BEFORE.json[,BEFORE2.json...] AFTER.json[,AFTER2.json...]

Each side may list several runs (the builds timed alternately, A B A B): a row's time is
its best median over that side's runs, which keeps one noisy sample from deciding. Prints
every dunnart row of both with after/before as a ratio (< 1 is faster) and flags rows more
than 5% slower."""
import json
import sys


def best(paths):
    out = {}
    for p in paths:
        for r in json.load(open(p))["rows"]:
            if r.get("tool") != "dunnart" or not r.get("stats"):
                continue
            key = (r["group"], r["peer"], r["case"])
            out[key] = min(out.get(key, float("inf")), r["stats"]["median"])
    return out


def fmt(s):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s:.3g} s"


def main():
    before, after = (best(a.split(",")) for a in sys.argv[1:3])
    print("| group | row | case | before | after | after/before |")
    print("|---|---|---|---|---|---|")
    slower = 0
    for key in sorted(set(before) & set(after)):
        b, a = before[key], after[key]
        flag = " (slower)" if a > 1.05 * b else ""
        slower += bool(flag)
        print(f"| {key[0]} | {key[1]} | {key[2]} | {fmt(b)} | {fmt(a)} | {a / b:.2f}{flag} |")
    print(f"\n{slower} row(s) more than 5% slower")


if __name__ == "__main__":
    main()
