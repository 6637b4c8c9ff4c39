"""Ingest on Spark (``--engine spark``): the same store rows and counts as the local ingest, on 2,000+ articles."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a JVM: no java on PATH", allow_module_level=True)

from conftest import SHARED, corpus_documents

from nlp_service.settings import get_settings
from nlp_service.store import open_store
from nlp_service.store.ingest import ingest
from nlp_service.store.spark_ingest import ingest_spark, input_files

needs_corpus = pytest.mark.skipif(not (SHARED / "corpus" / "gov-work-reports").exists(),
                                  reason="../shared/corpus is not beside the repo")
ARTICLES = 2_100
# every kind of line the readers must report or skip, in both files
BAD = ["{broken json", json.dumps(["not", "an", "object"]), json.dumps({"id": "q", "question": "没有正文"}),
       json.dumps({"id": "latin", "text": "no chinese at all"}), "", "   "]


def _articles() -> list[dict]:
    """Short real articles: runs of 2–4 paragraphs of the corpus's government documents, in corpus order."""
    out: list[dict] = []
    for doc_id, text in corpus_documents():
        paras = [p.strip() for p in text.split("\n") if len(p.strip()) >= 30]
        for k in range(0, len(paras) - 1, 3):
            out.append({"id": f"{doc_id}#{k}", "title": paras[k][:20], "text": "\n\n".join(paras[k:k + 3])})
            if len(out) == ARTICLES:
                return out
    return out


def _archive(folder: Path) -> list[Path]:
    arts = _articles()
    assert len(arts) == ARTICLES
    half = ARTICLES // 2
    first = [json.dumps(a, ensure_ascii=False) for a in arts[:half]]
    first[10:10] = BAD
    first.append(json.dumps(arts[0], ensure_ascii=False))  # the same input again: unchanged
    changed = {**arts[1], "text": arts[1]["text"] + "\n\n今年将新增就业岗位一千个。"}
    first.append(json.dumps(changed, ensure_ascii=False))  # same file and id, new text: replaced
    second = [json.dumps(a, ensure_ascii=False) for a in arts[half:]]
    second[5:5] = BAD[:2]
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(first) + "\n", encoding="utf-8")
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(second))  # no newline at the end
    return [folder / "a.jsonl", folder / "missing.jsonl", folder / "b.jsonl.gz"]


def _rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    tables = {
        "articles": "SELECT id, source, source_id, title, published, year, region, url, topics, result, raw_sha256"
                    " FROM articles ORDER BY id",
        "commitments": "SELECT * FROM commitments ORDER BY id",
        "indicators": "SELECT * FROM indicators ORDER BY id",
        "fingerprints": "SELECT * FROM paragraph_fingerprints ORDER BY article_id, paragraph",
        "topics": "SELECT * FROM commitment_topics ORDER BY commitment_id, label",
    }
    return {name: conn.execute(sql).fetchall() for name, sql in tables.items()}


@needs_corpus
def test_spark_ingest_equals_the_local_one(tmp_path, pipeline):
    paths = _archive(tmp_path / "in")
    local_db, spark_db = tmp_path / "local.db", tmp_path / "spark.db"
    local = ingest(paths, open_store(f"sqlite:///{local_db}"), pipeline, progress=False)
    s = get_settings()
    spark = ingest_spark(paths, open_store(f"sqlite:///{spark_db}"), tmp_path / "parquet", tokenizer=s.tokenizer,
                         clause_model=s.clause_model, topic_model=s.topic_model, max_bytes=s.max_input_bytes,
                         master="local[2]")
    # 2,100 articles + 6 bad non-blank lines + a missing file + an exact repeat + a replacement
    assert local.counts == spark.counts
    assert local.counts["read"] == ARTICLES + 6 + 1 + 2
    # the repeat, and runs of paragraphs that two corpus documents share, are unchanged
    assert local.counts["unchanged"] >= 1 and local.counts["replaced"] == 1
    assert local.failures == spark.failures
    assert [w for w, _ in local.failures][:2] == [f"{paths[0]}:11", f"{paths[0]}:12"]
    ours, theirs = _rows(local_db), _rows(spark_db)
    assert len(ours["articles"]) >= 2_000 and len(ours["commitments"]) > 500 and len(ours["indicators"]) > 500
    for table in ours:
        assert ours[table] == theirs[table], table

    import pyarrow.parquet as pq

    commitments = pq.read_table(tmp_path / "parquet" / "commitments")
    arts = pq.read_table(tmp_path / "parquet" / "articles")
    assert arts.num_rows == local.counts["read"] - 1  # the missing file has no line
    # every extracted commitment is a Parquet row (the exact repeat is extracted twice, stored once)
    stored = {(r[1], r[3]) for r in ours["commitments"]}  # (article_id, text)
    assert {(a, t) for a, t in zip(commitments["article_id"].to_pylist(), commitments["text"].to_pylist(),
                                   strict=True)} >= stored


def test_text_files_are_for_the_local_engine(tmp_path):
    (tmp_path / "a.txt").write_text("宁波科技", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON Lines"):
        input_files([tmp_path])
    assert input_files([tmp_path / "b.jsonl", tmp_path / "nope.jsonl"]) == (
        [str(tmp_path / "b.jsonl")], [(1, str(tmp_path / "nope.jsonl"), "no such file or folder")])
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.jsonl", "b.pdf", "PROVENANCE.txt", "c.jsonl.gz"):
        (folder / name).write_bytes(b"")
    files, failing = input_files([folder])  # the local engine's walk: the same order, the same reasons
    assert files == [str(folder / "a.jsonl"), str(folder / "c.jsonl.gz")]
    assert [(k, Path(p).name) for k, p, _ in failing] == [(1, "b.pdf")] and "not an article file" in failing[0][2]
