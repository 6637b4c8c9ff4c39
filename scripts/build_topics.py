"""Join the topic sample with the annotators' labels into corpus/topics/topics.jsonl; report agreement.

usage: python scripts/build_topics.py

Reads every draw (sample.jsonl: first draw with the frozen test split; sample-extra.jsonl …
sample-extra4.jsonl: the train-only draws of
scripts/sample_paragraphs_extra.py). Checks every batch's labels (ids in order, labels from
taxonomy.v1 or 无), writes the joined file
for the batches that are complete, and compares the blind second labelling (batches/blind.jsonl,
labels/blind.tsv) with the first: Cohen's kappa per label (label present or not) and exact-set
agreement. The second blind test split ``test-b`` (sample-testb.jsonl) has a share labelled
twice (labels/testb-blind.tsv) and its disagreements adjudicated (labels/testb-adjudicated.tsv).
The test split was labelled a second time, blind (labels/test2-NN.tsv), and the
disagreements adjudicated (labels/test-adjudicated.tsv; scripts/relabel_test_topics.py): its rows
get the agreed or adjudicated labels, and keep the first ones as ``labels_v1``.

A test paragraph (splits ``test`` and ``test-b``) whose normalised text
(:func:`nlp_service.training.corpus.dedup_key`) equals a train paragraph's is a copy of training
data: its split becomes ``<split>-dup`` (kept with its labels, never scored).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from nlp_service.models.topics import TAXONOMY
from nlp_service.training.corpus import dedup_key

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "corpus" / "topics"
NONE = "无"
# the first draw (with the test split), then the train-only ones
DRAWS = ("sample.jsonl", "sample-extra.jsonl", "sample-extra2.jsonl", "sample-extra3.jsonl", "sample-extra4.jsonl",
         "sample-testb.jsonl")  # the last: the second blind test split (scripts/freeze_topic_split.py)
BATCHES = ("batch", "extra", "extra2", "extra3", "extra4", "testb")


def read(path: Path) -> dict[str, list[str]]:
    """id → labels ([] for 无) of a label file (corpus/README.md §5); a bad label stops the build."""
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        labels = [x.strip() for x in parts[1].split("|")] if len(parts) > 1 else []
        bad = [x for x in labels if x not in TAXONOMY and x != NONE]
        if not labels or bad:
            raise SystemExit(f"{path.name}:{n}: bad labels {labels!r}")
        out[parts[0].strip()] = [] if labels == [NONE] else labels
    return out


def agreement(a: dict[str, list[str]], b: dict[str, list[str]], what: str) -> list[str]:
    """Print exact-set agreement and per-label Cohen's kappa of two labellings; the ids that differ."""
    both = [i for i in b if i in a]
    differ = [i for i in both if set(a[i]) != set(b[i])]
    print(f"{what}: {len(both)} paragraphs with both labellings; exact same set "
          f"{1 - len(differ) / max(1, len(both)):.3f}")
    for lab in TAXONOMY:
        x, y = [lab in a[i] for i in both], [lab in b[i] for i in both]
        if any(x) or any(y):
            print(f"  {lab:8s} n={sum(x):3d}/{sum(y):3d} kappa {cohen_kappa_score(x, y):.3f}")
    return differ


def main() -> None:
    rows = {}
    for sample in DRAWS:
        if (DIR / sample).exists():
            for x in (DIR / sample).read_text(encoding="utf-8").splitlines():
                r = json.loads(x)
                r.pop("cue", None)  # the second draw's candidate cue is not a label
                rows[r["id"]] = r
    first: dict[str, list[str]] = {}
    batches = [bf for name in BATCHES for bf in sorted((DIR / "batches").glob(f"{name}-[0-9]*.jsonl"))]
    for bf in batches:
        lf = DIR / "labels" / (bf.stem + ".tsv")
        ids = [json.loads(x)["id"] for x in bf.read_text(encoding="utf-8").splitlines()]
        if not lf.exists():
            print(f"{bf.stem}: not labelled yet")
            continue
        lab = read(lf)
        missing = [i for i in ids if i not in lab]
        if missing:
            print(f"{bf.stem}: {len(missing)} of {len(ids)} unlabelled — skipped")
            continue
        first.update({i: lab[i] for i in ids})
    final = dict(first)
    v1: dict[str, list[str]] = {}
    second = {i: v for f in sorted((DIR / "labels").glob("test2-[0-9]*.tsv")) for i, v in read(f).items()}
    adjudicated_path = DIR / "labels" / "test-adjudicated.tsv"
    if second and adjudicated_path.exists():  # the test split, labelled twice and adjudicated
        adjudicated = read(adjudicated_path)
        for i, labels in second.items():
            if rows[i]["split"] != "test" or i not in first:
                raise SystemExit(f"{i}: the second labelling covers only the labelled test split")
            if set(labels) != set(first[i]) and i not in adjudicated:
                raise SystemExit(f"{i}: the two labellings differ and there is no adjudication")
            v1[i] = first[i]
            final[i] = adjudicated.get(i, first[i])
        print(f"test gold: {len(v1)} paragraphs labelled twice, {len(adjudicated)} adjudicated, "
              f"{sum(set(final[i]) != set(v1[i]) for i in v1)} changed from the first labelling")
    train_keys = {dedup_key(r["text"]) for i, r in rows.items() if r["split"] == "train" and i in final}
    for r in rows.values():
        if r["split"] in ("test", "test-b") and dedup_key(r["text"]) in train_keys:
            r["split"] += "-dup"
    print(f"test rows that copy a train row (split -> *-dup, never scored): "
          f"{Counter(r['split'] for r in rows.values() if r['split'].endswith('-dup'))}")
    testb_second = DIR / "labels" / "testb-blind.tsv"
    if testb_second.exists():  # test-b: a share labelled twice, its disagreements adjudicated
        second_b = read(testb_second)
        adjudicated_b = read(DIR / "labels" / "testb-adjudicated.tsv")
        for i, labels in second_b.items():
            if rows[i]["split"] != "test-b" or i not in first:
                raise SystemExit(f"{i}: the second labelling of test-b covers only labelled test-b rows")
            if set(labels) != set(first[i]) and i not in adjudicated_b:
                raise SystemExit(f"{i}: the two labellings of test-b differ and there is no adjudication")
            final[i] = adjudicated_b.get(i, first[i])
        print(f"test-b gold: {len(second_b)} paragraphs labelled twice, {len(adjudicated_b)} adjudicated")
    with (DIR / "topics.jsonl").open("w", encoding="utf-8") as fh:
        for i, r in rows.items():
            if i in final:
                extra = {"labels_v1": v1[i]} if i in v1 else {}
                fh.write(json.dumps({**r, "labels": final[i], **extra}, ensure_ascii=False) + "\n")
    print(f"{len(first)} of {len(rows)} paragraphs labelled; split "
          f"{Counter(rows[i]['split'] for i in first)}")
    print("label counts:", Counter(x for v in first.values() for x in v).most_common())
    blind_path = DIR / "labels" / "blind.tsv"
    if blind_path.exists():
        agreement(first, read(blind_path), "blind relabel")


if __name__ == "__main__":
    main()
