"""``nlp-service dedup``: exact and near-duplicate documents and paragraphs across archives (local engine).

Reads every record of the inputs (``.jsonl``, ``.jsonl.gz`` or ``.parquet``; text in
``--text-field``, id in ``--id-field``), clusters them with the kernel of ``dedup/minhash.py`` and
writes

- the output (the format its name says: ``.jsonl``, ``.jsonl.gz`` or ``.parquet``): each cluster's
  representative, plus every record without a duplicate — or, with ``--mark``, every record with a
  ``duplicate_of`` field (null for kept ones);
- the report (JSON): counts, the parameters, every cluster with its representative and each
  member's id, estimated similarity to the representative and kind (``exact`` — same normalised
  text; ``contained``; ``near``), and every skipped line (file, line number, reason).

``--level paragraph`` clusters the paragraphs (lines) of all records instead and reports those
repeated — boilerplate, reprinted passages — with the document and paragraph index of every copy;
``--strip`` removes each repeat from the records after its first occurrence and lists what was
removed, and where it is kept, in the record's ``stripped_paragraphs``. ``--level both`` removes
duplicate documents first, then works on the paragraphs of the kept ones.

Nothing is lost: every input record is in the output or in the report with the id of its kept twin;
a malformed line or a record without text is reported and counted, never dropped silently.
Representative: the earliest record of the cluster in input order (``--keep longest`` picks the
longest text instead).

Limits (issue 7): this engine holds the normalised texts and signatures of the whole input in
memory (0.5 KB of signature and 0.3 KB of band keys per document plus the texts), signs on one
core and cannot resume; ``nlp_service/dedup/spark.py`` is the engine for archives beyond one machine.
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
    paragraph_clusters: list[dict] = field(default_factory=list)


def _kind(member: str, rep: str) -> str:
    if member == rep:
        return "exact"
    short, long_ = (member, rep) if len(member) <= len(rep) else (rep, member)
    return "contained" if short in long_ else "near"


def _open(path: Path, mode: str):
    return gzip.open(path, mode + "t", encoding="utf-8") if path.name.endswith(".gz") else path.open(
        mode, encoding="utf-8")


def _is_parquet(path: Path) -> bool:
    return path.name.endswith((".parquet", ".pq"))


def _rows(path: Path):
    """(line or row number, raw JSON line or row dict) of one input file."""
    if _is_parquet(path):
        import pyarrow.parquet as pq

        n = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                n += 1
                yield n, row
        return
    with _open(path, "r") as fh:
        yield from enumerate(fh, 1)


def read_records(paths: list[Path], text_field: str, id_field: str, report: DedupReport):
    """(record, id, normalised text) of every usable line; others go to ``report.skipped``."""
    out = []
    for path in paths:
        for n, line in _rows(path):
            if isinstance(line, str):
                if not line.strip():
                    continue
                report.counts["read"] += 1
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    report.skipped.append({"file": str(path), "line": n, "reason": f"not JSON: {exc.msg}"})
                    continue
            else:
                report.counts["read"] += 1
                rec = line
            if not isinstance(rec, dict):
                report.skipped.append({"file": str(path), "line": n, "reason": "not a JSON object"})
                continue
            text = rec.get(text_field)
            rid = rec.get(id_field)
            rid = f"{path.name}:{n}" if rid is None else rid
            norm = normalise(text) if isinstance(text, str) else ""
            if not norm:
                report.skipped.append({"file": str(path), "line": n, "id": rid,
                                       "reason": f"no text in field {text_field!r}"})
                continue
            out.append((rec, str(rid), norm))
    report.counts["skipped"] = len(report.skipped)
    return out


def write_records(path: Path, records: list[dict]) -> None:
    """JSON Lines (``.gz`` when the name ends so) or Parquet (``.parquet``), by the name."""
    if _is_parquet(path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        names = list(dict.fromkeys(k for r in records for k in r))
        pq.write_table(pa.table({k: [r.get(k) for r in records] for k in names}), path)
        return
    with _open(path, "w") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _signatures(norms: list[str], params: Params) -> tuple[np.ndarray, list[str]]:
    """Signatures of the texts to compare; a text too short to compare gets a dummy that matches nothing."""
    # a scraper's "CONTENT NOTFOUND" or a heading ("一、") is kept and never clustered
    compared = [x if len(x) >= MIN_CHARS else f"\x00{i}" for i, x in enumerate(norms)]
    sigs = (np.stack([signature(shingles(x, params.k), params.num_perm) for x in compared]) if norms
            else np.zeros((0, params.num_perm), dtype=np.uint32))
    return sigs, compared


def _groups(cluster: np.ndarray) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for i, c in enumerate(cluster.tolist()):
        members.setdefault(c, []).append(i)
    return members


def paragraphs(records: list[tuple[dict, str, str]], text_field: str, params: Params, report: DedupReport,
               strip: bool) -> None:
    """Cluster the paragraphs (non-empty lines) of ``records``; report repeats; with ``strip`` remove them.

    The first occurrence in input order is kept; each later copy is removed from its record (whose
    text is rejoined with newlines) and listed in the record's ``stripped_paragraphs`` with the id
    and paragraph index of the kept copy.
    """
    where: list[tuple[int, int]] = []
    texts: list[str] = []
    for ri, (rec, _, _) in enumerate(records):
        for pj, line in enumerate(x for x in rec[text_field].split("\n") if x.strip()):
            where.append((ri, pj))
            texts.append(line)
    norms = [normalise(t) for t in texts]
    sigs, compared = _signatures(norms, params)
    res = cluster_signatures(sigs, compared, params)
    removed: dict[int, dict[int, dict]] = {}
    for group in _groups(res.cluster).values():
        if len(group) < 2:
            continue
        rep = group[0]
        rid, rpj = records[where[rep][0]][1], where[rep][1]
        members = []
        for i in group[1:]:
            ri, pj = where[i]
            kind = _kind(norms[i], norms[rep])
            members.append({"id": records[ri][1], "paragraph": pj, "kind": kind,
                            "similarity": round(float((sigs[i] == sigs[rep]).mean()), 3)})
            removed.setdefault(ri, {})[pj] = {"paragraph": pj, "duplicate_of": f"{rid}#{rpj}", "kind": kind}
        report.paragraph_clusters.append({
            "representative": {"id": rid, "paragraph": rpj, "text": texts[rep][:80]},
            "documents": len({where[i][0] for i in group}), "size": len(group), "members": members})
    report.counts["paragraphs"] = len(texts)
    report.counts["paragraph_clusters"] = len(report.paragraph_clusters)
    report.counts["repeated_paragraphs"] = sum(len(v) for v in removed.values())
    if strip:
        for ri, gone in removed.items():
            rec = records[ri][0]
            kept = [x for pj, x in enumerate(y for y in rec[text_field].split("\n") if y.strip()) if pj not in gone]
            rec[text_field] = "\n".join(kept)
            rec["stripped_paragraphs"] = [gone[pj] for pj in sorted(gone)]
        report.counts["stripped_paragraphs"] = report.counts["repeated_paragraphs"]


def dedup(paths: list[Path], out_path: Path, report_path: Path, params: Params | None = None, *,
          text_field: str = "text", id_field: str = "id", mark: bool = False, keep: str = "earliest",
          level: str = "document", strip: bool = False) -> DedupReport:
    """Run the local engine (see module docstring)."""
    if level not in ("document", "paragraph", "both"):
        raise ValueError("level must be document, paragraph or both")
    params = params or Params()
    report = DedupReport()
    t0 = time.perf_counter()
    records = read_records(paths, text_field, id_field, report)
    t1 = time.perf_counter()
    norms = [x for _, _, x in records]
    report.counts["too_short_to_compare"] = sum(len(x) < MIN_CHARS for x in norms)
    rep_of = list(range(len(records)))
    res = None
    if level != "paragraph":
        sigs, compared = _signatures(norms, params)
        t2 = time.perf_counter()
        res = cluster_signatures(sigs, compared, params)
        for group in _groups(res.cluster).values():
            rep = max(group, key=lambda i: (len(norms[i]), -i)) if keep == "longest" else group[0]
            for i in group:
                rep_of[i] = rep
            if len(group) > 1:
                report.clusters.append({"representative": records[rep][1], "size": len(group), "members": [
                    {"id": records[i][1], "kind": _kind(norms[i], norms[rep]),
                     "similarity": round(float((sigs[i] == sigs[rep]).mean()), 3)} for i in group if i != rep]})
    else:
        t2 = t1
    t3 = time.perf_counter()
    if level != "document":
        paragraphs([r for i, r in enumerate(records) if rep_of[i] == i], text_field, params, report, strip)
    t4 = time.perf_counter()
    if mark:
        out = [{**rec, "duplicate_of": records[rep_of[i]][1] if rep_of[i] != i else None}
               for i, (rec, _, _) in enumerate(records)]
    else:
        out = [rec for i, (rec, _, _) in enumerate(records) if rep_of[i] == i]
    write_records(out_path, out)
    report.counts["documents"] = len(records)
    report.counts["kept"] = sum(rep_of[i] == i for i in range(len(records)))
    report.counts["duplicates"] = len(records) - report.counts["kept"]
    report.counts["clusters"] = len(report.clusters)
    report.counts["candidate_pairs_rejected_by_alignment"] = res.rejected if res else 0
    report.seconds = {"read+normalise": round(t1 - t0, 2), "shingle+sign": round(t2 - t1, 2),
                      "band+verify+cluster": round(t3 - t2, 2), "paragraphs": round(t4 - t3, 2),
                      "write": round(time.perf_counter() - t4, 2)}
    body = {"counts": dict(report.counts), "params": params.__dict__, "level": level, "seconds": report.seconds,
            "clusters": report.clusters, "skipped": report.skipped}
    if level != "document":
        body["paragraph_clusters"] = report.paragraph_clusters
    report_path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report
