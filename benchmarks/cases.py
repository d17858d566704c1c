"""Cases a worker process can rebuild by name: `kernel:NAME` from shared/kernels/classic.py,
`style:NAME` from styles.py with its probe-sized arguments. -> (fn, make_args, module)."""
import sys

from .env import KERNEL_DIR


def corpus():
    """The classic kernels module (shared/kernels/classic.py)."""
    if str(KERNEL_DIR) not in sys.path:
        sys.path.insert(0, str(KERNEL_DIR))
    import classic
    return classic


def resolve(ref):
    kind, name = ref.split(":", 1)
    if kind == "kernel":
        classic = corpus()
        _, _, fn, make_args = next(k for k in classic.KERNELS if k[0] == name)
        return fn, make_args, classic
    if kind == "style":
        from . import styles
        return getattr(styles, name), styles.PROBE_ARGS[name], styles
    raise ValueError(f"unknown case {ref!r}: expected kernel:NAME or style:NAME")
