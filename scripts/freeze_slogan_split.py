"""Freeze the blind slogan split of guide slogans-v2 (and draw a dev slice), before any slogan rule changes.

usage: python scripts/freeze_slogan_split.py [--seed 53]

The unit is one quoted string of one document: every quotation (“…” ‘…’ 「…」 『…』) whose inner
text is at most 30 characters, the same string quoted twice in a document counted once (the
extractor decides per string too). Each item carries the first occurrence's offset in the raw
document and its context, for the annotators.

Test documents are drawn per document kind (corpus/README.md §7.7), documents nobody has read first
("fresh"). The corpus has few of those left, so the split goes on with documents of which samples
were shown (clause, topic and search samples) and takes from them only quotations whose context
(100 characters before, 60 after) lies at least ``READ_MARGIN`` characters from every text a reader
was shown ("unread-context"); the work reports of the tracking test years, which only the tracking
test annotators read, come last ("tracking-test"). Never drawn: gold sources, work reports of
tracking train or dev years, sources of curated slogans, the sample article, reprints of
another corpus document (>10% shared sentences). A document gives at most ``PER_DOC`` items (a
random choice of its quoted strings) and at least 3.

The dev slice comes from documents already used (gold sources of the commitment work), for rule
work; the test split is never opened by whoever writes rules.

Writes corpus/slogans/test.jsonl, corpus/slogans/dev.jsonl (items, empty labels) and
corpus/slogans/FROZEN.json (date, seed, documents, item ids and a hash of each file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

from freeze_commitment_split import raw_documents, read_mask, read_texts, sentence_keys, used_documents

from nlp_service.extract.commitments.context import document_kind
from nlp_service.extract.slogans import quoted_spans
from nlp_service.training.corpus import gold_sources

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "slogans"
MAX_INNER = 30
PER_DOC = 16
READ_MARGIN = 60  # characters around a text a reader was shown that count as read too
# Every plan, action plan and congress report, and every work report outside the tracking test years, has
# been read for some rule already; news, notices and measures are drawn beyond a third of the quota for that.
QUOTAS = {"work-report": 9, "cpc-report": 4, "plan": 4, "action-plan": 4, "measures": 8, "notice": 16, "news": 20}
DEV_DOCS = 24


def quoted_items(text: str, rng: random.Random, cap: int, read: bytearray | None = None) -> list[dict]:
    """One item per distinct quoted string of ``text`` (first occurrence), at most ``cap`` of them.

    With ``read`` (a :func:`read_mask`), only quotations whose context no reader was shown count.
    """
    first: dict[str, tuple[int, int]] = {}
    for s, e, inner in quoted_spans(text):
        key = inner.strip()
        if not key or len(key) > MAX_INNER or key in first:
            continue
        if read is not None and any(read[max(0, s - 100):e + 60]):
            continue
        first[key] = (s, e)
    keys = list(first)
    if len(keys) > cap:
        keys = sorted(rng.sample(keys, cap), key=lambda k: first[k][0])
    out = []
    for key in keys:
        s, e = first[key]
        out.append({"quote": key, "start": s, "end": e, "left": text[max(0, s - 100):s], "right": text[e:e + 60],
                    "occurrences": sum(1 for _, _, q in quoted_spans(text) if q.strip() == key)})
    return out


def tracking_reports() -> tuple[set[str], set[str]]:
    """Work reports tracking annotators read in full: (those of train and dev years, those of test years only).

    A test year's reports were read by the tracking test annotators alone; no rule writer opened them.
    """
    frozen = json.loads((ROOT / "corpus/tracking/FROZEN.json").read_text(encoding="utf-8"))
    wr = "gov-work-reports/"
    by_split: dict[str, set[str]] = {"test": set(), "other": set()}
    for group, years in frozen["years"].items():
        for split, ys in years.items():
            for y in ys:
                for year in (y, y + 1):
                    key = (f"{wr}state_council_reports_1954_2022.jsonl#{year}年中华人民共和国国务院政府工作报告"
                           if group == "state-council" else f"{wr}shanghai_government_work_reports.jsonl#shanghai-gwr-{year}")
                    by_split["test" if split == "test" else "other"].add(key)
    return by_split["other"], by_split["test"] - by_split["other"]


def seen_texts() -> dict[str, list[str]]:
    """Text a reader was shown, by document: samples, gold excerpts, topic paragraphs, search judgements."""
    seen = read_texts()
    for x in (ROOT / "corpus/search_gold.jsonl").open(encoding="utf-8"):
        for j in json.loads(x)["judged"]:
            seen.setdefault(f"search:{j['source_id']}", []).append(j["text"])
    return seen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=53)
    args = ap.parse_args()
    if (OUT / "FROZEN.json").exists():
        sys.exit("corpus/slogans/FROZEN.json exists: the split is frozen")
    rng = random.Random(args.seed)
    docs = list(raw_documents())
    owners: Counter[str] = Counter()
    keys = {}
    for _, key, _, text, _ in docs:
        keys[key] = sentence_keys(text)
        owners.update(keys[key])
    touched, search_ids, topic_test, topic_train = used_documents()
    touched |= topic_test | topic_train
    touched |= {json.loads(x)["doc"] for x in (ROOT / "corpus/clauses/v2/clauses.jsonl").open(encoding="utf-8")}
    tracked, tracking_test = tracking_reports()
    read_whole = gold_sources() | tracked
    manual = (ROOT / "scripts/slogans.manual.tsv").read_text(encoding="utf-8")  # its sources were read
    seen = seen_texts()
    pool: dict[str, list] = {k: [] for k in QUOTAS}
    dev_pool = []
    for group, key, _, text, title in docs:
        if keys[key] and sum(owners[h] > 1 for h in keys[key]) / len(keys[key]) > 0.1:
            continue  # a reprint or near version of another document
        kind = document_kind(title, text)
        doc_id = key.split("#", 1)[1]
        if key in gold_sources():
            dev_pool.append((rng.random(), group, key, text, title, kind))
            continue
        if key in read_whole or key in manual or kind not in pool:
            continue
        fresh = key not in touched and doc_id not in search_ids and key not in tracking_test
        tier = 0 if fresh else 2 if key in tracking_test else 1
        pool[kind].append((tier, rng.random(), group, key, text, title))
    test, test_docs = [], []
    for kind, n in QUOTAS.items():
        taken = 0
        for tier, _, group, key, text, title in sorted(pool[kind]):
            spans = seen.get(key, []) + seen.get(f"search:{key.split('#', 1)[1]}", [])
            read = None if tier == 0 else read_mask(text, spans, margin=READ_MARGIN)
            items = quoted_items(text, rng, PER_DOC, read)
            if len(items) < 3:
                continue  # too few quotations to be worth a reader's time
            test_docs.append({"source": key, "kind": kind, "group": group, "title": title, "items": len(items),
                              "tier": ["fresh", "unread-context", "tracking-test"][tier]})
            test += [{"doc": key, "kind": kind, "title": title, **it} for it in items]
            taken += 1
            if taken == n:
                break
    dev = []
    dev_docs = []
    for _, group, key, text, title, kind in sorted(dev_pool)[:DEV_DOCS]:
        items = quoted_items(text, rng, PER_DOC)
        if items:
            dev_docs.append({"source": key, "kind": kind, "group": group, "title": title, "items": len(items)})
            dev += [{"doc": key, "kind": kind, "title": title, **it} for it in items]
    OUT.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for split, rows in (("test", test), ("dev", dev)):
        for i, r in enumerate(rows):
            r["id"] = f"{split}-{i + 1:03d}"
        body = "".join(json.dumps({"id": r.pop("id"), **r}, ensure_ascii=False) + "\n" for r in rows)
        (OUT / f"{split}.jsonl").write_text(body, encoding="utf-8")
        hashes[f"{split}.jsonl"] = hashlib.sha256(body.encode("utf-8")).hexdigest()
    manifest = {"frozen": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "guide": "slogans-v2",
                "seed": args.seed, "quotas": QUOTAS, "per_doc": PER_DOC, "max_inner": MAX_INNER,
                "sha256": hashes, "test_documents": test_docs, "dev_documents": dev_docs}
    (OUT / "FROZEN.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"test: {len(test)} items from {len(test_docs)} documents {Counter(d['kind'] for d in test_docs)}, "
          f"tiers {Counter(d['tier'] for d in test_docs)}; dev: {len(dev)} items from {len(dev_docs)} documents")


if __name__ == "__main__":
    main()
