"""Freeze a second blind topic test split, ``test-b``, before any label or model sees it.

usage: python scripts/freeze_topic_split.py [--seed 31] [--size 440] [--batches 4] [--double 0.25]

The first test split (459 paragraphs, corpus/README.md §5.1) was used for choices: the default
model was picked on it and labelling stopped when its figure crossed 0.80, so it is not blind any
more. ``test-b`` is drawn from documents **no topic draw ever sampled** (no paragraph of them in any
``corpus/topics/sample*.jsonl``), that are no gold excerpt's source, by the same paragraph rule as
every draw (kept body paragraphs with 20+ Han characters, cut at 600 characters). Each candidate is
checked against every labelled paragraph: it is dropped when its normalised text equals one
(:func:`nlp_service.training.corpus.dedup_key`) or when half or more of its 20+-Han sentences
occur in one (a reprint of a labelled paragraph). At most ``--per-doc`` paragraphs per document
(the epidemic articles are many and short), every paragraph of the few long documents left.

The corpus has few such documents left beyond the 2020 epidemic articles (``ncp2020``): the split
is skewed to them, and the report says so.

Writes ``corpus/topics/sample-testb.jsonl`` (split ``test-b``, ids ``v0000``…),
``batches/testb-NN.jsonl`` (one annotator each), ``batches/testb-blind.jsonl`` (``--double`` of
the paragraphs, drawn from all batches, for a second labelling by another annotator) and
``corpus/topics/FROZEN-test-b.json`` (date, seed, sha256 of the sample file). Refuses to run when
the split exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
from collections import Counter
from pathlib import Path

from nlp_service.pipeline import Pipeline
from nlp_service.training.corpus import (
    SOURCES,
    dedup_key,
    documents,
    gold_sources,
    topic_paragraphs,
    write_annotation_batches,
    write_annotation_file,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "topics"
_SENT_END = re.compile(r"(?<=[。！？；])")


def sentence_keys(text: str) -> set[str]:
    """Normalised sentences of 20+ Han characters: what a reprint shares with its original."""
    return {k for k in (dedup_key(s) for s in _SENT_END.split(text)) if len(re.findall(r"[\u4e00-\u9fff]", k)) >= 20}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--size", type=int, default=440)
    ap.add_argument("--per-doc", type=int, default=2, help="paragraphs per document of the large groups")
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--double", type=float, default=0.25, help="share labelled a second time, blind")
    args = ap.parse_args()
    if (OUT / "FROZEN-test-b.json").exists():
        raise SystemExit("test-b is frozen already")
    rng = random.Random(args.seed)
    labelled = [json.loads(x) for f in sorted(OUT.glob("sample*.jsonl"))
                for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    sampled_docs = {r["doc"] for r in labelled}
    seen_keys = {dedup_key(r["text"]) for r in labelled}
    seen_sentences = set().union(*(sentence_keys(r["text"]) for r in labelled))
    exclude = sampled_docs | gold_sources()
    pipeline = Pipeline.build()
    by_doc: dict[str, list[dict]] = {}
    dropped = Counter()
    for group in SOURCES:
        for key, text, title in documents(group):
            if key in exclude:
                continue
            shown_title, paragraphs = topic_paragraphs(pipeline, text, title)
            for cut in paragraphs:
                sents = sentence_keys(cut)
                if dedup_key(cut) in seen_keys:
                    dropped["same text as a labelled paragraph"] += 1
                elif sents and len(sents & seen_sentences) * 2 >= len(sents):
                    dropped["half its sentences in a labelled paragraph"] += 1
                else:
                    seen_keys.add(dedup_key(cut))  # no two test paragraphs alike either
                    seen_sentences |= sents
                    by_doc.setdefault(key, []).append({"group": group, "doc": key, "title": shown_title, "text": cut})
    groups = Counter(rows[0]["group"] for rows in by_doc.values())
    small = {g for g, n in groups.items() if n <= 20}  # the few long documents left: every paragraph
    rows = [r for rows in by_doc.values() if rows[0]["group"] in small for r in rows]
    rest = []
    for doc_rows in by_doc.values():
        if doc_rows[0]["group"] not in small:
            rest += rng.sample(doc_rows, min(args.per_doc, len(doc_rows)))
    rows += rng.sample(rest, max(0, min(len(rest), args.size - len(rows))))
    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["id"] = f"v{i:04d}"
        r["split"] = "test-b"
    sample = OUT / "sample-testb.jsonl"
    with sample.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    write_annotation_batches(rows, OUT / "batches", "testb", args.batches)
    blind = rng.sample(rows, round(len(rows) * args.double))
    write_annotation_file(blind, OUT / "batches" / "testb-blind.jsonl")
    stats = {"documents": len({r["doc"] for r in rows}), "paragraphs": len(rows),
             "by_group": dict(Counter(r["group"] for r in rows)), "dropped": dict(dropped),
             "double_labelled": len(blind)}
    frozen = {"frozen": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seed": args.seed,
              "sha256": hashlib.sha256(sample.read_bytes()).hexdigest(), **stats}
    (OUT / "FROZEN-test-b.json").write_text(json.dumps(frozen, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(stats, ensure_ascii=False))


if __name__ == "__main__":
    main()
