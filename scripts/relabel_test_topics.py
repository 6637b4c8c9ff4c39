"""Double annotation of the frozen topic test split: a second, blind labelling and adjudication.

usage: python scripts/relabel_test_topics.py export [--seed 17] [--batches 3]
       python scripts/relabel_test_topics.py adjudication [--seed 17]
       python scripts/relabel_test_topics.py testb-adjudication [--seed 37]

The 459 test paragraphs were labelled once, in the first round, before the conventions of later
rounds were written down (corpus/README.md §5.1). A gold standard labelled once carries its
annotator's slips and the guide's drift; the usual remedy is a second, independent labelling and
an adjudication of the disagreements. Nothing here looks at a model: the second annotators see
only the paragraph and the guide, the adjudicator sees the paragraph and two anonymous label sets.

``export`` writes the test paragraphs, shuffled, to ``batches/test2-NN.jsonl`` (id, title, text:
no labels). ``adjudication`` compares ``labels/test2-NN.tsv`` with the first labels, prints the
agreement (exact set, Cohen's kappa per label) and writes the paragraphs whose label sets differ to
``batches/test-adjudicate.jsonl`` with the two sets as ``A`` and ``B`` in a random order per row.
The adjudicator's decisions go to ``labels/test-adjudicated.tsv``; ``scripts/build_topics.py``
then gives every test row the agreed or adjudicated labels and keeps the first ones as
``labels_v1``.

``testb-adjudication`` does the same for the second blind split ``test-b``
(scripts/freeze_topic_split.py): its batches ``testb-NN`` were labelled once and the share in
``batches/testb-blind.jsonl`` a second time, blind, by another annotator; the paragraphs whose two
label sets differ go to ``batches/testb-adjudicate.jsonl``, the decisions to
``labels/testb-adjudicated.tsv``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from build_topics import agreement, read  # the label-file reader and agreement report of the joined data

from nlp_service.training.corpus import write_annotation_batches

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "corpus" / "topics"
NONE = "无"


def _test_rows() -> list[dict]:
    """The first draw's test paragraphs (sample.jsonl: the split was frozen there)."""
    rows = [json.loads(x) for x in (DIR / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["split"] == "test"]


def first_labels(ids: set[str]) -> dict[str, list[str]]:
    """The first-round labels of ``ids`` (labels/batch-NN.tsv)."""
    out = {}
    for f in sorted((DIR / "labels").glob("batch-[0-9]*.tsv")):
        out.update({i: v for i, v in read(f).items() if i in ids})
    return out


def second_labels() -> dict[str, list[str]]:
    """The blind second labelling of the test split (labels/test2-NN.tsv)."""
    out = {}
    for f in sorted((DIR / "labels").glob("test2-[0-9]*.tsv")):
        out.update(read(f))
    return out


def export(seed: int, batches: int) -> None:
    """Write the test paragraphs, shuffled and without labels, as batches for the second labelling."""
    rows = _test_rows()
    random.Random(seed).shuffle(rows)
    size = write_annotation_batches(rows, DIR / "batches", "test2", batches)
    print(f"{len(rows)} test paragraphs in {batches} batches of ~{size}")


def write_adjudication(differ: list[str], rows: dict[str, dict], first: dict[str, list[str]],
                       second: dict[str, list[str]], seed: int, name: str) -> None:
    """The disagreements in id order, each with its two label sets as A and B in a random order per row."""
    rng = random.Random(seed)
    with (DIR / "batches" / name).open("w", encoding="utf-8") as fh:
        for i in differ:
            pair = [first[i], second[i]]
            rng.shuffle(pair)  # the adjudicator cannot tell which labelling came first
            r = rows[i]
            fh.write(json.dumps({"id": i, "title": r["title"], "text": r["text"],
                                 "A": "|".join(pair[0]) or NONE, "B": "|".join(pair[1]) or NONE},
                                ensure_ascii=False) + "\n")
    print(f"{len(differ)} paragraphs to adjudicate → batches/{name}")


def adjudication(seed: int) -> None:
    """Report agreement and write the disagreements, anonymised, for the adjudicator."""
    rows = {r["id"]: r for r in _test_rows()}
    second = second_labels()
    missing = set(rows) - set(second)
    if missing:
        raise SystemExit(f"{len(missing)} test paragraphs have no second label yet")
    first = first_labels(set(rows))
    differ = sorted(agreement(first, second, "test split, second labelling"))  # id order, as adjudicated
    write_adjudication(differ, rows, first, second, seed, "test-adjudicate.jsonl")


def testb_adjudication(seed: int) -> None:
    """Agreement of test-b's double-labelled share; its disagreements, anonymised, for the adjudicator."""
    rows = {}
    for x in (DIR / "sample-testb.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(x)
        rows[r["id"]] = r
    first = {i: v for f in sorted((DIR / "labels").glob("testb-[0-9]*.tsv")) for i, v in read(f).items()}
    second = read(DIR / "labels" / "testb-blind.tsv")
    missing = (set(rows) - set(first)) | (set(second) - set(first))
    if missing:
        raise SystemExit(f"{len(missing)} test-b paragraphs have no first label yet")
    differ = sorted(agreement(first, second, "test-b, double-labelled share"))
    write_adjudication(differ, rows, first, second, seed, "testb-adjudicate.jsonl")


def main() -> None:
    """Command line (see module docstring)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=("export", "adjudication", "testb-adjudication"))
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--batches", type=int, default=3)
    args = ap.parse_args()
    if args.step == "testb-adjudication":
        testb_adjudication(args.seed)
    elif args.step == "export":
        export(args.seed, args.batches)
    else:
        adjudication(args.seed)


if __name__ == "__main__":
    main()
