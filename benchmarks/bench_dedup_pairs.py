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
import json
from collections import Counter

from nlp_service.dedup import minhash as mh
from nlp_service.training.dedup_pairs import FOLDER, labels, news_records


def texts(ids: set[str]) -> dict[str, str]:
    return {k: d["text"] for k, d in news_records(ids).items()}


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
