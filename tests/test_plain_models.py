"""The plain form of the scikit-learn models (models/plain.py): the same probabilities, no scikit-learn at load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from nlp_service.models import clauses, plain, topics
from nlp_service.models.artifacts import MODELS_DIR, ModelError, check_model, load_skops
from nlp_service.training.clauses import context
from nlp_service.training.clauses import load as load_clauses
from nlp_service.training.topics import load_split


def _inputs(name: str) -> list[str]:
    if name == "topics-sklearn":
        rows = [r for split in ("train", "test", "test-b") for r in load_split(split)]
        return [topics.model_input(r.get("title"), r["text"]) for r in rows]
    return [clauses.sklearn_input(context(r)) for r in load_clauses()]


@pytest.mark.parametrize("name", ["clauses-sklearn", "topics-sklearn"])
def test_plain_form_gives_the_skops_probabilities_on_every_labelled_row(name):
    trusted = clauses.SKOPS_TRUSTED if name.startswith("clauses") else topics.SKOPS_TRUSTED
    entry = check_model(name)
    assert f"{name}/model.json" in entry["files"] and f"{name}/model.npz" in entry["files"]
    reference = load_skops(MODELS_DIR / name / "model.skops", trusted)
    ours = plain.PlainTextClassifier(MODELS_DIR / name)
    docs = [*_inputs(name), "", "   ", "abc ABC\t x", "宁波\x1f\x1f"]
    assert len(docs) > 3_000
    np.testing.assert_allclose(ours.predict_proba(docs), reference.predict_proba(docs), rtol=0, atol=1e-12)
    assert list(ours.classes_) == list(reference.classes_)


def test_the_service_loads_no_scikit_learn():
    code = ("import sys; from nlp_service.pipeline import Pipeline; p = Pipeline.build(); "
            "print(sorted(m for m in ('sklearn', 'skops', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_changed_plain_file_is_refused(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(MODELS_DIR / "clauses-sklearn", models / "clauses-sklearn")
    shutil.copy(MODELS_DIR / "manifest.json", models / "manifest.json")
    meta = json.loads((models / "clauses-sklearn" / "model.json").read_text(encoding="utf-8"))
    meta["classes"] = meta["classes"][::-1]
    (models / "clauses-sklearn" / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="sha256"):
        clauses.SklearnClassifier(models / "clauses-sklearn", models)


def test_functions_outside_the_allowed_list_are_refused(tmp_path):
    shutil.copytree(MODELS_DIR / "clauses-sklearn", tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    meta["vectorizers"][0]["preprocessor"] = "os.system"
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="not allowed"):
        plain.PlainTextClassifier(tmp_path / "m")


@pytest.mark.parametrize("size", [0, 1, 7, 5000])
def test_code_table_finds_every_code_and_nothing_else(size):
    """The n-gram hash table: each stored code gives its feature, any other code -1, collisions included."""
    from nlp_service.models.char_ngrams import CodeTable

    rng = np.random.default_rng(size)
    codes = np.unique(rng.integers(1, 2**40, size * 2, dtype=np.uint64))[:size]
    rng.shuffle(codes)
    features = rng.permutation(size).astype(np.int64)
    table = CodeTable(codes, features)
    # codes that share a starting slot with a stored one (the probe must walk past them), and fresh ones
    others = np.setdiff1d(rng.integers(1, 2**40, 20000, dtype=np.uint64), codes)
    crowded = others[np.isin(table.slots(others), table.slots(codes))]
    queries = np.concatenate([codes, others, codes[::-1]])
    expected = dict(zip(codes.tolist(), features.tolist(), strict=True))
    assert table.lookup(queries).tolist() == [expected.get(c, -1) for c in queries.tolist()]
    if size == 5000:
        assert len(crowded) > 100  # the walk past an occupied slot was exercised
        assert (table.keys != CodeTable.EMPTY).sum() == size
