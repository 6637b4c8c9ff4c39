"""Store benchmark: write throughput, query latency with and without filters, database size.

usage: python benchmarks/bench_store.py [--commitments 100000] [--source sqlite:///data/corpus.db]
       [--database sqlite:///PATH (default: bench_store.db in a new temporary directory)] [--queries 300]

Commitments are synthesised from real ones: the texts of the commitments already stored in
``--source`` (run ``nlp-service ingest ../shared/corpus/gov-work-reports ../shared/corpus/policy-docs
--database sqlite:///data/corpus.db`` first) and of the hand-labelled clauses
(corpus/clauses/clauses.jsonl), each reused with a random region (40), year (1990–2025), actor,
deadline, quantity and 1–2 topics; 20 commitments per synthetic article. Writes go through the
store's ``put_article`` (tokenisation into characters and search-mode words included), one
transaction per article. Queries: the 32 queries of corpus/search/queries.jsonl, each run without
filters and with a region + year-range filter, cycled for ``--queries`` runs each (first page of 20,
total and facets included, as the API returns them). Prints p50/p99 latency, writes per second and
the database size. One core; PostgreSQL is not built yet (issue 6), so there is no second column.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from nlp_service.models.topics import TAXONOMY
from nlp_service.segment.words import WordSegmenter
from nlp_service.store import CommitmentQuery, open_store
from nlp_service.store.records import ArticleRecord, char_tokens, fts_phrase_query, word_tokens

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ("全国 上海 北京 宁波 杭州 广州 深圳 南京 苏州 成都 武汉 西安 重庆 天津 青岛 厦门 长沙 郑州 合肥 福州 "
           "济南 沈阳 大连 哈尔滨 长春 昆明 贵阳 南宁 海口 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 太原 石家庄 "
           "南昌 温州 无锡").split()
ACTORS = ["市政府", "省科技厅", "国务院", "我们", None]


def real_texts(source: str) -> list[str]:
    texts = []
    path = source.removeprefix("sqlite:///")
    if Path(path).exists():
        texts += [r[0] for r in sqlite3.connect(path).execute("SELECT text FROM commitments")]
    clauses = ROOT / "corpus" / "clauses" / "clauses.jsonl"
    texts += [json.loads(x)["clause"] for x in clauses.read_text(encoding="utf-8").splitlines()]
    return [t for t in texts if len(t) >= 6]


def synth_articles(texts: list[str], n_commitments: int, seg: WordSegmenter, rng: random.Random):
    per = 20
    for a in range(n_commitments // per):
        region, year = rng.choice(REGIONS), rng.randint(1990, 2025)
        commitments = []
        for i in range(per):
            text = rng.choice(texts)
            qty = rng.random() < 0.4
            dl = year + rng.randint(0, 5) if rng.random() < 0.6 else None
            commitments.append({
                "ord": i, "text": text, "sentence": text, "actor": rng.choice(ACTORS),
                "modality": rng.choice(["will", "strive", "must"]), "action": None, "target": None,
                "deadline": str(dl) if dl else None, "deadline_year": dl, "has_quantity": int(qty),
                "quantity_value": rng.randint(1, 1000) if qty else None, "quantity_unit": "个" if qty else None,
                "confidence": 0.9, "start": 0, "end": len(text),
                "topics": rng.sample(TAXONOMY, rng.randint(1, 2)),
                "chars": char_tokens(text), "words": word_tokens(text, seg)})
        yield ArticleRecord(id=f"synthetic-{a}", source="bench", source_id=str(a), title=f"合成文章{a}",
                            published=str(year), year=year, region=region, url=None, topics=[], result={},
                            commitments=commitments)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def db_size(store, path: Path | None) -> int:
    """Bytes on disk: the SQLite file (+ WAL), or the PostgreSQL tables with their indexes and TOAST."""
    if store.backend == "sqlite":
        store._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    row = store._conn().execute(
        "SELECT sum(pg_total_relation_size(c.oid)) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r'").fetchone()
    return int(row["n"])


def run(store, path: Path | None, texts: list[str], args, seg: WordSegmenter, queries: list[str]) -> dict:
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    n = 0
    for rec in synth_articles(texts, args.commitments, seg, rng):
        store.put_article(rec)
        n += len(rec.commitments)
    write_s = time.perf_counter() - t0
    out = {"n": n, "writes_per_s": n / write_s, "size": db_size(store, path)}
    filter_sets = (("no filter", {}), ("region + year range", {"region": "上海", "year_from": 2010, "year_to": 2020}),
                   ("topic + has quantity", {"topic": "科技创新", "has_quantity": True}))
    for label, extra in filter_sets:
        times, totals = [], []
        for i in range(args.queries):
            q = queries[i % len(queries)]
            t = time.perf_counter()
            page = store.search_commitments(CommitmentQuery(q=q, **extra), seg)
            times.append((time.perf_counter() - t) * 1000)
            totals.append(page.total)
        out[label] = (statistics.median(times), pct(times, 99), statistics.median(totals))
    if store.backend == "sqlite":  # what the word index alone would find, against the character index
        conn, ratios = store._conn(), {}
        for q in dict.fromkeys(queries):
            chars = conn.execute("SELECT count(*) FROM commitments_chars WHERE commitments_chars MATCH ?",
                                 (fts_phrase_query(q),)).fetchone()[0]
            words = conn.execute("SELECT count(*) FROM commitments_words WHERE commitments_words MATCH ?",
                                 (f'"{q.lower()}"',)).fetchone()[0]
            if chars:
                ratios[q] = words / chars
        out["word_recall"] = ratios
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commitments", type=int, default=100_000)
    ap.add_argument("--source", default="sqlite:///data/corpus.db")
    ap.add_argument("--database", help="SQLite URL to write (default: bench_store.db in a new temporary directory)")
    ap.add_argument("--postgres", help="also run on this PostgreSQL DSN (its tables are dropped first)")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.database is None:
        args.database = "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="bench_store.")) / "bench_store.db")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    path = Path(args.database.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    seg = WordSegmenter()
    texts = real_texts(args.source)
    lines = (ROOT / "corpus/search/queries.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [json.loads(x)["q"] for x in lines]
    results = {"SQLite " + sqlite3.sqlite_version: run(open_store(args.database), path, texts, args, seg, queries)}
    if args.postgres:
        from nlp_service.store.postgres import PostgresStore

        PostgresStore(args.postgres).reset()
        pg = open_store(args.postgres)
        version = pg._conn().execute("SHOW server_version").fetchone()["server_version"]
        results["PostgreSQL " + version] = run(pg, None, texts, args, seg, queries)
    first = next(iter(results.values()))
    print(f"{first['n']:,} commitments from {len(texts):,} real texts; this process pinned to one core "
          f"(a PostgreSQL server runs in its own processes); {args.queries} queries per row")
    names = list(results)
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    print("| writes (commitments/s, one transaction per article of 20) | "
          + " | ".join(f"{r['writes_per_s']:,.0f}" for r in results.values()) + " |")
    print("| database size | " + " | ".join(f"{r['size'] / 2**20:.0f} MiB ({r['size'] / r['n']:,.0f} B/commitment)"
                                            for r in results.values()) + " |")
    for label in ("no filter", "region + year range", "topic + has quantity"):
        print(f"| query p50 / p99 ms, {label} (median matches {first[label][2]:,.0f}) | "
              + " | ".join(f"{r[label][0]:.1f} / {r[label][1]:.1f}" for r in results.values()) + " |")
    ratios = first.get("word_recall", {})
    two = [v for q, v in ratios.items() if len(q) == 2]
    longer = [v for q, v in ratios.items() if len(q) > 2]
    if ratios:
        print(f"word index alone (jieba search mode, the query as one word) finds, of the character-phrase matches: "
              f"2-character queries {statistics.mean(two):.2f} on average (min {min(two):.2f}), longer queries "
              f"{statistics.mean(longer):.2f} (min {min(longer):.2f})")


if __name__ == "__main__":
    main()
