r"""``nlp-service dedup --engine spark``: the document-level archive dedup of :mod:`.archive` on Spark.

Same input, output and report as the local engine (:func:`nlp_service.dedup.archive.dedup`) and the
same clusters: the same kernel (:mod:`nlp_service.dedup.minhash`) runs inside Spark tasks, every line
goes through the parser both engines share (:func:`nlp_service.dedup.records.parse_record`), the
report is written by the same :func:`nlp_service.dedup.report.write_report`, documents are ordered
as the local engine orders them, and candidate pairs follow the same bucket rule — the verifier is
not transitive, so equal clusters need equal candidate pairs, not only equal buckets. Both engines
offer the call :class:`nlp_service.dedup.engine.DedupEngine` declares.

Stages, and what runs them:

- **read + normalise**: each input through Spark's text source split at ``\n`` only (as the local
  reader splits bytes; ``.gz`` decompressed, large plain files split across tasks), the raw bytes
  kept (``value`` cast to binary: invalid UTF-8 reaches the parser, which reports it). A line's
  number is its split's offset in its file (one small aggregation over the file block starts,
  summed on the driver) plus its position in the split. An Arrow UDF parses and normalises.
  A document's index is ``file << 40 | line``: it orders documents as the local engine numbers them.
- **shingle + sign + band**: an Arrow UDF over record batches calls ``signatures`` and ``band_keys``;
  a text shorter than ``MIN_CHARS`` is signed as a NUL and its index, so that it matches nothing.
- **exact**: ``groupBy(normalised text)``; each later copy is paired with the first document of
  its text and, as in the local engine, not banded again.
- **candidate pairs**: (idx, band, key) rows of the other documents (``posexplode``),
  ``groupBy(band, key)``, each bucket's sorted member list expanded by SQL higher-order functions
  into (first, each other) and (consecutive members after the first), ``distinct`` over all bands.
- **verify**: the pairs joined with (idx, text, length, signature) on both sides; an Arrow UDF
  computes the estimate (share of equal bins) and calls ``verify``.
- **clusters**: connected components with DataFrames over the pairs ``minhash.components`` joins
  (exact, near, and each contained text to its containers of one story): min-label propagation with
  pointer jumping until the labels stop falling, each round checkpointed so that the plan does not
  grow with the rounds.
- **representative**: the smallest index of the component (earliest), or with ``keep="longest"``
  the maximum of (length of the normalised text, -index).
- **write**: the records (as read) and their representatives' ids are streamed to the driver in
  input order (``toLocalIterator``), which writes them with the writer both engines share
  (:class:`nlp_service.dedup.records.RecordWriter`: JSON Lines, ``.gz`` or Parquet by the name) and
  then the report.

Running it: ``master="local[*]"`` by default (every core here; the workers run the driver's
Python). On a cluster pass ``master="spark://host:7077"`` (or ``yarn``, ``k8s://…``;
``nlp-service dedup --engine spark --master …``): the inputs must be paths every executor can read
(``hdfs://``, ``s3a://``, a shared mount); the output and the report are written by the driver, on
its file system. The executors' Python needs numpy, pyarrow, this package and its dependencies
(install ``nlp-service`` there, or ship a zip of ``nlp_service`` with ``--py-files``). The UDFs are
``arrow_udf`` (pyspark ≥ 4.1, pyarrow only): ``mapInArrow`` would do the same, but pyspark refuses
to build it unless pandas is installed on the driver.

Memory: the executors cache, per document, the raw line, the normalised text, a signature of
``4 × num_perm`` bytes and ``8 × bands`` bytes of band keys (memory, spilling to disk); the verify
join shuffles both texts of every candidate pair. The driver holds the report (every cluster and
skipped line, as the local engine does) and one partition of output at a time, never the texts.
For a local master set ``spark.driver.memory`` (``spark-defaults.conf`` or ``PYSPARK_SUBMIT_ARGS``)
before the first session starts: it cannot change afterwards.

Where it differs from the local engine: JSON Lines input only (Parquet input raises); no
resuming (Spark recomputes a lost task instead); Hadoop drops a UTF-8 byte order mark at the start
of a file (the local engine reports that line as not JSON); whether a file ends with a newline is
not known, and the last line is parsed without one, so a file that ends with a newline right after
a line cut inside a string words that line's error differently; paths are Hadoop paths (glob
characters are globs; a file whose name starts with ``_`` or ``.`` is not read).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pyarrow as pa  # at module level: pyspark reads the UDFs' type hints (pa.Array) to tell an Arrow UDF

from nlp_service.dedup.minhash import (
    MIN_CHARS,
    NOISY_MAX_BUCKET,
    NOISY_THRESHOLD,
    NOISY_WINDOW,
    Params,
    band_keys,
    judge,
    noisy_params,
    signatures,
)
from nlp_service.dedup.records import RecordWriter, parse_record
from nlp_service.dedup.report import DedupReport, member, write_report
from nlp_service.spark_io import arrow_udf, numbered_lines, persist, session

if TYPE_CHECKING:  # pyspark is an extra: imported where used, so that this module imports without it
    from pyspark.sql import Column, DataFrame, SparkSession

ROWS_PER_TASK = 20_000  # documents or candidate pairs per task: many more tasks than cores evens out skew
LINE_BITS = 40  # a document's index is file << 40 | line number: 10^12 lines per file, 2^23 files
_BLANK, _SKIP, _OK = 0, 1, 2
def _bucket_pairs(window: int) -> str:
    """The SQL of ``minhash.candidate_pairs``' rule for a sorted bucket ``m`` (size > 1).

    (m0, mj) for j ≥ 1 and (mi, mi+d) for i ≥ 1 and 1 ≤ d ≤ ``window``.
    """
    parts = ["transform(slice(m, 2, size(m) - 1), x -> named_struct('a', m[0], 'b', x))"]
    for d in range(1, window + 1):
        n = f"greatest(size(m) - 1 - {d}, 0)"
        parts.append(f"zip_with(slice(m, 2, {n}), slice(m, {2 + d}, {n}), (x, y) -> named_struct('a', x, 'b', y))")
    return f"concat({', '.join(parts)})"


def dedup_spark(paths: Sequence[Path | str], out_path: Path, report_path: Path, params: Params | None = None, *,
                text_field: str = "text", id_field: str = "id", mark: bool = False, keep: str = "earliest",
                master: str = "local[*]", spark: SparkSession | None = None) -> DedupReport:
    """Run the Spark engine (see module docstring); ``spark`` reuses a session, else one is built on ``master``."""
    if keep not in ("earliest", "longest"):
        raise ValueError("keep must be earliest or longest")
    parquet = [str(p) for p in paths if str(p).endswith((".parquet", ".pq"))]
    if parquet:
        raise ValueError(f"the Spark engine reads JSON Lines only, not {', '.join(parquet)}")
    params = params or Params()
    spark_session = spark or session(master, "nlp-service-dedup")
    held: list[DataFrame] = []  # persisted, released at the end: a reused session outlives this run
    try:
        return _run(spark_session, [str(p) for p in paths], Path(out_path), Path(report_path), params, held,
                    text_field=text_field, id_field=id_field, mark=mark, keep=keep)
    finally:
        for df in held:
            df.unpersist()
        if spark is None:
            spark_session.stop()


def _run(spark: SparkSession, paths: list[str], out_path: Path, report_path: Path, params: Params,
         held: list[DataFrame], *, text_field: str, id_field: str, mark: bool, keep: str) -> DedupReport:
    from pyspark.sql import functions as F

    report = DedupReport()
    t0 = time.perf_counter()
    records, read, report.skipped = _read(spark, paths, text_field, id_field, held)
    n = records.count()
    signed = _sign(spark, records, n, params, held)
    t1 = time.perf_counter()
    exact = persist(_exact(records), held)
    n_exact = exact.count()
    # a copy is not banded again: it would find the pairs of the first document of its text
    pairs = persist(_candidate_pairs(signed.join(exact.select(F.col("b").alias("idx")), "idx", "left_anti"), params),
                    held)
    n_pairs = pairs.count()
    n_routed_only = pairs.where(~pairs.banded).count()  # pairs only the noisy-copy route proposed
    t2 = time.perf_counter()
    checked = _verify(spark, records, signed, pairs, n_pairs, params, held)
    rejected = checked.where(checked.kind.isNull() & (checked.estimate >= params.threshold)).count()
    comps = _components(_edges(checked, exact, held), held)
    t3 = time.perf_counter()
    dups = persist(_duplicates(comps, records, keep), held)
    report.clusters = _clusters(dups, records, signed, params)
    _write(records, dups, out_path, mark)
    t4 = time.perf_counter()
    c = report.counts  # in the local engine's order
    c["read"] = read
    if params.noisy:
        c["noisy_route_pairs"] = n_routed_only
    c["exact_duplicates"] = n_exact
    c["candidate_pairs"] = n_pairs
    c["candidate_pairs_rejected_by_alignment"] = rejected
    c["skipped"] = len(report.skipped)
    c["documents"] = n
    c["too_short_to_compare"] = records.where(records.nlen < MIN_CHARS).count()
    c["kept"] = n - sum(len(x["members"]) for x in report.clusters)
    c["duplicates"] = n - c["kept"]
    c["clusters"] = len(report.clusters)
    report.seconds = {"read+normalise+shingle+sign": round(t1 - t0, 2), "band": round(t2 - t1, 2),
                      "verify+cluster": round(t3 - t2, 2), "write": round(t4 - t3, 2)}
    write_report(report_path, report, params, master=spark.sparkContext.master)
    return report


def _first(frame: DataFrame) -> Any:
    """The first value of a one-row aggregate."""
    row = frame.first()
    assert row is not None, "an aggregate has one row"
    return row[0]


def _tasks(spark: SparkSession, rows: int) -> int:
    return max(3 * spark.sparkContext.defaultParallelism, math.ceil(rows / ROWS_PER_TASK))


# ---- read + normalise ------------------------------------------------------------------------------

def _parse_udf(paths: list[str], text_field: str, id_field: str) -> Callable[..., Column]:
    def parse(fi: pa.Array, n: pa.Array, last: pa.Array, raw: pa.Array) -> pa.Array:
        rows: list[tuple[int, str | None, object, object, int | None]] = []
        for f, line, end, data in zip(fi.to_pylist(), n.to_pylist(), last.to_pylist(), raw.to_pylist(), strict=True):
            # the local reader's line keeps its newline, and the JSON parser words an error at the end by it;
            # whether the file ends with one is not known here: its last line most often has none (cut short)
            got = parse_record(Path(paths[f]), line, data if end else data + b"\n", text_field, id_field)
            if got is None:
                rows.append((_BLANK, None, None, None, None))
            elif isinstance(got, dict):
                rows.append((_SKIP, json.dumps({**got, "file": paths[f]}, ensure_ascii=False), None, None, None))
            else:
                rows.append((_OK, None, got[1], got[2], len(got[2])))
        cols = list(zip(*rows, strict=True)) if rows else [()] * 5
        types = [pa.int8(), pa.string(), pa.string(), pa.string(), pa.int32()]
        return pa.StructArray.from_arrays([pa.array(c, t) for c, t in zip(cols, types, strict=True)],
                                          names=["status", "skip", "rid", "norm", "nlen"])

    return arrow_udf(parse, "status tinyint, skip string, rid string, norm string, nlen int")


def _read(spark: SparkSession, paths: list[str], text_field: str, id_field: str,
          held: list[DataFrame]) -> tuple[DataFrame, int, list[dict]]:
    """(records: idx, rid, norm, nlen, raw; lines read; skipped lines in input order)."""
    from pyspark.sql import functions as F

    numbered, lines = numbered_lines(spark, paths, held)
    parse = _parse_udf(paths, text_field, id_field)("fi", "n", "last", "raw")
    parsed = numbered.select("fi", "n", "raw", parse.alias("p"))
    parsed = persist(parsed.where(F.col("p.status") != _BLANK).select("fi", "n", "raw", "p.*"), held)
    read = parsed.count()
    lines.unpersist()
    skipped = [json.loads(r.skip) for r in sorted(parsed.where(parsed.status == _SKIP).select("fi", "n", "skip")
                                                  .collect())]
    records = parsed.where(parsed.status == _OK).select(
        F.shiftleft(F.col("fi").cast("long"), LINE_BITS).bitwiseOR(F.col("n")).alias("idx"), "rid", "norm", "nlen",
        "raw")
    return records, read, skipped


def _compared() -> Column:
    """The text as compared: a too-short one becomes a distinct dummy that can match nothing."""
    from pyspark.sql import functions as F

    return F.when(F.col("nlen") >= MIN_CHARS, F.col("norm")).otherwise(
        F.concat(F.lit("\x00"), F.col("idx").cast("string")))


# ---- shingle + sign + band --------------------------------------------------------------------------

def _sign_udf(params: Params) -> Callable[..., Column]:
    """Signature and band keys (and, with ``params.noisy``, those of the noisy-copy route) of each text."""

    def keyed(texts: list[str], p: Params) -> tuple[pa.Array, pa.Array]:
        sigs = signatures(texts, p.k, p.num_perm)
        keys = band_keys(sigs, p).view(np.int64)  # signed for Spark; a key is only ever compared for equality
        offsets = pa.array(np.arange(0, keys.size + 1, p.bands, dtype=np.int32))
        return (pa.array([s.tobytes() for s in sigs], pa.binary()),
                pa.ListArray.from_arrays(offsets, pa.array(keys.ravel(), pa.int64())))

    def sign(texts: pa.Array) -> pa.Array:
        rows = texts.to_pylist()
        sig, keys = keyed(rows, params)
        sig3, keys3 = keyed(rows, noisy_params(params.num_perm)) if params.noisy else (
            pa.nulls(len(rows), pa.binary()), pa.nulls(len(rows), pa.list_(pa.int64())))
        return pa.StructArray.from_arrays([sig, keys, sig3, keys3], names=["sig", "keys", "sig3", "keys3"])

    return arrow_udf(sign, "sig binary, keys array<bigint>, sig3 binary, keys3 array<bigint>")


def _sign(spark: SparkSession, records: DataFrame, n: int, params: Params, held: list[DataFrame]) -> DataFrame:
    """(idx, sig, keys) of every record."""
    # the input's partitions (one per .gz file) need not spread the kernel over the cores
    texts = records.select("idx", _compared().alias("t")).repartition(_tasks(spark, n))
    signed = persist(texts.select("idx", _sign_udf(params)("t").alias("s"))
                     .select("idx", "s.sig", "s.keys", "s.sig3", "s.keys3"), held)
    signed.count()
    return signed


# ---- candidate pairs, verify ------------------------------------------------------------------------

def _exact(records: DataFrame) -> DataFrame:
    """(a, b): each later copy b of a normalised text paired with its first document a.

    The local engine's exact stage; a text too short to compare is left out (it matches nothing).
    """
    from pyspark.sql import functions as F

    texts = records.where(records.nlen >= MIN_CHARS).select("idx", "norm")
    groups = texts.groupBy("norm").agg(F.sort_array(F.collect_list("idx")).alias("m")).where(F.size("m") > 1)
    return groups.select(F.explode(F.expr("transform(slice(m, 2, size(m) - 1), x -> named_struct('a', m[0], 'b', x))"))
                         .alias("p")).select("p.a", "p.b")


def _candidate_pairs(signed: DataFrame, params: Params) -> DataFrame:
    """(a, b, banded, routed) of the candidate pairs.

    banded: the 5-gram route proposed it; routed: the noisy-copy route vouches for it (as
    ``minhash.with_noisy_pairs``).
    """
    from pyspark.sql import functions as F

    def banded(keys: str, window: int, max_bucket: int = 0) -> DataFrame:
        buckets = (signed.select("idx", F.posexplode(keys).alias("band", "key"))
                   .groupBy("band", "key").agg(F.sort_array(F.collect_list("idx")).alias("m"))
                   .where((F.size("m") > 1) & ((F.size("m") <= max_bucket) if max_bucket else F.lit(True))))
        # copies share most of their bands: a member list recurs, expanded once
        return (buckets.select("m").distinct().select(F.explode(F.expr(_bucket_pairs(window))).alias("p"))
                .select("p.a", "p.b").distinct())

    pairs = banded("keys", 1).select("a", "b", F.lit(True).alias("banded"), F.lit(False).alias("routed"))
    if not params.noisy:
        return pairs
    sig3 = signed.select("idx", "sig3")
    route = (banded("keys3", NOISY_WINDOW, NOISY_MAX_BUCKET)
             .join(sig3.select(F.col("idx").alias("a"), F.col("sig3").alias("u")), "a")
             .join(sig3.select(F.col("idx").alias("b"), F.col("sig3").alias("v")), "b")
             .where(_same_bins_udf()("u", "v") >= NOISY_THRESHOLD)
             .select("a", "b", F.lit(False).alias("banded"), F.lit(True).alias("routed")))
    return pairs.unionByName(route).groupBy("a", "b").agg(F.max("banded").alias("banded"),
                                                          F.max("routed").alias("routed"))


def _same_bins_udf() -> Callable[..., Column]:
    def same(u: pa.Array, v: pa.Array) -> pa.Array:
        return pa.array([_same_bins(x, y) for x, y in zip(u.to_pylist(), v.to_pylist(), strict=True)], pa.float64())

    return arrow_udf(same, "double")


def _same_bins(u: bytes, v: bytes) -> float:
    """Share of equal bins of two signatures: the local engine's estimate, the same float."""
    return float((np.frombuffer(u, dtype=np.uint32) == np.frombuffer(v, dtype=np.uint32)).mean())


