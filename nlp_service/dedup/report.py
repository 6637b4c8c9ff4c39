"""What a dedup run reports, shared by both engines (:mod:`.archive` and :mod:`.spark`).

:class:`DedupReport` holds the counts, clusters and skipped lines of a run; :func:`pair_kind` names
how a cluster member relates to its representative; :func:`write_report` writes the report file
(JSON), the same keys in the same order whichever engine ran.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import orjson

from nlp_service.dedup.minhash import Params, explain


class ClusterSpool:
    """The clusters of a large run, written to a file as they are made instead of held in memory.

    A million documents make half a million cluster members, each with its reason: as dicts, and
    again as one JSON string, they held more memory than the rest of the engine. Each cluster is
    kept as the text :func:`write_report` would write for it, so the report is the same byte for
    byte whichever way its clusters were held.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = path.open("w", encoding="utf-8")
        self._n = 0
        self._report: Path | None = None  # once written: the report file, where the clusters are read back

    def append(self, cluster: dict) -> None:
        """Add one cluster (written at once)."""
        self._fh.write(("" if self._n == 0 else ",\n") + _indented(cluster))
        self._n += 1

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[dict]:
        """The clusters, read back from the written report (a run's caller may look at them)."""
        if self._report is None:
            raise RuntimeError("the clusters are read back once the report is written")
        return iter(json.loads(self._report.read_text(encoding="utf-8"))["clusters"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, ClusterSpool)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def write_into(self, fh: TextIO, report: Path) -> None:
        """Copy the clusters into the open report file ``fh``, streamed from the spool.

        They are written as the report writes a list at its second level; from now on they are read
        back from ``report``.
        """
        self._fh.close()
        if self._n:
            fh.write("[\n")
            with self.path.open(encoding="utf-8") as spool:
                fh.writelines(spool)  # line by line: the spool is never in memory whole
            fh.write("\n ]")
        else:
            fh.write("[]")
        self._report = report


def _indented(cluster: dict) -> str:
    """One cluster as ``json.dumps(indent=1)`` writes it as an item of the report's ``clusters`` list.

    Made by orjson at two spaces a level, halved (2.5x faster: a million-document report holds
    hundreds of thousands of clusters); orjson escapes every newline inside a string, so each line
    break is one of the layout's (the same text as ``json.dumps``, tested).
    """
    text = orjson.dumps(cluster, option=orjson.OPT_INDENT_2).decode("utf-8")
    return "\n".join("  " + line[(len(line) - len(line.lstrip(" "))) // 2:] for line in text.split("\n"))


@dataclass
class DedupReport:
    """What a run read, kept, removed and skipped (``clusters``: a list, or a :class:`ClusterSpool`)."""

    counts: Counter = field(default_factory=Counter)
    skipped: list[dict] = field(default_factory=list)
    clusters: list[dict] | ClusterSpool = field(default_factory=list)
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
    # representative first, as the engines verified the pair (the earlier document first): the
    # verifier's alignment of it is then reused, not made again
    kind, why = explain(rep, member, similarity, params, noisy_route=True)
    return why if kind else f"joined through another member ({why})"


def member(rid: str, norm: str, rep_norm: str, similarity: float, params: Params, reason: str | None = None) -> dict:
    """A cluster member of the report (either engine): id, kind, similarity to the representative, reason.

    ``reason``: the verifier's reason for the pair (representative, member) when the engine kept it
    from verifying that very pair at an estimate :func:`~nlp_service.dedup.minhash.same_verdict`
    with this similarity — the words :func:`member_reason` would find again.
    """
    sim = round(similarity, 3)
    return {"id": rid, "kind": pair_kind(norm, rep_norm), "similarity": sim,
            "reason": reason if reason is not None else member_reason(norm, rep_norm, sim, params)}


_SPOOLED = "\x00clusters\x00"  # where a spooled cluster list goes in the report's text


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
    spool = report.clusters if isinstance(report.clusters, ClusterSpool) else None
    body |= {"seconds": report.seconds, "clusters": report.clusters if spool is None else _SPOOLED,
             "skipped": report.skipped}
    if level != "document":
        body["paragraph_clusters"] = report.paragraph_clusters
    text = json.dumps(body, ensure_ascii=False, indent=1)
    if spool is None:
        path.write_text(text + "\n", encoding="utf-8")
        return
    head, tail = text.split(json.dumps(_SPOOLED), 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        spool.write_into(fh, path)
        fh.write(tail + "\n")
