"""The store (SQLite), ingest and search: real extraction results, real queries."""

from __future__ import annotations

import gzip
import json
import os
import threading
from pathlib import Path

import pytest
from conftest import SAMPLE, needs_shared

from nlp_service.contract import to_v1
from nlp_service.store import CommitmentQuery, IndicatorQuery, StoreError, open_store
from nlp_service.store.ingest import ingest
from nlp_service.store.records import char_tokens, fts_phrase_query, highlight, to_record

ARTICLES = [
    ("宁波市科技局2024年工作要点", "2024-01-20",
     "2024年，宁波将力争引进顶尖人才100名，全社会研发投入增长10%。\n\n要加快建设甬江科创区，确保技术交易额突破900亿元。"),
    ("杭州市2025年人才工作实施方案", "2025-02-01",
     "到2027年，杭州力争新增高技能人才5万人。\n\n要完善养老服务体系，新建养老机构20家。"),
    ("国务院2023年政府工作报告", "2023-03-05",
     "2023年要确保粮食产量保持在1.3万亿斤以上。\n\n到2025年，力争建成高标准农田10亿亩。"),
]


PG_DSN = os.environ.get("NLPS_TEST_POSTGRES_DSN")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_DSN, reason="set NLPS_TEST_POSTGRES_DSN to run the PostgreSQL store tests (.ci/run starts a server)"))]


def _open(backend: str, tmp_path: Path):
    if backend == "sqlite":
        return open_store(f"sqlite:///{tmp_path / 'db' / 'test.db'}")
    from nlp_service.store.postgres import PostgresStore

    PostgresStore(PG_DSN).reset()
    return open_store(PG_DSN)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path):
    s = _open(request.param, tmp_path)
    yield s
    s.close()


def _article_rows(store) -> list[tuple[str, int, int]]:
    """(id, commitments in the stored result, commitment rows) of every stored article, in one read."""
    conn = store._conn()
    if store.backend == "sqlite":
        rows = conn.execute("SELECT a.id, a.result, (SELECT count(*) FROM commitments c WHERE c.article_id = a.id) "
                            "FROM articles a").fetchall()
        return [(r[0], len(json.loads(r[1])["commitments"]), r[2]) for r in rows]
    with conn.transaction():  # one snapshot
        rows = conn.execute("SELECT a.id, a.result, (SELECT count(*) FROM commitments c WHERE c.article_id = a.id) AS n"
                            " FROM articles a").fetchall()
    return [(r["id"], len(r["result"]["commitments"]), r["n"]) for r in rows]


def _put(store, pipeline, title, published, text, **kw):
    result = to_v1(pipeline.extract(text, title=title, published=published), 0.0, include_tokens=False)
    return store.put_article(to_record(result, pipeline.resources.segmenter, published=published, **kw)), result


def test_records_tokenise_and_file_the_pipelines_region_and_year(pipeline):
    assert char_tokens("人才，R&D") == "人 才 r d"
    assert fts_phrase_query("顶尖人才 2025") == '"顶 尖 人 才" AND "2025"'
    assert fts_phrase_query("，。") is None
    result = to_v1(pipeline.extract("到2025年，宁波力争引进顶尖人才100名。", title="宁波市科技局2024年工作要点"), 0.0)
    record = to_record(result, pipeline.resources.segmenter)
    assert (record.region, record.year) == (result["region"]["name"], result["year"]["value"]) == ("宁波", 2024)
    record = to_record(result, pipeline.resources.segmenter, region="杭州市", published="2025-01-20")
    assert (record.region, record.year) == ("杭州", 2025)  # the caller's region and date win
    older = {k: v for k, v in result.items() if k not in ("region", "year")}  # stored before they existed
    assert (to_record(older, pipeline.resources.segmenter).region, to_record(older, pipeline.resources.segmenter).year) == (None, None)
    assert highlight("引进顶尖人才和顶尖团队", "顶尖") == "引进<mark>顶尖</mark>人才和<mark>顶尖</mark>团队"


