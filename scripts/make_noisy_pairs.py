"""Noisy labelled pairs for guide dedup-pairs-v1: copies made by the scan noise model, labelled by construction.

usage: python scripts/make_noisy_pairs.py [--seed 74]
       python scripts/make_noisy_pairs.py --blind --seed 92     (made pairs of the blind split, appended)

Writes corpus/dedup/noisy_pairs.jsonl (record ids and noise parameters only: the archives are
research-use and are read from ../shared at run time). A pair's second text is
``nlp_service.dedup.noise.noisy_copy(text of b, rate, seed)``:

- ``same`` (300): a record against a noisy copy of itself, rates 2%, 5%, 10% and 15% (75 each);
- ``same`` (100): a record against itself with one inner sentence cut (``cut_passage``: a reprint
  that cut a passage is the same story, guide dedup-pairs-v1);
- ``different`` (200): a pair the annotators labelled ``different`` (a template filled for another
  day, person or edition) with its second record made noisy at the same rates — noise over a
  template fill must not turn two stories into one.

Records are those of the labelled pairs (``corpus/dedup/pairs.jsonl``) with at least 100
characters; each noisy pair takes the split of the labelled pair its records come from, so test
stories stay test.

``--blind`` appends made pairs of the blind split ``test-c`` (``scripts/sample_dedup_pairs.py
--blind``), from its records only: 200 noisy copies (50 per rate), 60 cuts, and 100 of its pairs
read as ``different`` with the second record made noisy (25 per rate).
"""

from __future__ import annotations

import argparse
import json
import random

from nlp_service.dedup.noise import CUT_MODEL, MODEL, cut_passage
from nlp_service.training.dedup_pairs import FOLDER, labels, news_records

RATES = (0.02, 0.05, 0.10, 0.15)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=74)
    ap.add_argument("--blind", action="store_true", help="append made pairs of the blind split test-c")
    args = ap.parse_args()
    if args.blind:
        blind(random.Random(args.seed))
        return
    rng = random.Random(args.seed)
    pairs = [json.loads(x) for x in (FOLDER / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    label, _ = labels()
    text = {rid: d.get("text") or "" for rid, d in news_records().items()}
    length = {rid: len(t) for rid, t in text.items()}
    split = {}
    for p in pairs:
        split[p["a"]] = split[p["b"]] = p["split"]
    records = sorted(r for r in split if length.get(r, 0) >= 100)
    different = [p for p in pairs if label.get(p["id"]) == "different"
                 and min(length.get(p["a"], 0), length.get(p["b"], 0)) >= 100]
    out = []
    for k, rec in enumerate(rng.sample(records, 300)):
        out.append({"a": rec, "b": rec, "noise": {"model": MODEL, "rate": RATES[k % 4], "seed": rng.randrange(2**31)},
                    "label": "same", "split": split[rec]})
    cuts = 0
    for rec in rng.sample(records, len(records)):
        seed = rng.randrange(2**31)
        if cuts < 100 and cut_passage(text[rec], seed) is not None:
            out.append({"a": rec, "b": rec, "noise": {"model": CUT_MODEL, "seed": seed}, "label": "same",
                        "split": split[rec]})
            cuts += 1
    for k, p in enumerate(rng.sample(different, 200)):
        out.append({"a": p["a"], "b": p["b"], "noise": {"model": MODEL, "rate": RATES[k % 4],
                    "seed": rng.randrange(2**31)}, "label": "different", "split": p["split"], "from": p["id"]})
    rng.shuffle(out)
    with (FOLDER / "noisy_pairs.jsonl").open("w", encoding="utf-8") as fh:
        for k, p in enumerate(out):
            fh.write(json.dumps({"id": f"n{k + 1:04d}", **p}, ensure_ascii=False) + "\n")
    print(f"{len(out)} noisy pairs; test {sum(p['split'] == 'test' for p in out)}")


def blind(rng: random.Random, split: str = "test-c") -> None:
    """Append the made pairs of the blind split: its records only, ids after the last made pair."""
    pairs = [json.loads(x) for x in (FOLDER / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [p for p in pairs if p["split"] == split]
    label, _ = labels()
    text = {rid: d.get("text") or "" for rid, d in news_records({p["a"] for p in pairs} | {p["b"] for p in pairs}).items()}
    records = sorted({r for p in pairs for r in (p["a"], p["b"]) if len(text.get(r, "")) >= 100})
    different = [p for p in pairs if label.get(p["id"]) == "different"
                 and min(len(text.get(p["a"], "")), len(text.get(p["b"], ""))) >= 100]
    out = []
    for k, rec in enumerate(rng.sample(records, 200)):
        out.append({"a": rec, "b": rec, "noise": {"model": MODEL, "rate": RATES[k % 4], "seed": rng.randrange(2**31)},
                    "label": "same", "split": split})
    cuts = 0
    for rec in rng.sample(records, len(records)):
        seed = rng.randrange(2**31)
        if cuts < 60 and cut_passage(text[rec], seed) is not None:
            out.append({"a": rec, "b": rec, "noise": {"model": CUT_MODEL, "seed": seed}, "label": "same", "split": split})
            cuts += 1
    for k, p in enumerate(rng.sample(different, min(100, len(different)))):
        out.append({"a": p["a"], "b": p["b"], "noise": {"model": MODEL, "rate": RATES[k % 4],
                    "seed": rng.randrange(2**31)}, "label": "different", "split": split, "from": p["id"]})
    rng.shuffle(out)
    path = FOLDER / "noisy_pairs.jsonl"
    start = len(path.read_text(encoding="utf-8").splitlines())
    with path.open("a", encoding="utf-8") as fh:
        for k, p in enumerate(out):
            fh.write(json.dumps({"id": f"n{start + k + 1:04d}", **p}, ensure_ascii=False) + "\n")
    print(f"{len(out)} made pairs appended to {split}: {sum(p['label'] == 'same' for p in out)} same")


if __name__ == "__main__":
    main()
