"""Draw the train items of guide slogans-v2: quoted strings of documents outside the frozen test split.

usage: python scripts/sample_slogan_train.py [--items 800] [--seed 59]
       python scripts/sample_slogan_train.py --add 480 --groups st-policy local-plans nansha shanghai \
              state-council cpc-congress --seed 61   (more items from policy documents, appended)

Any corpus document but the test documents of corpus/slogans/FROZEN.json and the dev slice's
(heldout, the news archives and the sample article are never in the corpus sources). Documents
are visited in random order, at most ``PER_DOC`` items each (a random choice of their quoted
strings, the same unit as the test split: one item per distinct string of a document); work
reports, being long and quote-rich, are capped at a quarter of the items. Writes
corpus/slogans/train.jsonl (ids train-NNNN, no labels).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from freeze_commitment_split import raw_documents
from freeze_slogan_split import quoted_items

from nlp_service.extract.commitments.context import document_kind

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "slogans"
PER_DOC = 8


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=800)
    ap.add_argument("--seed", type=int, default=59)
    ap.add_argument("--add", type=int, metavar="N", help="append N items to train.jsonl (documents not yet drawn)")
    ap.add_argument("--groups", nargs="+", help="with --add: only documents of these corpus groups")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    frozen = json.loads((OUT / "FROZEN.json").read_text(encoding="utf-8"))
    taken = {d["source"] for d in frozen["test_documents"] + frozen["dev_documents"]}
    old: list[dict] = []
    if args.add:
        old = [json.loads(x) for x in (OUT / "train.jsonl").read_text(encoding="utf-8").splitlines()]
        taken |= {r["doc"] for r in old}
        args.items = args.add
    docs = [d for d in raw_documents() if d[1] not in taken and (not args.groups or d[0] in args.groups)]
    rng.shuffle(docs)
    rows: list[dict] = []
    per_kind: Counter[str] = Counter()
    for _, key, _, text, title in docs:
        kind = document_kind(title, text)
        if kind in ("work-report", "cpc-report") and per_kind["reports"] >= args.items // (2 if args.add else 4):
            continue
        items = quoted_items(text, rng, PER_DOC)
        if len(items) < 2:
            continue
        items = items[:args.items - len(rows)]
        rows += [{"doc": key, "kind": kind, "title": title, **it} for it in items]
        per_kind[kind] += len(items)
        if kind in ("work-report", "cpc-report"):
            per_kind["reports"] += len(items)
        if len(rows) >= args.items:
            break
    with (OUT / "train.jsonl").open("w", encoding="utf-8") as fh:
        for r in old:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        for i, r in enumerate(rows, start=len(old)):
            fh.write(json.dumps({"id": f"train-{i + 1:04d}", **r}, ensure_ascii=False) + "\n")
    print(f"train: {len(rows)} items from {len({r['doc'] for r in rows})} documents; {dict(per_kind)}")


if __name__ == "__main__":
    main()
