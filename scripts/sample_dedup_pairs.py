"""Draw candidate pairs of the two news archives for guide dedup-pairs-v1 (ids only, never text).

usage: python scripts/sample_dedup_pairs.py [--seed 71]
       python scripts/sample_dedup_pairs.py --extend --seed 72     (a second draw, appended)
       python scripts/sample_dedup_pairs.py --blind --seed 91      (the blind split test-c, appended; then
                                                                   BLIND_SPLIT was test-c)
       python scripts/sample_dedup_pairs.py --blind --seed 93      (the blind split test-d, appended)

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

``--extend`` draws more pairs, none drawn before, and appends them with the next ids. Its strata:

- ``same_archive``: a candidate at estimated Jaccard ≥ 0.3 inside one archive (recurring segments,
  templated reports, other-language editions, follow-up stories) — 300;
- ``turned_down``: as above, the two archives — 150;
- ``url``: same-URL pairs not drawn before — 150;
- ``low``: a candidate at estimated Jaccard 0.15–0.3 (below the engine's threshold: what a second
  candidate route for heavy noise would bring) — 100.

A new pair that shares a record with an earlier pair takes that pair's split; one that would join a
test group to a train group is not drawn.

``--blind`` draws the blind split (``BLIND_SPLIT``: ``test-c`` with seed 91, ``test-d`` with seed
93): pairs of records that are in no earlier pair (a pair of an earlier blind split included) and in no
cluster read before (``news_clusters_checked*.tsv``), so that no rule or model choice can have
seen them. Strata: ``same_archive`` (120), ``cross_archive`` (candidates at ≥ 0.3 across the
archives, not one URL: 100), ``low`` (0.15–0.3: 40), ``url`` (every same-URL pair left). The
verdict at drawing time is not recorded: the engine's verdicts on this split are scored once.
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
from nlp_service.training.dedup_pairs import BLIND_SPLIT, RECORD_ID

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpus" / "news-archive"
OUT = ROOT / "corpus" / "dedup" / "pairs.jsonl"
QUOTAS = {"kept": 200, "turned_down": 250, "url": 100}
EXTEND_QUOTAS = {"same_archive": 300, "turned_down": 150, "url": 150, "low": 100}
BLIND_QUOTAS = {"same_archive": 120, "cross_archive": 100, "low": 40, "url": 10_000}


class Stories:
    """Pairs that share a record are one story (union-find over record ids; a story's root is its smallest id)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
        return min(ra, rb)


def split_of_story(root: str) -> str:
    """Test when the sha1 of the story's smallest record id is 0 mod 3."""
    return "test" if int(hashlib.sha1(root.encode()).hexdigest(), 16) % 3 == 0 else "train"


def _archive(record_id: str) -> str:
    return record_id.rsplit("-", 2)[0]


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
    ap.add_argument("--extend", action="store_true", help="append a second draw (EXTEND_QUOTAS)")
    ap.add_argument("--blind", action="store_true", help="append the blind split BLIND_SPLIT (BLIND_QUOTAS)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ids, texts = records()
    index = {x: k for k, x in enumerate(ids)}
    params = mh.Params(threshold=0.3)
    norms = mh.normalise_many(texts)
    sigs = np.stack([mh.signature(mh.shingles(x, params.k), params.num_perm) for x in norms])
    pairs = mh.candidate_pairs(mh.band_keys(sigs, params))
    est = mh.estimated_jaccard(sigs, pairs)
    strata: dict[str, list[tuple[int, int, float, str | None]]] = {
        "kept": [], "turned_down": [], "url": [], "same_archive": [], "low": [], "cross_archive": []}
    more = args.extend or args.blind
    for (i, j), e in zip(pairs.tolist(), est.tolist(), strict=True):
        if norms[i] == norms[j] or min(len(norms[i]), len(norms[j])) < 20:
            continue
        if e < params.threshold:
            if more and e >= 0.15:
                strata["low"].append((i, j, e, None))
            continue
        if args.blind:
            strata["same_archive" if _archive(ids[i]) == _archive(ids[j]) else "cross_archive"].append((i, j, e, None))
            continue
        verdict = mh.verify(norms[i], norms[j], e, params.threshold)
        if args.extend and _archive(ids[i]) == _archive(ids[j]):
            strata["same_archive"].append((i, j, e, verdict))
        else:
            strata["kept" if verdict else "turned_down"].append((i, j, e, verdict))
    with gzip.open(NEWS / "xin-wen-lian-bo" / "cross_archive_pairs_with_cctv_news-xwlb.jsonl.gz", "rt",
                   encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            i, j = index.get(d["id_a"]), index.get(d["id_b"])
            if i is None or j is None or norms[i] == norms[j]:
                continue
            e = float(mh.estimated_jaccard(sigs, np.array([[i, j]]))[0])
            strata["url"].append((i, j, e, None if args.blind else mh.verify(norms[i], norms[j], e, params.threshold)))
    if args.blind:
        blind(strata, ids, rng)
        return
    if args.extend:
        extend(strata, ids, rng)
        return
    drawn = []
    for name, n in QUOTAS.items():
        for i, j, e, verdict in rng.sample(strata[name], min(n, len(strata[name]))):
            drawn.append({"a": ids[i], "b": ids[j], "stratum": name, "estimate": round(e, 3),
                          "verdict_at_draw": verdict})
    rng.shuffle(drawn)
    stories = Stories()
    for p in drawn:
        stories.union(p["a"], p["b"])
    for k, p in enumerate(drawn):
        p["split"] = split_of_story(stories.find(p["a"]))
        p["id"] = f"p{k + 1:04d}"
    with OUT.open("w", encoding="utf-8") as fh:
        for p in drawn:
            fh.write(json.dumps({"id": p.pop("id"), **p}, ensure_ascii=False) + "\n")
    print(f"{len(drawn)} pairs ({', '.join(f'{k} {len(v)} candidates' for k, v in strata.items())}); "
          f"test {sum(p['split'] == 'test' for p in drawn)}")


def extend(strata: dict[str, list[tuple[int, int, float, str | None]]], ids: list[str], rng: random.Random) -> None:
    """Append a second draw to pairs.jsonl: new pairs only, splits kept by story."""
    before = [json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines()]
    taken = {frozenset((p["a"], p["b"])) for p in before}
    split_of: dict[str, str] = {}
    for p in before:
        split_of[p["a"]] = split_of[p["b"]] = p["split"]
    stories = Stories()
    for p in before:
        stories.union(p["a"], p["b"])
    find = stories.find
    group_split = {find(x): s for x, s in split_of.items()}
    drawn = []
    for name, n in EXTEND_QUOTAS.items():
        pool = strata[name][:]
        rng.shuffle(pool)
        got = 0
        for i, j, e, verdict in pool:
            if got == n:
                break
            a, b = ids[i], ids[j]
            if frozenset((a, b)) in taken:
                continue
            ra, rb = find(a), find(b)
            sa, sb = group_split.get(ra), group_split.get(rb)
            if sa and sb and sa != sb:
                continue  # would join a test story to a train story
            taken.add(frozenset((a, b)))
            if ra != rb:
                root = stories.union(a, b)
                if sa or sb:
                    group_split[root] = sa or sb
            drawn.append({"a": a, "b": b, "stratum": name, "estimate": round(e, 3), "verdict_at_draw": verdict})
            got += 1
    rng.shuffle(drawn)
    start = len(before)
    with OUT.open("a", encoding="utf-8") as fh:
        for k, p in enumerate(drawn):
            root = find(p["a"])
            split = group_split.get(root) or split_of_story(root)
            fh.write(json.dumps({"id": f"p{start + k + 1:04d}", **p, "split": split}, ensure_ascii=False) + "\n")
    print(f"{len(drawn)} pairs appended ({', '.join(f'{k} {len(v)} candidates' for k, v in strata.items())}); "
          f"test {sum(group_split.get(find(p['a'])) == 'test' for p in drawn)} of the groups that had a split")


def _read_before() -> set[str]:
    """Every record of an earlier pair or of a cluster read before."""
    seen = set()
    for p in (json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines()):
        seen |= {p["a"], p["b"]}
    for path in sorted(OUT.parent.glob("news_clusters_checked*.tsv")):
        seen |= set(RECORD_ID.findall(path.read_text(encoding="utf-8")))
    return seen


def blind(strata: dict[str, list[tuple[int, int, float, str | None]]], ids: list[str], rng: random.Random) -> None:
    """Append the blind split to pairs.jsonl: pairs of records never read, in no earlier pair or cluster read."""
    before = OUT.read_text(encoding="utf-8").splitlines()
    seen = _read_before()
    drawn = []
    for name, n in BLIND_QUOTAS.items():
        pool = [(i, j, e) for i, j, e, _ in strata[name] if ids[i] not in seen and ids[j] not in seen]
        rng.shuffle(pool)
        taken = set()
        for i, j, e in pool[:n]:
            if frozenset((i, j)) not in taken:
                taken.add(frozenset((i, j)))
                drawn.append({"a": ids[i], "b": ids[j], "stratum": name, "estimate": round(e, 3)})
    rng.shuffle(drawn)
    start = len(before)
    with OUT.open("a", encoding="utf-8") as fh:
        for k, p in enumerate(drawn):
            fh.write(json.dumps({"id": f"p{start + k + 1:04d}", **p, "split": BLIND_SPLIT}, ensure_ascii=False) + "\n")
    counts = {k: sum(p["stratum"] == k for p in drawn) for k in BLIND_QUOTAS}
    print(f"{len(drawn)} pairs appended to {BLIND_SPLIT}: {counts}")


if __name__ == "__main__":
    main()
