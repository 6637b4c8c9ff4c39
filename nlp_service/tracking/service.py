"""Tracking over a store: every stored target with its status, settled by the stored later articles.

Figures are read from the stored v1 results when asked (cached per article in this process), so a
newly ingested article settles old targets at once and nothing is recomputed at ingest. Statuses
are therefore always those of the store as it is.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from nlp_service.tracking.track import Figure, Statement, Target, Tracked, figures, track

_CACHE: OrderedDict[tuple[str, str | None, int], tuple[list[Target], list[Figure | Statement]]] = OrderedDict()
CACHE_ARTICLES = 5_000  # articles whose figures stay in memory between queries


def _figures(store: Any, article_id: str, region: str | None, year: int
             ) -> tuple[list[Target], list[Figure | Statement]]:
    key = (article_id, region, year)  # an id names one text; region and year are the store's own
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    stored = store.get_article(article_id)  # the v1 result is read only for articles not cached
    got = figures(stored["result"], article_id, region=region, year=year) if stored else ([], [])
    _CACHE[key] = got
    if len(_CACHE) > CACHE_ARTICLES:
        _CACHE.popitem(last=False)
    return got


def tracked_targets(store: Any, *, region: str | None = None, year: int | None = None, metric: str | None = None,
                    status: str | None = None, article_id: str | None = None) -> list[Tracked]:
    """Targets of the stored articles (filters: region, due year, metric key or words, status, article)."""
    rows = [(aid, r, y, _figures(store, aid, r, y)) for aid, r, y in store.tracking_articles(region)]
    documents = [(y, r, figs[1]) for _, r, y, figs in rows]
    targets = [t for aid, _, _, figs in rows if article_id in (None, aid) for t in figs[0]
               if (year is None or t.due == year) and _metric_matches(t, metric)]
    out = track(targets, documents)
    return [t for t in out if status is None or t.status == status]


def _metric_matches(t: Target, metric: str | None) -> bool:
    if not metric:
        return True
    f = t.figure
    return metric == f.key or (f.key or "").startswith(metric + ":") or metric in (f.metric or "") \
        or metric in f.context


def as_json(items: list[Tracked], store: Any) -> list[dict]:
    """The API and CLI objects: ``{"commitment": {…}, "status", "reason", "evidence": [{…}]}``."""
    ids = store.commitment_ids(sorted({t.target.figure.article_id for t in items})) if items else {}
    out = []
    for t in items:
        f, c = t.target.figure, t.target.commitment
        out.append({
            "commitment": {"id": ids.get((f.article_id, t.target.commitment_index)),
                           "ord": t.target.commitment_index, "text": c.get("text"),
                           "sentence": c.get("sentence"), "article_id": f.article_id, "year": f.year,
                           "metric": f.key or f.metric, "value": f.value, "value_high": f.value_high, "unit": f.unit,
                           "comparator": f.comparator, "deadline": c.get("deadline"), "due": t.target.due,
                           "region": f.region, "figure": f.text},
            "status": t.status, "reason": t.reason,
            "evidence": [{"text": e.text, "sentence": e.sentence, "article_id": e.article_id, "year": e.year,
                          "period": e.period, "value": e.value, "unit": e.unit} for e in t.evidence],
        })
    return out
