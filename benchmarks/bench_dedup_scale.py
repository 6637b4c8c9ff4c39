"""Archive dedup end to end at scale: quality, documents/s, peak memory, and datasketch in the same run.

usage: .venv/bin/python benchmarks/bench_dedup_scale.py [--docs 100000] [--workers [1 2]] [--peer-docs 5000]
       [--peer-workers 1 2] [--peer-repeat 1] [--archive FILE.jsonl] [--seed 0] [--threshold 0.3]
       [--peer-input FILE.jsonl[.gz] …]

1. Builds a synthetic archive of ``--docs`` documents with known clusters
   (``bench_dedup_synthetic.archive(composed=True)``: originals are runs of real corpus and news
   sentences, copies of every kind, templated and boilerplate negatives), written to ``--archive``
   (default a temporary file; an existing file of the right size is reused).
2. Runs ``nlp-service dedup`` on it as a child process for each ``--workers`` count: seconds end
   to end (read, normalise, shingle, sign, band, verify, cluster, write), documents/s and
   documents/s per worker, peak anonymous memory of the engine and its workers together (what it
   holds), peak RSS of its largest process (which also counts the pages of the memory-mapped
   signatures and texts it read), and the engine's own stage times.
3. Scores the clusters against the truth: pairwise precision/recall/F1, adjusted Rand index,
   recall per copy kind, merges of the hard negatives.
4. Peer, same run, on the first ``--peer-docs`` documents, end to end (read JSON, normalise,
   shingle, sign, LSH, cluster, write the kept records), ``--peer-repeat`` alternating rounds:
   ours with each ``--peer-workers`` count (default one worker and every core) against
   datasketch (``MinHash.update_batch`` over the same normalised character 5-grams, 128
   permutations, ``MinHashLSH`` at the same threshold; no verification — ours aligns every
   candidate pair on top; one process, as datasketch has no parallel mode). datasketch lives in
   ``benchmarks/.peers-venv`` only (``benchmarks/.peers-venv/bin/pip install datasketch``);
   without it the ratio is left out. ``--workers`` with no count skips the full runs;
   ``--peer-input FILE…`` runs only this comparison, on the first ``--peer-docs`` records with
   text of those files (the news archives: copies as they really come, templated bulletins among
   them), written to a temporary file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / ".peers-venv" / "bin" / "python"
NLPS = Path(sys.executable).with_name("nlp-service")

PEER_CHILD = r"""
import json, sys
from datasketch import MinHash, MinHashLSH
from nlp_service.dedup.minhash import normalise
src, out, threshold, num_perm, k = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
parent = {}
def find(x):
    while parent.get(x, x) != x:
        x = parent[x]
    return x
records = []
with open(src, encoding="utf-8") as fh:
    for i, line in enumerate(fh):
        rec = json.loads(line)
        x = normalise(rec["text"])
        m = MinHash(num_perm=num_perm)
        m.update_batch([x[j:j + k].encode("utf-8") for j in range(max(1, len(x) - k + 1))])
        for j in lsh.query(m):
            a, b = find(j), find(i)
            if a != b:
                parent[max(a, b)] = min(a, b)
        lsh.insert(i, m)
        records.append(rec)
with open(out, "w", encoding="utf-8") as fh:
    for i, rec in enumerate(records):
        if find(i) == i:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
"""


def build(path: Path, docs: int, seed: int) -> tuple[list[int], list[str]]:
    """Write the archive (id, text) unless it exists with ``docs`` lines; return truth and kinds."""
    sys.path.insert(0, str(HERE))
    from bench_dedup_synthetic import archive

    truth_file = path.with_suffix(".truth.json")
    if path.exists() and truth_file.exists():
        truth = json.loads(truth_file.read_text())
        if len(truth["cluster"]) == docs:
            return truth["cluster"], truth["kind"]
    t0 = time.perf_counter()
    texts, cluster, kinds = archive(docs, random.Random(seed), composed=True)
    with path.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n")
    truth_file.write_text(json.dumps({"cluster": cluster, "kind": kinds}))
    print(f"built {docs:,} documents in {time.perf_counter() - t0:.0f} s -> {path}", flush=True)
    return cluster, kinds


def _tree_memory(root: int) -> tuple[int, int]:
    """(anonymous KiB summed over the process tree, largest RSS KiB of one process) from /proc."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    anon, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        anon += int(fields.get("RssAnon", "0 kB").split()[0])
        largest = max(largest, int(fields.get("VmRSS", "0 kB").split()[0]))
    return anon, largest


