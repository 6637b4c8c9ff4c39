"""Entities (ORG/LOC/PER) against the People's Daily 1998 NER data in ../shared/corpus/ner.

usage: python benchmarks/bench_entities.py [--split dev|test]

Exact-span matching, per type precision/recall/F1, and throughput (characters per second, one
core). ``dev`` was used to write the rules; ``test`` is the figure we report. The data is
research-use only: it is read from ../shared and nothing derived from it is committed.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from nlp_service.extract.entities import TYPES, tag

NER = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ner"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--show", type=int, default=0, help="print this many errors per type")
    args = ap.parse_args()
    rows = [json.loads(x) for x in (NER / f"{args.split}.jsonl").read_text(encoding="utf-8").splitlines()]
    tag("市科技局局长费小琛在北京表示")  # warms both passes (the HMM one loads jieba.posseg)
    tp = dict.fromkeys(TYPES, 0)
    fp = dict.fromkeys(TYPES, 0)
    fn = dict.fromkeys(TYPES, 0)
    errors: dict[str, list] = {t: [] for t in TYPES}
    chars = 0
    t0 = time.perf_counter()
    preds = [tag(r["text"]) for r in rows]
    secs = time.perf_counter() - t0
    for r, pred in zip(rows, preds, strict=True):
        chars += len(r["text"])
        gold = {(e["start"], e["end"], e["type"]) for e in r["entities"] if e["type"] in TYPES}
        got = set(pred)
        for _, _, k in got & gold:
            tp[k] += 1
        for s, e, k in got - gold:
            fp[k] += 1
            errors[k].append(("FP", r["text"][s:e]))
        for s, e, k in gold - got:
            fn[k] += 1
            errors[k].append(("FN", r["text"][s:e]))
    print(f"People's Daily NER {args.split}: {len(rows)} sentences, {chars:,} characters")
    print("| type | precision | recall | F1 | gold |")
    print("|---|---|---|---|---|")
    for k in (*TYPES, "all"):
        t = sum(tp.values()) if k == "all" else tp[k]
        f = sum(fp.values()) if k == "all" else fp[k]
        n = sum(fn.values()) if k == "all" else fn[k]
        p = t / (t + f) if t + f else 0.0
        rec = t / (t + n) if t + n else 0.0
        print(f"| {k} | {p:.3f} | {rec:.3f} | {2 * p * rec / (p + rec) if p + rec else 0:.3f} | {t + n} |")
    print(f"throughput: {chars / secs:,.0f} characters/s (one core)")
    for k in TYPES:
        for e in errors[k][: args.show]:
            print(k, *e)


if __name__ == "__main__":
    main()
