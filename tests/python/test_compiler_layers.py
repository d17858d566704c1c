"""The layering of the C++ compiler (jit/): each layer includes only the layers it is
allowed to see, so the IR knows nothing of the frontend or of typing, support nothing of
the frontend, typing nothing of the driver, and code generation nothing of typing (what it
needs is on the lowered IR). And code generation builds no loop: array code reaches it
as IR loops (jit/transforms/lower_array_loops), so LLVM phis and blocks are created only
where lower_function.cpp maps the IR's own blocks and phis (and its error exits)."""
import re
from pathlib import Path

JIT = Path(__file__).resolve().parents[2] / "jit"

ALLOWED = {
    "support": {"support"},
    "types": {"support", "types"},
    "ir": {"support", "types", "ir"},
    "analysis": {"support", "types", "ir", "analysis"},
    "frontend": {"support", "types", "ir", "frontend"},
    # typing narrows optionals by the tests that dominate their uses (dominators)
    "typing": {"support", "types", "ir", "analysis", "frontend", "typing"},
    "transforms": {"support", "types", "ir", "analysis", "frontend", "typing", "transforms"},
    "codegen": {"support", "types", "ir", "codegen", "engine"},  # the LLVM backend JITs through the engine
    "engine": {"support", "engine"},
    "driver": {"support", "types", "ir", "analysis", "frontend", "typing", "transforms", "codegen", "engine", "driver"},
}
INCLUDE = re.compile(r'#include "jit/([a-z_]+)/')


def sources(layer):
    return sorted(p for p in (JIT / layer).rglob("*") if p.suffix in (".h", ".cpp", ".def"))


def test_every_layer_is_listed():
    assert {p.name for p in JIT.iterdir() if p.is_dir()} == set(ALLOWED)


def test_layers_include_only_what_they_may_see():
    bad = []
    for layer, allowed in ALLOWED.items():
        for path in sources(layer):
            for n, line in enumerate(path.read_text().splitlines(), 1):
                m = INCLUDE.search(line)
                if m and m.group(1) not in allowed:
                    bad.append(f"{path.relative_to(JIT.parent)}:{n} includes jit/{m.group(1)}/")
    assert not bad, "\n".join(bad)


def test_codegen_builds_no_loops():
    bad = []
    for path in sources("codegen"):
        text = path.read_text()
        for what in ("CreatePHI", "BasicBlock::Create"):
            if what in text and path.name != "lower_function.cpp":
                bad.append(f"{path.relative_to(JIT.parent)} uses {what}")
    # In lower_function.cpp: one phi per IR phi, one block per IR block, and error exits.
    text = (JIT / "codegen" / "llvm" / "lower_function.cpp").read_text()
    assert text.count("CreatePHI") == 1, "lower_function.cpp creates phis beyond the IR's"
    assert not bad, "\n".join(bad)