def test_schema_is_versioned_and_wal(store):
    if store.backend != "sqlite":
        assert store.schema_version == 1
        return
    assert store.schema_version == 2
    assert store._conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn().execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_put_get_unchanged_and_replaced(store, pipeline):
    title, published, text = ARTICLES[0]
    first, result = _put(store, pipeline, title, published, text, source="test", source_id="a1")
    assert first.status == "stored"
    again, _ = _put(store, pipeline, title, published, text, source="test", source_id="a1")
    assert again.status == "unchanged" and again.id == first.id
    stored = store.get_article(first.id)
    assert stored["region"] == "宁波" and stored["year"] == 2024 and stored["result"] == result
    n_before = store.counts()
    new, _ = _put(store, pipeline, title, published, text + "\n\n要新增高新技术企业500家。", source="test",
                  source_id="a1")
    assert new.status == "replaced" and new.id != first.id
    assert store.get_article(first.id) is None
    after = store.counts()
    assert after["articles"] == n_before["articles"] == 1
    assert after["commitments"] > n_before["commitments"]  # the old rows went, the new ones are all there
    assert store.search_commitments(CommitmentQuery(q="高新技术企业"), pipeline.resources.segmenter).total == 1


def test_search_two_character_query_finds_every_commitment_containing_it(store, pipeline):
    for title, published, text in ARTICLES:
        _put(store, pipeline, title, published, text)
    seg = pipeline.resources.segmenter
    everything = store.search_commitments(CommitmentQuery(limit=100), seg)
    for q in ("人才", "养老", "粮食", "顶尖人才"):
        expected = {h["id"] for h in everything.hits if q in h["text"]}
        page = store.search_commitments(CommitmentQuery(q=q, limit=100), seg)
        assert expected and {h["id"] for h in page.hits} == expected, q
        assert all(f"<mark>{q}</mark>" in h["snippet"] for h in page.hits)
    hit = store.search_commitments(CommitmentQuery(q="顶尖人才"), seg).hits[0]
    assert hit["article"]["title"] == ARTICLES[0][0] and hit["quantity"] == {"value": 100.0, "unit": "名"}
    assert hit["region"] == "宁波" and hit["year"] == 2024


def test_each_snippet_shows_its_own_commitment_inside_its_sentence(store, pipeline):
    for title, published, text in ARTICLES:
        _put(store, pipeline, title, published, text)
    hits = store.search_commitments(CommitmentQuery(limit=100), pipeline.resources.segmenter).hits
    assert len(hits) >= 5
    assert all(f"<b>{h['text']}</b>" in h["snippet"] for h in hits)
    # commitments of one sentence no longer share one snippet
    assert len({h["snippet"] for h in hits}) == len({(h["article"]["id"], h["start"]) for h in hits})


