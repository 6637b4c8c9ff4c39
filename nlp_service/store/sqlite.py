"""The embedded store: one SQLite file (stdlib ``sqlite3``), WAL mode, foreign keys on.

Schema versions are applied in order by :data:`MIGRATIONS` (``PRAGMA user_version`` holds the
version reached). Every write is one ``BEGIN IMMEDIATE`` transaction, so a reader sees an article
whole or not at all; each thread has its own connection (WAL lets readers run beside the writer).

Search runs the full-text match first, in a ``MATERIALIZED`` CTE, then joins the filters: with a
plain join SQLite may start from a filter index and probe the FTS table per row, which took
seconds per query in the measurement quoted by issue 6.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp_service.store.base import (
    FACETS,
    CommitmentQuery,
    IndicatorQuery,
    PutResult,
    SearchPage,
    StoreError,
    filter_sql,
)
from nlp_service.store.records import (
    COMMITMENT_COLUMNS,
    INDICATOR_COLUMNS,
    ArticleRecord,
    fts_phrase_query,
    fts_words_query,
    hit,
)

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, commitments, indicators, paragraph fingerprints, two FTS5 indexes
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT, source_id TEXT,
        title TEXT, published TEXT, year INTEGER, region TEXT, url TEXT,
        topics TEXT NOT NULL,
        result TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX articles_source ON articles(source, source_id) WHERE source_id IS NOT NULL;
    CREATE TABLE commitments (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL, text TEXT NOT NULL, sentence TEXT,
        actor TEXT, modality TEXT, action TEXT, target TEXT,
        deadline TEXT, deadline_year INTEGER,
        has_quantity INTEGER NOT NULL, quantity_value REAL, quantity_unit TEXT,
        confidence REAL, start INTEGER, "end" INTEGER,
        region TEXT, year INTEGER
    );
    CREATE INDEX commitments_article ON commitments(article_id);
    CREATE INDEX commitments_region_year ON commitments(region, year);
    CREATE INDEX commitments_year ON commitments(year);
    CREATE INDEX commitments_deadline ON commitments(deadline_year);
    CREATE INDEX commitments_actor ON commitments(actor);
    CREATE TABLE commitment_topics (
        label TEXT NOT NULL,
        commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
        PRIMARY KEY (label, commitment_id)
    ) WITHOUT ROWID;
    CREATE INDEX commitment_topics_commitment ON commitment_topics(commitment_id);
    CREATE TABLE indicators (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL, text TEXT NOT NULL, metric TEXT, value REAL, value_max REAL, unit TEXT,
        normalized_value REAL, base_unit TEXT, comparator TEXT, change TEXT, period TEXT, sentence TEXT,
        region TEXT, year INTEGER
    );
    CREATE INDEX indicators_article ON indicators(article_id);
    CREATE INDEX indicators_unit ON indicators(unit);
    CREATE INDEX indicators_region ON indicators(region, period);
    CREATE TABLE paragraph_fingerprints (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL,
        sha1 TEXT NOT NULL,
        PRIMARY KEY (article_id, paragraph)
    ) WITHOUT ROWID;
    CREATE INDEX paragraph_fingerprints_sha1 ON paragraph_fingerprints(sha1);
    CREATE VIRTUAL TABLE commitments_chars USING fts5(body, tokenize = "unicode61 remove_diacritics 0");
    CREATE VIRTUAL TABLE commitments_words USING fts5(body, tokenize = "unicode61 remove_diacritics 0");
    """,
    # 2: the sha256 of the raw input, so that re-ingesting an unchanged file skips extraction
    """
    ALTER TABLE articles ADD COLUMN raw_sha256 TEXT;
    CREATE INDEX articles_raw ON articles(raw_sha256);
    """,
)


