"""Serialise an Article to the v1 JSON contract (``shared/contract/extract-v1.md``).

Contract names are never renamed or dropped; extra fields are additive:
per-paragraph ``kind``, ``level``, ``duplicate_kind``, ``evidence``,
``raw_start``/``raw_end``, ``topics`` (kept paragraphs: ``[{"label", "score"}]``);
top-level ``sentences`` (with word tokens).
"""

from __future__ import annotations

from typing import Any

from nlp_service import __version__
from nlp_service.document import Article
from nlp_service.extract.commitments import Commitment
from nlp_service.extract.indicators import Indicator


def to_v1(article: Article, elapsed_ms: float, include_tokens: bool = True) -> dict[str, Any]:
    """The v1 JSON object for one article."""
    sentences = []
    for s in article.sentences:
        item: dict[str, Any] = {"index": s.index, "paragraph": s.paragraph, "start": s.start, "end": s.end,
                                "text": s.text}
        if include_tokens:
            item["tokens"] = [[t.start, t.end, t.text] for t in s.tokens]
        sentences.append(item)
    kept_text = {p.index: p.text for p in article.paragraphs}
    paragraphs = []
    for p in article.input_paragraphs:
        paragraphs.append({
            "index": p.index,
            # a kept paragraph shows its text as it stands in clean_text (joined pieces included)
            "text": kept_text.get(p.index, p.text),
            "status": p.status.value,
            "duplicate_of": p.duplicate_of,
            "merged_into": p.merged_into,
            "similarity": p.similarity,
            "start": p.start,
            "end": p.end,
            "kind": p.kind,
            "level": p.level,
            "duplicate_kind": p.duplicate_kind,
            "evidence": list(p.evidence),
            "input_text": p.text,
            "raw_start": p.raw_start,
            "raw_end": p.raw_end,
            "topics": [dict(t) for t in article.paragraph_topics.get(p.index, ())] if p.index in kept_text else [],
        })
    return {
        "id": article.id,
        "title": article.title,
        "clean_text": article.clean_text,
        "paragraphs": paragraphs,
        "topics": list(article.topics),
        "region": {"name": article.region.value, "evidence": article.region.evidence},
        "year": {"value": article.year.value, "evidence": article.year.evidence},
        "indicators": [_indicator(i) for i in article.indicators],
        "slogans": [{"text": x.text, "kind": x.kind, "count": x.count, "spans": [list(sp) for sp in x.spans],
                     "start": x.start, "end": x.end, "confidence": x.confidence, "evidence": list(x.evidence),
                     "source": x.source} for x in article.slogans],
        "commitments": [_commitment(c) for c in article.commitments],
        "entities": [{"text": x.text, "type": x.type, "count": x.count, "spans": [list(sp) for sp in x.spans],
                      "start": x.start, "end": x.end, "confidence": x.confidence, "evidence": list(x.evidence)}
                     for x in article.entities],
        "sentences": sentences,
        "meta": {
            "version": __version__,
            "models": dict(article.models),
            "components": list(article.components),
            "elapsed_ms": round(elapsed_ms, 1),
            "published": article.published,
            "script": article.script,
            "converted_to_simplified": article.converted_to_simplified,
            "input_format": article.input_format,
        },
    }


def _indicator(ind: Indicator) -> dict[str, Any]:
    return {
        "text": ind.text, "start": ind.start, "end": ind.end, "sentence": ind.sentence, "metric": ind.metric,
        "value": ind.value, "value_max": ind.value_max, "unit": ind.unit, "normalized_value": ind.normalized_value,
        "base_unit": ind.base_unit, "comparator": ind.comparator, "change": ind.change, "period": ind.period,
        "rank": ind.rank, "confidence": ind.confidence, "evidence": list(ind.evidence),
    }


def _commitment(c: Commitment) -> dict[str, Any]:
    q = c.quantity
    quantity = None if q is None else {
        "value": q.value, "unit": q.unit, "comparator": q.comparator, "normalized_value": q.normalized_value,
        "base_unit": q.base_unit, "indicator": {"start": q.start, "end": q.end, "text": q.text}}
    return {
        "text": c.text, "start": c.start, "end": c.end, "sentence": c.sentence, "actor": c.actor,
        "modality": c.modality, "strength": c.strength, "action": c.action, "target": c.target,
        "quantity": quantity, "deadline": c.deadline, "topics": list(c.topics), "confidence": c.confidence,
        "evidence": list(c.evidence),
    }