def run_child(cmd: list[str]) -> tuple[float, float, float]:
    """(seconds, peak anonymous MiB of the whole process tree, peak RSS MiB of its largest process).

    Sampled from /proc every 0.2 s. RSS counts the pages of the memory-mapped signatures and texts
    that were read (page cache the kernel can drop); anonymous memory is what the engine holds.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    anon = rss = 0
    while proc.poll() is None:
        a, r = _tree_memory(proc.pid)
        anon, rss = max(anon, a), max(rss, r)
        time.sleep(0.2)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return time.perf_counter() - t0, anon / 1024, rss / 1024


def score(report: Path, truth: list[int], kinds: list[str]) -> str:
    """Pairwise P/R/F1, ARI, recall per kind and negative merges, as text."""
    from sklearn.metrics import adjusted_rand_score

    rep = json.loads(report.read_text(encoding="utf-8"))
    pred = list(range(len(truth)))
    for c in rep["clusters"]:
        r = int(c["representative"][1:])
        for m in c["members"]:
            pred[int(m["id"][1:])] = r
    t_pairs = Counter()
    both = Counter()
    p_pairs = Counter()
    for t, p in zip(truth, pred, strict=True):
        t_pairs[t] += 1
        p_pairs[p] += 1
        both[(t, p)] += 1

    def pairs(counter: Counter) -> int:
        return sum(v * (v - 1) // 2 for v in counter.values())

    tp, tt, pp = pairs(both), pairs(t_pairs), pairs(p_pairs)
    prec, rec = (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)
    first = {}
    for i, k in enumerate(kinds):
        if k == "original":
            first[truth[i]] = i
    per, found = Counter(), Counter()
    for i, k in enumerate(kinds):
        if k not in ("original", "templated", "boilerplate") and truth[i] in first:
            per[k] += 1
            found[k] += pred[i] == pred[first[truth[i]]]
    truths: dict[int, set[int]] = {}
    for t, p in zip(truth, pred, strict=True):
        truths.setdefault(p, set()).add(t)
    negs = {k: sum(len(truths[pred[i]]) > 1 for i, x in enumerate(kinds) if x == k)
            for k in ("templated", "boilerplate")}
    lines = [f"pairwise precision {prec:.4f}, recall {rec:.4f}, F1 {2 * prec * rec / (prec + rec):.4f}; "
             f"ARI {adjusted_rand_score(truth, pred):.4f}",
             "recall per kind: " + ", ".join(f"{k} {found[k] / per[k]:.3f}" for k in sorted(per)),
             "hard negatives merged with another story: "
             + ", ".join(f"{k} {v} of {kinds.count(k)}" for k, v in negs.items()),
             f"engine: {rep['counts']['candidate_pairs']:,} candidate pairs, "
             f"{rep['counts']['candidate_pairs_rejected_by_alignment']:,} turned down by alignment; "
             f"stages {rep['seconds']}; index {rep['index_bytes_per_document']} B/document"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="none: the peer comparison only")
    ap.add_argument("--peer-docs", type=int, default=5000)
    ap.add_argument("--peer-workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    ap.add_argument("--peer-repeat", type=int, default=1)
    ap.add_argument("--archive", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--peer-input", type=Path, nargs="+", metavar="JSONL",
                    help="compare on the first --peer-docs records with text of these files (.jsonl or .jsonl.gz; "
                         "e.g. the news archives) instead of the built archive; nothing else runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.peer_input:
            subset = Path(tmp) / "subset.jsonl"
            n = first_records(args.peer_input, args.peer_docs, subset)
            print(f"{n:,} records with text from {', '.join(f'{p.parent.name}/{p.name}' for p in args.peer_input)}, "
                  f"threshold {args.threshold}")
            args.peer_docs = n
            peer(subset, args, Path(tmp))
            return
        src = args.archive or Path(tmp) / "archive.jsonl"
        truth, kinds = build(src, args.docs, args.seed)
        print(f"{args.docs:,} documents ({kinds.count('original'):,} originals), "
              f"{src.stat().st_size / 2**20:,.0f} MiB, threshold {args.threshold}")
        print("| workers | seconds | documents/s | per worker | peak anonymous memory, all processes | per document "
              "| peak RSS incl. mapped files, largest process |")
        print("|---|---|---|---|---|---|---|")
        text = "" if args.workers else "(no full runs: --workers none)"
        for w in args.workers:
            report = Path(tmp) / f"report{w}.json"
            secs, anon, rss = run_child([str(NLPS), "dedup", str(src), "--out", str(Path(tmp) / f"out{w}.jsonl"),
                                   "--report", str(report), "--workers", str(w), "--threshold",
                                   str(args.threshold), "-q"])
            print(f"| {w} | {secs:,.1f} | {args.docs / secs:,.0f} | {args.docs / secs / w:,.0f} | {anon:,.0f} MiB | "
                  f"{anon * 2**20 / args.docs:,.0f} B | {rss:,.0f} MiB |", flush=True)
            text = score(report, truth, kinds)
        print(text)
        subset = Path(tmp) / "subset.jsonl"
        with src.open(encoding="utf-8") as fh, subset.open("w", encoding="utf-8") as out:
            for _, line in zip(range(args.peer_docs), fh, strict=False):
                out.write(line)
        peer(subset, args, Path(tmp))


def first_records(paths: list[Path], n: int, out: Path) -> int:
    """Write the first ``n`` records whose text is a non-empty string (id and text only) to ``out``; how many."""
    import gzip

    k = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in paths:
            with (gzip.open(path, "rt", encoding="utf-8") if path.name.endswith(".gz")
                  else path.open(encoding="utf-8")) as src:
                for line in src:
                    if k == n:
                        return k
                    d = json.loads(line)
                    if isinstance(d.get("text"), str) and d["text"].strip():
                        fh.write(json.dumps({"id": d.get("id", k), "text": d["text"]}, ensure_ascii=False) + "\n")
                        k += 1
    return k


def peer(subset: Path, args: argparse.Namespace, tmp: Path) -> None:
    """Ours with each ``--peer-workers`` count and datasketch, end to end, in alternating rounds; medians and ratios."""
    runs: dict[str, list[float]] = {}
    datasketch = "datasketch (one process: it has no parallel mode)"
    for _ in range(args.peer_repeat):
        for w in args.peer_workers:
            secs, _, _ = run_child([str(NLPS), "dedup", str(subset), "--out", str(tmp / "o.jsonl"), "--report",
                                    str(tmp / "o.json"), "--workers", str(w), "--threshold", str(args.threshold),
                                    "-q"])
            runs.setdefault(f"ours, {w} worker{'s' if w > 1 else ''}", []).append(secs)
        if PEERS.exists():
            secs, _, _ = run_child([str(PEERS), "-c", PEER_CHILD, str(subset), str(tmp / "p.jsonl"),
                                    str(args.threshold), "128", "5"])
            runs.setdefault(datasketch, []).append(secs)
    print(f"first {args.peer_docs:,} documents, end to end (each run includes its interpreter and import start), "
          f"{args.peer_repeat} alternating round(s); seconds: median (min-max)")
    theirs = runs.get(datasketch)
    for name, times in runs.items():
        mid = statistics.median(times)
        line = f"  {name}: {mid:.2f} s ({min(times):.2f}-{max(times):.2f}), {args.peer_docs / mid:,.0f} docs/s"
        if theirs and name != datasketch:
            rounds = [t / o for t, o in zip(theirs, times, strict=True)]
            line += (f"; {statistics.median(theirs) / mid:.1f}x datasketch "
                     f"(rounds {min(rounds):.1f}-{max(rounds):.1f}x)")
        print(line)
    if not theirs:
        print("  datasketch: not installed in benchmarks/.peers-venv (pip install datasketch there)")

if __name__ == "__main__":
    main()
