"""One measured (or unmeasurable) cell of the report.

status is "ok" or a short word that stands in the table instead of a time:
  missing      the peer package (or pythran's compiler) is not installed
  unavailable  dunnart does not import (detail has the import error)
  not yet      dunnart raised TypingError/UnsupportedError/NotImplementedError/... : the
               feature has not landed
  unsupported  the same from another JIT: that tool cannot do it
  WRONG        it ran but gave a different answer than the reference
  ERROR, CRASH, TIMEOUT   anything else, a killed process, a hang
"""
from dataclasses import dataclass, field

from .timing import Stats


@dataclass
class Row:
    group: str
    case: str            # column or row label, e.g. "10^7", a kernel name, "import"
    peer: str            # display name, e.g. "dunnart njit(fastmath) · loop"
    tool: str            # "dunnart", "numba", "numpy", "scipy", "pythran", "cupy", "python"
    style: str = ""      # how the code is written: "numpy", "loop", "x**8", ...; ratios pair equal styles
    stats: Stats | None = None
    status: str = "ok"
    detail: str = ""
    param: float | None = None   # numeric x for plots (array size)
    extra: dict = field(default_factory=dict)

    @property
    def ok(self):
        return self.status == "ok" and self.stats is not None

