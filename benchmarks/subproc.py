"""Fresh Python processes that report one JSON line, `RESULT {...}`, on stdout.

A crash, a hang or a traceback in the child becomes a status dict, never an exception here."""
import json
import os
import signal
import subprocess
import sys

from .env import REPO


def _last_line(text):
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    return lines[-1][:200] if lines else "no output"


def run(args, timeout, env=None):
    """Run `python *args`; return the RESULT dict, or {"status": ..., "detail": ...}."""
    try:
        p = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout,
                           cwd=REPO, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        return {"status": "TIMEOUT", "detail": f"no answer after {timeout:.0f} s"}
    results = [l[7:] for l in p.stdout.splitlines() if l.startswith("RESULT ")]
    if results:
        return json.loads(results[-1])
    if p.returncode < 0:
        name = signal.Signals(-p.returncode).name
        return {"status": "CRASH", "detail": f"killed by {name}: {_last_line(p.stderr)}"}
    return {"status": "ERROR", "detail": f"exit {p.returncode}: {_last_line(p.stderr)}"}


def report(**result):
    """The child's side: print the RESULT line."""
    print("RESULT " + json.dumps(result), flush=True)

