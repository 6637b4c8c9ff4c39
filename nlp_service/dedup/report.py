"""What a dedup run reports, shared by both engines (:mod:`.archive` and :mod:`.spark`).

:class:`DedupReport` holds the counts, clusters and skipped lines of a run; :func:`pair_kind` names
how a cluster member relates to its representative; :func:`write_report` writes the report file
(JSON), the same keys in the same order whichever engine ran.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nlp_service.dedup.minhash import Params, explain


@dataclass
class DedupReport:
    """What a run read, kept, removed and skipped."""

    counts: Counter = field(default_factory=Counter)
    skipped: list[dict] = field(default_factory=list)
    clusters: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    paragraph_clusters: list[dict] = field(default_factory=list)


def pair_kind(member: str, rep: str) -> str:
    """``exact``, ``contained`` or ``near``: how a member's normalised text relates to its representative's."""
    if member == rep:
        return "exact"
    short, long_ = (member, rep) if len(member) <= len(rep) else (rep, member)
    return "contained" if short in long_ else "near"


def member_reason(member: str, rep: str, similarity: float, params: Params) -> str:
    """Why ``member`` (normalised) is in its representative's cluster, in the verifier's words.

    The verifier's verdict on the two texts (:func:`~nlp_service.dedup.minhash.explain`); a member
    the verifier would not call a copy of the representative itself came in through another member
    (a chain of copies), and the reason says so.
    """
    kind, why = explain(member, rep, similarity, params, noisy_route=True)
    return why if kind else f"joined through another member ({why})"


def member(rid: str, norm: str, rep_norm: str, similarity: float, params: Params) -> dict:
    """A cluster member of the report (either engine): id, kind, similarity to the representative, reason."""
    sim = round(similarity, 3)
    return {"id": rid, "kind": pair_kind(norm, rep_norm), "similarity": sim,
            "reason": member_reason(norm, rep_norm, sim, params)}


def write_report(path: Path, report: DedupReport, params: Params, *, level: str = "document",
                 **engine: object) -> None:
    """Write the report (JSON), the same keys in the same order from either engine.

    Counts, parameters, level, the engine's own settings (``engine``: the local engine's
    ``workers``, Spark's ``master``), the index size per document (document level), the seconds per
    stage, every cluster and skipped line, and the paragraph clusters (other levels).
    """
    body: dict[str, object] = {"counts": dict(report.counts), "params": params.__dict__, "level": level, **engine}
    if level == "document":
        body["index_bytes_per_document"] = params.num_perm * 4 + params.bands * 8
    body |= {"seconds": report.seconds, "clusters": report.clusters, "skipped": report.skipped}
    if level != "document":
        body["paragraph_clusters"] = report.paragraph_clusters
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
