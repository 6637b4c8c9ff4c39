"""Draw clusters of a news-archive dedup report for checking by reading (issue 7: no cross-story merges).

usage: python scripts/sample_news_clusters.py REPORT.json OUT_DIR [--n 100] [--near 70] [--seed 11] [--batches 2]
       [--exclude corpus/dedup/news_clusters_checked.tsv …]   (a new draw: clusters checked before are left out)

Writes OUT_DIR/batch-K.jsonl (each cluster: representative and members with id, kind, similarity,
title and text) for annotators, outside the repository: the news archives are research-use only and
their texts are never committed. ``--near`` of the clusters have a ``near`` or ``contained`` member
(the verifier's judgement calls), the rest are drawn from all clusters. The verdicts go to
corpus/dedup/news_clusters_checked.tsv with ids only.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from nlp_service.training.dedup_pairs import RECORD_ID, news_records


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("report", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--near", type=int, default=70)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--batches", type=int, default=2)
    ap.add_argument("--exclude", type=Path, action="append", default=[],
                    help="a checked-clusters TSV (repeatable): none of its records is drawn again")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    clusters = json.loads(args.report.read_text(encoding="utf-8"))["clusters"]
    if args.exclude:
        seen = set()
        for path in args.exclude:  # every record id named anywhere on a line that is not a comment
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    seen.update(RECORD_ID.findall(line))
        clusters = [c for c in clusters if c["representative"] not in seen
                    and not any(m["id"] in seen for m in c["members"])]
    near = [c for c in clusters if any(m["kind"] != "exact" for m in c["members"])]
    picked = rng.sample(near, min(args.near, len(near)))
    rest = [c for c in clusters if c not in picked]
    picked += rng.sample(rest, args.n - len(picked))
    rng.shuffle(picked)
    texts = {rid: (x.get("title") or "", x.get("text") or "") for rid, x in news_records().items()}
    args.out.mkdir(parents=True, exist_ok=True)
    size = -(-len(picked) // args.batches)
    for b in range(args.batches):
        with (args.out / f"batch-{b + 1}.jsonl").open("w", encoding="utf-8") as fh:
            for k in range(b * size, min(len(picked), (b + 1) * size)):
                c = picked[k]
                members = [{"id": c["representative"], "kind": "representative", "similarity": 1.0}] + c["members"]
                fh.write(json.dumps({"k": k, "members": [
                    {**m, "title": texts[m["id"]][0], "text": texts[m["id"]][1]} for m in members]},
                    ensure_ascii=False) + "\n")
    print(f"{len(picked)} clusters ({sum(c in near for c in picked)} with a near/contained member) -> {args.out}")


if __name__ == "__main__":
    main()
