"""Print the two texts of labelled dedup pairs, read from ../shared at run time (never stored).

usage: python scripts/show_dedup_pair.py p0001 [p0002 …]     (or --from p0001 --to p0140)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nlp_service.training.dedup_pairs import news_records

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("ids", nargs="*")
    ap.add_argument("--from", dest="start")
    ap.add_argument("--to", dest="end")
    args = ap.parse_args()
    pairs = [json.loads(x) for x in (ROOT / "corpus" / "dedup" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [p for p in pairs if p["id"] in args.ids or (args.start and args.start <= p["id"] <= args.end)]
    want = {p["a"] for p in chosen} | {p["b"] for p in chosen}
    text = {k: f"{d.get('date')} | {d.get('title')}\n{d.get('text')}" for k, d in news_records(want).items()}
    for p in chosen:
        print(f"=== {p['id']}\n--- A {p['a']}\n{text[p['a']]}\n--- B {p['b']}\n{text[p['b']]}\n")


if __name__ == "__main__":
    main()
