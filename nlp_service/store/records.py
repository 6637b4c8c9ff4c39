"""What the store keeps of an extraction result, backend-independent.

The v1 result (``contract.to_v1``) is flattened into rows: the article (with the region and year the
pipeline inferred),
its commitments and indicators, and fingerprints of its kept paragraphs. Search text is tokenised
here, in Python, and the same tokens go to every backend (no Chinese analyzer in any database):

- ``chars``: one token per Han character, ASCII runs whole, lower-cased — exact phrase matching
  with recall 1.0 for queries of any length (a query is a phrase of its characters);
- ``words``: jieba search-mode words (人才引进 → 人才 引进 人才引进) — ranking.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from nlp_service.extract.region_year import published_year, short_place
from nlp_service.text.markers import HAN_RANGES, YEAR

_TOKEN = re.compile(f"[{HAN_RANGES}]" + r"|[A-Za-z0-9]+(?:[.][0-9]+)?")


def char_tokens(text: str) -> str:
    """Space-separated character tokens (ASCII runs whole, lower-cased); punctuation dropped.

    >>> char_tokens("引进顶尖人才，R&D投入2.5%")
    '引 进 顶 尖 人 才 r d 投 入 2.5'

    """
    return " ".join(m.group().lower() for m in _TOKEN.finditer(text))


def word_tokens(text: str, segmenter: Any) -> str:
    """Space-separated jieba search-mode words (punctuation and whitespace dropped)."""
    return " ".join(w.lower() for w in segmenter.cut_for_search(text) if _TOKEN.search(w))


def deadline_year(deadline: str | None) -> int | None:
    """The last year named in a commitment's deadline (2025, 2024-2026 → 2026)."""
    years = YEAR.findall(deadline or "")
    return int(years[-1]) if years else None


# the stored columns of a commitment and of an indicator row (both backends)
COMMITMENT_COLUMNS = ("ord", "text", "sentence", "actor", "modality", "action", "target", "deadline",
                      "deadline_year", "has_quantity", "quantity_value", "quantity_unit", "confidence", "start", "end")
INDICATOR_COLUMNS = ("ord", "text", "metric", "value", "value_max", "unit", "normalized_value", "base_unit",
                     "comparator", "change", "period", "sentence")


@dataclass
class ArticleRecord:
    """One article ready to store."""

    id: str
    source: str | None
    source_id: str | None
    title: str | None
    published: str | None
    year: int | None
    region: str | None
    url: str | None
    topics: list[str]
    result: dict
    commitments: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    fingerprints: list[tuple[int, str]] = field(default_factory=list)
    raw_sha256: str | None = None  # of the input as given (lets a re-ingest skip extraction)


