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
