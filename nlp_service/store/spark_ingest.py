r"""``nlp-service ingest --engine spark``: extract an archive on Spark, write Parquet, load the store.

The same articles, rows and counts as the local ingest (:func:`nlp_service.store.ingest.ingest`):
every line goes through the parser both engines share (:func:`~nlp_service.store.ingest.parse_line`),
every article through the same pipeline and the same record builder
(:func:`~nlp_service.store.ingest.extract_item`), and the results reach the store through the same
one writer (:class:`~nlp_service.store.ingest.Loader`), in input order — so ``stored``,
``replaced``, ``unchanged`` and ``failed`` come out as the local engine counts them.

Stages:

- **read**: each JSON Lines input (``.jsonl``, ``.jsonl.gz``; folders are walked as the local engine
  walks them) through Spark's text source, split at ``\n``, each line numbered in its file
  (:func:`nlp_service.spark_io.numbered_lines`), then spread over ``tasks`` partitions (a small file
  is one split; the extraction is what costs).
- **extract**: an Arrow UDF parses each line, builds the pipeline once per Python worker (from the
  model names given, loaded and hash-checked there) and returns the record of the article or the
  reason it failed.
- **Parquet**: ``out/articles`` (one row per input line: file:line, status, error, the article's
  metadata, the v1 result and its rows as JSON), ``out/commitments`` and ``out/indicators`` (one
  row per commitment / indicator, with the article id, region and year: the tables an analyst
  reads with Spark, DuckDB or pandas).
- **load**: ``out/articles`` read back in input order (``toLocalIterator``: one partition at a time
  on the driver) into the store given (SQLite or PostgreSQL), through the one writer.

Running on a cluster: ``master="spark://…"`` (or ``yarn``, ``k8s://…``); the inputs and ``out``
must be paths every executor can read and write, and the executors' Python needs this package and
its models. Text and HTML files are read by the local engine only.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa  # at module level: pyspark reads the UDF's type hints (pa.Array) to tell an Arrow UDF

from nlp_service.settings import DEFAULT_SLOGAN_MODEL
from nlp_service.spark_io import arrow_udf, numbered_lines, persist, session
from nlp_service.store.ingest import (
    IngestReport,
    Item,
    Loader,
    extract_item,
    parse_line,
    progress_bar,
    too_large,
    walk,
)
from nlp_service.store.records import COMMITMENT_COLUMNS, INDICATOR_COLUMNS, ArticleRecord, raw_hash

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_BLANK, _FAILED, _OK = 0, 1, 2
ARTICLES_PER_TASK = 200  # an article costs ~10–50 ms: tasks of a few seconds
_FIELDS = ("status", "at", "error", "id", "source", "source_id", "title", "published", "year", "region", "url",
           "raw_sha256", "topics", "result", "commitments", "indicators", "fingerprints")
_SCHEMA = ("status tinyint, at string, error string, id string, source string, source_id string, title string, "
           "published string, year int, region string, url string, raw_sha256 string, topics string, result string, "
           "commitments string, indicators string, fingerprints string")
_TYPES = {"ord": "int", "deadline_year": "int", "has_quantity": "int", "start": "int", "end": "int",
          "quantity_value": "double", "confidence": "double", "value": "double", "value_max": "double",
          "normalized_value": "double"}
COMMITMENT_SCHEMA = ", ".join(f"`{c}` {_TYPES.get(c, 'string')}" for c in COMMITMENT_COLUMNS) + ", topics array<string>"
INDICATOR_SCHEMA = ", ".join(f"`{c}` {_TYPES.get(c, 'string')}" for c in INDICATOR_COLUMNS)

# the pipeline of this Python worker, built on its first batch (a worker process serves many tasks)
_PIPELINE: Any = None


def input_files(paths: Sequence[Path | str]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """(the JSON Lines files to read, in the local engine's order; the inputs that fail, as (position, path, reason)).

    A failing input (missing, or a file of a kind ingest does not read) is reported before the file
    at its position, as the local engine reports it.

    Raises:
        ValueError: a text or HTML input (the local engine reads those).

    """
    files: list[str] = []
    failing: list[tuple[int, str, str]] = []
    for path in map(Path, paths):
        found = walk(path) if path.is_dir() else [(path, None)]
        for f, reason in found:
            if reason is not None:
                failing.append((len(files), str(f), reason))
            elif not f.exists():
                failing.append((len(files), str(f), "no such file or folder"))
            elif not f.name.lower().endswith((".jsonl", ".jsonl.gz")):
                raise ValueError(f"the Spark engine reads JSON Lines (.jsonl, .jsonl.gz), not {f}; "
                                 "use --engine local for text and HTML files")
            else:
                files.append(str(f))
    return files, failing


def ingest_spark(paths: Sequence[Path | str], store: Any, out: Path | str, *, tokenizer: str, clause_model: str,
                 topic_model: str | None, max_bytes: int, master: str = "local[*]", progress: bool = False,
                 spark: SparkSession | None = None, slogan_model: str = DEFAULT_SLOGAN_MODEL) -> IngestReport:
    """Extract ``paths`` on Spark into Parquet under ``out``, then load ``store``; the counts and failures."""
    files, failing = input_files(paths)
    spark_session = spark or session(master, "nlp-service-ingest")
    held: list[DataFrame] = []
    report = IngestReport()
    loader = Loader(store, report, progress_bar(progress))
    try:
        _extract(spark_session, files, str(out), held, (tokenizer, clause_model, topic_model, slogan_model), max_bytes)
        _load(spark_session, str(out), failing, loader)
    finally:
        for df in held:
            df.unpersist()
        if spark is None:
            spark_session.stop()
    loader.close()
    return report


def _extract(spark: SparkSession, files: list[str], out: str, held: list[DataFrame],
             models: tuple[str, str, str | None, str], max_bytes: int) -> None:
    from pyspark.sql import functions as F

    numbered, lines = numbered_lines(spark, files, held)
    n_lines = lines.count()
    tasks = max(2 * spark.sparkContext.defaultParallelism, -(-n_lines // ARTICLES_PER_TASK))
    extracted = persist(numbered.repartition(tasks, "fi", "n")
                        .select("fi", "n", _extract_udf(files, models, max_bytes)("fi", "n", "raw").alias("a"))
                        .where(F.col("a.status") != _BLANK).select("fi", "n", "a.*"), held)
    extracted.write.mode("overwrite").parquet(f"{out}/articles")
    lines.unpersist()
    ok = extracted.where(extracted.status == _OK)
    for name, schema in (("commitments", COMMITMENT_SCHEMA), ("indicators", INDICATOR_SCHEMA)):
        rows = F.explode(F.from_json(name, f"array<struct<{schema}>>")).alias("r")
        table = ok.select(F.col("id").alias("article_id"), "region", "year", rows)
        table.select("article_id", "region", "year", "r.*").write.mode("overwrite").parquet(f"{out}/{name}")


def _extract_udf(files: list[str], models: tuple[str, str, str | None, str], max_bytes: int) -> Any:
    def extract(fi: pa.Array, n: pa.Array, raw: pa.Array) -> pa.Array:
        rows = [_row(files[f], line, data, models, max_bytes)
                for f, line, data in zip(fi.to_pylist(), n.to_pylist(), raw.to_pylist(), strict=True)]
        cols = list(zip(*rows, strict=True)) if rows else [()] * len(_FIELDS)
        types = [pa.int8()] + [pa.int32() if f == "year" else pa.string() for f in _FIELDS[1:]]
        return pa.StructArray.from_arrays([pa.array(c, t) for c, t in zip(cols, types, strict=True)],
                                          names=list(_FIELDS))

    return arrow_udf(extract, _SCHEMA)


def _row(source: str, n: int, raw: bytes, models: tuple[str, str, str | None, str], max_bytes: int) -> tuple:
    """One output row (as :data:`_FIELDS`) of one input line."""
    global _PIPELINE
    item = parse_line(source, n, raw)
    if item is None:
        return (_BLANK,) + (None,) * (len(_FIELDS) - 1)
    too_large(item, max_bytes)
    if item.error is not None or item.text is None:
        return _failed(item, item.error or "no text")
    if _PIPELINE is None:
        from nlp_service.pipeline import Pipeline, settle_heap

        _PIPELINE = Pipeline.build(*models)
        settle_heap()
    rec, error = extract_item(_PIPELINE, item, raw_hash(item.text))
    if error is not None:
        return _failed(item, error)
    d = dataclasses.asdict(rec)
    return (_OK, item.where, None, *(d[k] for k in _FIELDS[3:12]),
            *(json.dumps(d[k], ensure_ascii=False) for k in _FIELDS[12:]))


def _failed(item: Item, reason: str) -> tuple:
    return (_FAILED, item.where, reason) + (None,) * (len(_FIELDS) - 3)


def _record(row: Any) -> ArticleRecord:
    d = row.asDict()
    fields = {k: d[k] for k in _FIELDS[3:12]}
    loaded = {k: json.loads(d[k]) for k in _FIELDS[12:]}
    loaded["fingerprints"] = [tuple(x) for x in loaded["fingerprints"]]
    return ArticleRecord(**fields, **loaded)


def _load(spark: SparkSession, out: str, failing: list[tuple[int, str, str]], loader: Loader) -> None:
    """The extracted rows, in input order, through the one writer (failing inputs where they were named)."""
    pending = list(failing)

    def fail_inputs_before(file_index: float) -> None:
        while pending and pending[0][0] <= file_index:
            _, path, reason = pending.pop(0)
            loader.read()
            loader.fail(path, reason)

    for row in spark.read.parquet(f"{out}/articles").orderBy("fi", "n").toLocalIterator():
        fail_inputs_before(row.fi)
        loader.read()
        if row.status == _FAILED:
            loader.fail(row.at, row.error)
        elif not loader.stored_already(row.raw_sha256):
            loader.write(row.at, _record(row), None)
    fail_inputs_before(float("inf"))
