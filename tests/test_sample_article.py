"""The sample article, end to end through the CLI and the reference scorer."""

import json
import subprocess
import sys

from conftest import SAMPLE, SCORER, SEED_GOLD, needs_shared

pytestmark = needs_shared


def run_cli_json(tmp_path):
    out = tmp_path / "result.json"
    with out.open("w") as fh:
        subprocess.run([sys.executable, "-m", "nlp_service.cli", "extract", str(SAMPLE), "--json"],
                       stdout=fh, check=True)
    return out


def test_reference_scorer_dedup_and_joins(tmp_path):
    out = run_cli_json(tmp_path)
    scores = json.loads(subprocess.run([sys.executable, str(SCORER), str(SEED_GOLD), str(out)],
                                       capture_output=True, text=True, check=True).stdout)
    assert scores["dup_left"] == 0
    assert scores["dup_lost"] == 0
    assert scores["joins_repaired"] == "5/5"


def test_every_input_paragraph_has_a_status(tmp_path):
    result = json.loads(run_cli_json(tmp_path).read_text())
    raw_lines = [ln for ln in SAMPLE.read_text().splitlines() if ln.strip()]
    paras = result["paragraphs"]
    assert len(paras) == len(raw_lines)
    assert [p["index"] for p in paras] == list(range(len(paras)))
    for p in paras:
        assert p["status"] in {"kept", "duplicate", "merged"}
        if p["status"] == "kept":
            assert result["clean_text"][p["start"]:p["end"]] == p["text"]
        elif p["status"] == "duplicate":
            assert paras[p["duplicate_of"]]["status"] == "kept" and p["start"] is None
        else:
            assert paras[p["merged_into"]]["status"] == "kept"
            assert p["input_text"] in paras[p["merged_into"]]["text"]


def test_sample_structure(pipeline, sample_text):
    art = pipeline.extract(sample_text)
    assert art.title == "锻造高质量发展创新引擎 为实现高水平科技自立自强注入宁波力量"
    kinds = {p.index: p.duplicate_kind for p in art.input_paragraphs if p.status.value == "duplicate"}
    assert sorted(set(kinds.values())) == ["contained", "exact"]
    contained = next(p for p in art.input_paragraphs if p.duplicate_kind == "contained")
    assert contained.text.startswith("宁波东方理工大学（暂名）")
    target = art.input_paragraphs[contained.duplicate_of]
    assert "形成以宁" in target.text and target.status.value == "kept"
    displaced = [p for p in art.input_paragraphs if "displaced" in p.evidence]
    assert sorted(p.text[:3] for p in displaced) == ["放路”", "诊一问"]
    # the clean text reads: head + displaced tail
    assert "走好“开放路”：深化中东欧科技创新合作" in art.clean_text
    assert "市县对接问诊一问题办理一确认销账”闭环办理机制。" in art.clean_text


def test_raw_span_of_kept_text_points_into_the_input(pipeline, sample_text):
    art = pipeline.extract(sample_text)
    for p in art.paragraphs:
        if len(p.members) == 1:
            rs, re_ = art.raw_span(p.start, p.end)
            assert sample_text[rs:re_].replace("# ", "").strip() == p.text.strip() or p.text in sample_text[rs:re_]
