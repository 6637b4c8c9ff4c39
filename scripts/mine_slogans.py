"""Mine the slogan lexicon: what government documents put in quotation marks, across many documents.

usage: python scripts/mine_slogans.py [--min-docs 3]

Every quoted span (“”, ‘’, 「」) of 2–12 characters in every document of gov-work-reports and
policy-docs (never heldout, never the news archives; never a document whose slogans are scored: the
slogans-v1 gold excerpts and the test and dev documents of corpus/slogans/FROZEN.json), after
our own cleaning (traditional → simplified), is counted once per document. A span quoted in at
least ``--min-docs`` documents, that the slogan classifier does not reject (award, product, law,
journal, speech), and that is not in scripts/slogans.reject.txt, goes to
nlp_service/resources/slogans.tsv with its kind, document count, and up to three source documents.
Entries of scripts/slogans.manual.tsv (curated by reading, each with its source) are added.
Every string quoted in two or more documents, whatever the rules say of it, goes with its document
count (and whether it is on the reject list) to nlp_service/resources/quoted_documents.tsv: the
learned slogan filter reads it (nlp_service/models/quotes.py).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from nlp_service.extract.slogans import classify_quote, quoted_spans
from nlp_service.pipeline import Pipeline
from nlp_service.training.corpus import SOURCES, documents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "nlp_service" / "resources" / "slogans.tsv"
QUOTED = ROOT / "nlp_service" / "resources" / "quoted_documents.tsv"
MAX_QUOTED = 30


def slogan_gold_sources() -> set[str]:
    """Documents whose slogans are scored: the slogans-v1 excerpts' sources, the slogans-v2 test and dev documents."""
    v1 = {json.loads((ROOT / "corpus" / "gold" / "indicators" / f.name).read_text(encoding="utf-8"))["source"]
          for f in (ROOT / "corpus" / "gold" / "commitments").glob("*.json")}
    frozen = json.loads((ROOT / "corpus" / "slogans" / "FROZEN.json").read_text(encoding="utf-8"))
    return v1 | {d["source"] for d in frozen["test_documents"] + frozen["dev_documents"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-docs", type=int, default=3)
    args = ap.parse_args()
    pipeline = Pipeline.build(slogan_model="rules").for_tasks(("slogans",))  # the clean text is all it needs
    exclude = slogan_gold_sources()
    docs_of: dict[str, set[str]] = defaultdict(set)
    quoted_in: dict[str, set[str]] = defaultdict(set)  # every quotation, whatever the rules say of it
    kinds: dict[str, Counter] = defaultdict(Counter)
    for group in SOURCES:
        for key, text, title in documents(group):
            if key in exclude:
                continue
            art = pipeline.extract(text, title=title)
            for s, e, inner in quoted_spans(art.clean_text):
                if 1 <= len(inner.strip()) <= MAX_QUOTED:
                    quoted_in[inner.strip()].add(key)
                if 2 <= len(inner) <= 12:
                    kind, _ = classify_quote(art.clean_text, s, e, inner, use_lexicon=False)
                    if kind:
                        docs_of[inner].add(key)
                        kinds[inner][kind] += 1
    reject = {x.strip() for x in (ROOT / "scripts" / "slogans.reject.txt").read_text(encoding="utf-8").splitlines()
              if x.strip() and not x.startswith("#")}
    rows = []
    for inner, docs in docs_of.items():
        if len(docs) >= args.min_docs and inner not in reject:
            rows.append((inner, kinds[inner].most_common(1)[0][0], len(docs), "mined", ";".join(sorted(docs)[:3])))
    manual = ROOT / "scripts" / "slogans.manual.tsv"
    for line in manual.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, kind, source = line.split("\t")
            rows.append((text, kind, len(docs_of.get(text, ())), "manual", source))
    rows.sort(key=lambda r: (-r[2], r[0]))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# slogan\tkind\tdocuments_quoting_it\torigin\tsources (mined: up to 3 documents; manual: where seen)\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(rows)} entries ({sum(r[3] == 'mined' for r in rows)} mined, {len(reject)} on the reject list) -> {OUT}")
    counts = sorted(((q, len(d)) for q, d in quoted_in.items() if len(d) >= 2), key=lambda r: (-r[1], r[0]))
    with QUOTED.open("w", encoding="utf-8") as fh:
        fh.write("# quotation\tdocuments_quoting_it\trejected (1: on scripts/slogans.reject.txt) — every string the "
                 "corpus quotes in two or more documents (scored documents left out); scripts/mine_slogans.py\n")
        for q, n in counts:
            fh.write(f"{q}\t{n}\t{int(q in reject)}\n")
    print(f"{len(counts)} strings quoted in two or more documents -> {QUOTED}")


if __name__ == "__main__":
    main()
