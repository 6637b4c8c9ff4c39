"""The HTTP API: success, every error case as problem+json, and the server keeps serving."""

import json

import pytest
from fastapi.testclient import TestClient

from nlp_service.api.app import create_app
from nlp_service.settings import Settings

ARTICLE = "宁波科技创新交出了一份答卷。\n\n宁波科技创新交出了一份答卷。\n\n形成以宁\n\n波大学为龙头的体系，锻造战略科技力量。"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(max_input_bytes=10_000))) as c:
        yield c


def assert_problem(resp, status, code):
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == status and body["code"] == code and body["detail"]


def assert_still_serving(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.post("/v1/extract", json={"text": ARTICLE}).status_code == 200


def test_health_and_ready(client):
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_extract_json_returns_the_v1_contract(client):
    resp = client.post("/v1/extract", json={"text": ARTICLE, "id": "a1", "title": "标题", "published": "2024-02-01"})
    assert resp.status_code == 200
    body = resp.json()
    for key in ["id", "title", "clean_text", "paragraphs", "topics", "indicators", "slogans", "commitments",
                "entities", "meta"]:
        assert key in body
    assert body["id"] == "a1" and body["title"] == "标题"
    assert [p["status"] for p in body["paragraphs"]] == ["kept", "duplicate", "kept", "merged"]
    assert "形成以宁波大学为龙头的体系" in body["clean_text"]
    for p in body["paragraphs"]:
        if p["status"] == "kept":
            assert body["clean_text"][p["start"]:p["end"]] == p["text"]


def test_extract_body_is_the_bytes_the_standard_encoder_writes(client):
    """The orjson response writes what Starlette's json.dumps would: compact, UTF-8, the same floats."""
    r = client.post("/v1/extract", json={"text": "到2025年，全市研发投入强度达到3.2%以上，增长12.5%。宁波实施“强基登峰”工程。"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["indicators"] and body["meta"]["elapsed_ms"] > 0
    expected = json.dumps(body, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
    assert r.content == expected.encode("utf-8")
    from nlp_service.api.responses import FastJSONResponse

    counts = {2024: 3, "宁波": 1.5, None: True}  # keys that are not strings: written as json.dumps writes them
    assert FastJSONResponse(counts).body == json.dumps(counts, ensure_ascii=False, separators=(",", ":")).encode()


def test_extract_plain_text(client):
    resp = client.post("/v1/extract", content=ARTICLE.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert resp.status_code == 200 and resp.json()["clean_text"].startswith("宁波科技创新")


def test_extract_plain_text_in_gb18030_when_declared(client):
    resp = client.post("/v1/extract", content=ARTICLE.encode("gb18030"),
                       headers={"content-type": "text/plain; charset=gb18030"})
    assert resp.status_code == 200


def test_traditional_text_is_converted(client):
    resp = client.post("/v1/extract", json={"text": "政府工作報告。發展國民經濟的第一個五年計劃。"})
    body = resp.json()
    assert body["clean_text"] == "政府工作报告。发展国民经济的第一个五年计划。"
    assert body["meta"]["converted_to_simplified"] is True


def test_html_input(client):
    resp = client.post("/v1/extract", json={"text": "<html><body><h1>标题</h1><p>第一段内容。</p></body></html>"})
    body = resp.json()
    assert body["title"] == "标题" and "<p>" not in body["clean_text"]


@pytest.mark.parametrize("payload", [{"text": ""}, {"text": "   \n\u3000 "}])
def test_empty_text(client, payload):
    assert_problem(client.post("/v1/extract", json=payload), 422, "empty_text")
    assert_still_serving(client)


def test_empty_plain_body(client):
    assert_problem(client.post("/v1/extract", content=b"", headers={"content-type": "text/plain"}), 422, "empty_text")


def test_not_utf8_plain(client):
    resp = client.post("/v1/extract", content="宁波科技".encode("gbk"), headers={"content-type": "text/plain"})
    assert_problem(resp, 400, "not_utf8")
    assert_still_serving(client)


def test_not_utf8_json(client):
    body = b'{"text": "' + "宁波".encode("gbk") + b'"}'
    assert_problem(client.post("/v1/extract", content=body, headers={"content-type": "application/json"}),
                   400, "not_utf8")
    assert_still_serving(client)


def test_lone_surrogate_in_json(client):
    body = b'{"text": "\\ud800\\u5b81\\u6ce2"}'
    assert_problem(client.post("/v1/extract", content=body, headers={"content-type": "application/json"}),
                   400, "not_utf8")
    assert_still_serving(client)


def test_too_large(client):
    big = "宁波科技创新。" * 2000  # 42,000 bytes > 10,000
    assert_problem(client.post("/v1/extract", json={"text": big}), 413, "too_large")
    assert_problem(client.post("/v1/extract", content=big.encode(), headers={"content-type": "text/plain"}),
                   413, "too_large")
    assert_still_serving(client)


def test_no_chinese(client):
    assert_problem(client.post("/v1/extract", json={"text": "GDP grew 5.2% in 2023."}), 422, "no_chinese")
    assert_still_serving(client)


def test_malformed_json(client):
    resp = client.post("/v1/extract", content=b'{"text": ', headers={"content-type": "application/json"})
    assert_problem(resp, 400, "invalid_json")
    assert_still_serving(client)


@pytest.mark.parametrize("payload", [{"txt": "宁波"}, {"text": 5}, ["宁波"], {"text": "宁波", "published": "去年"}])
def test_invalid_request(client, payload):
    assert_problem(client.post("/v1/extract", content=json.dumps(payload).encode(),
                               headers={"content-type": "application/json"}), 422, "invalid_request")


def test_unsupported_media_type(client):
    resp = client.post("/v1/extract", content=b"x", headers={"content-type": "application/pdf"})
    assert_problem(resp, 415, "unsupported_media_type")


def test_unknown_route_is_a_problem_too(client):
    assert_problem(client.get("/v1/nothing"), 404, "http_404")


def test_openapi_documents_extract(client):
    spec = client.get("/openapi.json").json()
    assert "/v1/extract" in spec["paths"]
    assert "text/plain" in spec["paths"]["/v1/extract"]["post"]["requestBody"]["content"]
    assert client.get("/docs").status_code == 200


def test_extract_fills_slogans_commitments_entities(client):
    text = "新的一年，宁波将部署“科创甬江2035”重点研发计划项目200个以上，力争技术交易额突破900亿元。甬江实验室加快建设。"
    body = client.post("/v1/extract", json={"text": text, "published": "2024-01-20"}).json()
    assert {"text": "科创甬江2035", "kind": "campaign"}.items() <= body["slogans"][0].items()
    c = next(c for c in body["commitments"] if "900亿元" in c["text"])
    for key in ["text", "start", "end", "actor", "modality", "action", "target", "quantity", "deadline", "topics",
                "confidence"]:
        assert key in c
    assert body["clean_text"][c["start"]:c["end"]] == c["text"]
    assert c["quantity"]["value"] == 900 and c["deadline"] == "2024"
    assert any(e["text"] == "甬江实验室" and e["type"] == "ORG" for e in body["entities"])
    assert body["topics"] and body["meta"]["models"]["topics"].startswith("topics-")
    assert body["meta"]["models"]["commitments"].startswith("clauses-")


def test_write_routes_need_a_key_when_keys_are_set(tmp_path):
    import hashlib

    keys = f"first-key,sha256:{hashlib.sha256(b'second-key').hexdigest()}"
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", api_keys=keys)
    article = {"text": "到2025年，宁波力争引进顶尖人才100名。", "title": "宁波人才工作要点"}
    with TestClient(create_app(settings)) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic first-key"}):
            r = c.post("/v1/articles", json=article, headers=headers)
            assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["code"] == "unauthorized" and r.headers["www-authenticate"].startswith("Bearer")
        assert c.post("/v1/articles/batch", json={"items": [article]}).status_code == 401
        assert c.post("/v1/articles", json=article, headers={"Authorization": "Bearer first-key"}).status_code == 201
        ok = c.post("/v1/articles/batch", json={"items": [article]}, headers={"Authorization": "Bearer second-key"})
        assert ok.status_code == 200 and ok.json()["counts"]["unchanged"] == 1
        assert c.get("/v1/commitments", params={"q": "人才"}).json()["total"] == 1  # reads stay open
        assert c.post("/v1/extract", json=article).status_code == 200  # extraction writes nothing
        page = c.post("/analyse/save", data={"text": article["text"], "api_key": "wrong"})
        assert page.status_code == 401 and "API 密钥" in page.text and article["text"] in page.text
        assert 'name="api_key"' in c.post("/analyse", data={"text": article["text"]}).text


def test_reads_can_need_a_key_too(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", api_keys="k", api_keys_for_reads=True)
    with TestClient(create_app(settings)) as c:
        assert c.get("/v1/commitments").status_code == 401
        assert c.get("/v1/tracking").status_code == 401
        assert c.get("/v1/commitments", headers={"Authorization": "Bearer k"}).status_code == 200
        assert c.get("/search").status_code == 401 and c.get("/tracking").status_code == 401
        assert c.get("/").status_code == 200 and c.get("/healthz").status_code == 200


def test_serve_warns_beyond_loopback_without_keys():
    from nlp_service.cli import _loopback

    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.0.2.7") and not _loopback("example.org")


def test_metrics_hold_the_histograms_and_the_store(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'm.db'}")
    with TestClient(create_app(settings)) as c:
        assert c.post("/v1/extract", json={"text": "到2025年，宁波力争引进顶尖人才100名。"}).status_code == 200
        assert c.post("/v1/articles", json={"text": "宁波新建博士后工作站30家。"}).status_code == 201
        r = c.get("/v1/articles/nope", headers={"X-Request-ID": "trace-7"})
        assert r.status_code == 404 and r.headers["x-request-id"] == "trace-7"
        assert len(c.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["x-request-id"]) == 32
        text = c.get("/metrics").text
    assert 'nlps_http_requests_total{method="POST",route="/v1/extract",status="200"} 1.0' in text
    assert 'nlps_http_requests_total{method="GET",route="/v1/articles/{article_id}",status="404"} 1.0' in text
    assert 'nlps_http_request_seconds_bucket{le="0.5",method="POST",route="/v1/extract"}' in text
    assert 'nlps_component_seconds_count{component="commitments.v2"} 2.0' in text  # two articles extracted
    assert 'nlps_store_rows{table="articles"} 1.0' in text
    assert 'nlps_model_info{model="topics-sklearn@1",task="topics"} 1.0' in text


def test_slow_and_over_capacity_requests_get_503_and_the_worker_survives(tmp_path, monkeypatch):
    import time

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", max_concurrent_extractions=1,
                        max_queued_extractions=0, request_timeout=0.5)
    with TestClient(create_app(settings)) as c:
        pipe = c.app.state.pipeline
        real = pipe.extract

        def slow(text, **kw):  # an article that takes 1.5 s
            if "慢" in text:
                time.sleep(1.5)
            return real(text, **kw)

        monkeypatch.setattr(pipe, "extract", slow)
        r = c.post("/v1/extract", json={"text": "一篇很慢的文章。"})
        assert r.status_code == 503 and r.json()["code"] == "timeout" and int(r.headers["retry-after"]) > 0
        # its thread still holds the only slot, and the queue holds no one: answered at once, not queued
        t0 = time.perf_counter()
        busy = c.post("/v1/extract", json={"text": "宁波新建博士后工作站30家。"})
        assert busy.status_code == 503 and busy.json()["code"] == "overloaded" and busy.headers["retry-after"]
        assert time.perf_counter() - t0 < 0.5
        time.sleep(1.3)  # the slow thread ends and frees its slot
        assert c.post("/v1/extract", json={"text": "宁波新建博士后工作站30家。"}).status_code == 200


def test_long_queries_are_refused_and_cors_is_off_unless_set(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'q.db'}")
    with TestClient(create_app(settings)) as c:
        r = c.get("/v1/commitments", params={"q": "人才" * 101})
        assert r.status_code == 422 and r.json()["code"] == "invalid_query" and "at most 200" in r.json()["detail"]
        assert c.get("/v1/indicators", params={"metric": "x" * 201}).status_code == 422
        # found by fuzzing: a year beyond SQLite's integers was a 500
        huge = c.get("/v1/commitments", params={"deadline_after": 2**63})
        assert huge.status_code == 422 and "year" in huge.json()["detail"]
        assert c.get("/v1/commitments/9223372036854775808").status_code == 422
        assert c.get("/search", params={"q": "人才" * 101}).status_code == 422
        pre = c.options("/v1/extract", headers={"Origin": "https://news.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in pre.headers
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'q2.db'}",
                                        cors_origins="https://news.example"))) as c:
        pre = c.options("/v1/extract", headers={"Origin": "https://news.example", "Access-Control-Request-Method": "POST"})
        assert pre.headers["access-control-allow-origin"] == "https://news.example"
        other = c.options("/v1/extract", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


def test_the_issuer_given_acts_where_the_text_names_no_author(client):
    # an excerpt without its title or signature: the caller knows who issued it (its record's metadata)
    text = "一、重点任务\n\n（一）加快建设人工智能创新平台。\n\n（二）到2025年，培育10家以上领军企业。"
    plain = client.post("/v1/extract", json={"text": text}).json()
    given = client.post("/v1/extract", json={"text": text, "issuer": "科技部"}).json()
    assert {c["actor"] for c in plain["commitments"]} == {None}
    assert {c["actor"] for c in given["commitments"]} == {"科技部"}
    assert "issuer" in client.get("/openapi.json").json()["paths"]["/v1/extract"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]["properties"]
    # a text that names its author keeps it
    signed = "关于做好复工的通知\n\n各银行要加大信贷投放。 中国人民银行成都分行办公室\u00a0\u00a0 2020年2月1日"
    got = client.post("/v1/extract", json={"text": signed, "issuer": "国务院"}).json()
    assert [c["actor"] for c in got["commitments"]] == ["各银行"]
    assert_problem(client.post("/v1/extract", json={"text": text, "issuer": "局" * 201}), 422, "invalid_request")
