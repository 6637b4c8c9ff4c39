"""Components on request: only what a caller asks for runs, with what it requires."""

from __future__ import annotations

import json

import pytest

from nlp_service.cli import main
from nlp_service.contract import to_v1
from nlp_service.pipeline import TASKS, parse_tasks

TEXT = "到2025年，宁波力争引进顶尖人才100名，实施“强基登峰”工程。\n\n宁波市科技局加快建设实验室。"


def test_parse_tasks():
    assert parse_tasks(None) is None and parse_tasks(" ") is None
    assert parse_tasks("indicators, commitments,indicators") == ("indicators", "commitments")
    with pytest.raises(ValueError, match=r"unknown component.*choose from"):
        parse_tasks("indicators,sentiment")


def test_a_subset_runs_only_what_it_needs(pipeline):
    only = pipeline.for_tasks(("indicators",))
    assert only.component_names == ("normalize.v1", "paragraphs.v1", "repeats.exact.v1", "layout.v1",
                                     "repeats.near.v1", "assemble.v1", "sentences.v1", "words.v1", "year.v1",
                                     "indicators.v1")
    art = only.extract(TEXT)
    full = pipeline.extract(TEXT)
    assert art.indicators == full.indicators and art.clean_text == full.clean_text
    assert art.commitments == () and art.slogans == () and art.entities == () and art.topics == ()
    assert to_v1(art, 0.0)["meta"]["components"] == list(only.component_names)
    # commitments bring what they read: indicators, topics and the year
    names = pipeline.for_tasks(("commitments",)).component_names
    assert {"indicators.v1", "topics.v1", "year.v1", "commitments.v2"} <= set(names) and "slogans.v1" not in names
    assert pipeline.for_tasks(("commitments",)).extract(TEXT).commitments == full.commitments
    assert pipeline.for_tasks(None) is pipeline and pipeline.for_tasks(tuple(TASKS)).component_names == \
        pipeline.component_names


def test_api_components_parameter(tmp_path):
    from fastapi.testclient import TestClient

    from nlp_service.api.app import create_app
    from nlp_service.settings import Settings

    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}"))) as client:
        r = client.post("/v1/extract?components=slogans", content=TEXT.encode(),
                        headers={"content-type": "text/plain"})
        assert r.status_code == 200
        body = r.json()
        assert [s["text"] for s in body["slogans"]] == ["强基登峰"] and body["indicators"] == []
        assert "slogans.v1" in body["meta"]["components"] and "indicators.v1" not in body["meta"]["components"]
        bad = client.post("/v1/extract?components=sentiment", content=TEXT.encode(),
                          headers={"content-type": "text/plain"})
        assert bad.status_code == 422 and bad.json()["type"].endswith("invalid_parameter")


def test_cli_components_flag(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    assert main(["extract", str(f), "--json", "--components", "indicators"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["indicators"] and out["commitments"] == [] and "commitments.v2" not in out["meta"]["components"]
    assert main(["extract", str(f), "--components", "nothing"]) == 2
    assert "unknown component" in capsys.readouterr().err
