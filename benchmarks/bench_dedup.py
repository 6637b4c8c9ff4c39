"""Archive dedup on the two scraped TV-news archives: pair recall, speed per stage, memory, and datasketch.

usage: benchmarks/.peers-venv/bin/python benchmarks/bench_dedup.py [--peer-docs 5000] [--threshold 0.3]
       [--verifier rules|learned] [--no-noisy-route]
       (.venv/bin/python works too; the datasketch column is then left out)

Data: ``../shared/corpus/news-archive`` (research use only: read from ../shared, never copied):
43,978 items of two independent scrapes of the same programme, and 19,449 pairs of items with
the same URL — the known duplicates. Runs ``nlp-service dedup`` (the local engine) over both
archives, one process, one core, and prints: records, pair recall against the URL pairs, seconds
and documents/s per stage and end to end (read → write), peak RSS and the index bytes per
document (signature + band keys).

Peer, same run: datasketch (``MinHash.update_batch`` over the same normalised character
5-grams, 128 permutations, then ``MinHashLSH`` insert and query at the same threshold) on the
first ``--peer-docs`` documents — datasketch is installed in ``benchmarks/.peers-venv`` only
(``python3 -m venv benchmarks/.peers-venv && benchmarks/.peers-venv/bin/pip install -e . datasketch``),
never a dependency. The ratio here compares
documents/s of normalise + shingle + sign + band + candidate query on those documents; the end-to-end
ratio (read to write) is ``bench_dedup_scale.py``'s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from nlp_service.dedup.archive import dedup
from nlp_service.dedup.minhash import MIN_CHARS, Params, band_keys, candidate_pairs, normalise, shingles, signature

NEWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news-archive"
INPUTS = [NEWS / "cctv_news-xwlb" / "items.jsonl.gz", NEWS / "xin-wen-lian-bo" / "items.jsonl.gz"]
PAIRS = NEWS / "xin-wen-lian-bo" / "cross_archive_pairs_with_cctv_news-xwlb.jsonl.gz"


def ours_sign_band(texts: list[str], params: Params) -> float:
    t0 = time.perf_counter()
    norms = [normalise(t) for t in texts]
    sigs = np.stack([signature(shingles(x, params.k), params.num_perm) for x in norms])
    candidate_pairs(band_keys(sigs, params))
    return time.perf_counter() - t0


def datasketch_sign_band(texts: list[str], params: Params) -> float:
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm)
    for i, t in enumerate(texts):
        x = normalise(t)
        grams = {x[j:j + params.k].encode("utf-8") for j in range(max(1, len(x) - params.k + 1))}
        m = MinHash(num_perm=params.num_perm)
        m.update_batch(list(grams))
        lsh.query(m)
        lsh.insert(str(i), m)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--peer-docs", type=int, default=5000)
    ap.add_argument("--verifier", choices=["rules", "learned"], default=Params.verifier)
    ap.add_argument("--no-noisy-route", action="store_true")
    args = ap.parse_args()
    params = Params(threshold=args.threshold, verifier=args.verifier, noisy=not args.no_noisy_route)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        rep = dedup(INPUTS, Path(tmp) / "out.jsonl.gz", Path(tmp) / "report.json", params)
        total = time.perf_counter() - t0
        report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
    cluster = {}
    for c in report["clusters"]:
        for m in c["members"]:
            cluster[m["id"]] = c["representative"]
        cluster[c["representative"]] = c["representative"]
    pairs = [json.loads(x) for x in gzip.open(PAIRS, "rt", encoding="utf-8")]
    found = sum(cluster.get(p["id_a"], p["id_a"]) == cluster.get(p["id_b"], p["id_b"]) for p in pairs)
    c = rep.counts
    docs = c["documents"]
    print(f"{c['read']:,} records, {c['skipped']} without text, {c['too_short_to_compare']} too short to compare; "
          f"{docs:,} documents -> {c['kept']:,} kept, {c['duplicates']:,} duplicates in {c['clusters']:,} clusters; "
          f"{c['candidate_pairs_rejected_by_alignment']:,} candidate pairs turned down by alignment")
    print(f"pair recall against the {len(pairs):,} URL pairs: {found:,} = {found / len(pairs):.5f}")
    print("| stage | seconds | documents/s |")
    print("|---|---|---|")
    for stage, secs in rep.seconds.items():
        print(f"| {stage} | {secs:.1f} | {docs / secs:,.0f} |" if secs else f"| {stage} | {secs} | - |")
    print(f"| end to end (read → write), one core | {total:.1f} | {docs / total:,.0f} |")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:,.0f} MiB; index {params.num_perm * 4 + params.bands * 8} bytes per document "
          f"(signature {params.num_perm} × 4 B + {params.bands} band keys × 8 B)")
    texts = []
    for path in INPUTS:
        for line in gzip.open(path, "rt", encoding="utf-8"):
            t = json.loads(line).get("text") or ""
            if len(normalise(t)) >= MIN_CHARS:
                texts.append(t)
            if len(texts) >= args.peer_docs:
                break
        if len(texts) >= args.peer_docs:
            break
    ours = ours_sign_band(texts, params)
    try:
        theirs = datasketch_sign_band(texts, params)
    except ImportError:
        print(f"{len(texts):,} documents, normalise+shingle+sign+band: ours {len(texts) / ours:,.0f} docs/s; "
              "datasketch not installed (see docstring)")
        return
    print(f"{len(texts):,} documents, normalise + shingle + sign + band/query, one core: ours {len(texts) / ours:,.0f} "
          f"docs/s, datasketch (update_batch + MinHashLSH) {len(texts) / theirs:,.0f} docs/s — "
          f"{theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