def _verify_udf(params: Params) -> Callable[..., Column]:
    def check(ta: pa.Array, tb: pa.Array, la: pa.Array, lb: pa.Array, sa: pa.Array, sb: pa.Array,
              routed: pa.Array) -> pa.Array:
        estimates, kinds = [], []
        for x, y, nx, ny, u, v, r in zip(ta.to_pylist(), tb.to_pylist(), la.to_pylist(), lb.to_pylist(),
                                         sa.to_pylist(), sb.to_pylist(), routed.to_pylist(), strict=True):
            est = _same_bins(u, v)
            estimates.append(est)
            # too short to compare: never clustered, whatever the dummies' signatures say
            kinds.append(judge(x, y, est, params, noisy_route=bool(r)) if min(nx, ny) >= MIN_CHARS else None)
        return pa.StructArray.from_arrays([pa.array(estimates, pa.float64()), pa.array(kinds, pa.string())],
                                          names=["estimate", "kind"])

    return arrow_udf(check, "estimate double, kind string")


def _verify(spark: SparkSession, records: DataFrame, signed: DataFrame, pairs: DataFrame, n_pairs: int,
            params: Params, held: list[DataFrame]) -> DataFrame:
    """(a, b, la, lb, estimate, kind) of every candidate pair; la, lb: the texts' lengths; kind null: no duplicate."""
    from pyspark.sql import functions as F

    side = records.select("idx", _compared().alias("t"), F.col("nlen").alias("l")).join(
        signed.select("idx", "sig"), "idx")
    a = side.select(F.col("idx").alias("a"), *(F.col(c).alias(f"{c}a") for c in ("t", "l", "sig")))
    b = side.select(F.col("idx").alias("b"), *(F.col(c).alias(f"{c}b") for c in ("t", "l", "sig")))
    # alignment is most of the run: a task count of our own, which adaptive execution will not coalesce
    joined = pairs.join(a, "a").join(b, "b").repartition(_tasks(spark, n_pairs))
    check = _verify_udf(params)("ta", "tb", "la", "lb", "siga", "sigb", "routed")
    checked = persist(joined.select("a", "b", "la", "lb", check.alias("v")).select(
        "a", "b", "la", "lb", "v.estimate", "v.kind"), held)
    checked.count()
    return checked


