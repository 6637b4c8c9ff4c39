"""The PostgreSQL store (psycopg 3), for deployments with several service instances.

Same repository interface and the same Python tokens as the SQLite store: the character and
search-mode word strings of ``store.records`` go into ``tsvector`` columns with the ``simple``
configuration (no Chinese analyzer in the database), with GIN indexes. A query's characters
become a phrase (``phraseto_tsquery``) — exact matching at any length, like FTS5 over characters;
its words an OR query used for ranking (``ts_rank``). Scores are negated ranks, so that "lower is
better" and the cursor format match the SQLite store.

Each thread has its own connection; every write is one transaction; replacing an article of the
same source id takes a transaction-scoped advisory lock on that id.
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime
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
    char_tokens,
    hit,
    word_tokens,
)

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY, source TEXT, source_id TEXT, title TEXT, published TEXT, year INTEGER,
        region TEXT, url TEXT, topics JSONB NOT NULL, result JSONB NOT NULL, ingested_at TEXT NOT NULL,
        raw_sha256 TEXT
    );
    CREATE UNIQUE INDEX articles_source ON articles(source, source_id) WHERE source_id IS NOT NULL;
    CREATE INDEX articles_raw ON articles(raw_sha256);
    CREATE TABLE commitments (
        id BIGSERIAL PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL, text TEXT NOT NULL, sentence TEXT, actor TEXT, modality TEXT, action TEXT,
        target TEXT, deadline TEXT, deadline_year INTEGER, has_quantity INTEGER NOT NULL,
        quantity_value DOUBLE PRECISION, quantity_unit TEXT, confidence DOUBLE PRECISION,
        start INTEGER, "end" INTEGER, region TEXT, year INTEGER,
        chars TSVECTOR NOT NULL, words TSVECTOR NOT NULL
    );
    CREATE INDEX commitments_article ON commitments(article_id);
    CREATE INDEX commitments_region_year ON commitments(region, year);
    CREATE INDEX commitments_year ON commitments(year);
    CREATE INDEX commitments_deadline ON commitments(deadline_year);
    CREATE INDEX commitments_actor ON commitments(actor);
    CREATE INDEX commitments_chars ON commitments USING GIN (chars);
    CREATE INDEX commitments_words ON commitments USING GIN (words);
    CREATE TABLE commitment_topics (
        label TEXT NOT NULL,
        commitment_id BIGINT NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
        PRIMARY KEY (label, commitment_id)
    );
    CREATE INDEX commitment_topics_commitment ON commitment_topics(commitment_id);
    CREATE TABLE indicators (
        id BIGSERIAL PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL, text TEXT NOT NULL, metric TEXT, value DOUBLE PRECISION,
        value_max DOUBLE PRECISION, unit TEXT, normalized_value DOUBLE PRECISION, base_unit TEXT,
        comparator TEXT, change TEXT, period TEXT, sentence TEXT, region TEXT, year INTEGER
    );
    CREATE INDEX indicators_article ON indicators(article_id);
    CREATE INDEX indicators_unit ON indicators(unit);
    CREATE INDEX indicators_region ON indicators(region, period);
    CREATE TABLE paragraph_fingerprints (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL, sha1 TEXT NOT NULL, PRIMARY KEY (article_id, paragraph)
    );
    CREATE INDEX paragraph_fingerprints_sha1 ON paragraph_fingerprints(sha1);
    """,
)


