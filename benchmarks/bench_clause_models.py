"""Speed of the three clause classifiers on the labelled clauses (guide commitments-v2), one thread, same run.

usage: python benchmarks/bench_clause_models.py [--repeat 3]

Prints clauses per second (best of ``--repeat``) and the ratio to the rules baseline. Quality
figures are in models/*/metrics.json (``python -m nlp_service.training.clauses --table``).
"""

from __future__ import annotations

import argparse
import time

import torch

from nlp_service.models.clauses import load_clause_classifier
from nlp_service.training.clauses import context, load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    items = [context(r) for r in load()]
    speeds = {}
    for kind in ("rules", "sklearn", "charbert"):
        clf = load_clause_classifier(kind)
        clf.predict(items[:8])
        best = min(_time(clf, items) for _ in range(args.repeat))
        speeds[kind] = len(items) / best
    print(f"{len(items)} clauses, one thread, best of {args.repeat}")
    print("| model | clauses/s | vs rules |")
    print("|---|---|---|")
    for kind, v in speeds.items():
        print(f"| {kind} | {v:,.0f} | {v / speeds['rules']:.3f}x |")


def _time(clf, items) -> float:
    t0 = time.perf_counter()
    clf.predict(items)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