def test_filters_facets_and_cursor(store, pipeline):
    for title, published, text in ARTICLES:
        _put(store, pipeline, title, published, text)
    seg = pipeline.resources.segmenter
    all_hits = store.search_commitments(CommitmentQuery(limit=100), seg)
    assert all_hits.total == len(all_hits.hits) >= 6
    assert set(all_hits.facets["region"]) == {"宁波", "杭州", "全国"}
    by_region = store.search_commitments(CommitmentQuery(region="杭州", limit=100), seg)
    assert by_region.total == all_hits.facets["region"]["杭州"]
    assert all(h["region"] == "杭州" for h in by_region.hits)
    assert all(h["year"] == 2023 for h in store.search_commitments(CommitmentQuery(year=2023), seg).hits)
    late = store.search_commitments(CommitmentQuery(deadline_after=2027), seg)
    assert late.total >= 1 and all(int(h["deadline"][-4:]) >= 2027 for h in late.hits)
    with_qty = store.search_commitments(CommitmentQuery(has_quantity=True, limit=100), seg)
    assert with_qty.total >= 1 and all(h["quantity"] for h in with_qty.hits)
    topic, n = next(iter(all_hits.facets["topic"].items()))
    assert store.search_commitments(CommitmentQuery(topic=topic, limit=100), seg).total == n
    # pages of 2 cover everything once, in order
    seen, cursor = [], None
    while True:
        page = store.search_commitments(CommitmentQuery(limit=2, cursor=cursor), seg)
        seen += [h["id"] for h in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [h["id"] for h in all_hits.hits]
    with pytest.raises(StoreError, match="cursor"):
        store.search_commitments(CommitmentQuery(cursor="garbage!"), seg)
    with pytest.raises(StoreError, match="limit"):
        CommitmentQuery(limit=1000)


def test_indicators_lookup(store, pipeline):
    for title, published, text in ARTICLES:
        _put(store, pipeline, title, published, text)
    page = store.search_indicators(IndicatorQuery(unit="亿元"))
    assert page.total >= 1 and all(h["unit"] == "亿元" for h in page.hits)
    assert any(h["value"] == 900 for h in page.hits)
    assert all(h["region"] == "宁波" for h in store.search_indicators(IndicatorQuery(region="宁波")).hits)


def test_ingest_counts_reports_bad_lines_and_is_idempotent(tmp_path, store, pipeline, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLES[0][2], encoding="utf-8")
    (folder / "PROVENANCE.txt").write_text("not an article", encoding="utf-8")
    lines = [json.dumps({"id": "x1", "title": ARTICLES[1][0], "text": ARTICLES[1][2]}, ensure_ascii=False),
             "{broken json",
             json.dumps({"id": "x2", "question": "没有正文"}, ensure_ascii=False),
             json.dumps({"id": "x3", "text": "no chinese at all"}),
             json.dumps(["not", "an", "object"]),
             json.dumps({"id": "x4", "text": " "})]
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    (folder / "c.txt").write_bytes("宁波科技".encode("gbk"))
    report = ingest([folder], store, pipeline, progress=False)
    assert report.counts["read"] == 8
    assert report.counts["stored"] == 2 and report.counts["failed"] == 6
    where = dict(report.failures)
    assert "JSONDecodeError" in where[f"{folder / 'b.jsonl.gz'}:2"]
    assert "no text field" in where[f"{folder / 'b.jsonl.gz'}:3"]
    assert "no_chinese" in where[f"{folder / 'b.jsonl.gz'}:4"]
    assert "not a JSON object" in where[f"{folder / 'b.jsonl.gz'}:5"]
    assert "empty_text" in where[f"{folder / 'b.jsonl.gz'}:6"]  # a text field, but blank: not "no text field"
    assert "not UTF-8" in where[str(folder / "c.txt")]
    assert "skipped" in capsys.readouterr().err
    again = ingest([folder], store, pipeline, progress=False)
    assert again.counts["stored"] == 0 and again.counts["unchanged"] == 2 and again.counts["failed"] == 6


def test_parallel_ingest_stores_what_one_process_stores(tmp_path, pipeline):
    """Two forked workers extract, one process writes: the same rows, every record accounted for."""
    src = tmp_path / "many.jsonl"
    lines = [json.dumps({"id": f"d{i}", "title": title, "text": text + f"\n\n第{i}号补充说明：力争新增企业{i + 1}家。"},
                        ensure_ascii=False) for i, (title, _, text) in enumerate(ARTICLES * 12)]
    lines.insert(5, "{broken json")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = {}
    for workers in (1, 2):
        db = open_store(f"sqlite:///{tmp_path / f'w{workers}.db'}")
        report = ingest([src], db, pipeline, progress=False, workers=workers)
        c = report.counts
        assert c["read"] == len(lines) and c["read"] == c["stored"] + c["replaced"] + c["unchanged"] + c["failed"]
        assert c["failed"] == 1
        page = db.search_commitments(CommitmentQuery(limit=100), pipeline.resources.segmenter)
        rows[workers] = (db.counts(), page.total, sorted((h["article"]["source_id"], h["text"]) for h in page.hits))
        db.close()
    assert rows[1] == rows[2]


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_writers_and_readers_lose_nothing_and_see_no_partial_article(tmp_path, pipeline, backend):
    results = []
    for i in range(24):  # distinct articles, extracted up front (the test is about the store)
        title, published, text = ARTICLES[i % 3]
        art = pipeline.extract(text + f"\n\n第{i}条：要新增项目{i + 1}个。", title=title, published=published)
        results.append(to_record(to_v1(art, 0.0, include_tokens=False), pipeline.resources.segmenter))
    store = _open(backend, tmp_path)
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(k: int) -> None:
        try:
            for rec in results[k::4]:
                store.put_article(rec)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            store.close()

    def reader() -> None:
        try:
            while not done.is_set():
                for article_id, expected, rows in _article_rows(store):
                    assert rows == expected, f"partial article {article_id} visible"
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.close()

    readers = [threading.Thread(target=reader) for _ in range(3)]
    writers = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    for t in readers:
        t.join()
    assert errors == []
    counts = store.counts()
    assert counts["articles"] == len({r.id for r in results})
    assert counts["commitments"] == sum(len(r.commitments) for r in {r.id: r for r in results}.values())


@needs_shared
def test_sample_article_through_the_api(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from nlp_service.api.app import create_app
    from nlp_service.settings import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", max_batch_items=3)
    text = SAMPLE.read_text(encoding="utf-8")
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/articles", json={"text": text, "source": "sample", "source_id": "ningbo"})
        assert r.status_code == 201 and r.json()["status"] == "stored" and r.json()["region"] == "宁波"
        assert client.post("/v1/articles", json={"text": text}).json()["status"] == "unchanged"
        art = client.get(f"/v1/articles/{r.json()['id']}").json()
        assert art["result"]["topics"][0]["label"] == "科技创新"
        assert client.get("/v1/articles/nope").status_code == 404
        hits = client.get("/v1/commitments", params={"q": "技术交易额", "region": "宁波"}).json()
        assert hits["total"] >= 1 and "900亿元" in " ".join(h["text"] for h in hits["hits"])
        assert hits["facets"]["region"] == {"宁波": hits["total"]}
        assert client.get("/v1/indicators", params={"metric": "技术交易额"}).json()["total"] >= 1
        batch = client.post("/v1/articles/batch", json={"items": [
            {"text": ARTICLES[1][2], "title": ARTICLES[1][0]}, {"text": "   "}, {"text": "english only"}]}).json()
        assert batch["counts"] == {"stored": 1, "replaced": 0, "unchanged": 0, "failed": 2}
        assert [i["status"] for i in batch["items"]] == ["stored", "failed", "failed"]
        assert batch["items"][1]["error"]["code"] == "empty_text"
        too_many = client.post("/v1/articles/batch", json={"items": [{"text": "宁波"}] * 4})
        assert too_many.status_code == 413
        assert client.get("/v1/commitments", params={"cursor": "!!"}).status_code == 422


def test_search_metrics_recall_precision_ndcg():
    from nlp_service.store.evaluate import score_query

    def hit(text):
        return {"text": text, "article": {"source": "s", "source_id": "1"}}

    gold = {"qid": "x", "q": "人才", "judged": [
        {"source": "s", "source_id": "1", "text": t, "grade": g}
        for t, g in [("a", 2), ("b", 2), ("c", 1), ("d", 0)]]}
    perfect = score_query(gold, [hit("a"), hit("b"), hit("c"), hit("d")])
    assert perfect["recall@10"] == 1.0 and perfect["P@10"] == 0.2 and perfect["nDCG@10"] == pytest.approx(1.0)
    reversed_ = score_query(gold, [hit("d"), hit("c"), hit("b")])
    assert reversed_["recall@10"] == 0.5 and reversed_["nDCG@10"] < 0.7
    assert score_query(gold, [hit("zz")])["recall@10"] == 0.0


def test_search_gold_has_thirty_judged_queries_including_two_character_ones():
    gold = [json.loads(x) for x in (Path(__file__).resolve().parents[1] / "corpus" / "search_gold.jsonl")
            .read_text(encoding="utf-8").splitlines()]
    assert len(gold) >= 30 and len({g["qid"] for g in gold}) == len(gold)
    assert sum(len(g["q"]) == 2 for g in gold) >= 8
    for g in gold:
        assert g["judged"] and all(j["grade"] in (0, 1, 2) and j["text"] and j["source"] for j in g["judged"])
        assert any(j["grade"] == 2 for j in g["judged"]), g["qid"]


def test_tracking_reads_both_backends(store, pipeline):
    from test_tracking import EXPECTED_2030, REPORT_2030, REPORT_2031

    from nlp_service.tracking.service import as_json, tracked_targets

    ids = []
    for text, year in ((REPORT_2030, 2030), (REPORT_2031, 2031)):
        result = to_v1(pipeline.extract(text, published=str(year)), 0.0, include_tokens=False)
        ids.append(store.put_article(to_record(result, pipeline.resources.segmenter, region="江州",
                                               published=str(year))).id)
    rows = store.tracking_articles("江州")
    assert rows == [(ids[0], "江州", 2030), (ids[1], "江州", 2031)]
    assert store.tracking_articles("别处") == []
    items = as_json(tracked_targets(store, region="江州", year=2030), store)
    assert {x["commitment"]["figure"]: x["status"] for x in items} == {k: v[0] for k, v in EXPECTED_2030.items()}
    gdp = next(x for x in items if x["commitment"]["metric"] == "gdp_growth")
    row = store.get_commitment(gdp["commitment"]["id"])
    assert row["article_id"] == ids[0] and "地区生产总值增长6%左右" in row["text"] and row["year"] == 2030
    assert store.get_commitment(10**9) is None
    assert store.commitment_ids([ids[0]])[ids[0], row["ord"]] == gdp["commitment"]["id"]


def test_the_callers_id_is_kept_as_the_source_id_and_a_new_text_under_it_replaces_the_old(tmp_path):
    from fastapi.testclient import TestClient

    from nlp_service.api.app import create_app
    from nlp_service.settings import Settings

    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'i.db'}"))) as client:
        first = client.post("/v1/articles", json={"id": "x1", "text": ARTICLES[0][2]}).json()
        assert client.get(f"/v1/articles/{first['id']}").json()["source_id"] == "x1"
        batch = client.post("/v1/articles/batch", json={"items": [{"id": "x1", "text": ARTICLES[1][2]}]}).json()
        assert batch["items"][0]["status"] == "replaced"
        assert client.get(f"/v1/articles/{first['id']}").status_code == 404
        explicit = client.post("/v1/articles", json={"id": "x1", "source_id": "s1", "text": ARTICLES[0][2]}).json()
        assert client.get(f"/v1/articles/{explicit['id']}").json()["source_id"] == "s1"


def test_batch_items_fail_one_by_one(tmp_path):
    from fastapi.testclient import TestClient

    from nlp_service.api.app import create_app
    from nlp_service.settings import Settings

    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}"))) as client:
        store = client.app.state.store
        real_put = store.put_article

        def flaky(rec):  # a fault of the store for one article only
            if "故障" in rec.result["clean_text"]:
                raise RuntimeError("disk full")
            return real_put(rec)

        store.put_article = flaky
        batch = client.post("/v1/articles/batch", json={"items": [
            {"text": ARTICLES[0][2], "title": ARTICLES[0][0]},
            {"text": "宁波科技局发布通知。", "published": "last week"},  # malformed field
            "not an object",
            {"title": "no text"},
            {"text": "这篇文章写入时存储故障。"},
            {"text": ARTICLES[1][2], "title": ARTICLES[1][0]},
        ]})
        assert batch.status_code == 200, batch.text
        body = batch.json()
        assert [i["status"] for i in body["items"]] == ["stored", "failed", "failed", "failed", "failed", "stored"]
        assert [i.get("error", {}).get("code") for i in body["items"]] == [
            None, "invalid_request", "invalid_request", "invalid_request", "internal_error", None]
        assert "published" in body["items"][1]["error"]["detail"]
        assert body["counts"] == {"stored": 2, "replaced": 0, "unchanged": 0, "failed": 4}
        assert store.counts()["articles"] == 2