class PostgresStore:
    """Articles, commitments and indicators in a PostgreSQL database."""

    backend = "postgresql"

    def __init__(self, dsn: str) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise StoreError("the PostgreSQL store needs psycopg: pip install 'nlp-service[postgres]'") from exc
        self.dsn = dsn
        self._local = threading.local()
        self._migrate()

    def _conn(self):
        import psycopg
        from psycopg.rows import dict_row

        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            try:
                conn = psycopg.connect(self.dsn, row_factory=dict_row, autocommit=True)
            except psycopg.OperationalError as exc:
                raise StoreError(f"cannot connect to PostgreSQL: {exc}") from exc
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(7140661)")  # one migrator at a time
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) AS v FROM schema_version").fetchone()
            version = row["v"] or 0
            if version > len(MIGRATIONS):
                raise StoreError(f"database schema version {version}; this service knows up to {len(MIGRATIONS)}")
            for n, script in enumerate(MIGRATIONS[version:], version + 1):
                for stmt in script.split(";"):
                    if stmt.strip():
                        conn.execute(stmt)
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (n,))

    @property
    def schema_version(self) -> int:
        """The schema version reached."""
        return self._conn().execute("SELECT max(version) AS v FROM schema_version").fetchone()["v"]

    def reset(self) -> None:
        """Drop every table (tests only)."""
        conn = self._conn()
        with conn.transaction():
            for t in ("commitment_topics", "paragraph_fingerprints", "indicators", "commitments", "articles",
                      "schema_version"):
                conn.execute(f"DROP TABLE IF EXISTS {t} CASCADE")  # fixed names

    # -- writes ------------------------------------------------------------------------------
    def has_raw(self, raw_sha256: str) -> str | None:
        """The id of a stored article made from exactly this raw input, if any."""
        row = self._conn().execute("SELECT id FROM articles WHERE raw_sha256 = %s LIMIT 1", (raw_sha256,)).fetchone()
        return row["id"] if row else None

    def put_article(self, rec: ArticleRecord) -> PutResult:
        """Store one article: ``stored``, ``unchanged`` (same content) or ``replaced`` (same source id)."""
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (rec.id,))
            if rec.source_id is not None:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{rec.source}\x1f{rec.source_id}",))
            if conn.execute("SELECT 1 FROM articles WHERE id = %s", (rec.id,)).fetchone():
                if rec.raw_sha256:
                    conn.execute("UPDATE articles SET raw_sha256 = COALESCE(raw_sha256, %s) WHERE id = %s",
                                 (rec.raw_sha256, rec.id))
                return PutResult(rec.id, "unchanged")
            status = "stored"
            if rec.source_id is not None:
                old = conn.execute("SELECT id FROM articles WHERE source IS NOT DISTINCT FROM %s AND source_id = %s",
                                   (rec.source, rec.source_id)).fetchone()
                if old:
                    conn.execute("DELETE FROM articles WHERE id = %s", (old["id"],))
                    status = "replaced"
            self._insert(conn, rec)
        return PutResult(rec.id, status)

    @staticmethod
    def _insert(conn, rec: ArticleRecord) -> None:
        from psycopg.types.json import Jsonb

        conn.execute(
            "INSERT INTO articles (id, source, source_id, title, published, year, region, url, topics, result,"
            " ingested_at, raw_sha256) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (rec.id, rec.source, rec.source_id, rec.title, rec.published, rec.year, rec.region, rec.url,
             Jsonb(rec.topics), Jsonb(rec.result), datetime.now(UTC).isoformat(timespec="seconds"),
             rec.raw_sha256))
        cols = ", ".join(f'"{c}"' for c in COMMITMENT_COLUMNS)
        marks = ", ".join("%s" for _ in COMMITMENT_COLUMNS)
        for c in rec.commitments:
            cid = conn.execute(
                f"INSERT INTO commitments (article_id, region, year, {cols}, chars, words) VALUES "  # noqa: S608
                f"(%s,%s,%s,{marks}, to_tsvector('simple', %s), to_tsvector('simple', %s)) RETURNING id",
                (rec.id, rec.region, rec.year, *(c[k] for k in COMMITMENT_COLUMNS), c["chars"], c["words"]),
            ).fetchone()["id"]
            for t in c["topics"]:
                conn.execute("INSERT INTO commitment_topics (label, commitment_id) VALUES (%s, %s) "
                             "ON CONFLICT DO NOTHING", (t, cid))
        cols = ", ".join(f'"{c}"' for c in INDICATOR_COLUMNS)
        marks = ", ".join("%s" for _ in INDICATOR_COLUMNS)
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO indicators (article_id, region, year, {cols}) VALUES (%s,%s,%s,{marks})",  # noqa: S608
                            [(rec.id, rec.region, rec.year, *(x[k] for k in INDICATOR_COLUMNS))
                             for x in rec.indicators])
            cur.executemany("INSERT INTO paragraph_fingerprints (article_id, paragraph, sha1) VALUES (%s,%s,%s)",
                            [(rec.id, p, h) for p, h in rec.fingerprints])

    # -- reads -------------------------------------------------------------------------------
    def get_article(self, article_id: str) -> dict | None:
        """The stored article (metadata and the whole v1 result), or None."""
        row = self._conn().execute("SELECT * FROM articles WHERE id = %s", (article_id,)).fetchone()
        if row is None:
            return None
        return {k: row[k] for k in ("id", "source", "source_id", "title", "published", "year", "region", "url",
                                     "topics", "ingested_at", "result")}

    def tracking_articles(self, region: str | None = None) -> list[tuple[str, str | None, int]]:
        """(id, region, year) of every article with a year (of ``region`` when given), oldest first."""
        rows = self._conn().execute(
            "SELECT id, region, year FROM articles WHERE year IS NOT NULL"
            " AND (%(r)s::text IS NULL OR region = %(r)s) ORDER BY year, id", {"r": region}).fetchall()
        return [(r["id"], r["region"], r["year"]) for r in rows]

    def commitment_ids(self, article_ids: list[str]) -> dict[tuple[str, int], int]:
        """The stored id of each commitment of ``article_ids``, by (article id, position)."""
        rows = self._conn().execute("SELECT id, article_id, ord FROM commitments WHERE article_id = ANY(%s)",
                                    (list(article_ids),)).fetchall()
        return {(r["article_id"], r["ord"]): r["id"] for r in rows}

    def get_commitment(self, commitment_id: int) -> dict | None:
        """One stored commitment (its columns, article id, region and year), or None."""
        row = self._conn().execute("SELECT * FROM commitments WHERE id = %s", (commitment_id,)).fetchone()
        if row is None:
            return None
        return {k: v for k, v in dict(row).items() if k not in ("chars", "words")}

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        conn = self._conn()
        return {t: conn.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"]  # noqa: S608 (fixed names)
                for t in ("articles", "commitments", "indicators", "paragraph_fingerprints")}

    def search_commitments(self, q: CommitmentQuery, segmenter: Any) -> SearchPage:
        """Full-text match (characters; words for ranking), then filters, facets and one page."""
        conn = self._conn()
        terms = [char_tokens(t) for t in (q.q or "").split()]
        terms = [t for t in terms if t]
        if q.q and not terms:
            return SearchPage(hits=[], total=0, facets={f: {} for f in FACETS}, next_cursor=None)
        where, params = filter_sql(q, "%({})s", "strpos")
        if terms:
            phrase = " && ".join(f"phraseto_tsquery('simple', %(t{i})s)" for i in range(len(terms)))
            params.update({f"t{i}": t for i, t in enumerate(terms)})
            words = " ".join(sorted(set(word_tokens(q.q or "", segmenter).split())))
            # only placeholders are formatted in; every value is bound
            cte = (f"WITH m AS MATERIALIZED (SELECT id AS cid, -(ts_rank(chars, {phrase})"  # noqa: S608
                   " + 2.0 * ts_rank(words, to_tsquery('simple', %(wq)s))) AS r FROM commitments"
                   f" WHERE chars @@ ({phrase})) ")
            safe = sorted({"".join(ch for ch in w if ch.isalnum()) for w in words.split()} - {""})
            params["wq"] = " | ".join(f"'{w}'" for w in safe) or "''"
            base = f"{cte} SELECT c.*, m.r AS score FROM m JOIN commitments c ON c.id = m.cid WHERE {where}"  # noqa: S608
        else:
            base = ("SELECT c.*, -(COALESCE(c.year, 0) * 1e7 + c.id)::float8 AS score "  # noqa: S608
                    f"FROM commitments c WHERE {where}")
        total = conn.execute(f"SELECT count(*) AS n FROM ({base}) x", params).fetchone()["n"]  # noqa: S608
        facets = {}
        for name in ("region", "year"):
            rows = conn.execute(f"SELECT {name} AS k, count(*) AS n FROM ({base}) x GROUP BY k ORDER BY n DESC",  # noqa: S608
                                params).fetchall()
            facets[name] = {str(r["k"]): r["n"] for r in rows if r["k"] is not None}
        rows = conn.execute(f"SELECT t.label AS k, count(*) AS n FROM ({base}) x JOIN commitment_topics t"  # noqa: S608
                            " ON t.commitment_id = x.id GROUP BY k ORDER BY n DESC", params).fetchall()
        facets["topic"] = {r["k"]: r["n"] for r in rows}
        page_where = "TRUE"
        if q.cursor:
            try:
                last_score, last_id = json.loads(base64.urlsafe_b64decode(q.cursor.encode()))
            except (ValueError, TypeError) as exc:
                raise StoreError("invalid cursor") from exc
            page_where = "(score > %(ls)s OR (score = %(ls)s AND id > %(lid)s))"
            params.update(ls=float(last_score), lid=int(last_id))
        rows = conn.execute(f"SELECT * FROM ({base}) x WHERE {page_where} ORDER BY score, id LIMIT %(limit)s",  # noqa: S608
                            {**params, "limit": q.limit + 1}).fetchall()
        more = len(rows) > q.limit
        rows = rows[: q.limit]
        hits = self._hits(conn, rows, q.q)
        cursor = (base64.urlsafe_b64encode(json.dumps([rows[-1]["score"], rows[-1]["id"]]).encode()).decode()
                  if more and rows else None)
        return SearchPage(hits=hits, total=total, facets=facets, next_cursor=cursor)

    @staticmethod
    def _hits(conn, rows: list[dict], q: str | None) -> list[dict]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        topics: dict[int, list[str]] = {}
        for t in conn.execute("SELECT commitment_id, label FROM commitment_topics WHERE commitment_id = ANY(%s)",
                              (ids,)):
            topics.setdefault(t["commitment_id"], []).append(t["label"])
        arts = {a["id"]: a for a in conn.execute(
            "SELECT id, title, published, url, source, source_id FROM articles WHERE id = ANY(%s)",
            (sorted({r["article_id"] for r in rows}),))}
        return [hit(r, topics.get(r["id"], []), arts[r["article_id"]], q) for r in rows]

    def search_indicators(self, q: IndicatorQuery) -> SearchPage:
        """Indicators by metric (contains), unit, period, region; newest first."""
        where, params = ["TRUE"], {}
        for key, sql in (("metric", "strpos(i.metric, %(metric)s) > 0"), ("unit", "i.unit = %(unit)s"),
                         ("period", "i.period = %(period)s"), ("region", "i.region = %(region)s")):
            value = getattr(q, key)
            if value:
                where.append(sql)
                params[key] = value
        cond = " AND ".join(where)
        conn = self._conn()
        total = conn.execute(f"SELECT count(*) AS n FROM indicators i WHERE {cond}", params).fetchone()["n"]  # noqa: S608
        if q.cursor:
            try:
                params["cursor"] = int(base64.urlsafe_b64decode(q.cursor.encode()))
            except ValueError as exc:
                raise StoreError("invalid cursor") from exc
            cond += " AND i.id < %(cursor)s"
        rows = conn.execute(
            "SELECT i.*, a.title AS article_title, a.published AS article_published, a.url AS article_url "  # noqa: S608
            f"FROM indicators i JOIN articles a ON a.id = i.article_id WHERE {cond} ORDER BY i.id DESC "
            "LIMIT %(limit)s", {**params, "limit": q.limit + 1}).fetchall()
        more = len(rows) > q.limit
        rows = rows[: q.limit]
        hits = [{k: r[k] for k in ("id", *INDICATOR_COLUMNS, "region", "year")}
                | {"article": {"id": r["article_id"], "title": r["article_title"], "published": r["article_published"],
                               "url": r["article_url"]}} for r in rows]
        cursor = base64.urlsafe_b64encode(str(rows[-1]["id"]).encode()).decode() if more and rows else None
        return SearchPage(hits=hits, total=total, facets={}, next_cursor=cursor)
