"""Pipeline throughput next to plain ``jieba.lcut`` on the same text, in one run.

usage: python benchmarks/bench_pipeline.py [--docs N] [--repeat R]

Reads the government documents of ../shared/corpus (gov-work-reports and
policy-docs; never heldout), runs (1) ``jieba.lcut`` on each raw text and
(2) the whole extraction pipeline (normalise, paragraphs, in-article dedup,
layout repair, sentences, jieba words with the policy dictionary, JSON
serialisation), one core, and prints chars/s, per-document latency and peak
RSS; then, on every fourth document, the time of each component (where the time goes). Figures
vary with the machine; the ratio is the point.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=0, help="limit the number of documents (0 = all)")
    args = ap.parse_args()
    if not SHARED.exists():
        print("../shared/corpus not found", file=sys.stderr)
        return 1
    import jieba

    from nlp_service.contract import to_v1
    from nlp_service.pipeline import Pipeline

    texts = load(args.docs)
    chars = sum(map(len, texts))
    jieba.setLogLevel(60)
    jieba.initialize()
    pipe = Pipeline.build()
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


def print_component_times(pipe, texts: list[str]) -> None:
    """Seconds and share of each component over ``texts`` (the components run one by one)."""
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
    total = sum(spent.values())
    print(f"time per component, {len(texts)} documents ({sum(map(len, texts)):,} characters):")
    for name, secs in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<18} {secs:7.2f} s  {100 * secs / total:5.1f}%")


if __name__ == "__main__":
    sys.exit(main())