# ---- clusters, representatives ----------------------------------------------------------------------

def _edges(checked: DataFrame, exact: DataFrame, held: list[DataFrame]) -> DataFrame:
    """The pairs to join, chosen as ``minhash.components`` chooses them.

    Exact copies and near pairs; and each contained text (the shorter by (length, index)) joined to
    its first container — the one whose story (component of the exact and near pairs) is largest,
    then the earliest — and to every other container that forms a kept pair with that first one.
    A truncated lead inside both this year's report and last year's must not merge the two.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    kept = checked.where(checked.kind.isNotNull())
    joined = kept.where(kept.kind != "contained").select("a", "b").unionByName(exact)
    short_a = F.col("la") <= F.col("lb")  # a < b in every pair: on equal length a is the shorter
    contained = kept.where(kept.kind == "contained").select(
        F.when(short_a, F.col("a")).otherwise(F.col("b")).alias("s"),
        F.when(short_a, F.col("b")).otherwise(F.col("a")).alias("c"))
    comps = _components(joined, held)
    sizes = comps.groupBy("comp").agg(F.count("*").alias("size"))
    size_of = comps.join(sizes, "comp").select(F.col("idx").alias("c"), "size")
    ranked = contained.join(size_of, "c", "left").fillna({"size": 1})  # a container in no pair: a story of one
    order = Window.partitionBy("s").orderBy(F.col("size").desc(), F.col("c"))
    first = ranked.withColumn("r", F.row_number().over(order)).where("r = 1").select("s", F.col("c").alias("f"))
    pair_keys = kept.select(F.least("a", "b").alias("x"), F.greatest("a", "b").alias("y"))
    others = (contained.join(first, "s").where(F.col("c") != F.col("f"))
              .join(pair_keys, (F.least("c", "f") == F.col("x")) & (F.greatest("c", "f") == F.col("y")), "left_semi")
              .select("s", "c"))
    attached = first.select("s", F.col("f").alias("c")).unionByName(others)
    return joined.unionByName(attached.select(F.col("s").alias("a"), F.col("c").alias("b")))


def _truncate(df: DataFrame) -> DataFrame:
    """Materialise ``df`` and cut its lineage (a reliable checkpoint when a directory is set)."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _components(edges: DataFrame, held: list[DataFrame]) -> DataFrame:
    """(idx, comp) of every vertex of ``edges``; comp is the smallest index of its connected component.

    Each round a vertex takes the smallest of its neighbours' labels and its label's label (pointer
    jumping: a chain's labels travel twice as far each round; a label is never above its vertex, so
    the label's label covers the vertex's own). Labels only fall, and only to an index of the same
    component: the sum of the labels stops falling at the fixed point, where each component carries
    its smallest index.
    """
    from pyspark.sql import functions as F

    edges = _truncate(edges)  # a plan of its own: each round's plan is built, and matched against caches, anew
    adj = persist(edges.select(F.col("a").alias("v"), F.col("b").alias("u"))
                .union(edges.select(F.col("b").alias("v"), F.col("a").alias("u"))), held)
    labels = _truncate(adj.groupBy("v").agg(F.least(F.col("v"), F.min("u")).alias("label"))
                       .withColumnRenamed("v", "idx"))
    # indices reach 2^63 (file << 40): summed as decimals, which do not overflow
    total_of = F.sum(F.col("label").cast("decimal(38,0)"))
    total = _first(labels.agg(total_of))
    while True:
        seen = adj.join(labels.withColumnRenamed("idx", "u"), "u").select(F.col("v").alias("idx"), "label")
        hop = labels.alias("x").join(labels.alias("y"), F.col("x.label") == F.col("y.idx")).select("x.idx", "y.label")
        labels = _truncate(seen.unionByName(hop).groupBy("idx").agg(F.min("label").alias("label")))
        before, total = total, _first(labels.agg(total_of))
        if total == before:
            return labels.withColumnRenamed("label", "comp")


