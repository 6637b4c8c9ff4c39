"""Topic models (taxonomy.v1, multi-label): scikit-learn, char-BERT, their ensemble; article aggregation.

A topic model scores paragraphs: one probability per label of :data:`TAXONOMY`. A paragraph
carries every label whose score reaches the model's threshold (chosen on the train split, stored
in ``metrics.json``). An article's scores are the paragraph scores averaged with weights equal to
the paragraphs' lengths (characters), so that a long section on a theme outweighs a one-line
heading; its labels are those whose article score reaches the same threshold, plus always the
best-scoring label when the article has any text (a reader filtering by topic should find every
article under at least one).

Both models are loaded only after :func:`nlp_service.models.artifacts.check_model` has checked
their files' hashes, the library versions that wrote them and the data hash (see
``models/manifest.json``). This module imports neither jieba nor torch at import time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from nlp_service.document import TopicLabel
from nlp_service.models.artifacts import MODELS_DIR, check_model
from nlp_service.models.plain import load_text_classifier

TAXONOMY = ("宏观经济", "财政金融", "科技创新", "教育人才", "产业发展", "农业农村", "资源能源环境", "城乡建设与区域",
            "商贸开放", "社会民生", "改革治理", "安全国防", "外交港澳台", "政治建设")
MAX_LEN = 160  # char-BERT positions
TITLE_CHARS = 24  # how much of the document title the char-BERT reads before each chunk


@lru_cache(maxsize=1)
def _default_dictionary_segmenter():
    from nlp_service.segment.words import WordSegmenter

    return WordSegmenter("rjieba", entries=[])


# a word of a paragraph: a Han character or a letter or digit in it (the same test, code point by code point,
# as ``any("\u4e00" <= c <= "\u9fff" or c.isalnum() for c in w)``, which the models were trained with)
_WORDLIKE = re.compile(r"[\u4e00-\u9fff]|[^\W_]")


def _cut_words(text: str) -> list[str]:
    # a word of letters, digits or Han characters alone (most) passes without the pattern: isalnum is \w less _
    return [w for w in _default_dictionary_segmenter().cut(text) if w.isalnum() or _WORDLIKE.search(w)]


@lru_cache(maxsize=16)
def _title_words(title: str) -> tuple[str, ...]:
    return tuple(_cut_words(title))


def jieba_words(text: str) -> list[str]:
    """Words of a paragraph (a TfidfVectorizer analyzer; whitespace and punctuation dropped).

    jieba's cut with its default dictionary (no policy words: the models were trained on those
    cuts), computed by rjieba with our ASCII-run re-cut — identical words on all 2,976 labelled
    paragraphs (and, per ``benchmarks/bench_rjieba_parity.py``, on every corpus sentence) at about
    12× the speed of ``jieba.lcut``. The title before ``｜`` (:func:`model_input`) is cut once per
    document: ``｜`` always stands alone in a cut, so each side cut alone gives the same words.
    """
    title, bar, paragraph = text.partition("｜")
    if not bar:
        return _cut_words(text)
    return [*_title_words(title), *_cut_words(paragraph)]


def model_input(title: str | None, text: str) -> str:
    """Title and paragraph as one string, as the scikit-learn model reads them."""
    return f"{title or ''}｜{text}"


def chunk_ids(vocab, title: str | None, text: str, max_len: int = MAX_LEN) -> list[list[int]]:
    """``[CLS] title [SEP] chunk [SEP]`` id sequences covering the whole paragraph."""
    from nlp_service.models.charbert import CLS, SEP

    head = vocab.encode(title or "")[:TITLE_CHARS]
    body = vocab.encode(text)
    size = max_len - 3 - len(head)
    pieces = [body[k:k + size] for k in range(0, len(body), size)] or [[]]
    if len(pieces) > 1 and len(pieces[-1]) < size // 4:  # a short tail joins the chunk before it
        tail = pieces.pop()
        pieces[-1] = pieces[-1][len(tail):] + tail
    return [[CLS, *head, SEP, *p, SEP] for p in pieces]


def weighted_mean(scores, weights):
    """Row-weighted mean of a score matrix (numpy), or zeros when there are no rows."""
    import numpy as np

    scores = np.asarray(scores, dtype=float).reshape(-1, len(TAXONOMY))
    w = np.asarray(weights, dtype=float)
    if not len(scores) or w.sum() <= 0:
        return np.zeros(len(TAXONOMY))
    return (scores * w[:, None]).sum(0) / w.sum()


class TopicModel(Protocol):
    """Scores paragraphs against :data:`TAXONOMY`."""

    name: str
    threshold: float

    def scores(self, items: Sequence[tuple[str | None, str]]):
        """A [len(items), 14] numpy array of probabilities; items are (title, paragraph)."""
        ...


def _metrics(model_dir: Path) -> dict:
    return json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))


SKOPS_TRUSTED = ["nlp_service.models.topics.jieba_words"]


class SklearnTopicModel:
    """TF-IDF (jieba words + character n-grams), one-vs-rest logistic regression (skops file)."""

    def __init__(self, model_dir: Path, models_dir: Path = MODELS_DIR) -> None:
        entry = check_model(model_dir.name, models_dir)  # every file hash-checked, the plain form too
        self.model = load_text_classifier(model_dir, entry, SKOPS_TRUSTED)
        meta = _metrics(model_dir)
        self.name = f"{model_dir.name}@{meta['version']}"
        self.threshold = float(meta["threshold"])

    def scores(self, items: Sequence[tuple[str | None, str]]):
        """A [len(items), 14] array of probabilities."""
        import numpy as np

        if not items:
            return np.zeros((0, len(TAXONOMY)))
        return self.model.predict_proba([model_input(t, x) for t, x in items])


class CharBertTopicModel:
    """Our char-BERT fine-tuned for multi-label topics; a long paragraph is read in chunks."""

    def __init__(self, model_dir: Path, models_dir: Path = MODELS_DIR, threads: int | None = None) -> None:
        import torch
        from transformers import BertForSequenceClassification

        from nlp_service.models.charbert import CharVocab

        check_model(model_dir.name, models_dir)
        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        self.vocab = CharVocab.load(model_dir / "vocab.txt")
        self.model = BertForSequenceClassification.from_pretrained(model_dir, use_safetensors=True).eval()
        meta = _metrics(model_dir)
        self.name = f"{model_dir.name}@{meta['version']}"
        self.threshold = float(meta["threshold"])

    def scores(self, items: Sequence[tuple[str | None, str]], batch: int = 64):
        """A [len(items), 14] array of probabilities (chunk probabilities averaged by length)."""
        return predict_chunked(self.model, self.vocab, items, batch=batch)


def predict_chunked(model, vocab, items: Sequence[tuple[str | None, str]], batch: int = 64, device: str = "cpu"):
    """Paragraph probabilities of a char-BERT topic model: every chunk scored, length-weighted mean."""
    import numpy as np
    import torch

    seqs, owner = [], []
    for i, (title, text) in enumerate(items):
        for ids in chunk_ids(vocab, title, text):
            seqs.append(ids)
            owner.append(i)
    order = sorted(range(len(seqs)), key=lambda k: len(seqs[k]))  # similar lengths share a batch
    probs = np.zeros((len(seqs), len(TAXONOMY)))
    with torch.inference_mode():
        for k in range(0, len(order), batch):
            idx = order[k:k + batch]
            n = max(len(seqs[j]) for j in idx)
            batch_ids = torch.zeros((len(idx), n), dtype=torch.long)
            for r, j in enumerate(idx):
                batch_ids[r, : len(seqs[j])] = torch.tensor(seqs[j])
            batch_ids = batch_ids.to(device)
            logits = model(input_ids=batch_ids, attention_mask=(batch_ids != 0).long()).logits
            probs[idx] = torch.sigmoid(logits.float()).cpu().numpy()
    out = np.zeros((len(items), len(TAXONOMY)))
    lengths = np.array([len(s) for s in seqs], dtype=float)
    owner_arr = np.array(owner, dtype=int)
    for i in range(len(items)):
        m = owner_arr == i
        out[i] = weighted_mean(probs[m], lengths[m])
    return out


class EnsembleTopicModel:
    """The weighted mean of the scikit-learn and char-BERT scores.

    Weight and threshold were chosen on a validation slice of the train documents (``metrics.json``).
    """

    def __init__(self, model_dir: Path, models_dir: Path = MODELS_DIR) -> None:
        check_model(model_dir.name, models_dir)
        meta = _metrics(model_dir)
        self.members = [(load_topic_model(kind, models_dir), float(meta["members"][KINDS[kind]]))
                        for kind in ("sklearn", "charbert")]
        self.name = f"{model_dir.name}@{meta['version']}"
        self.threshold = float(meta["threshold"])

    def scores(self, items: Sequence[tuple[str | None, str]]):
        """A [len(items), 14] array: the members' probabilities, weighted."""
        return sum(w * m.scores(items) for m, w in self.members)


