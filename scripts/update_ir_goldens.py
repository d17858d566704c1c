#!/usr/bin/env python3
"""Regenerates the golden IR files under tests/ir/ (see tests/ir/README.md).

  scripts/update_ir_goldens.py                  every golden: the frontend's expected IR for
                                                this Python version, every pass's expected output
  scripts/update_ir_goldens.py FILE...          only these (.py frontend sources or .dnir files)
  scripts/update_ir_goldens.py --seed PASS SRC  a new golden tests/ir/PASS/<name>.dnir whose
                                                input is what reaches PASS when SRC's function
                                                compiles (SRC: a .py like tests/ir/frontend/*.py)

Needs a build (./dev build): build/dunnart-opt and the Python package."""
import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ir"))
import goldens  # noqa: E402


def update_pass_golden(path):
    subprocess.run([str(goldens.DUNNART_OPT), "--update", str(path)], check=True)
    print("updated", Path(path).relative_to(goldens.ROOT))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", nargs=2, metavar=("PASS", "SOURCE"))
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.seed:
        pass_name, source = args.seed
        if pass_name not in goldens.INPUT_STAGE:
            sys.exit("no input stage for pass %r: add it to INPUT_STAGE in tests/ir/goldens.py" % pass_name)
        update_pass_golden(goldens.seed(pass_name, Path(source).resolve()))
        return
    files = [Path(f).resolve() for f in args.files] or (
        sorted(goldens.FRONTEND_DIR.glob("*.py")) +
        sorted(p for p in goldens.IR_DIR.glob("*/*.dnir") if p.parent != goldens.FRONTEND_DIR))
    for f in files:
        if f.suffix == ".py":
            print("updated", goldens.write_frontend_golden(f).relative_to(goldens.ROOT))
        elif f.parent == goldens.FRONTEND_DIR:
            print("updated", goldens.write_frontend_golden(f.with_suffix(".py")).relative_to(goldens.ROOT))
        else:
            update_pass_golden(f)


if __name__ == "__main__":
    main()