def test_ingest_reports_files_it_cannot_read(tmp_path, store, pipeline):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLES[0][2], encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "README.md").write_text("说明", encoding="utf-8")  # documentation: passed over
    report = ingest([folder], store, pipeline, progress=False)
    assert report.counts["read"] == 2 and report.counts["stored"] == 1 and report.counts["failed"] == 1
    assert report.failures[0][0].endswith("scan.pdf") and "not an article file (.pdf)" in report.failures[0][1]


def test_processes_that_open_a_new_sqlite_file_together_all_start(tmp_path):
    # the API's workers open one new file at once: each must find the schema made, once
    # (before: 'table articles already exists' or 'database is locked' in 4 of 5 such starts)
    import subprocess
    import sys
    import time

    from nlp_service.store.sqlite import MIGRATIONS, SQLiteStore

    code = ("import sys, time; from nlp_service.store.sqlite import SQLiteStore; "
            "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); SQLiteStore(sys.argv[1])")
    for trial in range(3):
        path = tmp_path / f"{trial}.db"
        start = time.time() + 2.0  # every process opens the file at this moment
        procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(start)], stderr=subprocess.PIPE)
                 for _ in range(8)]
        errors = [p.communicate()[1].decode(errors="replace")[-300:] for p in procs if p.wait() != 0]
        assert errors == []
        assert SQLiteStore(path).schema_version == len(MIGRATIONS)


def test_ingest_passes_a_records_issuer_to_the_commitments(tmp_path, pipeline):
    from nlp_service.store.ingest import parse_line

    text = "一、重点任务\n\n（一）加快建设人工智能创新平台。\n\n（二）到2025年，培育10家以上领军企业。"
    line = json.dumps({"id": "p1", "text": text, "publisher": "科技部"}, ensure_ascii=False)
    assert parse_line("f.jsonl", 1, line.encode()).issuer == "科技部"
    src = tmp_path / "in.jsonl"
    src.write_text(line + "\n", encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 'i.db'}")
    assert ingest([src], store, pipeline, progress=False).counts["stored"] == 1
    found = store.search_commitments(CommitmentQuery(actor="科技部"), pipeline.resources.segmenter)
    assert found.total == 2