KINDS = {"sklearn": "topics-sklearn", "charbert": "topics-charbert", "ensemble": "topics-ensemble"}


@lru_cache(maxsize=8)
def load_topic_model(kind: str, models_dir: Path = MODELS_DIR) -> TopicModel:
    """The topic model selected by ``kind`` (``sklearn`` | ``charbert`` | ``ensemble``).

    Loaded (and checked) once per process and directory: the models are read-only, and the
    scikit-learn one takes seconds to rebuild from its skops file.
    """
    if kind == "sklearn":
        return SklearnTopicModel(models_dir / KINDS[kind], models_dir)
    if kind == "charbert":
        return CharBertTopicModel(models_dir / KINDS[kind], models_dir)
    if kind == "ensemble":
        return EnsembleTopicModel(models_dir / KINDS[kind], models_dir)
    raise ValueError(f"unknown topic model {kind!r}: choose one of {', '.join(KINDS)}")


def labels_of(scores, threshold: float) -> list[TopicLabel]:
    """``[{"label", "score"}]`` of one score row, best first, those at or above ``threshold``."""
    ranked = sorted(zip(TAXONOMY, scores, strict=True), key=lambda x: -x[1])
    return [TopicLabel(label=lab, score=round(float(s), 3)) for lab, s in ranked if s >= threshold]


def article_labels(scores, weights, threshold: float) -> list[TopicLabel]:
    """Article labels from paragraph scores weighted by ``weights`` (paragraph lengths)."""
    mean = weighted_mean(scores, weights)
    out = labels_of(mean, threshold)
    if not out and mean.any():
        best = int(mean.argmax())
        out = [TopicLabel(label=TAXONOMY[best], score=round(float(mean[best]), 3))]
    return out
