"""Pipeline throughput next to plain ``jieba.lcut`` on the same text, in one run.

usage: python benchmarks/bench_pipeline.py [--docs N]
       python benchmarks/bench_pipeline.py --baseline REV [--docs N] [--repeat R]

Reads the government documents of ../shared/corpus (gov-work-reports and
policy-docs; never heldout), runs (1) ``jieba.lcut`` on each raw text and
(2) the whole extraction pipeline (normalise, paragraphs, in-article dedup,
layout repair, sentences, jieba words with the policy dictionary, JSON
serialisation), one core, and prints chars/s, per-document latency and peak
RSS; then, on every fourth document, the time of each component (where the time goes). Figures
vary with the machine; the ratio is the point.

With ``--baseline REV`` it compares this tree with a git revision instead: REV is checked out into
a temporary worktree, each tree extracts every ``n``-th of the documents in a fresh process (one
core, best of ``--repeat``), and the table gives each component's seconds in both trees, their
ratio, and whether the two trees' v1 results are identical document by document (a speed-up that
changes an output says so here).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def load(limit: int) -> list[str]:
    files = sorted((SHARED / "gov-work-reports").glob("*.jsonl")) + sorted(
        f for f in (SHARED / "policy-docs").glob("*/*.jsonl") if "qa_train" not in f.name)
    texts = []
    for f in files:
        for line in f.open(encoding="utf-8"):
            d = json.loads(line)
            t = d.get("text") or d.get("content")
            if t:
                texts.append(t)
    return texts[:limit] if limit else texts


# one tree's run: seconds per component (best of the repeats) and a digest of each v1 result
WORKER = r'''
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])  # the tree measured
sys.path.insert(1, sys.argv[4])  # this benchmark's folder, for component_seconds
from bench_pipeline import component_seconds
from nlp_service.contract import to_v1
from nlp_service.pipeline import Pipeline
docs = json.load(open(sys.argv[2], encoding="utf-8"))
pipe = Pipeline.build()
import nlp_service.pipeline as P
getattr(P, "settle_heap", lambda: None)()  # as the service's entry points do (trees before it: nothing)
pipe.extract(docs[0])
best = {}
for _ in range(int(sys.argv[3])):
    spent = component_seconds(pipe, docs)
    best = {k: min(v, best.get(k, v)) for k, v in spent.items()}
digests = []
for text in docs:
    v1 = to_v1(pipe.extract(text), 0.0)
    v1.pop("meta", None)  # timings and versions
    digests.append(hashlib.sha256(json.dumps(v1, ensure_ascii=False, sort_keys=True).encode()).hexdigest())
print(json.dumps({"seconds": best, "digests": digests}))
'''


def compare(baseline: str, texts: list[str], repeat: int) -> int:
    """Each component's seconds in this tree and in ``baseline``, and whether the outputs are equal."""
    chars = sum(map(len, texts))
    with tempfile.TemporaryDirectory() as tmp:
        docs_file = Path(tmp) / "docs.json"
        docs_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), baseline],
                       check=True, capture_output=True)
        try:
            runs = []
            for tree in (base, ROOT):
                out = subprocess.run([sys.executable, "-c", WORKER, str(tree), str(docs_file), str(repeat),
                                      str(Path(__file__).resolve().parent)],
                                     capture_output=True, text=True, check=True,
                                     env={**os.environ, "OMP_NUM_THREADS": "1"})
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    before, after = runs
    print(f"{len(texts)} documents, {chars:,} characters, one core, best of {repeat}")
    print(f"| component | baseline {baseline} s | this tree s | ratio |")
    print("|---|---|---|---|")
    names = sorted(set(before["seconds"]) | set(after["seconds"]), key=lambda k: -before["seconds"].get(k, 0))
    for name in names:
        b, a = before["seconds"].get(name, 0.0), after["seconds"].get(name, 0.0)
        print(f"| {name} | {b:.2f} | {a:.2f} | {b / a if a else float('nan'):.2f}x |")
    tb, ta = sum(before["seconds"].values()), sum(after["seconds"].values())
    print(f"| **all** | {tb:.2f} ({chars / tb:,.0f} chars/s) | {ta:.2f} ({chars / ta:,.0f} chars/s) | "
          f"**{tb / ta:.2f}x** |")
    differ = sum(x != y for x, y in zip(before["digests"], after["digests"], strict=True))
    print(f"v1 results identical: {len(texts) - differ} of {len(texts)} documents")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=0, help="limit the number of documents (0 = all)")
    ap.add_argument("--baseline", help="compare with this git revision, component by component")
    ap.add_argument("--repeat", type=int, default=3, help="with --baseline: best of this many runs")
    args = ap.parse_args()
    if not SHARED.exists():
        print("../shared/corpus not found", file=sys.stderr)
        return 1
    if args.baseline:
        texts = load(0)
        n = args.docs or 120
        return compare(args.baseline, texts[:: max(1, len(texts) // n)][:n], args.repeat)
    import jieba

    from nlp_service.contract import to_v1
    from nlp_service.pipeline import Pipeline, settle_heap

    texts = load(args.docs)
    chars = sum(map(len, texts))
    jieba.setLogLevel(60)
    jieba.initialize()
    pipe = Pipeline.build()
    settle_heap()  # as the service's entry points do
    pipe.extract(texts[0])  # warm-up

    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    jieba_s = time.perf_counter() - t0

    lat = []
    t0 = time.perf_counter()
    for t in texts:
        s = time.perf_counter()
        art = pipe.extract(t)
        json.dumps(to_v1(art, 0.0), ensure_ascii=False)
        lat.append((time.perf_counter() - s) * 1000)
    pipe_s = time.perf_counter() - t0

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lat.sort()
    print(f"documents: {len(texts)}  characters: {chars:,}")
    print(f"jieba.lcut (default dict, HMM):   {chars / jieba_s:12,.0f} chars/s  ({jieba_s:.1f} s)")
    print(f"nlp_service pipeline + JSON:       {chars / pipe_s:12,.0f} chars/s  ({pipe_s:.1f} s)")
    print(f"pipeline / jieba throughput ratio: {jieba_s / pipe_s:.2f}")
    print(f"pipeline latency per document: p50 {statistics.median(lat):.1f} ms, "
          f"p99 {lat[int(0.99 * (len(lat) - 1))]:.1f} ms, max {lat[-1]:.1f} ms")
    print(f"peak RSS: {rss:.0f} MiB")
    print_component_times(pipe, texts[::4])
    return 0


def component_seconds(pipe, texts: list[str]) -> dict[str, float]:
    """Seconds each component of ``pipe`` spends on ``texts`` (the components run one by one)."""
    from nlp_service.errors import InputError
    from nlp_service.work import Work

    spent = dict.fromkeys(pipe.component_names, 0.0)
    for t in texts:
        work = Work(raw=t)
        for comp in pipe.components:
            s = time.perf_counter()
            try:
                work = comp.fn(work, pipe.resources)
            except InputError:
                break
            spent[comp.name] += time.perf_counter() - s
    return spent


def print_component_times(pipe, texts: list[str]) -> None:
    """Seconds and share of each component over ``texts``."""
    spent = component_seconds(pipe, texts)
    total = sum(spent.values())
    print(f"time per component, {len(texts)} documents ({sum(map(len, texts)):,} characters):")
    for name, secs in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<18} {secs:7.2f} s  {100 * secs / total:5.1f}%")


if __name__ == "__main__":
    sys.exit(main())
