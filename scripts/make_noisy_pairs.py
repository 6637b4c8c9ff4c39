"""Noisy labelled pairs for guide dedup-pairs-v1: copies made by the scan noise model, labelled by construction.

usage: python scripts/make_noisy_pairs.py [--seed 74]
       python scripts/make_noisy_pairs.py --blind --seed 92     (made pairs of test-c, appended)
       python scripts/make_noisy_pairs.py --blind --seed 94     (made pairs of test-d, appended)

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

``--blind`` appends made pairs of the blind split ``BLIND_SPLIT`` (``scripts/sample_dedup_pairs.py
--blind``; ``test-c`` with seed 92, ``test-d`` with seed 94), from its records only: 200 noisy copies (50 per rate), 60 cuts, and 100 of its pairs
read as ``different`` with the second record made noisy (25 per rate).
"""

from __future__ import annotations

import argparse
import json
import random

from nlp_service.dedup.noise import CUT_MODEL, MODEL, cut_passage
from nlp_service.training.dedup_pairs import BLIND_SPLIT, DRAWN_BLIND, FOLDER, labels, news_records

RATES = (0.02, 0.05, 0.10, 0.15)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=74)
    ap.add_argument("--blind", action="store_true", help="append made pairs of the blind split BLIND_SPLIT")
    args = ap.parse_args()
    if args.blind:
        blind(random.Random(args.seed))
        return
    rng = random.Random(args.seed)
    pairs = [json.loads(x) for x in (FOLDER / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [p for p in pairs if p["split"] not in DRAWN_BLIND]  # the first two draws: blind splits have their own
    text = {rid: d.get("text") or "" for rid, d in news_records().items()}
    out = made_pairs(rng, pairs, text, n_same=300, n_cuts=100, n_different=200)
    with (FOLDER / "noisy_pairs.jsonl").open("w", encoding="utf-8") as fh:
        for k, p in enumerate(out):
            fh.write(json.dumps({"id": f"n{k + 1:04d}", **p}, ensure_ascii=False) + "\n")
    print(f"{len(out)} noisy pairs; test {sum(p['split'] == 'test' for p in out)}")


def blind(rng: random.Random, split: str = BLIND_SPLIT) -> None:
    """Append the made pairs of the blind split: its records only, ids after the last made pair."""
    pairs = [json.loads(x) for x in (FOLDER / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [p for p in pairs if p["split"] == split]
    wanted = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    text = {rid: d.get("text") or "" for rid, d in news_records(wanted).items()}
    out = made_pairs(rng, pairs, text, n_same=200, n_cuts=60, n_different=100)
    path = FOLDER / "noisy_pairs.jsonl"
    start = len(path.read_text(encoding="utf-8").splitlines())
    with path.open("a", encoding="utf-8") as fh:
        for k, p in enumerate(out):
            fh.write(json.dumps({"id": f"n{start + k + 1:04d}", **p}, ensure_ascii=False) + "\n")
    print(f"{len(out)} made pairs appended to {split}: {sum(p['label'] == 'same' for p in out)} same")


def made_pairs(rng: random.Random, pairs: list[dict], text: dict[str, str], *, n_same: int, n_cuts: int,
               n_different: int) -> list[dict]:
    """Made pairs from the records (100+ characters) of the read ``pairs``, shuffled; each takes its pair's split.

    ``n_same`` records against a noisy copy (the rates in turn), ``n_cuts`` against a copy with one
    sentence cut, and ``n_different`` pairs read as ``different`` with the second record made noisy.
    """
    label, _ = labels()
    length = {rid: len(t) for rid, t in text.items()}
    split = {}
    for p in pairs:
        split[p["a"]] = split[p["b"]] = p["split"]
    records = sorted(r for r in split if length.get(r, 0) >= 100)
    different = [p for p in pairs if label.get(p["id"]) == "different"
                 and min(length.get(p["a"], 0), length.get(p["b"], 0)) >= 100]
    out = []
    for k, rec in enumerate(rng.sample(records, n_same)):
        out.append({"a": rec, "b": rec, "noise": {"model": MODEL, "rate": RATES[k % 4], "seed": rng.randrange(2**31)},
                    "label": "same", "split": split[rec]})
    cuts = 0
    for rec in rng.sample(records, len(records)):
        seed = rng.randrange(2**31)
        if cuts < n_cuts and cut_passage(text[rec], seed) is not None:
            out.append({"a": rec, "b": rec, "noise": {"model": CUT_MODEL, "seed": seed}, "label": "same",
                        "split": split[rec]})
            cuts += 1
    for k, p in enumerate(rng.sample(different, min(n_different, len(different)))):
        out.append({"a": p["a"], "b": p["b"], "noise": {"model": MODEL, "rate": RATES[k % 4],
                    "seed": rng.randrange(2**31)}, "label": "different", "split": p["split"], "from": p["id"]})
    rng.shuffle(out)
    return out

if __name__ == "__main__":
    main()
