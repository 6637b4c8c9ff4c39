"""Clause classifiers: the labelled data, loading with hash checks, the default being the best."""

import copy
import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlp_service.extract.commitments import LABELS, ClauseContext
from nlp_service.models.artifacts import verify
from nlp_service.models.clauses import (
    KINDS,
    MODELS_DIR,
    VERSION,
    ModelError,
    RulesClassifier,
    load_clause_classifier,
    record,
    record_excerpt_scores,
)
from nlp_service.settings import DEFAULT_CLAUSE_MODEL, SERVICE_MIN_CLAUSES_PER_SECOND

ROOT = Path(__file__).resolve().parents[1]
ITEMS = [ClauseContext("力争技术交易额突破900亿元。", "宁波将……，【力争技术交易额突破900亿元。】", heading="二、2024年重点工作",
                       kind="work-report", section="plan"),
         ClauseContext("全年技术交易额达到800亿元，", "【全年技术交易额达到800亿元，】增长12%。", heading="一、2023年工作回顾",
                       kind="work-report", section="review"),
         ClauseContext("联系电话：88499405", "【联系电话：88499405】", kind="notice", section="plan")]


def test_labelled_clauses_are_enough_and_double_labelled():
    rows = [json.loads(x) for x in (ROOT / "corpus/clauses/v2/clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 3600 and {r["label"] for r in rows} == set(LABELS)
    assert all(r["guide"] == "commitments-v2" for r in rows)
    new = [r for r in rows if r["id"].startswith(("n", "m"))]  # drawn under v2 (sample.jsonl, sample-N.jsonl)
    assert len(new) >= 1500  # beside the relabelled v1 ones
    assert len({r["kind"] for r in new}) >= 6


@pytest.mark.parametrize("kind", [k for k in KINDS if k == "rules" or (MODELS_DIR / KINDS[k] / "metrics.json").exists()])
def test_every_shipped_model_loads_and_labels(kind):
    clf = load_clause_classifier(kind)
    out = clf.predict(ITEMS)
    assert len(out) == len(ITEMS)
    assert all(label in LABELS and 0.0 < conf <= 1.0 for label, conf in out)
    if kind != "charbert":  # the under-trained char-BERT gets even this one wrong (see its model card)
        assert [label for label, _ in out] == ["commitment", "achievement", "other"]


def test_default_is_the_best_on_the_validation_excerpts_among_models_fast_enough_to_serve():
    f1 = {}
    for kind, name in KINDS.items():
        m = json.loads((MODELS_DIR / name / "metrics.json").read_text())
        if m["clauses_per_second"] >= SERVICE_MIN_CLAUSES_PER_SECOND:
            f1[kind] = m["excerpts"]["dev"]["all"]["f1"]
    assert DEFAULT_CLAUSE_MODEL == max(f1, key=f1.get)


def test_a_document_kind_has_its_own_commitment_threshold():
    clf = copy.copy(load_clause_classifier("sklearn"))  # the loaded one is shared by the process: set thresholds on a copy
    clause, sentence = "对出入人员进行体温检测，", "社区要求，【对出入人员进行体温检测，】"
    news, notice = (ClauseContext(clause, sentence, kind=k, section="none") for k in ("news", "notice"))
    p_news, p_notice = clf.commitment_probabilities([news, notice])
    clf.threshold = min(1.0, max(p_news, p_notice) + 0.01)  # above both
    clf.kind_thresholds = {"news": max(0.0, p_news - 0.01)}
    (news_label, news_conf), (notice_label, _) = clf.predict([news, notice])
    assert news_label == "commitment" and news_conf == pytest.approx(p_news)  # news: its own, lower threshold
    assert notice_label != "commitment"  # any other kind: the threshold of all kinds


def test_kind_thresholds_are_recorded_with_dev_figures_only(tmp_path):
    (tmp_path / "manifest.json").write_text('{"files": {}}')
    summary = {"all": {"f1": 0.9}}
    path = record_excerpt_scores("clauses-sklearn@9", {"dev": summary}, tmp_path, threshold=0.45,
                                 kind_thresholds={"news": 0.25})
    meta = json.loads(path.read_text())
    assert meta["commitment_threshold"] == 0.45 and meta["commitment_threshold_by_kind"] == {"news": 0.25}
    record_excerpt_scores("clauses-sklearn@9", {"test": summary}, tmp_path)
    with pytest.raises(ModelError, match="before the test split"):
        record_excerpt_scores("clauses-sklearn@9", {"dev": summary}, tmp_path, kind_thresholds={"news": 0.3})


def test_a_second_test_score_of_one_model_version_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text('{"files": {}}')
    summary = {"all": {"f1": 0.9}}
    record_excerpt_scores("clauses-rules@9", {"test": summary}, tmp_path)
    with pytest.raises(ModelError, match="once per model version"):
        record_excerpt_scores("clauses-rules@9", {"test": summary}, tmp_path)
    record_excerpt_scores("clauses-rules@9", {"dev": summary}, tmp_path)  # dev figures may be refreshed


def test_a_tampered_model_file_is_refused(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR / "clauses-sklearn", models / "clauses-sklearn")
    shutil.copy(MODELS_DIR / "manifest.json", models / "manifest.json")
    path = models / "clauses-sklearn" / "model.skops"
    verify(path, models)  # intact copy passes
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="differs"):
        load_clause_classifier("sklearn", models)


@pytest.mark.parametrize(("kind", "name"), [("sklearn", "metrics.json"), ("charbert", "config.json"),
                                            ("charbert", "metrics.json")])
def test_a_changed_config_or_metrics_file_is_refused(tmp_path, kind, name):
    """The threshold comes from metrics.json and the architecture from config.json: both are hash-checked."""
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR / KINDS[kind], models / KINDS[kind])
    shutil.copy(MODELS_DIR / "manifest.json", models / "manifest.json")
    path = models / KINDS[kind] / name
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["commitment_threshold" if name == "metrics.json" else "hidden_dropout_prob"] = 0.01
    path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="differs"):
        load_clause_classifier.__wrapped__(kind, models)


