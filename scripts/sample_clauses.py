"""Draw the clauses to be labelled by reading (automated annotators) for the commitment classifier.

usage: python scripts/sample_clauses.py [--seed 4] [--batches 7] [--overlap 20]

Documents come from ../shared/corpus/gov-work-reports and policy-docs (never
heldout, never the news archives), minus the documents whose excerpts are gold
files (corpus/gold/indicators) and the sample article. Each group of documents
gets a quota (below); documents are drawn at random, then clauses at random
inside each. A document goes to the test split when sha1(doc key) mod 4 == 0:
decided before any label exists, so no model choice can look at it.

Writes corpus/clauses/sample.jsonl (every drawn clause with its context) and
corpus/clauses/batches/batch-NN.jsonl, the work of one annotator each; the
first ``overlap`` clauses of batch k are repeated at the end of batch k+1 so
that agreement can be measured.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from nlp_service.extract.clauses import split_clauses
from nlp_service.training.corpus import doc_split, documents, gold_sources
from nlp_service.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "clauses"

# group: documents drawn, clauses per document (files and fields in nlp_service.training.corpus)
QUOTAS = {"state-council": (36, 16), "cpc-congress": (10, 15), "shanghai": (4, 25), "st-policy": (60, 10),
          "ncp2020": (60, 8), "nansha": (14, 12), "local-plans": (5, 20)}


def clauses_of(pipeline: Pipeline, text: str, title: str | None, before_chars: int = 120,
               with_paragraph: bool = False) -> list[dict]:
    art = pipeline.extract(text, title=title)
    out = []
    heading = None
    for p in art.paragraphs:
        if p.kind == "heading":
            heading = p.text[:60]
            continue
        for s in p.sentences:
            for cs, ce in split_clauses(s.text, s.start):
                clause = art.clean_text[cs:ce]
                if sum("\u4e00" <= ch <= "\u9fff" for ch in clause) < 4:
                    continue
                before = art.clean_text[max(p.start, s.start - before_chars):s.start]
                marked = art.clean_text[s.start:cs] + "【" + clause + "】" + art.clean_text[ce:s.end]
                out.append({"title": art.title, "heading": heading, "before": before,
                            "sentence": marked, "clause": clause, **({"paragraph": p.text} if with_paragraph else {})})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--batches", type=int, default=7)
    ap.add_argument("--overlap", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pipeline = Pipeline.build()
    exclude = gold_sources()
    rows = []
    for group, (ndocs, per_doc) in QUOTAS.items():
        docs = [d for d in documents(group) if d[0] not in exclude]
        for key, text, title in rng.sample(docs, min(ndocs, len(docs))):
            cl = clauses_of(pipeline, text, title)
            for c in rng.sample(cl, min(per_doc, len(cl))):
                rows.append({"group": group, "doc": key, "split": doc_split(key), **c})
    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["id"] = f"c{i:04d}"
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "sample.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    bdir = OUT / "batches"
    bdir.mkdir(exist_ok=True)
    size = -(-len(rows) // args.batches)
    chunks = [rows[k * size:(k + 1) * size] for k in range(args.batches)]
    for k, chunk in enumerate(chunks):
        extra = chunks[k - 1][:args.overlap] if k else chunks[-1][:args.overlap]
        with (bdir / f"batch-{k + 1:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in chunk + extra:
                fh.write(json.dumps({k2: r[k2] for k2 in ("id", "title", "heading", "before", "sentence", "clause")},
                                    ensure_ascii=False) + "\n")
    print(f"{len(rows)} clauses from {len({r['doc'] for r in rows})} documents; "
          f"test split {sum(r['split'] == 'test' for r in rows)}; {args.batches} batches of ~{size} + {args.overlap} overlap")


if __name__ == "__main__":
    main()
