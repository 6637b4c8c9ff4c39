"""Topics (taxonomy.v1): chunking, aggregation, manifest checks, and the shipped models on real articles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlp_service.models.artifacts import MODELS_DIR, ModelError, check_model
from nlp_service.models.charbert import CLS, SEP, CharVocab
from nlp_service.models.topics import (
    KINDS,
    MAX_LEN,
    TAXONOMY,
    TITLE_CHARS,
    article_labels,
    chunk_ids,
    labels_of,
    load_topic_model,
)
from nlp_service.training.corpus import documents

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is not beside the repo")
NCP = "policy-docs/DataFountain-2020-NCP-policy-QA/policy_articles.jsonl"


def test_chunks_cover_the_whole_paragraph_within_the_model_positions():
    vocab = CharVocab(list("科技创新人才政策宁波市委员会"))
    text = "科技创新人才政策" * 60  # 480 characters
    title = "宁波市委员会" * 10
    chunks = chunk_ids(vocab, title, text)
    assert all(len(c) <= MAX_LEN and c[0] == CLS and c[-1] == SEP for c in chunks)
    bodies = [c[c.index(SEP) + 1:-1] for c in chunks]
    assert sum(map(len, bodies)) == len(text)
    assert all(c[1:c.index(SEP)] == vocab.encode(title)[:TITLE_CHARS] for c in chunks)
    assert chunk_ids(vocab, None, "")[0] == [CLS, SEP, SEP]


def test_article_labels_weight_paragraphs_by_length():
    science = np.zeros(len(TAXONOMY))
    science[TAXONOMY.index("科技创新")] = 0.9
    finance = np.zeros(len(TAXONOMY))
    finance[TAXONOMY.index("财政金融")] = 0.9
    labels = article_labels([science, finance], [900, 100], threshold=0.5)
    assert [x["label"] for x in labels] == ["科技创新"]
    assert labels[0]["score"] == pytest.approx(0.81)
    # nothing reaches the threshold: the best label still names the article
    assert [x["label"] for x in article_labels([science * 0.3], [10], 0.5)] == ["科技创新"]
    assert article_labels([], [], 0.5) == []
    assert [x["label"] for x in labels_of(science + finance * 0.6, 0.5)] == ["科技创新", "财政金融"]


@pytest.fixture()
def models_copy(tmp_path: Path) -> Path:
    name = KINDS["sklearn"]
    dst = tmp_path / "models"
    (dst / name).mkdir(parents=True)
    for f in (MODELS_DIR / name).iterdir():
        shutil.copy(f, dst / name / f.name)
    shutil.copy(MODELS_DIR / "manifest.json", dst / "manifest.json")
    return dst


def test_check_model_accepts_the_shipped_models():
    for name in KINDS.values():
        entry = check_model(name)
        assert entry["data_sha256"] and entry["libraries"]


def test_tampered_topic_model_is_refused(models_copy: Path):
    path = models_copy / KINDS["sklearn"] / "model.skops"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        load_topic_model("sklearn", models_copy)


def test_model_written_by_other_library_versions_is_refused(models_copy: Path):
    manifest = json.loads((models_copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["models"][KINDS["sklearn"]]["libraries"]["scikit-learn"] = "0.24.2"
    (models_copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2"):
        load_topic_model("sklearn", models_copy)


def test_metrics_from_other_data_are_refused(models_copy: Path):
    manifest = json.loads((models_copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["models"][KINDS["sklearn"]]["data_sha256"] = "0" * 64
    (models_copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="other data"):
        check_model(KINDS["sklearn"], models_copy)


def test_default_is_the_best_on_the_validation_slice_among_models_fast_enough_to_serve():
    """The choice reads validation figures and speeds only, never a test split."""
    from nlp_service.settings import DEFAULT_TOPIC_MODEL, SERVICE_MIN_PARAGRAPHS_PER_SECOND

    m = {kind: json.loads((MODELS_DIR / KINDS[kind] / "metrics.json").read_text()) for kind in KINDS}
    validation = {"sklearn": m["ensemble"]["val_members"][KINDS["sklearn"]],  # fitted on the same documents
                  "charbert": m["charbert"]["val_macro_f1"], "ensemble": m["ensemble"]["val_macro_f1"]}
    speed = {"sklearn": m["sklearn"]["paragraphs_per_second_batch"], "charbert": m["charbert"]["paragraphs_per_second_cpu"]}
    speed["ensemble"] = min(speed.values())  # it runs both
    fast = [k for k in KINDS if speed[k] >= SERVICE_MIN_PARAGRAPHS_PER_SECOND]
    assert fast and DEFAULT_TOPIC_MODEL == max(fast, key=validation.get)


def test_a_model_is_scored_on_test_once(tmp_path: Path):
    """--score-test refuses a char-BERT that already has test figures, or no record of its libraries."""
    from nlp_service.training.topics import data_hash, score_saved_charbert

    for name in ("config.json", "vocab.txt", "model.safetensors"):
        shutil.copy(MODELS_DIR / KINDS["charbert"] / name, tmp_path / name)
    shipped = json.loads((MODELS_DIR / KINDS["charbert"] / "metrics.json").read_text(encoding="utf-8"))
    (tmp_path / "metrics.json").write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(SystemExit, match="already has test figures"):
        score_saved_charbert(tmp_path)
    unscored = {k: v for k, v in shipped.items() if k not in ("test", "libraries")}
    unscored["data_sha256"] = data_hash()
    (tmp_path / "metrics.json").write_text(json.dumps(unscored), encoding="utf-8")
    with pytest.raises(SystemExit, match="which libraries"):
        score_saved_charbert(tmp_path)


def test_rescoring_refuses_a_model_fitted_on_other_train_rows(tmp_path: Path, monkeypatch):
    """New test gold may be scored without refitting; changed train rows may not."""
    import nlp_service.training.topics as training

    rows = [json.loads(x) for x in training.DATA.read_text(encoding="utf-8").splitlines()]
    test_row = next(r for r in rows if r["split"] == "test")
    test_row["labels"] = ["外交港澳台"]  # new test gold: the train rows' hash stays
    gold_only = tmp_path / "gold-only.jsonl"
    gold_only.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert training.train_hash(gold_only) == training.train_hash()
    next(r for r in rows if r["split"] == "train")["labels"] = ["外交港澳台"]
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert training.train_hash(changed) != training.train_hash()

    models = tmp_path / "models" / KINDS["sklearn"]
    models.mkdir(parents=True)
    shutil.copy(MODELS_DIR / KINDS["sklearn"] / "metrics.json", models / "metrics.json")
    monkeypatch.setattr(training, "DATA", changed)
    monkeypatch.setattr(training, "MODELS_DIR", tmp_path / "models")
    with pytest.raises(SystemExit, match="other train rows"):
        training.rescore()


def test_unknown_topic_model_is_a_clear_error():
    with pytest.raises(ValueError, match="choose one of"):
        load_topic_model("bert-large")


@pytest.fixture(scope="module")
def pipeline():
    from nlp_service.pipeline import Pipeline

    return Pipeline.build()


def _ncp(doc_id: str) -> tuple[str, str | None]:
    return next((t, title) for k, t, title in documents("ncp2020", SHARED) if k == f"{NCP}#{doc_id}")


@needs_corpus
def test_sample_article_is_about_science_and_innovation(pipeline):
    from nlp_service.contract import to_v1

    art = pipeline.extract((SHARED / "ningbo-sci-tech-2024.txt").read_text(encoding="utf-8"))
    body = to_v1(art, 0.0, include_tokens=False)
    assert body["topics"][0]["label"] == "科技创新"
    assert body["meta"]["models"]["topics"].startswith("topics-sklearn@")
    kept = [p for p in body["paragraphs"] if p["status"] == "kept"]
    assert sum(bool(p["topics"]) for p in kept) >= len(kept) // 2
    assert all(p["topics"] == [] for p in body["paragraphs"] if p["status"] != "kept")
    assert all(t["label"] in TAXONOMY and 0 <= t["score"] <= 1 for p in kept for t in p["topics"])
    with_topics = [c for c in body["commitments"] if c["topics"]]
    assert len(with_topics) >= len(body["commitments"]) // 2
    assert any("科技创新" in c["topics"] for c in with_topics)


@needs_corpus
@pytest.mark.parametrize(("doc_id", "expected"), [
    ("c12467d90b333d618611b9e766bc03ae", "财政金融"),  # 新冠肺炎疫情防控税收优惠政策指引
    ("8938370855d438d09e117cd3167bc843", "社会民生"),  # 关于开展新型冠状病毒感染的肺炎心理危机干预的通知
])
def test_epidemic_articles_get_the_domain_their_text_is_about(pipeline, doc_id, expected):
    text, title = _ncp(doc_id)
    art = pipeline.extract(text, title=title)
    assert art.topics[0]["label"] == expected


def test_pipeline_without_a_topic_model_leaves_topics_empty():
    from nlp_service.pipeline import Pipeline

    art = Pipeline.build(topic_model=None).extract("宁波加快建设甬江科创区，力争技术交易额突破900亿元。")
    assert art.topics == () and art.paragraph_topics == {}


def test_topic_words_are_jiebas_default_cut():
    """The fast analyzer must cut exactly as the jieba the models were trained with."""
    import jieba

    from nlp_service.models.topics import jieba_words

    rows = [json.loads(x) for x in (Path(__file__).resolve().parents[1] / "corpus" / "topics" / "topics.jsonl")
            .read_text(encoding="utf-8").splitlines()][::10]
    for r in rows:
        text = f"{r.get('title') or ''}｜{r['text']}"
        expected = [w for w in jieba.lcut(text)
                    if w.strip() and any("\u4e00" <= c <= "\u9fff" or c.isalnum() for c in w)]
        assert jieba_words(text) == expected, r["id"]
