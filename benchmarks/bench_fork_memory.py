"""Memory of forked extraction workers, with and without the loaded pipeline settled before the fork.

usage: python benchmarks/bench_fork_memory.py [--docs N] [--workers W]

The service forks its workers after loading the pipeline (the API's processes, ``ingest --workers``)
and calls :func:`nlp_service.pipeline.settle_heap` before it. Here one fresh interpreter per mode
loads the service's pipeline, forks ``W`` workers that extract every ``W``-th of ``N`` policy
documents, and reads the proportional set size (PSS, /proc/PID/smaps_rollup: shared pages split
among the processes that share them) of the parent and of each worker once they are done. Linux only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

RUN = r'''
import json, multiprocessing, os, sys
sys.path.insert(0, sys.argv[1])
from bench_pipeline import load
import nlp_service.pipeline as P
from nlp_service.cli import service_pipeline
from nlp_service.settings import get_settings
settled, n, workers = sys.argv[2] == "settled", int(sys.argv[3]), int(sys.argv[4])
if not settled:
    P.settle_heap = lambda: None  # the entry point's pipeline, left as it was loaded
pipe = service_pipeline(get_settings())
texts = load(0)
texts = texts[:: max(1, len(texts) // n)][:n]

def pss(pid):
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024

def work(k, q, done):
    for t in texts[k::workers]:
        pipe.extract(t)
    q.put(pss(os.getpid()))
    done.wait()  # measured while every process is alive, so that shared pages are split among all

ctx = multiprocessing.get_context("fork")
q, done = ctx.Queue(), ctx.Event()
procs = [ctx.Process(target=work, args=(k, q, done)) for k in range(workers)]
for p in procs:
    p.start()
mib = sorted(q.get() for _ in procs)
parent = pss(os.getpid())
done.set()
for p in procs:
    p.join()
print(json.dumps({"parent": parent, "workers": mib}))
'''


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=80)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not sys.platform.startswith("linux"):
        print("Linux only (/proc/PID/smaps_rollup)")
        return 1
    total = {}
    for mode in ("loaded", "settled"):
        out = subprocess.run([sys.executable, "-c", RUN, str(HERE), mode, str(args.docs), str(args.workers)],
                             capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        total[mode] = r["parent"] + sum(r["workers"])
        print(f"{mode:8} parent {r['parent']:.0f} MiB, workers "
              f"{', '.join(f'{w:.0f}' for w in r['workers'])} MiB, all {total[mode]:.0f} MiB (PSS)")
    print(f"settled / loaded: {total['settled'] / total['loaded']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
