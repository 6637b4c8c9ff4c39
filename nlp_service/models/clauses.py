"""Clause classifiers (commitment / achievement / other): rules, scikit-learn, char-BERT.

All three take :class:`~nlp_service.extract.commitments.ClauseContext` objects and return, per
clause, ``(label, confidence)``. Trained artifacts live in ``models/<name>/``; every file a model
loads (weights, vocabulary, config and the metrics file its threshold comes from) is listed with its
sha256 in ``models/manifest.json`` together with the libraries that wrote it
(:func:`nlp_service.models.artifacts.check_model` refuses a file whose hash differs). The
scikit-learn model is stored with skops (no pickle; only the types listed in ``SKOPS_TRUSTED`` may
be rebuilt), the char-BERT as safetensors.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from nlp_service.extract.commitments import LABELS, ClauseContext, rule_label
from nlp_service.models.artifacts import MODELS_DIR, ModelError, check_model, record
from nlp_service.models.plain import load_text_classifier

SEP = "\x1f"  # joins clause and context into one string for the scikit-learn pipeline
# the version of the clause models trained from this code (the rules' version too: they are code);
# a test split is scored once per version (record_excerpt_scores)
VERSION = "46"
# the libraries whose versions a trained clause model records (artifacts.check_model compares them)
LIBRARIES = {"clauses-sklearn": ("scikit-learn", "skops", "numpy"),
             "clauses-charbert": ("torch", "transformers", "safetensors")}


class ClauseClassifier(Protocol):
    """Labels clauses."""

    name: str

    def predict(self, items: Sequence[ClauseContext]) -> list[tuple[str, float]]:
        """(label, confidence) per clause."""
        ...


# -- rules ---------------------------------------------------------------------------------------
class RulesClassifier:
    """Markers and section rules (``commitments.rule_label``); no training."""

    name = f"clauses-rules@{VERSION}"

    def predict(self, items: Sequence[ClauseContext]) -> list[tuple[str, float]]:
        """(label, confidence) per clause."""
        return [rule_label(c) for c in items]


# -- scikit-learn --------------------------------------------------------------------------------
def clause_part(text: str) -> str:
    """The clause of a ``clause SEP context`` string (a TfidfVectorizer preprocessor)."""
    return text.split(SEP, 1)[0]


def context_part(text: str) -> str:
    """The context of a ``clause SEP context SEP structure`` string (a TfidfVectorizer preprocessor)."""
    parts = text.split(SEP)
    return parts[1] if len(parts) > 1 else ""


def structure_part(text: str) -> str:
    """The structure tokens of a ``clause SEP context SEP structure`` string (kind=…, section=…, in_list …)."""
    parts = text.split(SEP)
    return parts[2] if len(parts) > 2 else ""


def sklearn_input(item: ClauseContext) -> str:
    """One string per clause: the clause, its context (tags, lead-in, heading, before, sentence, title), structure."""
    first, second = item.model_text()
    label, conf = rule_label(item)  # the rules' verdict is one more feature: the model learns how far to trust it
    return f"{first}{SEP}{second}{SEP}{' '.join(item.features())} rule={label} rule_{label}={conf}"


SKOPS_TRUSTED = [
    "nlp_service.models.clauses.clause_part",
    "nlp_service.models.clauses.context_part",
    "nlp_service.models.clauses.structure_part",
]


class SklearnClassifier:
    """TF-IDF character n-grams of clause and context, logistic regression (skops file)."""

    def __init__(self, model_dir: Path, models_dir: Path = MODELS_DIR) -> None:
        # every file (model.skops, its plain form, metrics.json with the threshold) hash-checked
        entry = check_model(model_dir.name, models_dir)
        self.model = load_text_classifier(model_dir, entry, SKOPS_TRUSTED)
        meta = json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))
        self.name = f"{model_dir.name}@{meta.get('version', '1')}"
        # chosen on the dev excerpts (``nlp-service eval --commitments --threshold T``); None: the likeliest label
        self.threshold: float | None = meta.get("commitment_threshold")
        # a document kind's own threshold (``--kind-threshold news=T``), chosen on dev or, where dev's read
        # documents flatter the model, on the held-back validation excerpts: the model's probabilities are
        # not calibrated alike across kinds (news items mostly report)
        self.kind_thresholds: dict[str, float] = dict(meta.get("commitment_threshold_by_kind", {}))

    def commitment_probabilities(self, items: Sequence[ClauseContext]) -> list[float]:
        """The model's probability of ``commitment`` for each clause, before any threshold."""
        if not items:
            return []
        c = [str(x) for x in self.model.classes_].index("commitment")
        return [float(row[c]) for row in self.model.predict_proba([sklearn_input(x) for x in items])]

    def predict(self, items: Sequence[ClauseContext]) -> list[tuple[str, float]]:
        """(label, confidence) per clause: ``commitment`` when its probability reaches its kind's threshold."""
        if not items:
            return []
        proba = self.model.predict_proba([sklearn_input(c) for c in items])
        classes = [str(c) for c in self.model.classes_]
        if self.threshold is None:
            return [(classes[int(row.argmax())], float(row.max())) for row in proba]
        c = classes.index("commitment")
        out = []
        for item, row in zip(items, proba, strict=True):
            if row[c] >= self.kind_thresholds.get(item.kind or "", self.threshold):
                out.append(("commitment", float(row[c])))
            else:
                k = max((k for k in range(len(classes)) if k != c), key=lambda k: row[k])
                out.append((classes[k], float(row[k])))
        return out


