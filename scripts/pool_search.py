"""Pool candidate commitments per query for relevance judgement by reading (search gold, corpus/README.md §6).

usage: python scripts/pool_search.py --database sqlite:///data/corpus.db [--top 20] [--extra 20] [--seed 6]
       python scripts/pool_search.py --database … --round v4 --top 20 --extra 10 --seed 43

For every query of corpus/search/queries.jsonl: the system's top ``--top`` hits (with the query's
filters) plus ``--extra`` drawn at random from the remaining matches, shuffled so that the judge
cannot see the system's order. Writes corpus/search/pool/batch-NN.jsonl (8 queries each).

``--round NAME`` extends the pool for a new extraction (commitments version 4 cuts commitments
differently from the version the first pool was judged on, so most of its hits had no grade): the
same draw, leaving out every commitment judged already (same article and text), written to
``pool/NAME-NN.jsonl`` for new judgements; the first round's grades stay.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from nlp_service.segment.words import WordSegmenter
from nlp_service.store import CommitmentQuery, open_store

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "corpus" / "search"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", required=True)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--extra", type=int, default=20)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--round", default="batch", help="name of the pool files; not 'batch': only unjudged hits")
    args = ap.parse_args()
    judged = set()
    if args.round != "batch":
        for line in (ROOT / "corpus" / "search_gold.jsonl").read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            judged |= {(g["qid"], j["source"], j["source_id"], "".join(j["text"].split())) for j in g["judged"]}
    rng = random.Random(args.seed)
    store = open_store(args.database)
    seg = WordSegmenter()
    queries = [json.loads(x) for x in (DIR / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    (DIR / "pool").mkdir(exist_ok=True)
    batches: list[list[dict]] = []
    for n, qd in enumerate(queries):
        hits, cursor = [], None
        while True:
            page = store.search_commitments(CommitmentQuery(q=qd["q"], limit=100, cursor=cursor, **qd["filters"]), seg)
            hits += page.hits
            cursor = page.next_cursor
            if cursor is None or len(hits) >= 2000:
                break
        hits = [h for h in hits if (qd["qid"], h["article"]["source"], h["article"]["source_id"],
                                    "".join(h["text"].split())) not in judged]
        top, rest = hits[: args.top], hits[args.top:]
        pool = top + rng.sample(rest, min(args.extra, len(rest)))
        rng.shuffle(pool)
        items = [{"qid": qd["qid"], "q": qd["q"], "need": qd["need"], "filters": qd["filters"],
                  "source": h["article"]["source"], "source_id": h["article"]["source_id"],
                  "title": h["article"]["title"], "year": h["year"], "region": h["region"], "text": h["text"],
                  "sentence": h["snippet"].replace("<mark>", "").replace("</mark>", "")} for h in pool]
        if n % 8 == 0:
            batches.append([])
        batches[-1] += items
        print(f"{qd['qid']} {qd['q']} {qd['filters']}: {page.total} matches, pooled {len(items)}")
    for k, batch in enumerate(batches, 1):
        with (DIR / "pool" / f"{args.round}-{k:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for i, item in enumerate(batch):
                fh.write(json.dumps({"n": i, **item}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
