"""Draw the paragraphs to be labelled with topics by reading (taxonomy.v1, corpus/README.md §5).

usage: python scripts/sample_paragraphs.py [--seed 5] [--batches 7] [--blind 200]

Documents from ../shared/corpus/gov-work-reports and policy-docs (never heldout, never the news
archives, never gold-excerpt documents) plus the sample article; kept body paragraphs with at
least 20 Han characters. Each group has a quota of documents and paragraphs per document.
The test split is frozen here, before any label or model: 20% of the documents of each group
(sha1 of "topics:" + key, lowest fifth) — stratified by group, document-disjoint.

Writes corpus/topics/sample.jsonl and corpus/topics/batches/batch-NN.jsonl (one annotator each),
plus batches/blind.jsonl: ``--blind`` paragraphs drawn from the batches, shuffled, to be labelled a
second time by a different annotator without seeing the first labels (agreement per label).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from nlp_service.pipeline import Pipeline
from nlp_service.training.corpus import (
    SHARED_CORPUS,
    documents,
    gold_sources,
    write_annotation_batches,
    write_annotation_file,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "topics"
QUOTAS = {"state-council": (45, 20), "cpc-congress": (14, 20), "shanghai": (5, 30), "st-policy": (90, 8),
          "ncp2020": (150, 3), "nansha": (20, 8), "local-plans": (5, 15)}


def split_of(key: str, group_keys: list[str]) -> str:
    ranked = sorted(group_keys, key=lambda k: hashlib.sha1(f"topics:{k}".encode()).hexdigest())
    return "test" if key in set(ranked[: max(1, round(len(ranked) * 0.2))]) else "train"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--batches", type=int, default=7)
    ap.add_argument("--blind", type=int, default=200)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pipeline = Pipeline.build()
    exclude = gold_sources()
    rows = []
    picked: dict[str, list[str]] = {}
    sources = {g: [d for d in documents(g) if d[0] not in exclude] for g in QUOTAS}
    sources["sample"] = [("ningbo-sci-tech-2024.txt", (SHARED_CORPUS / "ningbo-sci-tech-2024.txt").read_text(
        encoding="utf-8"), None)]
    quotas = {**QUOTAS, "sample": (1, 20)}
    for group, (ndocs, per_doc) in quotas.items():
        docs = rng.sample(sources[group], min(ndocs, len(sources[group])))
        picked[group] = [k for k, _, _ in docs]
        for key, text, title in docs:
            art = pipeline.extract(text, title=title)
            paras = [p for p in art.paragraphs
                     if p.kind == "body" and sum("\u4e00" <= c <= "\u9fff" for c in p.text) >= 20]
            for p in rng.sample(paras, min(per_doc, len(paras))):
                rows.append({"group": group, "doc": key, "title": art.title, "text": p.text[:600]})
    for r in rows:
        r["split"] = split_of(r["doc"], picked[r["group"]]) if r["group"] != "sample" else "train"
    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["id"] = f"p{i:04d}"
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "sample.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    bdir = OUT / "batches"
    bdir.mkdir(exist_ok=True)
    size = write_annotation_batches(rows, bdir, "batch", args.batches)
    blind = rng.sample(rows, min(args.blind, len(rows)))
    write_annotation_file(blind, bdir / "blind.jsonl")
    print(f"{len(rows)} paragraphs from {sum(len(v) for v in picked.values())} documents; test "
          f"{sum(r['split'] == 'test' for r in rows)}; {args.batches} batches of ~{size}; blind {len(blind)}")


if __name__ == "__main__":
    main()
