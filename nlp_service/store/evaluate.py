"""Search quality against hand-judged commitments (``corpus/search_gold.jsonl``).

Each gold line is one query with its filters and the judged commitments, identified by the
article's ``source``/``source_id`` and the commitment text (stable across databases), each with a
grade: 2 relevant, 1 partly relevant, 0 not relevant. Figures per query and averaged:

- ``recall@10``: relevant (grade 2) hits in the top 10 / min(10, relevant judged) — capped, so a
  query with hundreds of relevant commitments can still reach 1.0;
- ``P@10``: grade-2 hits in the top 10 / 10 (unjudged hits count as not relevant);
- ``nDCG@10``: graded gains (2, 1), ideal order from all judged commitments.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from nlp_service.store.base import CommitmentQuery

K = 10


def key(source: str | None, source_id: str | None, text: str) -> tuple:
    """How a judged commitment is matched to a hit."""
    return (source or "", source_id or "", "".join(text.split()))


def load_gold(path: Path) -> list[dict]:
    """Gold queries."""
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def score_query(gold: dict, hits: list[dict]) -> dict:
    """recall@10, P@10 and nDCG@10 of one query's ranked hits."""
    grades = {key(j["source"], j["source_id"], j["text"]): j["grade"] for j in gold["judged"]}
    ranked = [grades.get(key(h["article"]["source"], h["article"]["source_id"], h["text"]), 0) for h in hits[:K]]
    relevant = sum(g == 2 for g in grades.values())
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ranked))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return {"qid": gold["qid"], "q": gold["q"], "relevant_judged": relevant,
            "recall@10": sum(g == 2 for g in ranked) / min(K, relevant) if relevant else None,
            "P@10": sum(g == 2 for g in ranked) / K, "nDCG@10": dcg / idcg if idcg else None}


def evaluate(store: Any, segmenter: Any, gold_path: Path) -> dict:
    """Per-query figures and their means over the queries that have relevant judgements."""
    rows = []
    for g in load_gold(gold_path):
        page = store.search_commitments(CommitmentQuery(q=g["q"], limit=K, **g.get("filters", {})), segmenter)
        rows.append(score_query(g, page.hits) | {"matches": page.total, "chars": len(g["q"])})
    scored = [r for r in rows if r["recall@10"] is not None]

    def mean(name: str, subset: list[dict]) -> float:
        return round(sum(r[name] for r in subset) / len(subset), 3) if subset else float("nan")

    two = [r for r in scored if r["chars"] <= 2]
    return {"queries": rows, "n": len(scored),
            "mean": {m: mean(m, scored) for m in ("recall@10", "P@10", "nDCG@10")},
            "two_char": {m: mean(m, two) for m in ("recall@10", "P@10", "nDCG@10")}, "n_two_char": len(two)}
