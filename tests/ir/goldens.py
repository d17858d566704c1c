"""Golden IR files (see README.md here): the frontend goldens, which start from Python
source, and the seeding of a pass's goldens from Python source. Used by
scripts/update_ir_goldens.py and tests/python/test_ir_goldens.py."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IR_DIR = ROOT / "tests" / "ir"
FRONTEND_DIR = IR_DIR / "frontend"
DUNNART_OPT = ROOT / "build" / "dunnart-opt"
EXPECTED_MARKER = "; ==== expected ===="

# The pipeline's order: the dump stage whose output is each pass's input. Adding a pass's
# goldens: one line here (and one in tools/dunnart-opt/main.cpp's table).
INPUT_STAGE = {
    "infer_types": "ir",
    "outline_parallel_loops": "infer_types",  # with parallel=True
    "lower_iterators": "infer_types",
    "reserve_list_appends": "lower_iterators",
    "lower_lists": "reserve_list_appends",
    "lower_dicts": "lower_lists",
    "lower_strings": "lower_dicts",
    "lower_ranges": "lower_strings",
    "lower_generators": "lower_ranges",
    "guard_recursion": "lower_generators",
    "fuse_array_exprs": "guard_recursion",
    "free_temporaries": "fuse_array_exprs",
    "apply_error_model": "fuse_array_exprs",
    "parallelize_array_statements": "free_temporaries",  # with parallel=True
    "outline_array_statements": "free_temporaries",
    "lower_array_loops": "outline_array_statements",
    "reduce_powers": "lower_array_loops",
}

_RUNNER = """
import runpy, sys
import dunnart
ns = runpy.run_path(sys.argv[1])
f = dunnart.njit(ns[sys.argv[2]])
try:
    f(*ns.get("ARGS", ()))
except Exception as e:  # the dump comes before typing: a function that does not type still prints
    print("compile failed:", type(e).__name__, file=sys.stderr)
"""


def python_version():
    return "%d.%d" % sys.version_info[:2]


def dump_stage(source, stage):
    """{function name: IR text} that DUNNART_DUMP=<stage> prints when the function named
    like `source`'s file is compiled for the file's ARGS."""
    env = dict(os.environ, DUNNART_DUMP=stage, PYTHONPATH=str(ROOT / "python"))
    env.pop("DUNNART_CACHE_DIR", None)
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(source), Path(source).stem],
                          capture_output=True, text=True, env=env, timeout=120)
    sections = {}
    for m in re.finditer(r"^---- %s: (\S+) ----\n(.*?)(?=^---- |^compile failed|\Z)" % re.escape(stage),
                         proc.stderr, re.S | re.M):
        sections[m.group(1)] = m.group(2).rstrip("\n") + "\n"
    if not sections:
        raise RuntimeError("no '%s' dump from %s:\n%s" % (stage, source, proc.stderr))
    return sections


def frontend_ir(source):
    return dump_stage(source, "ir")[Path(source).stem]


def read_sections(path):
    """[(versions, text)] of a frontend golden's `; python X.Y ...` sections."""
    sections = []
    if not Path(path).exists():
        return sections
    for line in Path(path).read_text().splitlines(keepends=True):
        m = re.match(r"; python ((?:\d+\.\d+ ?)+)$", line.rstrip("\n"))
        if m:
            sections.append([m.group(1).split(), ""])
        elif sections:
            sections[-1][1] += line
    return sections


def expected_frontend_ir(path, version):
    for versions, text in read_sections(path):
        if version in versions:
            return text
    return None


def write_frontend_golden(source):
    """Rewrites the expected IR of the running Python version in source's .dnir."""
    path = Path(source).with_suffix(".dnir")
    text = frontend_ir(source)
    version = python_version()
    sections = [[[v for v in vs if v != version], t] for vs, t in read_sections(path)]
    for vs, t in sections:
        if t == text:
            vs.append(version)
            break
    else:
        sections.append([[version], text])
    out = "; The IR dunnart builds from %s's bytecode (DUNNART_DUMP=ir), one section per\n" % Path(source).name
    out += "; Python version where it differs; regenerate with scripts/update_ir_goldens.py.\n"
    for vs, t in sections:
        if vs:
            out += "; python %s\n%s" % (" ".join(sorted(vs, key=lambda v: tuple(map(int, v.split("."))))), t)
    path.write_text(out)
    return path


def seed(pass_name, source):
    """Creates tests/ir/<pass>/<stem>.dnir whose input is the IR that reaches `pass_name`
    when source's function is compiled (its header carries the parameter types)."""
    stage = INPUT_STAGE[pass_name]
    stem = Path(source).stem
    if stage == "ir":
        # The frontend's IR with the types typing starts from in its header.
        text = frontend_ir(source)
        typed = dump_stage(source, "infer_types")
        first = next(iter(typed.values()))
        params = re.match(r"function \S+\((.*)\) ->", first).group(1)
        text = re.sub(r"^function (\S+)\(.*\) \{", lambda m: "function %s(%s) {" % (m.group(1), params),
                      text, count=1, flags=re.M)
    else:
        text = "\n".join(dump_stage(source, stage).values())
    path = IR_DIR / pass_name / (stem + ".dnir")
    path.parent.mkdir(exist_ok=True)
    path.write_text("; passes: %s\n; from %s\n%s" % (pass_name, Path(source).relative_to(ROOT), text))
    return path