def test_every_model_file_belongs_to_a_checked_model():
    """Each file under models/<name>/ (cards aside) is in the manifest, and in a model entry whose
    loader checks it; only what nothing loads at run time stands alone: the char-BERT base and the
    rules' figures (the rules are code)."""
    manifest = json.loads((MODELS_DIR / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(MODELS_DIR).as_posix() for p in MODELS_DIR.glob("*/*") if p.suffix != ".md"}
    assert on_disk - set(manifest["files"]) == set()
    in_models = {f for m in manifest["models"].values() for f in m["files"]}
    alone = {f for f in on_disk - in_models if not f.startswith("charbert-gov-mlm/")}
    assert alone == {"clauses-rules/metrics.json"}
    assert {"clauses-sklearn", "clauses-charbert"} <= set(manifest["models"])


def test_model_versions_agree_between_code_metrics_and_manifest():
    metrics = {k: json.loads((MODELS_DIR / n / "metrics.json").read_text(encoding="utf-8")) for k, n in KINDS.items()}
    assert RulesClassifier().name == f"clauses-rules@{metrics['rules']['version']}" == f"clauses-rules@{VERSION}"
    manifest = json.loads((MODELS_DIR / "manifest.json").read_text(encoding="utf-8"))["models"]
    for kind in ("sklearn", "charbert"):
        assert load_clause_classifier(kind).name == f"{KINDS[kind]}@{metrics[kind]['version']}"
        assert manifest[KINDS[kind]]["metrics"]["version"] == metrics[kind]["version"]


def test_an_unlisted_file_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text('{"files": {}}')
    stray = tmp_path / "clauses-sklearn" / "model.skops"
    stray.parent.mkdir()
    stray.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not listed"):
        verify(stray, tmp_path)
    record([stray], tmp_path)
    assert verify(stray, tmp_path) == stray


def test_unknown_model_kind():
    with pytest.raises(ValueError, match="unknown clause model"):
        load_clause_classifier("gpt")


def test_skops_files_hold_plain_vocabularies_and_refuse_untrusted_types(tmp_path):
    import zipfile

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from nlp_service.models.artifacts import dump_skops, load_skops

    texts = ["力争引进人才", "全年引进人才", "加快建设实验室", "建成实验室三家"] * 3
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)),
                          LogisticRegression()).fit(texts, [1, 0, 1, 0] * 3)
    path = tmp_path / "m.skops"
    dump_skops(model, path)
    with zipfile.ZipFile(path) as z:  # one JSON vocabulary, not a numpy file per term
        assert sum(n.endswith(".npy") for n in z.namelist()) < 10
    again = load_skops(path, [])
    assert np.array_equal(again.predict_proba(texts), model.predict_proba(texts))
    import skops.io as sio

    sio.dump(FunctionTransformer(func=json.dumps), tmp_path / "bad.skops")
    with pytest.raises(ModelError, match="trusted list"):
        load_skops(tmp_path / "bad.skops", ["nlp_service.models.clauses.clause_part"])


@pytest.mark.parametrize("kind", ["clauses", "topics"])
def test_numpy_char_ngrams_give_the_vectorizers_own_matrix(kind):
    """models/char_ngrams.py counts character n-grams in numpy: the same TF-IDF matrix, to the bit,
    on every labelled row (clause inputs as the classifier sees them, topic paragraphs with titles)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp_service.models import char_ngrams
    from nlp_service.models.artifacts import load_skops, vectorizers

    if kind == "clauses":
        from nlp_service.models.clauses import SKOPS_TRUSTED, sklearn_input
        from nlp_service.training.clauses import context
        from nlp_service.training.clauses import load as load_rows

        name, docs = "clauses-sklearn", [sklearn_input(context(r)) for r in load_rows()]
    else:
        from nlp_service.models.topics import SKOPS_TRUSTED, model_input

        rows = [json.loads(x) for x in (ROOT / "corpus/topics/topics.jsonl").read_text(encoding="utf-8").splitlines()]
        name, docs = "topics-sklearn", [model_input(r.get("title"), r["text"]) for r in rows]
    # empty, blank, shorter than n, width and space runs, characters beyond the unigram table (CJK extension B)
    docs += ["", "  ", "a", "宁", "ＡＢ  c\u3000d", "\U00020000宁波\U00020bb7", "\U0001f600"]
    model = load_skops(MODELS_DIR / name / "model.skops", SKOPS_TRUSTED)
    chars = [v for v in vectorizers(model) if isinstance(v, TfidfVectorizer) and v.analyzer == "char"]
    assert chars
    for v in chars:
        expected = v.transform(docs)
        counter = char_ngrams.CharNgramCounter.from_vectorizer(v)
        counts = counter.counts(docs)
        for a, b in itertools.pairwise(counts.indptr):  # sorted, no duplicates: what the weighting assumes
            assert (np.diff(counts.indices[a:b]) > 0).all()
        got = v._tfidf.transform(counts, copy=False)
        assert (expected != got).nnz == 0