def raw_hash(text: str) -> str:
    """sha256 of an input text as given."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def to_record(result: dict, segmenter: Any, *, source: str | None = None, source_id: str | None = None,
              region: str | None = None, url: str | None = None, published: str | None = None,
              raw_sha256: str | None = None) -> ArticleRecord:
    """Rows of one v1 result (``region``/``published`` given by the caller win over the pipeline's ones)."""
    published = published or result["meta"].get("published")
    title = result.get("title")
    # region and year are pipeline outputs (extract.region_year); a result stored before they existed has neither
    region = short_place(region) if region else (result.get("region") or {}).get("name")
    year = published_year(published) or (result.get("year") or {}).get("value")
    commitments = []
    for i, c in enumerate(result.get("commitments", [])):
        q = c.get("quantity") or {}
        commitments.append({
            "ord": i, "text": c["text"], "sentence": c.get("sentence"), "actor": c.get("actor"),
            "modality": c.get("modality"), "action": c.get("action"), "target": c.get("target"),
            "deadline": c.get("deadline"), "deadline_year": deadline_year(c.get("deadline")),
            "has_quantity": int(bool(q)), "quantity_value": q.get("value"), "quantity_unit": q.get("unit"),
            "confidence": c.get("confidence"), "topics": list(c.get("topics") or []),
            "start": c.get("start"), "end": c.get("end"),
            "chars": char_tokens(c["text"]), "words": word_tokens(c["text"], segmenter),
        })
    indicators = [{"ord": i, **{k: x.get(k) for k in INDICATOR_COLUMNS[1:]}}
                  for i, x in enumerate(result.get("indicators", []))]
    fingerprints = [(p["index"], hashlib.sha1("".join(p["text"].split()).encode("utf-8"),
                                                         usedforsecurity=False).hexdigest())
                    for p in result.get("paragraphs", []) if p["status"] == "kept"]
    return ArticleRecord(id=result["id"], source=source, source_id=source_id, title=title, published=published,
                         year=year, region=region, url=url, topics=[t["label"] for t in result.get("topics", [])],
                         result=result, commitments=commitments, indicators=indicators, fingerprints=fingerprints,
                         raw_sha256=raw_sha256)


def fts_phrase_query(q: str) -> str | None:
    """An FTS5 query over the character index: every whitespace-separated term a phrase, ANDed.

    >>> fts_phrase_query('顶尖人才  "R&D"')
    '"顶 尖 人 才" AND "r d"'

    """
    phrases = [char_tokens(term) for term in q.split()]
    phrases = [p for p in phrases if p]
    return " AND ".join(f'"{p}"' for p in phrases) or None


def fts_words_query(q: str, segmenter: Any) -> str | None:
    """An FTS5 AND-query of the search-mode words of ``q`` (for ranking the character matches).

    AND, not OR: the ranking only needs the commitments that hold the query's words; an OR over
    人工 | 智能 | 人工智能 matched most of a 100k store and cost a second per query.
    """
    words = sorted(set(word_tokens(q, segmenter).split()))
    return " AND ".join(f'"{w}"' for w in words) or None


def highlight(text: str, q: str, open_tag: str = "<mark>", close_tag: str = "</mark>", width: int = 80) -> str:
    """``text`` (cut to about ``width`` characters around the first match) with the query terms marked."""
    terms = [t for t in q.split() if t]
    spans = []
    for t in terms:
        start = text.find(t)
        while start >= 0:
            spans.append((start, start + len(t)))
            start = text.find(t, start + len(t))
    first = min((s for s, _ in spans), default=0)
    lo = max(0, first - width // 3)
    hi = min(len(text), lo + width)
    out, pos = [], lo
    for s, e in sorted(spans):
        if s < pos or e > hi:
            continue
        out += [text[pos:s], open_tag, text[s:e], close_tag]
        pos = e
    out.append(text[pos:hi])
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")


def commitment_snippet(sentence: str | None, text: str, q: str | None, width: int = 30) -> str:
    """The commitment inside its sentence: ``<b>commitment</b>`` with up to ``width`` characters either side.

    Two commitments of one sentence get two different snippets (each shows itself); query terms
    inside are marked ``<mark>`` as :func:`highlight` does.

    >>> s = "宁波将超常发力抓创新，部署项目200个以上，力争攻克成果20项以上。"
    >>> commitment_snippet(s, "部署项目200个以上", "项目")
    '宁波将超常发力抓创新，<b>部署<mark>项目</mark>200个以上</b>，力争攻克成果20项以上。'

    """
    sentence = sentence or text
    at = sentence.find(text)
    if at < 0:  # a sentence stored without its commitment (older rows): the sentence as before
        return highlight(sentence, q) if q else sentence
    end = at + len(text)
    lo, hi = max(0, at - width), min(len(sentence), end + width)

    def mark(part: str) -> str:
        return highlight(part, q, width=3 * (len(part) + 1)) if q else part  # wide enough never to cut

    return ("…" if lo else "") + sentence[lo:at] + "<b>" + mark(text) + "</b>" + sentence[end:hi] + \
        ("…" if hi < len(sentence) else "")


def hit(row: Any, topics: list[str], article: Any, q: str | None) -> dict:
    """One search result from a commitment row, its topics and its article row (any backend)."""
    return {
        "id": row["id"], "ord": row["ord"], "score": round(float(row["score"]), 4), "text": row["text"],
        "snippet": commitment_snippet(row["sentence"], row["text"], q),
        "actor": row["actor"], "modality": row["modality"], "action": row["action"], "target": row["target"],
        "deadline": row["deadline"],
        "quantity": {"value": row["quantity_value"], "unit": row["quantity_unit"]} if row["has_quantity"] else None,
        "topics": sorted(topics), "region": row["region"], "year": row["year"],
        "confidence": row["confidence"], "start": row["start"], "end": row["end"],
        "article": {"id": row["article_id"], "title": article["title"], "published": article["published"],
                    "url": article["url"], "source": article["source"], "source_id": article["source_id"]},
    }
