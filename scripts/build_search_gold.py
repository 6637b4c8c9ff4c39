"""Join the pooled candidates with the relevance judgements into corpus/search_gold.jsonl.

usage: python scripts/build_search_gold.py

Reads every pool round, corpus/search/pool/ROUND-NN.jsonl (``batch``: the first; ``v4``: the unjudged
hits of commitments version 4), and corpus/search/labels/ROUND-NN.tsv (``n<TAB>grade<TAB>note``,
guide ``search-v1``, corpus/README.md §6); checks that every pooled item has exactly one grade in
{0, 1, 2}; writes one line per query with its judged commitments.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "corpus" / "search"


def main() -> None:
    queries = {json.loads(x)["qid"]: json.loads(x) for x in (DIR / "queries.jsonl").read_text(encoding="utf-8").splitlines()}
    judged: dict[str, list[dict]] = {q: [] for q in queries}
    grades = Counter()
    for pool in sorted((DIR / "pool").glob("*-[0-9][0-9].jsonl")):
        labels = DIR / "labels" / f"{pool.stem}.tsv"
        items = [json.loads(x) for x in pool.read_text(encoding="utf-8").splitlines()]
        if not labels.exists():
            print(f"{pool.stem}: not judged yet")
            continue
        got = {}
        for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
            parts = line.split("\t")
            if len(parts) < 2 or parts[1].strip() not in ("0", "1", "2"):
                raise SystemExit(f"{labels.name}:{n}: bad line {line!r}")
            got[int(parts[0])] = int(parts[1])
        missing = [it["n"] for it in items if it["n"] not in got]
        if missing:
            raise SystemExit(f"{labels.name}: {len(missing)} items without a grade, first {missing[:5]}")
        for it in items:
            judged[it["qid"]].append({"source": it["source"], "source_id": it["source_id"], "text": it["text"],
                                      "grade": got[it["n"]]})
            grades[got[it["n"]]] += 1
    with (ROOT / "corpus" / "search_gold.jsonl").open("w", encoding="utf-8") as fh:
        for qid, q in queries.items():
            if judged[qid]:
                fh.write(json.dumps({**q, "judged": judged[qid]}, ensure_ascii=False) + "\n")
    print(f"{sum(bool(v) for v in judged.values())} queries judged; grades {dict(sorted(grades.items()))}")


if __name__ == "__main__":
    main()