def _duplicates(comps: DataFrame, records: DataFrame, keep: str) -> DataFrame:
    """(rep, idx, comp, rep_rid) of every document that is not its cluster's representative."""
    from pyspark.sql import functions as F

    if keep == "longest":  # the local engine's max over (length, -index)
        best = (comps.join(records.select("idx", "nlen"), "idx").groupBy("comp")
                .agg(F.max(F.struct("nlen", (-F.col("idx")).alias("neg"))).alias("best")))
        comps = comps.join(best.select("comp", (-F.col("best.neg")).alias("rep")), "comp")
    else:
        comps = comps.withColumn("rep", F.col("comp"))
    rep_ids = records.select(F.col("idx").alias("rep"), F.col("rid").alias("rep_rid"))
    return comps.where(F.col("idx") != F.col("rep")).join(rep_ids, "rep")


MEMBER_FIELDS = (("kind", pa.string()), ("similarity", pa.float64()), ("reason", pa.string()))


def _member_udf(params: Params) -> Callable[..., Column]:
    def members(norm: pa.Array, rep_norm: pa.Array, sig: pa.Array, rep_sig: pa.Array) -> pa.Array:
        rows = [member("", x, r, _same_bins(u, v), params)  # the local engine's member, id joined later
                for x, r, u, v in zip(norm.to_pylist(), rep_norm.to_pylist(), sig.to_pylist(), rep_sig.to_pylist(),
                                      strict=True)]
        return pa.StructArray.from_arrays([pa.array([m[f] for m in rows], t) for f, t in MEMBER_FIELDS],
                                          names=[f for f, _ in MEMBER_FIELDS])

    return arrow_udf(members, "kind string, similarity double, reason string")


