"""``nlp-service dedup``: exact and near-duplicate documents across JSON Lines archives (local engine).

Reads every record of the inputs (``.jsonl``/``.jsonl.gz``; text in ``--text-field``, id in
``--id-field``), clusters them with the kernel of ``dedup/minhash.py`` and writes

- the output (same format; ``.gz`` when the name ends so): each cluster's representative, plus
  every record without a duplicate — or, with ``--mark``, every record with a ``duplicate_of``
  field (null for kept ones);
- the report (JSON): counts, the parameters, every cluster with its representative and each
  member's id, estimated similarity to the representative and kind (``exact`` — same normalised
  text; ``near``), and every skipped line (file, line number, reason).

Nothing is lost: every input record is in the output or in the report with the id of its kept twin;
a malformed line or a record without text is reported and counted, never dropped silently.
Representative: the earliest record of the cluster in input order (``--keep longest`` picks the
longest text instead).

Work in progress (issue 7): this engine holds the normalised texts and signatures of the whole
input in memory (≈ 0.5 KB of signature per document plus the texts), uses one core and cannot
resume; the Spark engine, paragraph level and containment are not built yet.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nlp_service.dedup.minhash import MIN_CHARS, Params, cluster_signatures, normalise, shingles, signature


@dataclass
class DedupReport:
    """What a run read, kept, removed and skipped."""

    counts: Counter = field(default_factory=Counter)
    skipped: list[dict] = field(default_factory=list)
    clusters: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _kind(member: str, rep: str) -> str:
    if member == rep:
        return "exact"
    short, long_ = (member, rep) if len(member) <= len(rep) else (rep, member)
    return "contained" if short in long_ else "near"


def _open(path: Path, mode: str):
    return gzip.open(path, mode + "t", encoding="utf-8") if path.name.endswith(".gz") else path.open(
        mode, encoding="utf-8")


def read_records(paths: list[Path], text_field: str, id_field: str, report: DedupReport):
    """(record, id, normalised text) of every usable line; others go to ``report.skipped``."""
    out = []
    for path in paths:
        with _open(path, "r") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                report.counts["read"] += 1
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    report.skipped.append({"file": str(path), "line": n, "reason": f"not JSON: {exc.msg}"})
                    continue
                if not isinstance(rec, dict):
                    report.skipped.append({"file": str(path), "line": n, "reason": "not a JSON object"})
                    continue
                text = rec.get(text_field)
                rid = rec.get(id_field, f"{path.name}:{n}")
                norm = normalise(text) if isinstance(text, str) else ""
                if not norm:
                    report.skipped.append({"file": str(path), "line": n, "id": rid,
                                           "reason": f"no text in field {text_field!r}"})
                    continue
                out.append((rec, str(rid), norm))
    report.counts["skipped"] = len(report.skipped)
    return out


def dedup(paths: list[Path], out_path: Path, report_path: Path, params: Params | None = None, *,
          text_field: str = "text", id_field: str = "id", mark: bool = False, keep: str = "earliest") -> DedupReport:
    """Run the local engine (see module docstring)."""
    params = params or Params()
    report = DedupReport()
    t0 = time.perf_counter()
    records = read_records(paths, text_field, id_field, report)
    t1 = time.perf_counter()
    norms = [x for _, _, x in records]
    # a text too short to compare (a scraper's "CONTENT NOTFOUND") is kept and never clustered:
    # each gets a distinct dummy text, so that it can match nothing
    compared = [x if len(x) >= MIN_CHARS else f"\x00{i}" for i, x in enumerate(norms)]
    report.counts["too_short_to_compare"] = sum(len(x) < MIN_CHARS for x in norms)
    sigs = (np.stack([signature(shingles(x, params.k), params.num_perm) for x in compared]) if norms
            else np.zeros((0, params.num_perm), dtype=np.uint32))
    t2 = time.perf_counter()
    res = cluster_signatures(sigs, compared, params)
    t3 = time.perf_counter()
    members: dict[int, list[int]] = {}
    for i, c in enumerate(res.cluster.tolist()):
        members.setdefault(c, []).append(i)
    rep_of: dict[int, int] = {}
    for group in members.values():
        rep = max(group, key=lambda i: (len(norms[i]), -i)) if keep == "longest" else group[0]
        for i in group:
            rep_of[i] = rep
    with _open(out_path, "w") as fh:
        for i, (rec, _, _) in enumerate(records):
            dup = rep_of[i] != i
            if mark:
                fh.write(json.dumps({**rec, "duplicate_of": records[rep_of[i]][1] if dup else None},
                                    ensure_ascii=False) + "\n")
            elif not dup:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    for group in members.values():
        if len(group) < 2:
            continue
        rep = rep_of[group[0]]
        report.clusters.append({"representative": records[rep][1], "size": len(group), "members": [
            {"id": records[i][1], "kind": _kind(norms[i], norms[rep]),
             "similarity": round(float((sigs[i] == sigs[rep]).mean()), 3)} for i in group if i != rep]})
    report.counts["documents"] = len(records)
    report.counts["kept"] = len(members)
    report.counts["duplicates"] = len(records) - len(members)
    report.counts["clusters"] = len(report.clusters)
    report.counts["candidate_pairs_rejected_by_alignment"] = res.rejected
    report.seconds = {"read+normalise": round(t1 - t0, 2), "shingle+sign": round(t2 - t1, 2),
                      "band+verify+cluster": round(t3 - t2, 2), "write": round(time.perf_counter() - t3, 2)}
    report_path.write_text(json.dumps({
        "counts": dict(report.counts), "params": params.__dict__, "seconds": report.seconds,
        "clusters": report.clusters, "skipped": report.skipped}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    return report
