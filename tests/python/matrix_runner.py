"""Runs case ids of a generator script (matrix_cases.py, fuzz_functions.py) in child
processes, so that a crash (segfault, abort) or a hang fails one case instead of the
whole pytest run. The child prints `START <id>` before and `RESULT {json}` after each case;
when it dies, the case it started is recorded as a crash and a new child continues after
it. Cases are split over `workers` children run side by side."""
import json
import os
import subprocess
import sys
import threading
import time

from jitcheck import subprocess_env


def _env():
    env = subprocess_env()
    # glibc fills freed memory with this byte: reads of freed memory show as wrong values
    # more reliably (and the same way on every run)
    env.setdefault("MALLOC_PERTURB_", "165")
    return env


def _run_chunk(script, ids, results, per_case_timeout, extra_args):
    todo = list(ids)
    while todo:
        p = subprocess.Popen([sys.executable, str(script)] + extra_args + ["--run", "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=_env(), cwd=os.path.dirname(str(script)))
        p.stdin.write("\n".join(todo) + "\n")
        p.stdin.close()
        current = None
        done = set()
        last = [time.monotonic()]
        killed = [False]

        def watchdog():
            while p.poll() is None:
                if time.monotonic() - last[0] > per_case_timeout:
                    killed[0] = True
                    p.kill()
                    return
                time.sleep(0.5)

        threading.Thread(target=watchdog, daemon=True).start()
        for line in p.stdout:
            last[0] = time.monotonic()
            if line.startswith("START "):
                current = line[6:].strip()
            elif line.startswith("RESULT "):
                r = json.loads(line[7:])
                results[r["id"]] = (r["status"], r["detail"])
                done.add(r["id"])
                current = None
        p.wait()
        err = p.stderr.read()
        if current is not None:
            why = "timed out" if killed[0] else f"child died with exit code {p.returncode}"
            if len(todo) > 1:
                # Alone in a fresh child: a crash that an earlier case's heap corruption
                # caused is not this case's fault.
                solo = {}
                _run_chunk(script, [current], solo, per_case_timeout, extra_args)
                st, detail = solo.get(current, ("crash", "no result"))
                if st != "crash":
                    results.setdefault("__unattributed__", ("crash", ""))
                    prev = results["__unattributed__"][1]
                    results["__unattributed__"] = ("crash", prev + f"child {why} at {current} (fine alone); ")
                results[current] = (st, detail)
            else:
                results[current] = ("crash", f"{why}: {err[-1500:]}")
            done.add(current)
        elif p.returncode != 0 and not done:
            for cid in todo:
                results[cid] = ("crash", f"child failed to start ({p.returncode}): {err[-1500:]}")
            return
        todo = [c for c in todo if c not in done]


def run_ids(script, ids, workers=None, per_case_timeout=120, extra_args=()):
    """{id: (status, detail)}: status 'pass', 'fail' or 'crash'."""
    if workers is None:
        workers = max(1, min(2, os.cpu_count() or 1))
    ids = list(ids)
    chunks = [ids[i::workers] for i in range(workers)]
    results = {}
    threads = [threading.Thread(target=_run_chunk, args=(script, c, results, per_case_timeout, list(extra_args)))
               for c in chunks if c]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
