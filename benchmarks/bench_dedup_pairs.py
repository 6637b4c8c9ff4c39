"""The archive verifier against labelled pairs of the news archives (guide dedup-pairs-v1).

usage: .venv/bin/python benchmarks/bench_dedup_pairs.py [--split train|test|all]

Reads corpus/dedup/pairs.jsonl and the labels of corpus/dedup/labels/ (primary annotator's label;
``unsure`` left out), the two texts of each pair from ../shared at run time (research-use archives,
never stored), and asks the verifier (``nlp_service.dedup.minhash.verify``, threshold 0.3, the
estimate recorded when the pair was drawn) whether the pair is a copy. Prints the annotators'
agreement on the doubly labelled pairs, and precision / recall of "copy" against ``same`` per
stratum and in all, with the noise rule (``noise_all_over``) and without it in the same run.
Pairs are candidates of the engine (estimated Jaccard ≥ 0.3) or same-URL pairs, so recall is that of
the verifier on candidates, not of the whole engine.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from collections import Counter
from pathlib import Path

from nlp_service.dedup import minhash as mh

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpus" / "news-archive"
FOLDER = ROOT / "corpus" / "dedup"


def labels() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(primary label by pair id, (first, second) label of each doubly labelled pair)."""
    assignment = json.loads((FOLDER / "labels" / "assignment.json").read_text(encoding="utf-8"))
    primary: dict[str, str] = {}
    second: dict[str, str] = {}
    for who, a in assignment.items():
        if not isinstance(a, dict):
            continue
        path = FOLDER / "labels" / a["file"]
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                pid, lab = row["id"], row["label"].strip()
                if lab not in ("same", "different", "unsure"):
                    raise SystemExit(f"{a['file']}: {pid} has label {lab!r}")
                if a["primary"][0] <= pid <= a["primary"][1]:
                    primary[pid] = lab
                elif a["overlap"][0] <= pid <= a["overlap"][1]:
                    second[pid] = lab
                else:
                    raise SystemExit(f"{a['file']}: {pid} is outside {who}'s ranges")
    return primary, [(primary[p], second[p]) for p in sorted(second) if p in primary]


def texts(ids: set[str]) -> dict[str, str]:
    out = {}
    for path in sorted(NEWS.glob("*/items.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if d["id"] in ids:
                    out[d["id"]] = d["text"]
    return out


def prf(rows: list[tuple[bool, bool]]) -> str:
    tp = sum(p and g for p, g in rows)
    fp = sum(p and not g for p, g in rows)
    fn = sum(g and not p for p, g in rows)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return f"P {prec:.3f} R {rec:.3f} (same {tp + fn}, kept {tp + fp}, right {tp})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["train", "test", "all"], default="all")
    args = ap.parse_args()
    pairs = [json.loads(x) for x in (FOLDER / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    primary, double = labels()
    if double:
        same = sum(a == b for a, b in double)
        print(f"doubly labelled {len(double)}: same label {same} ({same / len(double):.3f})")
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in pairs:  # a same-URL pair may have been drawn in another stratum too: counted once
        key = (min(p["a"], p["b"]), max(p["a"], p["b"]))
        if key not in seen:
            seen.add(key)
            unique.append(p)
    pairs = [p for p in unique if p["id"] in primary and primary[p["id"]] != "unsure"
             and (args.split == "all" or p["split"] == args.split)]
    print(f"labelled pairs used ({args.split}): {len(pairs)}; labels {dict(Counter(primary[p['id']] for p in pairs))}")
    text = texts({p["a"] for p in pairs} | {p["b"] for p in pairs})
    original = mh.noise_all_over
    for name, rule in (("with the noise rule", original), ("without it", lambda a, b, ops: False)):
        mh.noise_all_over = rule
        rows: dict[str, list[tuple[bool, bool]]] = {}
        for p in pairs:
            a, b = mh.normalise(text[p["a"]]), mh.normalise(text[p["b"]])
            kept = mh.verify(a, b, p["estimate"], 0.3) is not None
            rows.setdefault(p["stratum"], []).append((kept, primary[p["id"]] == "same"))
        print(f"{name}: all {prf([r for v in rows.values() for r in v])}")
        for stratum, r in sorted(rows.items()):
            print(f"  {stratum:<12} {prf(r)}")
    mh.noise_all_over = original


if __name__ == "__main__":
    main()
