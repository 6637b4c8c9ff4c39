"""Join the commitments-v2 clause labels into corpus/clauses/v2/clauses.jsonl; report agreement.

usage: python scripts/build_clauses_v2.py

Rows: the new clauses (corpus/clauses/v2/sample.jsonl, ids n…; further draws sample-N.jsonl, ids mN-…)
and the relabelled v1 clauses
(corpus/clauses/sample.jsonl, ids c…), each with the label of the batch it was first drawn into;
the overlap copies (the first 30 items of each batch, labelled again by the next annotator) give
the agreement figures. A relabelled clause keeps its v1 label as ``label_v1``. Every row is
``train``: the test split of guide commitments-v2 is the frozen excerpts of
corpus/gold/commitments-v2, and a clause whose sentence stands in a test excerpt is dropped here
(reported), so that no test sentence is trained on. So is a clause whose sentence stands in a
validation excerpt (gold files with ``"split": "val"``, held back from the rules of a version): the
validation figure should not score sentences the model was fitted on.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_clauses import LABELS, read_labels  # noqa: E402

from nlp_service.text.normalize import normalize  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
V2 = ROOT / "corpus" / "clauses" / "v2"


def han(s: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", normalize(s).text))


def main() -> None:
    new = [json.loads(x) for f in sorted(V2.glob("sample*.jsonl")) for x in f.read_text(encoding="utf-8").splitlines()]
    old = [json.loads(x) for x in (ROOT / "corpus/clauses/clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = {r["id"]: r for r in new + old}
    first: dict[str, tuple[str, str, str]] = {}
    second: dict[str, tuple[str, str]] = {}
    missing_batches = []
    for bf in sorted((V2 / "batches").glob("*.jsonl")):
        lf = V2 / "labels" / (bf.stem + ".tsv")
        if not lf.exists():
            missing_batches.append(bf.stem)
            continue
        ids = [json.loads(x)["id"] for x in bf.read_text(encoding="utf-8").splitlines()]
        lab = read_labels(lf)
        gaps = [i for i in ids if i not in lab]
        if gaps:  # a batch still being labelled is left out whole
            missing_batches.append(f"{bf.stem} ({len(gaps)} of {len(ids)} unlabelled)")
            continue
        for i in ids:
            if i in first:
                second[i] = lab[i]
            else:
                first[i] = (*lab[i], bf.stem)
    gold_dir = ROOT / "corpus/gold/commitments-v2"
    test = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("test-*.json"))]
    test_text = "".join(han(g["text"]) for g in test)
    test_docs = {g["source"] for g in test}
    val_text = "".join(han(g["text"]) for g in (json.loads(p.read_text(encoding="utf-8"))
                                                for p in sorted(gold_dir.glob("dev-*.json"))) if g["split"] == "val")
    out, dropped, held = [], 0, 0
    for i, (label, note, batch) in first.items():
        r = rows[i]
        sentence = han(r["sentence"].replace("【", "").replace("】", ""))
        if r["doc"] in test_docs or (len(sentence) >= 10 and sentence in test_text):
            dropped += 1
            continue
        if len(sentence) >= 10 and sentence in val_text:
            held += 1
            continue
        item = {k: r[k] for k in ("id", "group", "doc", "title", "heading", "before", "sentence", "clause")}
        item.update({"kind": r.get("kind"), "split": "train", "label": LABELS[label], "unsure": "?" in note,
                     "note": note, "batch": batch, "guide": "commitments-v2"})
        if i.startswith("c"):
            item["label_v1"] = r["label"]
        out.append(item)
    with (V2 / "clauses.jsonl").open("w", encoding="utf-8") as fh:
        for r in sorted(out, key=lambda r: r["id"]):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(out)} clauses ({Counter(r['label'] for r in out)}); dropped {dropped} that stand in a test excerpt, "
          f"{held} in a validation excerpt")
    print(f"unsure: {sum(r['unsure'] for r in out)}; batches not labelled yet: {missing_batches or 'none'}")
    a = [first[i][0] for i in second]
    b = [second[i][0] for i in second]
    if second:
        agree = sum(x == y for x, y in zip(a, b, strict=True))
        print(f"double-labelled: {len(second)}; agreement {agree}/{len(second)} = {agree / len(second):.3f}; "
              f"Cohen's kappa {cohen_kappa_score(a, b):.3f}")
    re_rows = [r for r in out if "label_v1" in r]
    if re_rows:
        same = sum(r["label"] == r["label_v1"] for r in re_rows)
        moves = Counter((r["label_v1"], r["label"]) for r in re_rows if r["label"] != r["label_v1"])
        print(f"relabelled v1 clauses: {len(re_rows)}; v2 label = v1 label on {same} ({same / len(re_rows):.3f}); "
              f"changes {dict(moves.most_common())}")


if __name__ == "__main__":
    main()
