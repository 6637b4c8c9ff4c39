"""What both Spark jobs share (archive dedup, ``nlp_service.dedup.spark``; ingest, ``nlp_service.store.spark_ingest``).

A session on a master, persisting with release, Arrow UDFs, and reading JSON Lines inputs as raw
lines with their line numbers — numbered as the local readers number them, so that both engines
report a bad line at the same ``file:line``. pyspark is an extra: this module imports it only where
used.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable
from functools import reduce
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession


def session(master: str, app: str) -> SparkSession:
    """A Spark session on ``master``; a local one runs this interpreter in its workers."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ImportError("the Spark engine needs pyspark (≥ 4.1): pip install 'nlp-service[spark]'") from exc
    local = master.startswith("local")
    if local:  # workers otherwise run "python3" from PATH, which need not have numpy or this package
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false"))
    if local:  # the default 200 shuffle partitions are 200 task start-ups per shuffle on one machine
        builder = builder.config("spark.sql.shuffle.partitions", str(max(4, 2 * (os.cpu_count() or 1))))
    return builder.getOrCreate()


def persist(df: DataFrame, held: list[DataFrame]) -> DataFrame:
    """Persist (memory, spilling to disk) and remember to release."""
    from pyspark import StorageLevel

    held.append(df.persist(StorageLevel.MEMORY_AND_DISK))
    return df


def arrow_udf(fn: Callable, schema: str) -> Callable[..., Column]:
    """An Arrow UDF (pyarrow arrays in and out; pyspark ≥ 4.1, no pandas)."""
    from pyspark.sql.functions import arrow_udf as make

    return make(fn, schema)  # type: ignore[call-overload]  # the stubs list fixed arities only


def lines_of(spark: SparkSession, paths: list[str]) -> DataFrame:
    """(fi, blk, mid, raw) of every line of every input: file, split start, position, bytes."""
    from pyspark.sql import functions as F

    if not paths:
        return spark.createDataFrame([], "fi int, blk long, mid long, raw binary")
    return reduce(lambda x, y: x.unionByName(y), [
        spark.read.text(path, lineSep="\n").select(  # "\n" only: a lone "\r" does not end a line locally either
            F.lit(fi).alias("fi"), F.col("_metadata.file_block_start").alias("blk"),
            F.monotonically_increasing_id().alias("mid"), F.col("value").cast("binary").alias("raw"))
        for fi, path in enumerate(paths)])


def line_numbers(spark: SparkSession, lines: DataFrame) -> DataFrame:
    """(fi, blk, base, last): line number = mid + base; last, the number of its file's last line.

    A split's rows are consecutive in its task (``monotonically_increasing_id`` counts them) and the
    splits of a file, by block start, cover it in order; only the counts go to the driver.
    """
    from pyspark.sql import functions as F

    splits = lines.groupBy("fi", "blk").agg(F.count("*").alias("rows"), F.min("mid").alias("first")).collect()
    before: Counter = Counter()
    bases = []
    for s in sorted(splits, key=lambda s: (s.fi, s.blk)):
        bases.append((s.fi, s.blk, before[s.fi] - s.first + 1))
        before[s.fi] += s.rows
    return spark.createDataFrame([(*x, before[x[0]]) for x in bases], "fi int, blk long, base long, last long")


def numbered_lines(spark: SparkSession, paths: list[str], held: list[DataFrame]) -> tuple[DataFrame, DataFrame]:
    """(fi, n, last, raw): every line with its 1-based number in its file; ``last`` marks a file's last line.

    Returned with the persisted lines behind it (also in ``held``): the input is read once and
    positions counted once; unpersist them once what is built on them is persisted.
    """
    from pyspark.sql import functions as F

    lines = persist(lines_of(spark, paths), held)
    n = F.col("mid") + F.col("base")
    return (lines.join(F.broadcast(line_numbers(spark, lines)), ["fi", "blk"])
            .select("fi", n.alias("n"), (n == F.col("last")).alias("last"), "raw")), lines
