"""Speed and memory of the two topic models, one CPU core, each in its own process.

usage: python benchmarks/bench_topics.py [--repeat 3] [--paragraphs 2000]

For each model (scikit-learn, char-BERT) a fresh Python process pins itself to one core
(``os.sched_setaffinity``, one torch thread), measures its resident memory (VmRSS) before and after
loading the model and scoring a warm-up batch — the memory the model adds to the service — then
scores ``--paragraphs`` paragraphs of the labelled topic data (train and test texts; labels are not
used) and prints paragraphs per second (best of ``--repeat``) and characters per second. Also
prints the ratio of the two, measured in the same run. Quality is in models/topics-*/metrics.json
(``nlp-service train topics --table``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def rss_mib() -> float:
    """Resident memory of this process (VmRSS), MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(kind: str, repeat: int, n: int) -> dict:
    """Measure one model in this process."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import numpy  # noqa: F401  (numpy and the package are part of the service before any model)
    import torch

    from nlp_service.training.topics import DATA

    torch.set_num_threads(1)
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines()]
    items = [(r.get("title"), r["text"]) for r in rows][:n]
    import jieba

    jieba.initialize()  # the service has jieba loaded already (word segmentation)
    before = rss_mib()
    from nlp_service.models.topics import load_topic_model

    t0 = time.perf_counter()
    model = load_topic_model(kind)
    load_s = time.perf_counter() - t0
    model.scores(items[:16])
    after = rss_mib()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        model.scores(items)
        best = min(best, time.perf_counter() - t0)
    chars = sum(len(t) for _, t in items)
    return {"model": model.name, "paragraphs": len(items), "paragraphs_per_s": len(items) / best,
            "chars_per_s": chars / best, "load_s": load_s, "added_mib": after - before, "rss_mib": rss_mib()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--paragraphs", type=int, default=2000)
    ap.add_argument("--child", choices=("sklearn", "charbert"))
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeat, args.paragraphs)))
        return
    results = {}
    for kind in ("sklearn", "charbert"):
        out = subprocess.run([sys.executable, __file__, "--child", kind, "--repeat", str(args.repeat),
                              "--paragraphs", str(args.paragraphs)], capture_output=True, text=True, check=True)
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{results['sklearn']['paragraphs']} paragraphs, one core, best of {args.repeat}")
    print("| model | paragraphs/s | chars/s | load s | memory added (MiB) | vs scikit-learn |")
    print("|---|---|---|---|---|---|")
    base = results["sklearn"]["paragraphs_per_s"]
    for r in results.values():
        print(f"| {r['model']} | {r['paragraphs_per_s']:,.0f} | {r['chars_per_s']:,.0f} | {r['load_s']:.1f} | "
              f"{r['added_mib']:.0f} | {r['paragraphs_per_s'] / base:.3f}x |")


if __name__ == "__main__":
    main()
