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

from conftest import SHARED

from nlp_service.dedup.archive import dedup
from nlp_service.dedup.minhash import Params
from nlp_service.dedup.spark import dedup_spark

needs_corpus = pytest.mark.skipif(not (SHARED / "corpus" / "gov-work-reports").exists(),
                                  reason="../shared/corpus is not beside the repo")
FULL = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz，。",
                     "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
                     "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ,.")
NUMERALS = set("0123456789零〇一二两三四五六七八九十百千万亿")
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
KINDS = ("exact", "format", "edit2", "edit5", "edit10", "para_insert", "para_delete", "truncated", "headline")
# lines both engines must skip (not JSON, not an object, no text, not UTF-8, cut short) or not read (blank)
BAD = [b"{not json\n", b"[1, 2]\n", b'{"id": "no-text", "body": "x"}\n', b'{"id": "bin", "text": "\xff\xfe"}\n',
       b"\n", b"   \n", b'{"id": "cut", "text": "a line cut short\n', b'{"text": "CONTENT NOTFOUND"}\n']


# ---- a synthetic archive with known copies, from real government documents (cf. bench_dedup_synthetic)

def _originals(rng: random.Random) -> list[str]:
    from nlp_service.training.corpus import SOURCES, documents

    out = []
    for group in SOURCES:
        for _, text, _ in documents(group):
            paras = [p.strip() for p in text.split("\n") if len(p.strip()) > 30]
            k = 0
            while k < len(paras):
                chunk: list[str] = []
                while k < len(paras) and sum(map(len, chunk)) < rng.randint(300, 1500):
                    chunk.append(paras[k])
                    k += 1
                if sum(map(len, chunk)) >= 300:
                    out.append("\n".join(chunk))
    rng.shuffle(out)
    seen, unique = set(), []
    for t in out:  # the corpus repeats passages itself: keep one
        key = re.sub(r"\W", "", t)[:200]
        if key not in seen:
            seen.add(key)
            unique.append(t)
    return unique


def _copy(text: str, kind: str, rng: random.Random, donor: str) -> str:
    paras = text.split("\n")
    if kind == "format":  # full-width digits and letters, other punctuation and spacing
        return "  ".join(p.translate(FULL) for p in paras)
    if kind.startswith("edit"):  # OCR-like scattered substitutions, figures untouched
        chars = list(text)
        spots = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff" and c not in NUMERALS]
        for i in rng.sample(spots, len(spots) * int(kind[4:]) // 100):
            chars[i] = rng.choice(HAN)
        return "".join(chars)
    if kind == "para_insert":
        at = rng.randint(0, len(paras))
        return "\n".join([*paras[:at], rng.choice(donor.split("\n")), *paras[at:]])
    if kind == "para_delete" and len(paras) > 2:
        del paras[rng.randrange(len(paras))]
        return "\n".join(paras)
    if kind == "truncated":
        return text[: int(len(text) * rng.uniform(0.6, 0.9))]
    if kind == "headline":
        return "新闻标题：" + donor[:20] + "\n" + text
    return text


def _templated(text: str, rng: random.Random) -> str:
    """Another year's report: every figure changed (must stay apart)."""
    return re.sub(r"\d+(?:\.\d+)?", lambda m: str(int(float(m.group()) * rng.uniform(1.2, 3)) + 1), text)


def _archive(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    base = _originals(rng)[: n // 4]
    texts = list(base)
    with_digits = [t for t in base if len(re.findall(r"\d", t)) >= 3]
    while len(texts) < n:
        t = rng.choice(base)
        if rng.random() < 0.9:
            texts.append(_copy(t, rng.choice(KINDS), rng, rng.choice(base)))
        else:
            texts.append(_templated(rng.choice(with_digits), rng))
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
    t0 = time.perf_counter()
    dedup(paths, tmp / f"local{suffix}", tmp / "local.json", Params(), **kw)
    t1 = time.perf_counter()
    dedup_spark(paths, tmp / f"spark{suffix}", tmp / "spark.json", Params(), spark=spark, **kw)
    t2 = time.perf_counter()
    local, spark_ = (json.loads((tmp / f"{x}.json").read_text(encoding="utf-8")) for x in ("local", "spark"))
    return local, spark_, t1 - t0, t2 - t1


COUNTS = ("read", "skipped", "documents", "too_short_to_compare", "exact_duplicates", "candidate_pairs",
          "candidate_pairs_rejected_by_alignment", "kept", "duplicates", "clusters")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYSPARK_PYTHON", sys.executable)  # the workers: this interpreter, with this package
        session = (SparkSession.builder.master("local[2]").appName("test-dedup-spark")
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "4")
                   # a JVM that lives a minute on two cores: C2 compilation would cost more than it saves
                   .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
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
