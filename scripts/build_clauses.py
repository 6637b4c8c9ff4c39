"""Join the clause sample with the annotators' labels into corpus/clauses/clauses.jsonl; report agreement.

usage: python scripts/build_clauses.py

Each clause gets the label of the batch it was drawn into (its first batch); the overlap copies
(the first 20 clauses of each batch, labelled again by the next annotator) give the agreement
figures printed here and recorded in models/*/MODEL_CARD.md. A test clause whose normalised text
(:func:`nlp_service.training.corpus.dedup_key`) equals a train clause's is a copy of training data:
its split becomes ``test-dup`` (kept, never scored), so the test split holds only unseen clauses.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from nlp_service.training.corpus import dedup_key

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "corpus" / "clauses"
LABELS = {"C": "commitment", "A": "achievement", "O": "other"}


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if len(parts) < 2 or parts[1].strip() not in LABELS:
            raise SystemExit(f"{path.name}:{n}: bad line {line!r}")
        out[parts[0].strip()] = (parts[1].strip(), parts[2].strip() if len(parts) > 2 else "")
    return out


def main() -> None:
    rows = [json.loads(x) for x in (DIR / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    first: dict[str, tuple[str, str, str]] = {}
    second: dict[str, tuple[str, str]] = {}
    for bf in sorted((DIR / "batches").glob("batch-*.jsonl")):
        ids = [json.loads(x)["id"] for x in bf.read_text(encoding="utf-8").splitlines()]
        lab = read_labels(DIR / "labels" / (bf.stem + ".tsv"))
        missing = [i for i in ids if i not in lab]
        if missing:
            raise SystemExit(f"{bf.name}: {len(missing)} clauses unlabelled, e.g. {missing[:3]}")
        for i in ids:
            if i in first:
                second[i] = lab[i]
            else:
                first[i] = (*lab[i], bf.stem)
    train_keys = {dedup_key(r["clause"]) for r in rows if r["split"] == "train"}
    for r in rows:
        if r["split"] == "test" and dedup_key(r["clause"]) in train_keys:
            r["split"] = "test-dup"
    with (DIR / "clauses.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            label, note, batch = first[r["id"]]
            fh.write(json.dumps({**r, "label": LABELS[label], "unsure": "?" in note, "note": note, "batch": batch},
                                ensure_ascii=False) + "\n")
    a = [first[i][0] for i in second]
    b = [second[i][0] for i in second]
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    print(f"{len(rows)} clauses: {Counter(LABELS[first[r['id']][0]] for r in rows)}")
    print(f"split: {Counter(r['split'] for r in rows)}")
    print(f"unsure: {sum('?' in first[r['id']][1] for r in rows)}")
    print(f"double-labelled: {len(second)}; agreement {agree}/{len(second)} = {agree / len(second):.3f}; "
          f"Cohen's kappa {cohen_kappa_score(a, b):.3f}")
    for i in second:
        if first[i][0] != second[i][0]:
            print("  disagree", i, first[i][0], second[i][0])


if __name__ == "__main__":
    main()
