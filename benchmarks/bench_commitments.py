"""Extraction speed before and after a change, in one run: this tree against a git revision.

usage: python benchmarks/bench_commitments.py [--baseline REV] [--docs 120] [--repeat 3]

Checks REV (default: the last commit before commitments v2) out into a temporary git worktree
and times, in a fresh process for each tree, one core: the whole extraction of ``--docs``
government documents of ../shared/corpus (every ``n``-th document of gov-work-reports and
policy-docs, never heldout) and the commitments component alone (its share of the pipeline).
Prints chars/s for both trees and the ratio new/baseline. Topics are left out of both (they cost
the same in both trees and load for ~15 s).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "c3e4e75"  # main before commitments v2
WORKER = r'''
import json, sys, time
from dataclasses import replace
sys.path.insert(0, sys.argv[1])
from nlp_service.pipeline import Pipeline
from nlp_service.work import Work
docs = json.load(open(sys.argv[2], encoding="utf-8"))
repeat = int(sys.argv[3])
pipe = Pipeline.build(topic_model=None)
pipe.extract(docs[0])
best_total, best_commit = float("inf"), float("inf")
for _ in range(repeat):
    total = commit = 0.0
    found = 0
    for text in docs:
        work = Work(raw=text)
        for comp in pipe.components:
            t0 = time.perf_counter()
            work = comp.fn(work, pipe.resources)
            dt = time.perf_counter() - t0
            total += dt
            if comp.name.startswith("commitments"):
                commit += dt
        found += len(work.commitments)
    best_total, best_commit = min(best_total, total), min(best_commit, commit)
n = sum(len(t) for t in docs)
print(json.dumps({"chars": n, "seconds": best_total, "commit_seconds": best_commit,
                  "commitments": found, "model": pipe.model_names["commitments"]}))
'''


def corpus(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from nlp_service.training.corpus import SOURCES, documents

    texts = [t for group in SOURCES for _, t, _ in documents(group)]
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def run(tree: Path, docs_file: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-c", WORKER, str(tree), str(docs_file), str(repeat)],
                         capture_output=True, text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--docs", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = corpus(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        docs_file = Path(tmp) / "docs.json"
        docs_file.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.baseline],
                       check=True, capture_output=True)
        try:
            before = run(base, docs_file, args.repeat)
            after = run(ROOT, docs_file, args.repeat)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    print(f"{len(docs)} documents, {before['chars']:,} characters, one core, best of {args.repeat}")
    print("| tree | clause model | pipeline chars/s | commitments component chars/s | commitments found |")
    print("|---|---|---|---|---|")
    for name, r in ((f"baseline {args.baseline}", before), ("this tree", after)):
        print(f"| {name} | {r['model']} | {r['chars'] / r['seconds']:,.0f} | {r['chars'] / r['commit_seconds']:,.0f} | "
              f"{r['commitments']:,} |")
    print(f"ratio this/baseline: pipeline {before['seconds'] / after['seconds']:.2f}x, "
          f"commitments component {before['commit_seconds'] / after['commit_seconds']:.2f}x")


if __name__ == "__main__":
    main()