# -- char-BERT -----------------------------------------------------------------------------------
MAX_LEN = 160


class CharBertClassifier:
    """Our char-BERT, pretrained on the government corpus, fine-tuned on the clause labels."""

    def __init__(self, model_dir: Path, models_dir: Path = MODELS_DIR, threads: int | None = None) -> None:
        import torch
        from transformers import BertForSequenceClassification

        from nlp_service.models.charbert import CharVocab

        check_model(model_dir.name, models_dir)  # weights, vocabulary, config.json and metrics.json
        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        self.vocab = CharVocab.load(model_dir / "vocab.txt")
        self.model = BertForSequenceClassification.from_pretrained(model_dir, use_safetensors=True).eval()
        meta = json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))
        self.name = f"{model_dir.name}@{meta.get('version', '1')}"
        self.labels = [self.model.config.id2label[i] for i in range(len(LABELS))]

    def encode(self, items: Sequence[ClauseContext]):
        """Padded input ids and attention mask."""
        seqs = [self.vocab.encode_pair(*c.model_text(), MAX_LEN) for c in items]
        n = max(len(s) for s in seqs)
        ids = self.torch.zeros((len(seqs), n), dtype=self.torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = self.torch.tensor(s)
        return ids, (ids != 0).long()

    def predict(self, items: Sequence[ClauseContext], batch: int = 64) -> list[tuple[str, float]]:
        """(label, confidence) per clause."""
        out: list[tuple[str, float]] = []
        with self.torch.inference_mode():
            for k in range(0, len(items), batch):
                ids, att = self.encode(items[k:k + batch])
                proba = self.model(input_ids=ids, attention_mask=att).logits.softmax(-1)
                conf, idx = proba.max(-1)
                out.extend((self.labels[int(i)], float(c)) for i, c in zip(idx, conf, strict=True))
        return out


KINDS = {"rules": "clauses-rules", "sklearn": "clauses-sklearn", "charbert": "clauses-charbert"}


@lru_cache(maxsize=8)
def load_clause_classifier(kind: str, models_dir: Path = MODELS_DIR) -> ClauseClassifier:
    """The classifier selected by ``kind`` (``rules`` | ``sklearn`` | ``charbert``), loaded once per process."""
    if kind == "rules":
        return RulesClassifier()
    if kind == "sklearn":
        return SklearnClassifier(models_dir / KINDS[kind], models_dir)
    if kind == "charbert":
        return CharBertClassifier(models_dir / KINDS[kind], models_dir)
    raise ValueError(f"unknown clause model {kind!r}: choose one of {', '.join(KINDS)}")


def record_excerpt_scores(model: str, scores: dict | None, models_dir: Path = MODELS_DIR, *,
                          check_only: bool = False, threshold: float | None = None, split: str = "test",
                          kind_thresholds: dict[str, float] | None = None) -> Path:
    """Write excerpt figures (``{"dev"|"test": summary}``) into ``models/<name>/metrics.json``.

    ``model`` is ``name@version`` as the pipeline reports it. Each test split (``test``, ``test-b``)
    is scored once per model version: a second record of it for the same version is refused
    (retrain or bump the version first). ``check_only`` only asks whether a record of ``split``
    would be accepted.
    ``threshold`` (dev only, before any test record) stores the commitment threshold the figures
    were measured with, ``kind_thresholds`` the thresholds of the document kinds that have their own.
    """
    name, _, version = model.partition("@")
    path = models_dir / name / "metrics.json"
    meta = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"model": name, "version": version}
    for test_split in [split] if check_only else [s for s in (scores or {}) if s.startswith("test")]:
        done = meta.get("excerpts", {}).get(test_split)
        if done is not None and str(meta.get("version")) == version:
            raise ModelError(f"{model} already has {test_split} figures on the commitment excerpts "
                             f"(scored {done.get('scored')}); a test split is scored once per model version")
    if check_only:
        return path
    import datetime as dt

    stamp = dt.date.today().isoformat()
    excerpts = meta.setdefault("excerpts", {})
    for split, summary in (scores or {}).items():
        excerpts[split] = {**summary, "scored": stamp}
    if threshold is not None or kind_thresholds:
        if any(k.startswith("test") for k in [*(scores or {}), *excerpts]):
            raise ModelError("a commitment threshold is chosen on the dev excerpts, before the test split is scored")
        if threshold is not None:
            meta["commitment_threshold"] = threshold
        if kind_thresholds:
            meta["commitment_threshold_by_kind"] = dict(sorted(kind_thresholds.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if _listed(path, models_dir):
        record([path], models_dir)
    return path


def _listed(path: Path, models_dir: Path) -> bool:
    manifest = json.loads((models_dir / "manifest.json").read_text(encoding="utf-8"))
    return path.resolve().relative_to(models_dir.resolve()).as_posix() in manifest.get("files", {})
