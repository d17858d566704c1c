"""x**8 against x*x*x*x*x*x*x*x: the talk's 5x NumPy gap, which dunnart should close."""
from .. import styles
from ..lineup import Peer, jit_peer, run_case, size_label

NAME = "power"
TITLE = "x**8 vs x*x*x*x*x*x*x*x"
ROWS = "peer"
REFS = ("numpy", "numba")
NOTE = "One float64 array; speedups pair the same expression."

FORMS = [(styles.power_pow, "x**8"), (styles.power_mul, "x*x*x*x*x*x*x*x")]


def lineup():
    probe = styles.PROBE_ARGS["power_pow"]
    return [*[Peer(f"NumPy · {style}", "numpy", style, lambda fn=fn: fn) for fn, style in FORMS],
            *[jit_peer(tool, fn, style, {}, probe) for tool in ("dunnart", "numba") for fn, style in FORMS]]


def tasks(cfg):
    line = lineup()
    n = cfg.power_n

    def run():
        x = styles.float_array(n)
        return run_case(NAME, size_label(n), [p.prepare() for p in line], (x,), styles.power_pow(x), cfg, param=n)
    return [(f"{NAME} n={size_label(n)}", run)]
