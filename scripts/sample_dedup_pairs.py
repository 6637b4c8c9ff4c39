"""Draw candidate pairs of the two news archives for guide dedup-pairs-v1 (ids only, never text).

usage: python scripts/sample_dedup_pairs.py [--seed 71]

The archives are research-use: they are read from ../shared at run time and only record ids go
into corpus/dedup/pairs.jsonl. Candidates are the engine's own (normalised character 5-grams,
128-permutation MinHash, LSH at 0.3); pairs whose normalised texts are equal are left out (nothing
to judge). Strata:

- ``kept``: the verifier called the pair a copy (near or contained) — up to 200 drawn (the archives
  have 130 such pairs that are not equal after normalisation: all are taken);
- ``turned_down``: a candidate at estimated Jaccard ≥ 0.3 the verifier rejected — 250 drawn;
- ``url``: a pair of the two scrapes with the same URL that is not equal after normalisation — 100.

Each pair records its estimated Jaccard and the verdict at drawing time. The split is by story:
pairs that share a record form one group (connected components), and a group goes to test when
the sha1 of its smallest record id is 0 mod 3 — so no record of a test pair is in a train pair.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
from pathlib import Path

import numpy as np

from nlp_service.dedup import minhash as mh

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpus" / "news-archive"
OUT = ROOT / "corpus" / "dedup" / "pairs.jsonl"
QUOTAS = {"kept": 200, "turned_down": 250, "url": 100}


def records() -> tuple[list[str], list[str]]:
    """(ids, texts) of both archives, records with text only."""
    ids, texts = [], []
    for path in sorted(NEWS.glob("*/items.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if (d.get("text") or "").strip():
                    ids.append(d["id"])
                    texts.append(d["text"])
    return ids, texts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=71)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ids, texts = records()
    index = {x: k for k, x in enumerate(ids)}
    params = mh.Params(threshold=0.3)
    norms = mh.normalise_many(texts)
    sigs = np.stack([mh.signature(mh.shingles(x, params.k), params.num_perm) for x in norms])
    pairs = mh.candidate_pairs(mh.band_keys(sigs, params))
    est = mh.estimated_jaccard(sigs, pairs)
    strata: dict[str, list[tuple[int, int, float, str | None]]] = {"kept": [], "turned_down": [], "url": []}
    for (i, j), e in zip(pairs.tolist(), est.tolist(), strict=True):
        if norms[i] == norms[j] or e < params.threshold or min(len(norms[i]), len(norms[j])) < 20:
            continue
        verdict = mh.verify(norms[i], norms[j], e, params.threshold)
        strata["kept" if verdict else "turned_down"].append((i, j, e, verdict))
    with gzip.open(NEWS / "xin-wen-lian-bo" / "cross_archive_pairs_with_cctv_news-xwlb.jsonl.gz", "rt",
                   encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            i, j = index.get(d["id_a"]), index.get(d["id_b"])
            if i is None or j is None or norms[i] == norms[j]:
                continue
            e = float(mh.estimated_jaccard(sigs, np.array([[i, j]]))[0])
            strata["url"].append((i, j, e, mh.verify(norms[i], norms[j], e, params.threshold)))
    drawn = []
    for name, n in QUOTAS.items():
        for i, j, e, verdict in rng.sample(strata[name], min(n, len(strata[name]))):
            drawn.append({"a": ids[i], "b": ids[j], "stratum": name, "estimate": round(e, 3),
                          "verdict_at_draw": verdict})
    rng.shuffle(drawn)
    parent = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in drawn:
        ra, rb = find(p["a"]), find(p["b"])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    for k, p in enumerate(drawn):
        root = find(p["a"])
        p["split"] = "test" if int(hashlib.sha1(root.encode()).hexdigest(), 16) % 3 == 0 else "train"
        p["id"] = f"p{k + 1:04d}"
    with OUT.open("w", encoding="utf-8") as fh:
        for p in drawn:
            fh.write(json.dumps({"id": p.pop("id"), **p}, ensure_ascii=False) + "\n")
    print(f"{len(drawn)} pairs ({', '.join(f'{k} {len(v)} candidates' for k, v in strata.items())}); "
          f"test {sum(p['split'] == 'test' for p in drawn)}")


if __name__ == "__main__":
    main()
