"""How the clusters of a news-archive dedup report stand against the clusters read before.

usage: python scripts/check_news_clusters.py REPORT.json

For every cluster of the report with a near or contained member (the verifier's judgement calls),
looks up a cluster with the same members in corpus/dedup/news_clusters_checked*.tsv and prints the
verdicts given there (same / wrong_merge, one per reading), and the clusters never read.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from nlp_service.training.dedup_pairs import RECORD_ID

ROOT = Path(__file__).resolve().parents[1]
VERDICTS = ("same", "wrong_merge")


def readings() -> dict[frozenset[str], list[str]]:
    """Member set → verdicts of every reading in the checked files (their column layouts differ)."""
    out: dict[frozenset[str], list[str]] = {}
    for path in sorted((ROOT / "corpus" / "dedup").glob("news_clusters_checked*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            at = next((i for i, p in enumerate(parts) if p in VERDICTS), None)
            if line.startswith("#") or at is None:
                continue
            out.setdefault(frozenset(RECORD_ID.findall(" ".join(parts[at + 1:at + 3]))), []).append(parts[at])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("report", type=Path)
    args = ap.parse_args()
    clusters = json.loads(args.report.read_text(encoding="utf-8"))["clusters"]
    near = [c for c in clusters if any(m["kind"] != "exact" for m in c["members"])]
    read = readings()
    tally: Counter = Counter()
    for c in near:
        members = frozenset([c["representative"], *(m["id"] for m in c["members"])])
        verdicts = read.get(members)
        tally["never read" if verdicts is None else " / ".join(sorted(set(verdicts)))] += 1
        if verdicts is None or "wrong_merge" in verdicts:
            print(f"{'never read' if verdicts is None else verdicts}: {sorted(members)}")
    print(f"{len(clusters)} clusters, {len(near)} with a near or contained member: {dict(tally)}")


if __name__ == "__main__":
    main()
