"""Check the tracking gold (guide ``tracking-v1``) and measure agreement on the double-labelled years.

usage: python scripts/check_tracking_gold.py

For every file of ``corpus/tracking/pairs`` and ``second``: the fields of §8.5, the split of its
year in ``FROZEN.json``, ids in order, every ``target.text`` a substring of report Y and every
``outcome.text`` of report Y+1. Prints pairs per split and status (counts only: the test pairs are
not shown), and for each year labelled twice: the targets both labellings found (matched by
overlapping text), and on those the agreement of metric key, outcome value and status, with
Cohen's kappa of the status.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from nlp_service.tracking.evaluate import report_documents

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "tracking"
STATUSES = ("met", "not_met", "partly_met", "no_evidence")
COMPARATORS = ("approx", "floor", "ceiling", "range", "exact")


def texts() -> dict[str, str]:
    """Document key → text, for the reports the gold names."""
    return {key: doc[0] for key, doc in report_documents().items()}


def problems(f: Path, d: dict, docs: dict[str, str], frozen: dict) -> list[str]:
    """What is wrong with one gold file (empty when nothing)."""
    bad = []
    split = next((s for s, ys in frozen["years"][d["group"]].items() if d["target_year"] in ys), None)
    if d.get("split") != split:
        bad.append(f"split {d.get('split')} but FROZEN.json says {split}")
    target_doc, outcome_doc = docs.get(d["target_doc"]), docs.get(d["outcome_doc"])
    if target_doc is None or outcome_doc is None:
        return [*bad, "unknown document key"]
    for k, p in enumerate(d["pairs"], 1):
        t, o = p["target"], p["outcome"]
        if p["id"] != f"{d['group']}-{d['target_year']}-{k:02d}":
            bad.append(f"id {p['id']} out of order")
        if t["text"] not in target_doc:
            bad.append(f"{p['id']}: target text not in report {d['target_year']}")
        if o is not None and o["text"] not in outcome_doc:
            bad.append(f"{p['id']}: outcome text not in report {d['target_year'] + 1}")
        if p["status"] not in STATUSES or t["comparator"] not in COMPARATORS:
            bad.append(f"{p['id']}: status {p['status']} / comparator {t['comparator']}")
        if t.get("due") != d["target_year"]:
            bad.append(f"{p['id']}: due {t.get('due')}")
    return bad


def overlap(a: str, b: str) -> bool:
    """Two target texts name the same item when one contains the other."""
    return a in b or b in a


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two labellings."""
    n = len(pairs)
    if not n:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / n / n
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def main() -> int:
    """Check every file, print the counts and the agreement; 1 when a file is wrong."""
    frozen = json.loads((GOLD / "FROZEN.json").read_text(encoding="utf-8"))
    docs = texts()
    failed = False
    counts: Counter = Counter()
    firsts = {}
    for f in sorted((GOLD / "pairs").glob("*.json")) + sorted((GOLD / "second").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        for msg in problems(f, d, docs, frozen):
            failed = True
            print(f"{f.relative_to(ROOT)}: {msg}")
        if f.parent.name == "pairs":
            firsts[f.name] = d
            for p in d["pairs"]:
                counts[d["split"], p["status"]] += 1
    for split in ("train", "dev", "test"):
        row = {s: counts[split, s] for s in STATUSES}
        print(f"{split:<5} {sum(row.values()):4d} pairs  " + "  ".join(f"{s} {n}" for s, n in row.items()))
    both, only = [], 0
    for f in sorted((GOLD / "second").glob("*.json")):
        second = json.loads(f.read_text(encoding="utf-8"))
        first = firsts.get(f.name)
        if first is None:
            continue
        left = list(second["pairs"])
        for p in first["pairs"]:
            q = next((q for q in left if overlap(p["target"]["text"], q["target"]["text"])
                      and p["target"]["value"] == q["target"]["value"]), None)
            if q is None:
                only += 1
                continue
            left.remove(q)
            both.append((p, q))
        only += len(left)
    if both:
        same = lambda key: sum(key(p) == key(q) for p, q in both) / len(both)  # noqa: E731
        print(f"double-labelled: {len(both)} targets found by both, {only} by one only "
              f"(target F1 {2 * len(both) / (2 * len(both) + only):.3f}); on the shared ones: "
              f"metric key {same(lambda p: p['target']['metric_key']):.3f}, "
              f"outcome value {same(lambda p: (p['outcome'] or {}).get('value')):.3f}, "
              f"status {same(lambda p: p['status']):.3f} "
              f"(kappa {kappa([(p['status'], q['status']) for p, q in both]):.3f})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