def _clusters(dups: DataFrame, records: DataFrame, signed: DataFrame, params: Params) -> list[dict]:
    """The report's clusters: ordered by their earliest document, members in input order."""
    from pyspark.sql import functions as F

    sigs = signed.select("idx", "sig")
    rows = (dups.join(records.select("idx", "rid", "norm"), "idx").join(sigs, "idx")
            .join(records.select(F.col("idx").alias("rep"), F.col("norm").alias("rep_norm")), "rep")
            .join(sigs.select(F.col("idx").alias("rep"), F.col("sig").alias("rep_sig")), "rep")
            .select("comp", "idx", "rid", "rep_rid",
                    _member_udf(params)("norm", "rep_norm", "sig", "rep_sig").alias("m")))
    clusters: list[dict] = []
    last = None
    for row in sorted(rows.collect()):  # the report holds them all anyway; (comp, idx) order
        if row.comp != last:
            last = row.comp
            clusters.append({"representative": row.rep_rid, "size": 1, "members": []})
        clusters[-1]["size"] += 1
        clusters[-1]["members"].append({"id": row.rid, "kind": row.m.kind, "similarity": row.m.similarity,
                                        "reason": row.m.reason})
    return clusters


# ---- write ------------------------------------------------------------------------------------------

def _write(records: DataFrame, dups: DataFrame, out_path: Path, mark: bool) -> None:
    """The output in input order through the writer both engines share.

    Every record with ``duplicate_of`` (mark), or the kept lines as they were read.
    """
    out = records.join(dups.select("idx", "rep_rid"), "idx", "left")
    if not mark:
        out = out.where(out.rep_rid.isNull())
    with RecordWriter(out_path) as writer:
        for row in out.select("idx", "raw", "rep_rid").orderBy("idx").toLocalIterator():  # a partition at a time
            writer.add({**orjson.loads(row.raw), "duplicate_of": row.rep_rid} if mark else bytes(row.raw))