def _set_wal(conn: sqlite3.Connection, seconds: float = 60.0) -> None:
    """Switch the file to write-ahead logging, waiting while another process holds it.

    Switching a new file to WAL needs it to itself, and SQLite answers "database is locked" at once
    rather than waiting (the busy timeout does not cover it) when the API's workers open it together.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SQLiteStore:
    """Articles, commitments and indicators in one SQLite file."""

    backend = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._migrate()

    # -- connections -------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=60000")
            _set_wal(conn)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        # the version is read under the write lock: processes that open a new file together (the API's
        # workers) would otherwise all read 0 and run the first migration twice (table already exists)
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(f"{self.path} has schema version {version}; "
                                 f"this service knows up to {len(MIGRATIONS)}")
            for n, script in enumerate(MIGRATIONS[version:], version + 1):
                for stmt in script.split(";"):
                    if stmt.strip():
                        conn.execute(stmt)
                conn.execute(f"PRAGMA user_version={n}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        """The schema version of the file."""
        return self._conn().execute("PRAGMA user_version").fetchone()[0]

    # -- writes ------------------------------------------------------------------------------
    def has_raw(self, raw_sha256: str) -> str | None:
        """The id of a stored article made from exactly this raw input, if any."""
        row = self._conn().execute("SELECT id FROM articles WHERE raw_sha256 = ?", (raw_sha256,)).fetchone()
        return row[0] if row else None

    def put_article(self, rec: ArticleRecord) -> PutResult:
        """Store one article: ``stored``, ``unchanged`` (same content) or ``replaced`` (same source id)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (rec.id,)).fetchone():
                if rec.raw_sha256:  # same text from another input form: remember this one too
                    conn.execute("UPDATE articles SET raw_sha256 = COALESCE(raw_sha256, ?) WHERE id = ?",
                                 (rec.raw_sha256, rec.id))
                conn.execute("COMMIT")
                return PutResult(rec.id, "unchanged")
            status = "stored"
            if rec.source_id is not None:
                old = conn.execute("SELECT id FROM articles WHERE source IS ? AND source_id = ?",
                                   (rec.source, rec.source_id)).fetchone()
                if old:
                    self._delete(conn, old["id"])
                    status = "replaced"
            self._insert(conn, rec)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return PutResult(rec.id, status)

    @staticmethod
    def _delete(conn: sqlite3.Connection, article_id: str) -> None:
        ids = [r[0] for r in conn.execute("SELECT id FROM commitments WHERE article_id = ?", (article_id,))]
        conn.executemany("DELETE FROM commitments_chars WHERE rowid = ?", [(i,) for i in ids])
        conn.executemany("DELETE FROM commitments_words WHERE rowid = ?", [(i,) for i in ids])
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))  # cascades to the rows

    @staticmethod
    def _insert(conn: sqlite3.Connection, rec: ArticleRecord) -> None:
        conn.execute(
            "INSERT INTO articles (id, source, source_id, title, published, year, region, url, topics, result,"
            " ingested_at, raw_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (rec.id, rec.source, rec.source_id, rec.title, rec.published, rec.year, rec.region, rec.url,
             json.dumps(rec.topics, ensure_ascii=False), json.dumps(rec.result, ensure_ascii=False),
             datetime.now(UTC).isoformat(timespec="seconds"), rec.raw_sha256))
        cols = ", ".join(f'"{c}"' for c in COMMITMENT_COLUMNS)
        marks = ", ".join("?" for _ in COMMITMENT_COLUMNS)
        for c in rec.commitments:
            cur = conn.execute(f"INSERT INTO commitments (article_id, region, year, {cols}) VALUES (?,?,?,{marks})",  # noqa: S608
                               (rec.id, rec.region, rec.year, *(c[k] for k in COMMITMENT_COLUMNS)))
            cid = cur.lastrowid
            conn.execute("INSERT INTO commitments_chars (rowid, body) VALUES (?, ?)", (cid, c["chars"]))
            conn.execute("INSERT INTO commitments_words (rowid, body) VALUES (?, ?)", (cid, c["words"]))
            conn.executemany("INSERT OR IGNORE INTO commitment_topics (label, commitment_id) VALUES (?, ?)",
                             [(t, cid) for t in c["topics"]])
        cols = ", ".join(f'"{c}"' for c in INDICATOR_COLUMNS)
        marks = ", ".join("?" for _ in INDICATOR_COLUMNS)
        conn.executemany(f"INSERT INTO indicators (article_id, region, year, {cols}) VALUES (?,?,?,{marks})",  # noqa: S608
                         [(rec.id, rec.region, rec.year, *(x[k] for k in INDICATOR_COLUMNS))
                          for x in rec.indicators])
        conn.executemany("INSERT INTO paragraph_fingerprints (article_id, paragraph, sha1) VALUES (?,?,?)",
                         [(rec.id, p, h) for p, h in rec.fingerprints])

    # -- reads -------------------------------------------------------------------------------
    def get_article(self, article_id: str) -> dict | None:
        """The stored article (metadata and the whole v1 result), or None."""
        row = self._conn().execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return {"id": row["id"], "source": row["source"], "source_id": row["source_id"], "title": row["title"],
                "published": row["published"], "year": row["year"], "region": row["region"], "url": row["url"],
                "topics": json.loads(row["topics"]), "ingested_at": row["ingested_at"],
                "result": json.loads(row["result"])}

    def tracking_articles(self, region: str | None = None) -> list[tuple[str, str | None, int]]:
        """(id, region, year) of every article with a year (of ``region`` when given), oldest first."""
        rows = self._conn().execute(
            "SELECT id, region, year FROM articles WHERE year IS NOT NULL AND (? IS NULL OR region = ?)"
            " ORDER BY year, id", (region, region)).fetchall()
        return [(r["id"], r["region"], r["year"]) for r in rows]

    def commitment_ids(self, article_ids: list[str]) -> dict[tuple[str, int], int]:
        """The stored id of each commitment of ``article_ids``, by (article id, position)."""
        out: dict[tuple[str, int], int] = {}
        conn = self._conn()
        for k in range(0, len(article_ids), 500):
            chunk = article_ids[k:k + 500]
            marks = ",".join("?" for _ in chunk)
            for r in conn.execute(f"SELECT id, article_id, ord FROM commitments WHERE article_id IN ({marks})",  # noqa: S608
                                  chunk):
                out[r["article_id"], r["ord"]] = r["id"]
        return out

    def get_commitment(self, commitment_id: int) -> dict | None:
        """One stored commitment (its columns, article id, region and year), or None."""
        row = self._conn().execute("SELECT * FROM commitments WHERE id = ?", (commitment_id,)).fetchone()
        return dict(row) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        conn = self._conn()
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed names)
                for t in ("articles", "commitments", "indicators", "paragraph_fingerprints")}

    def search_commitments(self, q: CommitmentQuery, segmenter: Any) -> SearchPage:
        """Full-text match (characters; words for ranking), then filters, facets and one page."""
        conn = self._conn()
        phrase = fts_phrase_query(q.q) if q.q else None
        if q.q and phrase is None:
            return SearchPage(hits=[], total=0, facets={f: {} for f in FACETS}, next_cursor=None)
        where, params = filter_sql(q, ":{}", "instr")
        if phrase:
            words = fts_words_query(q.q or "", segmenter)
            cte = ("WITH m AS MATERIALIZED (SELECT rowid AS cid, bm25(commitments_chars) AS r FROM commitments_chars"
                   " WHERE commitments_chars MATCH :phrase)")
            params["phrase"] = phrase
            if words:
                # (a `rowid IN (SELECT cid FROM m)` here made SQLite probe the index per row: 40× slower)
                cte += (", w AS MATERIALIZED (SELECT rowid AS cid, bm25(commitments_words) AS r"
                        " FROM commitments_words WHERE commitments_words MATCH :words)")
                params["words"] = words
                score = "m.r + 2.0 * COALESCE(w.r, 0.0)"
                join = "FROM m JOIN commitments c ON c.id = m.cid LEFT JOIN w ON w.cid = m.cid"
            else:
                score, join = "m.r", "FROM m JOIN commitments c ON c.id = m.cid"
        else:  # filters only: newest first
            cte, score, join = "", "-(COALESCE(c.year, 0) * 1e7 + c.id)", "FROM commitments c"
        # the matches are computed once into a per-connection temporary table; count, facets and
        # the page read it (running the CTE for each cost 5× the full-text work)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY, score REAL)")
        conn.execute("BEGIN")  # one snapshot for the matches, the count, the facets and the page
        try:
            return self._search_in_snapshot(conn, q, cte, score, join, where, params)
        finally:
            conn.execute("COMMIT")

    def _search_in_snapshot(self, conn: sqlite3.Connection, q: CommitmentQuery, cte: str, score: str, join: str,
                            where: str, params: dict) -> SearchPage:
        conn.execute("DELETE FROM temp.search_hits")
        conn.execute(f"{cte} INSERT INTO temp.search_hits SELECT c.id, {score} {join} WHERE {where}", params)
        # CROSS JOIN: the (small) hit table drives, commitments are looked up by id — without it the
        # planner, which has no statistics for a temporary table, scanned all commitments
        base = "SELECT c.*, h.score AS score FROM temp.search_hits h CROSS JOIN commitments c ON c.id = h.id"
        total = conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
        facets = self._facets(conn, base)
        page_where, page_params = "1", dict[str, Any]()
        if q.cursor:
            try:
                last_score, last_id = json.loads(base64.urlsafe_b64decode(q.cursor.encode()))
            except (ValueError, TypeError) as exc:
                raise StoreError("invalid cursor") from exc
            page_where = "(score > :ls OR (score = :ls AND id > :lid))"
            page_params.update(ls=last_score, lid=last_id)
        rows = conn.execute(f"SELECT * FROM ({base}) WHERE {page_where} ORDER BY score, id LIMIT :limit",  # noqa: S608
                            {**page_params, "limit": q.limit + 1}).fetchall()
        more = len(rows) > q.limit
        rows = rows[: q.limit]
        hits = self._hits(conn, rows, q.q)
        next_cursor = None
        if more and rows:
            next_cursor = base64.urlsafe_b64encode(json.dumps([rows[-1]["score"], rows[-1]["id"]]).encode()).decode()
        return SearchPage(hits=hits, total=total, facets=facets, next_cursor=next_cursor)

    @staticmethod
    def _facets(conn: sqlite3.Connection, base: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for name in ("region", "year"):
            rows = conn.execute(f"SELECT {name} AS k, count(*) AS n FROM ({base}) GROUP BY k ORDER BY n DESC"  # noqa: S608
                                ).fetchall()
            out[name] = {str(r["k"]): r["n"] for r in rows if r["k"] is not None}
        rows = conn.execute(f"SELECT t.label AS k, count(*) AS n FROM ({base}) x CROSS JOIN commitment_topics t"  # noqa: S608
                            " ON t.commitment_id = x.id GROUP BY k ORDER BY n DESC").fetchall()
        out["topic"] = {r["k"]: r["n"] for r in rows}
        return out

    @staticmethod
    def _hits(conn: sqlite3.Connection, rows: list[sqlite3.Row], q: str | None) -> list[dict]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" for _ in ids)
        topics: dict[int, list[str]] = {}
        for t in conn.execute(f"SELECT commitment_id, label FROM commitment_topics WHERE commitment_id IN ({marks})",  # noqa: S608
                              ids):
            topics.setdefault(t[0], []).append(t[1])
        art_ids = sorted({r["article_id"] for r in rows})
        art_marks = ",".join("?" for _ in art_ids)
        arts = {a["id"]: a for a in conn.execute(
            f"SELECT id, title, published, url, source, source_id FROM articles WHERE id IN ({art_marks})",  # noqa: S608
            art_ids)}
        return [hit(r, topics.get(r["id"], []), arts[r["article_id"]], q) for r in rows]

    def search_indicators(self, q: IndicatorQuery) -> SearchPage:
        """Indicators by metric (contains), unit, period, region; newest first."""
        where, params = ["1"], {}
        for key, sql in (("metric", "instr(i.metric, :metric) > 0"), ("unit", "i.unit = :unit"),
                         ("period", "i.period = :period"), ("region", "i.region = :region")):
            value = getattr(q, key)
            if value:
                where.append(sql)
                params[key] = value
        if q.cursor:
            try:
                where.append("i.id < :cursor")
                params["cursor"] = int(base64.urlsafe_b64decode(q.cursor.encode()))
            except ValueError as exc:
                raise StoreError("invalid cursor") from exc
        conn = self._conn()
        cond = " AND ".join(where)
        rows = conn.execute(
            f"SELECT i.*, a.title AS article_title, a.published AS article_published, a.url AS article_url "  # noqa: S608
            f"FROM indicators i JOIN articles a ON a.id = i.article_id WHERE {cond} ORDER BY i.id DESC LIMIT :limit",
            {**params, "limit": q.limit + 1}).fetchall()
        more = len(rows) > q.limit
        rows = rows[: q.limit]
        count_cond = " AND ".join(w for w in where if ":cursor" not in w)
        total = conn.execute(f"SELECT count(*) FROM indicators i WHERE {count_cond}",  # noqa: S608
                             {k: v for k, v in params.items() if k != "cursor"}).fetchone()[0]
        hits = [{k: r[k] for k in ("id", *INDICATOR_COLUMNS, "region", "year")}
                | {"article": {"id": r["article_id"], "title": r["article_title"], "published": r["article_published"],
                               "url": r["article_url"]}} for r in rows]
        cursor = base64.urlsafe_b64encode(str(rows[-1]["id"]).encode()).decode() if more and rows else None
        return SearchPage(hits=hits, total=total, facets={}, next_cursor=cursor)
