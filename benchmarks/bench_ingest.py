"""Ingest throughput: one extraction process against several, same inputs, same run.

usage: .venv/bin/python benchmarks/bench_ingest.py [--workers 1 2] [--spark local[2]] [PATH ...]

Runs ``nlp-service ingest PATHS --workers N -q`` for each N (and, with ``--spark MASTER``,
``--engine spark --master MASTER``) into a fresh SQLite file in a temporary folder (start-up
included, as a user meets it) and prints documents/s, the ratio to the first run, and whether
every run stored the same rows (articles, commitments, indicators). Default input: the policy
corpus of ``../shared/corpus`` (gov-work-reports and policy-docs).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
CLI = Path(sys.executable).with_name("nlp-service")


def rows(db: Path) -> tuple:
    """What a run stored, comparable across runs (no timestamps)."""
    con = sqlite3.connect(db)
    try:
        out = []
        for table in ("articles", "commitments", "indicators"):
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "ingested_at"]
            out.append(con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1, 2").fetchall())
        return tuple(out)
    finally:
        con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[SHARED / "gov-work-reports", SHARED / "policy-docs"])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--spark", metavar="MASTER", help="also ingest with --engine spark on MASTER (e.g. local[2])")
    args = ap.parse_args()
    runs = [(f"workers {n}", ["--workers", str(n)]) for n in args.workers]
    if args.spark:
        runs.append((f"spark {args.spark}", ["--engine", "spark", "--master", args.spark]))
    first_rate, first_rows = None, None
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, flags) in enumerate(runs):
            db = Path(tmp) / f"run{k}.db"
            t0 = time.perf_counter()
            out = subprocess.run([str(CLI), "ingest", *map(str, args.paths), "--database", f"sqlite:///{db}",
                                  *flags, "-q"], capture_output=True, text=True, check=True).stdout
            secs = time.perf_counter() - t0
            counts = out.splitlines()[0]
            docs = sum(int(x.split()[1]) for x in counts.split(", ") if x.split()[0] in ("stored", "replaced"))
            stored = rows(db)
            first_rate = first_rate or docs / secs
            first_rows = first_rows if first_rows is not None else stored
            print(f"{name}: {counts}; {secs:.1f} s = {docs / secs:.1f} documents/s "
                  f"({docs / secs / first_rate:.2f}x); same rows as the first run: {stored == first_rows}")
    print(f"measured {time.strftime('%Y-%m-%d')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
