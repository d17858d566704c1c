"""Command line: `python -m dunnart` / `dunnart` prints the version and the host target;
`dunnart cache ...` inspects the disk cache (dunnart/cache/cli.py)."""
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    from . import _core
    if argv and argv[0] in ("-h", "--help"):
        print("usage: dunnart [--version]\n       dunnart cache {path,info,list,show,stats,why,verify,prune,clear} [--json] [--dir DIR]")
        return 0
    if argv and argv[0] == "cache":
        from .cache.cli import main as cache_main
        return cache_main(argv[1:])
    from . import _compiler
    host = _compiler.host()
    print(f"dunnart {_core.version} (LLVM {_core.llvm_version}) on {host['cpu']} ({host['triple']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
