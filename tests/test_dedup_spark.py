"""Archive dedup, Spark engine (issue 7): the same clusters, output and report as the local engine."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a JVM: no java on PATH", allow_module_level=True)

from conftest import ROOT, SHARED

from nlp_service.dedup.archive import dedup
from nlp_service.dedup.minhash import Params
from nlp_service.dedup.spark import dedup_spark

needs_corpus = pytest.mark.skipif(not (SHARED / "corpus" / "gov-work-reports").exists(),
                                  reason="../shared/corpus is not beside the repo")
KINDS = ("exact", "format", "edit2", "edit5", "edit10", "ocr5", "ocr15", "para_insert", "para_delete", "truncated",
         "headline")  # ocr15: copies only the noisy-copy route finds
# lines both engines must skip (not JSON, not an object, no text, not UTF-8, cut short) or not read (blank)
BAD = [b"{not json\n", b"[1, 2]\n", b'{"id": "no-text", "body": "x"}\n', b'{"id": "bin", "text": "\xff\xfe"}\n',
       b"\n", b"   \n", b'{"id": "cut", "text": "a line cut short\n', b'{"text": "CONTENT NOTFOUND"}\n']


# ---- a synthetic archive with known copies, from real government documents: the benchmark's generator

def _bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_dedup_synthetic",
                                                  ROOT / "benchmarks" / "bench_dedup_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _archive(n: int, seed: int = 7) -> list[dict]:
    bench, rng = _bench(), random.Random(seed)
    base = bench.originals(n // 4, rng)
    texts = list(base)
    with_digits = [t for t in base if len(re.findall(r"\d", t)) >= 3]
    while len(texts) < n:
        t = rng.choice(base)
        if rng.random() < 0.9:
            texts.append(bench.copy_of(t, rng.choice(KINDS), rng, rng.choice(base)))
        else:
            texts.append(bench.templated(rng.choice(with_digits), rng))  # every figure changed: stays apart
    rng.shuffle(texts)
    return [{"id": f"d{i:05d}", "text": t, "meta": {"n": i, "src": "合成"}} for i, t in enumerate(texts)]


def _line(rec: dict, end: bytes = b"\n") -> bytes:
    return json.dumps(rec, ensure_ascii=False).encode() + end


def _write_inputs(tmp: Path, docs: list[dict]) -> list[Path]:
    """A .jsonl with odd lines spread among the records; a .jsonl.gz whose last line is cut, without newline."""
    a, b = tmp / "a.jsonl", tmp / "b.jsonl.gz"
    cut = len(docs) * 9 // 10
    extras = [*BAD,
              _line({"text": docs[0]["text"]}),  # a copy without id: named by file and line
              _line({"id": None, "text": docs[1]["text"]}, b"\r\n")]  # a null id, a CRLF line end
    every = cut // (len(extras) + 1)
    with a.open("wb") as fh:
        for i, d in enumerate(docs[:cut], 1):
            fh.write(_line(d))
            if i % every == 0 and i // every <= len(extras):
                fh.write(extras[i // every - 1])
    with gzip.open(b, "wb") as fh:
        fh.writelines(_line(d) for d in docs[cut:])
        fh.write(b'{"id": "truncated-at-eof", "text": "the archive was cut')
    return [a, b]


def _partition(report: dict, out: Path) -> set[frozenset[str]]:
    """Every document's cluster: the report's clusters (sets of ids), and each other kept record alone
    (by its id, or by its line when it has none: a default id is in the report only)."""
    clusters = {frozenset([c["representative"], *(m["id"] for m in c["members"])]) for c in report["clusters"]}
    reps = {c["representative"] for c in report["clusters"]}
    kept = {json.loads(x).get("id") or x for x in out.read_text(encoding="utf-8").splitlines()}
    return clusters | {frozenset([k]) for k in kept - reps}


def _run_both(tmp: Path, paths: list[Path], spark, suffix: str = ".jsonl", **kw) -> tuple[dict, dict, float, float]:
    params = Params()
    t0 = time.perf_counter()
    dedup(paths, tmp / f"local{suffix}", tmp / "local.json", params, **kw)
    t1 = time.perf_counter()
    dedup_spark(paths, tmp / f"spark{suffix}", tmp / "spark.json", params, spark=spark, **kw)
    t2 = time.perf_counter()
    local, spark_ = (json.loads((tmp / f"{x}.json").read_text(encoding="utf-8")) for x in ("local", "spark"))
    return local, spark_, t1 - t0, t2 - t1


COUNTS = ("read", "noisy_route_pairs", "skipped", "documents", "too_short_to_compare", "exact_duplicates", "candidate_pairs",
          "candidate_pairs_rejected_by_alignment", "kept", "duplicates", "clusters")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYSPARK_PYTHON", sys.executable)  # the workers: this interpreter, with this package
        session = (SparkSession.builder.master("local[2]").appName("test-dedup-spark")
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "4")
                   # a JVM that lives a minute on two cores: C2 compilation would cost more than it saves.
                   # The JVM outlives this session (py4j keeps it for the process): the Spark ingest test
                   # runs in it next, and once ran out of code cache for adapters; one unsegmented cache
                   .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
                           "-XX:-SegmentedCodeCache -XX:ReservedCodeCacheSize=256m")
                   .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return _archive(10_000)


@needs_corpus
def test_spark_clusters_equal_local_on_10k_documents(tmp_path: Path, spark, docs):
    paths = _write_inputs(tmp_path, docs)
    local, spark_, t_local, t_spark = _run_both(tmp_path, paths, spark)
    n = local["counts"]["documents"]
    print(f"\n{n} documents: local engine {t_local:.1f} s ({n / t_local:,.0f} docs/s), "
          f"Spark local[2] {t_spark:.1f} s ({n / t_spark:,.0f} docs/s); Spark stages {spark_['seconds']}")
    assert _partition(spark_, tmp_path / "spark.jsonl") == _partition(local, tmp_path / "local.jsonl")
    assert spark_["clusters"] == local["clusters"]  # representatives, members in order, kinds, similarities
    assert (tmp_path / "spark.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert spark_["skipped"] == local["skipped"]
    assert {k: spark_["counts"][k] for k in COUNTS} == {k: local["counts"][k] for k in COUNTS}
    assert spark_["params"] == local["params"]
    # not vacuous: many duplicates of every kind, and every bad line reported
    assert local["counts"]["duplicates"] > 500 and local["counts"]["clusters"] > 100
    assert local["counts"]["noisy_route_pairs"] > 0  # the 15%-noisy copies' own route ran in both
    assert {m["kind"] for c in local["clusters"] for m in c["members"]} == {"exact", "near", "contained"}
    assert len(local["skipped"]) == 6  # five bad lines and the cut last one; blank lines are not read
    assert local["counts"]["too_short_to_compare"] == 1  # CONTENT NOTFOUND
    assert sum(m["id"].startswith("a.jsonl:") for c in local["clusters"] for m in c["members"]) == 2


@needs_corpus
def test_spark_mark_and_keep_longest_equal_local(tmp_path: Path, spark, docs):
    paths = _write_inputs(tmp_path, docs[:800])
    local, spark_, _, _ = _run_both(tmp_path, paths, spark, suffix=".jsonl.gz", mark=True, keep="longest")
    with gzip.open(tmp_path / "local.jsonl.gz", "rt", encoding="utf-8") as fh:
        marked = fh.read()
    with gzip.open(tmp_path / "spark.jsonl.gz", "rt", encoding="utf-8") as fh:
        assert fh.read() == marked
    assert spark_["clusters"] == local["clusters"]
    assert spark_["skipped"] == local["skipped"]
    rows = [json.loads(x) for x in marked.splitlines()]
    assert sum(r["duplicate_of"] is not None for r in rows) == local["counts"]["duplicates"] > 50
    # keep="longest" mattered: some representative comes after a member of its cluster
    order = {r["id"]: i for i, r in enumerate(rows) if r.get("id")}
    assert any(order.get(m["id"], 1e9) < order.get(c["representative"], -1)
               for c in local["clusters"] for m in c["members"])


def test_spark_refuses_parquet_input_and_unknown_keep(tmp_path: Path):
    with pytest.raises(ValueError, match="JSON Lines"):
        dedup_spark([tmp_path / "a.parquet"], tmp_path / "o.jsonl", tmp_path / "r.json")
    with pytest.raises(ValueError, match="keep"):
        dedup_spark([tmp_path / "a.jsonl"], tmp_path / "o.jsonl", tmp_path / "r.json", keep="first")
