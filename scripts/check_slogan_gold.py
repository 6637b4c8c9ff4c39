"""Check the slogans-v2 label files, measure agreement, and build the final gold of a split.

usage: python scripts/check_slogan_gold.py test|dev|train [--disagreements OUT.tsv] [--write]

Reads corpus/slogans/labels/assignment.json (who labelled which ids, primary and overlap), checks
every label file (ids of the split, labels and classes of the guide), prints the agreement on the
doubly labelled items (same label; Cohen's kappa on slogan/not; same kind), and writes the items
the two labellings disagree on for the adjudicator (``--disagreements``). ``--write`` builds
corpus/slogans/<split>.gold.tsv: the primary annotator's label, or the adjudicator's
(labels/<split>-adjudication.tsv) where there is one.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "corpus" / "slogans"
CLASSES = {"slogan": {"campaign", "formula", "catchphrase"},
           "not_slogan": {"name", "doc_title", "speech", "scare", "other"}, "optional": {""}}


def read_labels(path: Path, ids: set[str]) -> dict[str, tuple[str, str, str]]:
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            label, cls = (row.get("label") or "").strip(), (row.get("class") or "").strip()
            if row["id"] not in ids:
                sys.exit(f"{path.name}:{n}: unknown id {row['id']}")
            if label not in CLASSES or cls not in CLASSES[label]:
                sys.exit(f"{path.name}:{n}: label {label!r} with class {cls!r} is not in the guide")
            if row["id"] in out:
                sys.exit(f"{path.name}:{n}: {row['id']} labelled twice")
            out[row["id"]] = (label, cls, (row.get("note") or "").strip())
    return out


def in_range(i: str, rng: list[str] | None) -> bool:
    return rng is not None and rng[0] <= i <= rng[1]


def kappa(pairs: list[tuple[bool, bool]]) -> float:
    n = len(pairs)
    agree = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("split", choices=["test", "dev", "train"])
    ap.add_argument("--disagreements", type=Path)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    items = {json.loads(x)["id"]: json.loads(x) for x in (FOLDER / f"{args.split}.jsonl").open(encoding="utf-8")}
    ids = set(items)
    assignment = json.loads((FOLDER / "labels" / "assignment.json").read_text(encoding="utf-8"))[args.split]
    primary: dict[str, tuple[str, str, str]] = {}
    second: dict[str, tuple[str, str, str]] = {}
    for who, a in assignment.items():
        labels = read_labels(FOLDER / "labels" / a["file"], ids)
        for i, lab in labels.items():
            if in_range(i, a["primary"]):
                primary[i] = lab
            elif in_range(i, a["overlap"]):
                second[i] = lab
            else:
                sys.exit(f"{a['file']}: {i} is outside {who}'s ranges")
    if missing := ids - primary.keys():
        sys.exit(f"{len(missing)} items have no primary label, e.g. {min(missing)}")
    print(f"{args.split}: {len(primary)} items; labels " + ", ".join(
        f"{k} {sum(v[0] == k for v in primary.values())}" for k in CLASSES))
    if second:
        both = sorted(second)
        same = sum(primary[i][0] == second[i][0] for i in both)
        pairs = [(primary[i][0] == "slogan", second[i][0] == "slogan") for i in both
                 if "optional" not in (primary[i][0], second[i][0])]
        kinds = [i for i in both if primary[i][0] == second[i][0] == "slogan"]
        print(f"double-labelled {len(both)} ({len(both) / len(ids):.0%}): same label {same} ({same / len(both):.3f}); "
              f"slogan-or-not kappa {kappa(pairs):.3f} on {len(pairs)} without optional; "
              f"same kind on {sum(primary[i][1] == second[i][1] for i in kinds)} of {len(kinds)} slogans")
        if args.disagreements:
            with args.disagreements.open("w", encoding="utf-8") as fh:
                fh.write("id\tfirst\tsecond\n")
                for i in both:
                    if primary[i][:2] != second[i][:2]:
                        fh.write(f"{i}\t{'/'.join(primary[i][:2])}\t{'/'.join(second[i][:2])}\n")
    adj_path = FOLDER / "labels" / f"{args.split}-adjudication.tsv"
    adjudicated = read_labels(adj_path, ids) if adj_path.exists() else {}
    if args.write:
        with (FOLDER / f"{args.split}.gold.tsv").open("w", encoding="utf-8") as fh:
            fh.write("id\tlabel\tclass\n")
            for i in sorted(ids):
                label, cls, _ = adjudicated.get(i, primary[i])
                fh.write(f"{i}\t{label}\t{cls}\n")
        print(f"wrote {args.split}.gold.tsv ({len(adjudicated)} adjudicated)")


if __name__ == "__main__":
    main()
